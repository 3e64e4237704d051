"""Column generation for the rotation planner: the pricing is exact, the bound is a bound, and
the combination of itineraries keeps every rule. Small instances checked against enumeration."""

from __future__ import annotations

import numpy as np
import pytest

from kepu.touring.planning.rotation import (
    Allowed,
    HostSpec,
    Pin,
    RotationProblem,
    SetSpec,
    Stop,
    coverage_of,
    exclusion,
    plan_km,
    serves_at_least,
    spreadsheet_plan,
    violations,
)
from kepu.touring.planning.rotation_columns import (
    Bound,
    Itinerary,
    Master,
    Pricing,
    best_combination,
    column_generation,
    itinerary_km,
)
from tests.touring.instances import (
    assert_a_lower_bound_everywhere,
    best_km_by_enumeration,
    itineraries_by_enumeration,
    random_instance,
)


@pytest.mark.parametrize("seed", range(8))
def test_pricing_finds_the_cheapest_itinerary_with_no_venue_twice(seed: int) -> None:
    problem = random_instance(seed, sets=2, hosts=5, periods=4)
    if seed % 2:
        problem.pins = [Pin(0, 1, 2)] if exclusion(problem, 0, 1, 2) is None else []
    pricing = Pricing(problem, Allowed.of(problem))
    rng = np.random.default_rng(seed)
    # Stop values large enough that returning to a good venue would pay, if it were allowed.
    value = rng.uniform(0, 600, size=(len(problem.hosts), problem.periods))
    for s in range(len(problem.sets)):
        expected = min(
            itinerary_km(problem, s, pairs) - sum(value[h, p] for h, p in pairs)
            for pairs in itineraries_by_enumeration(problem, s)
        )
        reduced, itinerary = pricing.cheapest(s, value)
        assert itinerary.elementary
        assert reduced == pytest.approx(expected)
        assert itinerary.km - sum(value[h, p] for h, p in itinerary.stops) == pytest.approx(reduced)
        # The relaxed pricing: exact over the itineraries that never go back to either of the
        # last two venues, so never above the elementary one.
        relaxed, loose = pricing.cheapest(s, value, elementary=False)
        assert relaxed == pytest.approx(
            min(
                itinerary_km(problem, s, pairs) - sum(value[h, p] for h, p in pairs)
                for pairs in itineraries_by_enumeration(problem, s, elementary=False)
            )
        )
        assert relaxed <= reduced + 1e-9
        assert loose.stops in itineraries_by_enumeration(problem, s, elementary=False)
        # Several a round: the cheapest, then the cheapest ending at each other place, in order.
        cheapest_ending: dict[tuple[str, int], float] = {}
        for pairs in itineraries_by_enumeration(problem, s, elementary=False):
            cost = itinerary_km(problem, s, pairs) - sum(value[h, p] for h, p in pairs)
            end = _ending(problem, s, pairs)
            cheapest_ending[end] = min(cost, cheapest_ending.get(end, np.inf))
        few = pricing.relaxed(s, value, 3)
        assert [cost for cost, _it in few] == pytest.approx(sorted(cheapest_ending.values())[:3])
        assert few[0][0] == pytest.approx(relaxed)
        for cost, itinerary in few:
            assert itinerary.km - sum(value[h, p] for h, p in itinerary.stops) == pytest.approx(
                cost
            )
            assert cheapest_ending[_ending(problem, s, itinerary.stops)] == pytest.approx(cost)
        assert len({_ending(problem, s, it.stops) for _cost, it in few}) == len(few)


def _ending(
    problem: RotationProblem, s: int, pairs: tuple[tuple[int, int], ...]
) -> tuple[str, int]:
    """Where an itinerary ends: at the venue it showed at last, at the workshop when its
    maintenance came after, or where it started."""
    events = [(p, ("venue", h)) for h, p in pairs]
    events += [(p, ("workshop", 0)) for p in problem.sets[s].maintenance]
    return max(events)[1] if events else ("start", 0)


def generated(problem: RotationProblem, seconds: float = 5) -> tuple[Bound, list[Stop], int, int]:
    """Column generation started from the spreadsheet plan and asked to serve as much: its
    outcome, that plan, and the coverage and stops asked for."""
    hand = spreadsheet_plan(problem)
    coverage, stop_weight, _venues = coverage_of(problem, hand)
    bound = column_generation(
        problem,
        Allowed.of(problem),
        coverage=coverage,
        stop_weight=stop_weight,
        start=[hand],
        seconds=seconds,
    )
    assert bound is not None
    return bound, hand, coverage, stop_weight


@pytest.mark.parametrize("seed", range(6))
def test_the_bound_never_exceeds_the_best_plan_and_the_combination_keeps_the_rules(
    seed: int,
) -> None:
    problem = random_instance(seed, sets=2, hosts=4, periods=3)
    bound, hand, coverage, stop_weight = generated(problem)
    assert bound.converged
    optimum = best_km_by_enumeration(problem, coverage, stop_weight)
    assert bound.lower_bound <= optimum
    stops = best_combination(
        problem, bound.columns, coverage=coverage, stop_weight=stop_weight, hint=hand, seconds=5
    )
    assert stops is not None
    assert not violations(problem, stops)
    assert serves_at_least(problem, stops, (coverage, stop_weight))
    assert bound.lower_bound <= plan_km(problem, stops) <= plan_km(problem, hand)


