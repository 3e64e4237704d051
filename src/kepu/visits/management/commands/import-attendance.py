"""`kepu import-attendance`: load daily visit counts from a CSV file (date,visits[,approximate])."""

from __future__ import annotations

import csv
from datetime import date
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments
from kepu.core.errors import ApplicationError
from kepu.network.management.commands._venues import find_venue
from kepu.visits.models import AttendanceSource
from kepu.visits.services.attendance import AttendanceRow, attendance_import

TRUE = {"1", "true", "yes", "y", "约", "approx", "approximate"}


def read_rows(path: Path) -> list[AttendanceRow]:
    """Every row of the file, or a CommandError naming every bad line (nothing is imported)."""
    rows: list[AttendanceRow] = []
    bad: list[str] = []
    try:
        with path.open(encoding="utf-8-sig", newline="") as handle:
            lines = list(csv.reader(handle))
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s") % {"path": path, "reason": error.strerror}
        ) from error
    except UnicodeDecodeError as error:
        raise CommandError(
            _("Cannot read %(path)s: it is not UTF-8 text (save the sheet as CSV UTF-8).")
            % {"path": path}
        ) from error
    for number, record in enumerate(lines, start=1):
        if not record or record[0].strip().lower() in {"date", "日期"}:
            continue
        try:
            rows.append(
                AttendanceRow(
                    day=date.fromisoformat(record[0].strip()),
                    visits=int(record[1].strip().replace(",", "")),
                    approximate=len(record) > 2 and record[2].strip().lower() in TRUE,
                )
            )
        except (ValueError, IndexError):
            bad.append(
                _("line %(number)s: “%(text)s”") % {"number": number, "text": ",".join(record)}
            )
    if bad:
        raise CommandError(
            _("Nothing imported. Each line must read “YYYY-MM-DD,visits[,approximate]”; ")
            + "; ".join(bad)
        )
    return rows


class Command(BaseCommand):
    help = "Import daily visit counts (turnstiles, hand counts) for a venue from a CSV file."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--venue", required=True, help="Venue id, name or short name.")
        parser.add_argument("--file", required=True, type=Path)
        parser.add_argument(
            "--manual", action="store_true", help="Mark the figures as hand counts."
        )
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        source = AttendanceSource.MANUAL if options["manual"] else AttendanceSource.IMPORTED
        with acting(options, "import-attendance") as user:
            rows = read_rows(options["file"])
            venue = find_venue(user, options["venue"])
            try:
                count = attendance_import(actor=user, venue=venue, rows=rows, source=source)
            except ApplicationError as error:
                reasons = "; ".join(
                    f"{k}: {', '.join(map(str, v))}" for k, v in error.fields.items()
                )
                raise CommandError(f"{error.message} {reasons}".strip()) from error
            self.stdout.write(
                _("%(count)s days imported for %(venue)s.") % {"count": count, "venue": venue.name}
            )
