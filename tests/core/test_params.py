"""The query parameters pages share: a year asked for, or a sensible one when it is unusable."""

import pytest
import time_machine
from django.test import RequestFactory

from kepu.core.params import year_param


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"year": "2024"}, 2024),
        ({}, 2026),
        ({"year": ""}, 2026),
        ({"year": "last"}, 2026),
        ({"year": "1999"}, 2026),
        ({"year": "2101"}, 2026),
    ],
)
@time_machine.travel("2026-05-01 12:00 +08:00", tick=False)
def test_a_year_asked_for_or_this_year(query: dict[str, str], expected: int) -> None:
    assert year_param(RequestFactory().get("/", query)) == expected


@time_machine.travel("2026-05-01 12:00 +08:00", tick=False)
def test_a_page_may_choose_its_own_fallback_name_and_range() -> None:
    request = RequestFactory().get("/", {"year": "1960", "since": "1960"})
    assert year_param(request, default=2025, first=1950, last=2100) == 1960
    assert year_param(request, default=2025) == 2025  # 1960 is before 2000
    assert year_param(request, "since", first=1950) == 1960
    assert year_param(RequestFactory().get("/"), default=2025) == 2025
