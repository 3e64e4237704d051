"""Reading volunteers within the caller's scope, and the figures their records add up to.

Hours are summed from the minutes credited on served shifts (check-in and check-out, or the
coordinator's record, or a correction): no figure here is stored on its own.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Exists, OuterRef, Prefetch, Q, QuerySet, Sum
from django.db.models.functions import Coalesce, ExtractMonth
from django.utils import timezone

from kepu.core import crypto
from kepu.core.errors import NotFoundError
from kepu.core.scopes import Capability
from kepu.network.selectors import venue_get
from kepu.programs.selectors import local_range
from kepu.visits.identity import normalise_number
from kepu.volunteers.models import (
    HOLDING_PLACE,
    ON_ROLL,
    Application,
    ApplicationStatus,
    Assignment,
    AssignmentStatus,
    Category,
    Certificate,
    Drive,
    Shift,
    ShiftPost,
    ShiftStatus,
    Team,
    Volunteer,
    VolunteerSettings,
    VolunteerStatus,
    hours_from_minutes,
)

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

SERVED = AssignmentStatus.COMPLETED


def _served_in(start: date | None, end: date | None, prefix: str = "") -> Q:
    condition = Q(**{f"{prefix}status": SERVED})
    if start is not None and end is not None:
        first, after = local_range(start, end)
        condition &= Q(**{f"{prefix}starts_at__gte": first, f"{prefix}starts_at__lt": after})
    return condition


# What volunteers served --------------------------------------------------------------------------


@dataclass
class Served:
    minutes: int = 0
    tours: int = 0
    shifts: int = 0
    no_shows: int = 0
    tour_shifts: int = 0  # served shifts on posts that record guided tours

    @property
    def hours(self) -> Decimal:
        return hours_from_minutes(self.minutes)


def served(
    volunteer_ids: Iterable[int], start: date | None = None, end: date | None = None
) -> dict[int, Served]:
    """Per volunteer: minutes, tours, shifts served and no-shows, in [start, end] (local days)."""
    assignments = Assignment.objects.filter(
        volunteer_id__in=list(volunteer_ids),
        status__in=[AssignmentStatus.COMPLETED, AssignmentStatus.NO_SHOW],
    )
    if start is not None and end is not None:
        first, after = local_range(start, end)
        assignments = assignments.filter(starts_at__gte=first, starts_at__lt=after)
    done = Q(status=SERVED)
    rows = assignments.values("volunteer_id").annotate(
        minutes=Coalesce(Sum("minutes", filter=done), 0),
        tours=Coalesce(Sum("tours", filter=done), 0),
        shifts=Count("id", filter=done),
        no_shows=Count("id", filter=Q(status=AssignmentStatus.NO_SHOW)),
        tour_shifts=Count("id", filter=done & Q(shift_post__post__counts_tours=True)),
    )
    return {
        row["volunteer_id"]: Served(
            minutes=row["minutes"],
            tours=row["tours"],
            shifts=row["shifts"],
            no_shows=row["no_shows"],
            tour_shifts=row["tour_shifts"],
        )
        for row in rows
    }


def settings_of(venue_id: int) -> VolunteerSettings:
    return VolunteerSettings.objects.filter(venue_id=venue_id).first() or VolunteerSettings(
        venue_id=venue_id
    )


@dataclass
class Summary:
    """A volunteer's record at a glance: hours, stars, this year, probation progress."""

    total: Served
    this_year: Served
    stars: int
    next_star_hours: int | None
    settings: VolunteerSettings
    probation: Served | None = None

    @property
    def hours_to_next_star(self) -> Decimal | None:
        if self.next_star_hours is None:
            return None
        return max(Decimal(0), Decimal(self.next_star_hours) - self.total.hours)


def volunteer_summary(volunteer: Volunteer, today: date | None = None) -> Summary:
    today = today or timezone.localdate()
    rules = settings_of(volunteer.venue_id)
    total = served([volunteer.pk]).get(volunteer.pk, Served())
    year = served([volunteer.pk], date(today.year, 1, 1), date(today.year, 12, 31))
    stars = rules.stars_for(total.minutes)
    thresholds = rules.star_thresholds
    probation = None
    if volunteer.status == VolunteerStatus.PROBATION:
        probation = served([volunteer.pk], volunteer.joined_on, today).get(volunteer.pk, Served())
    return Summary(
        total=total,
        this_year=year.get(volunteer.pk, Served()),
        stars=stars,
        next_star_hours=thresholds[stars] if stars < len(thresholds) else None,
        settings=rules,
        probation=probation,
    )


# Volunteers and applications ---------------------------------------------------------------------


