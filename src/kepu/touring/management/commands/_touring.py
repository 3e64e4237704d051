"""What the touring commands share: finding a region or caravan in the acting user's scope,
and writing JSON."""

from __future__ import annotations

import json
from typing import Any

from django.core.management.base import CommandError
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.utils.translation import gettext as _

from kepu.core.models import User
from kepu.core.scopes import Capability, scope_for
from kepu.programs.models import Caravan
from kepu.touring.access import readable_regions
from kepu.touring.models import RotationRegion


def find_region(user: User, name_or_id: str) -> RotationRegion:
    regions = readable_regions(user)
    found = list(
        regions.filter(pk=int(name_or_id))
        if name_or_id.isdigit()
        else regions.filter(Q(name=name_or_id) | Q(name_en=name_or_id))
    )
    if len(found) != 1:
        raise CommandError(
            _("No rotation region %(region)s within your role.") % {"region": name_or_id}
        )
    return found[0]


def find_caravan(user: User, name_or_id: str) -> Caravan:
    scope = scope_for(user)
    caravans = Caravan.objects.select_related("venue")
    found = [
        caravan
        for caravan in (
            caravans.filter(pk=int(name_or_id))
            if name_or_id.isdigit()
            else caravans.filter(Q(name=name_or_id) | Q(plate_number=name_or_id))
        )
        if scope.can(Capability.MANAGE_PROGRAMS, caravan.venue_id)
    ]
    if len(found) != 1:
        raise CommandError(_("No caravan %(caravan)s within your role.") % {"caravan": name_or_id})
    return found[0]


def as_json(data: Any) -> str:
    return json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2)
