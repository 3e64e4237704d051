"""Booking rules: the party, the window, bans, idempotency, one ID per day, cancellation."""

from __future__ import annotations

from datetime import date, time, timedelta
from typing import Any

import pytest
import time_machine
from django.db import connection
from django.utils import timezone

from kepu.core.errors import ApplicationError, ConflictError
from kepu.core.models import AuditEntry, User
from kepu.network.models import Venue
from kepu.visits import capacity
from kepu.visits.models import Booking, BookingPerson, PoolKind, SeatPool, VisitorBan
from kepu.visits.services.booking import (
    PartyMember,
    booking_cancel,
    booking_create,
    booking_find,
    qr_payload,
    reference_from_qr,
)
from kepu.visits.services.rules import slots_ensure, visit_rules_save
from tests.visits.conftest import adult, at, future_open_day, resident_id, slot_on

pytestmark = pytest.mark.django_db
PHONE = "13812345678"


def book(venue: Venue, slot_id: int, *people: PartyMember, key: str | None = None) -> Booking:
    return booking_create(
        venue=venue, slot_id=slot_id, people=list(people), phone=PHONE, idempotency_key=key
    ).booking


def places_left(slot_id: int) -> int:
    pool = SeatPool.objects.get(slot_id=slot_id, kind=PoolKind.PUBLIC)
    return capacity.remaining_by_pool([pool.pk])[pool.pk]


def test_a_booking_takes_places_and_hides_personal_data(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    before = places_left(slot.pk)
    booking = book(bookable, slot.pk, adult(1, "张三"), adult(2, "李四"))
    assert booking.party_size == 2 and places_left(slot.pk) == before - 2
    assert len(booking.reference) == 8
    person = BookingPerson.objects.filter(booking=booking).order_by("id").first()
    assert person is not None
    number = resident_id(1, date(1970, 1, 2))
    assert person.id_masked == number[:4] + "*" * 10 + number[-4:]
    assert person.name_masked == "张**"
    assert booking.phone_masked == "138****5678"
    # The raw columns hold neither the ID number nor the phone number.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT id_encrypted, name_encrypted FROM visits_bookingperson WHERE id = %s",
            [person.pk],
        )
        raw_id, raw_name = cursor.fetchone()
        cursor.execute("SELECT phone_encrypted FROM visits_booking WHERE id = %s", [booking.pk])
        (raw_phone,) = cursor.fetchone()
    assert number not in raw_id and "张三" not in raw_name and PHONE not in raw_phone
    entry = AuditEntry.objects.get(action="booking.create", target_id=str(booking.pk))
    assert entry.actor_name == "visitor"
    assert "phone_encrypted" not in entry.after and "phone_hash" not in entry.after


def test_the_qr_code_is_signed(bookable: Venue) -> None:
    booking = book(bookable, slot_on(bookable, future_open_day(bookable)).pk, adult(3))
    payload = qr_payload(booking)
    assert reference_from_qr(payload) == booking.reference
    assert reference_from_qr(payload[:-1] + ("A" if payload[-1] != "A" else "B")) is None


def test_a_retry_with_the_same_key_takes_effect_once(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    first = booking_create(
        venue=bookable, slot_id=slot.pk, people=[adult(4)], phone=PHONE, idempotency_key="k-1"
    )
    again = booking_create(
        venue=bookable, slot_id=slot.pk, people=[adult(4)], phone=PHONE, idempotency_key="k-1"
    )
    assert first.created and not again.created
    assert again.booking.pk == first.booking.pk
    assert Booking.objects.filter(idempotency_key="k-1").count() == 1


def test_one_id_holds_one_booking_per_venue_and_day(bookable: Venue) -> None:
    day = future_open_day(bookable)
    book(bookable, slot_on(bookable, day).pk, adult(5))
    with pytest.raises(ConflictError) as error:
        book(bookable, slot_on(bookable, day, "下午场").pk, adult(5))
    assert "people.0.id_number" in error.value.fields
    # Another day is fine.
    book(bookable, slot_on(bookable, future_open_day(bookable, day)).pk, adult(5))


def test_party_rules_report_every_problem(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    with pytest.raises(ApplicationError) as error:
        book(
            bookable,
            slot.pk,
            PartyMember(name="", id_type="resident_id", id_number="110105194912310021"),
            PartyMember(name="王五", id_type="passport", id_number="E1"),
        )
    assert set(error.value.fields) == {"people.0.name", "people.0.id_number", "people.1.id_number"}
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, *[adult(10 + i) for i in range(5)])
    assert "people" in error.value.fields
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, adult(20), adult(20))
    assert "people.1.id_number" in error.value.fields


