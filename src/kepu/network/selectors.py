"""Reads from the network registry, always through the caller's scope."""

from __future__ import annotations

import calendar
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from typing import TYPE_CHECKING, cast

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Sum,
    Value,
    When,
)
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError, NotFoundError
from kepu.core.models import AuditEntry
from kepu.core.scopes import Capability, require_alliance, require_venue, scope_for
from kepu.network.models import (
    Alliance,
    CalendarException,
    Division,
    DivisionLevel,
    Hall,
    HallKind,
    Membership,
    MembershipRole,
    OpeningPattern,
    Organisation,
    OrganisationYear,
    Venue,
    VenueKind,
)
from kepu.network.opening import (
    DayStatus,
    HolidayPeriod,
    OpeningCalendar,
    PeriodSummary,
    holiday_periods,
    known_holiday_years,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

MIN_YEAR, MAX_YEAR = 1949, 2200


def current_membership_q(prefix: str = "", on: date | None = None) -> Q:
    day = on or timezone.localdate()
    return Q(**{f"{prefix}since__lte": day}) & (
        Q(**{f"{prefix}until__isnull": True}) | Q(**{f"{prefix}until__gte": day})
    )


def current_hall_q(prefix: str = "", on: date | None = None) -> Q:
    day = on or timezone.localdate()
    return (Q(**{f"{prefix}opened_on__isnull": True}) | Q(**{f"{prefix}opened_on__lte": day})) & (
        Q(**{f"{prefix}closed_on__isnull": True}) | Q(**{f"{prefix}closed_on__gte": day})
    )


def venue_queryset() -> QuerySet[Venue]:
    return Venue.objects.select_related("division__parent__parent", "organisation")


def venue_list(
    *,
    user: Actor,
    kind: str = "",
    level: str = "",
    province: str = "",
    alliance_id: int | None = None,
    search: str = "",
) -> QuerySet[Venue]:
    """Venues in the caller's scope with their current hall count and exhibition area."""
    scope = scope_for(user)
    venues = scope.filter_venues(venue_queryset())
    if kind:
        venues = venues.filter(kind=kind)
    if level:
        venues = venues.filter(level=level)
    if province:
        venues = venues.filter(division__code__startswith=province[:2])
    if alliance_id is not None:
        in_alliance = Membership.objects.filter(
            current_membership_q(), alliance_id=alliance_id, venue_id=OuterRef("pk")
        )
        venues = venues.filter(Exists(in_alliance))
    if search:
        venues = venues.filter(
            Q(name__icontains=search)
            | Q(name_en__icontains=search)
            | Q(short_name__icontains=search)
        )
    current = current_hall_q("halls__")
    return venues.annotate(
        permanent_halls=Count("halls", filter=current & Q(halls__kind=HallKind.PERMANENT)),
        exhibition_area=Sum("halls__area_m2", filter=current),
    ).order_by("division_id", "name")


def venue_counts_by_kind(*, user: Actor) -> dict[str, int]:
    """How many venues of each kind the caller can read (one grouped query)."""
    counts = dict.fromkeys(VenueKind.values, 0)
    rows = scope_for(user).filter_venues(Venue.objects.all()).values("kind").annotate(n=Count("id"))
    for row in rows:
        counts[row["kind"]] = row["n"]
    return counts


def venue_get(*, user: Actor, venue_id: int, capability: Capability = Capability.VIEW) -> Venue:
    venue = venue_queryset().filter(pk=venue_id).first()
    if venue is None:
        raise NotFoundError()
    require_venue(user, venue, capability)
    return venue


@dataclass
class HallTotals:
    permanent: int = 0
    temporary: int = 0
    area_m2: Decimal = Decimal(0)
    permanent_area_m2: Decimal = Decimal(0)


@dataclass
class VenueOverview:
    venue: Venue
    capabilities: frozenset[Capability]
    halls: list[Hall]
    totals: HallTotals
    memberships: list[Membership]
    organisation: Organisation | None
    organisation_years: list[OrganisationYear]
    patterns: list[OpeningPattern]
    today: DayStatus
    recent_audit: list[AuditEntry] = field(default_factory=list)


def hall_totals(halls: list[Hall], on: date) -> HallTotals:
    totals = HallTotals()
    for hall in halls:
        if not hall.is_open_on(on):
            continue
        totals.area_m2 += hall.area_m2
        if hall.kind == HallKind.PERMANENT:
            totals.permanent += 1
            totals.permanent_area_m2 += hall.area_m2
        else:
            totals.temporary += 1
    return totals


def venue_overview(*, user: Actor, venue_id: int) -> VenueOverview:
    venue = venue_get(user=user, venue_id=venue_id)
    scope = scope_for(user)
    today = timezone.localdate()
    halls = list(venue.halls.all())
    patterns = list(venue.opening_patterns.all())
    exceptions = list(venue.calendar_exceptions.filter(starts_on__lte=today, ends_on__gte=today))
    organisation = venue.organisation
    capabilities = scope.capabilities(venue.pk)
    audit: list[AuditEntry] = []
    if Capability.VIEW_AUDIT in capabilities:
        audit = list(AuditEntry.objects.filter(venue=venue).select_related("actor")[:8])
    return VenueOverview(
        venue=venue,
        capabilities=capabilities,
        halls=halls,
        totals=hall_totals(halls, today),
        memberships=list(venue.memberships.select_related("alliance").order_by("-until", "since")),
        organisation=organisation,
        organisation_years=list(organisation.years.all()) if organisation else [],
        patterns=patterns,
        today=OpeningCalendar(venue, patterns, exceptions).day(today),
        recent_audit=audit,
    )


# Opening calendar ------------------------------------------------------------------------------


@dataclass
class CalendarMonth:
    year: int
    month: int
    weeks: list[list[DayStatus | None]]

    @property
    def open_days(self) -> int:
        return sum(1 for week in self.weeks for day in week if day is not None and day.is_open)


@dataclass
class CalendarYear:
    venue: Venue
    year: int
    months: list[CalendarMonth]
    summary: PeriodSummary
    holidays: list[HolidayPeriod]
    exceptions: list[CalendarException]
    patterns: list[OpeningPattern]
    reason_counts: list[tuple[str, str, int]]

    @property
    def holidays_known(self) -> bool:
        return self.year in known_holiday_years()


def check_year(year: int) -> int:
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError.for_field(
            "year",
            _("Choose a year between %(first)s and %(last)s.")
            % {"first": MIN_YEAR, "last": MAX_YEAR},
        )
    return year


def check_period(start: date, end: date) -> None:
    if end < start:
        raise ApplicationError.for_field("end", _("The end of the period is before its start."))
    if (end - start).days > 3660:
        raise ApplicationError.for_field("end", _("A period can span at most ten years."))


def venue_calendar_year(*, user: Actor, venue_id: int, year: int) -> CalendarYear:
    venue = venue_get(user=user, venue_id=venue_id)
    check_year(year)
    start, end = date(year, 1, 1), date(year, 12, 31)
    opening = OpeningCalendar.for_venue(venue, start, end)
    statuses = {status.day: status for status in opening.days(start, end)}
    months = []
    for month in range(1, 13):
        weeks = [
            [statuses[day] if day.month == month else None for day in week]
            for week in calendar.Calendar(firstweekday=0).monthdatescalendar(year, month)
        ]
        months.append(CalendarMonth(year=year, month=month, weeks=weeks))
    summary = opening.summary(start, end)
    counts = Counter(status.reason for status in statuses.values())
    reason_counts = [
        (reason.value, next(s.reason_label for s in statuses.values() if s.reason == reason), n)
        for reason, n in sorted(counts.items(), key=lambda item: -item[1])
    ]
    return CalendarYear(
        venue=venue,
        year=year,
        months=months,
        summary=summary,
        holidays=holiday_periods(year),
        exceptions=[e for e in opening.exceptions if e.ends_on >= start and e.starts_on <= end],
        patterns=opening.patterns,
        reason_counts=reason_counts,
    )


def venue_day_status(*, user: Actor, venue_id: int, day: date) -> DayStatus:
    venue = venue_get(user=user, venue_id=venue_id)
    check_year(day.year)
    return OpeningCalendar.for_venue(venue, day, day).day(day)


def venue_open_days(*, user: Actor, venue_id: int, start: date, end: date) -> PeriodSummary:
    venue = venue_get(user=user, venue_id=venue_id)
    check_period(start, end)
    return OpeningCalendar.for_venue(venue, start, end).summary(start, end)


# Alliances -------------------------------------------------------------------------------------


def alliance_list(*, user: Actor) -> QuerySet[Alliance]:
    scope = scope_for(user)
    alliances = Alliance.objects.select_related("parent").annotate(
        member_count=Count(
            "memberships", filter=current_membership_q("memberships__"), distinct=True
        ),
        child_count=Count("children", distinct=True),
    )
    ids = scope.readable_alliance_ids()
    if ids is not None:
        alliances = alliances.filter(pk__in=sorted(ids))
    return alliances.order_by("parent_id", "name")


def alliance_get(*, user: Actor, alliance_id: int, manage: bool = False) -> Alliance:
    alliance = Alliance.objects.select_related("parent").filter(pk=alliance_id).first()
    if alliance is None:
        raise NotFoundError()
    require_alliance(user, alliance, manage=manage)
    return alliance


def alliance_tree_ids(alliance: Alliance) -> list[int]:
    """The alliance and every alliance inside it, at any depth."""
    parent_of = dict(Alliance.objects.values_list("id", "parent_id"))
    found, frontier = [alliance.pk], [alliance.pk]
    while frontier:
        frontier = [child for child, parent in parent_of.items() if parent in frontier]
        found.extend(child for child in frontier if child not in found)
    return found


def alliance_members(
    *,
    user: Actor,
    alliance: Alliance,
    province: str = "",
    search: str = "",
) -> QuerySet[Membership]:
    """Current memberships of the alliance and of the alliances inside it."""
    require_alliance(user, alliance)
    members = Membership.objects.filter(
        current_membership_q(), alliance_id__in=alliance_tree_ids(alliance)
    ).select_related("venue__division__parent__parent", "alliance")
    if province:
        members = members.filter(venue__division__code__startswith=province[:2])
    if search:
        members = members.filter(
            Q(venue__name__icontains=search) | Q(venue__name_en__icontains=search)
        )
    officers_first = Case(
        *(When(role=role, then=Value(rank)) for rank, role in enumerate(MembershipRole.values)),
        output_field=IntegerField(),
    )
    return members.order_by(officers_first, "venue__division_id", "venue__name")


def province_counts(memberships: QuerySet[Membership]) -> list[tuple[Division, int]]:
    """How many members each province has, largest first."""
    counts = Counter(code[:2] for code in memberships.values_list("venue__division_id", flat=True))
    provinces = {
        division.code[:2]: division
        for division in Division.objects.filter(level=DivisionLevel.PROVINCE)
    }
    return sorted(
        ((provinces[prefix], count) for prefix, count in counts.items() if prefix in provinces),
        key=lambda item: (-item[1], item[0].code),
    )


# Divisions and audit ---------------------------------------------------------------------------


def provinces() -> QuerySet[Division]:
    return Division.objects.filter(level=DivisionLevel.PROVINCE).order_by("code")


def division_children(parent_code: str) -> QuerySet[Division]:
    return Division.objects.filter(parent_id=parent_code).order_by("code")


def audit_entries(
    *, user: Actor, venue_id: int | None = None, action: str = ""
) -> QuerySet[AuditEntry]:
    """The audit log as far as the caller may read it: venue managers see their venues' entries."""
    scope = scope_for(user)
    entries = AuditEntry.objects.select_related("actor", "venue", "alliance")
    if not scope.is_national:
        venues = [v for v in scope.venue_capabilities if scope.can(Capability.VIEW_AUDIT, v)]
        alliances = sorted(scope.coordinated_alliance_ids)
        entries = entries.filter(Q(venue_id__in=venues) | Q(alliance_id__in=alliances))
    if venue_id is not None:
        entries = entries.filter(venue_id=venue_id)
    if action:
        entries = entries.filter(action__startswith=action)
    return entries.order_by("-created_at", "-id")


# Organisations ---------------------------------------------------------------------------------


def organisation_list(*, user: Actor) -> QuerySet[Organisation]:
    """Organisations with at least one venue in the caller's scope (all, for national)."""
    scope = scope_for(user)
    organisations = Organisation.objects.all()
    ids = scope.readable_venue_ids()
    if ids is not None:
        organisations = organisations.filter(venues__id__in=sorted(ids)).distinct()
    return organisations.order_by("name")


def organisation_get(*, user: Actor, organisation_id: int) -> Organisation:
    organisation = organisation_list(user=user).filter(pk=organisation_id).first()
    if organisation is None:
        raise NotFoundError()
    return organisation


def venue_child_get[ChildT: Hall | OpeningPattern | CalendarException](
    *,
    user: Actor,
    venue_id: int,
    model: type[ChildT],
    pk: int,
    capability: Capability = Capability.VIEW,
) -> ChildT:
    """A hall, weekly pattern or calendar exception of a venue in the caller's scope."""
    venue = venue_get(user=user, venue_id=venue_id, capability=capability)
    child = model._default_manager.filter(venue=venue, pk=pk).select_related("venue").first()
    if child is None:
        raise NotFoundError()
    return cast(ChildT, child)
