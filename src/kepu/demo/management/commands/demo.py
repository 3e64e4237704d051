"""`kepu demo [--reset] [--if-empty]`: load the demo network and print how to sign in."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction
from django.utils.translation import gettext as _

from kepu.core.context import actor_label_var
from kepu.core.crypto import ensure_local_data_key
from kepu.core.models import Role
from kepu.demo.network import DEMO_PASSWORD, DEMO_USERS, build_demo
from kepu.network.divisions import divisions_sync
from kepu.network.models import Alliance, Venue


class Command(BaseCommand):
    help = "Load the demo network (venues of the seed reports, alliances, one user per role)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true", help="Erase all data first.")
        parser.add_argument(
            "--if-empty", action="store_true", help="Only load when no venue exists yet."
        )
        parser.add_argument(
            "--force", action="store_true", help="Allow loading into a production database."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        if settings.PRODUCTION and not options["force"]:
            raise CommandError(
                _(
                    "This is a production configuration (KEPU_ENV=production). The demo creates "
                    "users with a published password; add --force if you really want it here."
                )
            )
        key_file = ensure_local_data_key()
        if options["reset"]:
            call_command("flush", interactive=False, verbosity=0)
            divisions_sync()
        elif Venue.objects.exists():
            if options["if_empty"]:
                self.stdout.write(
                    _("The database has data already; the demo was not loaded again.")
                )
                self.print_sign_in()
                return
            raise CommandError(_("The database has data already. Use --reset to start over."))
        token = actor_label_var.set("kepu demo")
        try:
            with transaction.atomic():
                build_demo()
        finally:
            actor_label_var.reset(token)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo loaded: {Venue.objects.count()} venues, "
                f"{Alliance.objects.count()} alliances."
            )
        )
        if not settings.KEPU_DATA_KEY:
            self.stdout.write(f"Personal data key: {key_file} (git-ignored; keep it with backups).")
        self.print_sign_in()

    def print_sign_in(self) -> None:
        self.stdout.write("")
        self.stdout.write("Sign in at http://127.0.0.1:8000/  —  登录地址 http://127.0.0.1:8000/")
        self.stdout.write(f"Password for every demo user / 演示账号密码: {DEMO_PASSWORD}")
        width = max(len(user.username) for user in DEMO_USERS)
        for user in DEMO_USERS:
            role = Role(user.role)
            scope = user.scope or "全国 / whole network"
            self.stdout.write(f"  {user.username:<{width}}  {role.label} · {scope}")
