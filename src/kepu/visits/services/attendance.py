"""Daily attendance: the records reports take visits from.

A day of bookings is closed once it is over (``kepu close-visit-days``, nightly): visitors who
did not come are marked no-shows, repeat no-shows are barred for a while, and the day's figures
are written. Venues that count with turnstiles or by hand record their days with
``attendance_record_day`` instead; such figures may be marked approximate (约).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.translation import gettext as _

from kepu.core.audit import audit_record, snapshot
from kepu.core.errors import ApplicationError
from kepu.core.scopes import Capability, require_venue
from kepu.network.models import Venue
from kepu.visits.models import (
    AttendanceSource,
    Booking,
    BookingKind,
    BookingPerson,
    BookingStatus,
    DailyAttendance,
    PersonStatus,
    VisitorBan,
    VisitRules,
)
from kepu.visits.services.booking import bans_key
from kepu.visits.services.gate import gate_figures

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from kepu.core.models import User

    Actor = User | AnonymousUser | None

RECORD_FIELDS = frozenset(
    {
        "visits",
        "booked",
        "checked_in",
        "group_booked",
        "group_visits",
        "walk_ins",
        "no_shows",
        "exits",
        "approximate",
        "note",
    }
)


def day_figures(venue: Venue, day: date) -> dict[str, int]:
    """The day's figures from bookings and the gate (entry to the venue, not theatre shows)."""
    people = BookingPerson.objects.filter(venue=venue, date=day, hall_key=0)
    counts = people.aggregate(
        booked=Count("id", filter=Q(status=PersonStatus.CONFIRMED)),
        no_shows=Count("id", filter=Q(status=PersonStatus.CONFIRMED, no_show=True)),
    )
    group_booked = (
        Booking.objects.filter(
            venue=venue,
            date=day,
            kind=BookingKind.GROUP,
            status=BookingStatus.CONFIRMED,
            slot__hall__isnull=True,
        ).aggregate(n=Sum("party_size"))["n"]
        or 0
    )
    gate = gate_figures(venue, day)
    return {
        "booked": counts["booked"],
        "checked_in": gate.checked_in,
        "group_booked": group_booked,
        "group_visits": gate.group_visits,
        "walk_ins": gate.walk_ins,
        "no_shows": counts["no_shows"],
        "exits": gate.exits,
        "visits": gate.entered,
    }


def _ban_repeat_no_shows(venue: Venue, rules: VisitRules, day: date, hashes: set[str]) -> int:
    if not rules.no_show_limit or not hashes:
        return 0
    since = day - timedelta(days=rules.no_show_window_days)
    repeated = (
        BookingPerson.objects.filter(
            venue=venue, id_hash__in=list(hashes), no_show=True, date__gt=since, date__lte=day
        )
        .values("id_hash")
        .annotate(n=Count("id"))
        .filter(n__gte=rules.no_show_limit)
    )
    already = set(
        VisitorBan.objects.filter(venue=venue, id_hash__in=list(hashes), until__gt=day).values_list(
            "id_hash", flat=True
        )
    )
    bans = [
        VisitorBan(
            venue=venue,
            id_hash=str(row["id_hash"]),
            no_shows=row["n"],
            until=day + timedelta(days=rules.ban_days),
        )
        for row in repeated
        if row["id_hash"] not in already
    ]
    VisitorBan.objects.bulk_create(bans)
    if bans:
        # Forget "nobody is barred" now and again once committed, so no booking misses the ban.
        cache.delete(bans_key(venue.pk))
        transaction.on_commit(lambda: cache.delete(bans_key(venue.pk)))
    return len(bans)


