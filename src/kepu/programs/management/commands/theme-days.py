"""`kepu theme-days --year YYYY --as USER`: add the year's fixed-date national theme days."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kepu.core.commands import acting, add_actor_arguments
from kepu.core.errors import ApplicationError
from kepu.programs.theme_days import theme_days_ensure


class Command(BaseCommand):
    help = (
        "Add the national theme days that fall on the same date every year (世界地球日, "
        "全国防灾减灾日 …) to the calendar of YEAR. National administrators only; the weeks "
        "announced each year (全国科普日, 科技活动周) are entered on kepu's pages or API."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--year", type=int, required=True)
        add_actor_arguments(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        with acting(options, "theme-days") as user:
            if not 2000 <= options["year"] <= 2100:
                raise CommandError(_("Give a year from 2000 to 2100."))
            try:
                made = theme_days_ensure(actor=user, year=options["year"])
            except ApplicationError as error:
                raise CommandError(str(error.message)) from error
            self.stdout.write(
                _("%(count)s theme days added for %(year)s.")
                % {"count": len(made), "year": options["year"]}
            )
