"""Subset-row cuts: when they hold, that they cut off what the relaxation does wrong, that the
pricing honours them exactly, and that the bound with them is still a bound. Small instances
checked against enumeration."""

from __future__ import annotations

import dataclasses
import random

import numpy as np
import pytest

from kepu.touring.planning.rotation import (
    Allowed,
    RotationProblem,
    Stop,
    coverage_of,
    plan_km,
)
from kepu.touring.planning.rotation_columns import (
    Itinerary,
    Master,
    Pricing,
    column_generation,
    itinerary_km,
)
from kepu.touring.planning.rotation_cuts import Cut, cheapest_with_cuts, cuts_hold, separate
from tests.touring.instances import (
    assert_a_lower_bound_everywhere,
    best_km_by_enumeration,
    itineraries_by_enumeration,
    random_instance,
)


def every_venue_once(
    seed: int, *, sets: int = 2, hosts: int = 6, periods: int = 3
) -> RotationProblem:
    """As many venues as the sets have stops, every venue open in every period, no themes
    barred, one weight: serving them all means each venue shows exactly once."""
    rough = random_instance(seed, sets=sets, hosts=hosts, periods=periods)
    return RotationProblem(
        periods,
        [dataclasses.replace(spec, area_m2=300, maintenance=frozenset()) for spec in rough.sets],
        [
            dataclasses.replace(
                host,
                weight=1,
                available=frozenset(range(periods)),
                barred_themes=(frozenset(),) * periods,
            )
            for host in rough.hosts
        ],
        rough.km,
        time_limit=5,
    )


def charged(
    problem: RotationProblem,
    s: int,
    pairs: tuple[tuple[int, int], ...],
    value: np.ndarray,
    cuts: list[tuple[Cut, float]],
) -> float:
    """What pricing with cuts charges an itinerary: its kilometres, less the stops' worth, and
    each cut it takes two venues of once."""
    hosts = {h for h, _p in pairs}
    return (
        itinerary_km(problem, s, pairs)
        - sum(value[h, p] for h, p in pairs)
        + sum(charge for cut, charge in cuts if len(cut.hosts & hosts) >= 2)
    )


def test_the_cuts_hold_only_when_every_venue_can_show_just_once() -> None:
    problem = every_venue_once(1)
    assert cuts_hold(problem, coverage=6)
    assert not cuts_hold(problem, coverage=5)  # a venue may then show twice
    weighted = dataclasses.replace(
        problem, hosts=[dataclasses.replace(problem.hosts[0], weight=2), *problem.hosts[1:]]
    )
    assert not cuts_hold(weighted, coverage=7)


def test_separation_finds_the_triangle_the_relaxation_splits_and_nothing_in_a_real_plan() -> None:
    # Three itineraries at one half each, every two sharing a venue of {1, 2, 3}: the venues
    # each show once in the relaxation, but the triple is taken twice by 1.5.
    fractional = [([1, 2, 7], 0.5), ([2, 3, 8], 0.5), ([1, 3, 9], 0.5), ([4, 5, 6], 1.0)]
    cuts = separate(fractional, set())
    assert Cut(frozenset({1, 2, 3})) in cuts
    assert all(len(cut.hosts & {4, 5, 6}) < 2 for cut in cuts)
    assert separate(fractional, {frozenset({1, 2, 3})}) == [
        cut for cut in cuts if cut.hosts != {1, 2, 3}
    ]
    # A real plan (one itinerary per set, each venue once) breaks no cut.
    assert separate([([1, 2, 7], 1.0), ([3, 8, 9], 1.0), ([4, 5, 6], 1.0)], set()) == []


@pytest.mark.parametrize("seed", range(8))
def test_pricing_with_cuts_finds_the_cheapest_itinerary_and_charges_each_cut_once(
    seed: int,
) -> None:
    problem = random_instance(seed, sets=2, hosts=5, periods=4)
    pricing = Pricing(problem, Allowed.of(problem))
    rng = np.random.default_rng(seed)
    value = rng.uniform(0, 600, size=(len(problem.hosts), problem.periods))
    triples = [frozenset(int(h) for h in rng.choice(5, 3, replace=False)) for _ in range(4)]
    cuts = [(Cut(triple), float(rng.uniform(0, 400))) for triple in triples]
    for s in range(len(problem.sets)):
        every = itineraries_by_enumeration(problem, s)
        expected = min(charged(problem, s, pairs, value, cuts) for pairs in every)
        incumbent = every[int(rng.integers(len(every)))]
        lower, found, pairs = cheapest_with_cuts(
            pricing, s, value, cuts, (charged(problem, s, incumbent, value, cuts), incumbent)
        )
        assert found == pytest.approx(expected)
        assert lower == pytest.approx(expected)
        assert pairs in every
        assert charged(problem, s, pairs, value, cuts) == pytest.approx(found)


