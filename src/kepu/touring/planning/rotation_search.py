"""Local search for the rotation planner: many small moves, each checked against every rule.

The plan is a grid of slots, one per set and period, each holding a venue, nothing (the set is
idle) or the set's maintenance. A move changes a few slots at once:

* **exchange** — a venue and one of its nearest venues trade places (in any two slots, of the
  same set or of two sets, in the same period or not), or the nearer venue takes the slot of
  the other, which then is no longer shown there;
* **segment** — two sets swap what they do over a run of periods (in routing terms 2-opt*:
  one set's tail becomes the other's), so routes that cross are uncrossed;
* **relocate** — a stop moves to a slot where a set is idle, an idle set shows a venue near
  its others, or a set idles.

A move is kept when it breaks no rule (the venue may host that set then, one set per venue a
period, never a theme twice at a venue, required venues stay served, pins stay) and — by
simulated annealing — travels less, or not much more while the temperature is high. A plan
that serves less than the best one (venues, then stops, weighted) counts as longer by a
penalty, so the search may pass through one on its way but only keeps plans that serve as
much. Each move is checked in microseconds, so a minute tries a million or more: the CP-SAT
parts search re-plans a few sets exactly, this search moves the whole plan at once; the planner
uses both.
"""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence

from kepu.touring.planning.rotation import Allowed, RotationProblem, Stop

EMPTY = -1  # the set is idle in that period
SERVICE = -2  # the set is at its workshop for maintenance
NEIGHBOURS = 12  # nearest venues an exchange picks from
# The temperature starts at this share of the mean distance from a venue to its nearest
# venues (a move that much longer is kept one time in e) and ends a hundred times lower.
START_SHARE = 0.6
COOLING = 100.0
# A plan that serves less than asked counts as this many temperatures longer per weighted
# stop (twice per weighted venue): it may be passed through early on, hardly at the end.
SHORTFALL = 5.0
STUCK = 5000  # moves kept in a row while serving less, before going back to the best plan

Change = tuple[int, int, int]  # (set, period, what the slot holds after the move)


