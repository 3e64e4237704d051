"""`kepu export-programme`: write a venue's sessions of a year to an Excel workbook."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments
from kepu.core.errors import ApplicationError
from kepu.network.management.commands._venues import find_venue
from kepu.programs.services.spreadsheet import programme_export


class Command(BaseCommand):
    help = (
        "Write a venue's sessions of a year to an .xlsx workbook, one row per session, headers "
        "in the --lang language; `kepu import-programme` reads the same layout back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--venue", required=True, help="Venue id, name or short name.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--output", required=True, type=Path, help="The .xlsx to write.")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        year: int = options["year"]
        path: Path = options["output"]
        with acting(options, "export-programme") as user:
            venue = find_venue(user, options["venue"])
            try:
                data = programme_export(
                    user=user,
                    venue=venue,
                    start=date(year, 1, 1),
                    end=date(year, 12, 31),
                    language=str(options["lang"]),
                )
            except (ApplicationError, ValueError) as error:
                raise CommandError(str(error)) from error
            try:
                path.write_bytes(data)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(reason)s")
                    % {"path": path, "reason": error.strerror or error}
                ) from error
            self.stdout.write(
                _("The %(year)s programme of %(venue)s is written to %(path)s.")
                % {"year": year, "venue": venue.name, "path": path}
            )