@pytest.mark.parametrize("seed", range(4))
def test_the_lagrangian_function_with_cuts_bounds_every_plan_at_any_dual_point(seed: int) -> None:
    problem = every_venue_once(seed)
    coverage = stop_weight = 6
    assert cuts_hold(problem, coverage)
    optimum = best_km_by_enumeration(problem, coverage, stop_weight)
    master = Master(problem, coverage, stop_weight)
    for s in range(len(problem.sets)):
        for pairs in itineraries_by_enumeration(problem, s):
            master.add(Itinerary(s, pairs, itinerary_km(problem, s, pairs)))
    rng = random.Random(seed)
    for _ in range(5):
        master.add_cut(Cut(frozenset(rng.sample(range(6), 3))))
    pricing = Pricing(problem, Allowed.of(problem))

    def lagrangian(y: np.ndarray) -> float:
        prices = master.prices(y)
        total = prices.constant
        for s in range(len(problem.sets)):
            lower, _found, _pairs = cheapest_with_cuts(
                pricing, s, prices.of_set(s), prices.cuts, master.cheapest_column(s, prices)
            )
            total += lower
        return total

    assert_a_lower_bound_everywhere(master, lagrangian, optimum, seed)


@pytest.mark.parametrize("seed", range(4))
def test_with_cuts_the_bound_rises_but_never_above_the_best_plan(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import kepu.touring.planning.rotation_columns as columns

    problem = every_venue_once(seed, sets=3, hosts=6, periods=2)
    hand = [Stop(s, 2 * s + p, p) for s in range(3) for p in range(2)]  # every venue once
    coverage, stop_weight, _venues = coverage_of(problem, hand)
    assert (coverage, stop_weight) == (6, 6)

    def bound() -> int:
        found = column_generation(
            problem,
            Allowed.of(problem),
            coverage=coverage,
            stop_weight=stop_weight,
            start=[hand],
            seconds=10,
        )
        assert found is not None and found.converged
        return found.lower_bound

    with_cuts = bound()
    monkeypatch.setattr(columns, "cuts_hold", lambda *_args: False)
    optimum = best_km_by_enumeration(problem, coverage, stop_weight)
    assert bound() <= with_cuts <= optimum <= plan_km(problem, hand)


def test_a_charge_large_enough_keeps_the_pricing_off_two_venues_of_a_cut() -> None:
    problem = every_venue_once(2)
    pricing = Pricing(problem, Allowed.of(problem))
    value = np.full((len(problem.hosts), problem.periods), 1000.0)
    value[[0, 1, 2], :] = 3000.0  # without the cut, the set would show at all three
    assert {h for h, _p in pricing.cheapest(0, value)[1].stops} == {0, 1, 2}
    cuts = [(Cut(frozenset({0, 1, 2})), 5000.0)]
    lower, found, pairs = cheapest_with_cuts(pricing, 0, value, cuts, (0.0, ()))
    assert lower == found < 0
    assert len(pairs) == 3  # a stop in every period pays
    assert len({h for h, _p in pairs} & {0, 1, 2}) == 1


@pytest.mark.parametrize("seed", range(4))
def test_when_too_many_itineraries_are_open_the_value_is_still_a_lower_bound(
    seed: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only the two most hopeful partial itineraries are kept per period: the best found may
    miss the cheapest, but the value returned never exceeds it."""
    import kepu.touring.planning.rotation_cuts as module

    monkeypatch.setattr(module, "KEEP", 2)
    problem = random_instance(seed, sets=2, hosts=5, periods=4)
    pricing = Pricing(problem, Allowed.of(problem))
    rng = np.random.default_rng(seed)
    value = rng.uniform(0, 600, size=(len(problem.hosts), problem.periods))
    cuts = [(Cut(frozenset({0, 1, 2})), 300.0), (Cut(frozenset({2, 3, 4})), 200.0)]
    for s in range(len(problem.sets)):
        every = itineraries_by_enumeration(problem, s)
        expected = min(charged(problem, s, pairs, value, cuts) for pairs in every)
        worst = max(every, key=lambda pairs: charged(problem, s, pairs, value, cuts))
        incumbent = (charged(problem, s, worst, value, cuts), worst)
        lower, found, _pairs = cheapest_with_cuts(pricing, s, value, cuts, incumbent)
        assert lower <= expected + 1e-9 <= found + 2e-9
