"""Small rotation problems for the planner's tests: places on a line, venues, an exhaustive
enumeration of every plan that keeps the rules, and random instances small enough for it."""

from __future__ import annotations

import itertools
import random
from collections.abc import Sequence

from kepu.touring.planning.rotation import (
    HostSpec,
    RotationProblem,
    SetSpec,
    Stop,
    coverage_of,
    plan_km,
    violations,
)


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
