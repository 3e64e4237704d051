"""Abuse control on the public application form: per client address and per ID number (the
ID's keyed hash, so the cache never holds the number itself)."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils.translation import gettext as _

from kepu.visits.ratelimit import check_rate


def check_application_rate(request: HttpRequest, id_number: str) -> None:
    check_rate(
        request,
        [id_number],
        group="kepu.volunteers.apply",
        from_network=_("Too many applications from your network; try again shortly."),
        for_one_id=_("Too many applications for one ID; try again later."),
    )
