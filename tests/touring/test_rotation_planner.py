"""The rotation planner on small instances whose optimum is known: by hand, and by trying every
plan. Pure Python; no database."""

from __future__ import annotations

import random

import pytest

from kepu.touring.planning.rotation import (
    ConflictKind,
    Pin,
    RotationProblem,
    Rule,
    SetSpec,
    Status,
    Stop,
    coverage_of,
    plan_km,
    spreadsheet_plan,
    violations,
)
from kepu.touring.planning.rotation_planner import plan_rotation
from tests.touring.instances import best_by_enumeration, host, line, tiny_instance


def clashing_hosts(problem: RotationProblem) -> list[int]:
    """The venues named when requirements that are each possible clash together."""
    result = plan_rotation(problem)
    assert result.status == Status.INFEASIBLE
    [conflict] = result.conflicts
    assert conflict.kind == ConflictKind.TOGETHER
    return sorted(requirement.host_index for requirement in conflict.requirements)


def test_serves_every_venue_first_then_travels_least() -> None:
    # Two sets at 0 and 100; venues at 10, 50, 90 and a far one at 400. Serving the far venue
    # costs kilometres, but a venue served comes first.
    positions = [0, 100, 10, 50, 90, 400]
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0), SetSpec(2, frozenset({2}), 500, 1, 1)],
        hosts=[host(10 + i, 2 + i, 2) for i in range(4)],
        km=line(positions),
        time_limit=10,
    )
    result = plan_rotation(problem)
    assert result.status == Status.OPTIMAL
    assert result.venues_served == 4 and not violations(problem, result.stops)
    # Set 2 (at 100) takes 90 then 400: 10 + 310; set 1 (at 0) takes 10 then 50: 10 + 40.
    assert result.km == 370 == plan_km(problem, result.stops)
    assert (result.km_bound, result.gap) == (370, 0.0)
    assert result.coverage_bound == result.coverage == 4


def test_weights_decide_which_venue_is_served() -> None:
    # One set, one period, two venues: the heavier one is served even though it is further.
    problem = RotationProblem(
        periods=1,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0)],
        hosts=[host(1, 1, 1, weight=1), host(2, 2, 1, weight=5)],
        km=line([0, 10, 300]),
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert [(stop.host_index, stop.period) for stop in result.stops] == [(1, 0)]
    assert result.km == 300 and result.coverage == 5


def test_no_theme_returns_within_the_years_nor_twice_in_the_plan() -> None:
    # The near venue showed theme 7 lately: only the set without it may go there. The set with
    # themes {7, 8} must not go to the same venue twice either.
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({7, 8}), 500, 0, 0), SetSpec(2, frozenset({9}), 500, 0, 0)],
        hosts=[host(1, 1, 2, barred=frozenset({7})), host(2, 2, 2)],
        km=line([0, 5, 60]),
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert not violations(problem, result.stops)
    assert all(not (stop.set_index == 0 and stop.host_index == 0) for stop in result.stops)
    assert len({(stop.set_index, stop.host_index) for stop in result.stops}) == len(result.stops)
    # What the enumeration finds best, the planner proves best.
    assert (result.coverage, result.stop_weight, -result.km) == best_by_enumeration(problem)
    assert result.status == Status.OPTIMAL


def test_maintenance_keeps_a_set_in_its_workshop_and_counts_the_trip() -> None:
    # The set starts at its workshop (0) and is maintained there in the middle period.
    problem = RotationProblem(
        periods=3,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0, maintenance=frozenset({1}))],
        hosts=[host(1, 1, 3), host(2, 2, 3)],
        km=line([0, 100, 120]),
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert {stop.period for stop in result.stops} == {0, 2}
    # 0 → 100 (or 120), back to the workshop, then out again: 100 + 100 + 120 = 320.
    assert result.km == 320 and result.status == Status.OPTIMAL
    assert [leg.to_maintenance for leg in result.legs] == [False, True, False]


def test_availability_and_hall_area_are_respected() -> None:
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({1}), 800, 0, 0), SetSpec(2, frozenset({2}), 300, 0, 0)],
        hosts=[
            host(1, 1, 2, area=400),  # too small for the first set
            host(2, 2, 2, unavailable=[0]),  # cannot host in the first period
        ],
        km=line([0, 10, 20]),
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert not violations(problem, result.stops)
    assert Stop(0, 0, 0) not in result.stops and Stop(0, 0, 1) not in result.stops
    assert all(not (stop.host_index == 1 and stop.period == 0) for stop in result.stops)
    assert (result.coverage, result.stop_weight, -result.km) == best_by_enumeration(problem)


