"""`kepu close-volunteer-shifts`: after shifts end, record no-shows and forgotten check-outs."""

from typing import Any

from django.core.management.base import BaseCommand

from kepu.core.context import actor_label_var
from kepu.volunteers.services.service import shifts_close


class Command(BaseCommand):
    help = (
        "For shifts that have ended: volunteers who never checked in are recorded as no-shows; "
        "those who forgot to check out are checked out at the shift's end. Run it nightly."
    )

    def handle(self, *args: Any, **options: Any) -> None:
        token = actor_label_var.set("kepu close-volunteer-shifts")
        try:
            result = shifts_close()
        finally:
            actor_label_var.reset(token)
        self.stdout.write(
            f"Closed {result.shifts} shifts: {result.no_shows} no-shows, "
            f"{result.checked_out} checked out at the end."
        )
