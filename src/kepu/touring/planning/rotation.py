"""The rotation problem (区域换展): which touring set goes to which host venue in each period.

Plain data in, plain data out; indices, not database rows. ``kepu.touring.services.planning``
builds a :class:`RotationProblem` from the records and turns a :class:`RotationResult` into a
plan. The rules, in the words the coordinators use:

* a set is at one venue at a time, and a venue shows one set at a time;
* a venue hosts a set only when its hall is large enough for it and it can host in that period;
* a set in maintenance spends the period at its workshop (its base);
* a venue does not get a theme it hosted in the last N years (``barred_themes``), nor the same
  theme twice within the plan;
* venues a coordinator marks as required must be served; pinned stops must be kept.

The planner first serves as many venues as it can (weighted by population or priority, then as
many stops as it can), and among those plans looks for the fewest kilometres the sets travel.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

import numpy as np
from ortools.graph.python import min_cost_flow


@dataclass(frozen=True)
class SetSpec:
    key: int
    themes: frozenset[int]
    area_m2: float
    start: int  # the place where the set is when the plan begins
    base: int  # the place of the workshop where it is maintained
    maintenance: frozenset[int] = frozenset()  # periods it spends in maintenance


@dataclass(frozen=True)
class HostSpec:
    key: int
    place: int
    area_m2: float
    weight: int = 1
    available: frozenset[int] = frozenset()  # periods it can host in
    # Per period: themes the venue hosted in the N years before the period starts.
    barred_themes: tuple[frozenset[int], ...] = ()


@dataclass(frozen=True)
class Pin:
    """A stop the coordinator fixed: this set at this venue in this period."""

    set_index: int
    host_index: int
    period: int


@dataclass
class RotationProblem:
    periods: int
    sets: Sequence[SetSpec]
    hosts: Sequence[HostSpec]
    km: Callable[[int, int], int]  # whole kilometres between two places
    no_repeat_in_plan: bool = True
    required: frozenset[int] = frozenset()  # host indices that must be served
    pins: Sequence[Pin] = ()
    # None: serve as much as possible. (weighted venues, weighted stops): serve at least that
    # much with the fewest kilometres (to compare with a plan made by hand at equal coverage).
    serve_at_least: tuple[int, int] | None = None
    time_limit: float = 10.0
    workers: int = 1  # CP-SAT workers; one worker with its LP relaxation does best here
    seed: int = 1

    @cached_property
    def places(self) -> Places:
        """The kilometres between every place of the problem, worked out once for the first
        plans, the pricing, the routing and the local search."""
        return Places.of(self)


class Rule(StrEnum):
    """Why a set cannot go to a venue in a period (the words of an explanation)."""

    AREA = "area"
    AVAILABILITY = "availability"
    MAINTENANCE = "maintenance"
    THEMES = "themes"


@dataclass(frozen=True)
class Exclusion:
    rule: Rule
    set_index: int
    host_index: int
    period: int
    themes: frozenset[int] = frozenset()


class ConflictKind(StrEnum):
    HOST_UNSERVABLE = "host_unservable"  # a required venue can get no set in any period
    PIN_BROKEN = "pin_broken"  # a pinned stop breaks a rule
    PINS_CLASH = "pins_clash"  # two pins want the same set, venue or theme
    TOGETHER = "together"  # each requirement can be met, but not all of them at once


@dataclass(frozen=True)
class Requirement:
    """A required venue (``pin`` None) or a pinned stop."""

    host_index: int
    pin: Pin | None = None


@dataclass(frozen=True)
class Conflict:
    kind: ConflictKind
    requirements: tuple[Requirement, ...]
    reasons: tuple[Exclusion, ...] = ()  # the rule each set/period ran into


@dataclass(frozen=True)
class Stop:
    set_index: int
    host_index: int
    period: int


@dataclass(frozen=True)
class Leg:
    """A set's move before a period: to a stop, or to its workshop for maintenance."""

    set_index: int
    period: int
    origin: int  # place
    destination: int  # place
    km: int
    to_maintenance: bool = False


class Status(StrEnum):
    OPTIMAL = "optimal"  # proven: no plan serves more, and none of those travels less
    FEASIBLE = "feasible"  # the best plan found in the time; see the bound and the gap
    INFEASIBLE = "infeasible"  # the requirements cannot all be met; see the conflicts


@dataclass(frozen=True)
class Unserved:
    host_index: int
    reasons: tuple[Exclusion, ...]  # empty: it could be served, but the sets were better used


