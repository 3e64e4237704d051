"""The opening calendar: is a venue open on a day, and why; how many open days in a period.

The answer combines, in this order: announced closures and special openings, the venue's opening
date, China's statutory holidays (per the venue's holiday policy), and the weekly pattern in force.
Statutory holidays and adjusted working days come from the chinesecalendar package, which knows
only the years the State Council has announced; for a later year the calendar answers from the
weekly pattern and says so (``holidays_known`` is False) instead of failing.
"""

from __future__ import annotations

import enum
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, time, timedelta
from functools import cache, lru_cache

import chinese_calendar
from chinese_calendar import constants as holiday_constants
from django.core.cache import cache as shared_cache
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from kepu.network.models import (
    CalendarException,
    ExceptionKind,
    HolidayPolicy,
    OpeningPattern,
    Venue,
)

# chinesecalendar's holiday names, as the public knows them.
HOLIDAY_NAMES: dict[str, Promise] = {
    "New Year's Day": gettext_lazy("New Year's Day"),
    "Spring Festival": gettext_lazy("Spring Festival"),
    "Tomb-sweeping Day": gettext_lazy("Tomb-sweeping Day"),
    "Labour Day": gettext_lazy("Labour Day"),
    "Dragon Boat Festival": gettext_lazy("Dragon Boat Festival"),
    "National Day": gettext_lazy("National Day"),
    "Mid-autumn Festival": gettext_lazy("Mid-autumn Festival"),
    "Anti-Fascist 70th Day": gettext_lazy("Victory Day (70th anniversary)"),
}


def holiday_label(name: str) -> str:
    return str(HOLIDAY_NAMES.get(name, name))


@cache
def known_holiday_years() -> frozenset[int]:
    """The years whose statutory holidays the installed chinesecalendar knows."""
    return frozenset(day.year for day in holiday_constants.holidays)


@dataclass(frozen=True)
class HolidayInfo:
    known: bool
    holiday: str | None = None  # a statutory holiday (chinesecalendar's English name)
    adjusted_workday_for: str | None = None  # a weekend day worked to make up for a holiday


@lru_cache(maxsize=8192)
def holiday_info(day: date) -> HolidayInfo:
    if day.year not in known_holiday_years():
        return HolidayInfo(known=False)
    is_day_off, name = chinese_calendar.get_holiday_detail(day)
    if is_day_off and name:
        return HolidayInfo(known=True, holiday=name)
    if not is_day_off and name:
        return HolidayInfo(known=True, adjusted_workday_for=name)
    return HolidayInfo(known=True)


class DayReason(enum.StrEnum):
    OPEN_REGULAR = "open_regular"
    OPEN_HOLIDAY = "open_holiday"
    OPEN_HOLIDAY_ON_CLOSED_DAY = "open_holiday_on_closed_day"
    OPEN_SPECIAL = "open_special"
    CLOSED_WEEKLY = "closed_weekly"
    CLOSED_HOLIDAY = "closed_holiday"
    CLOSED_ANNOUNCED = "closed_announced"
    CLOSED_NO_PATTERN = "closed_no_pattern"
    CLOSED_NOT_YET_OPEN = "closed_not_yet_open"


REASON_LABELS: dict[DayReason, Promise] = {
    DayReason.OPEN_REGULAR: gettext_lazy("Open"),
    DayReason.OPEN_HOLIDAY: gettext_lazy("Open on a statutory holiday"),
    DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY: gettext_lazy(
        "Open on a statutory holiday that falls on a closed day"
    ),
    DayReason.OPEN_SPECIAL: gettext_lazy("Special opening"),
    DayReason.CLOSED_WEEKLY: gettext_lazy("Weekly closed day"),
    DayReason.CLOSED_HOLIDAY: gettext_lazy("Closed for a statutory holiday"),
    DayReason.CLOSED_ANNOUNCED: gettext_lazy("Announced closure"),
    DayReason.CLOSED_NO_PATTERN: gettext_lazy("No opening hours set"),
    DayReason.CLOSED_NOT_YET_OPEN: gettext_lazy("Not yet opened"),
}


