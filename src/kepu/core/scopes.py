"""Who may read and change what: one rule for pages, admin, API and CLI.

A user's scope comes from their role assignments:

* national administrator — everything;
* alliance coordinator — reads the current member venues of their alliance and of every alliance
  inside it, and manages those alliances and their memberships;
* venue manager, venue staff, volunteer coordinator — their own venues only, with the
  capabilities of their role.

Selectors filter with :meth:`Scope.filter_venues`; services call :func:`require_venue` before they
touch anything. A venue outside the scope raises ``NotFoundError`` — the same as one that does not
exist — so nothing leaks; a venue in the scope but beyond the role raises ``PermissionDeniedError``.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from django.db.models import Model, Q, QuerySet
from django.utils import timezone

from kepu.core.errors import NotFoundError, PermissionDeniedError
from kepu.core.models import Role, RoleAssignment

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User
    from kepu.network.models import Alliance, Venue

ModelT = TypeVar("ModelT", bound=Model)


class Capability(enum.StrEnum):
    VIEW = "view"
    MANAGE_REGISTRY = "manage_registry"  # venue profile, halls, weekly pattern, organisation
    MANAGE_CALENDAR = "manage_calendar"  # announce closures and special openings
    VIEW_AUDIT = "view_audit"
    MANAGE_STAFF = "manage_staff"  # grant venue roles at the venue
    MANAGE_VISITS = "manage_visits"  # booking rules, slots and their capacities
    HANDLE_GROUPS = "handle_groups"  # approve or decline group bookings
    OPERATE_GATE = "operate_gate"  # check visitors in, count walk-ins and exits
    REVEAL_PERSONAL_DATA = "reveal_personal_data"  # see a full ID or phone number (audited)
    MANAGE_PROGRAMS = "manage_programs"  # activities, sessions, schools, caravan trips, campaigns
    PLAN_TOURING = "plan_touring"  # touring sets, hosts, rotation plans of regions the venue runs
    MANAGE_REPORTS = "manage_reports"  # manual figures, honours, report narratives
    MANAGE_VOLUNTEERS = "manage_volunteers"  # recruitment, shifts, hours, certificates


ROLE_CAPABILITIES: Mapping[str, frozenset[Capability]] = {
    Role.VENUE_MANAGER: frozenset(Capability),
    Role.VENUE_STAFF: frozenset(
        {
            Capability.VIEW,
            Capability.MANAGE_CALENDAR,
            Capability.HANDLE_GROUPS,
            Capability.OPERATE_GATE,
            Capability.MANAGE_PROGRAMS,
        }
    ),
    Role.VOLUNTEER_COORDINATOR: frozenset({Capability.VIEW, Capability.MANAGE_VOLUNTEERS}),
}
COORDINATOR_CAPABILITIES = frozenset({Capability.VIEW})


@dataclass(frozen=True)
class Scope:
    user_id: int | None
    is_national: bool = False
    venue_capabilities: Mapping[int, frozenset[Capability]] = field(default_factory=dict)
    # Alliances the user coordinates, with every alliance inside them.
    coordinated_alliance_ids: frozenset[int] = frozenset()
    # Current members of the coordinated alliances.
    alliance_venue_ids: frozenset[int] = frozenset()
    # Alliances the user's own venues belong to (readable, not manageable).
    member_alliance_ids: frozenset[int] = frozenset()
    roles: frozenset[str] = frozenset()

    @property
    def is_empty(self) -> bool:
        return not (self.is_national or self.venue_capabilities or self.coordinated_alliance_ids)

    def capabilities(self, venue_id: int) -> frozenset[Capability]:
        if self.is_national:
            return frozenset(Capability)
        granted = self.venue_capabilities.get(venue_id, frozenset())
        if venue_id in self.alliance_venue_ids:
            granted = granted | COORDINATOR_CAPABILITIES
        return granted

    def can(self, capability: Capability, venue_id: int) -> bool:
        return capability in self.capabilities(venue_id)

    def readable_venue_ids(self) -> frozenset[int] | None:
        """None means every venue."""
        if self.is_national:
            return None
        return frozenset(self.venue_capabilities) | self.alliance_venue_ids

    def filter_venues(self, queryset: QuerySet[ModelT], field: str = "id") -> QuerySet[ModelT]:
        """Keep the rows whose venue is readable; ``field`` names the venue id (``venue_id``)."""
        ids = self.readable_venue_ids()
        if ids is None:
            return queryset
        if not ids:
            return queryset.none()
        return queryset.filter(**{f"{field}__in": sorted(ids)})

    def readable_alliance_ids(self) -> frozenset[int] | None:
        if self.is_national:
            return None
        return self.coordinated_alliance_ids | self.member_alliance_ids

    def can_view_alliance(self, alliance_id: int) -> bool:
        ids = self.readable_alliance_ids()
        return ids is None or alliance_id in ids

    def can_manage_alliance(self, alliance_id: int) -> bool:
        return self.is_national or alliance_id in self.coordinated_alliance_ids


EMPTY_SCOPE = Scope(user_id=None)
_CACHE_ATTRIBUTE = "_kepu_scope"


def _descendants(roots: Iterable[int], parent_of: Mapping[int, int | None]) -> set[int]:
    children: dict[int, list[int]] = {}
    for alliance_id, parent_id in parent_of.items():
        if parent_id is not None:
            children.setdefault(parent_id, []).append(alliance_id)
    found: set[int] = set()
    stack = list(roots)
    while stack:
        current = stack.pop()
        if current in found:
            continue
        found.add(current)
        stack.extend(children.get(current, []))
    return found


def build_scope(user: User | AnonymousUser | None) -> Scope:
    from kepu.network.models import Alliance, Membership

    if user is None or not user.is_authenticated or not user.is_active:
        return EMPTY_SCOPE
    assignments: list[tuple[str, int | None, int | None]] = list(
        RoleAssignment.objects.filter(user_id=user.pk).values_list(
            "role", "venue_id", "alliance_id"
        )
    )
    roles = frozenset(role for role, _venue, _alliance in assignments)
    if user.is_superuser or Role.NATIONAL_ADMIN in roles:
        return Scope(user_id=user.pk, is_national=True, roles=roles | {Role.NATIONAL_ADMIN})

    venue_capabilities: dict[int, frozenset[Capability]] = {}
    coordinated_roots: set[int] = set()
    for role, venue_id, alliance_id in assignments:
        if venue_id is not None:
            granted = ROLE_CAPABILITIES.get(role, frozenset())
            venue_capabilities[venue_id] = venue_capabilities.get(venue_id, frozenset()) | granted
        elif role == Role.ALLIANCE_COORDINATOR and alliance_id is not None:
            coordinated_roots.add(alliance_id)

    today = timezone.localdate()
    current = Q(since__lte=today) & (Q(until__isnull=True) | Q(until__gte=today))
    coordinated: set[int] = set()
    alliance_venue_ids: set[int] = set()
    if coordinated_roots:
        parent_of = dict(Alliance.objects.values_list("id", "parent_id"))
        coordinated = _descendants(coordinated_roots, parent_of)
        alliance_venue_ids = set(
            Membership.objects.filter(current, alliance_id__in=coordinated).values_list(
                "venue_id", flat=True
            )
        )
    member_alliances: set[int] = set()
    if venue_capabilities:
        member_alliances = set(
            Membership.objects.filter(current, venue_id__in=list(venue_capabilities)).values_list(
                "alliance_id", flat=True
            )
        )
    return Scope(
        user_id=user.pk,
        venue_capabilities=venue_capabilities,
        coordinated_alliance_ids=frozenset(coordinated),
        alliance_venue_ids=frozenset(alliance_venue_ids),
        member_alliance_ids=frozenset(member_alliances),
        roles=roles,
    )


def scope_for(user: User | AnonymousUser | None) -> Scope:
    """The user's scope, computed once per user object (that is, once per request)."""
    if user is None:
        return EMPTY_SCOPE
    cached = getattr(user, _CACHE_ATTRIBUTE, None)
    if isinstance(cached, Scope):
        return cached
    scope = build_scope(user)
    if user.is_authenticated:
        setattr(user, _CACHE_ATTRIBUTE, scope)
    return scope


def forget_scope(user: Any) -> None:
    """Call after changing a user's roles or an alliance's members within the same request."""
    if hasattr(user, _CACHE_ATTRIBUTE):
        delattr(user, _CACHE_ATTRIBUTE)


def require_venue(
    user: User | AnonymousUser | None, venue: Venue, capability: Capability = Capability.VIEW
) -> Scope:
    scope = scope_for(user)
    if not scope.can(Capability.VIEW, venue.pk):
        raise NotFoundError()
    if not scope.can(capability, venue.pk):
        raise PermissionDeniedError()
    return scope


def require_alliance(
    user: User | AnonymousUser | None, alliance: Alliance, *, manage: bool = False
) -> Scope:
    scope = scope_for(user)
    if not scope.can_view_alliance(alliance.pk):
        raise NotFoundError()
    if manage and not scope.can_manage_alliance(alliance.pk):
        raise PermissionDeniedError()
    return scope


def require_national(user: User | AnonymousUser | None) -> Scope:
    scope = scope_for(user)
    if not scope.is_national:
        raise PermissionDeniedError()
    return scope
