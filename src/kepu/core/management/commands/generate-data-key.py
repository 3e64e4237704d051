from typing import Any

from django.core.management.base import BaseCommand

from kepu.core.crypto import generate_data_key


class Command(BaseCommand):
    help = "Print a new KEPU_DATA_KEY (the key that encrypts personal data). Back it up safely."

    def handle(self, *args: Any, **options: Any) -> None:
        self.stdout.write(generate_data_key())
