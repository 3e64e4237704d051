"""A first rotation plan from routes: which venues each set visits, then in which periods.

Route first: OR-Tools routing treats each set as a vehicle that starts where the set is and
may visit as many venues as it has free periods; a venue it may never show at is closed to it,
and leaving a venue out costs a penalty weighted by the venue's weight, so the routes serve as
many venues as they can with the fewest kilometres (cheapest insertion, then guided local
search). A venue can be visited twice when there are more set-periods than venues.

Sequence second: each set's venues are put into its periods by an exact dynamic programme over
(period, venues used, where the set is): the venue must be able to host in that period, no
other set may show there then, maintenance takes the set to its workshop, and the kilometres
are the fewest possible for that set.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from ortools.constraint_solver import (
    pywrapcp,
    routing_enums_pb2,
)

from kepu.touring.planning.rotation import Allowed, RotationProblem, Stop, exclusion


def route_plan(problem: RotationProblem, allowed: Allowed, seconds: float) -> list[Stop]:
    routes = _routes(problem, allowed, seconds)
    return sequence_routes(problem, routes)


def _routes(problem: RotationProblem, allowed: Allowed, seconds: float) -> list[list[int]]:
    """Per set, the venues it visits in route order (a venue may appear in two routes)."""
    sets, hosts = problem.sets, problem.hosts
    free_periods = [problem.periods - len(spec.maintenance) for spec in sets]
    may_visit: dict[int, set[int]] = {}
    for h, pairs in allowed.by_host.items():
        may_visit[h] = {s for s, _p in pairs}
    servable = [h for h in range(len(hosts)) if may_visit[h]]
    second_visits = max(0, sum(free_periods) - len(servable))
    copies = servable + sorted(servable, key=lambda h: -hosts[h].weight)[:second_visits]
    # Nodes: one start and one end per set, then one node per venue visit.
    vehicles = len(sets)
    starts = list(range(vehicles))
    ends = range(vehicles, 2 * vehicles)
    first_venue_node = 2 * vehicles
    node_host = {first_venue_node + i: h for i, h in enumerate(copies)}
    node_place = {s: sets[s].start for s in starts} | {
        node: hosts[h].place for node, h in node_host.items()
    }
    size = first_venue_node + len(copies)
    manager = pywrapcp.RoutingIndexManager(size, vehicles, starts, list(ends))
    routing = pywrapcp.RoutingModel(manager)

    # By node, read by OR-Tools itself (no Python call in the search's inner loop). An end node
    # has no place (-1): a set does not go home after the plan, so its arcs cost nothing.
    places = problem.places
    position = [-1] * size
    for node, place in node_place.items():
        position[node] = places.index[place]
    cost = [[0 if a < 0 or b < 0 else places.km[a][b] for b in position] for a in position]
    routing.SetArcCostEvaluatorOfAllVehicles(routing.RegisterTransitMatrix(cost))
    counter = routing.RegisterUnaryTransitVector(
        [1 if node in node_host else 0 for node in range(size)]
    )
    routing.AddDimensionWithVehicleCapacity(counter, 0, free_periods, True, "stops")
    longest = max((max(row) for row in cost), default=1)
    second_penalty = 10 * (longest + 1)
    first_penalty = second_penalty * (len(copies) + 1)
    seen: set[int] = set()
    for node, h in node_host.items():
        index = manager.NodeToIndex(node)
        routing.VehicleVar(index).SetValues([-1, *sorted(may_visit[h])])
        first = h not in seen
        seen.add(h)
        weight = hosts[h].weight
        routing.AddDisjunction([index], (first_penalty if first else second_penalty) * weight)
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    parameters.time_limit.FromMilliseconds(max(200, int(seconds * 1000)))
    solution = routing.SolveWithParameters(parameters)
    routes: list[list[int]] = [[] for _ in sets]
    if solution is None:
        return routes
    for s in range(vehicles):
        index = routing.Start(s)
        while not routing.IsEnd(index):
            node = manager.IndexToNode(index)
            if node in node_host:
                routes[s].append(node_host[node])
            index = solution.Value(routing.NextVar(index))
    return routes


def sequence_routes(problem: RotationProblem, routes: Sequence[Sequence[int]]) -> list[Stop]:
    """Put each set's venues into its periods, longest routes first, so that every stop keeps
    the rules; a venue that fits no free period (or repeats a theme) is left out."""
    stops: list[Stop] = []
    occupied: set[tuple[int, int]] = set()
    themes_at: dict[int, set[int]] = {}
    pins = {(pin.set_index, pin.host_index): pin.period for pin in problem.pins}
    order = sorted(range(len(routes)), key=lambda s: (-len(routes[s]), s))
    for s in order:
        spec = problem.sets[s]
        venues: list[int] = []
        for h in routes[s]:
            repeats = problem.no_repeat_in_plan and spec.themes & themes_at.get(h, set())
            if h not in venues and not repeats:
                venues.append(h)
        pinned_here = [(h, p) for (ps, h), p in pins.items() if ps == s]
        for h, _p in pinned_here:
            if h not in venues:
                venues.append(h)
        placed = best_sequence(problem, s, venues, occupied)
        for h, p in placed:
            stops.append(Stop(s, h, p))
            occupied.add((h, p))
            themes_at.setdefault(h, set()).update(spec.themes)
    return stops


def best_sequence(
    problem: RotationProblem, s: int, venues: Sequence[int], occupied: set[tuple[int, int]]
) -> list[tuple[int, int]]:
    """The (venue, period) pairs for set ``s``: as many (weighted) of ``venues`` as fit, then
    the fewest kilometres — exactly, by dynamic programming."""
    spec = problem.sets[s]
    hosts = problem.hosts
    pins = {pin.host_index: pin.period for pin in problem.pins if pin.set_index == s}
    count = len(venues)
    longest = 1 + max(
        (
            problem.km(a, b)
            for a in _places(problem, s, venues)
            for b in _places(problem, s, venues)
        ),
        default=0,
    )
    leave_out = longest * (problem.periods + 1)  # any venue served beats any kilometres

    def fits(i: int, p: int) -> bool:
        h = venues[i]
        if h in pins:
            return pins[h] == p
        return (h, p) not in occupied and exclusion(problem, s, h, p) is None

    @cache
    def best(p: int, used: int, here: int) -> tuple[int, tuple[tuple[int, int], ...]]:
        if p == problem.periods:
            missing = sum(hosts[venues[i]].weight for i in range(count) if not used >> i & 1)
            return missing * leave_out, ()
        if p in spec.maintenance:
            value, rest = best(p + 1, used, spec.base)
            return value + problem.km(here, spec.base), rest
        options = [best(p + 1, used, here)]  # idle this period
        pinned_now = [i for i in range(count) if venues[i] in pins and pins[venues[i]] == p]
        for i in range(count):
            if used >> i & 1 or not fits(i, p) or (pinned_now and i not in pinned_now):
                continue
            place = hosts[venues[i]].place
            value, rest = best(p + 1, used | 1 << i, place)
            options.append((value + problem.km(here, place), ((venues[i], p), *rest)))
        if pinned_now:
            options = options[1:] or options
        return min(options)

    return list(best(0, 0, spec.start)[1])


def _places(problem: RotationProblem, s: int, venues: Sequence[int]) -> list[int]:
    spec = problem.sets[s]
    return [spec.start, spec.base, *(problem.hosts[h].place for h in venues)]
