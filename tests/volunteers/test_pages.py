"""The volunteer pages: the public application form, the coordinator's pages and actions, the
volunteer's own pages, the XLSX export, and scopes (another venue's pages are "not found")."""

from __future__ import annotations

from datetime import date, timedelta
from io import BytesIO
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from openpyxl import load_workbook

from kepu.demo.network import DEMO_PASSWORD
from kepu.network.models import Venue
from kepu.volunteers.models import (
    Application,
    ApplicationStatus,
    Assignment,
    Certificate,
    Drive,
    Shift,
    Volunteer,
)
from tests.conftest import signed_in
from tests.visits.conftest import resident_id

pytestmark = pytest.mark.django_db


def form(serial: int, drive: Drive, **changes: Any) -> dict[str, Any]:
    page = Client().get(f"/volunteer/drives/{drive.pk}/")
    key = page.context["form"].initial["request_key"]
    return {
        "category": "public",
        "name": f"网页志愿者{serial}",
        "id_type": "resident_id",
        "id_number": resident_id(serial, date(1995, 2, 2), "610113"),
        "phone": f"139{serial:08d}",
        "organisation": "西安市某社区",
        "availability": ["weekend_am"],
        "agreed": "on",
        "username": f"web.volunteer{serial}",
        "password": f"a-Long-secret-{serial}",
        "request_key": key,
        **changes,
    }


@pytest.fixture
def drive(xian: Venue) -> Drive:
    return Drive.objects.get(venue=xian, status=Drive.Status.OPEN)


def test_the_public_applies_without_signing_in_and_keeps_their_input(drive: Drive) -> None:
    visitor = Client()
    assert visitor.get("/volunteer/").status_code == 200
    bad = visitor.post(
        f"/volunteer/drives/{drive.pk}/", form(701, drive, id_number="610113199502027010")
    )
    assert bad.status_code == 422
    assert bad.context["form"].errors["id_number"]
    assert "网页志愿者701" in bad.content.decode()
    made = visitor.post(f"/volunteer/drives/{drive.pk}/", form(701, drive))
    assert made.status_code == 302
    application = Application.objects.get(user__username="web.volunteer701")
    assert application.status == ApplicationStatus.PENDING
    confirmation = visitor.get(made["Location"])
    assert application.reference in confirmation.content.decode()
    mine = visitor.get("/volunteer/me/")  # signed in by applying
    assert mine.status_code == 200 and application.reference in mine.content.decode()
    # Only the link given opens the confirmation: a made-up or altered one is not found.
    assert visitor.get("/volunteer/applied/forged-token/").status_code == 404
    assert visitor.get(made["Location"].rstrip("/") + "x/").status_code == 404


def test_a_double_submit_applies_once(drive: Drive) -> None:
    data = form(702, drive)
    Client().post(f"/volunteer/drives/{drive.pk}/", data)
    again = Client().post(f"/volunteer/drives/{drive.pk}/", data)
    assert again.status_code == 302
    assert (
        Application.objects.filter(
            id_masked__endswith=data["id_number"][-4:], venue=drive.venue
        ).count()
        == 1
    )


def test_the_coordinators_pages(xian: Venue) -> None:
    coordinator = signed_in("xian-volunteers")
    volunteer = Volunteer.objects.filter(venue=xian).order_by("pk").first()
    shift = Shift.objects.filter(venue=xian, assignments__status="completed").first()
    assert volunteer is not None and shift is not None
    base = f"/venues/{xian.pk}/volunteers/"
    for path in (
        "",
        "applications/",
        "applications/?status=interviewed",
        "roll/",
        f"roll/{volunteer.pk}/",
        "shifts/",
        f"shifts/{shift.pk}/",
        "desk/",
        "teams/",
        "training/",
        "settings/",
        "drives/new/",
        "shifts/new/",
        "shifts/recurring/new/",
    ):
        assert coordinator.get(base + path).status_code == 200, path
    assert coordinator.get("/volunteers/")["Location"] == base
    overview = coordinator.get(base).content.decode()
    assert 'data-stage="pending"' in overview and 'id="team-hours"' in overview