def _search_q(search: str) -> Q:
    """Exact lookups through the blind indexes (ID or mobile number), else the number."""
    text = normalise_number(search)
    if text.isdigit() and len(text) == 11:
        return Q(phone_hash=crypto.blind_index(f"+86{text}", purpose="phone"))
    if len(text) >= 15:
        return Q(id_hash=crypto.blind_index(text, purpose="id"))
    return Q(number__icontains=text) if text else Q()


def volunteer_list(
    *,
    user: Actor,
    venue_id: int,
    status: str = "",
    team_id: int | None = None,
    category: str = "",
    search: str = "",
) -> QuerySet[Volunteer]:
    venue = venue_get(user=user, venue_id=venue_id, capability=Capability.MANAGE_VOLUNTEERS)
    volunteers = Volunteer.objects.filter(venue=venue).select_related("team", "college")
    if status == "on_roll":
        volunteers = volunteers.filter(status__in=ON_ROLL)
    elif status:
        volunteers = volunteers.filter(status=status)
    if team_id:
        volunteers = volunteers.filter(team_id=team_id)
    if category:
        volunteers = volunteers.filter(category=category)
    if search.strip():
        volunteers = volunteers.filter(_search_q(search))
    served_ever = _served_in(None, None, "assignments__")
    return volunteers.annotate(
        minutes_total=Coalesce(Sum("assignments__minutes", filter=served_ever), 0)
    ).order_by("number")


