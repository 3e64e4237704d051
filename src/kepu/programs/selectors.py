"""Reading programmes within the caller's scope, and the figures they add up to."""

from __future__ import annotations

import calendar
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import (
    Count,
    Exists,
    IntegerField,
    Max,
    Model,
    OuterRef,
    Q,
    QuerySet,
    Sum,
)
from django.db.models.functions import Cast
from django.utils import timezone

from kepu.core.errors import NotFoundError
from kepu.core.scopes import Capability, scope_for
from kepu.network.models import Venue
from kepu.network.selectors import venue_get
from kepu.programs.models import (
    AT_VENUE,
    Activity,
    ActivityType,
    Campaign,
    CampaignReport,
    Caravan,
    CaravanTrip,
    Competition,
    Expert,
    Partnership,
    PlaceKind,
    Registration,
    School,
    ScienceVicePrincipal,
    Session,
    SessionStatus,
    ThemeDay,
    TripStop,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

OUTREACH_Q = ~Q(place_kind__in=[*AT_VENUE, PlaceKind.ONLINE])


def venue_owned_get[M: Model](
    *,
    user: Actor,
    venue_id: int,
    model: type[M],
    pk: int,
    capability: Capability = Capability.VIEW,
    related: Iterable[str] = (),
) -> M:
    """An activity, session, trip … of a venue in the caller's scope (404 otherwise)."""
    venue = venue_get(user=user, venue_id=venue_id, capability=capability)
    found = (
        model._default_manager.filter(venue=venue, pk=pk).select_related("venue", *related).first()
    )
    if found is None:
        raise NotFoundError()
    return found


def local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, end+1 00:00) in Asia/Shanghai, for filtering datetimes by local days."""
    first = timezone.make_aware(datetime.combine(start, time.min))
    after = timezone.make_aware(datetime.combine(end + timedelta(days=1), time.min))
    return first, after


def activity_list(
    *,
    user: Actor,
    venue_id: int,
    activity_type: str = "",
    audience: str = "",
    year: int | None = None,
    month: int | None = None,
    theme_day_id: int | None = None,
    campaign_theme_id: int | None = None,
    outreach: bool | None = None,
    search: str = "",
) -> QuerySet[Activity]:
    venue = venue_get(user=user, venue_id=venue_id)
    activities = Activity.objects.filter(venue=venue).select_related(
        "theme_day", "campaign_theme__campaign", "owner"
    )
    if activity_type:
        activities = activities.filter(activity_type=activity_type)
    if audience:
        activities = activities.filter(audience=audience)
    if theme_day_id:
        activities = activities.filter(theme_day_id=theme_day_id)
    if campaign_theme_id:
        activities = activities.filter(campaign_theme_id=campaign_theme_id)
    if search:
        activities = activities.filter(
            Q(name__icontains=search) | Q(name_en__icontains=search) | Q(partners__icontains=search)
        )
    sessions = Session.objects.filter(activity=OuterRef("pk"))
    session_filter = Q()
    if year:
        start = date(year, month or 1, 1)
        end = date(year, month or 12, calendar.monthrange(year, month or 12)[1])
        first, after = local_range(start, end)
        session_filter &= Q(sessions__starts_at__gte=first, sessions__starts_at__lt=after)
        sessions = sessions.filter(starts_at__gte=first, starts_at__lt=after)
    if outreach is not None:
        outreach_q = ~Q(sessions__place_kind__in=[*AT_VENUE, PlaceKind.ONLINE])
        session_filter &= outreach_q if outreach else ~outreach_q
        sessions = sessions.filter(OUTREACH_Q if outreach else ~OUTREACH_Q)
    if year or outreach is not None:
        activities = activities.filter(Exists(sessions))
    held = session_filter & Q(sessions__status=SessionStatus.HELD)
    return activities.annotate(
        session_count=Count(
            "sessions", filter=session_filter & ~Q(sessions__status=SessionStatus.CANCELLED)
        ),
        held_count=Count("sessions", filter=held),
        participants_total=Sum("sessions__participants", filter=held),
        any_approximate=Max(
            Cast("sessions__participants_approximate", IntegerField()), filter=held
        ),
        last_start=Max("sessions__starts_at", filter=session_filter),
    ).order_by("-last_start", "-created_at")


def activity_get(
    *, user: Actor, venue_id: int, activity_id: int, capability: Capability = Capability.VIEW
) -> Activity:
    return venue_owned_get(
        user=user,
        venue_id=venue_id,
        model=Activity,
        pk=activity_id,
        capability=capability,
        related=("theme_day", "campaign_theme__campaign", "owner"),
    )


def activity_sessions(activity: Activity) -> QuerySet[Session]:
    return (
        activity.sessions.select_related("hall", "school", "division", "trip")
        .annotate(
            signed_up=Sum(
                "registrations__headcount",
                filter=Q(registrations__status=Registration.Status.CONFIRMED),
            )
        )
        .order_by("starts_at")
    )


def session_get(
    *, user: Actor, venue_id: int, session_id: int, capability: Capability = Capability.VIEW
) -> Session:
    return venue_owned_get(
        user=user,
        venue_id=venue_id,
        model=Session,
        pk=session_id,
        capability=capability,
        related=("activity", "hall", "school", "division", "trip"),
    )


def session_registrations(session: Session) -> QuerySet[Registration]:
    return session.registrations.order_by("status", "created_at")


def sessions_between(*, user: Actor, venue_id: int, start: date, end: date) -> QuerySet[Session]:
    venue = venue_get(user=user, venue_id=venue_id)
    first, after = local_range(start, end)
    return (
        Session.objects.filter(venue=venue, starts_at__gte=first, starts_at__lt=after)
        .select_related("activity", "hall", "school")
        .order_by("starts_at", "id")
    )


@dataclass
class MonthGrid:
    year: int
    month: int
    weeks: list[list[tuple[date, list[Session]]]]
    previous: date
    next: date


def month_grid(*, user: Actor, venue_id: int, year: int, month: int) -> MonthGrid:
    """The venue's sessions of a month laid out Monday to Sunday, for the calendar view."""
    first = date(year, month, 1)
    last = date(year, month, calendar.monthrange(year, month)[1])
    grid_start = first - timedelta(days=first.weekday())
    grid_end = last + timedelta(days=6 - last.weekday())
    by_day: dict[date, list[Session]] = {}
    for session in sessions_between(user=user, venue_id=venue_id, start=grid_start, end=grid_end):
        by_day.setdefault(timezone.localtime(session.starts_at).date(), []).append(session)
    weeks: list[list[tuple[date, list[Session]]]] = []
    day = grid_start
    while day <= grid_end:
        weeks.append(
            [(day + timedelta(days=i), by_day.get(day + timedelta(days=i), [])) for i in range(7)]
        )
        day += timedelta(days=7)
    return MonthGrid(
        year=year,
        month=month,
        weeks=weeks,
        previous=(first - timedelta(days=1)).replace(day=1),
        next=last + timedelta(days=1),
    )


