"""`kepu purge-volunteer-data`: erase the personal data of volunteers gone past retention."""

from typing import Any

from django.core.management.base import BaseCommand

from kepu.core.context import actor_label_var
from kepu.volunteers.services.people import personal_data_purge


class Command(BaseCommand):
    help = (
        "Erase names, ID and mobile numbers of volunteers who left longer ago than their venue "
        "keeps them, and of declined or withdrawn applications (PIPL). Service records, hours and "
        "certificates stay, with the masked name and the volunteer number."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        token = actor_label_var.set("kepu purge-volunteer-data")
        try:
            result = personal_data_purge()
        finally:
            actor_label_var.reset(token)
        self.stdout.write(
            f"Purged: {result.volunteers} volunteers, {result.applications} applications."
        )
