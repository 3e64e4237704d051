"""Roll-ups and reports: indicators for one venue, an alliance and the whole network, and the
DOCX and PDF of one yearly report, over a synthetic network the size of the national system.

Each database gets a fresh database of its own (SQLite: a file in a temporary directory;
PostgreSQL: a database created for the run and dropped afterwards), migrated, then filled with
bulk_create: VENUES venues (museums of every level, mobile stations, caravan bases, rural school
museums) in real counties, their halls and weekly opening patterns (some changing mid-2024, some
announced closures), one imported DailyAttendance row per venue per open day of two years (the
open days come from kepu's own opening calendar, so ``open_days`` equals the rows), SESSIONS
activity sessions (every activity type, at the venue, at schools, in villages, online; theme-day
events on the theme days; some participant counts approximate), caravans with trips and stops,
partnerships with schools, special exhibitions, manual figures (funding, staff, media) and
alliances, one of ALLIANCE venues.

Then, for the last of the two years, each operation runs once cold and REPEAT times more, and the
median (with min and max) is reported:

1. ``indicators.compute([venue], Period.year(Y))``: one venue's full indicator set;
2. ``indicators.rollup(ids, Period.year(Y))`` for the alliance of ALLIANCE venues;
3. ``indicators.rollup(all ids, Period.year(Y))``: the whole network;
4. ``reports.build_report`` then ``render_docx`` and ``render_pdf`` for each kind of report.

One more run of 1–3 records the queries (count, time, the slowest ones) to find slow spots.

Usage: .venv/bin/python bench/rollup.py [--venues 1000] [--sessions 300000] [--repeat 5]
           [--alliance 130] [--year 2024] [--databases sqlite,postgresql]
           [--postgres postgresql://postgres@127.0.0.1:5432/kepu_bench_rollup] [--quick]
Writes bench/results/rollup.json (--quick: a small smoke run, written to the temporary directory
unless --output is given). Needs PostgreSQL on this machine for the PostgreSQL part.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta
from datetime import time as clock
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
DEFAULT_POSTGRES = "postgresql://postgres@127.0.0.1:5432/kepu_bench_rollup"
SHANGHAI = ZoneInfo("Asia/Shanghai")
REPORT_KINDS = ("self-evaluation", "institution-annual", "annual-review")
TARGETS = {"venue_seconds": 0.2, "network_seconds": 3.0, "pdf_seconds": 3.0}


# The parent: prepares each database, runs a worker process per database, writes the results --


def environment(database_url: str, home: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEPU_", "DJANGO_"))}
    env.update(
        {
            "KEPU_ENV": "production",
            "KEPU_SECRET_KEY": "bench-only-" + "k" * 50,
            "KEPU_DATA_KEY": "mF3k0cQ3Q6o3Qm1m2yX9sM0kYk0QnS3n8bN3rVbWw2I=",
            "KEPU_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KEPU_SECURE_SSL_REDIRECT": "0",
            "KEPU_LOG_LEVEL": "WARNING",
            "DATABASE_URL": database_url,
            "KEPU_HOME": str(home),
            "KEPU_STATIC_ROOT": str(home / "static"),
            "DJANGO_SETTINGS_MODULE": "kepu.settings",
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    return env


def postgres_create(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')


def postgres_drop(url: str) -> None:
    import psycopg

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def machine() -> dict[str, Any]:
    model = ""
    memory_gb = 0.0
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
        for line in Path("/proc/meminfo").read_text().splitlines():
            if line.startswith("MemTotal:"):
                memory_gb = round(int(line.split()[1]) / 2**20, 1)
    except OSError:
        pass
    return {
        "cores": os.cpu_count(),
        "cpu": model,
        "memory_gb": memory_gb,
        "load_average_at_start": [round(x, 2) for x in os.getloadavg()],
        "note": f"{os.cpu_count()} shared cores, noisy: PostgreSQL and this script share them,"
        " and other work runs on the same VM",
        "os": platform.platform(),
        "python": platform.python_version(),
    }


def run_database(args: argparse.Namespace, kind: str) -> dict[str, Any]:
    home = Path(tempfile.mkdtemp(prefix=f"kepu-bench-rollup-{kind}-"))
    url = f"sqlite:///{home / 'kepu.sqlite3'}" if kind == "sqlite" else args.postgres
    part = home / "part.json"
    try:
        if kind == "postgresql":
            postgres_create(url)
        command = [
            sys.executable,
            str(Path(__file__).resolve()),
            "--worker",
            kind,
            "--part",
            str(part),
            "--venues",
            str(args.venues),
            "--sessions",
            str(args.sessions),
            "--repeat",
            str(args.repeat),
            "--alliance",
            str(args.alliance),
            "--year",
            str(args.year),
            "--seed",
            str(args.seed),
        ]
        print(f"\n== {kind}: {url}", flush=True)
        subprocess.run(command, env=environment(url, home), cwd=home, check=True)  # noqa: S603
        result: dict[str, Any] = json.loads(part.read_text(encoding="utf-8"))
        return result
    finally:
        if not args.keep:
            if kind == "postgresql":
                postgres_drop(url)
            shutil.rmtree(home, ignore_errors=True)
        else:
            print(f"kept {url} and {home}", flush=True)


def verdict(databases: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """Each target against the slowest database's median."""
    out: dict[str, Any] = {}

    def worst(path: Callable[[dict[str, Any]], float | None]) -> float | None:
        values = [v for v in (path(result) for result in databases.values()) if v is not None]
        return max(values) if values else None

    def median_of(name: str) -> Callable[[dict[str, Any]], float | None]:
        def read(result: dict[str, Any]) -> float | None:
            timing = result.get("timings", {}).get(name)
            return timing["median"] if timing else None

        return read

    def pdf(result: dict[str, Any]) -> float | None:
        reports = result.get("reports", {})
        if not isinstance(reports.get("kinds"), dict):
            return None
        values = [kind["pdf_total"]["median"] for kind in reports["kinds"].values()]
        return max(values) if values else None

    for key, measured in (
        ("venue_seconds", worst(median_of("venue"))),
        ("network_seconds", worst(median_of("network"))),
        ("pdf_seconds", worst(pdf)),
    ):
        out[key] = {
            "target": TARGETS[key],
            "measured_worst_median": measured,
            "met": None if measured is None else measured < TARGETS[key],
        }
    return out


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--venues", type=int, default=1000)
    parser.add_argument("--sessions", type=int, default=300_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--alliance", type=int, default=130, help="venues in the timed alliance")
    parser.add_argument("--year", type=int, default=2024, help="the year timed (data: Y-1 and Y)")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--databases", default="sqlite,postgresql")
    parser.add_argument("--postgres", default=DEFAULT_POSTGRES)
    parser.add_argument("--quick", action="store_true", help="60 venues, 6,000 sessions, 2 runs")
    parser.add_argument("--keep", action="store_true", help="keep the databases afterwards")
    parser.add_argument("--output", type=Path, default=None)
    parser.add_argument("--worker", default="", help=argparse.SUPPRESS)
    parser.add_argument("--part", type=Path, default=None, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        return worker(args)
    if args.quick:
        args.venues, args.sessions, args.repeat = 60, 6_000, 2
    args.alliance = min(args.alliance, args.venues)
    output: Path = args.output or (
        Path(tempfile.gettempdir()) / "rollup-quick.json" if args.quick else RESULTS / "rollup.json"
    )
    started = time.strftime("%Y-%m-%d %H:%M:%S")
    info = machine()
    databases: dict[str, dict[str, Any]] = {}
    for kind in [name.strip() for name in args.databases.split(",") if name.strip()]:
        if kind not in {"sqlite", "postgresql"}:
            parser.error(f"unknown database {kind!r}")
        databases[kind] = run_database(args, kind)
    result = {
        "when": started,
        "command": " ".join([".venv/bin/python", "bench/rollup.py", *sys.argv[1:]]),
        "machine": info,
        "year": args.year,
        "repeat": args.repeat,
        "quick": args.quick,
        "targets": verdict(databases),
        "databases": databases,
    }
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps({"targets": result["targets"]}, ensure_ascii=False, indent=2))
    for kind, db in databases.items():
        timings = {name: t["median"] for name, t in db["timings"].items()}
        print(f"{kind}: medians {timings}; reports: {summary_of_reports(db['reports'])}")
    print(f"Wrote {output}")
    return 0


def summary_of_reports(reports: dict[str, Any]) -> str:
    if not isinstance(reports.get("kinds"), dict):
        return str(reports.get("status"))
    return ", ".join(
        f"{kind}: docx {r['docx_total']['median']} s, pdf {r['pdf_total']['median']} s"
        for kind, r in reports["kinds"].items()
    )


# The worker: runs inside Django against one database ------------------------------------------


def log(message: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {message}", flush=True)


def worker(args: argparse.Namespace) -> int:
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    result: dict[str, Any] = {"engine": connection.vendor, "code": code_versions()}
    started = time.perf_counter()
    call_command("migrate", interactive=False, verbosity=0)
    result["migrate_seconds"] = round(time.perf_counter() - started, 1)
    log(f"migrated in {result['migrate_seconds']} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SHOW server_version")
        else:
            cursor.execute("SELECT sqlite_version()")
        row = cursor.fetchone()
        result["server_version"] = str(row[0]) if row else ""
    world = Generator(args)
    result["generation"] = world.generate()
    result["rows"] = world.rows
    result["data"] = world.description()
    result["load_average_before_timing"] = [round(x, 2) for x in os.getloadavg()]
    result["timings"], result["profile"], result["checks"] = time_indicators(args, world)
    result["reports"] = time_reports(args, world)
    result["load_average_after_timing"] = [round(x, 2) for x in os.getloadavg()]
    assert args.part is not None
    args.part.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
    return 0


def code_versions() -> dict[str, str]:
    """Digests of the code timed: other work changes it while this runs."""
    import hashlib

    out: dict[str, str] = {}
    stats = ROOT / "src" / "kepu" / "stats"
    for path in [stats / "indicators.py", *sorted((stats / "reports").glob("*.py"))]:
        if path.exists():
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:12]
            out[str(path.relative_to(ROOT))] = digest
    return out


def stats_of(runs: Sequence[float], first: float) -> dict[str, Any]:
    return {
        "median": round(statistics.median(runs), 4),
        "min": round(min(runs), 4),
        "max": round(max(runs), 4),
        "first": round(first, 4),
        "runs": [round(run, 4) for run in runs],
    }


def measure(function: Callable[[], Any], repeat: int) -> dict[str, Any]:
    """One cold run, then ``repeat`` runs: seconds each."""
    durations: list[float] = []
    for _ in range(repeat + 1):
        gc.collect()
        started = time.perf_counter()
        function()
        durations.append(time.perf_counter() - started)
    return stats_of(durations[1:], durations[0])


def profile(function: Callable[[], Any]) -> dict[str, Any]:
    """The queries of one run: how many, their time, and the slowest."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as context:
        started = time.perf_counter()
        function()
        elapsed = time.perf_counter() - started
    queries = [(float(q["time"] or 0), q["sql"]) for q in context.captured_queries]
    queries.sort(key=lambda item: -item[0])
    sql_seconds = sum(seconds for seconds, _sql in queries)
    return {
        "seconds": round(elapsed, 4),
        "queries": len(queries),
        "sql_seconds": round(sql_seconds, 4),
        "python_seconds": round(elapsed - sql_seconds, 4),
        "slowest": [
            {"seconds": round(seconds, 4), "sql": shorten(sql)} for seconds, sql in queries[:4]
        ],
    }


def shorten(sql: str, limit: int = 600) -> str:
    """SQL with long IN (…) lists elided, at most ``limit`` characters."""
    out: list[str] = []
    depth_start = sql.find(" IN (")
    while depth_start != -1:
        end = sql.find(")", depth_start)
        inner = sql[depth_start + 5 : end]
        out.append(sql[: depth_start + 5])
        if inner.count(",") > 5 and "SELECT" not in inner.upper():
            items = inner.split(",")
            out.append(f"{items[0]}, … {len(items)} values")
        else:
            out.append(inner)
        sql = sql[end:]
        depth_start = sql.find(" IN (")
    out.append(sql)
    text = "".join(out)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def time_indicators(
    args: argparse.Namespace, world: Generator
) -> tuple[dict[str, Any], dict[str, Any], dict[str, Any]]:
    from kepu.stats.indicators import compute, rollup
    from kepu.stats.periods import Period
    from kepu.visits.models import DailyAttendance

    period = Period.year(args.year)
    venue_id = world.report_venue_id
    alliance = world.alliance_ids
    network = world.venue_ids
    operations: dict[str, Callable[[], Any]] = {
        "venue": lambda: compute([venue_id], period),
        "alliance": lambda: rollup(alliance, period),
        "network": lambda: rollup(network, period),
    }
    timings: dict[str, Any] = {}
    profiles: dict[str, Any] = {}
    for name, operation in operations.items():
        log(f"timing {name} ({args.repeat} runs after a cold one) …")
        timings[name] = measure(operation, args.repeat)
        profiles[name] = profile(operation)
        log(
            f"  {name}: median {timings[name]['median']} s "
            f"(min {timings[name]['min']}, max {timings[name]['max']}, "
            f"first {timings[name]['first']}); {profiles[name]['queries']} queries, "
            f"{profiles[name]['sql_seconds']} s in SQL"
        )
    # The figures must be right as well as fast.
    mine = compute([venue_id], period)[venue_id]
    rows = DailyAttendance.objects.filter(
        venue_id=venue_id, date__gte=period.start, date__lte=period.end
    )
    whole = rollup(network, period)
    visits_in_db = DailyAttendance.objects.filter(
        date__gte=period.start, date__lte=period.end
    ).count()
    checks = {
        "venue_open_days": mine["open_days"].value,
        "venue_attendance_rows": rows.count(),
        "open_days_match_attendance_rows": mine["open_days"].value == rows.count(),
        "network_visits_total": whole.totals["visits_total"].value,
        "network_attendance_records": whole.totals["visits_total"].records,
        "attendance_rows_in_year": visits_in_db,
        "network_sessions_total": whole.totals["sessions_total"].value,
        "network_participants_total": whole.totals["participants_total"].value,
        "network_visits_yoy_pct": float(whole.totals["visits_yoy_pct"].value or 0),
        "network_peak_day": str(whole.totals["visits_peak_day"].on),
        "network_partner_schools": whole.totals["partner_schools"].value,
    }
    return timings, profiles, checks


def time_reports(args: argparse.Namespace, world: Generator) -> dict[str, Any]:
    try:
        from kepu.stats.reports import build_report, render_docx, render_pdf
    except Exception as error:  # the module is being written: record it and go on
        log(f"reports not available: {error!r}")
        return {"status": f"not available: {error!r}"}
    from kepu.network.models import Venue

    venue = Venue.objects.get(pk=world.report_venue_id)
    out: dict[str, Any] = {"status": "ok", "venue_id": venue.pk, "kinds": {}}
    for kind in REPORT_KINDS:
        log(f"timing the {kind} report …")
        try:
            runs: dict[str, list[float]] = defaultdict(list)
            sizes: dict[str, int] = {}
            for _ in range(args.repeat + 1):
                gc.collect()
                started = time.perf_counter()
                report = build_report(venue=venue, kind=kind, year=args.year, language="zh-hans")
                built = time.perf_counter()
                docx = render_docx(report)
                rendered_docx = time.perf_counter()
                pdf = render_pdf(report)
                rendered_pdf = time.perf_counter()
                runs["build"].append(built - started)
                runs["docx"].append(rendered_docx - built)
                runs["pdf"].append(rendered_pdf - rendered_docx)
                runs["docx_total"].append(rendered_docx - started)
                runs["pdf_total"].append(built - started + rendered_pdf - rendered_docx)
                sizes = {"docx_bytes": len(docx), "pdf_bytes": len(pdf)}
            out["kinds"][kind] = {
                name: stats_of(values[1:], values[0]) for name, values in runs.items()
            } | sizes
            log(
                f"  {kind}: build {out['kinds'][kind]['build']['median']} s, "
                f"docx {out['kinds'][kind]['docx']['median']} s, "
                f"pdf {out['kinds'][kind]['pdf']['median']} s"
            )
        except Exception as error:  # one kind failing must not lose the others
            log(f"  {kind} failed: {error!r}")
            out["kinds"][kind] = {"status": f"failed: {error!r}"}
            out["status"] = "partly failed"
    if all("status" in value for value in out["kinds"].values()):
        return {"status": out["status"], "errors": out["kinds"]}
    out["kinds"] = {k: v for k, v in out["kinds"].items() if "status" not in v}
    return out


# The synthetic network -------------------------------------------------------------------------

# (kind, level, share of venues, visits per open day, weight in the activity programme)
PROFILES: list[tuple[str, str, float, tuple[int, int], float]] = [
    ("museum", "provincial", 0.03, (2500, 9000), 12.0),
    ("museum", "prefecture", 0.20, (400, 2000), 3.0),
    ("museum", "county", 0.45, (60, 400), 1.0),
    ("mobile_station", "county", 0.15, (40, 250), 0.6),
    ("caravan_base", "prefecture", 0.07, (20, 120), 1.5),
    ("school_museum", "county", 0.10, (20, 150), 0.4),
]
# Bit 0 is Monday: closed Mondays, closed Mondays and Tuesdays, open every day, school weekdays.
PATTERNS: list[tuple[int, str, float]] = [
    (0b1111110, "open", 0.6),
    (0b1111100, "open", 0.1),
    (0b1111111, "weekly", 0.15),
    (0b0011111, "closed", 0.15),
]
# Activity types by kind of venue, with weights.
TYPES: dict[str, list[tuple[str, float]]] = {
    "default": [
        ("study_tour", 14),
        ("school_cooperation", 8),
        ("lecture", 10),
        ("show", 16),
        ("theme_day_event", 5),
        ("competition", 2),
        ("training", 5),
        ("camp", 2),
        ("caravan_visit", 4),
        ("safety_outreach", 8),
        ("exhibition_tour", 18),
        ("livestream", 4),
        ("other", 4),
    ],
    "caravan_base": [("caravan_visit", 60), ("safety_outreach", 20), ("show", 15), ("other", 5)],
    "school_museum": [("study_tour", 30), ("school_cooperation", 40), ("show", 20), ("camp", 10)],
}
# Where each type of activity happens, with weights.
PLACES: dict[str, list[tuple[str, float]]] = {
    "default": [("hall", 60), ("venue", 30), ("school", 5), ("community", 5)],
    "school_cooperation": [("school", 60), ("hall", 40)],
    "caravan_visit": [("school", 50), ("village", 30), ("community", 20)],
    "safety_outreach": [("community", 40), ("school", 30), ("square", 30)],
    "livestream": [("online", 100)],
    "theme_day_event": [("square", 30), ("hall", 40), ("venue", 30)],
    "competition": [("venue", 50), ("other_venue", 50)],
}
PEOPLE: dict[str, tuple[int, int]] = {
    "study_tour": (20, 120),
    "school_cooperation": (25, 60),
    "lecture": (40, 300),
    "show": (30, 250),
    "theme_day_event": (100, 3000),
    "competition": (30, 400),
    "training": (15, 60),
    "camp": (20, 80),
    "caravan_visit": (100, 800),
    "safety_outreach": (80, 1500),
    "exhibition_tour": (20, 150),
    "other": (10, 200),
}
ZH_TYPES = {
    "study_tour": "研学",
    "school_cooperation": "馆校合作课",
    "lecture": "科普讲座",
    "show": "科学秀",
    "theme_day_event": "主题日活动",
    "competition": "科普竞赛",
    "training": "培训班",
    "camp": "科学营",
    "caravan_visit": "大篷车进校园",
    "safety_outreach": "安全科普宣传",
    "exhibition_tour": "展厅讲解",
    "livestream": "科普直播",
    "other": "其他活动",
}


def pick(rng: random.Random, weighted: Sequence[tuple[str, float]]) -> str:
    return rng.choices([item for item, _w in weighted], [w for _i, w in weighted])[0]


def chunks[T](items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    for index in range(0, len(items), size):
        yield items[index : index + size]


class Generator:
    """Builds the network with bulk_create; keeps the ids the timings need."""

    def __init__(self, args: argparse.Namespace) -> None:
        self.args = args
        self.rng = random.Random(args.seed)
        self.year = int(args.year)
        self.first_day = date(self.year - 1, 1, 1)
        self.last_day = date(self.year, 12, 31)
        self.rows: dict[str, int] = {}
        self.venue_ids: list[int] = []
        self.alliance_ids: list[int] = []
        self.report_venue_id = 0
        self.batch = 5000
        self.held = Counter[str]()
        self.profiles: dict[int, tuple[str, str, tuple[int, int], float]] = {}
        self.divisions: dict[int, str] = {}
        self.kinds: dict[int, str] = {}
        self.halls: dict[int, list[int]] = defaultdict(list)
        self.schools: dict[int, list[int]] = {}
        self.theme_days: list[tuple[int, date, date]] = []

    def description(self) -> dict[str, Any]:
        return {
            "venues": self.args.venues,
            "sessions": self.rows.get("programs.Session", 0),
            "sessions_by_status": dict(self.held),
            "attendance_rows": self.rows.get("visits.DailyAttendance", 0),
            "days": f"{self.first_day}..{self.last_day}",
            "alliance_venues": len(self.alliance_ids),
            "report_venue_id": self.report_venue_id,
        }

    def generate(self) -> dict[str, float]:
        from django.db import connection, transaction

        seconds: dict[str, float] = {}
        steps: list[tuple[str, Callable[[], None]]] = [
            ("venues, halls, opening patterns, closures", self.make_venues),
            ("theme days, schools, partnerships", self.make_schools),
            ("daily attendance", self.make_attendance),
            ("activities and sessions", self.make_sessions),
            ("caravans, trips, stops", self.make_caravans),
            ("exhibitions, manual figures, alliances, report texts", self.make_rest),
        ]
        started = time.perf_counter()
        for name, step in steps:
            begun = time.perf_counter()
            with transaction.atomic():
                step()
            seconds[name] = round(time.perf_counter() - begun, 1)
            log(f"generated {name} in {seconds[name]} s")
        if connection.vendor == "postgresql":
            # What autovacuum would do soon after a load this size.
            begun = time.perf_counter()
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            seconds["ANALYZE (PostgreSQL)"] = round(time.perf_counter() - begun, 1)
        seconds["total"] = round(time.perf_counter() - started, 1)
        log(f"generated everything in {seconds['total']} s: {self.rows}")
        return seconds

    def save(self, model: Any, objects: list[Any]) -> list[Any]:
        label = f"{model._meta.app_label}.{model.__name__}"
        self.rows[label] = self.rows.get(label, 0) + len(objects)
        created: list[Any] = model.objects.bulk_create(objects, batch_size=self.batch)
        return created

    # Venues -----------------------------------------------------------------------------------

    def make_venues(self) -> None:
        from kepu.network.models import (
            CalendarException,
            Division,
            Hall,
            OpeningPattern,
            Organisation,
            OrganisationYear,
            Venue,
        )

        rng = self.rng
        counties = list(
            Division.objects.filter(level="county").order_by("code").values_list("code", flat=True)
        )
        rng.shuffle(counties)
        n = self.args.venues
        profiles: list[tuple[str, str, tuple[int, int], float]] = []
        for kind, level, share, visits, weight in PROFILES:
            profiles += [(kind, level, visits, weight)] * max(1, round(share * n))
        profiles = profiles[:n]
        while len(profiles) < n:
            profiles.append(profiles[-1])
        rng.shuffle(profiles)
        # The report's venue is a provincial museum, the busiest kind.
        first = next(i for i, p in enumerate(profiles) if p[1] == "provincial")
        profiles[0], profiles[first] = profiles[first], profiles[0]
        organisation = Organisation.objects.create(
            name="基准省科学技术馆(事业单位)",
            purpose_and_scope="开展科普展览、科普教育和科普活动,促进公民科学素质提升。",
            address="基准市科技路1号",
            legal_representative="张三",
            startup_capital_cny=Decimal("12000000"),
            funding_source="full_allocation",
            sponsor="基准省科学技术协会",
        )
        OrganisationYear.objects.bulk_create(
            OrganisationYear(
                organisation=organisation,
                year=year,
                assets_start_cny=Decimal("350000000"),
                assets_end_cny=Decimal("362000000"),
                headcount=180,
            )
            for year in (self.year - 1, self.year)
        )
        venues = [
            Venue(
                name="基准省科学技术馆" if index == 0 else f"基准{ZH_KIND[kind]}{index:05d}",
                kind=kind,
                level=level,
                organisation=organisation if index == 0 else None,
                division_id=counties[index % len(counties)],
                opened_on=date(rng.randint(1995, 2021), rng.randint(1, 12), 1)
                if rng.random() < 0.7
                else None,
            )
            for index, (kind, level, _visits, _weight) in enumerate(profiles)
        ]
        venues = self.save(Venue, venues)
        self.venue_ids = [venue.pk for venue in venues]
        self.report_venue_id = venues[0].pk
        self.profiles = {venue.pk: profile for venue, profile in zip(venues, profiles, strict=True)}
        self.divisions = {venue.pk: venue.division_id for venue in venues}
        self.kinds = {venue.pk: venue.kind for venue in venues}
        halls: list[Hall] = []
        for venue in venues:
            level = self.profiles[venue.pk][1]
            count = {"provincial": rng.randint(8, 12), "prefecture": rng.randint(4, 8)}.get(
                level, rng.randint(1, 4)
            )
            for number in range(count):
                temporary = number > 0 and rng.random() < 0.2
                opened = date(self.year, rng.randint(1, 6), 1) if temporary else None
                halls.append(
                    Hall(
                        venue=venue,
                        name=f"{number + 1}号{'临时' if temporary else ''}展厅",
                        kind="temporary" if temporary else "permanent",
                        area_m2=Decimal(rng.randint(150, 3000)),
                        opened_on=opened,
                        closed_on=opened + timedelta(days=rng.randint(60, 240)) if opened else None,
                    )
                )
        for hall in self.save(Hall, halls):
            self.halls[hall.venue_id].append(hall.pk)
        patterns: list[OpeningPattern] = []
        exceptions: list[CalendarException] = []
        for venue in venues:
            weighted = [(str(i), w) for i, (_m, _p, w) in enumerate(PATTERNS)]
            if venue.kind == "school_museum":
                choice = PATTERNS[3]
            else:
                choice = PATTERNS[int(pick(rng, weighted[:3]))]
            patterns.append(
                OpeningPattern(
                    venue=venue,
                    valid_from=date(self.year - 2, 1, 1),
                    open_weekdays=choice[0],
                    opens_at=clock(9),
                    closes_at=clock(17),
                    last_entry_at=clock(16, 30),
                    holiday_policy=choice[1],
                )
            )
            if rng.random() < 0.1:  # a new pattern from the summer of the timed year
                patterns.append(
                    OpeningPattern(
                        venue=venue,
                        valid_from=date(self.year, 7, 1),
                        open_weekdays=0b1111111,
                        opens_at=clock(9),
                        closes_at=clock(18),
                        holiday_policy="open",
                    )
                )
            if rng.random() < 0.05:  # a renovation
                start = self.first_day + timedelta(days=rng.randint(0, 700))
                exceptions.append(
                    CalendarException(
                        venue=venue,
                        kind="closure",
                        category="renovation",
                        starts_on=start,
                        ends_on=start + timedelta(days=rng.randint(7, 42)),
                        reason="展厅改造",
                    )
                )
        self.save(OpeningPattern, patterns)
        self.save(CalendarException, exceptions)

    # Attendance -------------------------------------------------------------------------------

    def open_days(self) -> dict[int, list[tuple[date, bool]]]:
        """(day, is a holiday or weekend) for each venue, from kepu's opening calendar."""
        from kepu.network.models import CalendarException, OpeningPattern, Venue
        from kepu.network.opening import OpeningCalendar

        patterns: dict[int, list[OpeningPattern]] = defaultdict(list)
        for pattern in OpeningPattern.objects.all():
            patterns[pattern.venue_id].append(pattern)
        exceptions: dict[int, list[CalendarException]] = defaultdict(list)
        for exception in CalendarException.objects.all():
            exceptions[exception.venue_id].append(exception)
        memo: dict[tuple[Any, ...], list[tuple[date, bool]]] = {}
        out: dict[int, list[tuple[date, bool]]] = {}
        for venue in Venue.objects.only("id", "opened_on"):
            mine, theirs = patterns[venue.pk], exceptions[venue.pk]
            opened = (
                venue.opened_on if venue.opened_on and venue.opened_on > self.first_day else None
            )
            key = (
                opened,
                tuple(sorted((p.valid_from, p.open_weekdays, p.holiday_policy) for p in mine)),
                tuple((e.kind, e.starts_on, e.ends_on) for e in theirs),
            )
            if key not in memo:
                calendar = OpeningCalendar(venue, mine, theirs)
                memo[key] = [
                    (status.day, status.day.weekday() >= 5 or status.holiday is not None)
                    for status in calendar.days(self.first_day, self.last_day)
                    if status.is_open
                ]
            out[venue.pk] = memo[key]
        return out

    def make_attendance(self) -> None:
        from kepu.visits.models import DailyAttendance

        rng = self.rng
        recorded = datetime(self.year + 1, 1, 5, 9, tzinfo=SHANGHAI)
        days = self.open_days()
        pending: list[DailyAttendance] = []
        for venue_id in self.venue_ids:
            low, high = self.profiles[venue_id][2]
            base = rng.uniform(low, high)
            growth = rng.uniform(0.85, 1.35)  # the timed year against the year before
            approximate = rng.random() < 0.03  # counted by hand, "约"
            for day, busy in days[venue_id]:
                factor = (1.9 if busy else 1.0) * (1.35 if day.month in (7, 8) else 1.0)
                if day.year == self.year:
                    factor *= growth
                pending.append(
                    DailyAttendance(
                        venue_id=venue_id,
                        date=day,
                        visits=max(0, round(base * factor * rng.uniform(0.6, 1.4))),
                        approximate=approximate,
                        source="imported",
                        recorded_at=recorded,
                    )
                )
            if len(pending) >= 50_000:
                self.save(DailyAttendance, pending)
                pending = []
        self.save(DailyAttendance, pending)

    # Schools ----------------------------------------------------------------------------------

    def make_schools(self) -> None:
        from kepu.programs.models import Partnership, School, ThemeDay
        from kepu.programs.theme_days import FIXED_THEME_DAYS

        rng = self.rng
        theme_days: list[ThemeDay] = []
        for year in (self.year - 1, self.year):
            for month, day, name, name_en in FIXED_THEME_DAYS:
                on = date(year, month, day)
                theme_days.append(
                    ThemeDay(name=name, name_en=name_en, kind="other", starts_on=on, ends_on=on)
                )
            week = date(year, 5, 20)
            theme_days.append(
                ThemeDay(
                    name="全国科技活动周",
                    name_en="National S&T Week",
                    kind="st_week",
                    starts_on=week,
                    ends_on=week + timedelta(days=7),
                )
            )
            science_day = date(year, 9, 15)
            theme_days.append(
                ThemeDay(
                    name="全国科普日",
                    name_en="National Science Popularization Day",
                    kind="science_day",
                    starts_on=science_day,
                    ends_on=science_day + timedelta(days=6),
                )
            )
        self.theme_days = [(t.pk, t.starts_on, t.ends_on) for t in self.save(ThemeDay, theme_days)]
        kinds = ["primary", "junior", "senior", "nine_year", "kindergarten"]
        schools = [
            School(
                name=f"基准第{index + 1}学校",
                kind=kinds[index % len(kinds)],
                division_id=self.divisions[self.venue_ids[index // 4]],
                is_rural=rng.random() < 0.4,
            )
            for index in range(len(self.venue_ids) * 4)
        ]
        school_ids = [school.pk for school in self.save(School, schools)]
        self.schools = {
            venue_id: school_ids[i * 4 : i * 4 + 4] for i, venue_id in enumerate(self.venue_ids)
        }
        partnerships: list[Partnership] = []
        for position, venue_id in enumerate(self.venue_ids):
            # Its own schools and some of its neighbours': distinct schools < agreements.
            near = self.venue_ids[max(0, position - 3) : position + 4]
            candidates = sorted({s for v in near for s in self.schools[v]})
            for school_id in rng.sample(candidates, min(len(candidates), rng.randint(0, 12))):
                signed = date(rng.randint(self.year - 5, self.year), rng.randint(1, 12), 1)
                ended = rng.random() < 0.15
                partnerships.append(
                    Partnership(
                        venue_id=venue_id,
                        school_id=school_id,
                        signed_on=signed,
                        ends_on=signed + timedelta(days=rng.randint(90, 900)) if ended else None,
                        status="ended" if ended else "active",
                    )
                )
        self.save(Partnership, partnerships)

    # Activities and sessions ------------------------------------------------------------------

    def make_sessions(self) -> None:
        from kepu.programs.models import Activity, Session

        rng = self.rng
        total = self.args.sessions
        weights = [self.profiles[v][3] * rng.uniform(0.5, 1.5) for v in self.venue_ids]
        scale = total / sum(weights)
        counts = [int(w * scale) for w in weights]
        for index in rng.sample(range(len(counts)), total - sum(counts)):
            counts[index] += 1
        span = (self.last_day - self.first_day).days
        for group in chunks(list(zip(self.venue_ids, counts, strict=True)), 50):
            activities: list[Activity] = []
            planned: list[int] = []  # sessions per activity
            for venue_id, count in group:
                kind = self.kinds[venue_id]
                types = TYPES.get(kind, TYPES["default"])
                remaining = count
                number = 0
                while remaining > 0:
                    size = min(remaining, rng.randint(1, 20))
                    remaining -= size
                    number += 1
                    activity_type = pick(rng, types)
                    theme_day = None
                    if activity_type == "theme_day_event" or rng.random() < 0.04:
                        theme_day = rng.choice(self.theme_days)[0]
                    activities.append(
                        Activity(
                            venue_id=venue_id,
                            name=f"{ZH_TYPES[activity_type]}{number}",
                            activity_type=activity_type,
                            audience=rng.choice(["public", "primary", "secondary", "families"]),
                            theme_day_id=theme_day,
                        )
                    )
                    planned.append(size)
            activities = self.save(Activity, activities)
            theme_spans = {pk: (start, end) for pk, start, end in self.theme_days}
            sessions: list[Session] = []
            for activity, size in zip(activities, planned, strict=True):
                venue_id = activity.venue_id
                places = PLACES.get(activity.activity_type, PLACES["default"])
                for _ in range(size):
                    if activity.theme_day_id is not None:
                        start, end = theme_spans[activity.theme_day_id]
                        day = start + timedelta(days=rng.randint(0, (end - start).days))
                    else:
                        day = self.first_day + timedelta(days=rng.randint(0, span))
                    starts = datetime.combine(day, clock(rng.randint(9, 16)), tzinfo=SHANGHAI)
                    place = pick(rng, places)
                    halls = self.halls.get(venue_id, [])
                    status = pick(rng, [("held", 97), ("cancelled", 2), ("planned", 1)])
                    self.held[status] += 1
                    online = activity.activity_type == "livestream"
                    low, high = PEOPLE.get(activity.activity_type, (10, 200))
                    sessions.append(
                        Session(
                            venue_id=venue_id,
                            activity_id=activity.pk,
                            starts_at=starts,
                            ends_at=starts + timedelta(minutes=90),
                            place_kind=place,
                            hall_id=rng.choice(halls) if place == "hall" and halls else None,
                            school_id=rng.choice(self.schools[venue_id])
                            if place == "school"
                            else None,
                            division_id=self.divisions[venue_id]
                            if place not in ("hall", "venue", "online")
                            else None,
                            status=status,
                            participants=None if online else rng.randint(low, high),
                            participants_approximate=rng.random() < 0.1,
                            online_viewers=rng.randint(500, 50_000) if online else None,
                            online_approximate=online and rng.random() < 0.5,
                            st_workers=rng.randint(1, 5) if rng.random() < 0.3 else 0,
                            st_workers_approximate=rng.random() < 0.05,
                        )
                    )
            self.save(Session, sessions)

    # Caravans ---------------------------------------------------------------------------------

    def make_caravans(self) -> None:
        from kepu.programs.models import Caravan, CaravanTrip, TripStop

        rng = self.rng
        owners = [
            v
            for v in self.venue_ids
            if self.kinds[v] == "caravan_base" or (self.kinds[v] == "museum" and rng.random() < 0.1)
        ]
        if self.report_venue_id not in owners:
            owners.append(self.report_venue_id)
        caravans = [
            Caravan(venue_id=venue_id, name=f"科普大篷车{number + 1}号", exhibits=30)
            for venue_id in owners
            for number in range(2 if self.kinds[venue_id] == "caravan_base" else 1)
        ]
        caravans = self.save(Caravan, caravans)
        trips: list[CaravanTrip] = []
        for caravan in caravans:
            for year in (self.year - 1, self.year):
                for number in range(rng.randint(3, 8)):
                    start = date(year, rng.randint(3, 11), rng.randint(1, 25))
                    trips.append(
                        CaravanTrip(
                            venue_id=caravan.venue_id,
                            caravan_id=caravan.pk,
                            title=f"{year}年第{number + 1}次巡展",
                            starts_on=start,
                            ends_on=start + timedelta(days=rng.randint(0, 4)),
                            km=Decimal(rng.randint(30, 900)),
                            km_approximate=rng.random() < 0.1,
                        )
                    )
        trips = self.save(CaravanTrip, trips)
        stops: list[TripStop] = []
        for trip in trips:
            for sequence in range(1, rng.randint(3, 6) + 1):
                at_school = rng.random() < 0.6
                stops.append(
                    TripStop(
                        trip_id=trip.pk,
                        sequence=sequence,
                        day=trip.starts_on,
                        place_kind="school" if at_school else "village",
                        name=f"第{sequence}站",
                        school_id=rng.choice(self.schools[trip.venue_id]) if at_school else None,
                        division_id=self.divisions[trip.venue_id],
                        people_served=rng.randint(100, 900),
                        people_approximate=rng.random() < 0.3,
                    )
                )
        self.save(TripStop, stops)

    # Everything else --------------------------------------------------------------------------

    def make_rest(self) -> None:
        from kepu.core.models import User
        from kepu.network.models import Alliance, Membership
        from kepu.programs.models import Competition, Exhibition
        from kepu.stats.models import Honour, ManualFigure, ReportKind, ReportText

        try:
            from kepu.stats.reports.sections import SECTIONS

            sections = {
                report: [(s.key, str(s.label)) for s in items] for report, items in SECTIONS.items()
            }
        except Exception:  # the reports are being written: a few sections of each
            sections = {
                report: [(key, key) for key in ("intro", "activities", "featured")]
                for report in ReportKind.values
            }

        rng = self.rng
        exhibitions: list[Exhibition] = []
        for venue_id in self.venue_ids:
            for year in (self.year - 1, self.year):
                for number in range(rng.randint(0, 3)):
                    start = date(year, rng.randint(1, 10), 1)
                    exhibitions.append(
                        Exhibition(
                            venue_id=venue_id,
                            hall_id=rng.choice(self.halls[venue_id]),
                            title=f"{year}年专题展{number + 1}",
                            starts_on=start,
                            ends_on=start + timedelta(days=rng.randint(20, 120)),
                            visitors=rng.randint(1000, 50_000),
                        )
                    )
        self.save(Exhibition, exhibitions)
        clerk = User.objects.create_user(username="bench-clerk", password=None)
        figures: list[ManualFigure] = []
        ranges = {
            "funding_cny": (50_000, 5_000_000),
            "staff_fulltime": (2, 120),
            "staff_parttime": (5, 300),
            "media_posts": (5, 800),
            "media_reads": (1000, 2_000_000),
        }
        for venue_id in self.venue_ids:
            for year in (self.year - 1, self.year):
                for key, (low, high) in ranges.items():
                    if rng.random() < 0.1 and venue_id != self.report_venue_id:
                        continue  # not entered
                    if key == "funding_cny" and rng.random() < 0.2:  # by quarter
                        periods = [
                            (date(year, q * 3 - 2, 1), date(year, q * 3, 30 if q in (2, 3) else 31))
                            for q in range(1, 5)
                        ]
                    else:
                        periods = [(date(year, 1, 1), date(year, 12, 31))]
                    for start, end in periods:
                        figures.append(
                            ManualFigure(
                                venue_id=venue_id,
                                key=key,
                                starts_on=start,
                                ends_on=end,
                                value=Decimal(rng.randint(low, high)),
                                approximate=rng.random() < 0.05,
                                entered_by=clerk,
                            )
                        )
        self.save(ManualFigure, figures)
        network = Alliance.objects.create(name="基准全国科技馆体系", short_name="体系")
        alliance = Alliance.objects.create(name="基准区域科技馆联盟", parent=network)
        members = [self.report_venue_id, *rng.sample(self.venue_ids[1:], self.args.alliance - 1)]
        self.alliance_ids = sorted(members)
        since = date(self.year - 3, 6, 1)
        memberships = [
            Membership(alliance=network, venue_id=venue_id, since=since)
            for venue_id in self.venue_ids
        ] + [
            Membership(
                alliance=alliance,
                venue_id=venue_id,
                since=since,
                role="chair" if venue_id == self.report_venue_id else "member",
            )
            for venue_id in self.alliance_ids
        ]
        self.save(Membership, memberships)
        venue_id = self.report_venue_id
        self.save(
            Honour,
            [
                Honour(
                    venue_id=venue_id,
                    awarded_on=date(self.year, 3 + i, 10),
                    title=title,
                    awarded_by="基准省科学技术协会",
                )
                for i, title in enumerate(["全国科普教育基地", "优秀科普场馆", "科普工作先进集体"])
            ],
        )
        self.save(
            Competition,
            [
                Competition(
                    venue_id=venue_id,
                    name="基准省青少年科技创新大赛",
                    starts_on=date(self.year, 4, 1),
                    ends_on=date(self.year, 6, 30),
                    regions=14,
                    organisations=320,
                    participants=12_000,
                    participants_approximate=True,
                )
            ],
        )
        texts = [
            ReportText(
                venue_id=venue_id,
                year=self.year,
                report=report,
                section=key,
                text="本馆" + label + "。" + "坚持公益属性,面向公众开展科普。" * 12,
            )
            for report, items in sections.items()
            for key, label in items
        ]
        self.save(ReportText, texts)


ZH_KIND = {
    "museum": "科技馆",
    "mobile_station": "流动科技馆站点",
    "caravan_base": "科普大篷车基地",
    "school_museum": "农村中学科技馆",
}


if __name__ == "__main__":
    sys.exit(main())