def test_a_fractional_ping_pong_between_two_venues_does_not_weaken_the_bound() -> None:
    """One set, two venues next to each other and a third far away, three periods. Without
    the rule against returning, A-B-A would cost little; the set must go A, B and then far."""
    places = [0, 10, 500, 0]  # venues 0, 1, 2; the set starts at place 3 (= 0)

    def km(a: int, b: int) -> int:
        return abs(places[a] - places[b])

    hosts = [
        HostSpec(h, h, 1000, available=frozenset({0, 1, 2}), barred_themes=(frozenset(),) * 3)
        for h in range(3)
    ]
    problem = RotationProblem(3, [SetSpec(0, frozenset({7}), 300, 3, 3)], hosts, km)
    plan = [Stop(0, 0, 0), Stop(0, 1, 1), Stop(0, 2, 2)]
    bound = column_generation(
        problem, Allowed.of(problem), coverage=3, stop_weight=3, start=[plan], seconds=5
    )
    assert bound is not None
    assert bound.lower_bound == plan_km(problem, plan) == 500


@pytest.mark.parametrize("seed", range(6))
def test_the_lagrangian_function_bounds_every_plan_at_any_dual_point(seed: int) -> None:
    """The bound column generation reports is the Lagrangian function at a dual point (the
    master's, or one smoothed towards the best so far): at the LP optimum it meets the LP's
    value, and at any point whose signs the rows allow it stays below the best plan."""
    problem = random_instance(seed, sets=2, hosts=4, periods=3)
    hand = spreadsheet_plan(problem)
    coverage, stop_weight, _venues = coverage_of(problem, hand)
    optimum = best_km_by_enumeration(problem, coverage, stop_weight)
    master = Master(problem, coverage, stop_weight)
    for s in range(len(problem.sets)):
        for pairs in itineraries_by_enumeration(problem, s):
            master.add(Itinerary(s, pairs, itinerary_km(problem, s, pairs)))
    pricing = Pricing(problem, Allowed.of(problem))

    def lagrangian(y: np.ndarray) -> float:
        prices = master.prices(y)
        return prices.constant + sum(
            pricing.cheapest(s, prices.of_set(s))[0] for s in range(len(problem.sets))
        )

    assert_a_lower_bound_everywhere(master, lagrangian, optimum, seed)


@pytest.mark.parametrize("seed", range(4))
def test_cut_short_after_one_round_the_bound_still_holds(seed: int) -> None:
    """The time runs out after the first round: the bound is that round's Lagrangian bound,
    valid, and the columns met so far are handed on."""
    problem = random_instance(seed, sets=3, hosts=4, periods=3)
    full, _hand, coverage, stop_weight = generated(problem)
    short = generated(problem, seconds=0)[0]
    assert full.converged
    assert (
        short.lower_bound
        <= full.lower_bound
        <= best_km_by_enumeration(problem, coverage, stop_weight)
    )
    assert sum(map(len, short.columns.values())) <= sum(map(len, full.columns.values()))


def test_a_master_solve_out_of_time_keeps_the_bound_of_the_rounds_before(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Near the deadline a large master's LP can run out of time: the bound proven by the
    rounds already priced is kept, not thrown away (measured on 60 × 300 × 6: a bound of 0)."""
    problem = random_instance(2, sets=3, hosts=4, periods=3)
    full, _hand, coverage, stop_weight = generated(problem)
    solves = 0
    solve = Master.solve

    def out_of_time_after_two(self: Master, seconds: float) -> float | None:
        nonlocal solves
        solves += 1
        return solve(self, seconds) if solves <= 2 else None

    monkeypatch.setattr(Master, "solve", out_of_time_after_two)
    short = generated(problem)[0]
    assert solves == 3
    assert 0 < short.lower_bound <= full.lower_bound
    assert short.lower_bound <= best_km_by_enumeration(problem, coverage, stop_weight)
    assert not short.converged


@pytest.mark.parametrize("seed", range(3))
def test_ranked_gives_a_sets_columns_of_least_reduced_cost_first(seed: int) -> None:
    """What the combinations get at full coverage: each set's cheapest columns at the prices,
    in order, and never one the master keeps out."""
    problem = random_instance(seed, sets=2, hosts=4, periods=3)
    hand = spreadsheet_plan(problem)
    coverage, stop_weight, _venues = coverage_of(problem, hand)
    master = Master(problem, coverage, stop_weight)
    for s in range(len(problem.sets)):
        for pairs in itineraries_by_enumeration(problem, s, elementary=False):
            master.add(Itinerary(s, pairs, itinerary_km(problem, s, pairs)))
    master.drop_returns()
    rng = np.random.default_rng(seed)
    prices = master.prices(rng.uniform(-50, 50, size=master.solver.NumConstraints()))
    for s in range(len(problem.sets)):
        value = prices.of_set(s)
        expected = sorted(
            itinerary.km - sum(value[h, p] for h, p in itinerary.stops)
            for itinerary, _variable in master.columns[s]
            if itinerary.elementary
        )
        ranked = master.ranked(s, prices, 3)
        assert [cost for cost, _it in ranked] == pytest.approx(expected[:3])
        assert all(itinerary.elementary for _cost, itinerary in ranked)
        assert master.cheapest_column(s, prices)[0] == pytest.approx(expected[0])
