from typing import Any

from django.core.management.base import BaseCommand

from kepu.network.divisions import divisions_sync


class Command(BaseCommand):
    help = "Load or refresh China's administrative divisions from the installed data package."

    def handle(self, *args: Any, **options: Any) -> None:
        result = divisions_sync()
        self.stdout.write(f"Divisions: {result.created} added, {result.updated} updated.")
