"""Column generation for the rotation planner: each set's whole itinerary is one column.

The master problem chooses one itinerary per set (a convex combination, in its linear
relaxation) so that a venue shows at most one set a period and never the same theme twice, at
least ``coverage`` weighted venues and ``stop_weight`` weighted stops are served, and the sets
travel the fewest kilometres. Its columns are priced by an exact dynamic programme over a set's
periods (:class:`Pricing`): where the set is after each period, at a venue it showed at, at its
starting place or at its workshop. A set never goes back to a venue it has just shown at (the
same themes twice); longer returns are kept out by the master's theme rows, added when a priced
itinerary makes one.

The pricing runs in stages. First it only keeps a set from going back to either of the last two
venues it showed at (a relaxation: cheap, and its linear optimum nearly as high); once that
converges, it remembers the venues the set was caught returning to, until every priced itinerary
is elementary (exact). Where every venue can show only once (full coverage), a third stage adds
the subset-row cuts the LP breaks and prices with them (:mod:`.rotation_cuts`), until it breaks
none. At every round of any stage the Lagrangian function at the dual point priced — the
master's duals, in the first stage smoothed towards the best point so far — is a proven lower
bound on the kilometres of every plan that serves as much, so the search can stop at its time
limit and still report a bound. This gives the bound the flow relaxation could not: sets keep
their identity, their areas, themes and maintenance, and only the choice between itineraries is
fractional. The itineraries found along the way, with those of the plans already known, then
make a small CP-SAT model (one itinerary per set) whose best solution is an integer plan ("price
and branch").
"""

from __future__ import annotations

import heapq
import math
import time
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

import numpy as np
from ortools.linear_solver import pywraplp
from ortools.sat.python import cp_model

from kepu.touring.planning.rotation import Allowed, RotationProblem, Stop, set_legs
from kepu.touring.planning.rotation_cuts import Cut, cheapest_with_cuts, cuts_hold, separate

