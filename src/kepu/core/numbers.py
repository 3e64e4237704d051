"""Figures written the way Chinese reports write them: 252.20万人次, 约5万, 213.41%.

In English the same figures use thousands separators ("2,522,000", "about 50,000").
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

Number = int | float | Decimal

WAN = Decimal(10_000)
YI = Decimal(100_000_000)


def _is_chinese(language: str | None) -> bool:
    return (language or get_language() or "zh-hans").lower().startswith("zh")


def _fixed(value: Decimal, places: int, strip_zeros: bool) -> str:
    quantum = Decimal(1).scaleb(-places)
    text = f"{value.quantize(quantum, rounding=ROUND_HALF_UP):f}"
    if strip_zeros and "." in text:
        text = text.rstrip("0").rstrip(".")
    return text


def format_count(
    value: Number | None,
    *,
    approximate: bool = False,
    places: int = 2,
    strip_zeros: bool = False,
    language: str | None = None,
) -> str:
    """A count as reports write it: 2522000 → 252.20万; 50000 → 5万; 9876 → 9876."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if _is_chinese(language):
        magnitude = abs(number)
        if magnitude >= YI:
            scaled, unit = number / YI, "亿"
        elif magnitude >= WAN:
            scaled, unit = number / WAN, "万"
        else:
            scaled, unit = number, ""
        if scaled == scaled.to_integral_value():
            text = f"{scaled.to_integral_value():f}"
        else:
            text = _fixed(scaled, places if unit else 2, strip_zeros or not unit)
        text += unit
    else:
        if number == number.to_integral_value():
            text = f"{int(number):,}"
        else:
            text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    if approximate:
        text = _("about %(figure)s") % {"figure": text}
    return text


def format_yuan(value: Number | None, *, language: str | None = None) -> str:
    """Money as reports write it: 631000 → 63.1万元 (in English: CNY 631,000)."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    if _is_chinese(language):
        if abs(number) >= WAN:
            return _fixed(number / WAN, 4, True) + "万元"
        return _fixed(number, 2, True) + "元"
    text = f"{number.quantize(Decimal('0.01'), rounding=ROUND_HALF_UP):,}"
    return "CNY " + (text[:-3] if text.endswith(".00") else text)


def format_percent(value: Number | None, *, places: int = 2) -> str:
    if value is None:
        return "—"
    return _fixed(Decimal(str(value)), places, False) + "%"


def format_area(value: Number | None) -> str:
    """Floor area in square metres, without needless decimals: 1340 m²."""
    if value is None:
        return "—"
    number = Decimal(str(value))
    text = (
        f"{number.to_integral_value():,}"
        if number == number.to_integral_value()
        else (f"{number.quantize(Decimal('0.01')):,}")
    )
    return f"{text} m²"
