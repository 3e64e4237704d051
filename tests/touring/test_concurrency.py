"""No set and no caravan is ever booked twice for the same days, whatever the concurrency:
stops made by hand at the same moment, two plans adopted at once, two caravan week plans
adopted at once — on SQLite (serialised writers) and on PostgreSQL (row locks)."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal
from typing import Any

import pytest
from django.db.models import Q

from kepu.core.errors import ApplicationError
from kepu.core.models import User
from kepu.network.models import Division, Venue
from kepu.programs.models import Caravan, CaravanTrip
from kepu.touring.models import (
    ExhibitionSet,
    HostAvailability,
    HostVenue,
    PlanStatus,
    RotationPlan,
    RotationRegion,
    StopStatus,
    Theme,
    TourStop,
)
from kepu.touring.services.caravans import (
    WeekSettings,
    caravan_plan_adopt,
    caravan_plan_propose,
    request_create,
)
from kepu.touring.services.plans import Placement, rotation_plan_adopt, rotation_plan_enter
from kepu.touring.services.tours import StopInput, stop_create
from tests.visits.test_concurrency import run_parallel

pytestmark = pytest.mark.django_db(transaction=True)

PLACES = {"210100": ("沈阳市", 41.68, 123.47), "210181": ("新民市", 41.99, 122.84),
          "210123": ("康平县", 42.73, 123.34), "210124": ("法库县", 42.50, 123.44)}  # fmt: skip


def division(code: str) -> Division:
    province = Division.objects.get_or_create(
        code="210000", defaults={"name": "辽宁省", "level": "province"}
    )[0]
    name, latitude, longitude = PLACES[code]
    return Division.objects.get_or_create(
        code=code,
        defaults={
            "name": name,
            "level": "city" if code.endswith("00") else "county",
            "parent": province,
            "latitude": Decimal(str(latitude)),
            "longitude": Decimal(str(longitude)),
        },
    )[0]


def world() -> tuple[User, RotationRegion, ExhibitionSet, list[Venue]]:
    admin = User.objects.create(username="concurrency-admin", is_superuser=True, is_staff=True)
    museum = Venue.objects.create(
        name="并发省馆", kind="museum", level="provincial", division=division("210100")
    )
    region = RotationRegion.objects.create(
        name="并发换展区", coordinator=museum, division=Division.objects.get(code="210000")
    )
    hosts = []
    for code in ("210181", "210123", "210124"):
        venue = Venue.objects.create(
            name=f"{PLACES[code][0]}并发站", kind="mobile_station", level="county",
            division=division(code),
        )  # fmt: skip
        host = HostVenue.objects.create(region=region, venue=venue, hall_area_m2=Decimal(800))
        HostAvailability.objects.create(
            host=host, venue=venue, starts_on=date(2030, 1, 1), ends_on=date(2030, 12, 31)
        )
        hosts.append(venue)
    item = ExhibitionSet.objects.create(
        region=region, venue=museum, code="C-1", name="并发套件", base=museum,
        floor_area_m2=Decimal(500),
    )  # fmt: skip
    item.themes.set([Theme.objects.create(name="并发主题")])
    return admin, region, item, hosts


def live_stops(item: ExhibitionSet) -> list[TourStop]:
    return list(TourStop.objects.filter(set=item).exclude(status=StopStatus.CANCELLED))


def no_overlaps(stops: list[TourStop]) -> bool:
    ordered = sorted(stops, key=lambda stop: stop.starts_on)
    return all(b.starts_on > a.ends_on for a, b in itertools.pairwise(ordered))


def attempt(call: Any) -> tuple[str, Any]:
    try:
        return ("ok", call())
    except ApplicationError as error:
        return ("refused", error.code)


def test_stops_made_at_once_never_double_book_a_set() -> None:
    admin, _region, item, hosts = world()
    start = date(2030, 3, 1)
    calls = [
        (lambda i=i: attempt(lambda: stop_create(
            actor=admin,
            stop=StopInput(item, hosts[i % 3], start + timedelta(days=i), start + timedelta(days=60 + i)),
        ).pk))
        for i in range(12)
    ]  # fmt: skip
    results = run_parallel(calls, workers=12)
    assert [r[0] for r in results].count("ok") == 1
    assert {r[1] for r in results if r[0] == "refused"} == {"conflict"}
    assert len(live_stops(item)) == 1


def test_plans_adopted_at_once_leave_one_plan_in_force_and_no_double_booking() -> None:
    admin, region, item, hosts = world()
    periods = [(date(2030, 3, 4), date(2030, 5, 12)), (date(2030, 5, 20), date(2030, 7, 28))]
    plans = [
        rotation_plan_enter(
            actor=admin,
            region=region,
            year=2030,
            periods=periods,
            placements=[Placement(item, 0, hosts[i % 3]), Placement(item, 1, hosts[(i + 1) % 3])],
            name=f"方案{i}",
        )
        for i in range(4)
    ]
    results = run_parallel(
        [lambda plan=plan: attempt(lambda: rotation_plan_adopt(actor=admin, plan=plan).pk)
         for plan in plans],
        workers=4,
    )  # fmt: skip
    assert "ok" in [r[0] for r in results]
    adopted = RotationPlan.objects.filter(region=region, year=2030, status=PlanStatus.ADOPTED)
    assert adopted.count() == 1
    stops = live_stops(item)
    assert len(stops) == 2 and no_overlaps(stops)
    assert {stop.tour.plan_id for stop in stops} == {adopted.get().pk}


def test_caravan_plans_adopted_at_once_never_double_book_the_vehicle() -> None:
    admin, _region, _item, hosts = world()
    museum = Venue.objects.get(name="并发省馆")
    caravan = Caravan.objects.create(venue=museum, name="并发大篷车")
    week = date(2030, 3, 4)
    for index, venue in enumerate(hosts):
        request_create(
            actor=admin,
            venue=museum,
            data={
                "caravan": caravan, "name": f"学校{index}", "division": venue.division,
                "earliest_on": week, "latest_on": week + timedelta(days=4),
                "receive_from": time(8), "receive_until": time(16), "visit_minutes": 60,
            },
        )  # fmt: skip
    settings = WeekSettings(week_starts=week, depot=museum, speed_kmh=70, time_limit=1)
    plans = [
        caravan_plan_propose(actor=admin, caravan=caravan, settings=settings) for _ in range(3)
    ]
    assert all(plan.served for plan in plans)
    results = run_parallel(
        [lambda plan=plan: attempt(lambda: caravan_plan_adopt(actor=admin, plan=plan).pk)
         for plan in plans],
        workers=3,
    )  # fmt: skip
    assert [r[0] for r in results].count("ok") == 1
    assert {r[1] for r in results if r[0] == "refused"} == {"conflict"}
    trips = CaravanTrip.objects.filter(caravan=caravan)
    days = [trip.starts_on for trip in trips]
    assert len(days) == len(set(days)) == plans[0].days.count()
    assert not trips.filter(~Q(starts_on__gte=week)).exists()
