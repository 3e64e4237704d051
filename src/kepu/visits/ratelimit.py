"""Abuse control at the public forms (bookings, volunteer applications), so a script cannot
hoard a day or flood a venue with applications.

Two limits, both counted in the shared cache: requests per client address, and requests per ID
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


def check_rate(
    request: HttpRequest,
    id_numbers: Iterable[str],
    *,
    group: str,
    from_network: str,
    for_one_id: str,
) -> None:
    """Refuse (RateLimitedError with the message given) once the client's address or one of the
    ID numbers has sent more than its rate; counted in the cache groups ``group``.ip/.id."""
    if not settings.RATELIMIT_ENABLE:
        return
    if is_ratelimited(
        request,
        group=f"{group}.ip",
        key="ip",
        rate=settings.KEPU_BOOKING_RATE_PER_IP,
        method=ALL,
        increment=True,
    ):
        raise RateLimitedError(from_network)
    for number in {normalise_number(n) for n in id_numbers} - {""}:
        digest = crypto.blind_index(number, purpose="ratelimit")
        if is_ratelimited(
            request,
            group=f"{group}.id",
            key=lambda _group, _request, d=digest: d,
            rate=settings.KEPU_BOOKING_RATE_PER_ID,
            method=ALL,
            increment=True,
        ):
            raise RateLimitedError(for_one_id)


def check_booking_rate(request: HttpRequest, id_numbers: Iterable[str]) -> None:
    check_rate(
        request,
        id_numbers,
        group="kepu.booking",
        from_network=_("Too many booking attempts from your network; try again shortly."),
        for_one_id=_("Too many booking attempts for one ID; try again later."),
    )
