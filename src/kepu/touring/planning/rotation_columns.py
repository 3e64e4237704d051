"""Column generation for the rotation planner: each set's whole itinerary is one column.

The master problem chooses one itinerary per set (a convex combination, in its linear
relaxation) so that a venue shows at most one set a period and never the same theme twice, at
least ``coverage`` weighted venues and ``stop_weight`` weighted stops are served, and the sets
travel the fewest kilometres. Its columns are priced by an exact dynamic programme over a set's
periods (:class:`Pricing`): where the set is after each period, at a venue it showed at, at its
starting place or at its workshop. A set never goes back to a venue it has just shown at (the
same themes twice); longer returns are kept out by the master's theme rows, added when a priced
itinerary makes one.

This gives the bound the flow relaxation could not: sets keep their identity, their areas,
themes and maintenance, and only the choice between itineraries is fractional. At every round
the Lagrangian bound — the master's value plus each set's most negative reduced cost — is a
proven lower bound on the kilometres of every plan that serves as much, so the search can stop
at its time limit and still report a bound. The itineraries found along the way, with those of
the plans already known, then make a small CP-SAT model (one itinerary per set) whose best
solution is an integer plan ("price and branch").
"""

from __future__ import annotations

import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from kepu.touring.planning.rotation import Allowed, RotationProblem, Stop, set_legs

INFINITY = float("inf")
EPSILON = 1e-6
NEAR = 24  # venues around each venue that heuristic pricing moves between
HEURISTIC_SHARE = 0.5  # of the time, at most, for heuristic pricing rounds
MAX_CRITICAL = 12  # venues per set whose visits the pricing remembers (2^12 masks at most)
# An exact round that takes more than this share of the time says the LP will not converge
# in it (it needs tens of rounds): column generation stops and leaves the time to the search.
SLOW_EXACT_SHARE = 0.2


@dataclass(frozen=True)
class Itinerary:
    """Where one set shows in the plan: (host, period) pairs in period order, and the
    kilometres it travels (from where it starts, via its workshop for maintenance)."""

    set_index: int
    stops: tuple[tuple[int, int], ...]
    km: int

    @property
    def hosts(self) -> list[int]:
        return [h for h, _p in self.stops]

    @property
    def elementary(self) -> bool:
        hosts = self.hosts
        return len(hosts) == len(set(hosts))


def itinerary_of(problem: RotationProblem, s: int, stops: Iterable[Stop]) -> Itinerary:
    pairs = tuple(sorted(((st.host_index, st.period) for st in stops), key=lambda hp: hp[1]))
    return Itinerary(s, pairs, itinerary_km(problem, s, pairs))


def itinerary_km(problem: RotationProblem, s: int, pairs: Sequence[tuple[int, int]]) -> int:
    hosts: list[int | None] = [None] * problem.periods
    for h, p in pairs:
        hosts[p] = h
    return sum(leg.km for leg in set_legs(problem, s, hosts))


def itineraries_of(problem: RotationProblem, stops: Iterable[Stop]) -> list[Itinerary]:
    by_set: dict[int, list[Stop]] = {s: [] for s in range(len(problem.sets))}
    for stop in stops:
        by_set[stop.set_index].append(stop)
    return [itinerary_of(problem, s, by_set[s]) for s in range(len(problem.sets))]