@dataclass(frozen=True)
class DayStatus:
    day: date
    is_open: bool
    reason: DayReason
    holidays_known: bool
    holiday: str | None = None
    adjusted_workday_for: str | None = None
    pattern: OpeningPattern | None = None
    exception: CalendarException | None = None

    @property
    def opens_at(self) -> time | None:
        return self.pattern.opens_at if self.is_open and self.pattern else None

    @property
    def closes_at(self) -> time | None:
        return self.pattern.closes_at if self.is_open and self.pattern else None

    @property
    def reason_label(self) -> str:
        return str(REASON_LABELS[self.reason])

    @property
    def explanation(self) -> str:
        """One sentence in the active language: why the venue is open or closed that day."""
        holiday = holiday_label(self.holiday) if self.holiday else ""
        closed_reason = self.pattern.get_closed_day_reason_display() if self.pattern else ""
        exception_reason = self.exception.display_reason if self.exception else ""
        match self.reason:
            case DayReason.OPEN_REGULAR if self.adjusted_workday_for:
                text = _("Open (an adjusted working day for %(holiday)s)") % {
                    "holiday": holiday_label(self.adjusted_workday_for)
                }
            case DayReason.OPEN_REGULAR:
                text = _("Open")
            case DayReason.OPEN_HOLIDAY:
                text = _("Open: %(holiday)s holiday") % {"holiday": holiday}
            case DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY:
                text = _("Open: %(holiday)s holiday (usually a closed day: %(reason)s)") % {
                    "holiday": holiday,
                    "reason": closed_reason,
                }
            case DayReason.OPEN_SPECIAL:
                text = _("Special opening: %(reason)s") % {"reason": exception_reason}
            case DayReason.CLOSED_WEEKLY:
                text = _("Closed: %(reason)s") % {"reason": closed_reason}
            case DayReason.CLOSED_HOLIDAY:
                text = _("Closed: %(holiday)s holiday") % {"holiday": holiday}
            case DayReason.CLOSED_ANNOUNCED:
                text = _("Closed: %(reason)s") % {"reason": exception_reason}
            case DayReason.CLOSED_NO_PATTERN:
                text = _("Closed: no opening hours have been set for this date")
            case DayReason.CLOSED_NOT_YET_OPEN:
                text = _("Closed: the venue had not opened yet")
        if not self.holidays_known:
            text += " " + unknown_holidays_note(self.day.year)
        return text


def unknown_holidays_note(year: int) -> str:
    return _(
        "(The statutory holidays of %(year)s are not yet known; this follows the weekly pattern.)"
    ) % {"year": year}


@dataclass
class PeriodSummary:
    start: date
    end: date
    open_days: int = 0
    closed_days: int = 0
    by_reason: Counter[DayReason] = field(default_factory=Counter)
    unknown_holiday_years: list[int] = field(default_factory=list)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def holidays_known(self) -> bool:
        return not self.unknown_holiday_years

    @property
    def source(self) -> str:
        """Provenance, as reports quote it."""
        return _("%(count)s open days from the opening calendar %(start)s..%(end)s") % {
            "count": self.open_days,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
        }


def date_range(start: date, end: date) -> Iterator[date]:
    for offset in range((end - start).days + 1):
        yield start + timedelta(days=offset)


class OpeningCalendar:
    """A venue's calendar over the patterns and exceptions given (load them once per period)."""

    def __init__(
        self,
        venue: Venue,
        patterns: Sequence[OpeningPattern],
        exceptions: Sequence[CalendarException],
    ) -> None:
        self.venue = venue
        self.patterns = sorted(patterns, key=lambda pattern: pattern.valid_from)
        self.exceptions = sorted(exceptions, key=lambda exception: exception.starts_on)

    @classmethod
    def for_venue(cls, venue: Venue, start: date, end: date) -> OpeningCalendar:
        patterns = list(venue.opening_patterns.filter(valid_from__lte=end))
        exceptions = list(venue.calendar_exceptions.filter(starts_on__lte=end, ends_on__gte=start))
        return cls(venue, patterns, exceptions)

    def pattern_on(self, day: date) -> OpeningPattern | None:
        current = None
        for pattern in self.patterns:
            if pattern.valid_from <= day:
                current = pattern
            else:
                break
        return current

    def exception_on(self, day: date) -> CalendarException | None:
        # A closure outranks a special opening if both were entered for the same day.
        found = [e for e in self.exceptions if e.starts_on <= day <= e.ends_on]
        found.sort(key=lambda e: e.kind != ExceptionKind.CLOSURE)
        return found[0] if found else None

    def day(self, day: date) -> DayStatus:
        info = holiday_info(day)
        pattern = self.pattern_on(day)
        exception = self.exception_on(day)
        is_open, reason = self._decide(day, info, pattern, exception)
        return DayStatus(
            day=day,
            is_open=is_open,
            reason=reason,
            holidays_known=info.known,
            holiday=info.holiday,
            adjusted_workday_for=info.adjusted_workday_for,
            pattern=pattern,
            exception=exception,
        )

    def _decide(
        self,
        day: date,
        info: HolidayInfo,
        pattern: OpeningPattern | None,
        exception: CalendarException | None,
    ) -> tuple[bool, DayReason]:
        if exception is not None:
            if exception.kind == ExceptionKind.SPECIAL_OPENING:
                return True, DayReason.OPEN_SPECIAL
            return False, DayReason.CLOSED_ANNOUNCED
        if self.venue.opened_on and day < self.venue.opened_on:
            return False, DayReason.CLOSED_NOT_YET_OPEN
        if pattern is None:
            return False, DayReason.CLOSED_NO_PATTERN
        weekly_open = pattern.is_open_weekday(day.weekday())
        if info.holiday and pattern.holiday_policy == HolidayPolicy.OPEN:
            if weekly_open:
                return True, DayReason.OPEN_HOLIDAY
            return True, DayReason.OPEN_HOLIDAY_ON_CLOSED_DAY
        if info.holiday and pattern.holiday_policy == HolidayPolicy.CLOSED:
            return False, DayReason.CLOSED_HOLIDAY
        if weekly_open:
            return True, DayReason.OPEN_HOLIDAY if info.holiday else DayReason.OPEN_REGULAR
        return False, DayReason.CLOSED_WEEKLY

    def days(self, start: date, end: date) -> list[DayStatus]:
        return [self.day(day) for day in date_range(start, end)]

    def summary(self, start: date, end: date) -> PeriodSummary:
        summary = PeriodSummary(start=start, end=end)
        unknown: set[int] = set()
        for status in self.days(start, end):
            summary.by_reason[status.reason] += 1
            if status.is_open:
                summary.open_days += 1
            else:
                summary.closed_days += 1
            if not status.holidays_known:
                unknown.add(status.day.year)
        summary.unknown_holiday_years = sorted(unknown)
        return summary


