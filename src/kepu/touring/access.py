"""Who reads and plans a rotation region.

A region is run by its coordinating venue (a provincial museum) and, when it belongs to an
alliance, by that alliance's coordinators:

* read: national administrators, anyone who can see the coordinating venue, and the
  coordinators of the region's alliance;
* plan (sets, hosts, rotation plans, stops): national administrators, the coordinating venue's
  roles with ``PLAN_TOURING`` (its manager), and the alliance's coordinators.

A host venue's own staff read and record their stops through the venue (``MANAGE_PROGRAMS``).
Outside the read scope a region does not exist (404); inside it but without the right to plan,
a change is refused (403).
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from kepu.core.errors import NotFoundError, PermissionDeniedError
from kepu.core.scopes import Capability, Scope, scope_for
from kepu.touring.models import RotationRegion, TourStop

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def can_read_region(scope: Scope, region: RotationRegion) -> bool:
    return (
        scope.is_national
        or scope.can(Capability.VIEW, region.coordinator_id)
        or (region.alliance_id is not None and region.alliance_id in scope.coordinated_alliance_ids)
    )


def can_plan_region(scope: Scope, region: RotationRegion) -> bool:
    return (
        scope.is_national
        or scope.can(Capability.PLAN_TOURING, region.coordinator_id)
        or (region.alliance_id is not None and region.alliance_id in scope.coordinated_alliance_ids)
    )


def readable_regions(user: Actor) -> QuerySet[RotationRegion]:
    scope = scope_for(user)
    regions = RotationRegion.objects.select_related("coordinator", "alliance", "division")
    if scope.is_national:
        return regions
    venues = scope.readable_venue_ids() or frozenset()
    return regions.filter(
        Q(coordinator_id__in=sorted(venues))
        | Q(alliance_id__in=sorted(scope.coordinated_alliance_ids))
    )


def require_region(user: Actor, region: RotationRegion, *, plan: bool = False) -> Scope:
    scope = scope_for(user)
    if not can_read_region(scope, region):
        raise NotFoundError()
    if plan and not can_plan_region(scope, region):
        raise PermissionDeniedError()
    return scope


def require_stop_recorder(user: Actor, stop: TourStop) -> None:
    """The host venue's staff record their stop's visitors; so do the region's planners."""
    scope = scope_for(user)
    if scope.can(Capability.MANAGE_PROGRAMS, stop.venue_id):
        return
    if can_plan_region(scope, stop.region):
        return
    if scope.can(Capability.VIEW, stop.venue_id) or can_read_region(scope, stop.region):
        raise PermissionDeniedError()
    raise NotFoundError()
