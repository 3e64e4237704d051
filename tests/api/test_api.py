"""The REST API end to end: token auth, scopes, one error format, calendars, OpenAPI."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from rest_framework.test import APIClient

from kepu.core.models import AuditEntry
from kepu.demo.network import DEMO_PASSWORD
from kepu.network.models import Alliance, Hall, Venue

pytestmark = pytest.mark.django_db


def test_token_sign_in_and_me() -> None:
    client = APIClient()
    response = client.post("/api/v1/auth/token/", {"username": "jian", "password": DEMO_PASSWORD})
    assert response.status_code == 200
    client.credentials(HTTP_AUTHORIZATION=f"Token {response.json()['token']}")
    me = client.get("/api/v1/me/").json()
    assert me["username"] == "jian"
    assert me["roles"][0]["role"] == "venue_manager"


def test_wrong_password_is_a_field_error() -> None:
    response = APIClient().post("/api/v1/auth/token/", {"username": "jian", "password": "nope"})
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "invalid"
    assert response.json()["error"]["fields"]["non_field_errors"]


def test_unauthenticated_requests_get_401_in_the_error_format() -> None:
    response = APIClient().get("/api/v1/venues/")
    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"error"} and body["error"]["code"] == "not_authenticated"


def test_venue_list_obeys_scopes(api_as: Any) -> None:
    assert api_as("jian").get("/api/v1/venues/").json()["count"] == 1
    assert api_as("dongbei").get("/api/v1/venues/?page_size=200").json()["count"] == 129
    assert api_as("admin").get("/api/v1/venues/").json()["count"] == Venue.objects.count()
    jilin = api_as("dongbei").get("/api/v1/venues/?province=220000&page_size=200").json()
    assert all(v["division"].startswith("22") for v in jilin["results"])


def test_pagination(api_as: Any) -> None:
    first = api_as("admin").get("/api/v1/venues/?page_size=10").json()
    assert len(first["results"]) == 10 and first["next"] and first["previous"] is None
    second = api_as("admin").get(first["next"]).json()
    assert {v["id"] for v in first["results"]}.isdisjoint({v["id"] for v in second["results"]})


def test_out_of_scope_and_missing_look_the_same(api_as: Any, liaoning: Venue) -> None:
    client = api_as("jian")
    other = client.get(f"/api/v1/venues/{liaoning.pk}/")
    missing = client.get("/api/v1/venues/99999999/")
    assert other.status_code == missing.status_code == 404
    assert other.json() == missing.json()
    assert client.patch(f"/api/v1/venues/{liaoning.pk}/", {"phone": "1"}).status_code == 404
    assert client.get(f"/api/v1/venues/{liaoning.pk}/calendar/").status_code == 404


def test_manager_patches_their_venue_and_it_is_audited(api_as: Any, jian: Venue) -> None:
    response = api_as("jian").patch(
        f"/api/v1/venues/{jian.pk}/", {"website": "https://jakjg.example.cn/"}, format="json"
    )
    assert response.status_code == 200 and response.json()["website"] == "https://jakjg.example.cn/"
    entry = AuditEntry.objects.filter(action="venue.update", venue=jian).latest("id")
    assert entry.after == {"website": "https://jakjg.example.cn/"}


def test_staff_may_not_patch_the_venue(api_as: Any, jian: Venue) -> None:
    response = api_as("jian-staff").patch(
        f"/api/v1/venues/{jian.pk}/", {"phone": "1"}, format="json"
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "permission_denied"


def test_invalid_input_is_422_with_the_field_and_reason(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    bad = client.patch(f"/api/v1/venues/{jian.pk}/", {"website": "not a url"}, format="json")
    assert bad.status_code == 422
    assert bad.json()["error"]["fields"]["website"] == ["请输入合法的URL。"]
    english = client.patch(
        f"/api/v1/venues/{jian.pk}/",
        {"website": "not a url"},
        format="json",
        HTTP_ACCEPT_LANGUAGE="en",
    )
    assert english.json()["error"]["fields"]["website"] == ["Enter a valid URL."]
    identity = client.patch(f"/api/v1/venues/{jian.pk}/", {"name": "新名字"}, format="json")
    assert identity.status_code == 422 and "name" in identity.json()["error"]["fields"]
    assert Venue.objects.get(pk=jian.pk).name == "集安市科技馆"


def test_halls_through_the_api(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    listed = client.get(f"/api/v1/venues/{jian.pk}/halls/").json()
    assert listed["count"] == 5
    assert sum(float(h["area_m2"]) for h in listed["results"]) == 1340
    created = client.post(
        f"/api/v1/venues/{jian.pk}/halls/",
        {"name": "天文科普厅", "kind": "temporary", "area_m2": "120.5"},
        format="json",
    )
    assert created.status_code == 201
    hall_id = created.json()["id"]
    duplicate = client.post(
        f"/api/v1/venues/{jian.pk}/halls/",
        {"name": "天文科普厅", "kind": "temporary", "area_m2": "1"},
        format="json",
    )
    assert duplicate.status_code == 409 and "name" in duplicate.json()["error"]["fields"]
    closed = client.patch(
        f"/api/v1/venues/{jian.pk}/halls/{hall_id}/", {"closed_on": "2026-12-31"}, format="json"
    )
    assert closed.status_code == 200
    assert Hall.objects.get(pk=hall_id).closed_on.isoformat() == "2026-12-31"  # type: ignore[union-attr]


def test_calendar_of_a_year(api_as: Any, jian: Venue) -> None:
    body = (
        api_as("jian")
        .get(f"/api/v1/venues/{jian.pk}/calendar/?year=2024", HTTP_ACCEPT_LANGUAGE="en")
        .json()
    )
    assert body["open_days"] == 265 and body["closed_days"] == 101
    assert body["holidays_known"] is True and len(body["days"]) == 366
    assert body["source"] == "265 open days from the opening calendar 2024-01-01..2024-12-31"
    national_day = next(d for d in body["days"] if d["date"] == "2024-10-01")
    assert national_day["is_open"] and national_day["reason"] == "open_holiday_on_closed_day"
    assert national_day["holiday"] == "National Day"
    assert national_day["opens_at"] == "09:00:00"


def test_calendar_of_a_period_and_a_day(api_as: Any, jian: Venue) -> None:
    client = api_as("jian")
    week = client.get(f"/api/v1/venues/{jian.pk}/calendar/?start=2024-10-01&end=2024-10-07").json()
    assert week["open_days"] == 7
    day = client.get(f"/api/v1/venues/{jian.pk}/calendar/2024-02-09/").json()
    assert day["is_open"] is False and day["reason"] == "closed_announced" and day["exception"]
    bad = client.get(f"/api/v1/venues/{jian.pk}/calendar/2024-13-01/")
    assert bad.status_code == 422 and "date" in bad.json()["error"]["fields"]
    reversed_period = client.get(
        f"/api/v1/venues/{jian.pk}/calendar/?start=2024-10-07&end=2024-10-01"
    )
    assert reversed_period.status_code == 422 and "end" in reversed_period.json()["error"]["fields"]


def test_calendar_of_an_unannounced_year_answers_from_the_pattern(api_as: Any, jian: Venue) -> None:
    body = api_as("jian").get(f"/api/v1/venues/{jian.pk}/calendar/?year=2030").json()
    assert body["holidays_known"] is False and body["unknown_holiday_years"] == [2030]
    assert body["open_days"] > 200
    assert all(day["holidays_known"] is False for day in body["days"])


def test_closures_and_patterns_through_the_api(api_as: Any, jian: Venue) -> None:
    client = api_as("jian-staff")
    created = client.post(
        f"/api/v1/venues/{jian.pk}/calendar-exceptions/",
        {
            "starts_on": "2025-08-01",
            "ends_on": "2025-08-03",
            "reason": "展厅改造",
            "category": "renovation",
        },
        format="json",
    )
    assert created.status_code == 201
    overlap = client.post(
        f"/api/v1/venues/{jian.pk}/calendar-exceptions/",
        {"starts_on": "2025-08-03", "ends_on": "2025-08-04", "reason": "重叠"},
        format="json",
    )
    assert overlap.status_code == 409 and overlap.json()["error"]["code"] == "conflict"
    assert client.get(f"/api/v1/venues/{jian.pk}/calendar/2025-08-02/").json()["is_open"] is False
    deleted = client.delete(f"/api/v1/venues/{jian.pk}/calendar-exceptions/{created.json()['id']}/")
    assert deleted.status_code == 204
    assert (
        client.post(
            f"/api/v1/venues/{jian.pk}/opening-patterns/",
            {
                "valid_from": "2026-01-01",
                "open_weekdays": [2, 3, 4, 5, 6, 7],
                "opens_at": "09:00",
                "closes_at": "17:00",
            },
            format="json",
        ).status_code
        == 403
    )  # staff announce closures; the weekly pattern is the manager's
    pattern = api_as("jian").post(
        f"/api/v1/venues/{jian.pk}/opening-patterns/",
        {
            "valid_from": "2026-01-01",
            "open_weekdays": [2, 3, 4, 5, 6, 7],
            "opens_at": "09:00",
            "closes_at": "17:00",
        },
        format="json",
    )
    assert pattern.status_code == 201 and pattern.json()["open_weekdays"] == [2, 3, 4, 5, 6, 7]
    bad_days = api_as("jian").post(
        f"/api/v1/venues/{jian.pk}/opening-patterns/",
        {
            "valid_from": "2027-01-01",
            "open_weekdays": [0, 8],
            "opens_at": "09:00",
            "closes_at": "17:00",
        },
        format="json",
    )
    assert bad_days.status_code == 422 and "open_weekdays.0" in bad_days.json()["error"]["fields"]


def test_alliance_members_include_member_alliances(
    api_as: Any, alliances: dict[str, Alliance]
) -> None:
    national = alliances["现代科技馆体系"]
    body = api_as("admin").get(f"/api/v1/alliances/{national.pk}/members/?page_size=500").json()
    names = {m["venue_name"] for m in body["results"]}
    assert {"集安市科技馆", "西安市科学技术馆", "中国科学技术馆"} <= names
    northeast = api_as("dongbei").get(f"/api/v1/alliances/{alliances['东北联盟'].pk}/").json()
    assert northeast["member_count"] == 129


def test_coordinator_adds_and_ends_a_membership(
    api_as: Any, alliances: dict[str, Alliance], xian: Venue
) -> None:
    northeast = alliances["东北联盟"]
    client = api_as("dongbei")
    added = client.post(
        f"/api/v1/alliances/{northeast.pk}/members/",
        {"venue": xian.pk, "role": "council", "since": "2025-01-01"},
        format="json",
    )
    assert added.status_code == 201
    ended = client.patch(
        f"/api/v1/alliances/{northeast.pk}/members/{added.json()['id']}/",
        {"until": "2024-12-01"},
        format="json",
    )
    assert ended.status_code == 422 and "until" in ended.json()["error"]["fields"]
    assert api_as("huanghe").get(f"/api/v1/alliances/{northeast.pk}/members/").status_code == 404


def test_registration_record_years(api_as: Any, xian: Venue) -> None:
    organisation_id = xian.organisation_id
    client = api_as("xian")
    record = client.get(f"/api/v1/organisations/{organisation_id}/years/2024/").json()
    assert record == {
        "organisation": organisation_id,
        "year": 2024,
        "assets_start_cny": "631000.00",
        "assets_end_cny": "592700.00",
        "headcount": 31,
    }
    saved = client.put(
        f"/api/v1/organisations/{organisation_id}/years/2025/", {"headcount": 33}, format="json"
    )
    assert saved.status_code == 200 and saved.json()["headcount"] == 33
    assert api_as("jian").get(f"/api/v1/organisations/{organisation_id}/").status_code == 404


def test_divisions_are_reference_data(api_as: Any) -> None:
    body = api_as("jian-staff").get("/api/v1/divisions/?parent=220500").json()
    assert {"code": "220582", "name": "集安市"}.items() <= next(
        d for d in body["results"] if d["code"] == "220582"
    ).items()


def test_audit_api_is_scoped(api_as: Any, jian: Venue, liaoning: Venue) -> None:
    rows = api_as("jian").get("/api/v1/audit/?page_size=500").json()["results"]
    assert rows and all(row["venue"] in (jian.pk, None) for row in rows)
    assert api_as("jian").get(f"/api/v1/audit/?venue={liaoning.pk}").json()["count"] == 0


def test_openapi_document_is_published_and_clean(tmp_path: Any) -> None:
    schema = APIClient().get("/api/v1/schema/?format=json")
    assert schema.status_code == 200
    document = schema.json()
    assert document["openapi"].startswith("3.")
    assert "/api/v1/venues/{venue_id}/calendar/" in document["paths"]
    call_command("spectacular", "--fail-on-warn", "--validate", "--file", str(tmp_path / "s.yml"))
    docs = APIClient().get("/api/v1/docs/")
    assert docs.status_code == 200
    # Everything it loads is served here (museums run on intranets): no address of another
    # host. (Not a search for "cdn": the page's random CSRF token may contain those letters.)
    page = docs.content.decode()
    loaded = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert loaded and all(address.startswith("/static/") for address in loaded)
    assert not re.search(r"(?:https?:)?//[a-z0-9.-]+\.[a-z]{2,}", page, re.IGNORECASE)
