"""The rotation planner: checks, coverage, kilometres, bound — within the time limit.

1. Requirements first: a required venue no set may go to, or a pinned stop that breaks a rule,
   is named at once; requirements that are each possible but not together are found by CP-SAT
   with assumptions and shrunk to a minimal clashing set.
2. CP-SAT finds how many venues (weighted) can be served at most, and then how many stops
   (:func:`solve_coverage`). First plans come from one min-cost flow per period, from routes
   (:mod:`.rotation_routes`: OR-Tools routing, then an exact sequencing into periods) and from
   the coverage model itself; the one that serves most, then travels least, is kept.
3. Kilometres: a small problem is solved whole by CP-SAT (every set, every period) — proven
   optimal when it finishes; a larger one is improved part by part (a few sets near each other
   over a few periods, or every set over two periods), each part solved by CP-SAT while the rest
   stays fixed, never serving less than before.
4. A lower bound from column generation (:mod:`.rotation_columns`): each set's itinerary is a
   column priced by an exact dynamic programme, first of a relaxation (a set may come back to a
   venue it showed at three stops before), then of the real itineraries, then — at full coverage
   — with subset-row cuts (:mod:`.rotation_cuts`); the Lagrangian bound of every round is
   proven, so the gap reported is against a bound that is proven, not estimated. The itineraries
   it met make a small CP-SAT model (one per set) whose best plan is the start of the search for
   a larger problem: first the local search (:mod:`.rotation_search`, simulated annealing over
   the whole plan, millions of small moves), then the parts search of step 3, until the time is
   up or the plan reaches the bound. When one round of the real itineraries takes a fifth of its
   time (a large region), column generation stops there with the bound it has and the search
   gets the time. On small problems the flow relaxation (:mod:`.rotation_bound`) is solved too,
   a quick proven floor for when the time is too short for column generation to give a positive
   bound.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass

from kepu.touring.planning.rotation import (
    Allowed,
    Conflict,
    ConflictKind,
    RotationProblem,
    RotationResult,
    Status,
    Stop,
    check_requirements,
    coverage_of,
    flow_plan,
    host_exclusions,
    legs_of,
    plan_km,
    serves_at_least,
    spreadsheet_plan,
    unserved_hosts,
    violations,
)
from kepu.touring.planning.rotation_bound import lower_bound_km
from kepu.touring.planning.rotation_columns import (
    best_combination,
    column_generation,
    itineraries_of,
)
from kepu.touring.planning.rotation_models import Window, requirements_core, solve_coverage
from kepu.touring.planning.rotation_routes import route_plan
from kepu.touring.planning.rotation_search import anneal

COMBINE_SECONDS = 10.0  # at most, for the best combination of the itineraries met
EXACT_LIMIT = 1500  # allowed (set, venue, period) triples up to which the whole model is solved
FLOW_BOUND_LIMIT = 20_000  # allowed triples up to which the flow relaxation is built (fast)
PART_SETS = 4  # sets freed together in a part
PART_PERIODS = 3  # consecutive periods freed together
PART_NEAREST = 6  # venues near each freed set it may choose from, besides the freed ones


@dataclass(frozen=True)
class Shares:
    """How a region's time is shared out: of the time left then, for the routing start, for
    column generation, and of the search's time after it, for the local search (the parts
    search polishes with the rest)."""

    route: float
    columns: float
    anneal: float
    first_combine: float = COMBINE_SECONDS  # seconds, at most, for the first combination


# A small region: column generation needs most of the time for its bound to converge, and the
# local search more than makes up for a shorter routing start.
# Its first combination of itineraries gained 0–244 km in 6–10 s on 20 × 100 × 5, where the
# local search gains a thousand in 20 s (measured 2026-11-24): it gets 3 s.
SMALL_REGION = Shares(route=0.02, columns=0.7, anneal=0.9, first_combine=3.0)
# A large one (more than FLOW_BOUND_LIMIT choices): column generation does not converge in its
# share (on 60 × 300 × 6 its first stage alone needs 45–75 s) but its bound climbs all along,
# the routing plan is the best start, and the annealing has too little time to cool over
# hundreds of slots — measured on 60 × 300 × 6 its plans were longer than the parts search's
# alone (docs/benchmarks.md), so the parts search keeps the rest of the time.
LARGE_REGION = Shares(route=0.12, columns=0.6, anneal=0.0)


class Clock:
    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.seconds = seconds

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started

    @property
    def left(self) -> float:
        return max(0.0, self.seconds - self.elapsed)


def plan_rotation(problem: RotationProblem) -> RotationResult:
    clock = Clock(problem.time_limit)
    allowed = Allowed.of(problem)
    conflicts = check_requirements(problem, allowed)
    if not conflicts and (problem.required or problem.pins):
        core = requirements_core(problem, allowed, seconds=max(0.5, 0.2 * clock.left))
        if core is not None:
            hosts = sorted({requirement.host_index for requirement in core})
            reasons = tuple(reason for h in hosts for reason in host_exclusions(problem, h))
            conflicts = [Conflict(ConflictKind.TOGETHER, core, reasons)]
    if conflicts:
        return RotationResult(Status.INFEASIBLE, conflicts=conflicts, seconds=clock.elapsed)

    flow = flow_plan(problem, allowed)
    candidates = [flow, spreadsheet_plan(problem)]
    covered = None
    if problem.serve_at_least is None:
        covered = solve_coverage(problem, allowed, seconds=0.12 * clock.left, hint=flow)
        if covered is not None:
            candidates.append(covered.stops)
    shares = LARGE_REGION if allowed.size > FLOW_BOUND_LIMIT else SMALL_REGION
    candidates.append(route_plan(problem, allowed, seconds=shares.route * clock.left))
    valid = [stops for stops in candidates if not violations(problem, stops)]
    if problem.serve_at_least is not None:
        valid = [s for s in valid if serves_at_least(problem, s, problem.serve_at_least)]
    if not valid:
        return RotationResult(Status.FEASIBLE, method="none", seconds=clock.elapsed)
    if problem.serve_at_least is None:
        current = max(valid, key=lambda stops: _rank(problem, stops))
    else:
        current = min(valid, key=lambda stops: plan_km(problem, stops))
    coverage, stop_weight, _venues = coverage_of(problem, current)
    if problem.serve_at_least is not None:
        # The kilometres are minimised for (at least) the coverage asked for.
        coverage, stop_weight = problem.serve_at_least
        coverage_bound, coverage_proven = coverage, True
    else:
        coverage_bound = max(coverage, covered.coverage_bound if covered is not None else coverage)
        coverage_proven = covered is not None and covered.optimal and coverage >= coverage_bound

    exact = allowed.size <= EXACT_LIMIT
    enough = (coverage, stop_weight)
    improvements = 0
    # The bound (and a pool of itineraries) from column generation; a small problem keeps
    # most of its time for the exact model.
    bound = column_generation(
        problem,
        allowed,
        coverage=coverage,
        stop_weight=stop_weight,
        start=[stops for stops in valid if serves_at_least(problem, stops, enough)],
        seconds=(0.25 if exact else shares.columns) * clock.left,
    )
    # The flow relaxation is weaker but quick on small problems, and proven from its first
    # solve: a floor when column generation had too little time for a positive bound.
    floor = None
    if allowed.size <= FLOW_BOUND_LIMIT:
        floor = lower_bound_km(
            problem,
            allowed,
            coverage=coverage,
            stop_weight=stop_weight,
            seconds=max(1.0, 0.1 * clock.left),
        )
    bounds = [value for value in (floor, bound.lower_bound if bound else None) if value]
    lp_bound = max(bounds) if bounds else None
    km_bound = lp_bound or 0

    def combine(seconds: float) -> None:
        """The best combination of the itineraries met so far, when it travels less."""
        nonlocal current, improvements
        if bound is None or plan_km(problem, current) <= km_bound:
            return
        for itinerary in itineraries_of(problem, current):
            bound.columns.setdefault(itinerary.set_index, []).append(itinerary)
        combined = best_combination(
            problem,
            bound.columns,
            coverage=coverage,
            stop_weight=stop_weight,
            hint=current,
            seconds=seconds,
        )
        if (
            combined is not None
            and not violations(problem, combined)
            and serves_at_least(problem, combined, enough)
            and plan_km(problem, combined) < plan_km(problem, current)
        ):
            current = combined
            improvements += 1

    combine(min(0.25 * clock.left, shares.first_combine))
    if exact:
        method = "exact"
        whole = Window(problem, allowed, current, range(len(problem.sets)), 0, problem.periods - 1)
        found = whole.solve(max(0.5, clock.left))
        current = found.stops
        improvements += int(found.improved)
        km_bound = max(km_bound, math.ceil(found.bound - 1e-6))
        if found.optimal:
            km_bound = plan_km(problem, current)
    else:
        method = "decomposition"
        # The parts search, then once more the combination with its plan's itineraries.
        keep = min(0.2 * clock.left, COMBINE_SECONDS)
        if shares.anneal and plan_km(problem, current) > km_bound:
            current, more = anneal(
                problem, allowed, current, shares.anneal * (clock.left - keep), floor=km_bound
            )
            improvements += more
        if plan_km(problem, current) > km_bound:
            current, more = improve_by_parts(
                problem, allowed, current, clock, floor=km_bound, leave=keep
            )
            improvements += more
        combine(clock.left)

    km = plan_km(problem, current)
    km_bound = min(km_bound, km)
    coverage, stop_weight, venues = coverage_of(problem, current)
    if problem.serve_at_least is not None:
        coverage_bound = coverage
    proven = coverage_proven and km_bound >= km
    return RotationResult(
        status=Status.OPTIMAL if proven else Status.FEASIBLE,
        stops=sorted(current, key=lambda stop: (stop.set_index, stop.period)),
        legs=legs_of(problem, current),
        km=km,
        km_bound=km_bound,
        coverage=coverage,
        coverage_bound=coverage_bound,
        stop_weight=stop_weight,
        venues_served=venues,
        unserved=unserved_hosts(problem, allowed, current),
        method=method,
        seconds=clock.elapsed,
        improvements=improvements,
        lp_bound=lp_bound,
    )


def _rank(problem: RotationProblem, stops: Sequence[Stop]) -> tuple[int, int, int]:
    """Serve more venues, then more stops, then travel less."""
    coverage, stop_weight, _venues = coverage_of(problem, stops)
    return coverage, stop_weight, -plan_km(problem, stops)


def improve_by_parts(
    problem: RotationProblem,
    allowed: Allowed,
    stops: Sequence[Stop],
    clock: Clock,
    floor: int = 0,
    leave: float = 0.0,
) -> tuple[list[Stop], int]:
    """Large neighbourhood search: free a part of the plan, let CP-SAT re-plan it for fewer
    kilometres (serving at least as much), keep it when it is better; until the time is up or
    the plan reaches ``floor``, a proven lower bound (``leave`` seconds are kept for after)."""
    rng = random.Random(problem.seed)  # noqa: S311 (a search order, not a secret)
    current = list(stops)
    improvements = 0
    sets = len(problem.sets)
    periods = problem.periods
    part_seconds = 1.5
    round_number = 0
    while clock.left > 0.2 + leave:
        round_number += 1
        if round_number % 3 == 0 and periods > 1:
            # More sets over two consecutive periods: exchanges between neighbouring routes.
            first = rng.randrange(periods - 1)
            last = first + 1
            free = _sets_near(problem, current, rng.randrange(sets), 2 * PART_SETS)
        else:
            # A few sets near each other over a few periods: sequencing and local exchanges.
            free = _sets_near(problem, current, rng.randrange(sets), PART_SETS)
            length = min(periods, PART_PERIODS)
            first = rng.randrange(periods - length + 1)
            last = first + length - 1
        window = Window(problem, allowed, current, free, first, last, nearest=PART_NEAREST)
        found = window.solve(min(part_seconds, clock.left - leave), workers=problem.workers)
        if found.improved:
            current = found.stops
            improvements += 1
            if plan_km(problem, current) <= floor:
                break
        elif found.optimal:
            part_seconds = max(0.5, part_seconds * 0.9)
        else:
            part_seconds = min(3.0, part_seconds * 1.2)
    return current, improvements


def _sets_near(
    problem: RotationProblem, stops: Sequence[Stop], seed_set: int, count: int
) -> list[int]:
    """The set ``seed_set`` and the sets whose stops lie nearest to its stops."""
    places: dict[int, list[int]] = {s: [problem.sets[s].start] for s in range(len(problem.sets))}
    for stop in stops:
        places[stop.set_index].append(problem.hosts[stop.host_index].place)

    def distance(other: int) -> int:
        return min(problem.km(a, b) for a in places[seed_set] for b in places[other])

    return sorted(range(len(problem.sets)), key=lambda s: (distance(s), s))[:count]
