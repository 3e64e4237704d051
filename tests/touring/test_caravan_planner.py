"""The caravan route planner: time windows, working hours and driving limits respected; what
cannot be served is listed with its reason. Pure Python; no database."""

from __future__ import annotations

from kepu.touring.planning.caravan import (
    CaravanProblem,
    CaravanResult,
    Reason,
    VisitRequest,
    nearest_next,
    plan_caravan_week,
)

WEEKDAYS = frozenset(range(5))


def on_line(positions: list[float]):  # type: ignore[no-untyped-def]
    return lambda a, b: round(abs(positions[a] - positions[b]))


def request(i: int, place: int, *, days=WEEKDAYS, opens=9 * 60, closes=16 * 60, minutes=90) -> VisitRequest:  # type: ignore[no-untyped-def]  # fmt: skip
    return VisitRequest(i, place, frozenset(days), opens, closes, minutes)


def problem(positions: list[float], requests: list[VisitRequest], **settings: object) -> CaravanProblem:  # fmt: skip
    values: dict[str, object] = {
        "depot": 0,
        "working_days": WEEKDAYS,
        "day_starts": 8 * 60,
        "day_ends": 17 * 60,
        "max_drive_minutes": 300,
        "speed_kmh": 60.0,
        "km": on_line(positions),
        "requests": requests,
        "time_limit": 2,
    }
    values.update(settings)
    return CaravanProblem(**values)  # type: ignore[arg-type]


def check_rules(p: CaravanProblem, result: CaravanResult) -> None:
    """Every visit within its request's hours and days, every day within the working hours and
    the driving limit, time to drive between places, and the kilometres of the places visited,
    all counted here again from the problem (not from the planner's own sums)."""
    total_km = 0
    for route in result.days:
        assert p.day_starts <= route.leaves and route.returns <= p.day_ends
        assert route.day in p.working_days
        clock, here, km, driven = route.leaves, p.depot, 0, 0
        for visit in route.visits:
            spec = p.requests[visit.request_index]
            assert route.day in spec.days
            assert spec.opens <= visit.starts and visit.ends <= spec.closes
            assert visit.ends - visit.starts == spec.duration
            assert visit.arrives >= clock + p.drive_minutes(here, spec.place)
            assert visit.starts >= visit.arrives
            km += p.km(here, spec.place)
            driven += p.drive_minutes(here, spec.place)
            clock, here = visit.ends, spec.place
        assert route.returns >= clock + p.drive_minutes(here, p.depot)
        km += p.km(here, p.depot)
        driven += p.drive_minutes(here, p.depot)
        assert route.km == km
        assert driven <= p.max_drive_minutes
        total_km += km
    assert result.km == total_km


def test_time_windows_working_hours_and_driving_limits_are_kept() -> None:
    positions = [0, 20, 40, 60, 30, 50, 10]
    requests = [
        request(1, 1, opens=9 * 60, closes=11 * 60, minutes=90),
        request(2, 2, opens=13 * 60, closes=16 * 60, minutes=120),
        request(3, 3, days={0}, opens=9 * 60, closes=12 * 60),
        request(4, 4, days={2, 3}, opens=14 * 60, closes=16 * 60, minutes=60),
        request(5, 5, opens=8 * 60, closes=17 * 60, minutes=180),
        request(6, 6, days={4}, opens=10 * 60, closes=12 * 60, minutes=60),
    ]
    p = problem(positions, requests)
    result = plan_caravan_week(p)
    assert result.served == 6 and not result.unserved
    check_rules(p, result)


def test_what_cannot_be_served_is_listed_with_its_reason() -> None:
    positions = [0, 30, 500, 40, 50]
    requests = [
        request(1, 1),  # fine
        request(2, 2),  # 500 km away: the round trip alone exceeds the driving limit
        request(3, 3, opens=9 * 60, closes=10 * 60, minutes=90),  # an hour for 90 minutes
        request(4, 4, days={5}),  # Saturday only; the caravan works Monday to Friday
    ]
    p = problem(positions, requests)
    result = plan_caravan_week(p)
    reasons = {item.request_index: item.reason for item in result.unserved}
    assert reasons == {1: Reason.DRIVE_LIMIT, 2: Reason.WINDOW_SHORT, 3: Reason.NO_DAY}
    check_rules(p, result)


def test_a_request_too_far_for_its_hours_is_out_of_reach() -> None:
    # 120 km at 60 km/h: two hours out. Its hours end at 10:00: it cannot be reached in time.
    p = problem([0, 120], [request(1, 1, opens=8 * 60, closes=10 * 60, minutes=30)])
    [item] = plan_caravan_week(p).unserved
    assert item.reason == Reason.OUT_OF_REACH


def test_a_full_week_says_so_and_serves_as_many_as_fit() -> None:
    # Six morning visits of three hours on the one working day: only one fits.
    positions = [0, 10, 12, 14, 16, 18, 20]
    requests = [request(i, i + 1, opens=8 * 60, closes=12 * 60, minutes=180) for i in range(6)]
    p = problem(positions, requests, working_days=frozenset({0}))
    result = plan_caravan_week(p)
    assert result.served == 1
    assert {item.reason for item in result.unserved} == {Reason.WEEK_FULL}
    check_rules(p, result)


def test_the_planner_serves_at_least_what_driving_to_the_nearest_serves() -> None:
    import random

    rng = random.Random(3)
    positions = [0.0] + [rng.uniform(-120, 120) for _ in range(25)]
    requests = []
    for i in range(25):
        opens = rng.choice((8 * 60 + 30, 9 * 60, 13 * 60, 14 * 60))
        days = set(rng.sample(range(5), rng.choice((1, 2, 5))))
        requests.append(request(i, i + 1, days=days, opens=opens, closes=opens + 180, minutes=90))
    p = problem(positions, requests, time_limit=3)
    result, greedy = plan_caravan_week(p), nearest_next(p)
    check_rules(p, result)
    check_rules(p, greedy)
    assert result.served >= greedy.served
    if result.served == greedy.served:
        assert result.km <= greedy.km
