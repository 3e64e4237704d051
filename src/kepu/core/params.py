"""Query parameters that many pages read the same way. A missing or unusable value falls back to
a default instead of failing: a bookmarked or hand-typed link should still show a page."""

from __future__ import annotations

from django.http import HttpRequest
from django.utils import timezone


def year_param(
    request: HttpRequest,
    name: str = "year",
    *,
    default: int | None = None,
    first: int = 2000,
    last: int = 2100,
) -> int:
    """The year in ``?year=`` (or ``?<name>=``) if it is a whole number from ``first`` to
    ``last``; otherwise ``default``, which is this year unless given."""
    fallback = timezone.localdate().year if default is None else default
    try:
        year = int(request.GET.get(name, ""))
    except ValueError:
        return fallback
    return year if first <= year <= last else fallback
