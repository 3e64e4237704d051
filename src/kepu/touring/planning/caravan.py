"""The caravan route planner: a week of visits to the schools and villages that asked for one.

Vehicle routing with time windows (OR-Tools routing): each working day of the week is one route
that leaves the depot and comes back within the working hours; a request can be served only on
the days it can receive the caravan, and the visit (its duration) must fit in the hours it
gives; the driving of a day stays within the limit. Leaving a request out costs a penalty larger
than any route, so the routes serve as many requests (weighted) as they can, then drive the
fewest kilometres. Cheapest insertion builds the first routes and guided local search improves
them until the time limit.

What could not be served is listed with the reason, checked request by request: no day it can
receive the caravan, a window shorter than the visit, too far to get there within its hours and
be back by the end of the day, a round trip beyond the driving limit — or, when it could be
served alone, the week is full.
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum

from ortools.constraint_solver import (
    pywrapcp,
    routing_enums_pb2,
)


@dataclass(frozen=True)
class VisitRequest:
    key: int
    place: int
    days: frozenset[int]  # days of the week (0 = the first day) it can receive the caravan
    opens: int  # minutes after midnight: the visit may start at or after this
    closes: int  # … and must be over by this
    duration: int  # minutes the visit takes on site
    weight: int = 1


@dataclass
class CaravanProblem:
    depot: int  # place
    working_days: frozenset[int]  # days of the week the caravan works
    day_starts: int  # minutes after midnight it may leave the depot
    day_ends: int  # … and must be back by
    max_drive_minutes: int  # driving per day
    speed_kmh: float
    km: Callable[[int, int], int]
    requests: Sequence[VisitRequest]
    max_km_per_day: int | None = None
    time_limit: float = 5.0

    def drive_minutes(self, a: int, b: int) -> int:
        return math.ceil(self.km(a, b) * 60 / self.speed_kmh)


class Reason(StrEnum):
    NO_DAY = "no_day"  # none of its days is a working day of the caravan
    WINDOW_SHORT = "window_short"  # its hours are shorter than the visit
    OUT_OF_REACH = "out_of_reach"  # cannot get there within its hours and be back in time
    DRIVE_LIMIT = "drive_limit"  # the round trip alone exceeds the day's driving limit
    WEEK_FULL = "week_full"  # could be served alone; the week's routes have no room left


@dataclass(frozen=True)
class Visit:
    request_index: int
    arrives: int  # minutes after midnight
    starts: int
    ends: int
    km_from_previous: int


@dataclass
class DayRoute:
    day: int
    leaves: int = 0
    returns: int = 0
    visits: list[Visit] = field(default_factory=list)
    km: int = 0
    drive_minutes: int = 0


@dataclass(frozen=True)
class Unserved:
    request_index: int
    reason: Reason


class CaravanStatus(StrEnum):
    ALL_SERVED = "all_served"
    PARTLY_SERVED = "partly_served"
    NO_ROUTE = "no_route"  # the solver found no routes in the time


@dataclass
class CaravanResult:
    status: CaravanStatus
    days: list[DayRoute]
    unserved: list[Unserved]
    km: int
    served: int
    served_weight: int
    seconds: float


def reason_alone(problem: CaravanProblem, request: VisitRequest) -> Reason | None:
    """Why the request cannot be served even if it were the only one, or None."""
    if not request.days & problem.working_days:
        return Reason.NO_DAY
    if request.closes - request.opens < request.duration:
        return Reason.WINDOW_SHORT
    out = problem.drive_minutes(problem.depot, request.place)
    back = problem.drive_minutes(request.place, problem.depot)
    if out + back > problem.max_drive_minutes or (
        problem.max_km_per_day is not None
        and problem.km(problem.depot, request.place) + problem.km(request.place, problem.depot)
        > problem.max_km_per_day
    ):
        return Reason.DRIVE_LIMIT
    earliest_start = max(request.opens, problem.day_starts + out)
    latest_start = min(request.closes, problem.day_ends - back) - request.duration
    if earliest_start > latest_start:
        return Reason.OUT_OF_REACH
    return None


def plan_caravan_week(problem: CaravanProblem) -> CaravanResult:
    started = time.monotonic()
    requests = problem.requests
    days = sorted(problem.working_days)
    alone = {i: reason_alone(problem, request) for i, request in enumerate(requests)}
    candidates = [i for i, reason in alone.items() if reason is None]
    if not days or not candidates:
        return _result(problem, [], alone, started)
    # Node 0 is the depot; node k is request candidates[k - 1]; vehicle v is day days[v].
    places = [problem.depot] + [requests[i].place for i in candidates]
    service = [0] + [requests[i].duration for i in candidates]
    manager = pywrapcp.RoutingIndexManager(len(places), len(days), 0)
    routing = pywrapcp.RoutingModel(manager)

    # Matrices by node, read by OR-Tools itself: no Python call in the search's inner loop.
    km = [[problem.km(a, b) for b in places] for a in places]
    drive = [[problem.drive_minutes(a, b) for b in places] for a in places]
    elapsed = [[service[a] + minutes for minutes in row] for a, row in enumerate(drive)]
    distance_callback = routing.RegisterTransitMatrix(km)
    routing.SetArcCostEvaluatorOfAllVehicles(distance_callback)
    day_length = problem.day_ends - problem.day_starts
    routing.AddDimension(
        routing.RegisterTransitMatrix(elapsed), day_length, problem.day_ends, False, "time"
    )
    clock = routing.GetDimensionOrDie("time")
    routing.AddDimension(
        routing.RegisterTransitMatrix(drive), 0, problem.max_drive_minutes, True, "driving"
    )
    if problem.max_km_per_day is not None:
        routing.AddDimension(distance_callback, 0, problem.max_km_per_day, True, "km")
    for vehicle in range(len(days)):
        clock.CumulVar(routing.Start(vehicle)).SetRange(problem.day_starts, problem.day_ends)
        clock.CumulVar(routing.End(vehicle)).SetRange(problem.day_starts, problem.day_ends)
        # Leave as late and come back as early as the day's visits allow.
        routing.AddVariableMaximizedByFinalizer(clock.CumulVar(routing.Start(vehicle)))
        routing.AddVariableMinimizedByFinalizer(clock.CumulVar(routing.End(vehicle)))
    longest = max((max(row) for row in km), default=0)
    penalty_unit = (longest + 1) * (len(places) + 1)  # one visit outweighs any kilometres
    for node, i in enumerate(candidates, start=1):
        request = requests[i]
        index = manager.NodeToIndex(node)
        clock.CumulVar(index).SetRange(request.opens, request.closes - request.duration)
        allowed = [v for v, day in enumerate(days) if day in request.days]
        routing.VehicleVar(index).SetValues([-1, *allowed])
        routing.AddDisjunction([index], penalty_unit * max(1, request.weight))
    parameters = pywrapcp.DefaultRoutingSearchParameters()
    parameters.first_solution_strategy = (
        routing_enums_pb2.FirstSolutionStrategy.PARALLEL_CHEAPEST_INSERTION
    )
    parameters.local_search_metaheuristic = (
        routing_enums_pb2.LocalSearchMetaheuristic.GUIDED_LOCAL_SEARCH
    )
    remaining = problem.time_limit - (time.monotonic() - started)
    parameters.time_limit.FromMilliseconds(max(100, int(remaining * 1000)))
    solution = routing.SolveWithParameters(parameters)
    if solution is None:
        result = _result(problem, [], alone, started)
        result.status = CaravanStatus.NO_ROUTE
        return result
    routes = []
    for vehicle, day in enumerate(days):
        route = DayRoute(day=day)
        index = routing.Start(vehicle)
        route.leaves = solution.Value(clock.CumulVar(index))
        here = problem.depot
        while True:
            index = solution.Value(routing.NextVar(index))
            node = manager.IndexToNode(index)
            target = places[node]
            leg_km = problem.km(here, target)
            route.km += leg_km
            route.drive_minutes += problem.drive_minutes(here, target)
            if routing.IsEnd(index):
                route.returns = solution.Value(clock.CumulVar(index))
                break
            i = candidates[node - 1]
            starts = solution.Value(clock.CumulVar(index))
            arrives = (
                route.visits[-1].ends if route.visits else route.leaves
            ) + problem.drive_minutes(here, target)
            route.visits.append(Visit(i, arrives, starts, starts + requests[i].duration, leg_km))
            here = target
        if route.visits:
            routes.append(route)
    return _result(problem, routes, alone, started)


def _result(
    problem: CaravanProblem,
    routes: list[DayRoute],
    alone: dict[int, Reason | None],
    started: float,
) -> CaravanResult:
    served = {visit.request_index for route in routes for visit in route.visits}
    unserved = [
        Unserved(i, alone.get(i) or Reason.WEEK_FULL)
        for i in range(len(problem.requests))
        if i not in served
    ]
    return CaravanResult(
        status=CaravanStatus.ALL_SERVED if not unserved else CaravanStatus.PARTLY_SERVED,
        days=routes,
        unserved=unserved,
        km=sum(route.km for route in routes),
        served=len(served),
        served_weight=sum(problem.requests[i].weight for i in served),
        seconds=time.monotonic() - started,
    )


def nearest_next(problem: CaravanProblem) -> CaravanResult:
    """What a planner does by hand: each working day, from the depot, drive to the nearest
    request still waiting that can be reached within its hours, with time to get back and
    within the driving limit; go home when none is left."""
    started = time.monotonic()
    requests = problem.requests
    waiting = {i for i, request in enumerate(requests) if reason_alone(problem, request) is None}
    routes: list[DayRoute] = []
    for day in sorted(problem.working_days):
        route = DayRoute(day=day, leaves=problem.day_starts)
        here, now, driven, km_today = problem.depot, problem.day_starts, 0, 0
        while True:
            best: tuple[int, int, int] | None = None
            for i in sorted(waiting):
                request = requests[i]
                if day not in request.days:
                    continue
                out = problem.drive_minutes(here, request.place)
                back = problem.drive_minutes(request.place, problem.depot)
                starts = max(now + out, request.opens)
                ends = starts + request.duration
                leg = problem.km(here, request.place)
                if (
                    ends > request.closes
                    or ends + back > problem.day_ends
                    or driven + out + back > problem.max_drive_minutes
                    or (
                        problem.max_km_per_day is not None
                        and km_today + leg + problem.km(request.place, problem.depot)
                        > problem.max_km_per_day
                    )
                ):
                    continue
                if best is None or (leg, i) < (best[1], best[0]):
                    best = (i, leg, starts)
            if best is None:
                break
            i, leg, starts = best
            request = requests[i]
            route.visits.append(
                Visit(
                    i,
                    now + problem.drive_minutes(here, request.place),
                    starts,
                    starts + request.duration,
                    leg,
                )
            )
            driven += problem.drive_minutes(here, request.place)
            km_today += leg
            here, now = request.place, starts + request.duration
            waiting.discard(i)
        home = problem.km(here, problem.depot)
        route.km = km_today + home
        route.drive_minutes = driven + problem.drive_minutes(here, problem.depot)
        route.returns = now + problem.drive_minutes(here, problem.depot)
        if route.visits:
            routes.append(route)
    alone = {i: reason_alone(problem, request) for i, request in enumerate(requests)}
    return _result(problem, routes, alone, started)