def test_children_and_guardians(bookable: Venue, users: dict[str, User]) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    toddler = PartyMember(
        name="小明", id_type="none_child", birth_date=slot.date - timedelta(days=3 * 365)
    )
    child = PartyMember(
        name="小红",
        id_type="resident_id",
        id_number=resident_id(30, slot.date - timedelta(days=10 * 365)),
    )
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, toddler)
    assert "adult" in str(error.value.fields["people"][0]) or "成人" in str(
        error.value.fields["people"][0]
    )
    booking = book(bookable, slot.pk, adult(31), toddler, child)
    assert booking.people.filter(is_minor=True).count() == 2
    too_old = PartyMember(
        name="大明", id_type="none_child", birth_date=slot.date - timedelta(days=8 * 365)
    )
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, adult(32), too_old)
    assert "people.1.id_type" in error.value.fields
    visit_rules_save(actor=users["jian"], venue=bookable, data={"max_minors_per_guardian": 1})
    with pytest.raises(ApplicationError):
        book(bookable, slot.pk, adult(33), toddler, child)


def test_the_booking_window_opens_exactly_on_time(bookable: Venue, users: dict[str, User]) -> None:
    visit_rules_save(
        actor=users["jian"],
        venue=bookable,
        data={"booking_window_days": 3, "booking_opens_at": time(9, 0)},
    )
    today = timezone.localdate()
    target = today + timedelta(days=3)
    while target.weekday() < 2:  # an open day of Ji'an, three days ahead of "today" below
        today += timedelta(days=1)
        target += timedelta(days=1)
    slots_ensure(bookable, target, target)
    slot = slot_on(bookable, target)
    with time_machine.travel(
        at(
            today,
            8,
            59,
        ),
        tick=False,
    ):
        with pytest.raises(ApplicationError) as error:
            book(bookable, slot.pk, adult(40))
        assert f"{today:%Y-%m-%d} 09:00" in str(error.value.fields["slot"][0])
    with time_machine.travel(at(today, 9, 0), tick=False):
        assert book(bookable, slot.pk, adult(40)).party_size == 1


def test_past_slots_and_closed_days_are_refused(
    bookable: Venue, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    from kepu.network.services import calendar_exception_create

    day = future_open_day(bookable)
    slot = slot_on(bookable, day)
    with time_machine.travel(at(day, 12, 30), tick=False), pytest.raises(ApplicationError):
        book(bookable, slot.pk, adult(41))
    assert book(bookable, slot.pk, adult(43)).party_size == 1  # open, and cached as open
    with django_capture_on_commit_callbacks(execute=True):
        calendar_exception_create(
            actor=users["jian-staff"],
            venue=bookable,
            data={"starts_on": day, "ends_on": day, "reason": "临时闭馆"},
        )
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, adult(42))
    assert "slot" in error.value.fields


