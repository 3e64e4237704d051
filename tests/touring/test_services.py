"""Touring services on the demo network: scopes, the registry, proposing, editing and adopting
rotation plans, stops and their visitors, the figures reports take, caravan week plans."""

from __future__ import annotations

import itertools
from datetime import date, time, timedelta
from decimal import Decimal

import pytest

from kepu.core.errors import ApplicationError, ConflictError, NotFoundError, PermissionDeniedError
from kepu.core.models import Role, User
from kepu.core.services import role_grant, user_create
from kepu.programs.models import Caravan, CaravanTrip, TripStop
from kepu.touring.access import require_region
from kepu.touring.explain import Names, conflict_in_words
from kepu.touring.models import (
    CaravanRequest,
    ExhibitionSet,
    HostVenue,
    PlanStatus,
    RequestStatus,
    RotationPlan,
    RotationRegion,
    StopAttendance,
    StopStatus,
    Theme,
    TourStop,
    Transfer,
)
from kepu.touring.selectors import plan_comparison, plan_figures, touring_figures
from kepu.touring.services import registry
from kepu.touring.services.caravans import WeekSettings, caravan_plan_adopt, caravan_plan_propose
from kepu.touring.services.plans import plan_stop_set, recount, rotation_plan_adopt
from kepu.touring.services.rotation import RotationRequest, rotation_plan_propose
from kepu.touring.services.tours import StopInput, stop_create, stop_record_visitors

pytestmark = pytest.mark.django_db


def propose(user: User, region: RotationRegion, **extra: object) -> RotationPlan:
    request = RotationRequest(region=region, year=2027, time_limit=3)
    for name, value in extra.items():
        setattr(request, name, value)
    return rotation_plan_propose(actor=user, request=request)


def live_overlaps() -> list[tuple[int, int]]:
    """Pairs of live stops of one set whose dates overlap: must always be empty."""
    stops = list(TourStop.objects.exclude(status=StopStatus.CANCELLED).order_by("set", "starts_on"))
    return [
        (a.pk, b.pk)
        for a, b in itertools.pairwise(stops)
        if a.set_id == b.set_id and b.starts_on <= a.ends_on
    ]


def test_who_reads_and_who_plans_a_region(users: dict[str, User], region: RotationRegion) -> None:
    for name in ("admin", "liaoning", "dongbei"):
        require_region(users[name], region, plan=True)  # the coordinating venue, its alliance
    for name in ("jian", "xian", "jian-staff"):
        with pytest.raises(NotFoundError):
            require_region(users[name], region)
    with pytest.raises(NotFoundError):
        propose(users["jian"], region)


def test_the_demo_rotation_matches_seed_000(region: RotationRegion) -> None:
    sets = region.sets.all()
    assert sets.count() == 6
    assert Theme.objects.filter(sets__region=region).distinct().count() == 20
    assert region.hosts.filter(venue__kind="mobile_station").count() == 6
    assert not live_overlaps()
    # 2025 and 2026 held, with visitors; 2027 planned by hand and in force.
    statuses = set(
        TourStop.objects.filter(region=region, starts_on__year=2025).values_list(
            "status", flat=True
        )
    )
    assert statuses == {StopStatus.CLOSED}
    assert StopAttendance.objects.filter(stop__region=region).exists()


