"""The production configuration: `kepu check --deploy`, required secrets, health, logging."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from django.core.cache import caches
from django.test import Client, override_settings

from kepu.settings import database_from_url

ROOT = Path(__file__).resolve().parent.parent


def run_kepu(*args: str, env: dict[str, str], cwd: Path) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if not k.startswith(("KEPU_", "DJANGO_"))}
    return subprocess.run(
        [sys.executable, "-m", "kepu.cli", *args],
        env={**clean, **env},
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


PRODUCTION = {
    "KEPU_ENV": "production",
    "KEPU_SECRET_KEY": "a-long-random-secret-for-the-deploy-check-" + "x" * 40,
    "KEPU_ALLOWED_HOSTS": "kepu.example.cn",
    "KEPU_DATA_KEY": "mF3k0cQ3Q6o3Qm1m2yX9sM0kYk0QnS3n8bN3rVbWw2I=",
}


def test_deploy_check_passes_with_production_settings(tmp_path: Path) -> None:
    result = run_kepu("check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION, cwd=tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_deploy_check_warns_without_a_data_key(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "KEPU_DATA_KEY"}
    result = run_kepu("check", "--deploy", "--fail-level", "WARNING", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "kepu.W001" in result.stderr + result.stdout


def test_production_refuses_to_start_without_a_secret(tmp_path: Path) -> None:
    env = {k: v for k, v in PRODUCTION.items() if k != "KEPU_SECRET_KEY"}
    result = run_kepu("check", env=env, cwd=tmp_path)
    assert result.returncode != 0
    assert "KEPU_SECRET_KEY is not set" in result.stderr


def test_demo_refuses_a_production_database(tmp_path: Path) -> None:
    result = run_kepu("demo", env=PRODUCTION, cwd=tmp_path)
    assert result.returncode != 0 and "production" in result.stderr


def test_sqlite_runs_in_wal_mode_with_serialised_writers() -> None:
    config = database_from_url("sqlite:////tmp/x.sqlite3")
    assert "journal_mode=WAL" in config["OPTIONS"]["init_command"]
    assert config["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    postgres = database_from_url("postgresql://kepu@db/kepu")
    assert postgres["ENGINE"] == "django.db.backends.postgresql"
    assert "init_command" not in postgres.get("OPTIONS", {})


@pytest.mark.django_db
def test_healthz_reports_database_and_redis() -> None:
    response = Client().get("/healthz")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "redis": "not configured"}


@pytest.mark.django_db
def test_healthz_fails_when_redis_does_not_answer() -> None:
    broken = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    with override_settings(REDIS_URL="redis://127.0.0.1:1/0", CACHES=broken):
        assert caches["default"].__class__.__name__ == "RedisCache"
        response = Client().get("/healthz")
    assert response.status_code == 503
    body: dict[str, Any] = response.json()
    assert body["status"] == "error" and body["redis"].startswith("error")


@pytest.mark.django_db
def test_every_request_gets_an_id_and_one_structured_log_line(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level("INFO", logger="kepu.request")
    response = Client().get("/healthz", HTTP_X_REQUEST_ID="lb-123")
    assert response["X-Request-ID"] == "lb-123"
    record = next(r for r in caplog.records if r.name == "kepu.request")
    assert (record.path, record.status, record.request_id) == ("/healthz", 200, "lb-123")  # type: ignore[attr-defined]
    bogus = Client().get("/healthz", HTTP_X_REQUEST_ID="<script>")
    assert bogus["X-Request-ID"] != "<script>"


def test_json_log_format_in_production() -> None:
    import logging

    from pythonjsonlogger.json import JsonFormatter

    formatter = JsonFormatter("%(asctime)s %(levelname)s %(name)s %(message)s")
    record = logging.makeLogRecord({"msg": "request", "name": "kepu.request", "levelname": "INFO"})
    record.path = "/healthz"
    assert json.loads(formatter.format(record))["path"] == "/healthz"
