"""Template filters: figures as Chinese reports write them, and small display helpers."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from kepu.core import numbers

register = template.Library()

WEEKDAY_NAMES = [
    _("Mon"),
    _("Tue"),
    _("Wed"),
    _("Thu"),
    _("Fri"),
    _("Sat"),
    _("Sun"),
]


@register.filter
def count(value: Any, approximate: bool = False) -> str:
    """{{ visits|count }} → 252.20万 in Chinese, 2,522,000 in English."""
    return numbers.format_count(value, approximate=bool(approximate))


@register.filter
def yuan(value: Any) -> str:
    return numbers.format_yuan(value)


@register.filter
def percent(value: Any) -> str:
    return numbers.format_percent(value)


@register.filter
def area(value: Any) -> str:
    return numbers.format_area(value)


@register.filter
def weekday_names(iso_weekdays: list[int]) -> str:
    separator = "、" if (get_language() or "zh").startswith("zh") else ", "
    return separator.join(str(WEEKDAY_NAMES[day - 1]) for day in iso_weekdays)


@register.simple_tag
def weekday_headers() -> list[str]:
    return [str(name) for name in WEEKDAY_NAMES]


@register.filter
def has(capabilities: Any, capability: str) -> bool:
    return capability in capabilities


INPUT_CLASSES = {
    "select": "form-select",
    "selectmultiple": "form-select",
    "checkbox": "form-check-input",
}


@register.filter
def control(field: Any) -> str:
    """A form field's widget with Bootstrap's classes and its error state."""
    css = INPUT_CLASSES.get(field.widget_type, "form-control")
    if field.errors:
        css += " is-invalid"
    attrs = {"class": css}
    if field.errors:
        attrs["aria-invalid"] = "true"
    return str(field.as_widget(attrs=attrs))