def test_registry_keeps_totals_and_rules(users: dict[str, User], region: RotationRegion) -> None:
    liaoning = users["liaoning"]
    item = registry.set_create(
        actor=liaoning,
        region=region,
        data={"code": "LN-07", "name": "测试套件", "floor_area_m2": Decimal(300)},
        themes=registry.themes_by_name(actor=liaoning, names=["航空航天", "新主题"]),
    )
    assert item.base == region.coordinator and {t.name for t in item.themes.all()} == {
        "航空航天",
        "新主题",
    }
    registry.exhibits_add(
        actor=liaoning,
        item=item,
        exhibits=[
            registry.ExhibitInput("甲", Decimal(100), Decimal("12.5"), crates=2),
            registry.ExhibitInput("乙", Decimal(50), Decimal("7.5")),
        ],
    )
    item.refresh_from_db()
    assert (item.exhibit_count, item.crates, item.weight_kg, item.floor_area_m2) == (
        2,
        3,
        Decimal(150),
        Decimal(20),
    )
    with pytest.raises(ConflictError):
        registry.set_create(
            actor=liaoning,
            region=region,
            data={"code": "LN-07", "name": "重复", "floor_area_m2": Decimal(300)},
            themes=list(Theme.objects.all()[:1]),
        )
    xian_venue = users["xian"].role_assignments.get().venue
    assert xian_venue is not None
    with pytest.raises(ApplicationError) as error:
        registry.host_create(
            actor=liaoning, region=region, venue=xian_venue, data={"hall_area_m2": Decimal(500)}
        )
    assert "venue" in error.value.fields
    with pytest.raises(NotFoundError):
        registry.set_update(actor=users["jian"], item=item, data={"name": "x"})
    staff = user_create(actor=users["admin"], username="ln-staff", password=None)
    role_grant(actor=users["admin"], user=staff, role=Role.VENUE_STAFF, venue=region.coordinator)
    require_region(staff, region)  # the coordinating venue's staff read the region …
    with pytest.raises(PermissionDeniedError):  # … but planning is the manager's
        registry.set_update(actor=staff, item=item, data={"name": "x"})


def test_a_proposal_keeps_every_rule_and_is_compared(
    users: dict[str, User], region: RotationRegion, plan_in_force: RotationPlan
) -> None:
    plan = propose(users["liaoning"], region)
    assert plan.status == PlanStatus.PROPOSED and plan.solver_status in ("optimal", "feasible")
    assert 0 < plan.km_bound <= plan.km
    hosts = set(region.hosts.values_list("venue_id", flat=True))
    stops = list(plan.stops.select_related("set", "period"))
    assert {stop.venue_id for stop in stops} <= hosts
    assert len({(s.set_id, s.period_id) for s in stops}) == len(stops)
    assert len({(s.venue_id, s.period_id) for s in stops}) == len(stops)
    comparison = plan_comparison(plan)
    assert comparison.current is not None
    assert comparison.current == plan_figures(plan_in_force)
    # The planner serves at least the venues of the hand-made plan, and repeats no theme.
    assert comparison.proposal.venues_served >= comparison.current.venues_served
    assert comparison.proposal.repeated_themes == 0
    # LN-03 is in its workshop for the third stop of 2027.
    assert not plan.stops.filter(set__code="LN-03", period__sequence=3).exists()


def test_a_plan_counted_again_starts_each_set_where_the_planner_did(
    users: dict[str, User], region: RotationRegion, plan_in_force: RotationPlan
) -> None:
    """Re-planning the rest of a year: the plan in force's stops still to come give way, so a
    set starts from its last stop before them — for the planner and for the count after an
    edit alike (an unedited plan counts the same kilometres)."""
    periods = plan_in_force.periods.order_by("sequence")
    later = [(period.starts_on, period.ends_on) for period in periods][1:]
    plan = propose(users["liaoning"], region, periods=later)
    assert plan.stops.exists()
    planned_km = plan.km
    recount(plan)
    plan.refresh_from_db()
    assert plan.km == planned_km


def test_an_impossible_request_names_the_rule_and_the_venue(
    users: dict[str, User], region: RotationRegion
) -> None:
    host = region.hosts.select_related("venue").get(venue__name="康平县流动科技馆站")
    registry.host_update(actor=users["liaoning"], host=host, data={"hall_area_m2": Decimal(100)})
    plan = propose(users["liaoning"], region, required_venue_ids=[host.venue_id])
    assert plan.solver_status == "infeasible" and not plan.stops.exists()
    [text] = [conflict_in_words(item, Names.for_plan(plan)) for item in plan.conflicts]
    assert "康平县流动科技馆站" in text and "100" in text and "m²" in text


