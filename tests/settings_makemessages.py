"""Settings for extracting messages into a scratch copy of the package (tests/test_i18n.py)."""

from pathlib import Path

from tests.settings import *  # noqa: F403

LOCALE_PATHS = [Path.cwd() / "locale"]