def test_another_venues_coordinator_sees_not_found(xian: Venue, jian: Venue) -> None:
    outsider = signed_in("jian")
    volunteer = Volunteer.objects.filter(venue=xian).first()
    assert volunteer is not None
    assert outsider.get(f"/venues/{xian.pk}/volunteers/roll/{volunteer.pk}/").status_code == 404
    assert outsider.get(f"/venues/{jian.pk}/volunteers/roll/{volunteer.pk}/").status_code == 404
    assert outsider.get(f"/venues/{jian.pk}/volunteers/roll/").status_code == 200
    assert signed_in("jian-staff").get(f"/venues/{jian.pk}/volunteers/roll/").status_code == 403


def test_selection_through_the_pages(xian: Venue, drive: Drive) -> None:
    Client().post(f"/volunteer/drives/{drive.pk}/", form(703, drive))
    application = Application.objects.get(user__username="web.volunteer703")
    coordinator = signed_in("xian-volunteers")
    base = f"/venues/{xian.pk}/volunteers/applications/{application.pk}/"
    page = coordinator.get(base)
    assert page.status_code == 200 and 'id="interview-form"' in page.content.decode()
    coordinator.post(
        base + "interview/",
        {"interviewed_at": timezone.localtime().strftime("%Y-%m-%dT%H:%M"), "score": "80"},
    )
    accepted = coordinator.post(base + "accept/", {"team": "", "reason": ""})
    volunteer = Volunteer.objects.get(application=application)
    assert accepted["Location"] == f"/venues/{xian.pk}/volunteers/roll/{volunteer.pk}/"
    revealed = coordinator.post(
        f"/venues/{xian.pk}/volunteers/roll/{volunteer.pk}/", {"reveal": "1", "reason": "保险投保"}
    )
    assert "网页志愿者703" in revealed.content.decode()


