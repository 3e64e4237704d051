"""Fixtures of the touring tests: the demo's Liaoning rotation region and its plans."""

from __future__ import annotations

from typing import Any

import pytest

from kepu.touring.models import PlanStatus, RotationPlan, RotationRegion


@pytest.fixture
def region(db: Any) -> RotationRegion:
    return RotationRegion.objects.get(name="辽宁省流动科技馆区域换展")


@pytest.fixture
def plan_in_force(region: RotationRegion) -> RotationPlan:
    return RotationPlan.objects.get(region=region, year=2027, status=PlanStatus.ADOPTED)
