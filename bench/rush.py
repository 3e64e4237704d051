"""The booking rush: one day of 40,000 seats sold to hundreds of clients at once.

Stages the peak of a provincial museum (辽宁省科学技术馆: 38,353 visits on 1 May 2023): gunicorn
serves the real public booking endpoint (POST /api/v1/public/venues/{id}/bookings/) against
PostgreSQL, and CLIENTS concurrent clients, each booking distinct people (parties of 1–4, valid
resident ID numbers, an Idempotency-Key per request), buy the day until every slot is sold out.

Afterwards the database is the judge: seats sold per slot against capacity (oversold), every
booking the server acknowledged looked up by reference (lost), and responses counted by status.

Usage: .venv/bin/python bench/rush.py [--clients 500] [--slots 10] [--seats 4000]
           [--workers 4] [--threads 4] [--database postgresql://postgres@127.0.0.1:5432/kepu_bench]
Writes bench/results/rush.json. Needs PostgreSQL and (optionally) Redis on this machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import Counter
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "bench" / "results"
WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)


def resident_id(serial: int) -> str:
    born = date(1950, 1, 1) + timedelta(days=serial // 1000 % 20000)
    first = f"210112{born:%Y%m%d}{serial % 1000:03d}"
    return first + "10X98765432"[sum(int(d) * w for d, w in zip(first, WEIGHTS, strict=True)) % 11]


def environment(args: argparse.Namespace, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("KEPU_", "DJANGO_"))}
    env.update(
        {
            "KEPU_ENV": "production",
            "KEPU_SECRET_KEY": "bench-only-" + "k" * 50,
            "KEPU_DATA_KEY": "mF3k0cQ3Q6o3Qm1m2yX9sM0kYk0QnS3n8bN3rVbWw2I=",
            "KEPU_ALLOWED_HOSTS": "127.0.0.1,localhost",
            "KEPU_SECURE_SSL_REDIRECT": "0",
            "KEPU_LOG_LEVEL": "WARNING",
            "DATABASE_URL": args.database,
            "KEPU_BOOKING_RATE_PER_IP": "100000000/m",  # every client comes from 127.0.0.1 here
            "KEPU_HOME": str(RESULTS),
            "KEPU_STATIC_ROOT": str(RESULTS / "static"),  # no static files are asked for
            "PYTHONPATH": str(ROOT / "src"),
        }
    )
    if args.redis:
        env["REDIS_URL"] = args.redis
    return env


def prepare_database(args: argparse.Namespace, env: dict[str, str]) -> None:
    import psycopg

    base, name = args.database.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    run = [sys.executable, "-m", "kepu.cli"]
    subprocess.run([*run, "migrate", "--no-input", "-v0"], env=env, check=True)  # noqa: S603


SETUP = """
from datetime import time, timedelta
from django.utils import timezone
from kepu.network.models import Division, OpeningPattern, Venue
from kepu.visits.models import SlotTemplate, VisitRules
from kepu.visits.services.rules import slots_ensure
venue = Venue.objects.create(name="压力测试科技馆", kind="museum", level="provincial",
                             division=Division.objects.get(pk="210112"))
OpeningPattern.objects.create(venue=venue, valid_from=timezone.localdate() - timedelta(days=1),
                              open_weekdays=0b1111111, opens_at=time(0), closes_at=time(23, 59))
VisitRules.objects.create(venue=venue, booking_window_days=2, max_party_size=4,
                          max_minors_per_guardian=3)
for index in range({slots}):
    start = time(8 + index, 0) if 8 + index < 23 else time(23, 0)
    SlotTemplate.objects.create(venue=venue, name=f"第{{index + 1}}场", starts_at=start,
        ends_at=time(23, 59), weekday_capacity={seats}, holiday_capacity={seats})
