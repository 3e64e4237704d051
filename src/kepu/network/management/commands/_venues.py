"""The venue named on a command line, looked up within the acting user's scope."""

from __future__ import annotations

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from kepu.core.models import User
from kepu.network import selectors
from kepu.network.models import Venue


def find_venue(user: User, name_or_id: str) -> Venue:
    """A venue in the user's scope, by id, name or short name; out of scope reads as missing."""
    venues = selectors.venue_list(user=user)
    found = list(
        venues.filter(pk=int(name_or_id))
        if name_or_id.isdigit()
        else venues.filter(name=name_or_id) or venues.filter(short_name=name_or_id)
    )
    if len(found) != 1:
        raise CommandError(_("No venue %(venue)s within your role.") % {"venue": name_or_id})
    return found[0]
