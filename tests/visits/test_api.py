"""Visits through the API: public booking with Idempotency-Key, rate limits, staff endpoints."""

from __future__ import annotations

import re
from datetime import timedelta
from io import StringIO
from typing import Any

import pytest
import time_machine
from django.core import management
from django.test import override_settings
from rest_framework.test import APIClient

from kepu.network.models import Venue
from kepu.visits.models import Booking, DailyAttendance
from tests.visits.conftest import adult, at, future_open_day, slot_on

pytestmark = pytest.mark.django_db


def body(slot_id: int, *serials: int) -> dict[str, Any]:
    return {
        "slot": slot_id,
        "phone": "13812345678",
        "people": [
            {"name": f"游客{s}", "id_type": "resident_id", "id_number": adult(s).id_number}
            for s in serials
        ],
    }


def test_public_booking_with_an_idempotency_key(bookable: Venue) -> None:
    client = APIClient()
    slot = slot_on(bookable, future_open_day(bookable))
    url = f"/api/v1/public/venues/{bookable.pk}/bookings/"
    first = client.post(url, body(slot.pk, 1, 2), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert first.status_code == 201
    data = first.json()
    assert data["party_size"] == 2 and data["qr"].startswith("KEPU1:" + data["reference"])
    assert data["people"][0]["id_masked"].count("*") == 10
    retry = client.post(url, body(slot.pk, 1, 2), format="json", HTTP_IDEMPOTENCY_KEY="abc-1")
    assert retry.status_code == 200 and retry.json()["reference"] == data["reference"]
    assert Booking.objects.filter(venue=bookable).count() == 1
    again = client.post(url, body(slot.pk, 1), format="json")
    assert again.status_code == 409
    assert "people.0.id_number" in again.json()["error"]["fields"]


def test_public_errors_are_422_with_fields(bookable: Venue) -> None:
    slot = slot_on(bookable, future_open_day(bookable))
    bad = body(slot.pk, 3)
    bad["people"][0]["id_number"] = "110105194912310021"
    bad["phone"] = "123"
    response = APIClient().post(
        f"/api/v1/public/venues/{bookable.pk}/bookings/",
        bad,
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert "check digit" in fields["people.0.id_number"][0]
    missing = APIClient().post(
        f"/api/v1/public/venues/{bookable.pk}/bookings/", {"slot": slot.pk}, format="json"
    )
    assert missing.status_code == 422 and {"phone", "people"} <= set(
        missing.json()["error"]["fields"]
    )


def test_availability_lookup_and_cancel(bookable: Venue) -> None:
    client = APIClient()
    day = future_open_day(bookable)
    slots = client.get(
        f"/api/v1/public/venues/{bookable.pk}/availability/?date={day:%Y-%m-%d}"
    ).json()
    assert {s["slot"]["name"] for s in slots} == {"上午场", "下午场"}
    morning = next(s for s in slots if s["slot"]["name"] == "上午场")
    made = client.post(
        f"/api/v1/public/venues/{bookable.pk}/bookings/",
        body(morning["slot"]["id"], 4),
        format="json",
    )
    reference = made.json()["reference"]
    after = client.get(
        f"/api/v1/public/venues/{bookable.pk}/availability/?date={day:%Y-%m-%d}"
    ).json()
    assert (
        next(s for s in after if s["slot"]["name"] == "上午场")["places_left"]
        == morning["places_left"] - 1
    )
    assert client.get(f"/api/v1/public/bookings/{reference}/?phone=13900000000").status_code == 404
    assert (
        client.get(f"/api/v1/public/bookings/{reference}/?phone=13812345678").json()["status"]
        == "confirmed"
    )
    with time_machine.travel(at(day, 6), tick=False):
        cancelled = client.post(
            f"/api/v1/public/bookings/{reference}/cancel/", {"phone": "13812345678"}, format="json"
        )
    assert cancelled.json()["status"] == "cancelled"


@override_settings(KEPU_BOOKING_RATE_PER_IP="3/m")
def test_rate_limit_per_address(bookable: Venue) -> None:
    client = APIClient()
    slot = slot_on(bookable, future_open_day(bookable))
    codes = [
        client.post(
            f"/api/v1/public/venues/{bookable.pk}/bookings/", body(slot.pk, 100 + i), format="json"
        ).status_code
        for i in range(5)
    ]
    assert codes[:3] == [201, 201, 201] and codes[3:] == [429, 429]


@override_settings(KEPU_BOOKING_RATE_PER_ID="2/h")
def test_rate_limit_per_id(bookable: Venue) -> None:
    client = APIClient()
    slot = slot_on(bookable, future_open_day(bookable))
    url = f"/api/v1/public/venues/{bookable.pk}/bookings/"
    codes = [client.post(url, body(slot.pk, 200), format="json").status_code for _ in range(3)]
    assert codes == [201, 409, 429]


def test_staff_endpoints_obey_scopes(bookable: Venue, api_as: Any) -> None:
    day = future_open_day(bookable)
    staff = api_as("jian-staff")
    APIClient().post(
        f"/api/v1/public/venues/{bookable.pk}/bookings/",
        body(slot_on(bookable, day).pk, 300),
        format="json",
    )
    slots = staff.get(f"/api/v1/venues/{bookable.pk}/slots/?date={day:%Y-%m-%d}").json()
    assert sum(s["booked"] for s in slots) == 1
    bookings = staff.get(f"/api/v1/venues/{bookable.pk}/bookings/?date={day:%Y-%m-%d}").json()
    assert bookings["count"] == 1 and "id_encrypted" not in str(bookings)
    person = bookings["results"][0]["people"][0]["id"]
    with time_machine.travel(at(day, 9, 30), tick=False):
        checked = staff.post(
            f"/api/v1/venues/{bookable.pk}/check-ins/", {"person": person}, format="json"
        )
        assert checked.status_code == 200 and checked.json()["inside"] == 1
        twice = staff.post(
            f"/api/v1/venues/{bookable.pk}/check-ins/", {"person": person}, format="json"
        )
        assert twice.status_code == 409 and twice.json()["error"]["code"] == "already_checked_in"
    assert (
        staff.put(
            f"/api/v1/venues/{bookable.pk}/visit-rules/", {"max_party_size": 6}, format="json"
        ).status_code
        == 403
    )
    assert (
        api_as("jian")
        .put(f"/api/v1/venues/{bookable.pk}/visit-rules/", {"max_party_size": 6}, format="json")
        .json()["max_party_size"]
        == 6
    )
    assert api_as("liaoning").get(f"/api/v1/venues/{bookable.pk}/bookings/").status_code == 404


def test_attendance_api(api_as: Any, liaoning: Venue) -> None:
    rows = (
        api_as("liaoning")
        .get(f"/api/v1/venues/{liaoning.pk}/attendance/?year=2023&page_size=500")
        .json()
    )
    assert rows["count"] == 316 and sum(r["visits"] for r in rows["results"]) == 2_522_000
    assert api_as("jian").get(f"/api/v1/venues/{liaoning.pk}/attendance/").status_code == 404


def run(*args: str) -> str:
    out = StringIO()
    management.call_command(*args, stdout=out)
    return out.getvalue()


def test_commands(bookable: Venue, tmp_path: Any) -> None:
    day = future_open_day(bookable)
    booked = APIClient().post(
        f"/api/v1/public/venues/{bookable.pk}/bookings/",
        body(slot_on(bookable, day).pk, 400),
        format="json",
    )
    assert booked.status_code == 201
    assert run("process-waitlist") == "0 offers expired and passed on.\n"
    with time_machine.travel(at(day + timedelta(days=1), 2), tick=False):
        run("close-visit-days")
        record = DailyAttendance.objects.get(venue=bookable, date=day)
        assert (record.booked, record.no_shows, record.visits) == (1, 1, 0)
    with time_machine.travel(at(day + timedelta(days=40), 3), tick=False):
        purged = run("purge-personal-data", "--older-than", "30")
    assert re.match(r"Purged: [1-9]\d* visitors in [1-9]\d* bookings", purged)  # demo's too
    assert not Booking.objects.filter(venue=bookable, date=day).exclude(phone_hash="").exists()
    assert DailyAttendance.objects.get(venue=bookable, date=day).booked == 1  # counts stay
    bad = tmp_path / "bad.csv"
    bad.write_text("date,visits\n2025-03-01,120\n2025-03-02,many\n2025-13-01,5\n", encoding="utf-8")
    with pytest.raises(management.CommandError, match=r"第 3 行：“2025-03-02,many”；?.*第 4 行"):
        run("import-attendance", "--venue", "集安市科技馆", "--file", str(bad), "--as", "jian")
    with pytest.raises(management.CommandError, match=r"line 3: “2025-03-02,many”; line 4: "):
        run("import-attendance", "--venue", "集安市科技馆", "--file", str(bad), "--as", "jian",
            "--lang", "en")  # fmt: skip
    assert not DailyAttendance.objects.filter(venue=bookable, date="2025-03-01").exists()
    csv = tmp_path / "counts.csv"
    csv.write_text("date,visits,approximate\n2025-03-01,120,约\n2025-03-02,1,\n", encoding="utf-8")
    out = run("import-attendance", "--venue", "集安市科技馆", "--file", str(csv), "--as", "jian")
    assert out == "已为集安市科技馆导入 2 天的数据。\n"
    assert DailyAttendance.objects.get(venue=bookable, date="2025-03-01").approximate