# Figures --------------------------------------------------------------------------------------


@dataclass
class Figure:
    """A figure and whether any record behind it was marked approximate."""

    value: int | Decimal = 0
    approximate: bool = False
    records: int = 0

    def add(self, value: int | Decimal | None, approximate: bool) -> None:
        if value is None:
            return
        self.value += value
        self.approximate = self.approximate or approximate
        self.records += 1


@dataclass
class ProgrammeFigures:
    start: date
    end: date
    sessions: Figure = field(default_factory=Figure)
    participants: Figure = field(default_factory=Figure)
    online_viewers: Figure = field(default_factory=Figure)
    outreach_sessions: Figure = field(default_factory=Figure)
    outreach_participants: Figure = field(default_factory=Figure)
    theme_day_sessions: Figure = field(default_factory=Figure)
    theme_day_participants: Figure = field(default_factory=Figure)
    st_workers: Figure = field(default_factory=Figure)
    by_type: dict[str, tuple[Figure, Figure]] = field(default_factory=dict)
    caravan_trips: Figure = field(default_factory=Figure)
    caravan_km: Figure = field(default_factory=Figure)
    caravan_people: Figure = field(default_factory=Figure)
    partner_schools: Figure = field(default_factory=Figure)


def programme_figures(venue: Venue, start: date, end: date) -> ProgrammeFigures:
    """What the venue's records add up to in [start, end]: held sessions and their participants
    (in total, by type, outreach, theme days), S&T workers, caravan trips, partner schools."""
    figures = ProgrammeFigures(start=start, end=end)
    first, after = local_range(start, end)
    held = Session.objects.filter(
        venue=venue, status=SessionStatus.HELD, starts_at__gte=first, starts_at__lt=after
    ).values_list(
        "activity__activity_type",
        "place_kind",
        "activity__theme_day_id",
        "participants",
        "participants_approximate",
        "online_viewers",
        "online_approximate",
        "st_workers",
        "st_workers_approximate",
    )
    for kind, place, theme_day, people, approx, online, online_approx, workers, w_approx in held:
        figures.sessions.add(1, False)
        figures.participants.add(people, approx)
        figures.online_viewers.add(online, online_approx)
        if workers:
            figures.st_workers.add(workers, w_approx)
        sessions, participants = figures.by_type.setdefault(kind, (Figure(), Figure()))
        sessions.add(1, False)
        participants.add(people, approx)
        if place not in AT_VENUE and place != PlaceKind.ONLINE:
            figures.outreach_sessions.add(1, False)
            figures.outreach_participants.add(people, approx)
        if theme_day or kind == ActivityType.THEME_DAY_EVENT:
            figures.theme_day_sessions.add(1, False)
            figures.theme_day_participants.add(people, approx)
    trips = CaravanTrip.objects.filter(venue=venue, starts_on__gte=start, starts_on__lte=end)
    for km, km_approx in trips.values_list("km", "km_approximate"):
        figures.caravan_trips.add(1, False)
        figures.caravan_km.add(km, km_approx)
    for people, approx in TripStop.objects.filter(trip__in=trips).values_list(
        "people_served", "people_approximate"
    ):
        figures.caravan_people.add(people, approx)
    active = partnerships_active(venue, start, end)
    figures.partner_schools.add(active.values("school").distinct().count(), False)
    return figures


