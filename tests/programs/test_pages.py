"""The programme pages: lists, calendar, forms that keep the input and say what is wrong,
recording participants, public sign-up, and scope."""

from __future__ import annotations

from datetime import timedelta

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from kepu.network.models import Hall, Venue
from kepu.programs.models import Activity, Campaign, Registration, Session
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_programme_pages_show_the_reports_figures(jian: Venue) -> None:
    client = signed_in("jian")
    page = client.get(f"/venues/{jian.pk}/programme/?year=2024")
    assert page.status_code == 200
    text = page.content.decode()
    assert "科技研学实践活动" in text and "约1650" in text
    assert client.get(f"/venues/{jian.pk}/programme/?year=2024&where=outreach").status_code == 200
    calendar = client.get(f"/venues/{jian.pk}/programme/calendar/?year=2024&month=9")
    assert "画笔描绘科技" in calendar.content.decode()
    trips = client.get(f"/venues/{jian.pk}/caravan-trips/?year=2024").content.decode()
    assert "约9000" in trips
    schools = client.get(f"/venues/{jian.pk}/schools/").content.decode()
    assert "集安市第一小学" in schools
    english = signed_in("jian")
    english.post("/language/", {"language": "en", "next": "/"})
    assert "about 1,650" in english.get(f"/venues/{jian.pk}/programme/?year=2024").content.decode()


def test_other_venues_programmes_do_not_exist_for_you(jian: Venue, liaoning: Venue) -> None:
    client = signed_in("liaoning")
    activity = Activity.objects.filter(venue=jian).first()
    assert activity is not None
    assert client.get(f"/venues/{jian.pk}/programme/").status_code == 404
    assert client.get(f"/venues/{jian.pk}/programme/{activity.pk}/").status_code == 404
    assert client.get(f"/venues/{liaoning.pk}/programme/{activity.pk}/").status_code == 404
    assert signed_in("jian-staff").get(f"/venues/{jian.pk}/programme/new/").status_code == 200
    assert signed_in("dongbei").get(f"/venues/{jian.pk}/programme/new/").status_code == 403


def test_create_an_activity_and_a_session_then_record_it(jian: Venue) -> None:
    client = signed_in("jian-staff")
    bad = client.post(f"/venues/{jian.pk}/programme/new/", {"name": "", "activity_type": "show"})
    assert bad.status_code == 422
    made = client.post(
        f"/venues/{jian.pk}/programme/new/",
        {"name": "页面测试课", "activity_type": "lecture", "audience": "public"},
    )
    activity = Activity.objects.get(venue=jian, name="页面测试课")
    assert made.status_code == 302 and made["Location"].endswith(f"/programme/{activity.pk}/")
    day = timezone.localdate() + timedelta(days=5)
    hall = Hall.objects.filter(venue=jian).first()
    assert hall is not None
    form = {
        "day": day.isoformat(),
        "starts": "09:00",
        "ends": "08:00",
        "place_kind": "hall",
        "hall": hall.pk,
        "capacity": "20",
        "registration_open": "on",
    }
    wrong = client.post(f"/venues/{jian.pk}/programme/{activity.pk}/sessions/new/", form)
    assert wrong.status_code == 422 and "09:00" in wrong.content.decode()  # the input is kept
    form["ends"] = "10:30"
    client.post(f"/venues/{jian.pk}/programme/{activity.pk}/sessions/new/", form)
    session = Session.objects.get(activity=activity)
    assert session.places_left == 20
    record = {"participants": "18", "participants_approximate": "on", "st_workers": "2"}
    early = client.post(f"/venues/{jian.pk}/sessions/{session.pk}/", record)
    assert early.status_code == 422 and "尚未开始" in early.content.decode()
    with time_machine.travel(session.starts_at + timedelta(hours=1)):
        recorded = client.post(f"/venues/{jian.pk}/sessions/{session.pk}/", record)
    assert recorded.status_code == 302
    session.refresh_from_db()
    assert (session.status, session.participants, session.participants_approximate) == (
        "held",
        18,
        True,
    )


def test_public_sign_up_and_cancel(jian: Venue) -> None:
    session = Session.objects.filter(venue=jian, registration_open=True).first()
    assert session is not None
    visitor = Client()
    listing = visitor.get(f"/visit/{jian.pk}/activities/")
    assert "周末亲子科学实验课" in listing.content.decode()
    page = visitor.get(f"/visit/session/{session.pk}/")
    assert page.status_code == 200
    wrong = visitor.post(
        f"/visit/session/{session.pk}/",
        {"kind": "person", "name": "游客甲", "phone": "12345", "headcount": "2"},
    )
    assert wrong.status_code == 422 and "游客甲" in wrong.content.decode()
    done = visitor.post(
        f"/visit/session/{session.pk}/",
        {
            "kind": "person",
            "name": "游客甲",
            "phone": "13812340000",
            "headcount": "2",
            "idempotency_key": "page-1",
        },
    )
    assert done.status_code == 302
    registration = Registration.objects.get(session=session, idempotency_key="page-1")
    own = visitor.get(done["Location"])
    assert registration.reference in own.content.decode() and "游客甲" not in own.content.decode()
    visitor.post(done["Location"] + "cancel/")
    registration.refresh_from_db()
    assert registration.status == "cancelled"
    assert visitor.get("/visit/signup/forged-token/").status_code == 404


