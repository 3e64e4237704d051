"""The `kepu` command as an operator runs it: migrate, demo, demo again, demo --reset."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.settings import USING_POSTGRES

pytestmark = pytest.mark.skipif(USING_POSTGRES, reason="runs once, on the embedded SQLite")


def kepu(*args: str, home: Path) -> subprocess.CompletedProcess[str]:
    env = {
        k: v for k, v in os.environ.items() if not k.startswith(("KEPU_", "DJANGO_", "DATABASE"))
    }
    env.update({"KEPU_ENV": "development", "KEPU_HOME": str(home)})
    return subprocess.run(
        [sys.executable, "-m", "kepu.cli", *args],
        env=env,
        cwd=home,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_demo_lifecycle(tmp_path: Path) -> None:
    assert kepu("migrate", "--no-input", home=tmp_path).returncode == 0
    first = kepu("demo", "--if-empty", home=tmp_path)
    assert first.returncode == 0, first.stderr
    assert (
        "Demo loaded" in first.stdout
        and "jian" in first.stdout
        and "kepu-demo-2024" in first.stdout
    )
    assert (tmp_path / "kepu.sqlite3").exists() and (tmp_path / ".kepu-data-key").exists()
    journal = subprocess.run(
        [
            sys.executable,
            "-c",
            "import sqlite3,sys; print(sqlite3.connect(sys.argv[1]).execute("
            "'pragma journal_mode').fetchone()[0])",
            str(tmp_path / "kepu.sqlite3"),
        ],
        capture_output=True,
        text=True,
        check=True,
    )
    assert journal.stdout.strip() == "wal"
    again = kepu("demo", "--if-empty", home=tmp_path)
    assert again.returncode == 0 and "未再次加载演示数据" in again.stdout  # Chinese by default
    refused = kepu("demo", home=tmp_path)
    assert refused.returncode != 0 and "如需从头开始，请使用 --reset" in refused.stderr
    reset = kepu("demo", "--reset", home=tmp_path)
    assert reset.returncode == 0 and "Demo loaded" in reset.stdout