def partnerships_in_force(start: date, end: date) -> QuerySet[Partnership]:
    """Agreements in force at some time in [start, end], of every venue (suspended ones
    included, ended ones only while they ran): the programmes pages and the statistics count
    the same agreements."""
    return (
        Partnership.objects.filter(signed_on__lte=end)
        .filter(Q(ends_on__isnull=True) | Q(ends_on__gte=start))
        .exclude(status=Partnership.Status.ENDED, ends_on__isnull=True)
    )


def partnerships_active(venue: Venue, start: date, end: date) -> QuerySet[Partnership]:
    """The venue's agreements in force at some time in [start, end]."""
    return partnerships_in_force(start, end).filter(venue=venue)


# Schools, S&T workers, caravans, joint actions, competitions ----------------------------------


def school_list(*, user: Actor, search: str = "", division: str = "") -> QuerySet[School]:
    if scope_for(user).is_empty:
        return School.objects.none()
    schools = School.objects.select_related("division")
    if search:
        schools = schools.filter(Q(name__icontains=search) | Q(name_en__icontains=search))
    if division:
        schools = schools.filter(division__code__startswith=division.rstrip("0") or division)
    return schools.order_by("division__code", "name")


def venue_partnerships(*, user: Actor, venue_id: int) -> QuerySet[Partnership]:
    venue = venue_get(user=user, venue_id=venue_id)
    return Partnership.objects.filter(venue=venue).select_related("school__division")


@dataclass
class Coverage:
    eligible: int
    appointed: int

    @property
    def percent(self) -> Decimal | None:
        if not self.eligible:
            return None
        return (Decimal(100) * self.appointed / self.eligible).quantize(Decimal("0.1"))


