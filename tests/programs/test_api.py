"""Programmes through the API: activities and sessions end to end, scopes, field errors, public
sign-up with its places and Idempotency-Key, the registers, joint actions and the schema."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from kepu.network.models import Hall, Venue
from kepu.programs.models import (
    Campaign,
    Caravan,
    Registration,
    School,
    Session,
    SessionStatus,
    ThemeDay,
)

pytestmark = pytest.mark.django_db


def at(day: date, hour: int, minute: int = 0) -> str:
    return timezone.make_aware(datetime.combine(day, time(hour, minute))).isoformat()


def soon(days: int = 3) -> date:
    return timezone.localdate() + timedelta(days=days)


def hall_of(venue: Venue) -> Hall:
    hall = Hall.objects.filter(venue=venue).order_by("pk").first()
    assert hall is not None
    return hall


def activities_url(venue: Venue) -> str:
    return f"/api/v1/venues/{venue.pk}/activities/"


def new_activity(client: APIClient, venue: Venue, name: str = "API测试实验秀") -> dict[str, Any]:
    response = client.post(
        activities_url(venue),
        {"name": name, "activity_type": "show", "audience": "families", "partners": "甲、乙"},
        format="json",
    )
    assert response.status_code == 201, response.json()
    return dict(response.json())


def new_session(client: APIClient, venue: Venue, activity_id: int, **extra: Any) -> dict[str, Any]:
    day = soon()
    body = {
        "starts_at": at(day, 9),
        "ends_at": at(day, 10),
        "place_kind": "hall",
        "hall": hall_of(venue).pk,
        **extra,
    }
    response = client.post(f"{activities_url(venue)}{activity_id}/sessions/", body, format="json")
    assert response.status_code == 201, response.json()
    return dict(response.json())


def test_activity_sessions_and_attendance(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    activity = new_activity(client, jian)
    assert activity["venue"] == jian.pk and activity["partner_list"] == ["甲", "乙"]
    first = new_session(client, jian, activity["id"])
    second = new_session(client, jian, activity["id"], starts_at=at(soon(4), 14), ends_at=None)
    assert first["hall_name"] == hall_of(jian).name and first["status"] == "planned"

    record = {"participants": 120, "participants_approximate": True, "st_workers": 3}
    record_url = f"/api/v1/venues/{jian.pk}/sessions/{first['id']}/record/"
    early = client.post(record_url, record, format="json")
    assert early.status_code == 409  # not held yet
    with time_machine.travel(datetime.fromisoformat(first["starts_at"]) + timedelta(hours=2)):
        recorded = client.post(record_url, record, format="json")
    assert recorded.status_code == 200, recorded.json()
    assert recorded.json()["status"] == "held" and recorded.json()["participants"] == 120

    detail = client.get(f"{activities_url(jian)}{activity['id']}/").json()
    assert [s["id"] for s in detail["sessions"]] == [first["id"], second["id"]]
    assert detail["sessions"][0]["participants_approximate"] is True

    listed = client.get(
        f"{activities_url(jian)}?year={soon().year}&type=show&search=API测试"
    ).json()
    item = next(a for a in listed["results"] if a["id"] == activity["id"])
    assert item["session_count"] == 2 and item["held_count"] == 1
    assert item["participants_total"] == 120 and item["participants_approximate"] is True
    at_venue = client.get(f"{activities_url(jian)}?outreach=false&search=API测试").json()
    away = client.get(f"{activities_url(jian)}?outreach=true&search=API测试").json()
    assert at_venue["count"] == 1 and away["count"] == 0

    between = client.get(
        f"/api/v1/venues/{jian.pk}/sessions/?start={soon():%Y-%m-%d}&end={soon(4):%Y-%m-%d}"
    ).json()
    assert {first["id"], second["id"]} <= {s["id"] for s in between["results"]}

    cancelled = client.post(
        f"/api/v1/venues/{jian.pk}/sessions/{second['id']}/cancel/", {"reason": "暴雨"}
    )
    assert cancelled.json()["status"] == "cancelled"
    again = client.post(
        f"/api/v1/venues/{jian.pk}/sessions/{first['id']}/cancel/", {}, format="json"
    )
    assert again.status_code == 409
    # A held session keeps its activity.
    refused = client.delete(f"{activities_url(jian)}{activity['id']}/")
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "conflict"


def test_patch_and_delete_an_unheld_activity(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    activity = new_activity(client, jian, "待删活动")
    session = new_session(client, jian, activity["id"])
    renamed = client.patch(
        f"{activities_url(jian)}{activity['id']}/", {"name": "改名活动"}, format="json"
    )
    assert renamed.status_code == 200 and renamed.json()["name"] == "改名活动"
    moved = client.patch(
        f"/api/v1/venues/{jian.pk}/sessions/{session['id']}/",
        {"capacity": 30, "registration_open": True},
        format="json",
    )
    assert moved.json()["places_left"] == 30 and moved.json()["signed_up"] == 0
    assert client.delete(f"{activities_url(jian)}{activity['id']}/").status_code == 204
    assert client.get(f"{activities_url(jian)}{activity['id']}/").status_code == 404


def test_other_venues_activities_are_not_found(api_as: Any, jian: Venue, liaoning: Venue) -> None:
    activity = new_activity(api_as("jian"), jian)
    session = new_session(api_as("jian"), jian, activity["id"])
    other = api_as("liaoning")
    url = f"{activities_url(jian)}{activity['id']}/"
    assert other.get(url).status_code == 404
    assert other.patch(url, {"name": "x"}, format="json").status_code == 404
    assert other.delete(url).status_code == 404
    assert other.get(f"/api/v1/venues/{jian.pk}/sessions/{session['id']}/").status_code == 404
    # Through its own venue's address, Ji'an's activity is as missing as one that never was.
    own = other.get(f"{activities_url(liaoning)}{activity['id']}/")
    missing = other.get(f"{activities_url(liaoning)}99999999/")
    assert own.status_code == missing.status_code == 404 and own.json() == missing.json()
    assert Session.objects.filter(pk=session["id"]).exists()


def test_bad_input_is_422_with_field_reasons(api_as: Any, jian: Venue, liaoning: Venue) -> None:
    client = api_as("jian")
    activity = new_activity(client, jian)
    url = f"{activities_url(jian)}{activity['id']}/sessions/"
    day = soon()
    base = {"starts_at": at(day, 9), "place_kind": "hall"}
    foreign = client.post(url, {**base, "hall": hall_of(liaoning).pk}, format="json")
    unknown = client.post(url, {**base, "hall": 99999999}, format="json")
    assert foreign.status_code == unknown.status_code == 422
    # Another venue's hall and a hall that does not exist get the same reason.
    assert foreign.json()["error"]["fields"]["hall"] == unknown.json()["error"]["fields"]["hall"]
    backwards = client.post(
        url, {**base, "hall": hall_of(jian).pk, "ends_at": at(day, 8)}, format="json"
    )
    assert backwards.status_code == 422 and "ends_at" in backwards.json()["error"]["fields"]
    no_places = client.post(
        url, {**base, "hall": hall_of(jian).pk, "registration_open": True}, format="json"
    )
    assert "capacity" in no_places.json()["error"]["fields"]
    shapeless = client.post(activities_url(jian), {"activity_type": "juggling"}, format="json")
    assert shapeless.status_code == 422
    assert {"name", "activity_type"} <= set(shapeless.json()["error"]["fields"])
    filters = client.get(f"{activities_url(jian)}?outreach=perhaps&month=13")
    assert filters.status_code == 422
    assert {"outreach", "month"} <= set(filters.json()["error"]["fields"])
    session = new_session(client, jian, activity["id"])
    empty = client.post(
        f"/api/v1/venues/{jian.pk}/sessions/{session['id']}/record/", {}, format="json"
    )
    assert empty.status_code == 422 and "participants" in empty.json()["error"]["fields"]
    period = client.get(f"/api/v1/venues/{jian.pk}/sessions/?start=2024-05-02&end=2024-05-01")
    assert period.status_code == 422 and "end" in period.json()["error"]["fields"]


@pytest.fixture
def two_places(api_as: Any, jian: Venue) -> dict[str, Any]:
    client = api_as("jian")
    activity = new_activity(client, jian, "周末亲子实验")
    return new_session(client, jian, activity["id"], capacity=2, registration_open=True)


def sign_up(session_id: int, phone: str, key: str | None = None, **extra: Any) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return APIClient().post(
        f"/api/v1/public/sessions/{session_id}/registrations/",
        {"kind": "person", "name": "张小明", "phone": phone, **extra},
        format="json",
        **headers,
    )


def test_public_sign_up_takes_each_place_once(
    api_as: Any, jian: Venue, two_places: dict[str, Any]
) -> None:
    session_id = two_places["id"]
    public = APIClient().get(f"/api/v1/public/sessions/{session_id}/").json()
    assert public["activity"] == "周末亲子实验" and public["places_left"] == 2
    assert public["place"] == hall_of(jian).name

    first = sign_up(session_id, "13812345678", key="key-1")
    assert first.status_code == 201
    assert first.json()["phone_masked"].count("*") >= 4 and "phone" not in first.json()
    retry = sign_up(session_id, "13812345678", key="key-1")
    assert retry.status_code == 200 and retry.json()["reference"] == first.json()["reference"]
    assert Session.objects.get(pk=session_id).places_left == 1

    assert sign_up(session_id, "13912345678").status_code == 201
    full = sign_up(session_id, "13712345678")
    assert full.status_code == 409 and full.json()["error"]["code"] == "full"
    late_retry = sign_up(session_id, "13812345678", key="key-1")
    assert late_retry.status_code == 200
    assert Session.objects.get(pk=session_id).places_left == 0
    assert Registration.objects.filter(session_id=session_id).count() == 2

    staff = api_as("jian")
    listed = staff.get(f"/api/v1/venues/{jian.pk}/sessions/{session_id}/registrations/").json()
    assert listed["count"] == 2
    for row in listed["results"]:
        assert "*" in row["name_masked"] and "*" in row["phone_masked"]
        assert "name" not in row and "phone" not in row
    attended = staff.post(
        f"/api/v1/venues/{jian.pk}/registrations/{listed['results'][0]['id']}/attend/",
        {"attended": 1},
        format="json",
    )
    assert attended.status_code == 200 and attended.json()["attended"] == 1
    other = api_as("liaoning").post(
        f"/api/v1/venues/{jian.pk}/registrations/{listed['results'][0]['id']}/attend/",
        {"attended": 0},
        format="json",
    )
    assert other.status_code == 404


def test_public_sign_up_errors(two_places: dict[str, Any]) -> None:
    session_id = two_places["id"]
    bad = sign_up(session_id, "123", kind="class", headcount=3)
    assert bad.status_code == 422
    assert {"phone", "school_name", "class_name"} <= set(bad.json()["error"]["fields"])
    shapeless = APIClient().post(
        f"/api/v1/public/sessions/{session_id}/registrations/", {"kind": "crowd"}, format="json"
    )
    assert shapeless.status_code == 422
    assert {"kind", "name", "phone"} <= set(shapeless.json()["error"]["fields"])
    assert APIClient().get("/api/v1/public/sessions/99999999/").status_code == 404
    assert sign_up(99999999, "13812345678").status_code == 404


@override_settings(KEPU_BOOKING_RATE_PER_IP="2/m")
def test_public_sign_up_is_rate_limited(two_places: dict[str, Any]) -> None:
    codes = [sign_up(two_places["id"], f"1381234567{i}").status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_activity_list_queries_do_not_grow_with_rows(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    for number in range(3):
        activity = new_activity(client, jian, f"批量活动{number}")
        new_session(client, jian, activity["id"])

    def queries(page_size: int) -> int:
        with CaptureQueriesContext(connection) as captured:
            response = client.get(f"{activities_url(jian)}?page_size={page_size}")
        assert len(response.json()["results"]) == min(page_size, response.json()["count"])
        return len(captured)

    assert queries(1) == queries(50)


def test_trips_with_stops(api_as: Any, jian: Venue, liaoning: Venue) -> None:
    client = api_as("jian")
    caravan = Caravan.objects.get(venue=jian)
    school = School.objects.filter(partnerships__venue=jian).first()
    assert school is not None
    start = date(2025, 6, 2)
    body = {
        "caravan": caravan.pk,
        "title": "API测试进校园",
        "starts_on": start.isoformat(),
        "ends_on": (start + timedelta(days=1)).isoformat(),
        "km": "86.5",
        "stops": [
            {"day": start.isoformat(), "school": school.pk, "people_served": 300},
            {
                "day": (start + timedelta(days=1)).isoformat(),
                "place_kind": "village",
                "name": "太王镇钱湾村",
                "people_served": 150,
                "people_approximate": True,
            },
        ],
    }
    url = f"/api/v1/venues/{jian.pk}/caravan-trips/"
    made = client.post(url, body, format="json")
    assert made.status_code == 201, made.json()
    trip = made.json()
    assert trip["stop_count"] == 2 and trip["people"] == 450 and trip["people_approximate"]
    assert [s["name"] for s in trip["stops"]] == [school.name, "太王镇钱湾村"]
    listed = client.get(f"{url}?year=2025").json()
    assert trip["id"] in {t["id"] for t in listed["results"]}
    outside = client.post(
        url, {**body, "stops": [{**body["stops"][0], "day": "2025-07-01"}]}, format="json"
    )
    assert outside.status_code == 422 and "stops.0.day" in outside.json()["error"]["fields"]
    foreign = Caravan.objects.get(venue=liaoning)
    stolen = client.post(url, {**body, "caravan": foreign.pk}, format="json")
    assert stolen.status_code == 422 and "caravan" in stolen.json()["error"]["fields"]


def test_schools_partnerships_campaigns_and_theme_days(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    partner = School.objects.filter(partnerships__venue=jian).first()
    assert partner is not None
    division = partner.division_id
    made = client.post(
        "/api/v1/schools/",
        {"name": "集安市API测试小学", "division": division, "kind": "primary"},
        format="json",
    )
    assert made.status_code == 201, made.json()
    found = client.get(f"/api/v1/schools/?search=API测试&division={division}").json()
    assert [s["id"] for s in found["results"]] == [made.json()["id"]]
    partnered = client.post(
        f"/api/v1/venues/{jian.pk}/partnerships/",
        {"school": made.json()["id"], "signed_on": "2025-03-01"},
        format="json",
    )
    assert partnered.status_code == 201 and partnered.json()["status"] == "active"
    listed = client.get(f"/api/v1/venues/{jian.pk}/partnerships/").json()
    assert made.json()["id"] in {p["school"] for p in listed["results"]}

    campaign = Campaign.objects.get(year=2024, alliance__isnull=True)
    assert campaign.pk in {c["id"] for c in client.get("/api/v1/campaigns/").json()["results"]}
    theme = campaign.themes.get(month=9)
    reported = client.post(
        f"/api/v1/campaigns/{campaign.pk}/reports/",
        {
            "venue": jian.pk,
            "theme": theme.pk,
            "title": "同上一堂科学课（集安）",
            "starts_on": "2024-09-10",
            "ends_on": "2024-09-10",
            "on_site": 200,
            "on_site_approximate": True,
        },
        format="json",
    )
    assert reported.status_code == 201, reported.json()
    detail = client.get(f"/api/v1/campaigns/{campaign.pk}/").json()
    assert len(detail["themes"]) == 10
    assert {r["venue"] for r in detail["reports"]} == {jian.pk}  # only what jian may read
    assert detail["totals"]["units"] == 1 and detail["totals"]["on_site"]["approximate"]
    other_theme = client.post(
        f"/api/v1/campaigns/{campaign.pk}/reports/",
        {**reported.json(), "title": "别的主题", "theme": 99999999, "venue": jian.pk},
        format="json",
    )
    assert other_theme.status_code == 422 and "theme" in other_theme.json()["error"]["fields"]

    days = client.get("/api/v1/theme-days/?year=2024&page_size=100").json()
    assert days["count"] == ThemeDay.objects.filter(starts_on__year=2024).count() > 0


def test_openapi_document_covers_programmes(tmp_path: Any) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    for path in (
        "/api/v1/venues/{venue_id}/activities/",
        "/api/v1/venues/{venue_id}/sessions/{session_id}/record/",
        "/api/v1/public/sessions/{session_id}/registrations/",
        "/api/v1/campaigns/{campaign_id}/reports/",
    ):
        assert path in paths
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))


def test_session_status_is_read_only(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    activity = new_activity(client, jian)
    session = new_session(client, jian, activity["id"], status="held", participants=5)
    assert session["status"] == SessionStatus.PLANNED and session["participants"] is None
