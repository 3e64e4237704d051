"""The public booking pages and the venue's visit pages."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.test import Client

from kepu.core.models import AuditEntry
from kepu.network.models import Venue
from kepu.visits.models import Booking
from kepu.visits.services.booking import booking_create
from tests.visits.conftest import adult, at, future_open_day, slot_on

pytestmark = pytest.mark.django_db


def party_post(
    *people: tuple[str, str], phone: str = "13812345678", key: str = "k"
) -> dict[str, str]:
    data = {
        "people-TOTAL_FORMS": "4",
        "people-INITIAL_FORMS": "0",
        "people-MIN_NUM_FORMS": "0",
        "people-MAX_NUM_FORMS": "4",
        "phone": phone,
        "request_key": key,
        "action": "book",
    }
    for index in range(4):
        name, number = people[index] if index < len(people) else ("", "")
        data.update(
            {
                f"people-{index}-name": name,
                f"people-{index}-id_type": "resident_id",
                f"people-{index}-id_number": number,
                f"people-{index}-birth_date": "",
            }
        )
    return data


def test_a_visitor_books_without_signing_in(bookable: Venue) -> None:
    client = Client()
    assert "集安市科技馆" in client.get("/visit/").content.decode()
    day = future_open_day(bookable)
    page = client.get(f"/visit/{bookable.pk}/?date={day:%Y-%m-%d}").content.decode()
    assert "上午场" in page and "余 100 个名额" in page  # 150 less the 50 kept for groups
    slot = slot_on(bookable, day)
    response = client.post(
        f"/visit/{bookable.pk}/book/{slot.pk}/",
        party_post(("张三", adult(1).id_number), ("李四", adult(2).id_number)),
    )
    assert response.status_code == 302
    booking = Booking.objects.get(idempotency_key="k")
    confirmation = client.get(response["Location"]).content.decode()
    assert booking.reference in confirmation and "<svg" in confirmation and "张*" in confirmation
    assert adult(1).id_number not in confirmation  # masked on screen
    # The same form submitted twice (a double click, a retry) books once.
    again = client.post(
        f"/visit/{bookable.pk}/book/{slot.pk}/",
        party_post(("张三", adult(1).id_number), ("李四", adult(2).id_number)),
    )
    assert again.status_code == 302 and Booking.objects.filter(idempotency_key="k").count() == 1


def test_bad_input_is_explained_and_kept(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    response = Client().post(
        f"/visit/{bookable.pk}/book/{slot.pk}/",
        party_post(("王五", "110105194912310021"), phone="12345"),
    )
    assert response.status_code == 422
    page = response.content.decode()
    assert "证件号码校验位不正确" in page and "请填写有效的手机号码" in page
    assert 'value="王五"' in page and 'value="110105194912310021"' in page
    assert not Booking.objects.filter(venue=bookable, idempotency_key="k").exists()


def test_lookup_and_cancel(bookable: Venue) -> None:
    day = future_open_day(bookable)
    booking = booking_create(
        venue=bookable, slot_id=slot_on(bookable, day).pk, people=[adult(5)], phone="13812345678"
    ).booking
    client = Client()
    wrong = client.post("/visit/lookup/", {"reference": booking.reference, "phone": "13900000000"})
    assert (
        wrong.status_code == 200
        and "没有与该预约编号和手机号码匹配的预约" in wrong.content.decode()
    )
    found = client.post("/visit/lookup/", {"reference": booking.reference, "phone": "13812345678"})
    assert found.status_code == 302
    with time_machine.travel(at(day, 7), tick=False):
        client.post(found["Location"] + "cancel/")
    booking.refresh_from_db()
    assert booking.status == "cancelled"


def test_public_pages_are_in_english_on_request(bookable: Venue) -> None:
    client = Client()
    client.post("/language/", {"language": "en", "next": "/visit/"})
    page = client.get(f"/visit/{bookable.pk}/").content.decode()
    assert "Book up to 7 days ahead" in page and "Booking for a school group?" in page


def test_staff_day_page_shows_each_slot(bookable: Venue, page_as: Any) -> None:
    day = future_open_day(bookable)
    booking_create(
        venue=bookable,
        slot_id=slot_on(bookable, day).pk,
        people=[adult(7), adult(8)],
        phone="13812345678",
    )
    page = (
        page_as("jian-staff")
        .get(f"/venues/{bookable.pk}/visits/?date={day:%Y-%m-%d}")
        .content.decode()
    )
    assert '<div class="value" id="total-booked">2</div>' in page
    assert page_as("liaoning").get(f"/venues/{bookable.pk}/visits/").status_code == 404


def test_reveal_on_the_slot_page_is_audited(bookable: Venue, page_as: Any) -> None:
    day = future_open_day(bookable)
    booking = booking_create(
        venue=bookable,
        slot_id=slot_on(bookable, day).pk,
        people=[adult(9, "钱七")],
        phone="13812345678",
    ).booking
    person = booking.people.get()
    url = f"/venues/{bookable.pk}/visits/slot/{booking.slot_id}/"
    masked = page_as("jian").get(url).content.decode()
    assert "钱**" in masked and adult(9).id_number not in masked
    staff = page_as("jian-staff").post(
        url, {"action": "reveal", "person": person.pk, "reason": "x"}
    )
    assert adult(9).id_number not in staff.content.decode()  # staff may not
    revealed = page_as("jian").post(
        url, {"action": "reveal", "person": person.pk, "reason": "核验"}
    )
    assert adult(9).id_number in revealed.content.decode()
    assert AuditEntry.objects.filter(action="personal_data.reveal", actor_name="jian").exists()


def test_gate_page_checks_people_in(bookable: Venue, page_as: Any) -> None:
    day = future_open_day(bookable)
    booking = booking_create(
        venue=bookable, slot_id=slot_on(bookable, day).pk, people=[adult(10)], phone="13812345678"
    ).booking
    client = page_as("jian-staff")
    with time_machine.travel(at(day, 9, 5), tick=False):
        found = client.get(
            f"/venues/{bookable.pk}/gate/lookup/?code={booking.reference}"
        ).content.decode()
        person_id = re.search(r'name="person" value="(\d+)"', found)
        assert person_id is not None
        first = client.post(f"/venues/{bookable.pk}/gate/check-in/", {"person": person_id.group(1)})
        assert 'id="inside-now">1<' in first.content.decode()
        second = client.post(
            f"/venues/{bookable.pk}/gate/check-in/", {"person": person_id.group(1)}
        )
        assert "已入馆，不能重复核验" in second.content.decode()
        nothing = client.get(
            f"/venues/{bookable.pk}/gate/lookup/?code=110105194912310021"
        ).content.decode()
        assert "今日没有与此匹配的预约" in nothing
    assert page_as("xian-volunteers").get(f"/venues/{bookable.pk}/gate/").status_code == 404


def test_attendance_page_shows_the_year(page_as: Any, jian: Venue) -> None:
    page = page_as("jian").get(f"/venues/{jian.pk}/attendance/?year=2024").content.decode()
    assert '<div class="value" id="year-visits">约5万</div>' in page
    assert "265" in page
