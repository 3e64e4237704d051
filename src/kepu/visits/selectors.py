"""Reads of the visits app: availability for the public, the day's picture for staff."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone

from kepu.core.errors import NotFoundError
from kepu.core.scopes import Capability
from kepu.network.models import Venue
from kepu.network.opening import OpeningCalendar
from kepu.network.selectors import venue_get
from kepu.visits import capacity
from kepu.visits.models import (
    Booking,
    BookingKind,
    BookingPerson,
    BookingStatus,
    DailyAttendance,
    PersonStatus,
    PoolKind,
    SeatPool,
    TimeSlot,
    VisitRules,
    WaitlistEntry,
    WaitlistStatus,
)
from kepu.visits.services.rules import bookable_until

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None


def bookable_venues(*, search: str = "") -> QuerySet[Venue]:
    venues = Venue.objects.filter(is_active=True, visit_rules__booking_enabled=True).select_related(
        "division__parent__parent"
    )
    if search:
        venues = venues.filter(Q(name__icontains=search) | Q(name_en__icontains=search))
    return venues.order_by("division_id", "name")


@dataclass
class SlotAvailability:
    slot: TimeSlot
    places_left: int
    group_places_left: int
    waiting: int = 0

    @property
    def full(self) -> bool:
        return self.places_left <= 0


def availability(venue: Venue, day: date) -> list[SlotAvailability]:
    """Every slot of a day with the places left (one query for all their pools)."""
    slots = list(TimeSlot.objects.filter(venue=venue, date=day).select_related("hall"))
    pools = list(SeatPool.objects.filter(venue=venue, date=day))
    left = capacity.remaining_by_pool(pool.pk for pool in pools)
    day_left = next((left.get(p.pk, 0) for p in pools if p.kind == PoolKind.DAY), None)
    by_slot: dict[int, dict[str, int]] = defaultdict(dict)
    for pool in pools:
        if pool.slot_id is not None:
            by_slot[pool.slot_id][pool.kind] = left.get(pool.pk, 0)
    waiting = dict(
        WaitlistEntry.objects.filter(venue=venue, date=day, status=WaitlistStatus.WAITING)
        .values_list("slot_id")
        .annotate(n=Count("id"))
    )
    result = []
    for slot in slots:
        public = by_slot[slot.pk].get(PoolKind.PUBLIC, 0)
        group = by_slot[slot.pk].get(PoolKind.GROUP, 0)
        if day_left is not None:
            public, group = min(public, day_left), min(group, day_left)
        if slot.is_closed:
            public = group = 0
        result.append(SlotAvailability(slot, public, group, waiting.get(slot.pk, 0)))
    return sorted(result, key=lambda a: (a.slot.hall_id or 0, a.slot.starts_at))


@dataclass
class BookingDay:
    day: date
    is_open: bool
    explanation: str
    places_left: int
    bookable: bool


def booking_days(venue: Venue, rules: VisitRules) -> list[BookingDay]:
    """The dates of the booking window, with whether each is open and how many places are left."""
    today = timezone.localdate()
    last = bookable_until(rules)
    horizon = today + timedelta(days=rules.booking_window_days)
    opening = OpeningCalendar.for_venue(venue, today, horizon)
    pools = SeatPool.objects.filter(
        venue=venue, date__range=(today, horizon), kind=PoolKind.PUBLIC, slot__is_closed=False
    )
    left_by_pool = capacity.remaining_by_pool(pools.values_list("id", flat=True))
    left_by_day: dict[date, int] = defaultdict(int)
    for pool_id, pool_day in pools.values_list("id", "date"):
        left_by_day[pool_day] += left_by_pool.get(pool_id, 0)
    return [
        BookingDay(
            day=status.day,
            is_open=status.is_open,
            explanation=status.explanation,
            places_left=left_by_day.get(status.day, 0),
            bookable=status.is_open and status.day <= last,
        )
        for status in opening.days(today, horizon)
    ]


@dataclass
class SlotFigures:
    slot: TimeSlot
    booked: int = 0
    checked_in: int = 0
    no_shows: int = 0
    group_booked: int = 0
    group_pending: int = 0
    group_checked_in: int = 0
    waiting: int = 0
    places_left: int = 0


@dataclass
class DayOverview:
    venue: Venue
    day: date
    slots: list[SlotFigures] = field(default_factory=list)
    pending_groups: list[Booking] = field(default_factory=list)
    attendance: DailyAttendance | None = None

    @property
    def totals(self) -> SlotFigures:
        total = SlotFigures(slot=TimeSlot())
        for row in self.slots:
            for name in (
                "booked",
                "checked_in",
                "no_shows",
                "group_booked",
                "group_pending",
                "group_checked_in",
                "waiting",
                "places_left",
            ):
                setattr(total, name, getattr(total, name) + getattr(row, name))
        return total


def day_overview(*, user: Actor, venue_id: int, day: date) -> DayOverview:
    """Bookings, check-ins and no-shows per slot for one day (a handful of grouped queries)."""
    venue = venue_get(user=user, venue_id=venue_id)
    people = (
        BookingPerson.objects.filter(venue=venue, date=day, status=PersonStatus.CONFIRMED)
        .values("booking__slot_id")
        .annotate(
            booked=Count("id"),
            checked_in=Count("id", filter=Q(checked_in_at__isnull=False)),
            no_shows=Count("id", filter=Q(no_show=True)),
        )
    )
    by_slot: dict[int, dict[str, Any]] = {row["booking__slot_id"]: dict(row) for row in people}
    groups = (
        Booking.objects.filter(venue=venue, date=day, kind=BookingKind.GROUP)
        .values("slot_id")
        .annotate(
            confirmed=Sum("party_size", filter=Q(status=BookingStatus.CONFIRMED)),
            pending=Sum("party_size", filter=Q(status=BookingStatus.PENDING)),
            checked_in=Sum("group_checked_in"),
        )
    )
    group_rows: dict[int, dict[str, Any]] = {row["slot_id"]: dict(row) for row in groups}
    overview = DayOverview(venue=venue, day=day)
    for item in availability(venue, day):
        row = by_slot.get(item.slot.pk, {})
        group = group_rows.get(item.slot.pk, {})
        overview.slots.append(
            SlotFigures(
                slot=item.slot,
                booked=row.get("booked", 0),
                checked_in=row.get("checked_in", 0),
                no_shows=row.get("no_shows", 0),
                group_booked=group.get("confirmed") or 0,
                group_pending=group.get("pending") or 0,
                group_checked_in=group.get("checked_in") or 0,
                waiting=item.waiting,
                places_left=item.places_left,
            )
        )
    overview.pending_groups = list(
        Booking.objects.filter(
            venue=venue, kind=BookingKind.GROUP, status=BookingStatus.PENDING, date__gte=day
        )
        .select_related("slot")
        .order_by("date", "slot__starts_at")[:50]
    )
    overview.attendance = DailyAttendance.objects.filter(venue=venue, date=day).first()
    return overview


def slot_bookings(
    *, user: Actor, venue_id: int, slot_id: int
) -> tuple[TimeSlot, QuerySet[Booking]]:
    venue = venue_get(user=user, venue_id=venue_id)
    slot = TimeSlot.objects.filter(venue=venue, pk=slot_id).first()
    if slot is None:
        raise NotFoundError()
    bookings = (
        Booking.objects.filter(slot=slot)
        .exclude(status=BookingStatus.DECLINED)
        .prefetch_related("people")
        .order_by("created_at")
    )
    return slot, bookings


@dataclass
class AttendanceYear:
    venue: Venue
    year: int
    days: list[DailyAttendance]
    visits: int
    approximate: bool
    peak: DailyAttendance | None
    by_month: list[tuple[int, int]]


def attendance_year(*, user: Actor, venue_id: int, year: int) -> AttendanceYear:
    venue = venue_get(user=user, venue_id=venue_id)
    days = list(DailyAttendance.objects.filter(venue=venue, date__year=year).order_by("date"))
    months: dict[int, int] = defaultdict(int)
    for record in days:
        months[record.date.month] += record.visits
    return AttendanceYear(
        venue=venue,
        year=year,
        days=days,
        visits=sum(record.visits for record in days),
        approximate=any(record.approximate for record in days),
        peak=max(days, key=lambda record: record.visits, default=None),
        by_month=[(month, months.get(month, 0)) for month in range(1, 13)],
    )


def gate_venue(*, user: Actor, venue_id: int) -> Venue:
    return venue_get(user=user, venue_id=venue_id, capability=Capability.OPERATE_GATE)
