"""Volunteers through the API: the public application with its Idempotency-Key and field errors,
selection, the roll, shifts with check-in and check-out, a volunteer's own places and sign-ups,
certificates and their verification, the figures, scopes and the schema."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from kepu.core.models import User
from kepu.network.models import Venue
from kepu.volunteers.models import Application, Drive, Post, Volunteer
from tests.visits.conftest import resident_id

pytestmark = pytest.mark.django_db


def at(day: date, hour: int) -> str:
    return timezone.make_aware(datetime.combine(day, time(hour))).isoformat()


def application_body(serial: int, **changes: Any) -> dict[str, Any]:
    return {
        "category": "public",
        "person": {
            "name": f"接口志愿者{serial}",
            "id_number": resident_id(serial, date(1988, 8, 8), "610113"),
            "phone": f"139{serial:08d}",
        },
        "organisation": "西安市某社区",
        "availability": ["weekend_am", "holidays"],
        "agreed": True,
        **changes,
    }


@pytest.fixture
def drive(xian: Venue) -> Drive:
    return Drive.objects.get(venue=xian, status=Drive.Status.OPEN)


def apply(drive: Drive, body: dict[str, Any], key: str | None = None) -> Any:
    headers = {"HTTP_IDEMPOTENCY_KEY": key} if key else {}
    return APIClient().post(
        f"/api/v1/public/volunteer-drives/{drive.pk}/applications/", body, format="json", **headers
    )


def accept(client: APIClient, venue: Venue, application_id: int) -> int:
    base = f"/api/v1/venues/{venue.pk}/volunteer-applications/{application_id}/"
    interviewed = client.post(
        base + "interview/",
        {"interviewed_at": timezone.now().isoformat(), "score": 88},
        format="json",
    )
    assert interviewed.status_code == 200, interviewed.json()
    assert interviewed.json()["stage"] == "interviewed"
    accepted = client.post(base + "accept/", {}, format="json")
    assert accepted.status_code == 200, accepted.json()
    assert accepted.json()["stage"] == "accepted"
    return int(accepted.json()["volunteer"])


def test_the_public_lists_open_drives_and_applies_once(drive: Drive) -> None:
    drives = APIClient().get("/api/v1/public/volunteer-drives/")
    assert drives.status_code == 200
    assert drive.pk in [d["id"] for d in drives.json()]
    made = apply(drive, application_body(601), key="api-601")
    assert made.status_code == 201, made.json()
    body = made.json()
    assert body["stage"] == "pending" and body["name_masked"].startswith("接")
    assert "name" not in body and "6101" in body["id_masked"]
    again = apply(drive, application_body(601), key="api-601")
    assert again.status_code == 200 and again.json()["id"] == body["id"]
    clash = apply(drive, application_body(601))
    assert clash.status_code == 409 and clash.json()["error"]["code"] == "already_applied"


@override_settings(KEPU_BOOKING_RATE_PER_ID="2/h")
def test_applications_for_one_id_are_rate_limited(drive: Drive) -> None:
    codes = [apply(drive, application_body(604)) for _ in range(3)]
    assert [response.status_code for response in codes] == [201, 409, 429]
    assert codes[2].json()["error"]["code"] == "rate_limited"
    # Another person from the same address is still taken.
    assert apply(drive, application_body(605)).status_code == 201


@override_settings(KEPU_BOOKING_RATE_PER_IP="2/m")
def test_applications_from_one_address_are_rate_limited(drive: Drive) -> None:
    codes = [apply(drive, application_body(606 + i)).status_code for i in range(3)]
    assert codes == [201, 201, 429]


def test_field_errors_come_back_per_field(drive: Drive) -> None:
    body = application_body(602, agreed=False, availability=[])
    body["person"]["id_number"] = "610113198808086020"
    response = apply(drive, body)
    assert response.status_code == 422
    fields = response.json()["error"]["fields"]
    assert {"id_number", "agreed", "availability"} <= set(fields)


def test_selection_and_the_roll(api_as: Any, xian: Venue, jian: Venue, drive: Drive) -> None:
    made = apply(drive, application_body(603)).json()
    coordinator = api_as("xian-volunteers")
    listed = coordinator.get(
        f"/api/v1/venues/{xian.pk}/volunteer-applications/?stage=pending&page_size=500"
    )
    assert made["id"] in [a["id"] for a in listed.json()["results"]]
    outsider = api_as("jian")
    assert (
        outsider.get(f"/api/v1/venues/{xian.pk}/volunteer-applications/{made['id']}/").status_code
        == 404
    )
    early = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-applications/{made['id']}/accept/", {}, format="json"
    )
    assert early.status_code == 409 and early.json()["error"]["code"] == "wrong_stage"
    volunteer_id = accept(coordinator, xian, made["id"])
    record = coordinator.get(f"/api/v1/venues/{xian.pk}/volunteers/{volunteer_id}/").json()
    assert record["volunteer_status"] == "probation" and record["summary"]["stars"] == 0
    roll = coordinator.get(
        f"/api/v1/venues/{xian.pk}/volunteers/?status=on_roll&page_size=500"
    ).json()
    assert volunteer_id in [v["id"] for v in roll["results"]]
    assert all("hours" in v for v in roll["results"])
    assert outsider.get(f"/api/v1/venues/{xian.pk}/volunteers/").status_code == 404
    assert api_as("jian-staff").get(f"/api/v1/venues/{jian.pk}/volunteers/").status_code == 403


def test_shifts_check_in_and_out_and_figures(api_as: Any, xian: Venue) -> None:
    coordinator = api_as("xian-volunteers")
    guidance = Post.objects.get(venue=xian, kind="guidance")
    day = timezone.localdate() - timedelta(days=1)
    created = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-shifts/",
        {
            "title": "接口补录班",
            "starts_at": at(day, 9),
            "ends_at": at(day, 11),
            "places": [{"post": guidance.pk, "places": 2}],
        },
        format="json",
    )
    assert created.status_code == 201, created.json()
    shift = created.json()
    assert shift["posts"][0]["places_left"] == 2
    volunteer = Volunteer.objects.filter(venue=xian, status="active").first()
    assert volunteer is not None
    before = coordinator.get(
        f"/api/v1/venues/{xian.pk}/volunteer-figures/?start={day}&end={day}"
    ).json()
    assigned = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-shifts/{shift['id']}/assignments/",
        {"volunteer": volunteer.pk, "shift_post": shift["posts"][0]["id"]},
        format="json",
    )
    assert assigned.status_code == 201, assigned.json()
    assignment = assigned.json()["id"]
    late = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-assignments/{assignment}/check-in/"
    )
    assert late.status_code == 409 and late.json()["error"]["code"] == "too_late"
    corrected = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-assignments/{assignment}/no-show/"
    )
    assert corrected.json()["assignment_status"] == "no_show"
    fixed = coordinator.post(
        f"/api/v1/venues/{xian.pk}/volunteer-assignments/{assignment}/correct/",
        {"minutes": 120, "reason": "纸质签到表补录"},
        format="json",
    )
    assert fixed.status_code == 200 and fixed.json()["hours"] == "2.0" and fixed.json()["corrected"]
    after = coordinator.get(
        f"/api/v1/venues/{xian.pk}/volunteer-figures/?start={day}&end={day}"
    ).json()
    assert float(after["volunteer_hours"]) - float(before["volunteer_hours"]) == pytest.approx(2.0)
    assert set(after) >= {"volunteers_active", "volunteers_new", "experts_mobilised"}


def test_a_volunteer_signs_up_through_the_api(api_as: Any, xian: Venue, drive: Drive) -> None:
    made = apply(
        drive, application_body(604, username="api.volunteer604", password="a-Long-secret-604")
    ).json()
    volunteer_id = accept(api_as("xian-volunteers"), xian, made["id"])
    user = User.objects.get(username="api.volunteer604")
    me = APIClient()
    me.force_authenticate(user)
    records = me.get("/api/v1/volunteering/me/").json()
    assert [v["id"] for v in records["volunteers"]] == [volunteer_id]
    places = me.get(f"/api/v1/volunteering/me/{volunteer_id}/places/?page_size=500").json()[
        "results"
    ]
    open_place = next(p for p in places if p["post_name"] != "展品讲解员" and p["places_left"] > 0)
    url = f"/api/v1/volunteering/me/{volunteer_id}/places/{open_place['id']}/sign-up/"
    first = me.post(url, HTTP_IDEMPOTENCY_KEY="me-604")
    assert first.status_code == 201, first.json()
    assert me.post(url, HTTP_IDEMPOTENCY_KEY="me-604").status_code == 200
    gated = next(p for p in places if p["post_name"] == "展品讲解员" and not p["on_shift"])
    refused = me.post(f"/api/v1/volunteering/me/{volunteer_id}/places/{gated['id']}/sign-up/")
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] in {"training_required", "overlap", "full"}
    cancelled = me.post(f"/api/v1/volunteering/me/assignments/{first.json()['id']}/cancel/")
    assert cancelled.json()["assignment_status"] == "cancelled"
    nothing = me.post(f"/api/v1/volunteering/me/{volunteer_id}/certificates/", {}, format="json")
    assert nothing.status_code == 409 and nothing.json()["error"]["code"] == "no_service"
    other = Volunteer.objects.filter(venue=xian).exclude(pk=volunteer_id).first()
    assert other is not None
    assert me.get(f"/api/v1/volunteering/me/{other.pk}/places/").status_code == 404


def test_certificates_are_verified_by_anyone(api_as: Any) -> None:
    demo = Volunteer.objects.get(user__username="xian-volunteer")
    me = APIClient()
    me.force_authenticate(demo.user)
    listed = me.get(f"/api/v1/volunteering/me/{demo.pk}/certificates/").json()["results"]
    code = listed[0]["code"]
    checked = APIClient().get(f"/api/v1/public/volunteer-certificates/{code.lower()}/")
    assert checked.status_code == 200 and checked.json()["valid"]
    assert checked.json()["holder_number"] == demo.number and float(checked.json()["hours"]) > 0
    assert (
        APIClient().get("/api/v1/public/volunteer-certificates/AAAA-BBBB-CCCC/").status_code == 404
    )


def test_openapi_document_covers_volunteers() -> None:
    paths = APIClient().get("/api/v1/schema/?format=json").json()["paths"]
    for path in (
        "/api/v1/public/volunteer-drives/{drive_id}/applications/",
        "/api/v1/venues/{venue_id}/volunteer-applications/{application_id}/{decision}/",
        "/api/v1/volunteering/me/{volunteer_id}/places/{shift_post_id}/sign-up/",
        "/api/v1/public/volunteer-certificates/{code}/",
        "/api/v1/venues/{venue_id}/volunteer-figures/",
    ):
        assert path in paths
    assert Application.objects.exists()


def test_drive_lists_read_in_a_fixed_number_of_queries(
    api_as: Any, xian: Venue, drive: Drive
) -> None:
    """Each drive's venue and colleges come with the list, not one query per drive."""
    coordinator = api_as("xian-volunteers")
    url = f"/api/v1/venues/{xian.pk}/volunteer-drives/"

    def queries(fetch: Any) -> int:
        with CaptureQueriesContext(connection) as captured:
            assert fetch().status_code == 200
        return len(captured)

    public_url = "/api/v1/public/volunteer-drives/"
    for _warm in range(2):  # the second pass is the one counted (caches filled)
        mine = queries(lambda: coordinator.get(url))
        public = queries(lambda: APIClient().get(public_url))
    for index in range(3):
        copy = Drive.objects.get(pk=drive.pk)
        copy.pk, copy.title = None, f"{drive.title} {index}"
        copy.save()
        copy.colleges.set(drive.colleges.all())
    assert Drive.objects.filter(venue=xian).count() >= 4
    assert queries(lambda: coordinator.get(url)) == mine
    assert queries(lambda: APIClient().get(public_url)) == public
