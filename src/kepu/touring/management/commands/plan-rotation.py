"""`kepu plan-rotation`: run the rotation planner for a region's year, as on the planner page."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments, date_option
from kepu.core.errors import ApplicationError
from kepu.network.models import Venue
from kepu.touring.management.commands._touring import as_json, find_region
from kepu.touring.models import SolverStatus, Weighting
from kepu.touring.reports import plan_as_data, proposal_as_data
from kepu.touring.services.rotation import (
    MAX_TIME_LIMIT,
    RotationRequest,
    first_monday,
    periods_from,
    proposal_save,
    rotation_plan_compute,
)


class Command(BaseCommand):
    help = (
        "Propose which touring set goes to which host venue in each stop of a year: the most "
        "venues served, then the fewest kilometres. Prints the objective, the proven bound and "
        "the gap, the stops and the venues not served — or why the request cannot be met."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--region", required=True, help="Region id or name.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument(
            "--time-limit", type=int, default=20, help=f"Seconds (1–{MAX_TIME_LIMIT})."
        )
        parser.add_argument("--first", help="First stop opens (YYYY-MM-DD).")
        parser.add_argument("--periods", type=int, help="Stops in the year.")
        parser.add_argument("--weeks", type=int, help="Weeks per stop.")
        parser.add_argument("--gap-days", type=int, help="Days between stops.")
        parser.add_argument("--repeat-years", type=int, help="Years before a theme may return.")
        parser.add_argument("--weighting", choices=Weighting.values)
        parser.add_argument(
            "--require", action="append", default=[], help="A venue (id or name) to serve."
        )
        parser.add_argument(
            "--save", action="store_true", help="Keep the proposal as a plan to adopt on the pages."
        )
        parser.add_argument("--format", choices=["json", "text"], default="text")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with acting(options, "plan-rotation") as user:
            if not 1 <= options["time_limit"] <= MAX_TIME_LIMIT:
                raise CommandError(
                    _("--time-limit takes seconds from 1 to %(most)s.") % {"most": MAX_TIME_LIMIT}
                )
            first = date_option(options["first"], "--first") if options["first"] else None
            region = find_region(user, options["region"])
            year: int = options["year"]
            periods = periods_from(
                first or first_monday(region, year),
                options["periods"] or region.periods_per_year,
                options["weeks"] or region.period_weeks,
                region.gap_days if options["gap_days"] is None else options["gap_days"],
            )
            if periods[0][0].year != year:
                raise CommandError(_("--first must be a day of the year given to --year."))
            required = []
            for name in options["require"]:
                venue = (
                    Venue.objects.filter(hostings__region=region)
                    .filter(**({"pk": int(name)} if name.isdigit() else {"name": name}))
                    .first()
                )
                if venue is None:
                    raise CommandError(
                        _(
                            "%(venue)s is not a host venue of %(region)s: give --require "
                            "the id or name of one of its host venues."
                        )
                        % {"venue": name, "region": region.name}
                    )
                required.append(venue.pk)
            request = RotationRequest(
                region=region,
                year=year,
                periods=periods,
                repeat_years=options["repeat_years"],
                weighting=options["weighting"],
                required_venue_ids=required,
                time_limit=options["time_limit"],
            )
            try:
                proposal = rotation_plan_compute(actor=user, request=request)
                if options["save"]:
                    data = plan_as_data(proposal_save(actor=user, proposal=proposal))
                else:
                    data = proposal_as_data(proposal)
            except ApplicationError as error:
                raise CommandError(str(error.message)) from error
        if options["format"] == "json":
            self.stdout.write(as_json(data))
        else:
            with translation.override(options["lang"]):
                self._text(data)

    def _text(self, data: dict[str, Any]) -> None:
        solver = data["solver"]
        gap = "—" if solver["gap"] is None else f"{solver['gap']:.1%}"
        self.stdout.write(
            _(
                "%(status)s: %(km)s km (proven bound %(bound)s km, gap %(gap)s), "
                "venues served %(coverage)s of at most %(most)s, %(seconds)s s"
            )
            % {
                "status": SolverStatus(solver["status"]).label if solver["status"] else "—",
                "km": solver["objective_km"],
                "bound": solver["bound_km"],
                "gap": gap,
                "coverage": solver["coverage"],
                "most": solver["coverage_bound"],
                "seconds": solver["seconds"],
            }
        )
        for conflict in data["conflicts"]:
            self.stdout.write(f"! {conflict}")
        for stop in data["stops"]:
            self.stdout.write(
                "  "
                + _("%(set)s  stop %(stop)s  %(starts)s–%(ends)s  %(venue)s  (%(km)s km)")
                % {
                    "set": stop["set_code"],
                    "stop": stop["stop"],
                    "starts": stop["starts_on"],
                    "ends": stop["ends_on"],
                    "venue": stop["venue_name"],
                    "km": stop["km_in"],
                }
            )
        for item in data["unserved"]:
            self.stdout.write(f"- {item['reason']}")