def test_a_required_venue_no_set_fits_is_explained() -> None:
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({1}), 600, 0, 0), SetSpec(2, frozenset({2}), 700, 0, 0)],
        hosts=[host(1, 1, 2), host(2, 2, 2, area=450)],
        km=line([0, 10, 20]),
        required=frozenset({1}),
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert result.status == Status.INFEASIBLE and result.gap is None
    [conflict] = result.conflicts
    assert conflict.kind == ConflictKind.HOST_UNSERVABLE
    assert [requirement.host_index for requirement in conflict.requirements] == [1]
    assert {reason.rule for reason in conflict.reasons} == {Rule.AREA}


def test_requirements_that_clash_only_together_are_named() -> None:
    # One set, one period, two venues that must both be served: each alone is possible.
    problem = RotationProblem(
        periods=1,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0)],
        hosts=[host(1, 1, 1), host(2, 2, 1), host(3, 3, 1)],
        km=line([0, 10, 20, 30]),
        required=frozenset({0, 2}),
        time_limit=5,
    )
    assert clashing_hosts(problem) == [0, 2]


def test_only_the_requirements_that_clash_are_named() -> None:
    # Two big sets and a small one, one period: the two small halls both need the small set,
    # the big hall is served by a big set — so only the small halls clash, and they are named
    # alone, however CP-SAT's first core came out.
    problem = RotationProblem(
        periods=1,
        sets=[
            SetSpec(1, frozenset({1}), 600, 0, 0),
            SetSpec(2, frozenset({2}), 600, 0, 0),
            SetSpec(3, frozenset({3}), 300, 0, 0),
        ],
        hosts=[host(1, 1, 1, area=400), host(2, 2, 1, area=400), host(3, 3, 1, area=1000)],
        km=line([0, 10, 20, 30]),
        required=frozenset({0, 1, 2}),
        time_limit=5,
    )
    assert clashing_hosts(problem) == [0, 1]
    # Without one of them the rest can be met.
    problem.required = frozenset({0, 2})
    assert plan_rotation(problem).status != Status.INFEASIBLE


def test_a_pinned_stop_in_maintenance_is_explained() -> None:
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0, maintenance=frozenset({1}))],
        hosts=[host(1, 1, 2)],
        km=line([0, 10]),
        pins=[Pin(0, 0, 1)],
        time_limit=5,
    )
    result = plan_rotation(problem)
    [conflict] = result.conflicts
    assert conflict.kind == ConflictKind.PIN_BROKEN
    assert [reason.rule for reason in conflict.reasons] == [Rule.MAINTENANCE]


def test_pins_and_required_venues_are_kept_when_possible() -> None:
    problem = RotationProblem(
        periods=2,
        sets=[SetSpec(1, frozenset({1}), 500, 0, 0), SetSpec(2, frozenset({2}), 500, 3, 3)],
        hosts=[host(1, 1, 2), host(2, 2, 2), host(3, 4, 2)],
        km=line([0, 10, 20, 30, 500]),
        required=frozenset({2}),
        pins=[Pin(0, 1, 0)],
        time_limit=5,
    )
    result = plan_rotation(problem)
    assert Stop(0, 1, 0) in result.stops
    assert 2 in {stop.host_index for stop in result.stops}
    assert not violations(problem, result.stops)


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_random_tiny_instances_match_enumeration(seed: int) -> None:
    problem = tiny_instance(seed)
    result = plan_rotation(problem)
    assert not violations(problem, result.stops)
    assert (result.coverage, result.stop_weight, -result.km) == best_by_enumeration(problem)
    assert result.status == Status.OPTIMAL and result.km_bound == result.km


@pytest.mark.parametrize(
    ("count", "venues", "method"), [(8, 30, "exact"), (12, 60, "decomposition")]
)
def test_a_time_limit_returns_the_best_plan_with_its_bound_and_gap(
    count: int, venues: int, method: str
) -> None:
    rng = random.Random(7)
    periods = 4
    positions = [rng.uniform(0, 500) for _ in range(venues + 1)]
    sets = [SetSpec(s, frozenset({s}), 400, rng.randrange(venues), venues) for s in range(count)]
    hosts = [host(h, h, periods, barred=frozenset({rng.randrange(count)})) for h in range(venues)]
    problem = RotationProblem(periods, sets, hosts, line(positions), time_limit=2)
    result = plan_rotation(problem)
    assert result.method == method
    assert not violations(problem, result.stops)
    assert 0 < result.km_bound <= result.km
    assert result.km == plan_km(problem, result.stops)  # the objective is the plan's own
    assert result.lp_bound is not None
    # It serves at least as many venues as the hand-made plan.
    hand = spreadsheet_plan(problem)
    assert result.coverage >= coverage_of(problem, hand)[0]
