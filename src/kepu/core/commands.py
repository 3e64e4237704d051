"""What CLI commands share: acting as a user, so the CLI obeys the same scopes as the pages."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

from django.core.management.base import CommandError, CommandParser
from django.utils import translation

from kepu.core.context import actor_label_var
from kepu.core.models import User


def add_actor_arguments(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_user",
        required=True,
        metavar="USERNAME",
        help="Act as this user: the command sees and changes only what their role allows.",
    )
    parser.add_argument(
        "--lang", choices=["zh-hans", "en"], default="zh-hans", help="Language of the output."
    )


def acting_user(username: str) -> User:
    user = User.objects.filter(username=username, is_active=True).first()
    if user is None:
        raise CommandError(f"No active user {username!r}.")
    return user


@contextmanager
def acting(options: dict[str, object], command: str) -> Iterator[User]:
    """Resolve --as, switch to --lang and label audit entries with the command, for its run."""
    token = actor_label_var.set(f"kepu {command}")
    try:
        with translation.override(str(options["lang"])):
            yield acting_user(str(options["as_user"]))
    finally:
        actor_label_var.reset(token)
