"""`kepu close-visit-days`: after midnight, close past booking days (no-shows, bans, attendance).

Run it nightly (docs/deploy.md). A day is closed once its attendance record was written after the
day ended; the gate keeps a record during the day, which does not count as closing it.
"""

from datetime import date, timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from kepu.core.context import actor_label_var
from kepu.visits.models import Booking, DailyAttendance, VisitRules
from kepu.visits.services.attendance import attendance_close_day


def days_to_close(venue_id: int, until: date) -> list[date]:
    booked = set(
        Booking.objects.filter(venue_id=venue_id, date__lte=until).values_list("date", flat=True)
    )
    closed = {
        day
        for day, written in DailyAttendance.objects.filter(
            venue_id=venue_id, date__in=booked, source="bookings"
        ).values_list("date", "recorded_at")
        if timezone.localtime(written).date() > day
    }
    return sorted(booked - closed)


class Command(BaseCommand):
    help = "Close past booking days: mark no-shows, bar repeat no-shows, write daily attendance."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--date",
            type=date.fromisoformat,
            help="Close (or close again) this day only; by default every past day not closed yet.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        yesterday = timezone.localdate() - timedelta(days=1)
        token = actor_label_var.set("kepu close-visit-days")
        closed = 0
        try:
            for rules in VisitRules.objects.select_related("venue"):
                days = (
                    [options["date"]]
                    if options["date"]
                    else days_to_close(rules.venue_id, yesterday)
                )
                for day in days:
                    attendance_close_day(venue=rules.venue, day=day)
                    closed += 1
        finally:
            actor_label_var.reset(token)
        self.stdout.write(f"{closed} venue days closed.")
