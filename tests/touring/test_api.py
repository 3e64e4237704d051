"""Touring through the API: regions and sets in scope, the planner end to end (propose, edit,
adopt), visitors and figures, caravan week plans; errors as everywhere else."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

import pytest

from kepu.network.models import Venue
from kepu.programs.models import Caravan, CaravanTrip
from kepu.touring.models import RotationRegion, StopStatus, TourStop
from kepu.touring.selectors import touring_figures

pytestmark = pytest.mark.django_db


def test_regions_and_sets_in_scope(api_as: Any, region: RotationRegion) -> None:
    listed = api_as("dongbei").get("/api/v1/touring/regions/").json()
    assert [item["name"] for item in listed["results"]] == [region.name]
    assert listed["results"][0]["set_count"] == 6
    assert api_as("xian").get("/api/v1/touring/regions/").json()["results"] == []
    assert api_as("xian").get(f"/api/v1/touring/regions/{region.pk}/sets/").status_code == 404
    sets = api_as("liaoning").get(f"/api/v1/touring/regions/{region.pk}/sets/").json()
    assert sets["count"] == 6 and "航空航天" in sets["results"][0]["themes"]
    made = api_as("liaoning").post(
        f"/api/v1/touring/regions/{region.pk}/sets/",
        {"code": "LN-09", "name": "新套件", "floor_area_m2": "350", "themes": ["人工智能"]},
        format="json",
    )
    assert made.status_code == 201, made.json()
    bad = api_as("liaoning").post(
        f"/api/v1/touring/regions/{region.pk}/sets/",
        {"code": "LN-09", "name": "重复", "floor_area_m2": "350", "themes": ["人工智能"]},
        format="json",
    )
    assert bad.status_code == 409 and "code" in bad.json()["error"]["fields"]
    hosts = api_as("liaoning").get(f"/api/v1/touring/regions/{region.pk}/hosts/").json()
    assert hosts["count"] == 14 and hosts["results"][0]["hosting_dates"]


def test_plan_edit_adopt_through_the_api(api_as: Any, region: RotationRegion) -> None:
    client = api_as("dongbei")  # the alliance's coordinator plans too
    response = client.post(
        f"/api/v1/touring/regions/{region.pk}/plans/",
        {"year": 2027, "time_limit": 3},
        format="json",
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["solver"]["status"] in ("optimal", "feasible")
    assert plan["solver"]["bound_km"] <= plan["solver"]["objective_km"]
    assert plan["plan_in_force"]["venues_served"] <= plan["figures"]["venues_served"]
    assert len(plan["periods"]) == 4 and plan["stops"]
    first = plan["stops"][0]
    edited = client.post(
        f"/api/v1/touring/plans/{plan['id']}/stops/",
        {"stop": first["stop"], "set": first["set"], "venue": None},
        format="json",
    )
    assert edited.status_code == 200
    assert len(edited.json()["stops"]) == len(plan["stops"]) - 1
    assert edited.json()["solver"]["gap"] is None  # an edited plan has no bound
    adopted = client.post(f"/api/v1/touring/plans/{plan['id']}/adopt/")
    assert adopted.status_code == 200 and adopted.json()["status"] == "adopted"
    again = client.post(f"/api/v1/touring/plans/{plan['id']}/adopt/")
    assert again.status_code == 409
    stops = client.get(f"/api/v1/touring/regions/{region.pk}/stops/?year=2027").json()
    live = [stop for stop in stops["results"] if stop["status"] != "cancelled"]
    assert len(live) == len(plan["stops"]) - 1


def test_an_impossible_request_answers_with_the_reason(api_as: Any, region: RotationRegion) -> None:
    venue = Venue.objects.get(name="台安县流动科技馆站")
    response = api_as("liaoning").post(
        f"/api/v1/touring/regions/{region.pk}/plans/",
        {
            "year": 2027,
            "time_limit": 2,
            "periods": [{"starts_on": "2027-06-07", "ends_on": "2027-08-15"}],
            "required_venues": [venue.pk],
        },
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert body["solver"]["status"] == "infeasible" and body["stops"] == []
    assert "台安县流动科技馆站" in body["conflicts"][0]
    invalid = api_as("liaoning").post(
        f"/api/v1/touring/regions/{region.pk}/plans/", {"year": 1900}, format="json"
    )
    assert invalid.status_code == 422 and "year" in invalid.json()["error"]["fields"]


def test_visitors_and_figures(api_as: Any, region: RotationRegion, liaoning: Venue) -> None:
    stop = TourStop.objects.filter(region=region, status=StopStatus.OPEN).first()
    assert stop is not None
    last = stop.attendance.order_by("-ends_on").first()
    assert last is not None
    day = last.ends_on + timedelta(days=1)  # the next day has no record yet
    made = api_as("liaoning").post(
        f"/api/v1/touring/stops/{stop.pk}/visitors/",
        {"starts_on": day.isoformat(), "ends_on": day.isoformat(), "visitors": 800},
        format="json",
    )
    assert made.status_code == 201, made.json()
    corrected = api_as("liaoning").patch(
        f"/api/v1/touring/stops/{stop.pk}/visitors/{made.json()['id']}/",
        {"visitors": 850, "approximate": True},
        format="json",
    )
    assert corrected.status_code == 200 and corrected.json()["visitors"] == 850
    figures = (
        api_as("liaoning")
        .get(f"/api/v1/venues/{liaoning.pk}/touring-figures/?start=2026-01-01&end=2026-12-31")
        .json()
    )
    expected = touring_figures([liaoning.pk], date(2026, 1, 1), date(2026, 12, 31))
    assert float(figures["stops"]["value"]) == expected.stops.value == 24
    assert float(figures["visitors"]["value"]) == expected.visitors.value
    assert figures["visitors"]["approximate"] and figures["counties"] == expected.counties
    assert (
        api_as("xian")
        .post(f"/api/v1/touring/stops/{stop.pk}/visitors/", {"visitors": 1}, format="json")
        .status_code
        == 404
    )


def test_caravan_week_through_the_api(api_as: Any, liaoning: Venue) -> None:
    caravan = Caravan.objects.get(venue=liaoning)
    client = api_as("liaoning")
    waiting = client.get(f"/api/v1/venues/{liaoning.pk}/caravan-requests/").json()
    assert waiting["count"] == 14
    response = client.post(
        f"/api/v1/venues/{liaoning.pk}/caravan-plans/",
        {"caravan": caravan.pk, "week_starts": "2027-03-08", "time_limit": 2, "speed_kmh": 60},
        format="json",
    )
    assert response.status_code == 201, response.json()
    plan = response.json()
    assert plan["served"] > 0 and plan["unserved"]
    assert all(item["explanation"] for item in plan["unserved"])
    adopted = client.post(f"/api/v1/caravan-plans/{plan['id']}/adopt/")
    assert adopted.status_code == 200
    trips = CaravanTrip.objects.filter(caravan=caravan, starts_on__year=2027)
    assert trips.count() == len(plan["days"])
    # The answer names the trip each day became.
    assert sorted(day["trip"] for day in adopted.json()["days"]) == sorted(
        trips.values_list("pk", flat=True)
    )
    monday = client.post(
        f"/api/v1/venues/{liaoning.pk}/caravan-plans/",
        {"caravan": caravan.pk, "week_starts": "2027-03-09"},
        format="json",
    )
    assert monday.status_code == 422 and "week_starts" in monday.json()["error"]["fields"]


def test_the_schema_documents_touring(api_as: Any) -> None:
    schema = api_as("admin").get("/api/v1/schema/?format=json").json()
    assert "/api/v1/touring/regions/{region_id}/plans/" in schema["paths"]
    assert "/api/v1/venues/{venue_id}/caravan-plans/" in schema["paths"]