@transaction.atomic
def attendance_close_day(*, venue: Venue, day: date) -> DailyAttendance:
    """Mark the day's no-shows, bar repeat no-shows, and write the day's attendance record."""
    if day >= timezone.localdate():
        raise ApplicationError.for_field("date", _("A day can be closed once it is over."))
    no_shows = BookingPerson.objects.filter(
        venue=venue,
        date=day,
        status=PersonStatus.CONFIRMED,
        checked_in_at__isnull=True,
        no_show=False,
    )
    hashes = {h for h in no_shows.values_list("id_hash", flat=True) if h is not None}
    no_shows.update(no_show=True)
    rules = VisitRules.objects.filter(venue=venue).first()
    banned = _ban_repeat_no_shows(venue, rules, day, hashes) if rules else 0
    figures = day_figures(venue, day)
    record, _created = DailyAttendance.objects.select_for_update().get_or_create(
        venue=venue, date=day
    )
    before = snapshot(record)
    for field, value in figures.items():
        setattr(record, field, value)
    record.source = AttendanceSource.BOOKINGS
    record.approximate = False
    record.recorded_at = timezone.now()
    record.save()
    audit_record(
        actor=None,
        actor_name="kepu",
        action="attendance.close_day",
        target=record,
        before=before,
        after={**snapshot(record), "bans": banned},
        venue=venue,
    )
    return record


@transaction.atomic
def attendance_record_day(
    *,
    actor: Actor,
    venue: Venue,
    day: date,
    data: Mapping[str, Any],
    source: str = AttendanceSource.MANUAL,
) -> DailyAttendance:
    """Record a day's counts taken outside kepu's bookings (turnstiles, hand counts)."""
    require_venue(actor, venue, Capability.MANAGE_VISITS)
    unknown = set(data) - RECORD_FIELDS
    if unknown:
        raise ApplicationError(
            _("Unknown figures: %(names)s") % {"names": ", ".join(sorted(unknown))}
        )
    if source not in (AttendanceSource.MANUAL, AttendanceSource.IMPORTED):
        raise ApplicationError.for_field("source", _("Choose manual or imported figures."))
    if day > timezone.localdate():
        raise ApplicationError.for_field(
            "date", _("Attendance cannot be recorded for a future day.")
        )
    for field, value in data.items():
        if field in RECORD_FIELDS - {"approximate", "note"} and (
            not isinstance(value, int) or value < 0
        ):
            raise ApplicationError.for_field(field, _("Enter a whole number of people, 0 or more."))
    record, created = DailyAttendance.objects.select_for_update().get_or_create(
        venue=venue, date=day, defaults={"source": source}
    )
    before = None if created else snapshot(record)
    for field, value in data.items():
        setattr(record, field, value)
    record.source = source
    record.recorded_at = timezone.now()
    record.save()
    audit_record(
        actor=actor,
        action="attendance.record",
        target=record,
        before=before,
        after=snapshot(record),
        venue=venue,
    )
    return record


@dataclass(frozen=True)
class AttendanceRow:
    day: date
    visits: int
    approximate: bool = False
    note: str = ""


@transaction.atomic
def attendance_import(
    *,
    actor: Actor,
    venue: Venue,
    rows: Sequence[AttendanceRow],
    source: str = AttendanceSource.IMPORTED,
) -> int:
    """Save many days of counts at once; every row is checked first and nothing is saved if
    any row is wrong (the reasons name the rows). Days already recorded are overwritten."""
    require_venue(actor, venue, Capability.MANAGE_VISITS)
    today = timezone.localdate()
    errors: dict[str, list[str]] = {}
    seen: set[date] = set()
    for index, row in enumerate(rows, start=1):
        if row.day > today:
            errors.setdefault(f"rows.{index}", []).append(_("A future day cannot have visits."))
        if row.visits < 0:
            errors.setdefault(f"rows.{index}", []).append(_("Visits cannot be negative."))
        if row.day in seen:
            errors.setdefault(f"rows.{index}", []).append(_("This day appears twice."))
        seen.add(row.day)
    if errors:
        raise ApplicationError(
            _("%(n)s rows are wrong; nothing was saved.") % {"n": len(errors)}, fields=errors
        )
    now = timezone.now()
    DailyAttendance.objects.filter(venue=venue, date__in=seen).delete()
    DailyAttendance.objects.bulk_create(
        [
            DailyAttendance(
                venue=venue,
                date=row.day,
                visits=row.visits,
                approximate=row.approximate,
                note=row.note[:255],
                source=source,
                recorded_at=now,
            )
            for row in rows
        ],
        batch_size=1000,
    )
    audit_record(
        actor=actor,
        action="attendance.import",
        target=venue,
        after={
            "days": len(rows),
            "first": min(seen).isoformat() if seen else None,
            "last": max(seen).isoformat() if seen else None,
            "visits": sum(row.visits for row in rows),
            "source": source,
        },
        venue=venue,
    )
    return len(rows)
