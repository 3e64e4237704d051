"""Seat pools: taking and giving back places without ever overselling, under any concurrency.

A pool's places are split over shards (rows). Taking ``n`` places, inside the caller's
transaction:

* PostgreSQL — one statement picks a random shard that has ``n`` left and is not locked by
  another booking (``FOR UPDATE SKIP LOCKED``) and decrements it. Concurrent bookings therefore
  land on different rows instead of queueing on one. Only when no single free shard can serve
  (the end of a sale, a large party) does the booking lock every shard of the pool in id order
  and take across them. Pools are always visited in id order, so two bookings never wait on
  each other in a cycle; a failed pick first lets go of any shard it locked (a savepoint).
* SQLite — writers are serialised by ``BEGIN IMMEDIATE`` (settings), so reading the shards and
  updating them in the same transaction is safe.

Whatever the code does, the database refuses a shard below zero (``shard_never_oversold``).
Row locks are held only for the booking's own short transaction.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import date

from django.db import connection
from django.db.models import Sum
from django.utils.translation import gettext as _

from kepu.core import versions
from kepu.core.errors import ConflictError
from kepu.visits.models import PoolKind, SeatPool, SeatShard, TimeSlot

MAX_SHARDS = 16
PLACES_PER_SHARD = 250


class SoldOut(ConflictError):
    default_code = "sold_out"


def bump_pools_version(venue_id: int) -> None:
    versions.bump(versions.BOOKING_SETUP, venue_id)


def shard_count(capacity: int) -> int:
    if connection.vendor != "postgresql":
        return 1
    return max(1, min(MAX_SHARDS, capacity // PLACES_PER_SHARD))


def pool_create(
    *, venue_id: int, day: date, kind: str, capacity: int, slot: TimeSlot | None = None
) -> SeatPool:
    pool = SeatPool.objects.create(
        venue_id=venue_id, date=day, slot=slot, kind=kind, capacity=capacity
    )
    shards = shard_count(capacity)
    base, extra = divmod(capacity, shards)
    SeatShard.objects.bulk_create(
        SeatShard(venue_id=venue_id, pool=pool, number=i, remaining=base + (i < extra))
        for i in range(shards)
    )
    bump_pools_version(venue_id)
    return pool


def _take_one_shard(pool_id: int, places: int) -> bool:
    with connection.cursor() as cursor:
        # Locking picks a shard and then checks it again: a shard whose places went meanwhile
        # fails the check but stays locked. Carried into the path across shards, such a lock
        # is out of id order and can close a cycle with another booking there (seen once in
        # the concurrency test: a deadlock). So a failed attempt lets go of what it locked.
        cursor.execute("SAVEPOINT kepu_one_shard")
        cursor.execute(
            """
            UPDATE visits_seatshard SET remaining = remaining - %s
            WHERE remaining >= %s AND id = (
                SELECT id FROM visits_seatshard
                WHERE pool_id = %s AND remaining >= %s
                ORDER BY random() LIMIT 1
                FOR UPDATE SKIP LOCKED
            )
            RETURNING id
            """,
            [places, places, pool_id, places],
        )
        if cursor.fetchone() is not None:
            return True  # the savepoint goes with the transaction
        cursor.execute("ROLLBACK TO SAVEPOINT kepu_one_shard")
        return False


def _take_across_shards(pool_id: int, places: int) -> bool:
    shards = list(SeatShard.objects.select_for_update().filter(pool_id=pool_id).order_by("id"))
    if sum(shard.remaining for shard in shards) < places:
        return False
    still = places
    for shard in shards:
        used = min(shard.remaining, still)
        if used:
            shard.remaining -= used
            still -= used
    SeatShard.objects.bulk_update(shards, ["remaining"])
    return True


def take(pool_ids: Sequence[int], places: int) -> None:
    """Take ``places`` from every pool given, or raise SoldOut (the caller's transaction rolls
    back whatever was taken). Call inside ``transaction.atomic``."""
    for pool_id in sorted(set(pool_ids)):
        if connection.vendor == "postgresql" and _take_one_shard(pool_id, places):
            continue
        if not _take_across_shards(pool_id, places):
            raise SoldOut(_("Sorry, there are not enough places left."))


def give_back(pool_ids: Iterable[int], places: int) -> None:
    """Return places to pools (a cancellation, a declined group, an expired offer)."""
    for pool_id in sorted(set(pool_ids)):
        shard = (
            SeatShard.objects.select_for_update(skip_locked=connection.vendor == "postgresql")
            .filter(pool_id=pool_id)
            .order_by("remaining", "id")
            .first()
        )
        if shard is None:  # every shard is busy right now (or the pool is gone): wait for one
            shards = SeatShard.objects.select_for_update().filter(pool_id=pool_id)
            shard = shards.order_by("id").first()
            if shard is None:
                continue  # a daily cap that was lifted: nothing to give back to
        SeatShard.objects.filter(pk=shard.pk).update(remaining=shard.remaining + places)


def resize(pool: SeatPool, capacity: int) -> None:
    """Change a pool's capacity; refused below the places already taken."""
    shards = list(SeatShard.objects.select_for_update().filter(pool=pool).order_by("id"))
    remaining = sum(shard.remaining for shard in shards)
    taken = pool.capacity - remaining
    if capacity < taken:
        raise ConflictError(
            _("%(taken)s places are booked already; the capacity cannot be lower.")
            % {"taken": taken},
            fields={"capacity": [_("Lower than the places already booked.")]},
        )
    delta = capacity - pool.capacity
    if delta >= 0:
        shards[0].remaining += delta
    else:
        still = -delta
        for shard in shards:
            used = min(shard.remaining, still)
            shard.remaining -= used
            still -= used
    SeatShard.objects.bulk_update(shards, ["remaining"])
    SeatPool.objects.filter(pk=pool.pk).update(capacity=capacity)
    pool.capacity = capacity


