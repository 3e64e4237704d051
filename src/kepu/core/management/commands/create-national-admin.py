import getpass
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.utils.translation import gettext as _

from kepu.core.errors import ApplicationError
from kepu.core.services import national_admin_bootstrap


class Command(BaseCommand):
    help = "Create the first national administrator of a new installation."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")
        parser.add_argument("--display-name", default="")

    def handle(self, *args: Any, **options: Any) -> None:
        password = getpass.getpass("Password: ")
        if len(password) < 10:
            raise CommandError(_("Choose a password of at least 10 characters."))
        try:
            user = national_admin_bootstrap(
                username=options["username"],
                password=password,
                display_name=options["display_name"],
            )
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        self.stdout.write(
            _("National administrator %(username)s created.") % {"username": user.username}
        )
