"""Version numbers in the shared cache, for what app processes remember of a record.

A process may keep a copy of something it reads on every request (a venue's booking rules, a
slot's seat pools) under the record's version; whoever changes the record bumps the version, and
every process reads afresh on its next request. The bump happens at once (the changing
transaction stops using its own copies) and again at commit (everyone else, once the change can
be seen): a process that read the old rows in between remembers them under the first bump only.
"""

from __future__ import annotations

from django.core.cache import cache
from django.db import transaction

# A venue's record, booking rules and seat pools, as the booking path remembers them.
BOOKING_SETUP = "booking-setup"


def _key(name: str, pk: int) -> str:
    return f"kepu:version:{name}:{pk}"


def current(name: str, pk: int) -> int:
    return int(cache.get(_key(name, pk), 0))


def bump(name: str, pk: int) -> None:
    def now() -> None:
        key = _key(name, pk)
        if not cache.add(key, 1, timeout=None):
            cache.incr(key)

    now()
    transaction.on_commit(now)
