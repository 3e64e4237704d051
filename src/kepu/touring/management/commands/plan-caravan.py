"""`kepu plan-caravan`: plan a caravan's routes for a week from the requests waiting."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments, date_option, time_option
from kepu.core.errors import ApplicationError
from kepu.core.models import User
from kepu.network.management.commands._venues import find_venue
from kepu.network.models import Venue
from kepu.touring.management.commands._touring import as_json, find_caravan
from kepu.touring.reports import caravan_proposal_as_data
from kepu.touring.services.caravans import (
    WeekSettings,
    caravan_plan_compute,
    caravan_proposal_save,
)


class Command(BaseCommand):
    help = (
        "Plan a caravan's day-by-day routes for a week (Monday to Sunday) from the visit "
        "requests waiting: as many served as possible with the fewest kilometres, within working "
        "hours, driving limits and each request's hours; lists what cannot be served and why."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--caravan", required=True, help="Caravan id, name or plate number.")
        parser.add_argument("--week", required=True, help="A Monday (YYYY-MM-DD).")
        parser.add_argument("--depot", help="Venue id or name; the caravan's venue by default.")
        parser.add_argument("--working-days", default="1,2,3,4,5", help="ISO weekdays, 1 = Monday.")
        parser.add_argument("--day-starts", default="07:30", help="HH:MM.")
        parser.add_argument("--day-ends", default="17:30", help="HH:MM.")
        parser.add_argument("--max-drive-minutes", type=int, default=360)
        parser.add_argument("--max-km-per-day", type=int)
        parser.add_argument("--speed", type=int, default=50, help="Average km/h.")
        parser.add_argument("--time-limit", type=int, default=10, help="Seconds (1–120).")
        parser.add_argument("--save", action="store_true", help="Keep the plan to adopt.")
        parser.add_argument("--format", choices=["json", "text"], default="text")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with acting(options, "plan-caravan") as user:
            days = _weekdays(options["working_days"])
            week = date_option(options["week"], "--week")
            day_starts = time_option(options["day_starts"], "--day-starts")
            day_ends = time_option(options["day_ends"], "--day-ends")
            caravan = find_caravan(user, options["caravan"])
            depot = self._depot(user, caravan.venue, options["depot"])
            settings = WeekSettings(
                week_starts=week,
                depot=depot,
                working_days=sum(1 << (day - 1) for day in set(days)),
                day_starts=day_starts,
                day_ends=day_ends,
                max_drive_minutes=options["max_drive_minutes"],
                max_km_per_day=options["max_km_per_day"],
                speed_kmh=options["speed"],
                time_limit=options["time_limit"],
            )
            try:
                proposal = caravan_plan_compute(actor=user, caravan=caravan, settings=settings)
                if options["save"]:
                    caravan_proposal_save(actor=user, proposal=proposal)
            except ApplicationError as error:
                raise CommandError(str(error.message)) from error
            data = caravan_proposal_as_data(proposal)
        if options["format"] == "json":
            self.stdout.write(as_json(data))
            return
        with translation.override(options["lang"]):
            self._text(data)

    def _text(self, data: dict[str, Any]) -> None:
        self.stdout.write(
            _("%(served)s of %(requested)s requests served, %(km)s km (%(seconds)s s)")
            % {
                "served": data["served"],
                "requested": data["requested"],
                "km": data["km"],
                "seconds": data["seconds"],
            }
        )
        for day in data["days"]:
            self.stdout.write(
                f"  {day['day']} {day['leaves_at']:%H:%M}–{day['returns_at']:%H:%M} "
                f"{day['km']} km: "
                + ", ".join(
                    f"{visit['starts_at']:%H:%M} {visit['name']}" for visit in day["visits"]
                )
            )
        for item in data["unserved"]:
            self.stdout.write(f"- {item['name']}: {item['explanation']}")

    @staticmethod
    def _depot(user: User, venue: Venue, name: str | None) -> Venue:
        """The caravan's venue, another venue of its organisation (a caravan base), or a venue
        within the user's role."""
        if not name:
            return venue
        if venue.organisation_id is not None:
            sibling = Venue.objects.filter(organisation_id=venue.organisation_id).filter(
                Q(pk=int(name)) if name.isdigit() else Q(name=name) | Q(short_name=name)
            )
            if sibling.count() == 1:
                return sibling.get()
        return find_venue(user, name)


def _weekdays(value: str) -> list[int]:
    """The ISO weekdays of ``--working-days`` (1 = Monday), or a message saying what it takes."""
    try:
        days = [int(day) for day in value.split(",") if day.strip()]
    except ValueError:
        days = []
    if not days or any(not 1 <= day <= 7 for day in days):
        raise CommandError(
            _(
                "--working-days takes weekdays from 1 (Monday) to 7, such as 1,2,3,4,5; "
                "not “%(value)s”."
            )
            % {"value": value}
        )
    return days
