"""The rotation planner on synthetic provincial instances, against the plan made by hand.

Instances: 20 sets × 100 venues × 5 periods, and 60 sets × 300 venues × 6 periods. Venues lie in
clusters around city centres across a province (about 500 km across for 100 venues, wider for
300); every venue showed one or two sets in the last three years (those themes are barred), one
venue-period in ten is unavailable, halls of 400–1,500 m² take sets of 300–800 m², and one set in
seven spends a period in its workshop at the provincial capital. Distances: great circle × 1.3.

For each instance and seed three plans are compared:

* ``greedy`` — what a coordinator does in a spreadsheet: period by period, each set to the
  nearest free venue that fits, can host and has not seen its themes (``spreadsheet_plan``);
* ``planner`` — the rotation planner as the pages run it: the most venues served, then the
  fewest kilometres, with its proven bound and gap;
* ``planner_at_greedy_coverage`` — the planner asked to serve at least what the greedy plan
  serves (venues and stops) with the fewest kilometres: the like-for-like kilometre comparison.

Usage: .venv/bin/python bench/rotation.py [--seeds 3] [--time-limit 60] [--sizes 20x100x5,60x300x6]
Writes bench/results/rotation.json (every run, and the medians per size).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ortools import __version__ as ortools_version  # noqa: E402

from kepu.touring.planning.distances import DistanceTable, Place  # noqa: E402
from kepu.touring.planning.rotation import (  # noqa: E402
    HostSpec,
    RotationProblem,
    SetSpec,
    coverage_of,
    plan_km,
    spreadsheet_plan,
    violations,
)
from kepu.touring.planning.rotation_planner import plan_rotation  # noqa: E402

RESULTS = ROOT / "bench" / "results"
CAPITAL = (41.80, 123.43)  # 沈阳, where the workshop is


def instance(sets: int, venues: int, periods: int, seed: int, time_limit: float) -> RotationProblem:
    rng = random.Random(seed)
    spread = (venues / 100) ** 0.5  # a province of 300 venues is wider
    centres = [
        (CAPITAL[0] + rng.uniform(-2.2, 2.2) * spread, CAPITAL[1] + rng.uniform(-3.0, 3.0) * spread)
        for _ in range(max(5, venues // 7))
    ]
    places = []
    for index in range(venues):
        latitude, longitude = rng.choice(centres)
        places.append(
            Place(str(index), latitude + rng.gauss(0, 0.35), longitude + rng.gauss(0, 0.45))
        )
    workshop = len(places)
    places.append(Place("workshop", *CAPITAL))
    table = DistanceTable(places, road_factor=1.3)
    set_specs, theme = [], 0
    for index, start in enumerate(rng.sample(range(venues), sets)):
        count = rng.choice((3, 3, 4))
        themes = frozenset(range(theme, theme + count))
        theme += count
        maintenance = frozenset({rng.randrange(periods)}) if rng.random() < 1 / 7 else frozenset()
        area = rng.choice((300, 400, 500, 600, 800))
        set_specs.append(SetSpec(index, themes, area, start, workshop, maintenance))
    hosts = []
    for index in range(venues):
        shown: set[int] = set()
        for s in rng.sample(range(sets), rng.choice((1, 2))):
            shown |= set_specs[s].themes
        available = frozenset(p for p in range(periods) if rng.random() > 0.1)
        hosts.append(
            HostSpec(
                key=index,
                place=index,
                area_m2=rng.choice((400, 600, 800, 1000, 1500)),
                weight=1,
                available=available,
                barred_themes=tuple(frozenset(shown) for _ in range(periods)),
            )
        )
    return RotationProblem(periods, set_specs, hosts, table, time_limit=time_limit, workers=1)


def greedy(problem: RotationProblem) -> dict[str, Any]:
    started = time.monotonic()
    stops = spreadsheet_plan(problem)
    assert not violations(problem, stops)
    coverage, stop_weight, served = coverage_of(problem, stops)
    return {
        "venues_served": served,
        "stops": len(stops),
        "stop_weight": stop_weight,
        "coverage": coverage,
        "km": plan_km(problem, stops),
        "seconds": round(time.monotonic() - started, 2),
    }


def planned(problem: RotationProblem) -> dict[str, Any]:
    result = plan_rotation(problem)
    assert not violations(problem, result.stops), violations(problem, result.stops)[:3]
    return {
        "status": result.status.value,
        "method": result.method,
        "venues_served": result.venues_served,
        "venues_bound": result.coverage_bound,
        "stops": len(result.stops),
        "km": result.km,
        "bound_km": result.km_bound,
        "lp_bound_km": result.lp_bound,
        "gap": round(result.gap or 0.0, 4),
        "seconds": round(result.seconds, 1),
        "improvements": result.improvements,
    }


def run(size: str, seed: int, time_limit: float) -> dict[str, Any]:
    sets, venues, periods = (int(part) for part in size.split("x"))
    problem = instance(sets, venues, periods, seed, time_limit)
    base = greedy(problem)
    best = planned(problem)
    problem.serve_at_least = (base["coverage"], base["stop_weight"])
    like = planned(problem)
    like["km_saving_vs_greedy"] = round(1 - like["km"] / base["km"], 4)
    row = {
        "size": size,
        "seed": seed,
        "greedy": base,
        "planner": best,
        "planner_at_greedy_coverage": like,
    }
    print(json.dumps(row, ensure_ascii=False), flush=True)
    return row


def medians(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def median(path: tuple[str, str]) -> float:
        return statistics.median(row[path[0]][path[1]] for row in rows)

    return {
        "runs": len(rows),
        "greedy_venues_served": median(("greedy", "venues_served")),
        "greedy_km": median(("greedy", "km")),
        "planner_venues_served": median(("planner", "venues_served")),
        "planner_km": median(("planner", "km")),
        "planner_bound_km": median(("planner", "bound_km")),
        "planner_gap": median(("planner", "gap")),
        "planner_seconds": median(("planner", "seconds")),
        "like_for_like_km": median(("planner_at_greedy_coverage", "km")),
        "like_for_like_gap": median(("planner_at_greedy_coverage", "gap")),
        "like_for_like_km_saving": median(("planner_at_greedy_coverage", "km_saving_vs_greedy")),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="20x100x5,60x300x6")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=60)
    parser.add_argument("--output", type=Path, default=RESULTS / "rotation.json")
    args = parser.parse_args()
    rows = [
        run(size, seed, args.time_limit)
        for size in args.sizes.split(",")
        for seed in range(1, args.seeds + 1)
    ]
    summary = {
        size: medians([row for row in rows if row["size"] == size])
        for size in args.sizes.split(",")
    }
    data = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, OR-Tools {ortools_version}",
        "time_limit_seconds": args.time_limit,
        "medians": summary,
        "runs": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, ensure_ascii=False, indent=2) + "\n")
    print(json.dumps(summary, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
