"""Figures as Chinese reports write them, and as English readers expect them."""

from decimal import Decimal

import pytest
from django.utils import translation

from kepu.core.numbers import format_area, format_count, format_percent, format_yuan


@pytest.mark.parametrize(
    ("value", "chinese", "english"),
    [
        (2_522_000, "252.20万", "2,522,000"),
        (50_000, "5万", "50,000"),
        (73_200, "7.32万", "73,200"),
        (38_353, "3.84万", "38,353"),
        (9_876, "9876", "9,876"),
        (250_000_000, "2.50亿", "250,000,000"),
        (0, "0", "0"),
    ],
)
def test_counts(value: int, chinese: str, english: str) -> None:
    assert format_count(value, language="zh-hans") == chinese
    assert format_count(value, language="en") == english


def test_approximate_counts_keep_their_flag() -> None:
    with translation.override("zh-hans"):
        assert format_count(50_000, approximate=True) == "约5万"
    with translation.override("en"):
        assert format_count(50_000, approximate=True) == "about 50,000"


def test_money_as_in_the_institution_report() -> None:
    assert format_yuan(Decimal(631_000), language="zh-hans") == "63.1万元"
    assert format_yuan(Decimal(592_700), language="zh-hans") == "59.27万元"
    assert format_yuan(50_000, language="zh-hans") == "5万元"
    assert format_yuan(Decimal("9999.50"), language="zh-hans") == "9999.5元"
    assert format_yuan(Decimal(631_000), language="en") == "CNY 631,000"


def test_percent_and_area() -> None:
    assert format_percent(Decimal("213.4100")) == "213.41%"
    assert format_area(Decimal("1340.00")) == "1,340 m²"
    assert format_area(None) == "—"
