"""Subset-row cuts for the rotation master, and the pricing that honours them.

When every plan that serves enough must show at each venue at most once — the venues asked for
are as many as the stops the sets can make, all of equal weight — then of any three venues at
most one set's itinerary can take two of them. The linear relaxation does not know that: it
splits sets across itineraries that share venues pairwise (measured on 20 × 100 × 5 at full
coverage: 19 of 20 sets fractional). The cut "itineraries holding two or more of {a, b, c}
sum to at most 1" is then valid for every plan, and cuts the relaxation's optimum off.

A cut's dual makes an itinerary that takes two of its venues dearer, which the dynamic
programme over periods cannot see (it remembers only where a set is). So with cuts the pricing
is a branch and bound over itineraries (:func:`cheapest_with_cuts`): itineraries grow period by
period, and a partial one is dropped when its cost so far plus the least cost of any way on —
from the programme run backwards, without the cuts — cannot beat the best itinerary known. When
the partial itineraries are too many to keep, the dropped ones still count: the least cost any
of them could reach is kept, so the value returned is always a lower bound on the cheapest
itinerary's reduced cost, and the Lagrangian bound stays proven.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from kepu.touring.planning.rotation import RotationProblem

if TYPE_CHECKING:
    from kepu.touring.planning.rotation_columns import Pricing

INFINITY = float("inf")
KEEP = 20_000  # partial itineraries kept per period at most
VIOLATION = 1e-3  # how far a cut must be exceeded to be added
CUTS_PER_ROUND = 100


@dataclass(frozen=True)
class Cut:
    """At most one itinerary in the plan takes two or more of these three venues."""

    hosts: frozenset[int]

    def taken_by(self, hosts: Collection[int]) -> bool:
        """Whether an itinerary showing at ``hosts`` takes two or more of the cut's venues
        (its coefficient in the cut's row, and what the cut's dual charges it)."""
        return len(self.hosts.intersection(hosts)) >= 2


def cuts_hold(problem: RotationProblem, coverage: int) -> bool:
    """Whether every plan serving ``coverage`` shows at each venue at most once: the venues
    are of one weight and the coverage asked for is as much as all the stops the sets can
    make (then served ≥ coverage ≥ stops ≥ served, so each venue served is shown once)."""
    weights = {host.weight for host in problem.hosts}
    if len(weights) != 1:
        return False
    stops = sum(problem.periods - len(spec.maintenance) for spec in problem.sets)
    return coverage >= weights.pop() * stops


def separate(
    itineraries: Sequence[tuple[Sequence[int], float]], known: set[frozenset[int]]
) -> list[Cut]:
    """The cuts the fractional solution breaks most (``itineraries``: each one's venues and its
    value), at most ``CUTS_PER_ROUND``, leaving out the ``known`` ones."""
    used = [(sorted(set(hosts)), x) for hosts, x in itineraries if x > 1e-9]
    venues = sorted({h for hosts, _x in used for h in hosts})
    if len(venues) < 3:
        return []
    index = {h: i for i, h in enumerate(venues)}
    incidence = np.zeros((len(used), len(venues)), dtype=np.int16)
    for row, (hosts, _x) in enumerate(used):
        incidence[row, [index[h] for h in hosts]] = 1
    x = np.array([value for _hosts, value in used])
    found: list[tuple[float, frozenset[int]]] = []
    for a in range(len(venues)):
        # Only the itineraries that take a venue of the pair can take two of the three.
        for b in range(a + 1, len(venues) - 1):
            pair = incidence[:, a] + incidence[:, b]
            if not (pair > 0).any():
                continue
            counts = pair[:, None] + incidence[:, b + 1 :]
            values = ((counts >= 2) * x[:, None]).sum(axis=0)
            for offset in np.flatnonzero(values > 1 + VIOLATION):
                triple = frozenset({venues[a], venues[b], venues[b + 1 + offset]})
                if triple not in known:
                    found.append((float(values[offset]), triple))
    found.sort(key=lambda pair: (-pair[0], sorted(pair[1])))
    return [Cut(triple) for _value, triple in found[:CUTS_PER_ROUND]]


def cheapest_with_cuts(
    pricing: Pricing,
    s: int,
    value: np.ndarray,
    cuts: Sequence[tuple[Cut, float]],
    incumbent: tuple[float, tuple[tuple[int, int], ...]],
) -> tuple[float, float, tuple[tuple[int, int], ...]]:
    """(a lower bound on the least reduced cost, the reduced cost of the best itinerary found,
    that itinerary) for set ``s``: elementary, and charged for each cut it takes two venues of
    (``cuts``: each with its charge ≥ 0). Without the set's own dual. ``incumbent`` is an
    itinerary the set may follow (one of its columns) with its reduced cost: nothing costlier
    is looked at."""
    problem = pricing.problem
    spec = problem.sets[s]
    host_count = len(problem.hosts)
    start_state, base_state = host_count, host_count + 1
    location = np.concatenate(
        [pricing.host_location, [pricing.location[spec.start], pricing.location[spec.base]]]
    )
    distance = pricing.distance
    periods = problem.periods
    to_go = _ways_on(pricing, s, value, location)
    penalty = np.zeros(len(cuts))
    member = np.zeros((host_count, len(cuts)), dtype=np.int8)
    for c, (cut, charge) in enumerate(cuts):
        penalty[c] = charge
        member[list(cut.hosts), c] = 1
    weighted = (member * penalty[None, :]).T  # cuts × venues

    best_found, best_stops = incumbent
    state = np.array([start_state])
    cost = np.zeros(1)
    path = np.full((1, periods), -1, dtype=np.int64)
    taken = np.zeros((1, len(cuts)), dtype=np.int8)  # per cut, its venues taken so far
    dropped = INFINITY  # the least any dropped partial itinerary could reach
    for p in range(periods):
        options = pricing.choices[(s, p)]
        if options is None:
            cost = cost + distance[location[state], location[base_state]]
            state = np.full_like(state, base_state)
            continue
        parts_state, parts_cost, parts_path, parts_taken, estimate = [], [], [], [], []
        if (s, p) not in pricing.must_show:  # idle
            parts_state.append(state)
            parts_cost.append(cost)
            parts_path.append(path)
            parts_taken.append(taken)
            estimate.append(cost + to_go.best[p, state])
        if len(options):
            move = (
                cost[:, None]
                + distance[np.ix_(location[state], pricing.host_location[options])]
                - value[options, p][None, :]
            )
            if len(cuts):
                move += ((taken == 1).astype(np.float64) @ weighted)[:, options]
            # Never a venue twice.
            move[(path[:, :, None] == options[None, None, :]).any(axis=1)] = INFINITY
            rows, columns = np.nonzero(move < INFINITY)
            new_path = path[rows].copy()
            new_path[:, p] = options[columns]
            parts_state.append(options[columns])
            parts_cost.append(move[rows, columns])
            parts_path.append(new_path)
            parts_taken.append(taken[rows] + member[options[columns]])
            estimate.append(move[rows, columns] + to_go.after(p, options[columns], state[rows]))
        state = np.concatenate(parts_state)
        cost = np.concatenate(parts_cost)
        path = np.concatenate(parts_path)
        taken = np.concatenate(parts_taken)
        bound = np.concatenate(estimate)
        hopeful = bound < best_found - 1e-9  # the others cannot beat the incumbent
        state, cost, path, taken, bound = (
            state[hopeful],
            cost[hopeful],
            path[hopeful],
            taken[hopeful],
            bound[hopeful],
        )
        if not len(bound):
            return min(best_found, dropped), best_found, best_stops
        if len(bound) > KEEP:
            order = np.argpartition(bound, KEEP)
            dropped = min(dropped, float(bound[order[KEEP:]].min()))
            keep = order[:KEEP]
            state, cost, path, taken = state[keep], cost[keep], path[keep], taken[keep]
    winner = int(np.argmin(cost))
    if cost[winner] < best_found:
        best_found = float(cost[winner])
        best_stops = tuple((int(h), p) for p, h in enumerate(path[winner]) if h >= 0)
    return min(best_found, dropped), best_found, best_stops


@dataclass(frozen=True)
class _WaysOn:
    """The least cost of any way on after each period, from each state: ``best``, the venue
    it goes to first (``first``, -1: none), and ``other``, the least of the ways that go first
    somewhere else. Going on never returns to the venue it is at or, via ``other``, to the one
    before; otherwise venues are not remembered and the cuts not charged, so it is never above
    the cost of a real itinerary's rest."""

    best: np.ndarray
    first: np.ndarray
    other: np.ndarray

    def after(self, p: int, states: np.ndarray, before: np.ndarray) -> np.ndarray:
        """The least cost on after period ``p`` from ``states``, not back to ``before``."""
        back = self.first[p, states] == before
        cost: np.ndarray = np.where(back, self.other[p, states], self.best[p, states])
        return cost


