"""The CP-SAT models of the rotation planner.

* :func:`requirements_core` — are the required venues and pinned stops possible together? If
  not, which of them clash (a sufficient set of assumptions, then shrunk to a minimal one).
* :func:`solve_coverage` — the most venues served (weighted), then the most stops; stops only.
* :class:`Window` — a part of the plan (some sets over some consecutive periods) re-planned for
  the fewest kilometres while the rest stays fixed, serving at least as much as before. Each
  freed set walks a layered graph: one node per period (a stop at a venue, waiting where it is,
  or its workshop during maintenance) and arcs between consecutive periods that cost the
  kilometres between the two places. With every set and every period freed this is the whole
  problem, solved exactly when it is small.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ortools.sat.python import cp_model

from kepu.touring.planning.rotation import (
    Allowed,
    Pin,
    Requirement,
    RotationProblem,
    Stop,
    timeline,
)


def _solver(seconds: float, workers: int, seed: int, *, probing: bool = True) -> cp_model.CpSolver:
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.05, seconds)
    solver.parameters.num_workers = max(1, workers)
    solver.parameters.random_seed = seed
    # The models are flows with side rules: their LP relaxation guides the search best. On the
    # layered graphs of the windows presolve probing costs seconds and finds little.
    solver.parameters.linearization_level = 2
    if not probing:
        solver.parameters.cp_model_probing_level = 0
    return solver


def _stop_variables(
    model: cp_model.CpModel, problem: RotationProblem, allowed: Allowed
) -> dict[tuple[int, int, int], cp_model.IntVar]:
    """x[s, h, p] for the allowed triples, with the rules that tie them together."""
    x = {(s, h, p): model.new_bool_var(f"x{s}_{h}_{p}") for (s, h, p) in allowed.triples()}
    by_set_period: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_host_period: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_host_theme: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    for (s, h, p), var in x.items():
        by_set_period.setdefault((s, p), []).append(var)
        by_host_period.setdefault((h, p), []).append(var)
        for theme in problem.sets[s].themes:
            by_host_theme.setdefault((h, theme), []).append(var)
    for group in (by_set_period, by_host_period):
        for variables in group.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
    if problem.no_repeat_in_plan:
        for variables in by_host_theme.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
    return x


def _host_stops(
    x: dict[tuple[int, int, int], cp_model.IntVar],
) -> dict[int, list[cp_model.IntVar]]:
    found: dict[int, list[cp_model.IntVar]] = {}
    for (_s, h, _p), var in x.items():
        found.setdefault(h, []).append(var)
    return found


def requirements_core(
    problem: RotationProblem, allowed: Allowed, seconds: float
) -> tuple[Requirement, ...] | None:
    """None when the requirements can be met together; otherwise a minimal set of them that
    cannot (CP-SAT's assumptions, one worker, no objective; then shrunk one by one)."""
    requirements = [Requirement(h) for h in sorted(problem.required)]
    requirements += [Requirement(pin.host_index, pin) for pin in problem.pins]
    if not requirements:
        return None

    # One model, each requirement behind a switch; a trial assumes the switches of its
    # requirements (the others are free), so the shrinking below re-solves, never rebuilds.
    model = cp_model.CpModel()
    x = _stop_variables(model, problem, allowed)
    stops = _host_stops(x)
    switches = []
    for index, requirement in enumerate(requirements):
        switch = model.new_bool_var(f"requirement{index}")
        switches.append(switch)
        pin = requirement.pin
        if pin is None:
            model.add_bool_or(stops.get(requirement.host_index, [])).only_enforce_if(switch)
        else:
            var = x.get((pin.set_index, pin.host_index, pin.period))
            if var is None:
                model.add_bool_or([]).only_enforce_if(switch)
            else:
                model.add_implication(switch, var)

    def infeasible(chosen: Sequence[int], budget: float) -> list[int] | None:
        """None unless the chosen requirements cannot be met together; then those of them
        that CP-SAT found sufficient for the clash."""
        model.clear_assumptions()
        model.add_assumptions([switches[i] for i in chosen])
        solver = _solver(budget, 1, problem.seed)
        if solver.solve(model) != cp_model.INFEASIBLE:
            return None
        core = set(solver.sufficient_assumptions_for_infeasibility())
        return [i for i in chosen if switches[i].index in core]

    every = list(range(len(requirements)))
    core = infeasible(every, seconds)
    if core is None:
        return None
    kept = core or every
    # Shrink: drop each requirement whose absence still leaves the rest impossible.
    position = 0
    while position < len(kept) and len(kept) > 1:
        trial = kept[:position] + kept[position + 1 :]
        if infeasible(trial, max(0.2, seconds / 4)) is not None:
            kept = trial
        else:
            position += 1
    return tuple(requirements[i] for i in kept)


@dataclass
class CoverageResult:
    stops: list[Stop]
    coverage_bound: int  # proven: no plan serves more (weighted venues)
    optimal: bool


def solve_coverage(
    problem: RotationProblem,
    allowed: Allowed,
    seconds: float,
    hint: Iterable[Stop] = (),
) -> CoverageResult | None:
    """The most venues served (weighted); then, serving that many, the most stops (weighted);
    then, among those, the sets nearest their starting places.

    One solve per objective: as a single objective whose first term outweighs the second the
    same problem is far harder for CP-SAT to prove.
    """
    model = cp_model.CpModel()
    x = _stop_variables(model, problem, allowed)
    served = {h: model.new_bool_var(f"served{h}") for h in _host_stops(x)}
    for h, variables in _host_stops(x).items():
        model.add_max_equality(served[h], variables)
    for h in problem.required:
        model.add(served[h] == 1) if h in served else model.add_bool_or([])
    for pin in problem.pins:
        var = x.get((pin.set_index, pin.host_index, pin.period))
        model.add(var == 1) if var is not None else model.add_bool_or([])
    weight = [host.weight for host in problem.hosts]
    coverage = sum(weight[h] * var for h, var in served.items())
    stop_weight = sum(weight[h] * var for (_s, h, _p), var in x.items())
    hinted = {(stop.set_index, stop.host_index, stop.period) for stop in hint}
    for key, var in x.items():
        model.add_hint(var, key in hinted)

    model.maximize(coverage)
    solver = _solver(seconds / 3, problem.workers, problem.seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    best_coverage = round(solver.objective_value)
    coverage_bound = int(solver.best_objective_bound + 1e-6)
    proven = status == cp_model.OPTIMAL
    chosen = {key for key, var in x.items() if solver.boolean_value(var)}

    model.add(coverage >= best_coverage)
    chosen, stops_proven = _resolve(
        model, x, chosen, stop_weight, seconds / 3, problem, maximize=True
    )
    best_stops = sum(weight[h] for (_s, h, _p) in chosen)
    # Among those plans, sets near where they start: a first plan with few kilometres, which
    # the window search then sequences and exchanges.
    model.add(stop_weight >= best_stops)
    near_home = sum(
        problem.km(problem.sets[s].start, problem.hosts[h].place) * var
        for (s, h, _p), var in x.items()
    )
    chosen, _near_proven = _resolve(
        model, x, chosen, near_home, seconds / 3, problem, maximize=False
    )
    proven = proven and stops_proven
    stops = [Stop(s, h, p) for (s, h, p) in sorted(chosen)]
    return CoverageResult(stops=stops, coverage_bound=coverage_bound, optimal=proven)


def _resolve(
    model: cp_model.CpModel,
    x: dict[tuple[int, int, int], cp_model.IntVar],
    chosen: set[tuple[int, int, int]],
    objective: cp_model.LinearExprT,
    seconds: float,
    problem: RotationProblem,
    *,
    maximize: bool,
) -> tuple[set[tuple[int, int, int]], bool]:
    """Solve again for another objective, starting from the stops chosen so far (kept when
    nothing better is found in the time)."""
    model.clear_hints()  # type: ignore[no-untyped-call]
    for key, var in x.items():
        model.add_hint(var, key in chosen)
    model.maximize(objective) if maximize else model.minimize(objective)
    solver = _solver(seconds, problem.workers, problem.seed)
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return chosen, False
    found = {key for key, var in x.items() if solver.boolean_value(var)}
    return found, status == cp_model.OPTIMAL


# Re-planning a window for kilometres ------------------------------------------------------------

STOP, WAIT, WORKSHOP = "stop", "wait", "workshop"


@dataclass(frozen=True)
class Node:
    """Where a set is in a period: showing at ``host``, waiting at ``place``, or in its
    workshop for maintenance."""

    kind: str
    place: int
    host: int = -1


@dataclass
class WindowResult:
    stops: list[Stop]  # the whole plan, the window's part replaced when it improved
    bound: float  # proven lower bound of those kilometres
    optimal: bool
    improved: bool


@dataclass
class _SetGraph:
    layers: list[list[tuple[Node, cp_model.IntVar]]] = field(default_factory=list)
    chosen: list[Node] = field(default_factory=list)  # the current plan's path
    origin: int = 0
    exit_place: int | None = None


class Window:
    """Sets ``free`` over periods ``first``…``last`` re-planned for the fewest kilometres;
    everything else in ``stops`` stays, and the venues in ``must_serve`` get a stop.

    ``nearest`` limits each set's choices to the venues freed or unserved and the ``nearest``
    venues around where it is in the current plan (None: every allowed venue)."""

    def __init__(
        self,
        problem: RotationProblem,
        allowed: Allowed,
        stops: Sequence[Stop],
        free: Iterable[int],
        first: int,
        last: int,
        nearest: int | None = None,
        must_serve: Iterable[int] = (),
    ) -> None:
        self.problem, self.allowed, self.stops = problem, allowed, list(stops)
        self.free, self.first, self.last, self.nearest = sorted(set(free)), first, last, nearest
        self.periods = range(first, last + 1)
        self.grid = timeline(problem, self.stops)
        free_set = set(self.free)
        self.fixed: list[Stop] = []
        self.freed: list[Stop] = []
        for stop in self.stops:
            inside = stop.set_index in free_set and stop.period in self.periods
            (self.freed if inside else self.fixed).append(stop)
        self.occupied = {(stop.host_index, stop.period) for stop in self.fixed}
        self.must_serve = set(must_serve)
        served = {stop.host_index for stop in self.stops}
        self.open_hosts = (
            {stop.host_index for stop in self.freed}
            | (set(range(len(problem.hosts))) - served)
            | self.must_serve
        )
        self.themes_fixed = {
            (stop.host_index, theme)
            for stop in self.fixed
            for theme in problem.sets[stop.set_index].themes
        }
        self.model = cp_model.CpModel()
        self.objective: list[cp_model.LinearExprT] = []
        self.stop_vars: dict[tuple[int, int, int], cp_model.IntVar] = {}
        self.current_km = 0

    def solve(self, seconds: float, workers: int | None = None) -> WindowResult:
        for s in self.free:
            self._set_graph(s)
        self._shared_rules()
        self.model.minimize(sum(self.objective))
        solver = _solver(seconds, workers or self.problem.workers, self.problem.seed, probing=False)
        status = solver.solve(self.model)
        if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
            return WindowResult(self.stops, 0.0, False, False)
        found = round(solver.objective_value)
        optimal = status == cp_model.OPTIMAL
        if found >= self.current_km:
            return WindowResult(self.stops, solver.best_objective_bound, optimal, False)
        replaced = self.fixed + [
            Stop(s, h, p) for (s, h, p), var in self.stop_vars.items() if solver.boolean_value(var)
        ]
        return WindowResult(replaced, solver.best_objective_bound, optimal, True)

    # One set's layered graph ------------------------------------------------------------------

    def _set_graph(self, s: int) -> None:
        problem, model, spec = self.problem, self.model, self.problem.sets[s]
        graph = _SetGraph(origin=self._place_before(s), exit_place=self._place_after(s))
        places = {graph.origin}
        here = graph.origin
        for p in self.periods:
            chosen = self._current_node(s, p, here)
            layer = []
            for node in self._layer_nodes(s, p, places, chosen, here):
                var = model.new_bool_var(f"n{s}.{p}.{node.kind}.{node.place}.{node.host}")
                model.add_hint(var, node == chosen)
                layer.append((node, var))
                if node.kind == STOP:
                    self.stop_vars[(s, node.host, p)] = var
            model.add_exactly_one(var for _node, var in layer)
            if graph.layers:
                self._arcs(graph.layers[-1], layer, graph.chosen[-1], chosen)
            else:
                for node, var in layer:
                    self.objective.append(problem.km(graph.origin, node.place) * var)
            self.current_km += problem.km(here, chosen.place)
            graph.layers.append(layer)
            graph.chosen.append(chosen)
            places |= {node.place for node, _var in layer}
            here = chosen.place
        if graph.exit_place is not None:
            for node, var in graph.layers[-1]:
                self.objective.append(problem.km(node.place, graph.exit_place) * var)
            self.current_km += problem.km(here, graph.exit_place)
        pins = pins_of(problem)
        for p in self.periods:
            pin = pins.get((s, p))
            if pin is not None and p not in spec.maintenance:
                self.model.add(self.stop_vars[(s, pin.host_index, p)] == 1)

    def _place_before(self, s: int) -> int:
        """Where set ``s`` is when the window opens."""
        spec = self.problem.sets[s]
        here = spec.start
        for p in range(self.first):
            host = self.grid[s][p]
            if p in spec.maintenance:
                here = spec.base
            elif host is not None:
                here = self.problem.hosts[host].place
        return here

    def _place_after(self, s: int) -> int | None:
        """Where set ``s`` goes next after the window, if it goes anywhere in the plan."""
        spec = self.problem.sets[s]
        for p in range(self.last + 1, self.problem.periods):
            host = self.grid[s][p]
            if p in spec.maintenance:
                return spec.base
            if host is not None:
                return self.problem.hosts[host].place
        return None

    def _current_node(self, s: int, p: int, here: int) -> Node:
        spec, host = self.problem.sets[s], self.grid[s][p]
        if p in spec.maintenance:
            return Node(WORKSHOP, spec.base)
        if host is not None:
            return Node(STOP, self.problem.hosts[host].place, host)
        return Node(WAIT, here)

    def _layer_nodes(self, s: int, p: int, places: set[int], chosen: Node, here: int) -> list[Node]:
        problem, spec = self.problem, self.problem.sets[s]
        if p in spec.maintenance:
            return [Node(WORKSHOP, spec.base)]
        hosts = [
            h
            for h in self.allowed.by_set_period[(s, p)]
            if (h, p) not in self.occupied
            and not (
                problem.no_repeat_in_plan
                and any((h, theme) in self.themes_fixed for theme in spec.themes)
            )
        ]
        if self.nearest is not None:
            keep = self.open_hosts & set(hosts)
            for around in {chosen.place, here}:
                near = sorted(hosts, key=lambda h: (problem.km(around, problem.hosts[h].place), h))
                keep |= set(near[: self.nearest])
            if chosen.kind == STOP:
                keep.add(chosen.host)
            hosts = [h for h in hosts if h in keep]
        nodes = [Node(STOP, problem.hosts[h].place, h) for h in hosts]
        # A set waits (no venue for it in a period) only where it was; in a limited window only
        # where it stands when the window opens, so that the graph stays small.
        waits = places if self.nearest is None else {self._place_before(s)}
        nodes += [Node(WAIT, place) for place in sorted(waits)]
        if chosen not in nodes:  # the current plan must stay possible
            nodes.append(chosen)
        return nodes

    def _arcs(
        self,
        before: list[tuple[Node, cp_model.IntVar]],
        after: list[tuple[Node, cp_model.IntVar]],
        chosen_before: Node,
        chosen_after: Node,
    ) -> None:
        """Arcs between two consecutive layers with flow conservation: a set waits only where
        it is, and any move costs the kilometres between the two places."""
        model, km = self.model, self.problem.km
        outgoing: dict[int, list[cp_model.IntVar]] = {}
        incoming: dict[int, list[cp_model.IntVar]] = {}
        for i, (origin, origin_var) in enumerate(before):
            for j, (target, _target_var) in enumerate(after):
                if target.kind == WAIT and target.place != origin.place:
                    continue
                arc = model.new_bool_var("")
                model.add_hint(arc, origin == chosen_before and target == chosen_after)
                outgoing.setdefault(i, []).append(arc)
                incoming.setdefault(j, []).append(arc)
                distance = km(origin.place, target.place)
                if distance:
                    self.objective.append(distance * arc)
            model.add(sum(outgoing.get(i, [])) == origin_var)
        for j, (_target, target_var) in enumerate(after):
            model.add(sum(incoming.get(j, [])) == target_var)

    # Rules across sets ------------------------------------------------------------------------

    def _shared_rules(self) -> None:
        problem, model = self.problem, self.model
        by_host_period: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        by_host_theme: dict[tuple[int, int], list[cp_model.IntVar]] = {}
        by_host: dict[int, list[cp_model.IntVar]] = {}
        for (s, h, p), var in self.stop_vars.items():
            by_host_period.setdefault((h, p), []).append(var)
            by_host.setdefault(h, []).append(var)
            for theme in problem.sets[s].themes:
                by_host_theme.setdefault((h, theme), []).append(var)
        for variables in by_host_period.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
        if problem.no_repeat_in_plan:
            for variables in by_host_theme.values():
                if len(variables) > 1:
                    model.add_at_most_one(variables)
        # Serve at least what the current plan serves: the same weight of venues and of stops.
        weight = [host.weight for host in problem.hosts]
        served_fixed = {stop.host_index for stop in self.fixed}
        freed_hosts = {stop.host_index for stop in self.freed}
        terms = []
        for h, variables in by_host.items():
            if h in served_fixed:
                continue
            served = model.new_bool_var(f"served{h}")
            model.add_bool_or(variables).only_enforce_if(served)
            model.add_hint(served, h in freed_hosts)
            terms.append(weight[h] * served)
            if h in problem.required or h in self.must_serve:
                model.add(served == 1)
        model.add(sum(terms) >= sum(weight[h] for h in freed_hosts - served_fixed))
        model.add(
            sum(weight[h] * var for (_s, h, _p), var in self.stop_vars.items())
            >= sum(weight[stop.host_index] for stop in self.freed)
        )


def pins_of(problem: RotationProblem) -> dict[tuple[int, int], Pin]:
    return {(pin.set_index, pin.period): pin for pin in problem.pins}
