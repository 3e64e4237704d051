"""Reporting periods: a year, a quarter, a month or a custom range of days."""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError

FIRST_YEAR = 1950
LAST_YEAR = 2100


@dataclass(frozen=True)
class Period:
    start: date
    end: date
    kind: str = "custom"  # year, quarter, month, custom

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ApplicationError.for_field("end", _("A period cannot end before it starts."))

    @classmethod
    def year(cls, year: int) -> Period:
        check_year(year)
        return cls(date(year, 1, 1), date(year, 12, 31), "year")

    @classmethod
    def quarter(cls, year: int, quarter: int) -> Period:
        check_year(year)
        if not 1 <= quarter <= 4:
            raise ApplicationError.for_field("period", _("A quarter is 1 to 4."))
        first = 3 * quarter - 2
        return cls(
            date(year, first, 1),
            date(year, first + 2, calendar.monthrange(year, first + 2)[1]),
            "quarter",
        )

    @classmethod
    def month(cls, year: int, month: int) -> Period:
        check_year(year)
        if not 1 <= month <= 12:
            raise ApplicationError.for_field("period", _("A month is 1 to 12."))
        return cls(
            date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1]), "month"
        )

    @classmethod
    def parse(cls, text: str) -> Period:
        """2024, 2024-Q2, 2024-05, or 2024-03-01..2024-06-30."""
        text = text.strip()
        try:
            if re.fullmatch(r"\d{4}", text):
                return cls.year(int(text))
            if match := re.fullmatch(r"(\d{4})-?[Qq]([1-4])", text):
                return cls.quarter(int(match[1]), int(match[2]))
            if match := re.fullmatch(r"(\d{4})-(\d{1,2})", text):
                return cls.month(int(match[1]), int(match[2]))
            if match := re.fullmatch(r"(\d{4}-\d{2}-\d{2})\s*\.\.\s*(\d{4}-\d{2}-\d{2})", text):
                return cls(date.fromisoformat(match[1]), date.fromisoformat(match[2]))
        except ValueError:
            pass
        raise ApplicationError.for_field(
            "period",
            _(
                "Give a year (2024), a quarter (2024-Q2), a month (2024-05) or a range of days "
                "(2024-03-01..2024-06-30)."
            ),
        )

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def label(self) -> str:
        if self.kind == "year":
            return _("%(year)s") % {"year": self.start.year}
        if self.kind == "quarter":
            return _("%(year)s Q%(quarter)s") % {
                "year": self.start.year,
                "quarter": (self.start.month + 2) // 3,
            }
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    @property
    def code(self) -> str:
        """The text ``parse`` reads back."""
        if self.kind == "year":
            return str(self.start.year)
        if self.kind == "quarter":
            return f"{self.start.year}-Q{(self.start.month + 2) // 3}"
        if self.kind == "month":
            return f"{self.start:%Y-%m}"
        return f"{self.start.isoformat()}..{self.end.isoformat()}"

    def year_earlier(self) -> Period:
        """The same period one year before (同比)."""
        return Period(shift_year(self.start, -1), shift_year(self.end, -1), self.kind)

    def previous(self) -> Period:
        """The period just before, of the same kind (上期): last year, last quarter, last month."""
        if self.kind == "year":
            return Period.year(self.start.year - 1)
        if self.kind == "quarter":
            quarter = (self.start.month + 2) // 3
            if quarter == 1:
                return Period.quarter(self.start.year - 1, 4)
            return Period.quarter(self.start.year, quarter - 1)
        if self.kind == "month":
            if self.start.month == 1:
                return Period.month(self.start.year - 1, 12)
            return Period.month(self.start.year, self.start.month - 1)
        end = self.start - timedelta(days=1)
        return Period(end - timedelta(days=self.days - 1), end)


def shift_year(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def check_year(year: int) -> int:
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise ApplicationError.for_field(
            "year",
            _("Give a year between %(first)s and %(last)s.")
            % {"first": FIRST_YEAR, "last": LAST_YEAR},
        )
    return year
