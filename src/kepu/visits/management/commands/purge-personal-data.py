"""`kepu purge-personal-data --older-than DAYS`: erase visitors' personal data, keep the counts."""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from kepu.core.context import actor_label_var
from kepu.core.errors import ApplicationError
from kepu.visits.services.privacy import personal_data_purge


class Command(BaseCommand):
    help = (
        "Erase names, ID and mobile numbers of bookings older than DAYS days (PIPL). "
        "Bookings, party sizes, check-ins and attendance figures stay."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--older-than", type=int, required=True, metavar="DAYS")

    def handle(self, *args: Any, **options: Any) -> None:
        token = actor_label_var.set("kepu purge-personal-data")
        try:
            result = personal_data_purge(older_than_days=options["older_than"])
        except ApplicationError as error:
            raise CommandError(str(error.message)) from error
        finally:
            actor_label_var.reset(token)
        self.stdout.write(
            f"Purged: {result.people} visitors in {result.bookings} bookings, "
            f"{result.waitlist} waiting-list entries."
        )
