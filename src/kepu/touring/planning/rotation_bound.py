"""A quick proven lower bound on the kilometres of any plan that serves as much as the planner's
(weaker than column generation's in :mod:`.rotation_columns`; the floor under it).

The linear relaxation of a time-expanded flow (GLOP): sets become units of flow that start where
the sets are, pass period by period through stops (each venue shows at most one set a period) or
wait where they are, and pay the kilometres of every move. Which set is which is forgotten, and
so are the themes and the areas; how many sets are free in each period is kept, and the sets in
maintenance must reach their workshop that period. Every real plan is such a flow, so no plan
that serves at least ``coverage`` (weighted venues) with at least ``stop_weight`` (weighted
stops) travels less than this optimum.
"""

from __future__ import annotations

import math
from collections import Counter

from ortools.linear_solver import pywraplp

from kepu.touring.planning.rotation import Allowed, RotationProblem


def lower_bound_km(
    problem: RotationProblem,
    allowed: Allowed,
    *,
    coverage: int,
    stop_weight: int,
    seconds: float,
) -> int | None:
    """The bound in whole kilometres (rounded up), or None when the LP was not solved in time."""
    solver = pywraplp.Solver.CreateSolver("GLOP")
    if solver is None:
        return None
    solver.SetTimeLimit(max(1, int(seconds * 1000)))
    hosts, periods = problem.hosts, problem.periods
    open_at: list[list[int]] = [[] for _ in range(periods)]
    for h, pairs in allowed.by_host.items():
        for p in sorted({period for _s, period in pairs}):
            open_at[p].append(h)
    supply = Counter(spec.start for spec in problem.sets)
    # Sets in maintenance, by period and workshop: they must get there (and leave again).
    in_workshop = Counter((p, spec.base) for spec in problem.sets for p in spec.maintenance)
    # The places a unit can be at: where sets start, workshops, and every venue.
    places = sorted(
        set(supply) | {spec.base for spec in problem.sets} | {host.place for host in hosts}
    )
    infinity = solver.infinity()
    objective = solver.Objective()
    stops_total = solver.Constraint(stop_weight, infinity)
    into_host: dict[tuple[int, int], list[pywraplp.Variable]] = {}  # (host, period) → moves
    arrived: dict[int, list[pywraplp.Variable]] = {}  # place → what is there after p − 1
    for p in range(periods):
        free_sets = sum(1 for spec in problem.sets if p not in spec.maintenance)
        capacity = solver.Constraint(-infinity, free_sets)
        stop_rows = {h: solver.Constraint(-infinity, 1) for h in open_at[p]}
        now: dict[int, list[pywraplp.Variable]] = {}
        workshops: dict[int, pywraplp.Constraint] = {}  # place → its balance row
        for place in places:
            amount = supply.get(place, 0) if p == 0 else 0
            balance = solver.Constraint(amount, amount)  # leaves in p = was there after p − 1
            for variable in arrived.get(place, []):
                balance.SetCoefficient(variable, -1)
            for h in open_at[p]:
                move = solver.NumVar(0, 1, "")
                balance.SetCoefficient(move, 1)
                stop_rows[h].SetCoefficient(move, 1)
                capacity.SetCoefficient(move, 1)
                stops_total.SetCoefficient(move, hosts[h].weight)
                objective.SetCoefficient(move, problem.km(place, hosts[h].place))
                into_host.setdefault((h, p), []).append(move)
                now.setdefault(hosts[h].place, []).append(move)
            wait = solver.NumVar(0, infinity, "")
            balance.SetCoefficient(wait, 1)
            now.setdefault(place, []).append(wait)
            workshops[place] = balance
        for (period, base), count in in_workshop.items():
            if period != p:
                continue
            into = solver.Constraint(count, count)
            for place in places:
                move = solver.NumVar(0, infinity, "")
                workshops[place].SetCoefficient(move, 1)
                into.SetCoefficient(move, 1)
                objective.SetCoefficient(move, problem.km(place, base))
                now.setdefault(base, []).append(move)
        arrived = now

    served_total = solver.Constraint(coverage, infinity)
    for h, host in enumerate(hosts):
        moves = [move for p in range(periods) for move in into_host.get((h, p), [])]
        if not moves:
            continue
        served = solver.NumVar(1 if h in problem.required else 0, 1, "")
        served_total.SetCoefficient(served, host.weight)
        link = solver.Constraint(0, infinity)  # stops at the venue − served ≥ 0
        link.SetCoefficient(served, -1)
        for move in moves:
            link.SetCoefficient(move, 1)
    for pin in problem.pins:
        row = solver.Constraint(1, infinity)
        for move in into_host.get((pin.host_index, pin.period), []):
            row.SetCoefficient(move, 1)
    objective.SetMinimization()
    if solver.Solve() != pywraplp.Solver.OPTIMAL:
        return None
    value: float = objective.Value()
    return math.ceil(value - 1e-6)