def test_edit_then_adopt(
    users: dict[str, User], region: RotationRegion, plan_in_force: RotationPlan
) -> None:
    liaoning = users["liaoning"]
    plan = propose(liaoning, region)
    period = plan.periods.get(sequence=1)
    big = ExhibitionSet.objects.get(region=region, code="LN-01")  # 620 m²
    small_host = HostVenue.objects.get(region=region, venue__name="宽甸满族自治县流动科技馆站")
    with pytest.raises(ApplicationError) as error:
        plan_stop_set(actor=liaoning, plan=plan, period=period, item=big, venue=small_host.venue)
    assert "宽甸满族自治县流动科技馆站" in str(error.value.message)
    in_maintenance = ExhibitionSet.objects.get(region=region, code="LN-03")
    with pytest.raises(ApplicationError):
        plan_stop_set(
            actor=liaoning,
            plan=plan,
            period=plan.periods.get(sequence=3),
            item=in_maintenance,
            venue=small_host.venue,
        )
    taken = {stop.venue_id for stop in plan.stops.filter(period=period)}
    free = (
        region.hosts.exclude(venue_id__in=taken)
        .filter(hall_area_m2__gte=big.floor_area_m2, availability__starts_on__lte=period.starts_on)
        .first()
    )
    assert free is not None
    edited = plan_stop_set(actor=liaoning, plan=plan, period=period, item=big, venue=free.venue)
    assert edited is not None and edited.pinned
    plan.refresh_from_db()
    # The bound no longer applies; the kilometres are counted again (the workshop trips too).
    assert plan.solver_status == "" and plan.km >= sum(s.km_in for s in plan.stops.all()) > 0

    rotation_plan_adopt(actor=liaoning, plan=plan)
    plan.refresh_from_db()
    plan_in_force.refresh_from_db()
    assert (plan.status, plan_in_force.status) == (PlanStatus.ADOPTED, PlanStatus.SUPERSEDED)
    assert (
        not TourStop.objects.filter(tour__plan=plan_in_force)
        .exclude(status=StopStatus.CANCELLED)
        .exists()
    )
    made = TourStop.objects.filter(tour__plan=plan)
    assert made.count() == plan.stops.count()
    assert Transfer.objects.filter(to_stop__in=made).count() == made.count()
    assert not live_overlaps()
    with pytest.raises(ConflictError):
        rotation_plan_adopt(actor=liaoning, plan=plan)


def test_a_set_is_never_at_two_stops_at_once(
    users: dict[str, User], region: RotationRegion
) -> None:
    stop = (
        TourStop.objects.filter(region=region, starts_on__year=2027).select_related("set").first()
    )
    assert stop is not None
    other = region.hosts.exclude(venue=stop.venue).select_related("venue").first()
    assert other is not None
    with pytest.raises(ConflictError) as error:
        stop_create(
            actor=users["liaoning"],
            stop=StopInput(stop.set, other.venue, stop.starts_on + timedelta(days=3), stop.ends_on),
        )
    assert stop.set.code in str(error.value.message)


def test_visitors_are_counted_like_attendance(
    users: dict[str, User], region: RotationRegion
) -> None:
    coordinator = region.coordinator_id
    before = touring_figures([coordinator], date(2026, 1, 1), date(2026, 12, 31))
    stop = (
        TourStop.objects.filter(region=region, status=StopStatus.OPEN).order_by("starts_on").first()
    )
    assert stop is not None
    last = StopAttendance.objects.filter(stop=stop).order_by("-ends_on").first()
    assert last is not None
    day = last.ends_on + timedelta(days=1)
    record = stop_record_visitors(
        actor=users["liaoning"],
        stop=stop,
        data={"starts_on": day, "ends_on": day, "visitors": 1234, "approximate": True},
    )
    after = touring_figures([coordinator], date(2026, 1, 1), date(2026, 12, 31))
    assert after.visitors.value == before.visitors.value + 1234 and after.visitors.approximate
    host = touring_figures([stop.venue_id], date(2026, 1, 1), date(2026, 12, 31), role="host")
    expected = sum(
        StopAttendance.objects.filter(venue=stop.venue, ends_on__year=2026).values_list(
            "visitors", flat=True
        )
    )
    assert host.visitors.value == expected
    with pytest.raises(ApplicationError):  # the same day twice
        stop_record_visitors(
            actor=users["liaoning"],
            stop=stop,
            data={"starts_on": day, "ends_on": day, "visitors": 1},
        )
    with pytest.raises(ApplicationError):  # days that have not come yet
        stop_record_visitors(
            actor=users["liaoning"],
            stop=stop,
            data={"starts_on": stop.ends_on, "ends_on": stop.ends_on, "visitors": 1},
        )
    with pytest.raises(NotFoundError):
        stop_record_visitors(actor=users["xian"], stop=stop, data={})
    assert record.venue_id == stop.venue_id


