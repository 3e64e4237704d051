"""`kepu opening-calendar` obeys the same scopes as pages and API."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command("opening-calendar", *args, stdout=out)
    return out.getvalue()


def test_open_days_of_a_year_with_provenance() -> None:
    body = json.loads(
        run(
            "--venue",
            "集安市科技馆",
            "--year",
            "2024",
            "--as",
            "jian",
            "--format",
            "json",
            "--lang",
            "en",
        )
    )
    assert body["open_days"] == 265 and body["holidays_known"] is True
    assert body["source"] == "265 open days from the opening calendar 2024-01-01..2024-12-31"


def test_one_day_in_chinese() -> None:
    assert run("--venue", "集安市科技馆", "--date", "2024-02-09", "--as", "jian-staff").strip() == (
        "闭馆：春节闭馆（除夕、初一）"
    )


def test_a_period_and_an_unannounced_year() -> None:
    body = json.loads(
        run("--venue", "集安市科技馆", "--year", "2030", "--as", "dongbei", "--format", "json")
    )
    assert body["unknown_holiday_years"] == [2030]
    week = json.loads(
        run(
            "--venue",
            "集安市科技馆",
            "--period",
            "2024-10-01",
            "2024-10-07",
            "--as",
            "jian",
            "--format",
            "json",
        )
    )
    assert week["open_days"] == 7


def test_out_of_scope_reads_as_missing() -> None:
    with pytest.raises(CommandError) as other:
        run("--venue", "辽宁省科学技术馆", "--year", "2024", "--as", "jian")
    with pytest.raises(CommandError) as missing:
        run("--venue", "不存在的馆", "--year", "2024", "--as", "jian")
    assert str(other.value).replace("辽宁省科学技术馆", "X") == str(missing.value).replace(
        "不存在的馆", "X"
    )
    with pytest.raises(
        CommandError, match="没有启用中的用户“nobody”：请在 --as 后给出一个启用中账号的用户名"
    ):
        run("--venue", "集安市科技馆", "--year", "2024", "--as", "nobody")
