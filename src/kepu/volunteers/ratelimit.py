"""Abuse control on the public application form: per client address and per ID number (the
ID's keyed hash, so the cache never holds the number itself)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_ratelimit import ALL
from django_ratelimit.core import is_ratelimited

from kepu.core import crypto
from kepu.core.errors import RateLimitedError
from kepu.visits.identity import normalise_number


def check_application_rate(request: HttpRequest, id_number: str) -> None:
    if not settings.RATELIMIT_ENABLE:
        return
    if is_ratelimited(
        request,
        group="kepu.volunteers.apply.ip",
        key="ip",
        rate=settings.KEPU_BOOKING_RATE_PER_IP,
        method=ALL,
        increment=True,
    ):
        raise RateLimitedError(_("Too many applications from your network; try again shortly."))
    number = normalise_number(id_number)
    if not number:
        return
    digest = crypto.blind_index(number, purpose="ratelimit")
    if is_ratelimited(
        request,
        group="kepu.volunteers.apply.id",
        key=lambda _group, _request: digest,
        rate=settings.KEPU_BOOKING_RATE_PER_ID,
        method=ALL,
        increment=True,
    ):
        raise RateLimitedError(_("Too many applications for one ID; try again later."))