@dataclass
class RotationResult:
    status: Status
    stops: list[Stop] = field(default_factory=list)
    legs: list[Leg] = field(default_factory=list)
    km: int = 0
    km_bound: int = 0
    coverage: int = 0  # weighted venues served
    coverage_bound: int = 0
    stop_weight: int = 0  # weighted stops
    venues_served: int = 0
    conflicts: list[Conflict] = field(default_factory=list)
    unserved: list[Unserved] = field(default_factory=list)
    method: str = ""
    seconds: float = 0.0
    improvements: int = 0
    lp_bound: int | None = None

    @property
    def gap(self) -> float | None:
        """(km − proven lower bound) / km; 0 when proven optimal, None without a plan."""
        if self.status == Status.INFEASIBLE:
            return None
        if self.km == 0:
            return 0.0
        return max(0.0, (self.km - self.km_bound) / self.km)


@dataclass(frozen=True)
class Places:
    """The places a problem involves — venues, where the sets start, their workshops — by a
    compact index, with the kilometres between them: the tables the planners' inner loops read."""

    index: dict[int, int]  # place → position in ``km``
    km: list[list[int]]
    host: list[int]  # each venue's position

    @classmethod
    def of(cls, problem: RotationProblem) -> Places:
        places = sorted(
            {host.place for host in problem.hosts}
            | {spec.start for spec in problem.sets}
            | {spec.base for spec in problem.sets}
        )
        index = {place: i for i, place in enumerate(places)}
        km = [[problem.km(a, b) for b in places] for a in places]
        return cls(index, km, [index[host.place] for host in problem.hosts])

    def nearest_hosts(self) -> np.ndarray:
        """Per venue, every venue from the nearest (itself, or one at the same place) on."""
        between = np.array(self.km, dtype=np.float64)[np.ix_(self.host, self.host)]
        return np.argsort(between, axis=1, kind="stable")


# The rules, one triple at a time ----------------------------------------------------------------


def exclusion(problem: RotationProblem, s: int, h: int, p: int) -> Exclusion | None:
    """The first rule that keeps set ``s`` from venue ``h`` in period ``p``, or None."""
    spec, host = problem.sets[s], problem.hosts[h]
    if p in spec.maintenance:
        return Exclusion(Rule.MAINTENANCE, s, h, p)
    if p not in host.available:
        return Exclusion(Rule.AVAILABILITY, s, h, p)
    if spec.area_m2 > host.area_m2:
        return Exclusion(Rule.AREA, s, h, p)
    barred = host.barred_themes[p] if p < len(host.barred_themes) else frozenset()
    if spec.themes & barred:
        return Exclusion(Rule.THEMES, s, h, p, frozenset(spec.themes & barred))
    return None


@dataclass
class Allowed:
    """Which venues each set may go to in each period, and why the others are out."""

    by_set_period: dict[tuple[int, int], list[int]]
    by_host: dict[int, list[tuple[int, int]]]  # host → (set, period)

    @classmethod
    def of(cls, problem: RotationProblem) -> Allowed:
        by_set_period: dict[tuple[int, int], list[int]] = {}
        by_host: dict[int, list[tuple[int, int]]] = {h: [] for h in range(len(problem.hosts))}
        for s in range(len(problem.sets)):
            for p in range(problem.periods):
                hosts = [
                    h for h in range(len(problem.hosts)) if exclusion(problem, s, h, p) is None
                ]
                by_set_period[(s, p)] = hosts
                for h in hosts:
                    by_host[h].append((s, p))
        return cls(by_set_period, by_host)

    @property
    def size(self) -> int:
        """How many (set, venue, period) choices there are."""
        return sum(map(len, self.by_set_period.values()))

    def triples(self) -> list[tuple[int, int, int]]:
        return [(s, h, p) for (s, p), hosts in self.by_set_period.items() for h in hosts]


def host_exclusions(problem: RotationProblem, h: int) -> tuple[Exclusion, ...]:
    """Every (set, period) that cannot go to venue ``h``, with the rule that says so."""
    found = []
    for s in range(len(problem.sets)):
        for p in range(problem.periods):
            reason = exclusion(problem, s, h, p)
            if reason is not None:
                found.append(reason)
    return tuple(found)


def check_requirements(problem: RotationProblem, allowed: Allowed) -> list[Conflict]:
    """What can be said without a solver: a required venue no set may go to, a pin that breaks
    a rule, two pins that want the same set, venue or theme."""
    conflicts: list[Conflict] = []
    for h in sorted(problem.required):
        if not allowed.by_host[h]:
            conflicts.append(
                Conflict(
                    ConflictKind.HOST_UNSERVABLE,
                    (Requirement(h),),
                    host_exclusions(problem, h),
                )
            )
    for pin in problem.pins:
        reason = exclusion(problem, pin.set_index, pin.host_index, pin.period)
        if reason is not None:
            conflicts.append(
                Conflict(ConflictKind.PIN_BROKEN, (Requirement(pin.host_index, pin),), (reason,))
            )
    for i, first in enumerate(problem.pins):
        for second in problem.pins[i + 1 :]:
            if _pins_clash(problem, first, second):
                conflicts.append(
                    Conflict(
                        ConflictKind.PINS_CLASH,
                        (
                            Requirement(first.host_index, first),
                            Requirement(second.host_index, second),
                        ),
                    )
                )
    return conflicts


