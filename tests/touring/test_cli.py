"""`kepu plan-rotation` and `kepu plan-caravan`, as an operator runs them."""

from __future__ import annotations

import io
import json
from datetime import date, timedelta
from itertools import pairwise

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from kepu.touring.models import PlanStatus, RotationPlan, RotationRegion

pytestmark = pytest.mark.django_db


def run(*args: str) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_plan_rotation_prints_json(region: RotationRegion) -> None:
    before = RotationPlan.objects.count()
    data = json.loads(
        run("plan-rotation", "--region", region.name, "--year", "2027", "--time-limit", "3",
            "--format", "json", "--as", "liaoning")
    )  # fmt: skip
    assert data["solver"]["status"] in ("optimal", "feasible")
    assert data["solver"]["bound_km"] <= data["solver"]["objective_km"]
    assert 0 <= data["solver"]["gap"] < 1 and data["stops"] and len(data["periods"]) == 4
    assert RotationPlan.objects.count() == before  # a dry run unless --save
    saved = json.loads(
        run("plan-rotation", "--region", str(region.pk), "--year", "2027", "--time-limit", "3",
            "--format", "json", "--save", "--as", "dongbei", "--lang", "en")
    )  # fmt: skip
    assert RotationPlan.objects.get(pk=saved["id"]).status == PlanStatus.PROPOSED
    text = run("plan-rotation", "--region", region.name, "--year", "2027", "--time-limit", "2",
               "--as", "liaoning")  # fmt: skip
    assert "LN-01" in text and "已证明下界" in text and "第 1 站" in text  # Chinese first
    text = run("plan-rotation", "--region", region.name, "--year", "2027", "--time-limit", "2",
               "--as", "liaoning", "--lang", "en")  # fmt: skip
    assert "LN-01" in text and "proven bound" in text and "stop 1" in text


def test_plan_rotation_takes_what_it_is_not_told_from_the_region(region: RotationRegion) -> None:
    region.gap_days = 14
    region.save(update_fields=["gap_days"])
    data = json.loads(
        run("plan-rotation", "--region", region.name, "--year", "2027", "--time-limit", "2",
            "--weeks", "8", "--periods", "3", "--format", "json", "--as", "liaoning")
    )  # fmt: skip
    days = [
        (date.fromisoformat(p["starts_on"]), date.fromisoformat(p["ends_on"]))
        for p in data["periods"]
    ]
    assert len(days) == 3
    assert all((end - start).days + 1 == 8 * 7 for start, end in days)
    assert all(later[0] - earlier[1] == timedelta(days=15) for earlier, later in pairwise(days))
    assert days[0][0].month == region.first_month and days[0][0].weekday() == 0


def test_plan_rotation_stays_within_the_role(region: RotationRegion) -> None:
    with pytest.raises(CommandError):
        run("plan-rotation", "--region", region.name, "--year", "2027", "--as", "xian")
    with pytest.raises(CommandError, match="--time-limit 需要 1 至 600 之间的秒数"):
        run("plan-rotation", "--region", region.name, "--year", "2027", "--time-limit", "0",
            "--as", "liaoning")  # fmt: skip


def test_command_errors_speak_the_language_asked_for(region: RotationRegion) -> None:
    rotation = ("plan-rotation", "--region", region.name, "--year", "2027", "--as", "liaoning")
    with pytest.raises(
        CommandError, match="--first 需要日期，格式如 2027-03-01，而不是“2027-13-01”"
    ):
        run(*rotation, "--first", "2027-13-01")
    with pytest.raises(CommandError, match="--first takes a date such as 2027-03-01, not “3月1日”"):
        run(*rotation, "--first", "3月1日", "--lang", "en")
    with pytest.raises(CommandError, match="--first 必须是 --year 所给年份中的一天"):
        run(*rotation, "--first", "2026-03-02")
    with pytest.raises(CommandError, match=r"不存在的馆 不是.*请在 --require 后给出"):
        run(*rotation, "--require", "不存在的馆")
    caravan = ("plan-caravan", "--caravan", "集安市科普大篷车", "--as", "jian")
    with pytest.raises(CommandError, match="--week 需要日期"):
        run(*caravan, "--week", "next monday")
    with pytest.raises(CommandError, match="--day-starts takes a time of day such as 07:30"):
        run(*caravan, "--week", "2027-04-12", "--day-starts", "7.30", "--lang", "en")
    with pytest.raises(CommandError, match=r"--working-days 需要 1（星期一）至 7 的星期数.*“1,9”"):
        run(*caravan, "--week", "2027-04-12", "--working-days", "1,9")
    with pytest.raises(CommandError, match="not “Mon,Tue”"):
        run(*caravan, "--week", "2027-04-12", "--working-days", "Mon,Tue", "--lang", "en")


def test_plan_caravan_prints_json() -> None:
    data = json.loads(
        run("plan-caravan", "--caravan", "集安市科普大篷车", "--week", "2027-04-12",
            "--time-limit", "2", "--format", "json", "--as", "jian")
    )  # fmt: skip
    assert data["requested"] == 10 and data["served"] > 0
    for day in data["days"]:
        assert day["leaves_at"] < day["returns_at"]
    with pytest.raises(CommandError):
        run("plan-caravan", "--caravan", "集安市科普大篷车", "--week", "2027-04-12", "--as", "xian")
