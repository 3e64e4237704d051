"""Small rotation problems for the planner's tests: places on a line, venues, an exhaustive
enumeration of every plan that keeps the rules, and random instances small enough for it."""

from __future__ import annotations

import itertools
import random
from collections.abc import Callable, Sequence

import numpy as np
import pytest

from kepu.touring.planning.rotation import (
    HostSpec,
    RotationProblem,
    SetSpec,
    Stop,
    coverage_of,
    exclusion,
    plan_km,
    serves_at_least,
    violations,
)
from kepu.touring.planning.rotation_columns import Master


def line(positions: Sequence[float]):  # type: ignore[no-untyped-def]
    """Places on a straight road: kilometres are the difference of positions."""
    return lambda a, b: round(abs(positions[a] - positions[b]))


def host(key: int, place: int, periods: int, *, area: float = 1000, weight: int = 1,
         barred: frozenset[int] = frozenset(), unavailable: Sequence[int] = ()) -> HostSpec:  # fmt: skip
    return HostSpec(
        key=key,
        place=place,
        area_m2=area,
        weight=weight,
        available=frozenset(p for p in range(periods) if p not in unavailable),
        barred_themes=tuple(barred for _ in range(periods)),
    )


def every_plan(problem: RotationProblem) -> list[list[Stop]]:
    """Every plan that keeps the rules, by trying every venue (or none) in every slot."""
    choices = [None, *range(len(problem.hosts))]
    slots = [(s, p) for s in range(len(problem.sets)) for p in range(problem.periods)]
    plans = []
    for picks in itertools.product(choices, repeat=len(slots)):
        stops = [Stop(s, h, p) for (s, p), h in zip(slots, picks, strict=True) if h is not None]
        if not violations(problem, stops):
            plans.append(stops)
    return plans


def best_by_enumeration(problem: RotationProblem) -> tuple[int, int, int]:
    """(coverage, weighted stops, −km) of the best plan, by trying every plan."""
    return max(
        (*coverage_of(problem, stops)[:2], -plan_km(problem, stops))
        for stops in every_plan(problem)
    )


def tiny_instance(seed: int) -> RotationProblem:
    """Two sets, four venues, two periods: themes, areas, maintenance and availability drawn
    at random — small enough to try every plan."""
    rng = random.Random(seed)
    periods = 2
    positions = [rng.uniform(0, 200) for _ in range(6)]
    sets = [
        SetSpec(s, frozenset({s, 10 + rng.randrange(2)}), rng.choice((300, 500)), s, s,
                maintenance=frozenset({1}) if rng.random() < 0.3 else frozenset())
        for s in range(2)
    ]  # fmt: skip
    hosts = [
        host(h, 2 + h, periods, area=rng.choice((400, 600)),
             barred=frozenset({rng.choice((0, 1, 10, 11, 99))}),
             unavailable=[0] if rng.random() < 0.2 else [])
        for h in range(4)
    ]  # fmt: skip
    return RotationProblem(periods, sets, hosts, line(positions), time_limit=10, seed=seed)


def random_instance(
    seed: int, *, sets: int = 2, hosts: int = 5, periods: int = 3
) -> RotationProblem:
    """Sets and venues at random points of a square, with areas, weights, availability,
    barred themes and maintenance drawn at random."""
    rng = random.Random(seed)
    points = [(rng.uniform(0, 300), rng.uniform(0, 300)) for _ in range(hosts + 2)]

    def km(a: int, b: int) -> int:
        (xa, ya), (xb, yb) = points[a], points[b]
        return round(((xa - xb) ** 2 + (ya - yb) ** 2) ** 0.5)

    set_specs = [
        SetSpec(
            s,
            frozenset({s}),
            rng.choice((300, 500)),
            start=hosts + (s % 2),
            base=hosts,
            maintenance=frozenset({rng.randrange(periods)}) if rng.random() < 0.3 else frozenset(),
        )
        for s in range(sets)
    ]
    host_specs = [
        HostSpec(
            key=h,
            place=h,
            area_m2=rng.choice((400, 600)),
            weight=rng.choice((1, 1, 2)),
            available=frozenset(p for p in range(periods) if rng.random() > 0.15),
            barred_themes=tuple(frozenset({rng.randrange(sets + 2)}) for _ in range(periods)),
        )
        for h in range(hosts)
    ]
    return RotationProblem(periods, set_specs, host_specs, km, time_limit=5)


def itineraries_by_enumeration(
    problem: RotationProblem, s: int, *, elementary: bool = True
) -> list[tuple[tuple[int, int], ...]]:
    """Every itinerary set ``s`` may follow on its own: the rules of one set, no venue twice
    (or, not ``elementary``, never back to either of the last two venues it showed at)."""
    found = []
    choices = [None, *range(len(problem.hosts))]
    for picks in itertools.product(choices, repeat=problem.periods):
        pairs = tuple((h, p) for p, h in enumerate(picks) if h is not None)
        hosts = [h for h, _p in pairs]
        if elementary and len(hosts) != len(set(hosts)):
            continue
        if any(h in hosts[max(0, i - 2) : i] for i, h in enumerate(hosts)):
            continue
        if any(exclusion(problem, s, h, p) is not None for h, p in pairs):
            continue
        pinned = {(pin.period, pin.host_index) for pin in problem.pins if pin.set_index == s}
        if not pinned <= {(p, h) for h, p in pairs}:
            continue
        others = {(pin.host_index, pin.period) for pin in problem.pins if pin.set_index != s}
        if others & set(pairs):
            continue
        found.append(pairs)
    return found


def best_km_by_enumeration(problem: RotationProblem, coverage: int, stop_weight: int) -> int:
    per_set = [[(), *itineraries_by_enumeration(problem, s)] for s in range(len(problem.sets))]
    best = None
    for combination in itertools.product(*per_set):
        stops = [Stop(s, h, p) for s, pairs in enumerate(combination) for h, p in pairs]
        if violations(problem, stops) or not serves_at_least(
            problem, stops, (coverage, stop_weight)
        ):
            continue
        km = plan_km(problem, stops)
        best = km if best is None else min(best, km)
    assert best is not None
    return best


def assert_a_lower_bound_everywhere(
    master: Master, lagrangian: Callable[[np.ndarray], float], optimum: int, seed: int
) -> None:
    """The Lagrangian function meets the master's value at its optimal duals, and stays at or
    below the best plan at random dual points whose signs the rows allow."""
    value = master.solve(5)
    assert value is not None and value <= optimum + 1e-6
    assert lagrangian(master.duals()) == pytest.approx(value)
    rows = master.solver.constraints()
    infinity = master.solver.infinity()
    numbers = np.random.default_rng(seed)
    for _ in range(20):
        y = numbers.uniform(-400, 400, size=len(rows))
        for index, row in enumerate(rows):
            if row.ub() >= infinity:
                y[index] = abs(y[index])  # a ≥ row
            elif row.lb() <= -infinity:
                y[index] = -abs(y[index])  # a ≤ row
        assert lagrangian(y) <= optimum + 1e-6