class SlotSearch:
    def __init__(
        self, problem: RotationProblem, allowed: Allowed, stops: Sequence[Stop], *, seed: int = 1
    ) -> None:
        self.problem = problem
        self.rng = random.Random(seed)  # noqa: S311 (a search order, not a secret)
        self.random = self.rng.random
        sets, periods = problem.sets, problem.periods
        self.periods = periods
        places = problem.places
        self.km = places.km
        self.start = [places.index[spec.start] for spec in sets]
        self.base = [places.index[spec.base] for spec in sets]
        self.place = places.host
        self.weight = [host.weight for host in problem.hosts]
        self.allowed = [
            [frozenset(allowed.by_set_period[(s, p)]) for p in range(periods)]
            for s in range(len(sets))
        ]
        themes = [spec.themes for spec in sets]
        repeat = problem.no_repeat_in_plan
        self.clash = [[repeat and bool(a & b) for b in themes] for a in themes]
        self.required = problem.required
        self.frozen = {(pin.set_index, pin.period) for pin in problem.pins}
        self.frozen |= {(s, p) for s, spec in enumerate(sets) for p in spec.maintenance}
        self.neighbours = [
            [int(other) for other in order[: NEIGHBOURS + 1] if other != h][:NEIGHBOURS]
            for h, order in enumerate(places.nearest_hosts())
        ]
        near = [
            self.km[self.place[h]][self.place[o]]
            for h, os in enumerate(self.neighbours)
            for o in os
        ]
        self.start_temperature = max(1.0, START_SHARE * sum(near) / max(1, len(near)))
        self.slots = [
            (s, p)
            for s in range(len(sets))
            for p in range(periods)
            if (s, p) not in self.frozen and self.allowed[s][p]
        ]
        self.restore(stops)
        # Most served first (and more venues are worth trying for), unless the planner asked
        # for at least so much with the fewest kilometres (like for like).
        self.lexicographic = problem.serve_at_least is None
        self.at_least = problem.serve_at_least or (self.coverage, self.stop_weight)
        self.short = 0  # how far the plan is from serving what it must (see run)

    def restore(self, stops: Sequence[Stop]) -> None:
        """Start again from the plan ``stops``."""
        sets, hosts, periods = self.problem.sets, self.problem.hosts, self.periods
        self.grid = [
            [SERVICE if p in spec.maintenance else EMPTY for p in range(periods)] for spec in sets
        ]
        for stop in stops:
            self.grid[stop.set_index][stop.period] = stop.host_index
        self.holder = [[EMPTY] * len(hosts) for _ in range(periods)]
        self.visits: list[list[int]] = [[] for _ in hosts]
        for s, row in enumerate(self.grid):
            for p, h in enumerate(row):
                if h >= 0:
                    self.holder[p][h] = s
                    self.visits[h].append(s)
        self.cost = [self.route_km(s, row) for s, row in enumerate(self.grid)]
        self.coverage = sum(self.weight[h] for h, seen in enumerate(self.visits) if seen)
        self.stop_weight = sum(self.weight[h] * len(seen) for h, seen in enumerate(self.visits))
        self.stops_shown = sum(self.grid[s][p] >= 0 for s, p in self.slots)

    # The plan -----------------------------------------------------------------------------------

    def route_km(self, s: int, row: Sequence[int]) -> int:
        here, base, km, total = self.start[s], self.base[s], self.km, 0
        for h in row:
            if h == SERVICE:
                total += km[here][base]
                here = base
            elif h >= 0:
                target = self.place[h]
                total += km[here][target]
                here = target
        return total

    @property
    def total_km(self) -> int:
        return sum(self.cost)

    def stops(self) -> list[Stop]:
        return [
            Stop(s, h, p) for s, row in enumerate(self.grid) for p, h in enumerate(row) if h >= 0
        ]

    # Moves --------------------------------------------------------------------------------------

    def evaluate(
        self, changes: Sequence[Change], threshold: float = math.inf
    ) -> tuple[int, int, int, dict[int, int]] | None:
        """(kilometres, coverage, stop weight) gained by the move and the new route lengths, or
        None when it breaks a rule — or when it only reorders the venues shown (so serves as
        much) and is more than ``threshold`` km longer: the search would not keep it anyway."""
        grid, allowed = self.grid, self.allowed
        touched: dict[int, list[int]] = {}
        olds: list[int] = []
        news: list[int] = []
        for s, p, h in changes:
            if h >= 0 and h not in allowed[s][p]:
                return None
            row = touched.get(s)
            if row is None:
                row = touched[s] = list(grid[s])
            olds.append(row[p])
            news.append(h)
            row[p] = h
        costs = {s: self.route_km(s, row) for s, row in touched.items()}
        km = sum(costs.values()) - sum(self.cost[s] for s in costs)
        same = sorted(olds) == sorted(news)
        if same and km > threshold:
            return None
        # One set per venue a period.
        holder = self.holder
        vacated = {(p, old) for (_s, p, _h), old in zip(changes, olds, strict=True) if old >= 0}
        arriving = [(p, h) for _s, p, h in changes if h >= 0]
        if len(set(arriving)) < len(arriving):
            return None
        for p, h in arriving:
            if holder[p][h] >= 0 and (p, h) not in vacated:
                return None
        # Never a theme twice at a venue; required venues stay served; what is served.
        coverage = stop_weight = 0
        for h in set(olds) | set(news):
            if h < 0:
                continue
            visits = list(self.visits[h])
            for (s, _p, new), old in zip(changes, olds, strict=True):
                if old == h and new != h:
                    visits.remove(s)
            for (s, _p, new), old in zip(changes, olds, strict=True):
                if new == h and old != h:
                    clash = self.clash[s]
                    if any(clash[t] for t in visits):
                        return None
                    visits.append(s)
            if same:
                continue
            before, after = len(self.visits[h]), len(visits)
            if not after and h in self.required:
                return None
            weight = self.weight[h]
            stop_weight += weight * (after - before)
            coverage += weight * ((after > 0) - (before > 0))
        return km, coverage, stop_weight, costs

    def apply(
        self, changes: Sequence[Change], costs: dict[int, int], gained: tuple[int, int]
    ) -> None:
        grid, holder, visits = self.grid, self.holder, self.visits
        for s, p, h in changes:
            old = grid[s][p]
            self.stops_shown += (h >= 0) - (old >= 0)
            if old >= 0:
                if holder[p][old] == s:
                    holder[p][old] = EMPTY
                visits[old].remove(s)
        for s, p, h in changes:
            grid[s][p] = h
            if h >= 0:
                holder[p][h] = s
                visits[h].append(s)
        for s, value in costs.items():
            self.cost[s] = value
        self.coverage += gained[0]
        self.stop_weight += gained[1]

    def propose(self) -> list[Change]:
        grid = self.grid
        roll = self.random()
        if (self.short and roll < 0.3) or (roll < 0.05 and self.lexicographic):
            return self._repair()
        s1, p1 = self._pick(self.slots)
        h1 = grid[s1][p1]
        if h1 < 0 or (roll < 0.1 and self.idle):
            return self._relocate(s1, p1, h1)
        if roll < 0.12:
            return [(s1, p1, EMPTY)]  # the set idles: serves less, passed through to a better plan
        if roll < 0.45:
            return self._exchange(s1, p1, h1)
        if roll < 0.6:
            return self._chain(s1, p1, h1)
        if roll < 0.7:
            return self._reorder(s1, p1)
        return self._segment(s1, p1, h1)

    def _pick[T](self, items: Sequence[T]) -> T:
        """One of ``items`` at random (``random.choice`` without its checks: this is hot)."""
        return items[int(self.random() * len(items))]

    def _repair(self) -> list[Change]:
        """While the plan serves less than it must: a venue not served (or any, when stops are
        missing) goes to a slot that may show it — an idle one, or one whose venue it displaces
        (which is then repaired in turn: an ejection chain)."""
        grid, holder = self.grid, self.holder
        unserved = [h for h, seen in enumerate(self.visits) if not seen]
        h = self._pick(unserved) if unserved else self.rng.randrange(len(self.visits))
        slots = [
            (s, p)
            for s, p in self.slots
            if h in self.allowed[s][p] and holder[p][h] < 0 and grid[s][p] != h
        ]
        if not slots:
            return []
        idle = [(s, p) for s, p in slots if grid[s][p] == EMPTY]
        s, p = self._pick(idle if idle and self.random() < 0.5 else slots)
        return [(s, p, h)]

    def _held(self, h: int) -> list[tuple[int, int]]:
        """The slots that show venue ``h`` and may change."""
        return [
            (s, p)
            for p in range(self.periods)
            if (s := self.holder[p][h]) >= 0 and (s, p) not in self.frozen
        ]

    def _chain(self, s1: int, p1: int, h1: int) -> list[Change]:
        """Three venues near each other move round: h1 to h2's slot, h2 to h3's, h3 to h1's."""
        h2 = self._pick(self.neighbours[h1])
        h3 = self._pick(self.neighbours[h2])
        if h3 == h1:
            return []
        second, third = self._held(h2), self._held(h3)
        if not second or not third:
            return []
        (s2, p2), (s3, p3) = self._pick(second), self._pick(third)
        if len({(s1, p1), (s2, p2), (s3, p3)}) < 3:
            return []
        if self.random() < 0.5:
            return [(s2, p2, h1), (s3, p3, h2), (s1, p1, h3)]
        return [(s3, p3, h1), (s1, p1, h2), (s2, p2, h3)]

    def _reorder(self, s1: int, p1: int) -> list[Change]:
        """The set shows its venues in another order: one stop moves to another period and
        those between shift by one."""
        p2 = self.rng.randrange(self.periods)
        if p2 == p1:
            return []
        step = 1 if p2 > p1 else -1
        periods = range(p1, p2 + step, step)
        if any((s1, p) in self.frozen for p in periods):
            return []
        row = self.grid[s1]
        moved = [row[p] for p in periods]
        moved = moved[1:] + moved[:1]
        return [(s1, p, h) for p, h in zip(periods, moved, strict=True) if h != row[p]]

    def _exchange(self, s1: int, p1: int, h1: int) -> list[Change]:
        h2 = self._pick(self.neighbours[h1])
        held = self._held(h2)
        if not held or (len(self.visits[h1]) > 1 and self.random() < 0.2):
            return [(s1, p1, h2)]  # h2 takes h1's slot (h1 is then shown less)
        s2, p2 = self._pick(held)
        if (s2, p2) == (s1, p1):
            return []
        return [(s1, p1, h2), (s2, p2, h1)]

    def _relocate(self, s1: int, p1: int, h1: int) -> list[Change]:
        """An idle slot shows a venue; or a stop moves to a slot where a set idles."""
        if h1 < 0:  # an idle slot: show a venue near where the set is, or near anywhere
            row = self.grid[s1]
            near = [h for h in row if h >= 0]
            pool = self.neighbours[self._pick(near)] if near else list(self.allowed[s1][p1])
            return [(s1, p1, self._pick(pool))] if pool else []
        s2, p2 = self._pick(self.slots)
        if self.grid[s2][p2] != EMPTY:
            return []
        return [(s1, p1, EMPTY), (s2, p2, h1)]

    @property
    def idle(self) -> bool:
        """Whether a set is idle in a slot that could show a venue."""
        return self.stops_shown < len(self.slots)

    def _segment(self, s1: int, p1: int, h1: int) -> list[Change]:
        grid = self.grid
        h2 = self._pick(self.neighbours[h1])
        if not self.visits[h2]:
            return []
        s2 = self._pick(self.visits[h2])
        if s2 == s1:
            return []
        roll = self.random()
        if roll < 0.3:
            first, last = p1, self.periods - 1  # the tails
        elif roll < 0.6:
            first = last = p1
        else:
            first, last = (p1, p1 + 1) if self.random() < 0.5 else (p1 - 1, p1)
            if first < 0 or last >= self.periods:
                return []
        changes: list[Change] = []
        for p in range(first, last + 1):
            if (s1, p) in self.frozen or (s2, p) in self.frozen:
                return []
            a, b = grid[s1][p], grid[s2][p]
            if a != b:
                changes += [(s1, p, b), (s2, p, a)]
        return changes

    # The search ---------------------------------------------------------------------------------

    def serves_enough(self, coverage: int, stop_weight: int) -> bool:
        """Serving at least the floor: each of the two when it was asked for (like for like),
        else venues first and then stops, as the planner ranks plans."""
        if self.lexicographic:
            return (coverage, stop_weight) >= self.at_least
        return coverage >= self.at_least[0] and stop_weight >= self.at_least[1]

    def shortfall(self, coverage: int, stop_weight: int) -> int:
        """How far a plan is from serving what it must, in weighted stops (a venue counts two)."""
        if self.serves_enough(coverage, stop_weight):
            return 0
        return 2 * max(0, self.at_least[0] - coverage) + max(0, self.at_least[1] - stop_weight)

    def rank(self, total: int) -> tuple[int, int, int]:
        if self.lexicographic:
            return self.coverage, self.stop_weight, -total
        return 0, 0, -total

    def run(self, seconds: float, floor: int = 0) -> tuple[list[Stop], int]:
        """Simulated annealing for ``seconds``; the best plan found (most served, then fewest
        km) and how many times it improved. Stops early at ``floor``, a proven bound."""
        total = self.total_km
        best, best_stops, improvements = self.rank(total), self.stops(), 0
        if not self.slots or total <= floor or seconds <= 0:
            return best_stops, improvements
        started = time.monotonic()
        hottest = self.start_temperature
        temperature, cooling = hottest, -math.log(COOLING)
        penalty = SHORTFALL * hottest
        self.short = self.shortfall(self.coverage, self.stop_weight)
        tries = stuck = 0
        while True:
            tries += 1
            if tries % 256 == 0:
                elapsed = time.monotonic() - started
                if elapsed >= seconds:
                    break
                temperature = hottest * math.exp(cooling * elapsed / seconds)
            changes = self.propose()
            if not changes:
                continue
            # Kept when it is at most ``threshold`` longer (the annealing's draw, made first so
            # that a move too long to keep is not checked further).
            threshold = -temperature * math.log(1.0 - self.random())
            found = self.evaluate(changes, threshold)
            if found is None:
                continue
            km, coverage, stop_weight, costs = found
            coverage += self.coverage
            stop_weight += self.stop_weight
            more = self.lexicographic and (coverage, stop_weight) > self.at_least
            after = 0 if more else self.shortfall(coverage, stop_weight)
            if not more and km + penalty * (after - self.short) > threshold:
                continue
            self.apply(changes, costs, (coverage - self.coverage, stop_weight - self.stop_weight))
            total += km
            self.short = after
            if more:
                self.at_least = (coverage, stop_weight)
            if self.short:
                stuck += 1
                if stuck > STUCK:  # back to the best plan rather than wander on
                    self.restore(best_stops)
                    total, self.short, stuck = self.total_km, 0, 0
                continue
            stuck = 0
            rank = self.rank(total)
            if rank > best:
                best, best_stops = rank, self.stops()
                improvements += 1
                if total <= floor:
                    break
        return best_stops, improvements


def anneal(
    problem: RotationProblem,
    allowed: Allowed,
    stops: Sequence[Stop],
    seconds: float,
    floor: int = 0,
) -> tuple[list[Stop], int]:
    """The plan improved by simulated annealing for ``seconds``, and how often it improved."""
    search = SlotSearch(problem, allowed, stops, seed=problem.seed)
    return search.run(seconds, floor)