@dataclass(frozen=True)
class HolidayPeriod:
    """One consecutive statutory break; it may join two holidays (2025: National Day with
    Mid-autumn Festival), with the weekend days worked to make up for it."""

    names: tuple[str, ...]
    start: date
    end: date
    adjusted_workdays: tuple[date, ...]

    @property
    def label(self) -> str:
        return (
            "、".join(holiday_label(name) for name in self.names)
            if (get_language() or "zh").startswith("zh")
            else " & ".join(holiday_label(name) for name in self.names)
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1


def holiday_periods(year: int) -> list[HolidayPeriod]:
    """The statutory breaks of a year with their adjusted working days (empty if unknown)."""
    if year not in known_holiday_years():
        return []
    runs: list[tuple[list[str], date, date]] = []
    for day in date_range(date(year, 1, 1), date(year, 12, 31)):
        name = holiday_info(day).holiday
        if not name:
            continue
        if runs and runs[-1][2] == day - timedelta(days=1):
            names, start, _end = runs[-1]
            runs[-1] = (names if name in names else [*names, name], start, day)
        else:
            runs.append(([name], day, day))
    workdays: list[tuple[date, str]] = []
    for day in date_range(date(year - 1, 12, 1), date(year + 1, 1, 31)):
        if day.year in known_holiday_years():
            made_up_for = holiday_info(day).adjusted_workday_for
            if made_up_for:
                workdays.append((day, made_up_for))
    return [
        HolidayPeriod(
            names=tuple(names),
            start=start,
            end=end,
            adjusted_workdays=tuple(
                day
                for day, name in workdays
                if name in names and (start - timedelta(days=21)) <= day <= end + timedelta(days=21)
            ),
        )
        for names, start, end in runs
    ]


def is_rest_day(day: date) -> bool:
    """A statutory holiday, or a weekend day that is not an adjusted working day.

    Venues publish larger capacities for such days ("weekends and holidays"). For a year whose
    holidays are not announced yet, weekends count and holidays cannot.
    """
    info = holiday_info(day)
    if info.holiday:
        return True
    if info.adjusted_workday_for:
        return False
    return day.weekday() >= 5


def add_working_days(start: date, days: int) -> date:
    """The date ``days`` working days after ``start`` (adjusted working days count as working)."""
    current, counted = start, 0
    while counted < days:
        current += timedelta(days=1)
        if not is_rest_day(current):
            counted += 1
    return current


def calendar_version(venue_id: int) -> int:
    """A number that changes whenever the venue's calendar changes (for cached answers)."""
    return int(shared_cache.get(f"kepu:calendar-version:{venue_id}", 0))


def bump_calendar_version(venue_id: int) -> None:
    key = f"kepu:calendar-version:{venue_id}"
    if not shared_cache.add(key, 1, timeout=None):
        shared_cache.incr(key)
