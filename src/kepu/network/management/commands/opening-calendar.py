"""`kepu opening-calendar`: is a venue open on a date and why; open days in a period."""

from __future__ import annotations

import json
from datetime import date
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kepu.core.commands import acting, add_actor_arguments
from kepu.core.errors import ApplicationError
from kepu.core.models import User
from kepu.network import selectors
from kepu.network.management.commands._venues import find_venue
from kepu.network.opening import DayStatus


def day_json(status: DayStatus) -> dict[str, Any]:
    return {
        "date": status.day.isoformat(),
        "is_open": status.is_open,
        "reason": str(status.reason),
        "explanation": status.explanation,
        "holiday": status.holiday,
        "holidays_known": status.holidays_known,
    }


class Command(BaseCommand):
    help = "Show whether a venue is open on a date and why, or its open days in a year or period."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--venue", required=True, help="Venue id, name or short name.")
        period = parser.add_mutually_exclusive_group(required=True)
        period.add_argument("--date", type=date.fromisoformat, help="One day, YYYY-MM-DD.")
        period.add_argument("--year", type=int, help="A calendar year.")
        period.add_argument("--period", nargs=2, type=date.fromisoformat, metavar=("START", "END"))
        parser.add_argument("--format", choices=["text", "json"], default="text")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with acting(options, "opening-calendar") as user:
            self.show(user, options)

    def show(self, user: User, options: dict[str, Any]) -> None:
        venue = find_venue(user, options["venue"])
        try:
            if options["date"]:
                status = selectors.venue_day_status(
                    user=user, venue_id=venue.pk, day=options["date"]
                )
                self.emit(options, day_json(status), status.explanation)
                return
            if options["year"]:
                year = selectors.check_year(options["year"])
                start_day, end_day = date(year, 1, 1), date(year, 12, 31)
            else:
                start_day, end_day = options["period"]
            summary = selectors.venue_open_days(
                user=user, venue_id=venue.pk, start=start_day, end=end_day
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        body = {
            "venue": venue.name,
            "start": start_day.isoformat(),
            "end": end_day.isoformat(),
            "open_days": summary.open_days,
            "closed_days": summary.closed_days,
            "holidays_known": summary.holidays_known,
            "unknown_holiday_years": summary.unknown_holiday_years,
            "source": summary.source,
        }
        self.emit(options, body, f"{venue.display_name}: {summary.source}")

    def emit(self, options: dict[str, Any], body: dict[str, Any], text: str) -> None:
        if options["format"] == "json":
            self.stdout.write(json.dumps(body, ensure_ascii=False, indent=2))
        else:
            self.stdout.write(text)