def _pins_clash(problem: RotationProblem, a: Pin, b: Pin) -> bool:
    if a.period == b.period and (a.set_index == b.set_index or a.host_index == b.host_index):
        return True
    if problem.no_repeat_in_plan and a.host_index == b.host_index:
        shared = problem.sets[a.set_index].themes & problem.sets[b.set_index].themes
        return bool(shared)
    return False


# Evaluating a plan ------------------------------------------------------------------------------


def timeline(problem: RotationProblem, stops: Sequence[Stop]) -> list[list[int | None]]:
    """``timeline[s][p]``: the venue set ``s`` shows at in period ``p``, or None."""
    grid: list[list[int | None]] = [[None] * problem.periods for _ in problem.sets]
    for stop in stops:
        grid[stop.set_index][stop.period] = stop.host_index
    return grid


def legs_of(problem: RotationProblem, stops: Sequence[Stop]) -> list[Leg]:
    """Each set's moves: from where it is to its next stop, via its workshop for maintenance;
    an idle set stays where it is."""
    grid = timeline(problem, stops)
    return [leg for s in range(len(problem.sets)) for leg in set_legs(problem, s, grid[s])]


def set_legs(problem: RotationProblem, s: int, hosts: Sequence[int | None]) -> list[Leg]:
    """The moves of set ``s`` when it shows at ``hosts[p]`` in period ``p`` (None: no stop)."""
    legs: list[Leg] = []
    spec = problem.sets[s]
    here = spec.start
    for p in range(problem.periods):
        host = hosts[p]
        if p in spec.maintenance:
            if spec.base != here:
                legs.append(Leg(s, p, here, spec.base, problem.km(here, spec.base), True))
            here = spec.base
        elif host is not None:
            target = problem.hosts[host].place
            legs.append(Leg(s, p, here, target, problem.km(here, target)))
            here = target
    return legs


def plan_km(problem: RotationProblem, stops: Sequence[Stop]) -> int:
    return sum(leg.km for leg in legs_of(problem, stops))


def coverage_of(problem: RotationProblem, stops: Sequence[Stop]) -> tuple[int, int, int]:
    """(weighted venues served, weighted stops, venues served)."""
    served = {stop.host_index for stop in stops}
    weight = sum(problem.hosts[h].weight for h in served)
    stop_weight = sum(problem.hosts[stop.host_index].weight for stop in stops)
    return weight, stop_weight, len(served)


def serves_at_least(
    problem: RotationProblem, stops: Sequence[Stop], at_least: tuple[int, int]
) -> bool:
    """Whether the plan serves at least ``at_least`` = (weighted venues, weighted stops), each."""
    coverage, stop_weight, _venues = coverage_of(problem, stops)
    return coverage >= at_least[0] and stop_weight >= at_least[1]


def violations(problem: RotationProblem, stops: Sequence[Stop]) -> list[str]:
    """Every rule the plan breaks, in words for tests and logs (empty for a valid plan)."""
    found: list[str] = []
    seen_set: set[tuple[int, int]] = set()
    seen_host: set[tuple[int, int]] = set()
    themes_at: dict[tuple[int, int], int] = {}
    for stop in stops:
        s, h, p = stop.set_index, stop.host_index, stop.period
        reason = exclusion(problem, s, h, p)
        if reason is not None:
            found.append(f"set {s} at host {h} in period {p}: {reason.rule}")
        if (s, p) in seen_set:
            found.append(f"set {s} twice in period {p}")
        if (h, p) in seen_host:
            found.append(f"host {h} twice in period {p}")
        seen_set.add((s, p))
        seen_host.add((h, p))
        for theme in problem.sets[s].themes:
            themes_at[(h, theme)] = themes_at.get((h, theme), 0) + 1
    if problem.no_repeat_in_plan:
        found += [f"host {h} gets theme {t} twice" for (h, t), n in themes_at.items() if n > 1]
    served = {stop.host_index for stop in stops}
    found += [f"required host {h} not served" for h in problem.required if h not in served]
    placed = {(stop.set_index, stop.host_index, stop.period) for stop in stops}
    found += [
        f"pin {pin} not kept"
        for pin in problem.pins
        if (pin.set_index, pin.host_index, pin.period) not in placed
    ]
    return found


