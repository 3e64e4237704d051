"""The touring pages: the coordinator's overview with its map and timeline, the planner and a
plan compared with the plan in force, stops and visitors, caravan week planning; scopes."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

import pytest

from kepu.network.models import Venue
from kepu.programs.models import Caravan
from kepu.touring.models import PlanStatus, RotationPlan, RotationRegion, StopStatus, TourStop
from tests.conftest import signed_in

pytestmark = pytest.mark.django_db


def test_the_region_page_draws_its_map_and_timeline_without_the_internet(
    region: RotationRegion,
) -> None:
    page = signed_in("liaoning").get(f"/touring/regions/{region.pk}/?year=2026").content.decode()
    assert 'id="region-map"' in page and 'id="region-timeline"' in page
    assert page.count('class="route"') == 6  # one route per set
    assert "LN-01" in page and "康平县" in page
    assert not re.search(r"(src|href)=\"https?://", page)  # nothing from a CDN
    index = signed_in("dongbei").get("/touring/").content.decode()
    assert region.name in index
    assert signed_in("xian").get(f"/touring/regions/{region.pk}/").status_code == 404


def test_plan_compare_edit_and_adopt_on_the_pages(region: RotationRegion) -> None:
    client = signed_in("liaoning")
    form = client.get(f"/touring/regions/{region.pk}/plan/?year=2027")
    assert form.status_code == 200 and "2027-03-01" in form.content.decode()
    response = client.post(
        f"/touring/regions/{region.pk}/plan/",
        {
            "year": 2027,
            "first_day": "2027-03-01",
            "periods": 4,
            "weeks": 10,
            "gap_days": 7,
            "repeat_years": 3,
            "weighting": "none",
            "time_limit": 3,
        },
    )
    assert response.status_code == 302
    plan = RotationPlan.objects.filter(region=region, status=PlanStatus.PROPOSED).latest("pk")
    page = client.get(response["Location"]).content.decode()
    assert 'id="comparison"' in page and 'id="km-current"' in page and 'id="gap"' in page
    assert 'id="plan-map"' in page and 'id="plan-timeline"' in page
    # How it was solved and where the distances came from, in words (not codes).
    assert "(整体求解)" in page and "按坐标估算" in page and "estimate" not in page
    stop = plan.stops.select_related("period").first()
    assert stop is not None
    edited = client.post(
        f"/touring/plans/{plan.pk}/edit/",
        {"period": stop.period_id, "set": stop.set_id, "venue": ""},
    )
    assert edited.status_code == 302 and not plan.stops.filter(pk=stop.pk).exists()
    adopted = client.post(f"/touring/plans/{plan.pk}/adopt/")
    assert adopted.status_code == 302
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ADOPTED
    year = client.get(adopted["Location"]).content.decode()
    assert plan.name in year
    assert signed_in("jian").post(f"/touring/plans/{plan.pk}/adopt/").status_code == 404


def test_wrong_planner_input_keeps_it_and_says_why(region: RotationRegion) -> None:
    response = signed_in("liaoning").post(
        f"/touring/regions/{region.pk}/plan/",
        {"year": 2027, "first_day": "2026-03-01", "periods": 4, "weeks": 10, "gap_days": 7,
         "repeat_years": 3, "weighting": "none", "time_limit": 3},
    )  # fmt: skip
    assert response.status_code == 422
    assert "2026-03-01" in response.content.decode()


def test_a_stop_records_its_visitors(region: RotationRegion) -> None:
    stop = TourStop.objects.filter(region=region, status=StopStatus.OPEN).first()
    assert stop is not None
    last = stop.attendance.order_by("-ends_on").first()
    assert last is not None
    client = signed_in("liaoning")
    page = client.get(f"/touring/stops/{stop.pk}/")
    assert page.status_code == 200 and 'id="visitors-form"' in page.content.decode()
    day = (last.ends_on + timedelta(days=1)).isoformat()
    response = client.post(
        f"/touring/stops/{stop.pk}/",
        {"starts_on": day, "ends_on": day, "visitors": 321, "source": "counted"},
    )
    assert response.status_code == 302
    assert stop.attendance.filter(visitors=321).exists()
    again = client.post(
        f"/touring/stops/{stop.pk}/",
        {"starts_on": day, "ends_on": day, "visitors": 1, "source": "counted"},
    )
    assert again.status_code == 422


def test_venue_set_and_host_pages(region: RotationRegion) -> None:
    client = signed_in("liaoning")
    item = region.sets.get(code="LN-02")
    page = client.get(f"/touring/sets/{item.pk}/").content.decode()
    assert "工业机器人" in page and 'id="route"' in page
    host = region.hosts.get(venue__name="新民市流动科技馆站")
    assert "LN-" in client.get(f"/touring/hosts/{host.pk}/").content.decode()
    hosts = client.get(f"/touring/regions/{region.pk}/hosts/").content.decode()
    assert "台安县流动科技馆站" in hosts
    station = Venue.objects.get(name="新民市流动科技馆站")
    admin = signed_in("admin").get(f"/venues/{station.pk}/touring/").content.decode()
    assert "LN-" in admin


def test_caravan_week_planning_pages(liaoning: Venue) -> None:
    client = signed_in("liaoning")
    page = client.get(f"/venues/{liaoning.pk}/caravan-planning/").content.decode()
    assert "新民市大民屯镇中心小学" in page
    caravan = Caravan.objects.get(venue=liaoning)
    response = client.post(
        f"/venues/{liaoning.pk}/caravan-planning/",
        {
            "caravan": caravan.pk,
            "week_starts": "2027-03-08",
            "depot": liaoning.pk,
            "working_days": [0, 1, 2, 3, 4],
            "day_starts": "07:30",
            "day_ends": "17:30",
            "max_drive_minutes": 360,
            "speed_kmh": 60,
            "time_limit": 2,
        },
    )
    assert response.status_code == 302, response.content.decode()[:500]
    plan_page = client.get(response["Location"]).content.decode()
    assert 'id="caravan-map"' in plan_page and 'id="caravan-unserved"' in plan_page
    assert signed_in("xian").get(f"/venues/{liaoning.pk}/caravan-planning/").status_code == 404


def test_the_coordinators_pages_read_in_a_few_queries(
    region: RotationRegion, plan_in_force: RotationPlan, django_assert_max_num_queries: Any
) -> None:
    """However many sets, stops and venues: no query per row."""
    client = signed_in("liaoning")
    client.get("/touring/")  # the session and the scope, once
    for url, most in (
        (f"/touring/regions/{region.pk}/?year=2026", 26),
        (f"/touring/regions/{region.pk}/hosts/", 14),
        (f"/touring/plans/{plan_in_force.pk}/", 36),
    ):
        with django_assert_max_num_queries(most):
            assert client.get(url).status_code == 200
