"""The caravan route planner on a week of requests, against driving to the nearest one.

Instances: 60 and 150 schools and villages around a caravan base (a county town; requests up to
about 120 km away, clustered in townships), each asking for a visit on one to five weekdays, in
a morning (08:30–11:30) or afternoon (13:00–16:30) window or all day, for 60–150 minutes. The
caravan works Monday to Friday, 07:30–17:30, at most 6 hours of driving a day, at 50 km/h on
county roads; distances are great circle × 1.3.

Compared: ``greedy`` — each day, drive to the nearest request still waiting that can be reached
within its hours (with time to get back and within the driving limit), until none is left — and
``planner`` — OR-Tools routing with time windows (cheapest insertion, guided local search).

Usage: .venv/bin/python bench/caravan.py [--seeds 3] [--time-limit 30] [--sizes 60,150]
Writes bench/results/caravan.json (every run, and the medians per size).
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import statistics
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from ortools import __version__ as ortools_version  # noqa: E402

from kepu.touring.planning.caravan import (  # noqa: E402
    CaravanProblem,
    CaravanResult,
    VisitRequest,
    nearest_next,
    plan_caravan_week,
)
from kepu.touring.planning.distances import DistanceTable, Place  # noqa: E402

RESULTS = ROOT / "bench" / "results"
BASE = (41.13, 126.19)  # 集安市


def instance(requests: int, seed: int, time_limit: float) -> CaravanProblem:
    rng = random.Random(seed)
    townships = [(BASE[0] + rng.gauss(0, 0.45), BASE[1] + rng.gauss(0, 0.6)) for _ in range(12)]
    places = [Place("base", *BASE)]
    specs = []
    for index in range(requests):
        latitude, longitude = rng.choice(townships)
        places.append(
            Place(str(index), latitude + rng.gauss(0, 0.06), longitude + rng.gauss(0, 0.08))
        )
        days = frozenset(rng.sample(range(5), rng.choice((1, 2, 3, 5))))
        opens, closes = rng.choice(((510, 690), (780, 990), (510, 990)))
        specs.append(
            VisitRequest(index, index + 1, days, opens, closes, rng.choice((60, 90, 120, 150)))
        )
    return CaravanProblem(
        depot=0,
        working_days=frozenset(range(5)),
        day_starts=450,
        day_ends=1050,
        max_drive_minutes=360,
        speed_kmh=50,
        km=DistanceTable(places),
        requests=specs,
        time_limit=time_limit,
    )


def check(problem: CaravanProblem, result: CaravanResult) -> None:
    """The rules held: days, hours, working day, driving limit."""
    for route in result.days:
        assert problem.day_starts <= route.leaves and route.returns <= problem.day_ends
        assert route.drive_minutes <= problem.max_drive_minutes
        for visit in route.visits:
            request = problem.requests[visit.request_index]
            assert route.day in request.days
            assert request.opens <= visit.starts and visit.ends <= request.closes


def summary(result: CaravanResult) -> dict[str, Any]:
    return {
        "served": result.served,
        "km": result.km,
        "km_per_visit": round(result.km / result.served, 1) if result.served else None,
        "seconds": round(result.seconds, 2),
        "unserved_by_reason": {
            reason: sum(1 for item in result.unserved if item.reason.value == reason)
            for reason in sorted({item.reason.value for item in result.unserved})
        },
    }


def run(size: int, seed: int, time_limit: float) -> dict[str, Any]:
    problem = instance(size, seed, time_limit)
    greedy, planned = nearest_next(problem), plan_caravan_week(problem)
    check(problem, greedy)
    check(problem, planned)
    row = {"requests": size, "seed": seed, "greedy": summary(greedy), "planner": summary(planned)}
    print(json.dumps(row), flush=True)
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", default="60,150")
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--time-limit", type=float, default=30)
    parser.add_argument("--output", type=Path, default=RESULTS / "caravan.json")
    args = parser.parse_args()
    sizes = [int(size) for size in args.sizes.split(",")]
    rows = [run(size, seed, args.time_limit) for size in sizes for seed in range(1, args.seeds + 1)]
    medians = {}
    for size in sizes:
        mine = [row for row in rows if row["requests"] == size]
        medians[str(size)] = {
            key: statistics.median(row[side][field] for row in mine)
            for key, side, field in (
                ("greedy_served", "greedy", "served"),
                ("greedy_km", "greedy", "km"),
                ("planner_served", "planner", "served"),
                ("planner_km", "planner", "km"),
                ("planner_seconds", "planner", "seconds"),
            )
        }
        medians[str(size)]["planner_km_per_visit"] = statistics.median(
            row["planner"]["km_per_visit"] for row in mine
        )
        medians[str(size)]["greedy_km_per_visit"] = statistics.median(
            row["greedy"]["km_per_visit"] for row in mine
        )
    data = {
        "measured_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, OR-Tools {ortools_version}",
        "time_limit_seconds": args.time_limit,
        "medians": medians,
        "runs": rows,
    }
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(data, indent=2) + "\n")
    print(json.dumps(medians, indent=2))


if __name__ == "__main__":
    main()
