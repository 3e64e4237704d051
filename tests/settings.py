"""Settings for the test suite: kepu's own, with a test data key and a fast password hasher.

The suite runs on SQLite by default and on PostgreSQL when KEPU_TEST_DATABASE_URL is set
(`make test` does both).
"""

import os
import tempfile

os.environ.setdefault("KEPU_ENV", "test")
# A fixed key for tests only: 32 zero bytes would be weak, so a fixed random one.
os.environ.setdefault("KEPU_DATA_KEY", "mF3k0cQ3Q6o3Qm1m2yX9sM0kYk0QnS3n8bN3rVbWw2I=")

from kepu.settings import *  # noqa: F403
from kepu.settings import database_from_url

DATABASES = {
    "default": database_from_url(
        os.environ.get("KEPU_TEST_DATABASE_URL") or "sqlite:///kepu-test.sqlite3"
    )
}
if DATABASES["default"]["ENGINE"].endswith("sqlite3"):
    # A file, not memory: concurrency tests need separate connections that see each other's
    # commits, with WAL and BEGIN IMMEDIATE exactly as in production.
    DATABASES["default"]["TEST"] = {
        "NAME": os.path.join(tempfile.gettempdir(), f"kepu-test-{os.getpid()}.sqlite3")
    }
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
USING_POSTGRES = DATABASES["default"]["ENGINE"].endswith("postgresql")