def volunteer_get(
    *,
    user: Actor,
    venue_id: int,
    volunteer_id: int,
    capability: Capability = Capability.MANAGE_VOLUNTEERS,
) -> Volunteer:
    venue = venue_get(user=user, venue_id=venue_id, capability=capability)
    found = (
        Volunteer.objects.filter(venue=venue, pk=volunteer_id)
        .select_related("venue", "team", "college", "user", "application__drive")
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def own_volunteer_get(*, user: Actor, volunteer_id: int) -> Volunteer:
    """A signed-in volunteer's own record; anybody else's is "not found"."""
    if user is None or not user.is_authenticated:
        raise NotFoundError()
    found = (
        Volunteer.objects.filter(pk=volunteer_id, user_id=user.pk)
        .select_related("venue", "team", "college")
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def my_records(user: Actor) -> tuple[list[Volunteer], list[Application]]:
    """The signed-in person's volunteer records (any venue) and their applications."""
    if user is None or not user.is_authenticated:
        return [], []
    volunteers = list(
        Volunteer.objects.filter(user_id=user.pk).select_related("venue", "team").order_by("pk")
    )
    applications = list(
        Application.objects.filter(user_id=user.pk)
        .select_related("drive", "venue")
        .order_by("-created_at")
    )
    return volunteers, applications


def application_list(
    *,
    user: Actor,
    venue_id: int,
    drive_id: int | None = None,
    status: str = "",
    category: str = "",
    search: str = "",
) -> QuerySet[Application]:
    venue = venue_get(user=user, venue_id=venue_id, capability=Capability.MANAGE_VOLUNTEERS)
    applications = Application.objects.filter(venue=venue).select_related("drive", "college")
    if drive_id:
        applications = applications.filter(drive_id=drive_id)
    if status:
        applications = applications.filter(status=status)
    if category:
        applications = applications.filter(category=category)
    text = normalise_number(search)
    if text:
        applications = applications.filter(
            Q(reference=text) | (_search_q(text) if len(text) >= 11 else Q(pk__in=[]))
        )
    return applications.order_by("-created_at", "-id")


def application_get(*, user: Actor, venue_id: int, application_id: int) -> Application:
    venue = venue_get(user=user, venue_id=venue_id, capability=Capability.MANAGE_VOLUNTEERS)
    found = (
        Application.objects.filter(venue=venue, pk=application_id)
        .select_related("venue", "drive", "college", "user")
        .first()
    )
    if found is None:
        raise NotFoundError()
    return found


def pipeline(venue_id: int, drive_id: int | None = None) -> dict[str, int]:
    """Applications by stage (all stages present, zero when empty)."""
    applications = Application.objects.filter(venue_id=venue_id)
    if drive_id:
        applications = applications.filter(drive_id=drive_id)
    counts = dict(applications.values_list("status").annotate(n=Count("id")).order_by())
    return {stage: int(counts.get(stage, 0)) for stage in ApplicationStatus.values}


def roll_counts(venue_id: int) -> dict[str, int]:
    counts = dict(
        Volunteer.objects.filter(venue_id=venue_id)
        .values_list("status")
        .annotate(n=Count("id"))
        .order_by()
    )
    return {status: int(counts.get(status, 0)) for status in VolunteerStatus.values}


def drive_list(*, user: Actor, venue_id: int) -> QuerySet[Drive]:
    venue = venue_get(user=user, venue_id=venue_id, capability=Capability.MANAGE_VOLUNTEERS)
    return (
        Drive.objects.filter(venue=venue)
        .annotate(
            applied=Count("applications"),
            accepted=Count(
                "applications", filter=Q(applications__status=ApplicationStatus.ACCEPTED)
            ),
        )
        .select_related("venue")
        .prefetch_related("colleges")
        .order_by("-opens_on", "-id")
    )


def drive_get(*, user: Actor, venue_id: int, drive_id: int) -> Drive:
    venue = venue_get(user=user, venue_id=venue_id, capability=Capability.MANAGE_VOLUNTEERS)
    found = Drive.objects.filter(venue=venue, pk=drive_id).select_related("venue").first()
    if found is None:
        raise NotFoundError()
    return found


def open_drives(today: date | None = None) -> QuerySet[Drive]:
    """Drives the public may apply to today, soonest closing first."""
    today = today or timezone.localdate()
    return (
        Drive.objects.filter(
            status=Drive.Status.OPEN,
            opens_on__lte=today,
            closes_on__gte=today,
            venue__is_active=True,
        )
        .select_related("venue__division")
        .prefetch_related("colleges")
        .order_by("closes_on", "id")
    )


def team_list(venue_id: int) -> QuerySet[Team]:
    return (
        Team.objects.filter(venue_id=venue_id)
        .select_related("leader", "college")
        .annotate(member_count=Count("members", filter=Q(members__status__in=ON_ROLL)))
        .order_by("-is_active", "name")
    )


# Shifts ------------------------------------------------------------------------------------------


def _with_posts(shifts: QuerySet[Shift]) -> QuerySet[Shift]:
    return shifts.select_related("hall", "team").prefetch_related(
        Prefetch("posts", queryset=ShiftPost.objects.select_related("post").order_by("post__name"))
    )


def shifts_between(*, user: Actor, venue_id: int, start: date, end: date) -> QuerySet[Shift]:
    venue = venue_get(user=user, venue_id=venue_id)
    first, after = local_range(start, end)
    return _with_posts(
        Shift.objects.filter(venue=venue, starts_at__gte=first, starts_at__lt=after)
    ).order_by("starts_at", "id")


def shift_get(
    *, user: Actor, venue_id: int, shift_id: int, capability: Capability = Capability.VIEW
) -> Shift:
    venue = venue_get(user=user, venue_id=venue_id, capability=capability)
    found = _with_posts(Shift.objects.filter(venue=venue, pk=shift_id)).select_related("venue")
    shift = found.first()
    if shift is None:
        raise NotFoundError()
    return shift


def shift_assignments(shift: Shift) -> QuerySet[Assignment]:
    return (
        shift.assignments.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("volunteer__team", "shift_post__post")
        .order_by("shift_post__post__name", "volunteer__number")
    )


@dataclass
class Fill:
    places: int = 0
    taken: int = 0
    served: int = 0
    no_shows: int = 0

    @property
    def percent_filled(self) -> Decimal | None:
        """Places taken (kept or not) over places offered, in per cent."""
        if not self.places:
            return None
        return (Decimal(100 * self.taken) / Decimal(self.places)).quantize(Decimal("0.1"))


@dataclass
class FillRates:
    overall: Fill
    by_post: list[tuple[str, Fill]] = field(default_factory=list)


def fill_rates(venue_id: int, start: date, end: date) -> FillRates:
    """How full the shifts of [start, end] were (not cancelled ones), per post and overall."""
    first, after = local_range(start, end)
    entries = ShiftPost.objects.filter(
        venue_id=venue_id,
        shift__status=ShiftStatus.PLANNED,
        shift__starts_at__gte=first,
        shift__starts_at__lt=after,
    )
    places = dict(entries.values_list("post__name").annotate(n=Sum("places")).order_by())
    taken_rows = (
        Assignment.objects.filter(shift_post__in=entries)
        .values_list("shift_post__post__name")
        .annotate(
            taken=Count("id", filter=Q(status__in=[*HOLDING_PLACE, AssignmentStatus.NO_SHOW])),
            served=Count("id", filter=Q(status=SERVED)),
            no_shows=Count("id", filter=Q(status=AssignmentStatus.NO_SHOW)),
        )
        .order_by()
    )
    taken = {name: (t, s, n) for name, t, s, n in taken_rows}
    overall = Fill()
    by_post = []
    for name in sorted(places):
        t, s, n = taken.get(name, (0, 0, 0))
        fill = Fill(places=int(places[name]), taken=t, served=s, no_shows=n)
        by_post.append((name, fill))
        overall.places += fill.places
        overall.taken += t
        overall.served += s
        overall.no_shows += n
    return FillRates(overall=overall, by_post=by_post)


@dataclass
class TeamMonths:
    team: str
    months: list[int]  # minutes, January … December

    @property
    def total(self) -> int:
        return sum(self.months)

    @property
    def hours(self) -> list[Decimal]:
        return [hours_from_minutes(m) for m in self.months]

    @property
    def total_hours(self) -> Decimal:
        return hours_from_minutes(self.total)


def hours_by_team_month(venue_id: int, year: int, no_team: str = "") -> list[TeamMonths]:
    """Minutes served per team and month of the year (volunteers without a team together)."""
    first, after = local_range(date(year, 1, 1), date(year, 12, 31))
    rows = (
        Assignment.objects.filter(
            venue_id=venue_id, status=SERVED, starts_at__gte=first, starts_at__lt=after
        )
        .annotate(month=ExtractMonth("starts_at"))
        .values_list("volunteer__team__name", "month")
        .annotate(minutes=Sum("minutes"))
        .order_by()
    )
    table: dict[str, list[int]] = defaultdict(lambda: [0] * 12)
    for team, month, minutes in rows:
        table[team or no_team][month - 1] += int(minutes or 0)
    return [TeamMonths(team=name, months=table[name]) for name in sorted(table)]


def open_shifts_for(
    volunteer: Volunteer, now: datetime | None = None, days: int = 45
) -> QuerySet[ShiftPost]:
    """Places the volunteer may sign up for: coming shifts of their venue (and their team's),
    with places left, whether they hold a place on that shift already."""
    now = now or timezone.now()
    mine = Assignment.objects.filter(
        shift_id=OuterRef("shift_id"), volunteer=volunteer, status__in=HOLDING_PLACE
    )
    return (
        ShiftPost.objects.filter(
            venue_id=volunteer.venue_id,
            shift__status=ShiftStatus.PLANNED,
            shift__starts_at__gt=now,
            shift__starts_at__lt=now + timedelta(days=days),
            post__is_active=True,
        )
        .filter(Q(shift__team__isnull=True) | Q(shift__team_id=volunteer.team_id))
        .annotate(on_shift=Exists(mine))
        .select_related("shift__hall", "post__required_course")
        .order_by("shift__starts_at", "shift_id", "post__name")
    )


def volunteer_assignments(volunteer: Volunteer) -> QuerySet[Assignment]:
    return (
        volunteer.assignments.exclude(status=AssignmentStatus.CANCELLED)
        .select_related("shift__hall", "shift_post__post")
        .order_by("-starts_at")
    )


def certificate_list(volunteer: Volunteer) -> QuerySet[Certificate]:
    return volunteer.certificates.order_by("-issued_at")


# Figures for reports -----------------------------------------------------------------------------


def volunteer_figures(venue_ids: Iterable[int], start: date, end: date) -> dict[str, Any]:
    """What the venues' volunteer records add up to in [start, end] (local days), for reports.

    * ``volunteers_registered`` — on the roll at some time in the period (joined by its end,
      not left before its start);
    * ``volunteers_active`` — distinct volunteers who served at least one shift in the period;
    * ``volunteers_new`` — joined in the period;
    * ``volunteer_hours`` — hours served (Decimal, one decimal) and ``volunteer_service_times``
      the shifts served (人次);
    * ``experts_mobilised`` — distinct S&T expert volunteers who served in the period;
    * ``applications`` / ``applications_accepted`` — received and accepted in the period;
    * ``no_shows`` — sign-ups not kept.
    """
    ids = sorted(set(venue_ids))
    first, after = local_range(start, end)
    served_here = Assignment.objects.filter(
        venue_id__in=ids, status=SERVED, starts_at__gte=first, starts_at__lt=after
    )
    totals = served_here.aggregate(
        minutes=Coalesce(Sum("minutes"), 0),
        times=Count("id"),
        people=Count("volunteer_id", distinct=True),
        experts=Count("volunteer_id", distinct=True, filter=Q(volunteer__category=Category.EXPERT)),
    )
    volunteers = Volunteer.objects.filter(venue_id__in=ids)
    applications = Application.objects.filter(
        venue_id__in=ids, created_at__gte=first, created_at__lt=after
    )
    return {
        "volunteers_registered": volunteers.filter(joined_on__lte=end)
        .exclude(left_on__lt=start)
        .count(),
        "volunteers_active": totals["people"],
        "volunteers_new": volunteers.filter(joined_on__gte=start, joined_on__lte=end).count(),
        "volunteer_hours": hours_from_minutes(totals["minutes"]),
        "volunteer_service_times": totals["times"],
        "experts_mobilised": totals["experts"],
        "applications": applications.count(),
        "applications_accepted": Application.objects.filter(
            venue_id__in=ids,
            status=ApplicationStatus.ACCEPTED,
            decided_at__gte=first,
            decided_at__lt=after,
        ).count(),
        "no_shows": Assignment.objects.filter(
            venue_id__in=ids,
            status=AssignmentStatus.NO_SHOW,
            starts_at__gte=first,
            starts_at__lt=after,
        ).count(),
    }