def _ways_on(pricing: Pricing, s: int, value: np.ndarray, location: np.ndarray) -> _WaysOn:
    """The programme over periods run backwards (two labels per state, as forwards)."""
    periods = pricing.problem.periods
    size = len(location)
    base_state = size - 1
    best = np.zeros((periods, size))
    other = np.zeros((periods, size))
    first = np.full((periods, size), -1, dtype=np.int64)
    states = np.arange(size)
    for p in range(periods - 2, -1, -1):
        q = p + 1
        options = pricing.choices[(s, q)]
        if options is None:  # to the workshop: no venue first
            best[p] = other[p] = (
                pricing.distance[location, location[base_state]] + best[q, base_state]
            )
            continue
        # Candidates per state: idle (its best and other way on), or a move to each option.
        columns = [np.full(size, INFINITY), np.full(size, INFINITY)]
        firsts = [np.full(size, -1), np.full(size, -1)]
        if (s, q) not in pricing.must_show:
            columns = [best[q].copy(), other[q].copy()]
            firsts = [first[q].copy(), np.full(size, -2)]  # -2: some venue other than first
        if len(options):
            moves = (
                pricing.distance[np.ix_(location, pricing.host_location[options])]
                - value[options, q][None, :]
                + np.where(
                    first[q, options][None, :] == states[:, None],
                    other[q, options][None, :],
                    best[q, options][None, :],
                )
            )
            moves[options, np.arange(len(options))] = INFINITY  # not the venue it is at
            candidates = np.column_stack([*columns, moves])
            leads = np.column_stack([*firsts, np.broadcast_to(options, (size, len(options)))])
        else:
            candidates = np.column_stack(columns)
            leads = np.column_stack(firsts)
        pick = np.argmin(candidates, axis=1)
        best[p] = candidates[states, pick]
        first[p] = leads[states, pick]
        # The best that does not go first where the best does (an unknown first counts, which
        # only lowers it: still a lower bound). Where the best's first venue is unknown, no
        # way on is told apart: the other is the best.
        elsewhere = np.where(leads == first[p][:, None], INFINITY, candidates)
        other[p] = elsewhere.min(axis=1)
        unknown = first[p] == -2
        first[p, unknown] = -1
        other[p, unknown] = best[p, unknown]
    return _WaysOn(best, first, other)
