"""The opening calendar: open or closed on a day, why, and open days in a period."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.utils import translation

from kepu.network.models import (
    CalendarException,
    ExceptionKind,
    HolidayPolicy,
    OpeningPattern,
    Venue,
)
from kepu.network.opening import (
    DayReason,
    OpeningCalendar,
    holiday_info,
    holiday_periods,
    known_holiday_years,
)

WED_TO_SUN = OpeningPattern.mask_from_weekdays([3, 4, 5, 6, 7])


def pattern(
    valid_from: date = date(2015, 1, 1),
    weekdays: int = WED_TO_SUN,
    policy: str = HolidayPolicy.OPEN,
) -> OpeningPattern:
    return OpeningPattern(
        valid_from=valid_from,
        open_weekdays=weekdays,
        opens_at=time(9),
        closes_at=time(16, 30),
        holiday_policy=policy,
    )


def closure(
    start: date, end: date, reason: str = "闭馆", kind: str = ExceptionKind.CLOSURE
) -> CalendarException:
    return CalendarException(kind=kind, starts_on=start, ends_on=end, reason=reason)


def calendar(
    *patterns: OpeningPattern,
    exceptions: tuple[CalendarException, ...] = (),
    opened_on: date | None = None,
) -> OpeningCalendar:
    return OpeningCalendar(
        Venue(name="测试馆", opened_on=opened_on), list(patterns), list(exceptions)
    )


JIAN_2024_CLOSURES = (
    closure(date(2024, 2, 9), date(2024, 2, 10), "春节闭馆"),
    closure(date(2024, 7, 28), date(2024, 7, 28), "防汛闭馆"),
)


def test_jian_2024_has_265_open_days_as_its_report_says() -> None:
    cal = calendar(pattern(), exceptions=JIAN_2024_CLOSURES)
    summary = cal.summary(date(2024, 1, 1), date(2024, 12, 31))
    assert summary.open_days == 265
    assert summary.closed_days == 366 - 265
    # 52 Wednesday-to-Sunday weeks, 8 holidays on Mondays/Tuesdays opened, 3 announced closures.
    assert summary.by_reason[DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY] == 8
    assert summary.by_reason[DayReason.CLOSED_ANNOUNCED] == 3
    assert summary.holidays_known
    with translation.override("en"):
        assert summary.source == "265 open days from the opening calendar 2024-01-01..2024-12-31"
    with translation.override("zh-hans"):
        assert summary.source == "开放日历 2024-01-01 至 2024-12-31 共开放 265 天"


@pytest.mark.parametrize(
    ("day", "is_open", "reason"),
    [
        (date(2024, 3, 4), False, DayReason.CLOSED_WEEKLY),  # a Monday
        (date(2024, 3, 6), True, DayReason.OPEN_REGULAR),  # a Wednesday
        (date(2024, 10, 1), True, DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY),  # National Day, a Tuesday
        (date(2024, 10, 2), True, DayReason.OPEN_HOLIDAY),
        (date(2024, 2, 9), False, DayReason.CLOSED_ANNOUNCED),
        (date(2025, 1, 28), True, DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY),  # 2025's new Eve holiday
        (date(2025, 10, 8), True, DayReason.OPEN_HOLIDAY),  # the eighth day of 2025's Golden Week
    ],
)
def test_day_status_says_why(day: date, is_open: bool, reason: DayReason) -> None:
    status = calendar(pattern(), exceptions=JIAN_2024_CLOSURES).day(day)
    assert (status.is_open, status.reason) == (is_open, reason)


def test_adjusted_working_day_is_reported() -> None:
    status = calendar(pattern()).day(date(2024, 2, 4))  # a Sunday worked for Spring Festival
    assert status.is_open and status.reason == DayReason.OPEN_REGULAR
    assert status.adjusted_workday_for == "Spring Festival"
    with translation.override("zh-hans"):
        assert "春节调休上班日" in status.explanation
    with translation.override("en"):
        assert "adjusted working day for Spring Festival" in status.explanation


def test_explanations_in_both_languages() -> None:
    status = calendar(pattern()).day(date(2024, 10, 1))
    with translation.override("zh-hans"):
        assert status.explanation == "开放：国庆节假期（平日为闭馆日：展品维护保养）"
    with translation.override("en"):
        assert status.explanation == (
            "Open: National Day holiday (usually a closed day: Exhibit maintenance)"
        )


def test_closed_on_holidays_policy() -> None:
    cal = calendar(pattern(policy=HolidayPolicy.CLOSED))
    assert cal.day(date(2024, 10, 3)).reason == DayReason.CLOSED_HOLIDAY  # a Thursday
    assert not cal.day(date(2024, 10, 3)).is_open


def test_weekly_policy_ignores_holidays() -> None:
    cal = calendar(pattern(policy=HolidayPolicy.WEEKLY))
    assert cal.day(date(2024, 10, 1)).reason == DayReason.CLOSED_WEEKLY  # Tuesday stays closed
    assert cal.day(date(2024, 10, 3)).reason == DayReason.OPEN_HOLIDAY  # Thursday, open anyway


def test_special_opening_on_a_maintenance_day() -> None:
    special = closure(
        date(2024, 5, 20), date(2024, 5, 20), "科技活动周特别开放", ExceptionKind.SPECIAL_OPENING
    )
    status = calendar(pattern(), exceptions=(special,)).day(date(2024, 5, 20))  # a Monday
    assert status.is_open and status.reason == DayReason.OPEN_SPECIAL
    assert status.exception is special


def test_a_new_pattern_takes_over_from_its_date() -> None:
    every_day = OpeningPattern.mask_from_weekdays([1, 2, 3, 4, 5, 6, 7])
    cal = calendar(pattern(), pattern(valid_from=date(2024, 7, 1), weekdays=every_day))
    assert not cal.day(date(2024, 6, 24)).is_open  # Monday under the old pattern
    assert cal.day(date(2024, 7, 1)).is_open  # Monday under the new one


def test_before_opening_and_without_pattern() -> None:
    assert calendar(pattern(), opened_on=date(2024, 6, 1)).day(date(2024, 5, 1)).reason == (
        DayReason.CLOSED_NOT_YET_OPEN
    )
    assert calendar().day(date(2024, 5, 1)).reason == DayReason.CLOSED_NO_PATTERN


def test_unknown_holiday_year_still_answers_from_the_weekly_pattern() -> None:
    year = max(known_holiday_years()) + 1
    cal = calendar(pattern())
    first_wednesday = next(date(year, 1, d) for d in range(1, 8) if date(year, 1, d).weekday() == 2)
    status = cal.day(first_wednesday)
    assert status.is_open and not status.holidays_known
    summary = cal.summary(date(year, 1, 1), date(year, 12, 31))
    assert summary.unknown_holiday_years == [year]
    assert not summary.holidays_known
    assert summary.open_days == sum(
        1 for s in cal.days(date(year, 1, 1), date(year, 12, 31)) if s.day.weekday() >= 2
    )
    with translation.override("zh-hans"):
        assert f"{year}年法定节假日尚未公布" in status.explanation
    assert holiday_periods(year) == []


def test_holiday_info_distinguishes_holidays_workdays_and_weekends() -> None:
    assert holiday_info(date(2024, 10, 1)).holiday == "National Day"
    assert holiday_info(date(2024, 9, 29)).adjusted_workday_for == "National Day"
    ordinary_saturday = holiday_info(date(2024, 3, 9))
    assert ordinary_saturday.holiday is None and ordinary_saturday.adjusted_workday_for is None


def test_holiday_periods_of_2025() -> None:
    periods = {period.names[0]: period for period in holiday_periods(2025)}
    spring = periods["Spring Festival"]
    assert (spring.start, spring.end) == (date(2025, 1, 28), date(2025, 2, 4))
    assert spring.adjusted_workdays == (date(2025, 1, 26), date(2025, 2, 8))
    national = periods["National Day"]
    assert (national.start, national.end, national.days) == (
        date(2025, 10, 1),
        date(2025, 10, 8),
        8,
    )
    assert national.names == ("National Day", "Mid-autumn Festival")
    assert national.adjusted_workdays == (date(2025, 9, 28), date(2025, 10, 11))
    with translation.override("zh-hans"):
        assert national.label == "国庆节、中秋节"
