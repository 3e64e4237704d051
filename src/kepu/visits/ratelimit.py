"""Abuse control at the booking endpoints, so a script cannot hoard a day.

Two limits, both counted in the shared cache: requests per client address, and bookings per ID
number (keyed by the ID's hash, so the cache never holds the number itself).
"""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from kepu.core import crypto
from kepu.core.errors import RateLimitedError
from kepu.visits.identity import normalise_number


def check_booking_rate(request: HttpRequest, id_numbers: Iterable[str]) -> None:
    if not settings.RATELIMIT_ENABLE:
        return
    if is_ratelimited(
        request,
        group="kepu.booking.ip",
        key="ip",
        rate=settings.KEPU_BOOKING_RATE_PER_IP,
        method=ALL,
        increment=True,
    ):
        raise RateLimitedError(_("Too many booking attempts from your network; try again shortly."))
    for number in {normalise_number(n) for n in id_numbers if n.strip()}:
        digest = crypto.blind_index(number, purpose="ratelimit")
        if is_ratelimited(
            request,
            group="kepu.booking.id",
            key=lambda _group, _request, d=digest: d,
            rate=settings.KEPU_BOOKING_RATE_PER_ID,
            method=ALL,
            increment=True,
        ):
            raise RateLimitedError(_("Too many booking attempts for one ID; try again later."))