class Pricing:
    """The cheapest itinerary of each set for given stop values (the duals), exactly.

    States after a period: "at venue h, having shown there" (one per venue), "at the starting
    place" and "at the workshop". Moving to venue h costs the kilometres from the state's place
    minus the value of a stop at (h, p); staying idle keeps the state.
    """

    def __init__(self, problem: RotationProblem, allowed: Allowed) -> None:
        self.problem = problem
        places = problem.places
        self.distance = np.array(places.km, dtype=np.float64)
        self.host_location = np.array(places.host, dtype=np.int64)
        self.location = places.index
        pinned = {(pin.set_index, pin.period): pin.host_index for pin in problem.pins}
        pinned_hosts = {(pin.host_index, pin.period): pin.set_index for pin in problem.pins}
        # Per set and period: the venues it may show at (None: a maintenance period), and
        # whether it must show (a pin).
        self.choices: dict[tuple[int, int], np.ndarray | None] = {}
        self.must_show: set[tuple[int, int]] = set()
        for s, spec in enumerate(problem.sets):
            for p in range(problem.periods):
                if p in spec.maintenance:
                    self.choices[(s, p)] = None
                    continue
                if (s, p) in pinned:
                    self.choices[(s, p)] = np.array([pinned[(s, p)]], dtype=np.int64)
                    self.must_show.add((s, p))
                    continue
                options = [
                    h for h in allowed.by_set_period[(s, p)] if pinned_hosts.get((h, p), s) == s
                ]
                self.choices[(s, p)] = np.array(options, dtype=np.int64)
        # Per venue, the venues nearest it (itself first): the moves heuristic pricing tries.
        self.nearest_hosts = places.nearest_hosts()

    def cheapest(
        self, s: int, value: np.ndarray, nearest: int | None = None
    ) -> tuple[float, Itinerary]:
        """The least reduced cost (without the set's own dual) and its itinerary;
        ``value[h, p]`` is what a stop at venue h in period p is worth.

        With ``no_repeat_in_plan`` the itinerary never shows at a venue twice: the programme
        remembers, for the venues it was caught returning to (``critical``), which of them
        the set has visited, and runs again with each new one
        until the cheapest itinerary is elementary (decremental state-space relaxation)."""
        # Started afresh at each call: carried over between rounds, the remembered venues pile
        # up and every later run pays for all their masks (measured: at full coverage on
        # 20 × 100 × 5 the exact rounds got too slow to give a bound in 60 s).
        critical: list[int] = []
        while True:
            total, stops = self._programme(s, value, critical, nearest)
            hosts = [h for h, _p in stops]
            repeated = [h for h in dict.fromkeys(hosts) if hosts.count(h) > 1]
            if not self.problem.no_repeat_in_plan or not repeated:
                break
            if len(critical) >= MAX_CRITICAL:
                break  # a valid relaxation still; the master's theme rows do the rest
            critical.append(repeated[0])
        return total, Itinerary(s, stops, itinerary_km(self.problem, s, stops))

    def _programme(
        self, s: int, value: np.ndarray, critical: Sequence[int], nearest: int | None
    ) -> tuple[float, tuple[tuple[int, int], ...]]:
        """The dynamic programme over periods. Each (mask, state) keeps two labels, the best
        and the best that came from another venue, so that no itinerary goes back to the
        venue it showed at just before (two-cycle elimination, exact and cheap); the mask
        records the critical venues visited, which may not be visited again."""
        problem, spec = self.problem, self.problem.sets[s]
        host_count = len(problem.hosts)
        size = host_count + 2
        start_state, base_state = host_count, host_count + 1
        state_location = np.concatenate(
            [self.host_location, [self.location[spec.start], self.location[spec.base]]]
        )
        is_host = np.arange(size) < host_count
        bit = np.zeros(host_count, dtype=np.int64)
        for index, h in enumerate(critical):
            bit[h] = 1 << index
        repeat = problem.no_repeat_in_plan
        first = _Labels(size)
        first.cost[0, start_state] = 0.0
        labels: dict[int, _Labels] = {0: first}  # mask of critical venues visited → labels
        trail: list[dict[int, _Labels]] = []
        for p in range(problem.periods):
            options = self.choices[(s, p)]
            new: dict[int, _Labels] = {}

            def entry(mask: int, new: dict[int, _Labels] = new) -> _Labels:
                found = new.get(mask)
                if found is None:
                    found = new[mask] = _Labels(size)
                return found

            for mask, current in labels.items():
                reachable = np.flatnonzero(current.cost[0] < INFINITY)
                if not len(reachable):
                    continue
                # Candidates: both labels of every reachable state (2R rows).
                rows = np.concatenate([reachable, reachable])
                which = np.repeat([0, 1], len(reachable))
                cost = current.cost[which, rows]
                forbidden = current.last[which, rows]
                # The venue shown before the next stop: the state's own, or the one carried.
                carried = np.where(is_host[rows], rows, forbidden)
                if options is None:  # maintenance: to the workshop from wherever it is
                    moves = cost + self.distance[state_location[rows], state_location[base_state]]
                    entry(mask).offer(
                        np.array([base_state]),
                        moves[:, None],
                        carried[:, None],
                        (mask, rows[:, None], which[:, None], False),
                    )
                    continue
                if (s, p) not in self.must_show:  # idle: the labels stay
                    entry(mask).offer(
                        reachable,
                        current.cost[:, reachable],
                        current.last[:, reachable],
                        (mask, reachable[None, :], np.array([[0], [1]]), False),
                    )
                if not len(options):
                    continue
                open_options = options[(bit[options] & mask) == 0] if critical else options
                if not len(open_options):
                    continue
                if nearest is None:  # every reachable state may come to every venue
                    matrix = (
                        cost[:, None]
                        + self.distance[
                            np.ix_(state_location[rows], self.host_location[open_options])
                        ]
                    )
                    if repeat:  # not back to the venue it is at, nor to the one just before
                        matrix[rows[:, None] == open_options[None, :]] = INFINITY
                        matrix[forbidden[:, None] == open_options[None, :]] = INFINITY
                    matrix -= value[open_options, p][None, :]
                    last = carried[:, None].repeat(len(open_options), axis=1)
                    from_state: np.ndarray = rows[:, None]
                    from_label: np.ndarray = which[:, None]
                else:  # only from the venues nearest each venue (and the start, the workshop)
                    matrix, last, from_state, from_label = self._near_moves(
                        current, open_options, nearest, state_location, value[open_options, p]
                    )
                new_masks = mask | bit[open_options]
                for target_mask in np.unique(new_masks):
                    pick = np.flatnonzero(new_masks == target_mask)
                    entry(int(target_mask)).offer(
                        open_options[pick],
                        matrix[:, pick],
                        last[:, pick],
                        (
                            mask,
                            from_state if from_state.shape[1] == 1 else from_state[:, pick],
                            from_label if from_label.shape[1] == 1 else from_label[:, pick],
                            True,
                        ),
                    )
            labels = new
            trail.append(new)
        mask, state, label, total = 0, start_state, 0, INFINITY
        for candidate_mask, current in labels.items():
            index = int(np.argmin(current.cost[0]))
            if current.cost[0, index] < total:
                mask, state, total = candidate_mask, index, float(current.cost[0, index])
        pairs: list[tuple[int, int]] = []
        for p in range(problem.periods - 1, -1, -1):
            current = trail[p][mask]
            if current.shown[label, state]:
                pairs.append((state, p))
            mask, state, label = (
                int(current.from_mask[label, state]),
                int(current.from_state[label, state]),
                int(current.from_label[label, state]),
            )
        pairs.reverse()
        return total, tuple(pairs)

    def _near_moves(
        self,
        current: _Labels,
        options: np.ndarray,
        nearest: int,
        state_location: np.ndarray,
        worth: np.ndarray,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Candidate arrivals at ``options`` from the ``nearest`` venues around each and from
        the start and the workshop: (cost, last, from state, from label), each of shape
        (2 × candidates, options)."""
        host_count = len(self.problem.hosts)
        count = len(options)
        predecessors = np.concatenate(
            [
                self.nearest_hosts[options, :nearest],
                np.broadcast_to([host_count, host_count + 1], (count, 2)),
            ],
            axis=1,
        )  # options × K
        width = predecessors.shape[1]
        cost = current.cost[:, predecessors]  # 2 × options × K
        last = current.last[:, predecessors]
        distance = self.distance[state_location[predecessors], self.host_location[options][:, None]]
        target = options[:, None]
        if self.problem.no_repeat_in_plan:
            blocked = (predecessors == target)[None, :, :] | (last == target[None, :, :])
            cost = np.where(blocked, INFINITY, cost)
        cost = cost + distance[None, :, :] - worth[None, :, None]
        carried = np.where(predecessors[None, :, :] < host_count, predecessors[None, :, :], last)

        def rows(array: np.ndarray) -> np.ndarray:
            return array.transpose(0, 2, 1).reshape(2 * width, count)

        from_state = rows(np.broadcast_to(predecessors[None, :, :], (2, count, width)))
        from_label = np.repeat([0, 1], width)[:, None].repeat(count, axis=1)
        return rows(cost), rows(carried), from_state, from_label


class _Labels:
    """Two labels per state: cost, the venue the set may not go to next (-1: none), and
    where each came from."""

    def __init__(self, size: int) -> None:
        self.cost = np.full((2, size), INFINITY)
        self.last = np.full((2, size), -1, dtype=np.int64)
        self.from_mask = np.zeros((2, size), dtype=np.int64)
        self.from_state = np.zeros((2, size), dtype=np.int64)
        self.from_label = np.zeros((2, size), dtype=np.int64)
        self.shown = np.zeros((2, size), dtype=bool)

    def offer(
        self,
        states: np.ndarray,
        cost: np.ndarray,
        last: np.ndarray,
        origin: tuple[int, np.ndarray | int, np.ndarray | int, bool],
    ) -> None:
        """Candidates (rows) for ``states`` (columns): keep the best two with different
        ``last`` among them and the labels already there."""
        rows, columns = cost.shape
        mask, from_state, from_label, shown = origin
        last = np.broadcast_to(last, (rows, columns))
        all_cost = np.concatenate([self.cost[:, states], cost])
        all_last = np.concatenate([self.last[:, states], last])
        span = np.arange(columns)
        best = np.argmin(all_cost, axis=0)
        other = np.where(all_last == all_last[best, span][None, :], INFINITY, all_cost)
        second = np.argmin(other, axis=0)
        if (best == 0).all() and (second == 1).all():
            return  # nothing better offered
        from_state = np.broadcast_to(from_state, (rows, columns))
        from_label = np.broadcast_to(from_label, (rows, columns))
        old = (
            self.from_mask[:, states],
            self.from_state[:, states],
            self.from_label[:, states],
            self.shown[:, states],
        )
        for label, pick, source in ((0, best, all_cost), (1, second, other)):
            kept = pick < 2
            old_row = np.minimum(pick, 1)
            offered = np.maximum(pick - 2, 0)
            self.cost[label, states] = source[pick, span]
            self.last[label, states] = all_last[pick, span]
            self.from_mask[label, states] = np.where(kept, old[0][old_row, span], mask)
            self.from_state[label, states] = np.where(
                kept, old[1][old_row, span], from_state[offered, span]
            )
            self.from_label[label, states] = np.where(
                kept, old[2][old_row, span], from_label[offered, span]
            )
            self.shown[label, states] = np.where(kept, old[3][old_row, span], shown)


@dataclass
class Bound:
    """The column generation's outcome."""

    lower_bound: int  # proven: no plan serving as much travels fewer kilometres
    converged: bool  # the LP optimum was reached (the bound is then the LP's value)
    columns: dict[int, list[Itinerary]] = field(default_factory=dict)  # per set


class Master:
    """The restricted master problem (GLOP), grown one itinerary at a time."""

    def __init__(self, problem: RotationProblem, coverage: int, stop_weight: int) -> None:
        self.problem = problem
        solver = pywraplp.Solver.CreateSolver("GLOP")
        if solver is None:  # pragma: no cover — GLOP ships with OR-Tools
            raise RuntimeError("GLOP is not available")
        self.solver = solver
        infinity = solver.infinity()
        self.convexity = [solver.Constraint(1, 1) for _ in problem.sets]
        self.capacity: dict[tuple[int, int], pywraplp.Constraint] = {}
        self.themes: dict[tuple[int, int], pywraplp.Constraint] = {}
        self.link: dict[int, pywraplp.Constraint] = {}
        self.cover = solver.Constraint(coverage, infinity)
        self.stops = solver.Constraint(stop_weight, infinity)
        for h, host in enumerate(problem.hosts):
            served = solver.NumVar(1 if h in problem.required else 0, 1, "")
            self.cover.SetCoefficient(served, host.weight)
            row = solver.Constraint(-infinity, 0)  # served − visits ≤ 0
            row.SetCoefficient(served, 1)
            self.link[h] = row
        self.columns: dict[int, list[tuple[Itinerary, pywraplp.Variable]]] = {
            s: [] for s in range(len(problem.sets))
        }
        self.known: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
        # Themes more than one set carries: a venue gets each at most once.
        carriers: dict[int, int] = {}
        for spec in problem.sets:
            for theme in spec.themes:
                carriers[theme] = carriers.get(theme, 0) + 1
        self.shared_themes = {theme for theme, count in carriers.items() if count > 1}

    def add(self, itinerary: Itinerary) -> bool:
        key = (itinerary.set_index, itinerary.stops)
        if key in self.known:
            return False
        self.known.add(key)
        solver, problem = self.solver, self.problem
        variable = solver.NumVar(0, solver.infinity(), "")
        solver.Objective().SetCoefficient(variable, itinerary.km)
        self.convexity[itinerary.set_index].SetCoefficient(variable, 1)
        visits: dict[int, int] = {}
        stop_weight = 0
        for h, p in itinerary.stops:
            row = self.capacity.get((h, p))
            if row is None:
                row = self.capacity[(h, p)] = solver.Constraint(-solver.infinity(), 1)
            row.SetCoefficient(variable, 1)
            visits[h] = visits.get(h, 0) + 1
            stop_weight += problem.hosts[h].weight
        for h, count in visits.items():
            self.link[h].SetCoefficient(variable, -count)
        self.stops.SetCoefficient(variable, stop_weight)
        spec = problem.sets[itinerary.set_index]
        if problem.no_repeat_in_plan:
            shared = spec.themes & self.shared_themes
            for h, count in visits.items():
                themes = set(shared)
                if count > 1:
                    themes.add(min(spec.themes))  # a return to a venue: its themes again
                for theme in themes:
                    self._theme_row(h, theme)
                for theme in spec.themes:
                    row = self.themes.get((h, theme))
                    if row is not None:
                        row.SetCoefficient(variable, count)
        self.columns[itinerary.set_index].append((itinerary, variable))
        return True

    def _theme_row(self, h: int, theme: int) -> None:
        if (h, theme) in self.themes:
            return
        row = self.themes[(h, theme)] = self.solver.Constraint(-self.solver.infinity(), 1)
        for s, spec in enumerate(self.problem.sets):
            if theme not in spec.themes:
                continue
            for itinerary, variable in self.columns[s]:
                count = itinerary.hosts.count(h)
                if count:
                    row.SetCoefficient(variable, count)

    def solve(self, seconds: float) -> float | None:
        self.solver.Objective().SetMinimization()
        self.solver.SetTimeLimit(max(1, int(seconds * 1000)))
        if self.solver.Solve() != pywraplp.Solver.OPTIMAL:
            return None
        value: float = self.solver.Objective().Value()
        return value

    def stop_values(self) -> np.ndarray:
        """What a stop at (h, p) is worth to a set's reduced cost, from the duals."""
        problem = self.problem
        value = np.zeros((len(problem.hosts), problem.periods))
        stops_dual = self.stops.dual_value()
        for h, host in enumerate(problem.hosts):
            value[h, :] += host.weight * stops_dual - self.link[h].dual_value()
        for (h, p), row in self.capacity.items():
            value[h, p] += row.dual_value()
        return value

    def theme_values(self, s: int) -> dict[int, float]:
        """Per venue, what the theme rows charge set ``s`` for a stop there (≤ 0)."""
        themes = self.problem.sets[s].themes
        charged: dict[int, float] = {}
        for (h, theme), row in self.themes.items():
            if theme in themes:
                charged[h] = charged.get(h, 0.0) + row.dual_value()
        return charged

    def own_dual(self, s: int) -> float:
        dual: float = self.convexity[s].dual_value()
        return dual


def column_generation(
    problem: RotationProblem,
    allowed: Allowed,
    *,
    coverage: int,
    stop_weight: int,
    start: Iterable[Iterable[Stop]],
    seconds: float,
) -> Bound | None:
    """The Lagrangian lower bound on the kilometres of any plan serving at least ``coverage``
    weighted venues and ``stop_weight`` weighted stops, and the itineraries met on the way.

    ``start`` are known plans that serve as much (their itineraries seed the master, so it is
    feasible from the first round). None when the master could not be solved. When one exact
    round alone takes more than ``SLOW_EXACT_SHARE`` of the time, the LP would not converge in
    time: it stops once the cheap rounds are done, and leaves the rest to the search for plans."""
    deadline = time.monotonic() + seconds
    pricing = Pricing(problem, allowed)
    master = Master(problem, coverage, stop_weight)
    for stops in start:
        for itinerary in itineraries_of(problem, stops):
            master.add(itinerary)
    best_bound = -INFINITY
    rounds = 0
    value: float | None = None
    converged = False
    too_slow = False  # an exact round took too long for the LP to converge in the time
    # Only an exact round proves a bound, and only an exact round that finds nothing proves
    # the LP optimum: one exact round first (a bound however short the time), then cheap
    # rounds (moves between nearby venues only) while they find columns, then exact ones.
    cheap = NEAR if len(problem.hosts) > NEAR else None
    heuristic_until = time.monotonic() + HEURISTIC_SHARE * seconds
    while True:
        rounds += 1
        round_started = time.monotonic()
        value = master.solve(max(0.5, deadline - time.monotonic()))
        if value is None:
            return None
        nearest = cheap if rounds > 1 and time.monotonic() < heuristic_until else None
        if nearest is None and too_slow:
            break  # no positive bound is coming in the time; the cheap rounds are done
        # Read every dual before the first new column changes the model.
        stop_value = master.stop_values()
        charges = [master.theme_values(s) for s in range(len(problem.sets))]
        own_duals = [master.own_dual(s) for s in range(len(problem.sets))]
        total_negative = 0.0
        priced = []
        for s in range(len(problem.sets)):
            own = stop_value
            if charges[s]:
                own = stop_value.copy()
                for h, dual in charges[s].items():
                    own[h, :] += dual
            reduced, itinerary = pricing.cheapest(s, own, nearest)
            reduced -= own_duals[s]
            if reduced < -EPSILON:
                total_negative += reduced
                priced.append(itinerary)
        added = sum(int(master.add(itinerary)) for itinerary in priced)
        if nearest is None:
            best_bound = max(best_bound, value + total_negative)
        if added == 0:
            if nearest is not None:
                cheap = None  # the cheap moves are exhausted: price exactly
                continue
            converged = True
            best_bound = max(best_bound, value)
            break
        if time.monotonic() >= deadline:
            break
        if nearest is None and time.monotonic() - round_started > SLOW_EXACT_SHARE * seconds:
            too_slow = True
    columns = {s: [itinerary for itinerary, _v in pairs] for s, pairs in master.columns.items()}
    return Bound(
        lower_bound=max(0, math.ceil(best_bound - 1e-6)) if best_bound > -INFINITY else 0,
        converged=converged,
        columns=columns,
    )


def best_combination(
    problem: RotationProblem,
    columns: dict[int, list[Itinerary]],
    *,
    coverage: int,
    stop_weight: int,
    hint: Sequence[Stop],
    seconds: float,
) -> list[Stop] | None:
    """One itinerary per set from ``columns`` (CP-SAT): the rules across sets kept, at least the
    coverage and stops asked for, the fewest kilometres; None when no combination was found in
    the time."""
    model = cp_model.CpModel()
    weight = [host.weight for host in problem.hosts]
    hinted = {(it.set_index, it.stops) for it in itineraries_of(problem, hint)}
    chosen: dict[int, list[tuple[Itinerary, cp_model.IntVar]]] = {}
    by_host_period: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_host_theme: dict[tuple[int, int], list[cp_model.IntVar]] = {}
    by_host: dict[int, list[cp_model.IntVar]] = {}
    for s, itineraries in columns.items():
        themes = problem.sets[s].themes
        seen: set[tuple[tuple[int, int], ...]] = set()
        for itinerary in itineraries:
            if itinerary.stops in seen:
                continue
            if problem.no_repeat_in_plan and not itinerary.elementary:
                continue
            seen.add(itinerary.stops)
            var = model.new_bool_var("")
            model.add_hint(var, (s, itinerary.stops) in hinted)
            chosen.setdefault(s, []).append((itinerary, var))
            for h, p in itinerary.stops:
                by_host_period.setdefault((h, p), []).append(var)
                by_host.setdefault(h, []).append(var)
                if problem.no_repeat_in_plan:
                    for theme in themes:
                        by_host_theme.setdefault((h, theme), []).append(var)
    if len(chosen) < len(problem.sets):
        return None
    for pairs in chosen.values():
        model.add_exactly_one(var for _it, var in pairs)
    for group in (by_host_period, by_host_theme):
        for variables in group.values():
            if len(variables) > 1:
                model.add_at_most_one(variables)
    served_terms = []
    for h, variables in by_host.items():
        served = model.new_bool_var("")
        model.add_bool_or(variables).only_enforce_if(served)
        served_terms.append(weight[h] * served)
        if h in problem.required:
            model.add(served == 1)
    for h in problem.required:
        if h not in by_host:
            return None
    model.add(sum(served_terms) >= coverage)
    model.add(
        sum(
            sum(weight[h] for h, _p in it.stops) * var
            for pairs in chosen.values()
            for it, var in pairs
        )
        >= stop_weight
    )
    model.minimize(sum(it.km * var for pairs in chosen.values() for it, var in pairs))
    solver = cp_model.CpSolver()
    solver.parameters.max_time_in_seconds = max(0.1, seconds)
    solver.parameters.num_workers = max(1, problem.workers)
    solver.parameters.random_seed = problem.seed
    status = solver.solve(model)
    if status not in (cp_model.OPTIMAL, cp_model.FEASIBLE):
        return None
    return [
        Stop(s, h, p)
        for s, pairs in chosen.items()
        for it, var in pairs
        if solver.boolean_value(var)
        for h, p in it.stops
    ]
