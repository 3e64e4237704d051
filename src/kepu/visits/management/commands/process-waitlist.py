"""`kepu process-waitlist`: expire waiting-list offers whose time is up and offer the places on."""

from typing import Any

from django.core.management.base import BaseCommand

from kepu.core.context import actor_label_var
from kepu.visits.services.waitlist import waitlist_process_due


class Command(BaseCommand):
    help = "Expire waiting-list offers that ran out and offer their places to the next in line."

    def handle(self, *args: Any, **options: Any) -> None:
        token = actor_label_var.set("kepu process-waitlist")
        try:
            expired = waitlist_process_due()
        finally:
            actor_label_var.reset(token)
        self.stdout.write(f"{expired} offers expired and passed on.")