day = timezone.localdate() + timedelta(days=1)
slots_ensure(venue, day, day)
print(venue.pk, day.isoformat())
"""


def create_venue(args: argparse.Namespace, env: dict[str, str]) -> tuple[int, str]:
    code = SETUP.format(slots=args.slots, seats=args.seats)
    output = subprocess.run(  # noqa: S603
        [sys.executable, "-m", "kepu.cli", "shell", "-c", code],
        env=env,
        check=True,
        capture_output=True,
        text=True,
    ).stdout.split()
    return int(output[-2]), output[-1]


def slot_ids(args: argparse.Namespace, venue_id: int) -> list[int]:
    import psycopg

    with psycopg.connect(args.database) as connection:
        rows = connection.execute(
            "SELECT id FROM visits_timeslot WHERE venue_id = %s ORDER BY starts_at", [venue_id]
        ).fetchall()
    return [row[0] for row in rows]


class Sale:
    """Shared state of the clients: which slots still take parties of which size."""

    def __init__(self, slots: list[int]) -> None:
        self.largest = dict.fromkeys(slots, 4)
        self.serial = 0
        self.latencies: list[float] = []
        self.statuses: Counter[str] = Counter()
        self.accepted: dict[str, tuple[int, int]] = {}  # reference -> (slot, party size)

    def open_slots(self) -> list[int]:
        return [slot for slot, largest in self.largest.items() if largest > 0]

    def next_people(self, size: int) -> list[dict[str, str]]:
        people = []
        for _ in range(size):
            self.serial += 1
            people.append(
                {
                    "name": f"游客{self.serial}",
                    "id_type": "resident_id",
                    "id_number": resident_id(self.serial),
                }
            )
        return people


async def client(
    sale: Sale, host: str, port: int, venue_id: int, rng: random.Random, stop: float
) -> None:
    path = f"/api/v1/public/venues/{venue_id}/bookings/"
    reader, writer = await asyncio.open_connection(host, port)
    try:
        while time.monotonic() < stop:
            open_slots = sale.open_slots()
            if not open_slots:
                return
            slot = rng.choice(open_slots)
            size = min(rng.choice([1, 2, 2, 3, 3, 4]), sale.largest[slot])
            body = json.dumps(
                {"slot": slot, "phone": "13812345678", "people": sale.next_people(size)},
                ensure_ascii=False,
            ).encode()
            request = (
                f"POST {path} HTTP/1.1\r\nHost: {host}:{port}\r\nContent-Type: application/json\r\n"
                f"Idempotency-Key: {uuid.uuid4().hex}\r\nContent-Length: {len(body)}\r\n\r\n"
            ).encode() + body
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:  # the server closed the connection: reconnect
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
                sale.statuses["closed"] += 1
                continue
            headers: dict[str, str] = {}
            while (line := await reader.readline()) not in (b"\r\n", b""):
                key, _, value = line.decode().partition(":")
                headers[key.strip().lower()] = value.strip()
            payload = await reader.readexactly(int(headers.get("content-length", "0")))
            sale.latencies.append(time.perf_counter() - started)
            status = int(status_line.split()[1])
            data = json.loads(payload) if payload else {}
            if status == 201:
                sale.accepted[data["reference"]] = (slot, size)
                sale.statuses["201"] += 1
            elif status == 409 and data.get("error", {}).get("code") == "sold_out":
                sale.largest[slot] = min(sale.largest[slot], size - 1)
                sale.statuses["409 sold_out"] += 1
            else:
                sale.statuses[f"{status} {data.get('error', {}).get('code', '')}".strip()] += 1
            if headers.get("connection", "").lower() == "close":
                writer.close()
                reader, writer = await asyncio.open_connection(host, port)
    finally:
        writer.close()


def rss_of_tree(root_pid: int) -> int:
    """Resident memory (bytes) of a process and its children, from /proc."""
    total = 0
    pids = {root_pid}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = (entry / "stat").read_text().split()
                if int(fields[3]) == root_pid:
                    pids.add(int(entry.name))
            except (OSError, IndexError, ValueError):
                continue
    for pid in pids:
        try:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
        except OSError:
            continue
    return total


def cpu_seconds(server: int) -> dict[str, float]:
    """CPU time (user + system) used so far by the server's processes, PostgreSQL, Redis and this
    client process, read from /proc (processes that ended since are not counted)."""
    tick = os.sysconf("SC_CLK_TCK")
    groups: Counter[str] = Counter()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            raw = (entry / "stat").read_text()
        except OSError:
            continue
        name = raw[raw.index("(") + 1 : raw.rindex(")")]
        fields = raw[raw.rindex(")") + 2 :].split()
        pid, parent = int(entry.name), int(fields[1])
        used = (int(fields[11]) + int(fields[12])) / tick
        if pid == os.getpid():
            groups["clients"] += used
        elif server in (pid, parent):
            groups["gunicorn"] += used
        elif name.startswith("postgres"):
            groups["postgresql"] += used
        elif name.startswith("redis"):
            groups["redis"] += used
    return dict(groups)


async def sell(
    args: argparse.Namespace, venue_id: int, slots: list[int], port: int, server: int
) -> dict[str, Any]:
    sale = Sale(slots)
    rng = random.Random(2023)
    peak_memory = 0

    async def watch() -> None:
        nonlocal peak_memory
        while True:
            peak_memory = max(peak_memory, rss_of_tree(server))
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch())
    cpu_before = cpu_seconds(server)
    started = time.monotonic()
    stop = started + args.time_limit
    await asyncio.gather(
        *(
            client(sale, "127.0.0.1", port, venue_id, random.Random(rng.random()), stop)
            for _ in range(args.clients)
        )
    )
    elapsed = time.monotonic() - started
    cpu_after = cpu_seconds(server)
    watcher.cancel()
    cpu = {k: round(v - cpu_before.get(k, 0.0), 1) for k, v in cpu_after.items()}
    return {"sale": sale, "elapsed": elapsed, "peak_memory": peak_memory, "cpu": cpu}


def judge(args: argparse.Namespace, venue_id: int, sale: Sale) -> dict[str, Any]:
    import psycopg

    with psycopg.connect(args.database) as connection:
        sold = dict(
            connection.execute(
                "SELECT slot_id, COALESCE(SUM(party_size), 0) FROM visits_booking "
                "WHERE venue_id = %s AND status = 'confirmed' GROUP BY slot_id",
                [venue_id],
            ).fetchall()
        )
        capacity = dict(
            connection.execute(
                "SELECT id, capacity FROM visits_timeslot WHERE venue_id = %s", [venue_id]
            ).fetchall()
        )
        stored = {
            row[0]
            for row in connection.execute(
                "SELECT reference FROM visits_booking WHERE venue_id = %s", [venue_id]
            ).fetchall()
        }
        people = connection.execute(
            "SELECT COUNT(*) FROM visits_bookingperson"
            " WHERE venue_id = %s AND status = 'confirmed'",
            [venue_id],
        ).fetchone()[0]
        negative = connection.execute(
            "SELECT COUNT(*) FROM visits_seatshard WHERE remaining < 0"
        ).fetchone()[0]
    oversold = sum(max(0, sold.get(slot, 0) - cap) for slot, cap in capacity.items())
    lost = [reference for reference in sale.accepted if reference not in stored]
    return {
        "seats": sum(capacity.values()),
        "seats_sold": sum(sold.values()),
        "people_rows": people,
        "oversold_seats": oversold,
        "bookings_lost": len(lost),
        "negative_shards": negative,
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--clients", type=int, default=500)
    parser.add_argument("--slots", type=int, default=10)
    parser.add_argument("--seats", type=int, default=4000)
    parser.add_argument("--workers", type=int, default=4)
    parser.add_argument("--threads", type=int, default=4)
    parser.add_argument("--worker-class", default="gthread", choices=["gthread", "sync"])
    parser.add_argument("--time-limit", type=float, default=300.0)
    parser.add_argument("--database", default="postgresql://postgres@127.0.0.1:5432/kepu_bench")
    parser.add_argument("--redis", default="redis://127.0.0.1:6379/5")
    parser.add_argument("--port", type=int, default=8099)
    parser.add_argument("--output", type=Path, default=RESULTS / "rush.json")
    args = parser.parse_args()
    (RESULTS / "static").mkdir(parents=True, exist_ok=True)
    env = environment(args, args.port)
    print("Preparing the database …", flush=True)
    prepare_database(args, env)
    venue_id, day = create_venue(args, env)
    slots = slot_ids(args, venue_id)
    if args.redis:
        subprocess.run(["redis-cli", "-u", args.redis, "FLUSHDB"], check=False, capture_output=True)  # noqa: S603,S607
    gunicorn = [
        sys.executable,
        "-m",
        "gunicorn",
        "kepu.wsgi",
        "--bind",
        f"127.0.0.1:{args.port}",
        "--workers",
        str(args.workers),
        "--threads",
        str(args.threads),
        "--worker-class",
        args.worker_class,
        "--backlog",
        "2048",
        "--keep-alive",
        "30",
        "--log-level",
        "warning",
    ]
    server = subprocess.Popen(gunicorn, env=env, cwd=ROOT)  # noqa: S603
    try:
        for _ in range(100):
            try:
                import urllib.request

                urllib.request.urlopen(f"http://127.0.0.1:{args.port}/healthz", timeout=2)
                break
            except OSError:
                time.sleep(0.3)
        print(
            f"Selling {args.slots} × {args.seats} seats on {day} to {args.clients} clients …",
            flush=True,
        )
        outcome = asyncio.run(sell(args, venue_id, slots, args.port, server.pid))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)
    sale: Sale = outcome["sale"]
    verdict = judge(args, venue_id, sale)
    latencies = sorted(sale.latencies)

    def percentile(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))] * 1000, 1)

    bookings = sale.statuses["201"]
    result = {
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
        "machine": f"{os.cpu_count()} cores"
        " (shared by gunicorn, PostgreSQL, Redis and the clients)",
        "clients": args.clients,
        "gunicorn": f"{args.workers} workers × {args.threads} threads ({args.worker_class})",
        "slots": args.slots,
        "seats": verdict["seats"],
        "seats_sold": verdict["seats_sold"],
        "sold_out_seconds": round(outcome["elapsed"], 1),
        "bookings": bookings,
        "bookings_per_second": round(bookings / outcome["elapsed"], 1),
        "seats_per_second": round(verdict["seats_sold"] / outcome["elapsed"], 1),
        "requests": len(latencies),
        "latency_ms": {
            "p50": percentile(0.50),
            "p95": percentile(0.95),
            "p99": percentile(0.99),
            "max": round(latencies[-1] * 1000, 1) if latencies else None,
            "mean": round(statistics.fmean(latencies) * 1000, 1) if latencies else None,
        },
        "responses": dict(sale.statuses),
        "errors_5xx": sum(n for status, n in sale.statuses.items() if status.startswith("5")),
        "oversold_seats": verdict["oversold_seats"],
        "bookings_lost": verdict["bookings_lost"],
        "negative_shards": verdict["negative_shards"],
        "people_rows": verdict["people_rows"],
        "peak_memory_mb": round(outcome["peak_memory"] / 2**20, 1),
        "cpu_seconds": outcome["cpu"],
        "cpu_ms_per_request": {
            k: round(v * 1000 / max(1, len(latencies)), 2) for k, v in outcome["cpu"].items()
        },
    }
    args.output.write_text(
        json.dumps(result, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    print(json.dumps(result, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