def vice_principal_coverage(venue: Venue, on: date, degree: str = "master") -> Coverage:
    """Of the venue's active staff holding ``degree`` or higher, how many are science
    vice-principals of a school on ``on`` (27 of 27 = 100 %)."""
    order = ["bachelor", "master", "doctorate"]
    degrees = order[order.index(degree) :] if degree in order else order
    staff = Expert.objects.filter(
        venue=venue, kind=Expert.Kind.STAFF, is_active=True, degree__in=degrees
    )
    current = ScienceVicePrincipal.objects.filter(
        expert=OuterRef("pk"), appointed_on__lte=on
    ).filter(Q(ends_on__isnull=True) | Q(ends_on__gte=on))
    return Coverage(eligible=staff.count(), appointed=staff.filter(Exists(current)).count())


def venue_experts(*, user: Actor, venue_id: int) -> QuerySet[Expert]:
    venue = venue_get(user=user, venue_id=venue_id)
    return (
        Expert.objects.filter(venue=venue)
        .annotate(session_count=Count("sessions"))
        .order_by("-is_active", "name")
    )


def venue_caravans(*, user: Actor, venue_id: int) -> QuerySet[Caravan]:
    venue = venue_get(user=user, venue_id=venue_id)
    return Caravan.objects.filter(venue=venue)


def venue_trips(*, user: Actor, venue_id: int, year: int | None = None) -> QuerySet[CaravanTrip]:
    venue = venue_get(user=user, venue_id=venue_id)
    trips = CaravanTrip.objects.filter(venue=venue).select_related("caravan")
    if year:
        trips = trips.filter(starts_on__year=year)
    return trips.annotate(
        stop_count=Count("stops"),
        people=Sum("stops__people_served"),
        people_approximate=Max(Cast("stops__people_approximate", IntegerField())),
    ).order_by("-starts_on")


def theme_days(year: int | None = None) -> QuerySet[ThemeDay]:
    days = ThemeDay.objects.all()
    return days.filter(starts_on__year=year) if year else days


def campaign_list(*, user: Actor) -> QuerySet[Campaign]:
    """Network-wide actions for everyone signed in with a role; alliance actions for those who
    can read the alliance."""
    scope = scope_for(user)
    if scope.is_empty:
        return Campaign.objects.none()
    campaigns = Campaign.objects.select_related("alliance")
    alliances = scope.readable_alliance_ids()
    if alliances is not None:
        campaigns = campaigns.filter(Q(alliance__isnull=True) | Q(alliance_id__in=alliances))
    readable = scope.readable_venue_ids()
    counted = Q() if readable is None else Q(reports__venue_id__in=sorted(readable))
    return campaigns.annotate(report_count=Count("reports", filter=counted)).order_by(
        "-year", "name"
    )


def campaign_get(*, user: Actor, campaign_id: int) -> Campaign:
    campaign = campaign_list(user=user).filter(pk=campaign_id).first()
    if campaign is None:
        raise NotFoundError()
    return campaign


def campaign_reports(*, user: Actor, campaign: Campaign) -> QuerySet[CampaignReport]:
    """The member units' reports the caller may read."""
    reports = campaign.reports.select_related("venue", "theme")
    return scope_for(user).filter_venues(reports, "venue_id")


def campaign_totals(reports: Iterable[CampaignReport]) -> dict[str, Any]:
    units: set[int] = set()
    totals = {name: Figure() for name in ("sites", "service_team", "on_site", "online_viewers")}
    for report in reports:
        units.add(report.venue_id)
        totals["sites"].add(report.sites, False)
        totals["service_team"].add(report.service_team, False)
        totals["on_site"].add(report.on_site, report.on_site_approximate)
        totals["online_viewers"].add(report.online_viewers, report.online_approximate)
    return {"units": len(units), **totals}


def venue_competitions(*, user: Actor, venue_id: int) -> QuerySet[Competition]:
    venue = venue_get(user=user, venue_id=venue_id)
    return Competition.objects.filter(venue=venue)


def session_counts_by_status(sessions: Iterable[Session]) -> dict[str, int]:
    counts = dict.fromkeys(SessionStatus.values, 0)
    for session in sessions:
        counts[session.status] += 1
    return counts
