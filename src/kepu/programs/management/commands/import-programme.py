"""`kepu import-programme`: load a venue's activities and sessions from an Excel workbook."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments, read_file
from kepu.core.errors import ApplicationError
from kepu.network.management.commands._venues import find_venue
from kepu.programs.services.spreadsheet import programme_import


def error_lines(error: ApplicationError) -> str:
    """The error's message and, one line each, every row (or field) it names."""
    reasons = [f"{name}: {'; '.join(map(str, why))}" for name, why in error.fields.items()]
    return "\n".join([str(error.message), *reasons])


class Command(BaseCommand):
    help = (
        "Import a venue's activities and sessions from an .xlsx workbook laid out like "
        "`kepu export-programme` writes it (Chinese or English headers). Nothing is saved if "
        "any row is wrong; sessions already recorded are skipped."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--venue", required=True, help="Venue id, name or short name.")
        parser.add_argument("--file", required=True, type=Path, help="The .xlsx workbook.")
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        path: Path = options["file"]
        with acting(options, "import-programme") as user:
            data = read_file(path)
            venue = find_venue(user, options["venue"])
            try:
                result = programme_import(actor=user, venue=venue, data=data)
            except ApplicationError as error:
                raise CommandError(error_lines(error)) from error
            self.stdout.write(
                _(
                    "%(venue)s: %(activities)s activities created, %(sessions)s sessions "
                    "created, %(skipped)s sessions skipped (already recorded)."
                )
                % {
                    "venue": venue.name,
                    "activities": result.activities_created,
                    "sessions": result.sessions_created,
                    "skipped": result.sessions_skipped,
                }
            )