def test_joint_actions_pages(jian: Venue) -> None:
    client = signed_in("jian")
    joint = Campaign.objects.get(year=2024)
    assert "2024年现代科技馆体系联合行动" in client.get("/campaigns/").content.decode()
    page = client.get(f"/campaigns/{joint.pk}/").content.decode()
    assert "珍惜资源" in page and "人民的科学中心" in page
    assert client.get(f"/campaigns/{joint.pk}/report/{jian.pk}/").status_code == 200


def test_the_admin_shows_programmes_within_scope(jian: Venue, liaoning: Venue) -> None:
    client = signed_in("jian")
    listing = client.get("/admin/programs/activity/?q=").content.decode()
    assert "科技研学实践活动" in listing and "科普大篷车进基层" not in listing
    other = Activity.objects.filter(venue=liaoning).first()
    assert other is not None
    assert client.get(f"/admin/programs/activity/{other.pk}/change/").status_code == 302
    assert "集安市第一小学" in client.get("/admin/programs/school/?q=集安").content.decode()
    signups = client.get("/admin/programs/registration/").content.decode()
    assert "phone_hash" not in signups


def test_record_a_caravan_trip_with_its_stops(jian: Venue) -> None:
    from kepu.programs.models import Caravan, CaravanTrip

    client = signed_in("jian-staff")
    caravan = Caravan.objects.get(venue=jian)
    base = {
        "caravan": caravan.pk,
        "title": "页面大篷车行程",
        "starts_on": "2025-06-03",
        "ends_on": "2025-06-04",
        "km": "86.5",
        "stops-TOTAL_FORMS": "6",
        "stops-INITIAL_FORMS": "0",
        "stops-MIN_NUM_FORMS": "0",
        "stops-MAX_NUM_FORMS": "12",
    }
    for index in range(6):
        base[f"stops-{index}-place_kind"] = "school"
    stops = {
        "stops-0-day": "2025-06-03",
        "stops-0-name": "清河镇中心小学",
        "stops-0-people_served": "180",
        "stops-1-day": "2025-06-09",  # outside the trip
        "stops-1-name": "头道镇中心小学",
        "stops-1-people_served": "120",
    }
    wrong = client.post(f"/venues/{jian.pk}/caravan-trips/new/", {**base, **stops})
    assert wrong.status_code == 422 and "头道镇中心小学" in wrong.content.decode()
    assert not CaravanTrip.objects.filter(title="页面大篷车行程").exists()
    stops["stops-1-day"] = "2025-06-04"
    done = client.post(f"/venues/{jian.pk}/caravan-trips/new/", {**base, **stops})
    assert done.status_code == 302
    trip = CaravanTrip.objects.get(title="页面大篷车行程")
    assert [s.people_served for s in trip.stops.all()] == [180, 120]


def test_add_a_partner_school_new_to_the_register(jian: Venue) -> None:
    from kepu.programs.models import Partnership

    client = signed_in("jian")
    empty = client.post(f"/venues/{jian.pk}/schools/partnerships/new/", {"signed_on": "2025-03-01"})
    assert empty.status_code == 422
    done = client.post(
        f"/venues/{jian.pk}/schools/partnerships/new/",
        {"new_school": "集安市第三中学", "school_kind": "junior", "signed_on": "2025-03-01"},
    )
    assert done.status_code == 302
    assert Partnership.objects.filter(venue=jian, school__name="集安市第三中学").exists()
    assert client.get(f"/venues/{jian.pk}/experts/new/").status_code == 200
    assert client.get(f"/venues/{jian.pk}/competitions/new/").status_code == 200
    assert signed_in("dongbei").get(f"/venues/{jian.pk}/experts/new/").status_code == 403


def test_coordinators_start_joint_actions_with_monthly_themes(jian: Venue) -> None:
    from kepu.network.models import Alliance

    assert signed_in("jian").get("/campaigns/new/").status_code == 403
    assert signed_in("dongbei").get("/theme-days/new/").status_code == 403
    northeast = Alliance.objects.get(name="东北三省一区科普场馆联盟")
    client = signed_in("dongbei")
    done = client.post(
        "/campaigns/new/",
        {
            "name": "东北联盟2025年科普日联合行动",
            "year": "2025",
            "alliance": northeast.pk,
            "starts_on": "2025-09-01",
            "ends_on": "2025-09-30",
            "theme_9": "同上一堂科学课",
        },
    )
    assert done.status_code == 302
    campaign = Campaign.objects.get(name="东北联盟2025年科普日联合行动")
    assert [(t.month, t.name) for t in campaign.themes.all()] == [(9, "同上一堂科学课")]
    admin = signed_in("admin")
    made = admin.post(
        "/theme-days/new/",
        {
            "name": "全国科普日",
            "kind": "science_day",
            "starts_on": "2025-09-20",
            "ends_on": "2025-09-26",
        },
    )
    assert made.status_code == 302


def test_name_the_st_workers_of_a_session(jian: Venue) -> None:
    from kepu.programs.models import Expert

    session = Session.objects.filter(venue=jian, status="held").first()
    assert session is not None
    experts = list(Expert.objects.filter(venue=jian)[:2])
    client = signed_in("jian-staff")
    client.post(
        f"/venues/{jian.pk}/sessions/{session.pk}/workers/",
        {"experts": [e.pk for e in experts], "role": "guide"},
    )
    assert sorted(session.workers.values_list("expert_id", flat=True)) == sorted(
        e.pk for e in experts
    )
    page = client.get(f"/venues/{jian.pk}/sessions/{session.pk}/").content.decode()
    assert experts[0].name in page