def remaining_by_pool(pool_ids: Iterable[int]) -> dict[int, int]:
    rows = (
        SeatShard.objects.filter(pool_id__in=list(pool_ids))
        .values("pool_id")
        .annotate(left=Sum("remaining"))
    )
    return {row["pool_id"]: row["left"] or 0 for row in rows}


def day_pool(venue_id: int, day: date) -> SeatPool | None:
    return SeatPool.objects.filter(venue_id=venue_id, date=day, kind=PoolKind.DAY).first()


def taken_on(venue_id: int, day: date) -> int:
    """Places taken on a day from the slots' pools (bookings, groups, offers held)."""
    row = SeatShard.objects.filter(
        pool__venue_id=venue_id, pool__date=day, pool__slot__isnull=False
    ).aggregate(left=Sum("remaining"))
    capacity = SeatPool.objects.filter(venue_id=venue_id, date=day, slot__isnull=False).aggregate(
        places=Sum("capacity")
    )
    return (capacity["places"] or 0) - (row["left"] or 0)


def daily_cap_apply(venue_id: int, day: date, cap: int | None) -> None:
    """Make the day's cap pool agree with a new daily cap (None lifts the cap).

    A new cap counts what the day's slots have given out already; a cap lower than that is
    refused, like any capacity below the places taken.
    """
    pool = (
        SeatPool.objects.select_for_update()
        .filter(venue_id=venue_id, date=day, kind=PoolKind.DAY)
        .first()
    )
    if cap is None:
        if pool is not None:
            pool.delete()
            bump_pools_version(venue_id)
        return
    taken = taken_on(venue_id, day)
    if cap < taken:
        raise ConflictError(
            _("%(taken)s places are booked already on %(day)s; the daily cap cannot be lower.")
            % {"taken": taken, "day": day.isoformat()},
            fields={"daily_cap": [_("Lower than the places already booked on a day.")]},
        )
    if pool is not None:
        resize(pool, cap)
        return
    pool = pool_create(venue_id=venue_id, day=day, kind=PoolKind.DAY, capacity=cap)
    shards = list(SeatShard.objects.filter(pool=pool).order_by("id"))
    for shard in shards:
        used = min(shard.remaining, taken)
        shard.remaining -= used
        taken -= used
    SeatShard.objects.bulk_update(shards, ["remaining"])
