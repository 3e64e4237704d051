"""A bookable venue: 集安市科技馆 with published rules and two daily slots."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.utils import timezone

from kepu.core.models import User
from kepu.network.models import Venue
from kepu.visits.identity import check_digit
from kepu.visits.models import Booking, TimeSlot, VisitRules
from kepu.visits.services.booking import PartyMember
from kepu.visits.services.rules import slots_ensure, visit_rules_save


def resident_id(serial: int, born: date = date(1990, 5, 17), region: str = "220582") -> str:
    """A valid resident ID number (GB 11643 check digit) for test visitor number ``serial``."""
    first = f"{region}{born:%Y%m%d}{serial % 1000:03d}"
    return first + check_digit(first)


def adult(serial: int, name: str = "测试游客") -> PartyMember:
    born = date(1970 + serial // 1000 % 30, 1 + serial // 10 % 12, 1 + serial % 28)
    return PartyMember(
        name=f"{name}{serial}", id_type="resident_id", id_number=resident_id(serial, born)
    )


def future_open_day(venue: Venue, start: date | None = None) -> date:
    """The first Wednesday-to-Sunday day after ``start`` (Ji'an's pattern), avoiding holidays."""
    day = (start or timezone.localdate()) + timedelta(days=1)
    while day.weekday() < 2:
        day += timedelta(days=1)
    return day


@pytest.fixture
def bookable(db: Any, users: dict[str, User], jian: Venue) -> Venue:
    """Ji'an as the demo sets it up (上午场 09:00–11:30 and 下午场 13:30–16:00, 150 places on
    working days with 50 for groups), with the rules these tests rely on."""
    visit_rules_save(
        actor=users["jian"],
        venue=jian,
        data={
            "booking_window_days": 7,
            "max_party_size": 4,
            "walk_ins_allowed": True,
            "inside_cap": 500,
            "cancel_cutoff_minutes": 60,
        },
    )
    # Start from an empty week: the demo's own bookings would fill these tests' slots.
    Booking.objects.filter(venue=jian).delete()
    TimeSlot.objects.filter(venue=jian).delete()
    today = timezone.localdate()
    slots_ensure(jian, today, today + timedelta(days=7))
    return jian


def slot_on(venue: Venue, day: date, name: str = "上午场") -> TimeSlot:
    return TimeSlot.objects.get(venue=venue, date=day, name=name)


def rules(venue: Venue) -> VisitRules:
    return VisitRules.objects.get(venue=venue)


def at(day: date, hour: int, minute: int = 0) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))
