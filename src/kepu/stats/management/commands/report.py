"""kepu report {self-evaluation|institution-annual|annual-review} --venue NAME_OR_ID --year YYYY
--format {json|docx|pdf|xlsx} [--lang zh-hans|en] [--output FILE] [--as USERNAME]"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

from kepu.core.commands import acting_user
from kepu.core.context import actor_label_var
from kepu.core.errors import ApplicationError
from kepu.network.management.commands._venues import find_venue
from kepu.network.models import Venue
from kepu.stats.downloads import report_bytes
from kepu.stats.models import ReportKind
from kepu.stats.reports import build_report


class Command(BaseCommand):
    help = "Write a venue's yearly report, filled from the indicators, as JSON, DOCX, PDF or XLSX."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("kind", choices=ReportKind.values)
        parser.add_argument("--venue", required=True, help="The venue's id, name or short name.")
        parser.add_argument("--year", required=True, type=int)
        parser.add_argument("--format", choices=["json", "docx", "pdf", "xlsx"], default="json")
        parser.add_argument("--lang", choices=["zh-hans", "en"], default="zh-hans")
        parser.add_argument("--output", help="File to write; standard output when omitted.")
        parser.add_argument(
            "--as",
            dest="as_user",
            metavar="USERNAME",
            help="Act as this user and see only their venues. Without it the command runs as "
            "the server's operator, who may read every venue (like the database itself).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        token = actor_label_var.set("kepu report")
        try:
            with translation.override(options["lang"]):
                venue = self._venue(options)
                try:
                    report = build_report(
                        venue=venue,
                        kind=options["kind"],
                        year=options["year"],
                        language=options["lang"],
                    )
                except ApplicationError as error:
                    raise CommandError(str(error.message)) from error
                content = report_bytes(report, options["format"])
                self._write(options, content)
        finally:
            actor_label_var.reset(token)

    def _write(self, options: dict[str, Any], content: bytes) -> None:
        if options["output"]:
            try:
                Path(options["output"]).write_bytes(content)
            except OSError as error:
                raise CommandError(
                    _("Cannot write %(path)s: %(reason)s")
                    % {"path": options["output"], "reason": error.strerror or error}
                ) from error
            self.stderr.write(
                _("%(path)s: %(size)s bytes")
                % {"path": options["output"], "size": f"{len(content):,}"}
            )
        elif options["format"] == "json":
            self.stdout.write(content.decode(), ending="")
        else:
            if sys.stdout.isatty():
                raise CommandError(
                    _("This format is binary: give --output FILE or redirect standard output.")
                )
            sys.stdout.buffer.write(content)
            sys.stdout.flush()

    def _venue(self, options: dict[str, Any]) -> Venue:
        name = str(options["venue"])
        if options["as_user"]:
            return find_venue(acting_user(options["as_user"]), name)
        found = list(
            Venue.objects.filter(pk=int(name))
            if name.isdigit()
            else Venue.objects.filter(name=name) or Venue.objects.filter(short_name=name)
        )
        if len(found) != 1:
            raise CommandError(
                _("No venue %(venue)s: give --venue its id, name or short name.") % {"venue": name}
            )
        return found[0]
