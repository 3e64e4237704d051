"""What CLI commands share: acting as a user, so the CLI obeys the same scopes as the pages,
in the language asked for (``--lang``, Chinese by default) — its messages included, so options
whose values need reading (dates, times) are read inside the command, not by argparse, whose
own words are English."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, time
from pathlib import Path

from django.core.management.base import CommandError, CommandParser
from django.utils import translation
from django.utils.translation import gettext as _

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
        raise CommandError(
            _("No active user %(username)s: give --as the username of an active account.")
            % {"username": username}
        )
    return user


def read_file(path: Path) -> bytes:
    """The bytes of the file at ``path``, or a message saying why it cannot be read."""
    try:
        return path.read_bytes()
    except OSError as error:
        raise CommandError(
            _("Cannot read %(path)s: %(reason)s")
            % {"path": path, "reason": error.strerror or error}
        ) from error


def date_option(value: str, option: str) -> date:
    """The date given to ``option`` (YYYY-MM-DD), or a message saying what it takes."""
    return _read(
        date.fromisoformat,
        value,
        _("%(option)s takes a date such as 2027-03-01, not “%(value)s”."),
        option,
    )


def time_option(value: str, option: str) -> time:
    """The time of day given to ``option`` (HH:MM), or a message saying what it takes."""
    return _read(
        time.fromisoformat,
        value,
        _("%(option)s takes a time of day such as 07:30, not “%(value)s”."),
        option,
    )


def _read[T](parse: Callable[[str], T], value: str, message: str, option: str) -> T:
    try:
        return parse(value)
    except ValueError:
        raise CommandError(message % {"option": option, "value": value}) from None


@contextmanager
def acting(options: dict[str, object], command: str) -> Iterator[User]:
    """Resolve --as, switch to --lang and label audit entries with the command, for its run."""
    token = actor_label_var.set(f"kepu {command}")
    try:
        with translation.override(str(options["lang"])):
            yield acting_user(str(options["as_user"]))
    finally:
        actor_label_var.reset(token)
