"""Groups, the waiting list, the gate, closing a day, no-show bans and personal data."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from kepu.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from kepu.core.models import AuditEntry, User
from kepu.network.models import Venue
from kepu.network.opening import add_working_days
from kepu.visits import capacity
from kepu.visits.models import (
    Booking,
    BookingPerson,
    DailyAttendance,
    PoolKind,
    SeatPool,
    VisitorBan,
    WaitlistEntry,
)
from kepu.visits.services import attendance, gate, privacy, waitlist
from kepu.visits.services.booking import (
    booking_cancel,
    booking_create,
    group_booking_decide,
    group_booking_request,
    qr_payload,
)
from kepu.visits.services.rules import slot_update, slots_ensure, visit_rules_save
from tests.visits.conftest import adult, at, future_open_day, slot_on

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def group_pool_left(slot_id: int) -> int:
    pool = SeatPool.objects.get(slot_id=slot_id, kind=PoolKind.GROUP)
    return capacity.remaining_by_pool([pool.pk])[pool.pk]


def test_group_request_holds_places_until_decided(bookable: Venue, users: dict[str, User]) -> None:
    day = add_working_days(timezone.localdate(), 3)
    while day.weekday() < 2:
        day += timedelta(days=1)
    slots_ensure(bookable, day, day)
    slot = slot_on(bookable, day)
    result = group_booking_request(
        venue=bookable,
        slot_id=slot.pk,
        headcount=30,
        school="集安市第一小学",
        leader_name="王老师",
        phone=PHONE,
    )
    booking = result.booking
    quota = group_pool_left(slot.pk) + 30
    assert booking.status == "pending" and quota >= 30
    assert booking.leader_masked == "王**"
    with pytest.raises(ApplicationError) as error:
        group_booking_decide(actor=users["jian-staff"], booking=booking, approve=False)
    assert "reason" in error.value.fields
    group_booking_decide(
        actor=users["jian-staff"], booking=booking, approve=False, reason="当日已满"
    )
    assert group_pool_left(slot.pk) == quota
    with pytest.raises(PermissionDeniedError):  # coordinators read member venues, not decide
        group_booking_decide(actor=users["dongbei"], booking=booking, approve=True)


def test_group_rules(bookable: Venue) -> None:
    tomorrow_slot = slot_on(bookable, future_open_day(bookable))
    with pytest.raises(ApplicationError) as error:
        group_booking_request(
            venue=bookable,
            slot_id=tomorrow_slot.pk,
            headcount=5,
            school="",
            leader_name="",
            phone=PHONE,
        )
    assert {"headcount", "school", "leader_name"} <= set(error.value.fields)
    if tomorrow_slot.date < add_working_days(timezone.localdate(), 3):
        assert "slot" in error.value.fields


def test_waitlist_offers_a_freed_place_then_moves_on(
    bookable: Venue, users: dict[str, User], django_capture_on_commit_callbacks: Any
) -> None:
    day = future_open_day(bookable)
    slot = slot_on(bookable, day, "下午场")
    slot_update(actor=users["jian"], slot=slot, data={"capacity": 2, "group_quota": 0})
    first = booking_create(
        venue=bookable, slot_id=slot.pk, people=[adult(1), adult(2)], phone=PHONE
    ).booking
    with pytest.raises(ConflictError):
        waitlist.waitlist_join(
            venue=bookable, slot_id=slot_on(bookable, day).pk, people=[adult(3)], phone=PHONE
        )
    one = waitlist.waitlist_join(venue=bookable, slot_id=slot.pk, people=[adult(3)], phone=PHONE)
    two = waitlist.waitlist_join(venue=bookable, slot_id=slot.pk, people=[adult(4)], phone=PHONE)
    with django_capture_on_commit_callbacks(execute=True):
        booking_cancel(booking=first, actor=users["jian-staff"])
    one.refresh_from_db()
    two.refresh_from_db()
    assert one.status == "offered" and two.status == "offered"  # two places freed, two parties
    booking = waitlist.waitlist_accept(token=two.token)
    assert booking.source == "waitlist" and booking.party_size == 1
    assert waitlist.waitlist_accept(token=two.token).pk == booking.pk  # accepting twice is harmless
    assert one.offered_until is not None
    expired_at = one.offered_until + timedelta(seconds=1)
    with time_machine.travel(expired_at, tick=False), pytest.raises(ConflictError):
        waitlist.waitlist_accept(token=one.token)
    one.refresh_from_db()
    assert one.status == "expired"


def test_expired_offers_pass_to_the_next_in_line(bookable: Venue, users: dict[str, User]) -> None:
    day = future_open_day(bookable)
    slot = slot_on(bookable, day, "下午场")
    slot_update(actor=users["jian"], slot=slot, data={"capacity": 1, "group_quota": 0})
    only = booking_create(venue=bookable, slot_id=slot.pk, people=[adult(10)], phone=PHONE).booking
    first = waitlist.waitlist_join(venue=bookable, slot_id=slot.pk, people=[adult(11)], phone=PHONE)
    second = waitlist.waitlist_join(
        venue=bookable, slot_id=slot.pk, people=[adult(12)], phone=PHONE
    )
    booking_cancel(booking=only, actor=users["jian"])
    assert [e.pk for e in waitlist.waitlist_offer_next(slot_id=slot.pk)] == [first.pk]
    first.refresh_from_db()
    assert first.offered_until is not None
    later = first.offered_until + timedelta(minutes=1)
    assert waitlist.waitlist_process_due(now=later) == 1
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == "expired" and second.status == "offered"
    assert (
        capacity.remaining_by_pool(
            [SeatPool.objects.get(slot=slot, kind=PoolKind.PUBLIC).pk]
        ).popitem()[1]
        == 0
    )  # the place is held for the second party


def test_gate_checks_in_once_and_counts_who_is_inside(
    bookable: Venue, users: dict[str, User]
) -> None:
    day = future_open_day(bookable)
    booking = booking_create(
        venue=bookable,
        slot_id=slot_on(bookable, day).pk,
        people=[adult(20), adult(21)],
        phone=PHONE,
    ).booking
    with time_machine.travel(at(day, 9, 10), tick=False):
        found = gate.gate_lookup(
            actor=users["jian-staff"], venue=bookable, code=qr_payload(booking)
        )
        assert [b.pk for b in found] == [booking.pk]
        by_id = gate.gate_lookup(
            actor=users["jian-staff"], venue=bookable, code=adult(21).id_number.lower()
        )
        assert [b.pk for b in by_id] == [booking.pk]
        person = booking.people.order_by("id").first()
        assert person is not None
        gate.person_check_in(actor=users["jian-staff"], person=person)
        with pytest.raises(ConflictError) as error:
            gate.person_check_in(actor=users["jian-staff"], person=person)
        assert error.value.code == "already_checked_in"
        gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="walk_in", count=3)
        gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="exit", count=2)
        with pytest.raises(ApplicationError):
            gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="exit", count=5)
        figures = gate.gate_figures(bookable, day)
        assert (figures.checked_in, figures.walk_ins, figures.exits, figures.inside) == (1, 3, 2, 2)
        with pytest.raises(NotFoundError):
            gate.gate_lookup(
                actor=users["jian-staff"], venue=bookable, code="KEPU1:ABCDEFGH:forged"
            )
    with pytest.raises(NotFoundError):
        gate.gate_lookup(actor=users["liaoning"], venue=bookable, code=qr_payload(booking))


def test_inside_cap_holds_at_the_gate(bookable: Venue, users: dict[str, User]) -> None:
    visit_rules_save(actor=users["jian"], venue=bookable, data={"inside_cap": 3})
    day = future_open_day(bookable)
    with time_machine.travel(at(day, 10), tick=False):
        gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="walk_in", count=3)
        with pytest.raises(ConflictError):
            gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="walk_in", count=1)
        gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="exit", count=1)
        gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="walk_in", count=1)


def test_closing_a_day_counts_visits_marks_no_shows_and_bans_repeaters(
    bookable: Venue, users: dict[str, User]
) -> None:
    visit_rules_save(actor=users["jian"], venue=bookable, data={"no_show_limit": 2, "ban_days": 30})
    first_day = future_open_day(bookable)
    second_day = future_open_day(bookable, first_day)
    repeat = adult(30)
    for day in (first_day, second_day):
        booking = booking_create(
            venue=bookable,
            slot_id=slot_on(bookable, day).pk,
            people=[repeat, adult(31 if day == first_day else 32)],
            phone=PHONE,
        ).booking
        comer = booking.people.exclude(id_hash=booking.people.order_by("id").first().id_hash).get()  # type: ignore[union-attr]
        with time_machine.travel(at(day, 9, 30), tick=False):
            gate.person_check_in(actor=users["jian-staff"], person=comer)
            gate.gate_count(actor=users["jian-staff"], venue=bookable, kind="walk_in", count=2)
        with time_machine.travel(at(day + timedelta(days=1), 1), tick=False):
            record = attendance.attendance_close_day(venue=bookable, day=day)
        assert (
            record.booked,
            record.checked_in,
            record.walk_ins,
            record.no_shows,
            record.visits,
        ) == (2, 1, 2, 1, 3)
    assert VisitorBan.objects.filter(venue=bookable).count() == 1
    with pytest.raises(ApplicationError) as error:
        booking_create(
            venue=bookable,
            slot_id=slot_on(bookable, future_open_day(bookable, second_day)).pk,
            people=[repeat],
            phone=PHONE,
        )
    assert error.value.code == "banned"


def test_manual_attendance_records(bookable: Venue, users: dict[str, User]) -> None:
    day = timezone.localdate() - timedelta(days=30)
    record = attendance.attendance_record_day(
        actor=users["jian"],
        venue=bookable,
        day=day,
        data={"visits": 180, "approximate": True},
    )
    assert record.visits == 180 and record.approximate and record.source == "manual"
    with pytest.raises(ApplicationError):
        attendance.attendance_record_day(
            actor=users["jian"], venue=bookable, day=day, data={"visits": -1}
        )
    with pytest.raises(PermissionDeniedError):
        attendance.attendance_record_day(
            actor=users["jian-staff"], venue=bookable, day=day, data={"visits": 1}
        )
    assert DailyAttendance.objects.get(venue=bookable, date=day).visits == 180


def test_reveal_is_allowed_to_managers_and_audited(bookable: Venue, users: dict[str, User]) -> None:
    booking = booking_create(
        venue=bookable,
        slot_id=slot_on(bookable, future_open_day(bookable)).pk,
        people=[adult(40, "赵六")],
        phone=PHONE,
    ).booking
    person = booking.people.get()
    with pytest.raises(PermissionDeniedError):
        privacy.person_reveal(actor=users["jian-staff"], person=person, reason="核验")
    revealed = privacy.person_reveal(actor=users["jian"], person=person, reason="现场核验身份")
    assert revealed.name == "赵六40" and revealed.id_number == adult(40).id_number
    entry = AuditEntry.objects.filter(action="personal_data.reveal").latest("id")
    assert entry.actor == users["jian"] and entry.after["reason"] == "现场核验身份"


def test_purge_removes_personal_fields_and_keeps_counts(bookable: Venue) -> None:
    day = future_open_day(bookable)
    booking = booking_create(
        venue=bookable,
        slot_id=slot_on(bookable, day).pk,
        people=[adult(50), adult(51)],
        phone=PHONE,
    ).booking
    with time_machine.travel(at(day + timedelta(days=40), 3), tick=False):
        result = privacy.personal_data_purge(older_than_days=30)
    assert result.people >= 2 and result.bookings >= 1
    booking.refresh_from_db()
    assert (
        booking.phone_encrypted == ""
        and booking.phone_masked == ""
        and booking.personal_data_purged_at
    )
    people = BookingPerson.objects.filter(booking=booking)
    assert people.count() == 2
    assert all(p.name_encrypted == "" and p.id_hash is None and p.id_masked == "" for p in people)
    assert Booking.objects.filter(pk=booking.pk, party_size=2).exists()
    assert not WaitlistEntry.objects.filter(date__lt=day).exclude(phone_hash="").exists()