def test_touring_figures_add_up_the_records(region: RotationRegion) -> None:
    figures = touring_figures([region.coordinator_id], date(2025, 1, 1), date(2025, 12, 31))
    stops = TourStop.objects.filter(region=region, starts_on__year=2025).exclude(
        status=StopStatus.CANCELLED
    )
    assert figures.stops.value == stops.count() and figures.sets == 6
    assert figures.counties == stops.values("venue__division").distinct().count()
    assert figures.visitors.value == sum(
        StopAttendance.objects.filter(stop__in=stops, ends_on__year=2025).values_list(
            "visitors", flat=True
        )
    )
    # Every move of the sets counts: to their stops, and into the workshop (LN-05 in 2025).
    moves = Transfer.objects.filter(set__region=region, arrives_on__year=2025)
    assert moves.filter(to_maintenance=True, set__code="LN-05").exists()
    assert figures.km.value == sum(moves.values_list("km", flat=True))


def test_a_caravan_week_becomes_trips(users: dict[str, User], liaoning) -> None:  # type: ignore[no-untyped-def]
    caravan = Caravan.objects.get(venue=liaoning)
    settings = WeekSettings(
        week_starts=date(2027, 3, 8),
        depot=liaoning,
        day_starts=time(7, 30),
        day_ends=time(18, 0),
        speed_kmh=60,
        time_limit=2,
    )
    plan = caravan_plan_propose(actor=users["liaoning"], caravan=caravan, settings=settings)
    assert plan.requested == 14 and 0 < plan.served < 14
    reasons = {item["reason"] for item in plan.unserved}
    assert {"window_short", "no_day", "drive_limit"} <= reasons
    for route in plan.days.all():
        for visit in route.visits.select_related("request"):
            request = visit.request
            assert (
                request.receive_from <= visit.starts_at and visit.ends_at <= request.receive_until
            )
            assert request.receives_on_weekday(route.day.weekday())
    # A second plan of the same week, proposed while the first is still a proposal.
    rival = caravan_plan_propose(actor=users["liaoning"], caravan=caravan, settings=settings)
    assert rival.days.exists()
    trips_before = CaravanTrip.objects.filter(caravan=caravan).count()
    caravan_plan_adopt(actor=users["liaoning"], plan=plan)
    trips = CaravanTrip.objects.filter(caravan=caravan, starts_on__gte=settings.week_starts)
    assert (
        trips.count()
        == plan.days.count()
        == CaravanTrip.objects.filter(caravan=caravan).count() - trips_before
    )
    assert TripStop.objects.filter(trip__in=trips).count() == plan.served
    assert sum(trip.km for trip in trips) == plan.km
    scheduled = CaravanRequest.objects.filter(caravan=caravan, status=RequestStatus.SCHEDULED)
    assert scheduled.count() == plan.served
    # The rival plan cannot be adopted too: the caravan is out on those days already.
    with pytest.raises(ConflictError):
        caravan_plan_adopt(actor=users["liaoning"], plan=rival)
    assert CaravanTrip.objects.filter(caravan=caravan).count() == trips_before + trips.count()
    with pytest.raises(NotFoundError):
        caravan_plan_propose(actor=users["xian"], caravan=caravan, settings=settings)