INFINITY = float("inf")
EPSILON = 1e-6
MAX_CRITICAL = 12  # venues per set whose visits the pricing remembers (2^12 masks at most)
# An elementary round that takes more than this share of the time says the LP will not converge
# in it (it needs tens of rounds): column generation stops and leaves the time to the search.
SLOW_EXACT_SHARE = 0.2
SMOOTHING = 0.7  # weight of the best dual point so far in the point priced (Wentges)
# Where every venue can show only once (full coverage), the master is stuck on the plans it
# started from until it holds enough itineraries to cover every venue another way: there each
# set brings up to RELAXED_COLUMNS itineraries a round of the relaxation (its cheapest, and the
# cheapest ending at other places), and the combinations get each set's COMBINE_COLUMNS of
# least reduced cost. Measured on 60 × 300 × 6 (2026-11-24): the relaxed LP converged in 33 s
# instead of 50, and the plans at full coverage came out 20,576 / 24,764 km on seeds 1 / 2,
# against 22,755–22,884 / 25,120–26,203 with one itinerary a round. Like for like it did worse
# (15,626–15,909 / 13,450–13,921 km against 15,216 / 13,275–13,323): there one a round, and
# every itinerary met goes on to the combinations.
RELAXED_COLUMNS = 8
COMBINE_COLUMNS = 30
CUT_GAIN = 0.002  # a round of cuts that raised the LP less than this share is the last


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

    def cheapest(
        self, s: int, value: np.ndarray, elementary: bool = True
    ) -> tuple[float, Itinerary]:
        """The least reduced cost (without the set's own dual) and its itinerary;
        ``value[h, p]`` is what a stop at venue h in period p is worth.

        With ``no_repeat_in_plan`` and ``elementary`` the itinerary never shows at a venue
        twice: the programme remembers, for the venues it was caught returning to
        (``critical``), which of them the set has visited, and runs again with each new one
        until the cheapest itinerary is elementary (decremental state-space relaxation).
        Without ``elementary`` it only never goes back to the venue it just showed at (nor the
        one before): the least reduced cost of a relaxation, never above the exact one."""
        # Started afresh at each call: carried over between rounds, the remembered venues pile
        # up and every later run pays for all their masks (measured: at full coverage on
        # 20 × 100 × 5 the exact rounds got too slow to give a bound in 60 s).
        critical: list[int] = []
        while True:
            [(total, stops)] = self._programme(s, value, critical)
            hosts = [h for h, _p in stops]
            repeated = [h for h in dict.fromkeys(hosts) if hosts.count(h) > 1]
            if not (elementary and self.problem.no_repeat_in_plan) or not repeated:
                break
            if len(critical) >= MAX_CRITICAL:
                break  # a valid relaxation still; the master's theme rows do the rest
            critical.append(repeated[0])
        return total, Itinerary(s, stops, itinerary_km(self.problem, s, stops))

    def relaxed(self, s: int, value: np.ndarray, count: int) -> list[tuple[float, Itinerary]]:
        """Up to ``count`` itineraries of the relaxation (as ``cheapest`` without
        ``elementary``) with their reduced costs: the cheapest, then the cheapest that end at
        other places. One run of the programme gives them all; more columns a round let the
        master find other plans that serve as much sooner."""
        return [
            (total, Itinerary(s, stops, itinerary_km(self.problem, s, stops)))
            for total, stops in self._programme(s, value, (), count)
        ]

    def _programme(
        self, s: int, value: np.ndarray, critical: Sequence[int], count: int = 1
    ) -> list[tuple[float, tuple[tuple[int, int], ...]]]:
        """The dynamic programme over periods. Each (mask, state) keeps two labels, the best
        and the best that came from another venue, so that no itinerary goes back to the
        venue it showed at just before (two-cycle elimination, exact and cheap); the mask
        records the critical venues visited, which may not be visited again. The cheapest
        itinerary first, then the cheapest ending elsewhere, ``count`` at most."""
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
                matrix = (
                    cost[:, None]
                    + self.distance[np.ix_(state_location[rows], self.host_location[open_options])]
                )
                if repeat:  # not back to the venue it is at, nor to the one just before
                    matrix[rows[:, None] == open_options[None, :]] = INFINITY
                    matrix[forbidden[:, None] == open_options[None, :]] = INFINITY
                matrix -= value[open_options, p][None, :]
                last = carried[:, None].repeat(len(open_options), axis=1)
                new_masks = mask | bit[open_options]
                for target_mask in np.unique(new_masks):
                    pick = np.flatnonzero(new_masks == target_mask)
                    entry(int(target_mask)).offer(
                        open_options[pick],
                        matrix[:, pick],
                        last[:, pick],
                        (mask, rows[:, None], which[:, None], True),
                    )
            labels = new
            trail.append(new)
        # The cheapest end states over every mask, in numpy (the exact stage may hold
        # thousands of masks, and asks for one).
        masks = list(labels)
        costs = np.concatenate([labels[mask].cost[0] for mask in masks])
        best = np.argsort(costs)[:count] if count > 1 else np.array([np.argmin(costs)])
        ends = [int(index) for index in best if costs[index] < INFINITY]
        if not ends:
            return [(INFINITY, ())]
        return [
            (float(costs[index]), _traced(trail, masks[index // size], index % size))
            for index in ends
        ]


def _traced(
    trail: Sequence[dict[int, _Labels]], mask: int, state: int
) -> tuple[tuple[int, int], ...]:
    """The itinerary that ends in ``state`` (label 0) with ``mask``, read back from the
    programme's labels of every period."""
    pairs: list[tuple[int, int]] = []
    label = 0
    for p in range(len(trail) - 1, -1, -1):
        current = trail[p][mask]
        if current.shown[label, state]:
            pairs.append((state, p))
        mask, state, label = (
            int(current.from_mask[label, state]),
            int(current.from_state[label, state]),
            int(current.from_label[label, state]),
        )
    pairs.reverse()
    return tuple(pairs)


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
    converged: bool  # the LP optimum (with the cuts it broke) was reached: the bound is its value
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
        # Per venue, its weight and the least it is "served" (1: required).
        self.weight = np.array([host.weight for host in problem.hosts], dtype=np.float64)
        self.served_lower = np.array(
            [1.0 if h in problem.required else 0.0 for h in range(len(problem.hosts))]
        )
        for h, host in enumerate(problem.hosts):
            served = solver.NumVar(float(self.served_lower[h]), 1, "")
            self.cover.SetCoefficient(served, host.weight)
            row = solver.Constraint(-infinity, 0)  # served − visits ≤ 0
            row.SetCoefficient(served, 1)
            self.link[h] = row
        self.columns: dict[int, list[tuple[Itinerary, pywraplp.Variable]]] = {
            s: [] for s in range(len(problem.sets))
        }
        self.known: set[tuple[int, tuple[tuple[int, int], ...]]] = set()
        # The sets that carry each theme; a venue gets a theme more than one carries once.
        self.carriers: dict[int, list[int]] = {}
        for s, spec in enumerate(problem.sets):
            for theme in spec.themes:
                self.carriers.setdefault(theme, []).append(s)
        self.shared_themes = {theme for theme, sets in self.carriers.items() if len(sets) > 1}
        self.cuts: dict[Cut, pywraplp.Constraint] = {}

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
        hosts = set(visits)
        for cut, row in self.cuts.items():
            if cut.taken_by(hosts):
                row.SetCoefficient(variable, 1)
        self.columns[itinerary.set_index].append((itinerary, variable))
        return True

    def add_cut(self, cut: Cut) -> None:
        row = self.cuts[cut] = self.solver.Constraint(-self.solver.infinity(), 1)
        for pairs in self.columns.values():
            for itinerary, variable in pairs:
                if cut.taken_by(itinerary.hosts):
                    row.SetCoefficient(variable, 1)

    def used(self) -> list[tuple[list[int], float]]:
        """The itineraries of the last solve's optimum with their values (venues, value)."""
        return [
            (itinerary.hosts, variable.solution_value())
            for pairs in self.columns.values()
            for itinerary, variable in pairs
        ]

    def cheapest_column(self, s: int, prices: Prices) -> tuple[float, tuple[tuple[int, int], ...]]:
        """The least reduced cost (without the own dual) among the set's columns."""
        ranked = self.ranked(s, prices, 1)
        return (ranked[0][0], ranked[0][1].stops) if ranked else (INFINITY, ())

    def ranked(self, s: int, prices: Prices, count: int) -> list[tuple[float, Itinerary]]:
        """The set's ``count`` columns of least reduced cost at ``prices`` (without the own
        dual), cheapest first, leaving out those kept out (returns to a venue)."""
        value = prices.of_set(s)
        costs = []
        for itinerary, variable in self.columns[s]:
            if variable.ub() < 0.5:
                continue  # left out (a return to a venue)
            reduced = itinerary.km - sum(value[h, p] for h, p in itinerary.stops)
            hosts = set(itinerary.hosts)
            reduced += sum(charge for cut, charge in prices.cuts if cut.taken_by(hosts))
            costs.append((reduced, itinerary))
        return heapq.nsmallest(count, costs, key=lambda pair: pair[0])

    def drop_returns(self) -> None:
        """Keep the itineraries that show at a venue twice out from now on. The relaxed
        stage's optimum mixes them in (each at most half, by the theme rows), which keeps the
        master's value below the LP of real itineraries that the elementary stage is after."""
        for pairs in self.columns.values():
            for itinerary, variable in pairs:
                if not itinerary.elementary:
                    variable.SetUb(0)

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

    def duals(self) -> np.ndarray:
        """The duals of the last solve, one per row (a row made later reads as 0), each with
        the sign its row allows (GLOP's may stray by a rounding error)."""
        rows = self.solver.constraints()
        y = np.array([row.dual_value() for row in rows])
        upper = np.array([row.ub() for row in rows])
        lower = np.array([row.lb() for row in rows])
        infinity = self.solver.infinity()
        y[(upper >= infinity) & (y < 0)] = 0.0  # ≥ rows: ≥ 0
        y[(lower <= -infinity) & (y > 0)] = 0.0  # ≤ rows: ≤ 0
        return y

    def prices(self, y: np.ndarray) -> Prices:
        """What the pricing needs at the dual point ``y`` (rows the master has now, missing
        ones at 0), and the part of the Lagrangian function that needs no pricing."""
        problem = self.problem
        y = np.concatenate([y, np.zeros(self.solver.NumConstraints() - len(y))])
        weight = self.weight
        link = y[[self.link[h].index() for h in range(len(problem.hosts))]]
        stops_dual, cover_dual = y[self.stops.index()], y[self.cover.index()]
        value = np.repeat((weight * stops_dual - link)[:, None], problem.periods, axis=1)
        constant = stops_dual * self.stops.lb() + cover_dual * self.cover.lb()
        for (h, p), row in self.capacity.items():
            value[h, p] += y[row.index()]
            constant += y[row.index()]
        charges: list[dict[int, float]] = [{} for _ in problem.sets]
        for (h, theme), row in self.themes.items():
            dual = y[row.index()]
            constant += dual
            for s in self.carriers[theme]:
                charges[s][h] = charges[s].get(h, 0.0) + dual
        # Each venue's "served" share, at its cheapest within its bounds.
        served = -(link + weight * cover_dual)
        constant += float(np.where(served < 0, served, served * self.served_lower).sum())
        cuts = []
        for cut, row in self.cuts.items():
            dual = y[row.index()]
            constant += dual
            if dual < 0:
                cuts.append((cut, -dual))
        own = y[[row.index() for row in self.convexity]]
        return Prices(value, charges, own, float(constant), cuts)


@dataclass(frozen=True)
class Prices:
    """A point of the dual space, as the pricing reads it: what a stop at (h, p) is worth,
    what the theme rows charge each set per venue (≤ 0), each set's own dual, and the
    Lagrangian's constant part (the rows' right-hand sides and the venues' "served")."""

    value: np.ndarray
    charges: list[dict[int, float]]
    own: np.ndarray
    constant: float
    cuts: list[tuple[Cut, float]] = field(default_factory=list)  # each with its charge ≥ 0

    def of_set(self, s: int) -> np.ndarray:
        if not self.charges[s]:
            return self.value
        own = self.value.copy()
        for h, dual in self.charges[s].items():
            own[h, :] += dual
        return own


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
    feasible from the first round). None when the master could not be solved once; when a
    later solve runs out of time, the best bound of the rounds before is kept. The relaxed
    pricing runs until it finds nothing, then the elementary one, then — where they hold — the
    subset-row cuts until the LP breaks none; when one round after the first stage alone takes
    more than ``SLOW_EXACT_SHARE`` of the time, the LP would not converge in time: it stops
    with the bound it has, and leaves the rest to the search for plans."""
    deadline = time.monotonic() + seconds
    pricing = Pricing(problem, allowed)
    master = Master(problem, coverage, stop_weight)
    for stops in start:
        for itinerary in itineraries_of(problem, stops):
            master.add(itinerary)
    best_bound, centre = -INFINITY, None  # the best Lagrangian bound, and where it was found
    converged = False
    # Where a set may return to a venue, the relaxed pricing is already exact.
    elementary = not problem.no_repeat_in_plan
    # Smoothed in the relaxed stage only: the elementary one starts from the relaxed optimum's
    # duals, already close (measured on 20 × 100 × 5: smoothed there too, it took 30–50 % longer).
    smoothing = 0.0 if elementary else SMOOTHING
    # Once the LP of real itineraries is reached, subset-row cuts where they hold.
    with_cuts = problem.no_repeat_in_plan and cuts_hold(problem, coverage)
    few = RELAXED_COLUMNS if with_cuts else 1  # itineraries per set a relaxed round
    cut_from = -INFINITY  # the LP's value before the last round of cuts
    solved: tuple[float, np.ndarray] | None = None
    while True:
        round_started = time.monotonic()
        if solved is None:
            value = master.solve(max(0.5, deadline - time.monotonic()))
            if value is None:  # out of time (a large master near the deadline)
                if best_bound == -INFINITY:
                    return None
                break  # the bounds of the rounds priced hold
            solved = (value, master.duals())
        value, duals = solved
        # Priced between the best point so far and the master's duals (Wentges smoothing):
        # the duals of a restricted master jump about; near the best point the bound climbs
        # steadily and the columns found are the ones the optimum needs.
        point = duals
        if centre is not None and smoothing > 0:
            point = smoothing * _padded(centre, len(duals)) + (1 - smoothing) * duals
        prices = master.prices(point)
        lagrangian = prices.constant
        exact = True  # every set priced to its optimum (not only bounded below)
        priced = []
        for s in range(len(problem.sets)):
            if master.cuts:
                lower, reduced, pairs = cheapest_with_cuts(
                    pricing, s, prices.of_set(s), prices.cuts, master.cheapest_column(s, prices)
                )
                exact = exact and lower >= reduced - EPSILON
                itinerary = Itinerary(s, pairs, itinerary_km(problem, s, pairs))
            elif elementary:
                reduced, itinerary = pricing.cheapest(s, prices.of_set(s))
                lower = reduced
            else:
                found = pricing.relaxed(s, prices.of_set(s), few)
                (reduced, itinerary), others = found[0], found[1:]
                lower = reduced
                priced += [it for cost, it in others if cost - prices.own[s] < -EPSILON]
            lagrangian += lower
            if reduced - prices.own[s] < -EPSILON:
                priced.append(itinerary)
        # Every stage prices exactly, or bounds from below, over a set of itineraries that
        # holds every real one, so the Lagrangian function at any dual point of the right
        # signs is a lower bound.
        if lagrangian > best_bound:
            best_bound, centre = lagrangian, point
        added = sum(int(master.add(itinerary)) for itinerary in priced)
        optimal = added == 0 and point is duals and exact  # the master's value is the LP's
        if optimal:
            best_bound = max(best_bound, value)
        if optimal or math.ceil(best_bound - 1e-6) >= value - 1e-6:  # no higher bound to come
            if not elementary:
                elementary = True
                master.drop_returns()
                solved, smoothing = None, 0.0
                continue
            if with_cuts and time.monotonic() < deadline:
                if added and master.solve(max(0.5, deadline - time.monotonic())) is None:
                    break
                # The first rounds of cuts raise the LP most; once a round adds less than
                # CUT_GAIN, the time is worth more to the search for plans.
                worth_it = value - cut_from >= CUT_GAIN * value
                cuts = separate(master.used(), {cut.hosts for cut in master.cuts})
                if cuts and worth_it:
                    for cut in cuts:
                        master.add_cut(cut)
                    solved, cut_from = None, value
                    continue
                converged = not cuts
                break
            converged = True  # the LP's optimum (with every cut it breaks), to the kilometre
            break
        if added:
            solved, smoothing = None, 0.0 if elementary else SMOOTHING
        else:
            smoothing = 0.0  # a mispricing: the master's own duals next, with no new solve
        if time.monotonic() >= deadline:
            break
        if elementary and time.monotonic() - round_started > SLOW_EXACT_SHARE * seconds:
            break
    # The itineraries handed on for the combinations (at full coverage, each set's cheapest at
    # the last point priced).
    columns = {
        s: (
            [itinerary for _cost, itinerary in master.ranked(s, prices, COMBINE_COLUMNS)]
            if with_cuts
            else [itinerary for itinerary, _v in pairs]
        )
        for s, pairs in master.columns.items()
    }
    return Bound(
        lower_bound=max(0, math.ceil(best_bound - 1e-6)) if best_bound > -INFINITY else 0,
        converged=converged,
        columns=columns,
    )


def _padded(y: np.ndarray, size: int) -> np.ndarray:
    """A dual point read before the master had rows it has now: those rows at 0."""
    return np.concatenate([y, np.zeros(size - len(y))])


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