def test_the_volunteers_own_pages(xian: Venue) -> None:
    me = signed_in("xian-volunteer")
    volunteer = Volunteer.objects.get(user__username="xian-volunteer")
    assert me.get("/volunteers/")["Location"] == "/volunteer/me/"
    assert me.get("/volunteer/me/")["Location"] == f"/volunteer/me/{volunteer.pk}/"
    page = me.get(f"/volunteer/me/{volunteer.pk}/").content.decode()
    assert 'id="my-qr"' in page and "<svg" in page and 'data-stars="' in page
    assert me.get(f"/volunteer/me/{volunteer.pk}/shifts/").status_code == 200
    other = Volunteer.objects.filter(venue=xian).exclude(pk=volunteer.pk).first()
    assert other is not None
    assert me.get(f"/volunteer/me/{other.pk}/").status_code == 404
    assert me.get(f"/venues/{xian.pk}/volunteers/roll/").status_code == 404
    certificate = Certificate.objects.get(volunteer=volunteer)
    pdf = me.get(f"/volunteer/me/certificates/{certificate.pk}/pdf/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    # Another volunteer's certificate (a copy of this one, made out to them) is not found.
    stranger = Certificate.objects.get(pk=certificate.pk)
    stranger.pk, stranger.volunteer, stranger.code = None, other, "TEST-OTHER-01"
    stranger.save()
    assert me.get(f"/volunteer/me/certificates/{stranger.pk}/pdf/").status_code == 404


def test_signing_up_and_cancelling_on_the_page(xian: Venue) -> None:
    me = signed_in("xian-volunteer")
    volunteer = Volunteer.objects.get(user__username="xian-volunteer")
    page = me.get(f"/volunteer/me/{volunteer.pk}/shifts/")
    places = [p for p in page.context["places"] if not p.on_shift and p.places_left]
    assert places
    before = Assignment.objects.filter(volunteer=volunteer, status="signed_up").count()
    for entry in places[:5]:
        me.post(
            f"/volunteer/me/{volunteer.pk}/shifts/{entry.pk}/sign-up/",
            {"request_key": f"t{entry.pk}"},
        )
        if Assignment.objects.filter(volunteer=volunteer, status="signed_up").count() > before:
            break
    assignment = (
        Assignment.objects.filter(volunteer=volunteer, status="signed_up").order_by("-pk").first()
    )
    assert assignment is not None
    me.post(f"/volunteer/me/shifts/{assignment.pk}/cancel/")
    assignment.refresh_from_db()
    assert assignment.status == "cancelled"


def test_the_desk_checks_in_by_code(xian: Venue) -> None:
    from kepu.volunteers.services.service import qr_payload

    now = timezone.now()
    coming = (
        Assignment.objects.filter(venue=xian, status="signed_up", starts_at__gt=now)
        .select_related("volunteer")
        .order_by("starts_at")
        .first()
    )
    assert coming is not None
    Assignment.objects.filter(pk=coming.pk).update(
        starts_at=now - timedelta(minutes=10), ends_at=now + timedelta(hours=2)
    )
    desk = signed_in("xian-volunteers")
    response = desk.post(
        f"/venues/{xian.pk}/volunteers/desk/", {"code": qr_payload(coming.volunteer)}
    )
    assert response.status_code == 200 and 'id="desk-result"' in response.content.decode()
    coming.refresh_from_db()
    assert coming.status == "checked_in"


def test_the_xlsx_export_has_the_roll_and_the_hours(xian: Venue) -> None:
    coordinator = signed_in("xian-volunteers")
    year = timezone.localdate().year
    response = coordinator.get(f"/venues/{xian.pk}/volunteers/roll/export/?year={year}")
    workbook = load_workbook(BytesIO(response.content))
    roll, months = workbook.worksheets
    numbers = {row[0].value for row in roll.iter_rows(min_row=2)}
    assert set(Volunteer.objects.filter(venue=xian).values_list("number", flat=True)) <= numbers
    assert months.max_row >= 2 and months.cell(1, 14).value  # teams × 12 months + total
    assert all("*" in str(row[1].value) for row in roll.iter_rows(min_row=2))  # names masked


def test_certificates_are_verified_without_signing_in() -> None:
    certificate = Certificate.objects.first()
    assert certificate is not None
    page = Client().get(f"/volunteer/verify/{certificate.code}/")
    assert page.status_code == 200 and 'id="verify-result"' in page.content.decode()
    assert certificate.holder_name_masked in page.content.decode()
    assert Client().get("/volunteer/verify/ZZZZ-ZZZZ-ZZZZ/").status_code == 404


def test_the_roll_reads_in_a_fixed_number_of_queries(xian: Venue) -> None:
    coordinator = signed_in("xian-volunteers")
    url = f"/venues/{xian.pk}/volunteers/roll/?status="
    coordinator.get(url)
    with CaptureQueriesContext(connection) as queries:
        response = coordinator.get(url)
    assert response.status_code == 200 and len(response.context["rows"]) == 100
    assert len(queries) < 20


def test_signing_in_as_the_demo_volunteer() -> None:
    assert Client().login(username="xian-volunteer", password=DEMO_PASSWORD)


def test_probation_is_extended_and_places_changed_from_the_pages(xian: Venue) -> None:
    coordinator = signed_in("xian-volunteers")
    volunteer = Volunteer.objects.filter(venue=xian, status="probation").first()
    assert volunteer is not None and volunteer.probation_until is not None
    later = volunteer.probation_until + timedelta(days=30)
    coordinator.post(
        f"/venues/{xian.pk}/volunteers/roll/{volunteer.pk}/extend/", {"until": later.isoformat()}
    )
    volunteer.refresh_from_db()
    assert volunteer.probation_until == later
    shift = Shift.objects.filter(venue=xian, starts_at__gt=timezone.now()).first()
    assert shift is not None
    entry = shift.posts.select_related("post").first()
    assert entry is not None
    places, left = entry.places, entry.places_left
    coordinator.post(
        f"/venues/{xian.pk}/volunteers/shifts/{shift.pk}/places/",
        {"post": entry.post_id, "places": places + 3},
    )
    entry.refresh_from_db()
    assert (entry.places, entry.places_left) == (places + 3, left + 3)


def test_the_menu_entry_leads_each_role_to_its_volunteer_pages(xian: Venue, jian: Venue) -> None:
    assert (
        signed_in("jian-staff").get("/volunteers/")["Location"] == f"/venues/{jian.pk}/volunteers/"
    )
    assert signed_in("xian").get("/volunteers/")["Location"] == f"/venues/{xian.pk}/volunteers/"
    assert signed_in("admin").get("/volunteers/")["Location"] == "/venues/"
