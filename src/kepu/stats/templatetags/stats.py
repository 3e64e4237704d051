from __future__ import annotations

from typing import Any

from django import template

from kepu.core.numbers import format_count, format_percent
from kepu.stats.indicators import INDICATORS, Value
from kepu.stats.reports.content import figure_text

register = template.Library()


@register.filter
def figure(value: Value | None, key: str = "") -> str:
    """An indicator's value as reports write it (约5万, 213.41%, 25万元)."""
    if value is None:
        return "—"
    unit = INDICATORS[key].unit if key in INDICATORS else ""
    return figure_text(value, unit)


@register.filter
def pick(figures: dict[str, Any] | None, key: str) -> Any:
    return (figures or {}).get(key)


@register.filter
def growth(value: Any) -> str:
    if value is None:
        return "—"
    return ("+" if value > 0 else "") + format_percent(value)


@register.filter
def ratio(value: Any) -> str:
    return "—" if value is None else format_count(value, places=2)


@register.filter
def share(value: Any, top: Any) -> int:
    """A bar's length in percent of the largest value."""
    try:
        return max(0, min(100, round(100 * float(value or 0) / float(top or 1))))
    except (TypeError, ValueError):
        return 0
