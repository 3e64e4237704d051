"""The rotation planner's local search: every move keeps every rule, never serves less, and on
small instances reaches the best plan that trying every plan finds. Pure Python; no database."""

from __future__ import annotations

import random

import pytest

from kepu.touring.planning.rotation import (
    Allowed,
    Pin,
    RotationProblem,
    SetSpec,
    Stop,
    coverage_of,
    flow_plan,
    plan_km,
    spreadsheet_plan,
    violations,
)
from kepu.touring.planning.rotation_search import EMPTY, SlotSearch, anneal
from tests.touring.instances import (
    best_by_enumeration,
    every_plan,
    host,
    line,
    tiny_instance,
)


def province(seed: int, *, sets: int = 6, venues: int = 20, periods: int = 4) -> RotationProblem:
    """Sets that share themes (so a venue may not take two of them), halls too small for some,
    venue-periods that cannot host, a set in maintenance, barred themes."""
    rng = random.Random(seed)
    positions = [rng.uniform(0, 400) for _ in range(venues + 1)]
    specs = [
        SetSpec(
            s,
            frozenset({s, 100 + s % 3}),  # theme 100 + s % 3 is shared by every third set
            rng.choice((300, 500, 700)),
            rng.randrange(venues),
            venues,  # the workshop
            frozenset({rng.randrange(periods)}) if s == 0 else frozenset(),
        )
        for s in range(sets)
    ]
    hosts = [
        host(
            h,
            h,
            periods,
            area=rng.choice((400, 600, 800)),
            barred=frozenset({rng.randrange(sets)}),
            unavailable=[p for p in range(periods) if rng.random() < 0.15],
        )
        for h in range(venues)
    ]
    return RotationProblem(periods, specs, hosts, line(positions), seed=seed)


def assert_consistent(search: SlotSearch) -> None:
    """The search's bookkeeping agrees with its plan, recounted from scratch."""
    problem = search.problem
    stops = search.stops()
    assert not violations(problem, stops)
    assert search.total_km == plan_km(problem, stops)
    coverage, stop_weight, _venues = coverage_of(problem, stops)
    assert (search.coverage, search.stop_weight) == (coverage, stop_weight)
    for p in range(problem.periods):
        shown = {stop.host_index: stop.set_index for stop in stops if stop.period == p}
        assert {h: s for h, s in enumerate(search.holder[p]) if s != EMPTY} == shown
    for h, visits in enumerate(search.visits):
        assert sorted(visits) == sorted(stop.set_index for stop in stops if stop.host_index == h)
    assert search.stops_shown == len(stops)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_kept_move_keeps_the_rules_and_the_bookkeeping(seed: int) -> None:
    problem = province(seed)
    allowed = Allowed.of(problem)
    start = flow_plan(problem, allowed)
    search = SlotSearch(problem, allowed, start, seed=seed)
    before = (search.coverage, search.stop_weight)
    kept = 0
    for _ in range(20_000):
        changes = search.propose()
        found = search.evaluate(changes) if changes else None
        if found is None:
            continue
        _km, coverage, stop_weight, costs = found
        if not search.serves_enough(search.coverage + coverage, search.stop_weight + stop_weight):
            continue
        search.apply(changes, costs, (coverage, stop_weight))
        kept += 1
        if kept % 50 == 0:
            assert_consistent(search)
    assert kept > 500
    assert_consistent(search)
    assert (search.coverage, search.stop_weight) >= before


def test_a_move_that_breaks_a_rule_is_refused() -> None:
    # Two sets sharing theme 7; venue 2 cannot host in period 1; venue 3's hall is too small
    # for set 1; venue 0 is required.
    periods = 2
    problem = RotationProblem(
        periods,
        [SetSpec(0, frozenset({7}), 300, 0, 0), SetSpec(1, frozenset({7, 8}), 900, 1, 1)],
        [
            host(0, 0, periods),
            host(1, 1, periods),
            host(2, 2, periods, unavailable=[1]),
            host(3, 3, periods, area=500),
            host(4, 4, periods),
        ],
        line([0, 10, 20, 30, 40]),
        required=frozenset({0}),
    )
    stops = [Stop(0, 0, 0), Stop(0, 3, 1), Stop(1, 1, 0), Stop(1, 4, 1)]
    assert not violations(problem, stops)
    search = SlotSearch(problem, Allowed.of(problem), stops)
    assert search.evaluate([(0, 1, 2)]) is None  # venue 2 cannot host in period 1
    assert search.evaluate([(1, 1, 3)]) is None  # set 1 does not fit venue 3's hall
    assert search.evaluate([(0, 0, 1), (1, 0, 0)]) is not None  # a swap in one period is fine
    assert search.evaluate([(0, 1, 4)]) is None  # venue 4 shows set 1 in period 1 already
    assert search.evaluate([(0, 1, 1)]) is None  # venue 1 would get theme 7 twice
    assert search.evaluate([(0, 0, 2)]) is None  # venue 0 is required and would be left out
    # Idle in period 1: 30 km fewer for set 0, one venue and one stop fewer.
    assert search.evaluate([(0, 1, EMPTY)]) == (-30, -1, -1, {0: 0})


@pytest.mark.parametrize("seed", [1, 2, 3, 4])
def test_it_reaches_the_best_plan_of_a_tiny_instance(seed: int) -> None:
    problem = tiny_instance(seed)
    best = best_by_enumeration(problem)
    # The longest plan among those that serve the most: the search has everything to do.
    worst = max(
        (plan for plan in every_plan(problem) if coverage_of(problem, plan)[:2] == best[:2]),
        key=lambda plan: plan_km(problem, plan),
    )
    stops, _improvements = anneal(problem, Allowed.of(problem), worst, seconds=0.5)
    assert not violations(problem, stops)
    coverage, stop_weight, _venues = coverage_of(problem, stops)
    assert (coverage, stop_weight, -plan_km(problem, stops)) == best


def test_like_for_like_serves_at_least_what_was_asked_with_fewer_kilometres() -> None:
    problem = province(5, sets=8, venues=30)
    allowed = Allowed.of(problem)
    hand = spreadsheet_plan(problem)
    coverage, stop_weight, _venues = coverage_of(problem, hand)
    problem.serve_at_least = (coverage, stop_weight)
    stops, improvements = anneal(problem, allowed, hand, seconds=1)
    assert not violations(problem, stops)
    served, shown, _venues = coverage_of(problem, stops)
    assert served >= coverage and shown >= stop_weight
    assert improvements > 0 and plan_km(problem, stops) < plan_km(problem, hand)


def test_pins_and_maintenance_stay_where_they_are() -> None:
    problem = province(6)
    allowed = Allowed.of(problem)
    start = flow_plan(problem, allowed)
    pins = [start[1], start[-1]]  # two stops of a valid plan, pinned
    problem.pins = [Pin(stop.set_index, stop.host_index, stop.period) for stop in pins]
    stops, improvements = anneal(problem, allowed, start, seconds=0.5)
    assert improvements > 0
    assert set(pins) <= set(stops)
    assert not violations(problem, stops)
    maintenance = problem.sets[0].maintenance
    assert maintenance and not [
        stop for stop in stops if stop.set_index == 0 and stop.period in maintenance
    ]