def test_banned_ids_cannot_book(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    member = adult(50)
    from kepu.core import crypto

    VisitorBan.objects.create(
        venue=bookable,
        id_hash=crypto.blind_index(member.id_number, purpose="id"),
        until=slot.date,
        no_shows=3,
    )
    with pytest.raises(ApplicationError) as error:
        book(bookable, slot.pk, adult(51), member)
    assert error.value.code == "banned" and "people.1.id_number" in error.value.fields


def test_sold_out(bookable: Venue, users: dict[str, User]) -> None:
    from kepu.visits.services.rules import slot_update

    slot = slot_on(bookable, future_open_day(bookable), "下午场")
    slot_update(actor=users["jian"], slot=slot, data={"capacity": 3, "group_quota": 0})
    book(bookable, slot.pk, adult(60), adult(61))
    with pytest.raises(capacity.SoldOut):
        book(bookable, slot.pk, adult(62), adult(63))
    book(bookable, slot.pk, adult(64))
    assert places_left(slot.pk) == 0
    with pytest.raises(ConflictError):
        slot_update(actor=users["jian"], slot=slot, data={"capacity": 2})


def test_lookup_needs_reference_and_phone(bookable: Venue) -> None:
    booking = book(bookable, slot_on(bookable, future_open_day(bookable)).pk, adult(70))
    assert (
        booking_find(reference=booking.reference.lower(), phone="+86 138 1234 5678").pk
        == booking.pk
    )
    from kepu.core.errors import NotFoundError

    with pytest.raises(NotFoundError):
        booking_find(reference=booking.reference, phone="13900000000")


def test_cancel_until_the_cut_off_frees_the_places(bookable: Venue) -> None:
    day = future_open_day(bookable)
    slot = slot_on(bookable, day)
    left = places_left(slot.pk)
    booking = book(bookable, slot.pk, adult(80), adult(81))
    with time_machine.travel(at(day, 8, 1), tick=False), pytest.raises(ConflictError):
        booking_cancel(booking=booking)  # the cut-off is 60 minutes before 09:00
    with time_machine.travel(at(day, 7, 59), tick=False):
        booking_cancel(booking=booking)
    booking.refresh_from_db()
    assert booking.status == "cancelled" and places_left(slot.pk) == left
    # The IDs are free again for that day.
    book(bookable, slot.pk, adult(80))
    with pytest.raises(ConflictError):
        booking_cancel(booking=booking)


def test_staff_cancel_after_the_cut_off(bookable: Venue, users: dict[str, User]) -> None:
    day = future_open_day(bookable)
    booking = book(bookable, slot_on(bookable, day).pk, adult(90))
    with time_machine.travel(at(day, 8, 30), tick=False):
        booking_cancel(booking=booking, actor=users["jian-staff"])
    assert Booking.objects.get(pk=booking.pk).status == "cancelled"


def test_a_daily_cap_set_later_holds_for_slots_made_earlier(
    bookable: Venue, users: dict[str, User]
) -> None:
    day = future_open_day(bookable)
    morning, afternoon = slot_on(bookable, day), slot_on(bookable, day, "下午场")
    first = book(bookable, morning.pk, adult(80), adult(81))
    book(bookable, afternoon.pk, adult(82))
    with pytest.raises(ConflictError) as error:  # three are booked already that day
        visit_rules_save(actor=users["jian"], venue=bookable, data={"daily_cap": 2})
    assert "daily_cap" in error.value.fields
    visit_rules_save(actor=users["jian"], venue=bookable, data={"daily_cap": 5})
    pool = capacity.day_pool(bookable.pk, day)
    assert pool is not None and capacity.remaining_by_pool([pool.pk])[pool.pk] == 2
    book(bookable, afternoon.pk, adult(83), adult(84))
    with pytest.raises(capacity.SoldOut):  # the slots have room; the day has none
        book(bookable, morning.pk, adult(85))
    visit_rules_save(actor=users["jian"], venue=bookable, data={"daily_cap": None})
    assert capacity.day_pool(bookable.pk, day) is None
    left = places_left(morning.pk)
    book(bookable, morning.pk, adult(85))
    booking_cancel(booking=first)  # the lifted cap has nothing to be given back to
    assert places_left(morning.pk) == left - 1 + 2