# Plans built one period at a time ---------------------------------------------------------------


def spreadsheet_plan(problem: RotationProblem) -> list[Stop]:
    """The plan a coordinator makes by hand in a spreadsheet: period by period, each set in turn
    goes to the nearest free venue that fits it, can host then and has not seen its themes."""
    stops: list[Stop] = []
    here = [spec.start for spec in problem.sets]
    seen: dict[int, set[int]] = {h: set() for h in range(len(problem.hosts))}
    for p in range(problem.periods):
        taken: set[int] = set()
        for s, spec in enumerate(problem.sets):
            if p in spec.maintenance:
                here[s] = spec.base
                continue
            candidates = [
                h
                for h in range(len(problem.hosts))
                if h not in taken
                and exclusion(problem, s, h, p) is None
                and not (problem.no_repeat_in_plan and spec.themes & seen[h])
            ]
            if not candidates:
                continue
            best = min(candidates, key=lambda h: (problem.km(here[s], problem.hosts[h].place), h))
            stops.append(Stop(s, best, p))
            taken.add(best)
            seen[best] |= spec.themes
            here[s] = problem.hosts[best].place
    return stops


def flow_plan(problem: RotationProblem, allowed: Allowed) -> list[Stop]:
    """A first plan from one min-cost flow per period: every set that is free goes to a venue,
    venues not yet served first (by weight), then the nearest; pins are placed as fixed."""
    sets, hosts = problem.sets, problem.hosts
    far = 1 + max((max(row) for row in problem.places.km), default=0)
    stop_reward = 4 * far  # any stop is worth more than the longest move
    new_reward = 4 * stop_reward * len(sets)  # a new venue is worth more than all stops
    here = [spec.start for spec in sets]
    seen: dict[int, set[int]] = {h: set() for h in range(len(hosts))}
    served: set[int] = set()
    stops: list[Stop] = []
    pinned = {(pin.set_index, pin.period): pin.host_index for pin in problem.pins}
    pinned_hosts = {(pin.host_index, pin.period) for pin in problem.pins}
    for p in range(problem.periods):
        flow = min_cost_flow.SimpleMinCostFlow()
        source, sink = 0, 1
        set_node = {s: 2 + s for s in range(len(sets))}
        host_node = {h: 2 + len(sets) + h for h in range(len(hosts))}
        arcs: dict[int, tuple[int, int]] = {}
        free = []
        for s, spec in enumerate(sets):
            if p in spec.maintenance:
                here[s] = spec.base  # the period at its workshop
                continue
            if (s, p) in pinned:
                h = pinned[(s, p)]
                stops.append(Stop(s, h, p))
                seen[h] |= spec.themes
                served.add(h)
                here[s] = hosts[h].place
                continue
            free.append(s)
        for s in free:
            spec = sets[s]
            flow.add_arc_with_capacity_and_unit_cost(source, set_node[s], 1, 0)
            flow.add_arc_with_capacity_and_unit_cost(set_node[s], sink, 1, 0)  # stays idle
            for h in allowed.by_set_period[(s, p)]:
                if (h, p) in pinned_hosts or (problem.no_repeat_in_plan and spec.themes & seen[h]):
                    continue
                weight = hosts[h].weight
                cost = problem.km(here[s], hosts[h].place) - stop_reward * weight
                if h not in served:
                    cost -= new_reward * weight
                arc = flow.add_arc_with_capacity_and_unit_cost(set_node[s], host_node[h], 1, cost)
                arcs[arc] = (s, h)
        for h in range(len(hosts)):
            flow.add_arc_with_capacity_and_unit_cost(host_node[h], sink, 1, 0)
        flow.set_node_supply(source, len(free))
        flow.set_node_supply(sink, -len(free))
        if not free or flow.solve() != flow.OPTIMAL:
            continue
        for arc, (s, h) in sorted(arcs.items()):
            if flow.flow(arc):
                stops.append(Stop(s, h, p))
                seen[h] |= sets[s].themes
                served.add(h)
                here[s] = hosts[h].place
    return stops


def unserved_hosts(
    problem: RotationProblem, allowed: Allowed, stops: Sequence[Stop]
) -> list[Unserved]:
    """The venues the plan leaves out; the rules that keep each set away, for those that no set
    may go to in any period (the others could be served, but the sets were better used)."""
    served = {stop.host_index for stop in stops}
    return [
        Unserved(h, () if allowed.by_host[h] else host_exclusions(problem, h))
        for h in range(len(problem.hosts))
        if h not in served
    ]
