"""The coordinator of 辽宁's regional rotation runs the planner for 2027, compares its proposal
with the plan in force, adopts it; then plans a caravan week. Screenshots in tests/artifacts/."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import sign_in


def test_coordinator_plans_compares_and_adopts_a_rotation(page: Any, server_url: str) -> None:
    sign_in(page, server_url, "liaoning")
    page.goto(server_url + "/touring/")
    page.get_by_role("link", name="辽宁省流动科技馆区域换展").click()
    expect(page.locator("#region-name")).to_have_text("辽宁省流动科技馆区域换展")
    page.goto(page.url.split("?")[0] + "?year=2026")
    expect(page.locator("#region-map .route")).to_have_count(6)
    expect(page.locator("#region-timeline rect").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "touring-1-region-2026.png"), full_page=True)

    page.locator("#run-planner").click()
    expect(page.locator("#planner-form")).to_be_visible()
    page.locator("#id_year").fill("2027")
    page.locator("#id_first_day").fill("2027-03-01")
    page.locator("#id_time_limit").fill("5")
    page.locator("#plan-button").click()
    expect(page.locator("#plan-name")).to_be_visible(timeout=60_000)
    expect(page.locator("#plan-status")).to_have_text(re.compile(r"\S"))
    expect(page.locator("#km-current")).to_be_visible()
    expect(page.locator("#objective")).to_be_visible()
    expect(page.locator("#bound")).to_be_visible()
    proposal_venues = page.locator("#venues-proposal").inner_text()
    current_venues = page.locator("#venues-current").inner_text()
    assert int(proposal_venues.split("/")[0]) >= int(current_venues.split("/")[0])
    expect(page.locator("#plan-map .route").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "touring-2-proposal-vs-plan-in-force.png"), full_page=True)

    page.locator("#adopt").click()
    expect(page.locator("#region-name")).to_be_visible()
    expect(page).to_have_url(re.compile(r"year=2027"))
    expect(page.locator("#year")).to_have_text("2027")
    expect(page.locator("#region-map .route")).to_have_count(6)
    page.screenshot(path=str(ARTIFACTS / "touring-3-adopted-2027.png"), full_page=True)


def test_caravan_week_is_planned_with_reasons_for_what_is_left(page: Any, server_url: str) -> None:
    sign_in(page, server_url, "liaoning")
    page.goto(server_url + "/touring/")
    page.locator("#caravans a").first.click()
    expect(page.locator("#requests")).to_contain_text("新民市大民屯镇中心小学")
    page.locator("#id_week_starts").fill("2027-03-08")
    page.locator("#id_speed_kmh").fill("60")
    page.locator("#id_time_limit").fill("3")
    page.locator("#plan-week").click()
    expect(page.locator("#caravan-map")).to_be_visible(timeout=60_000)
    expect(page.locator("#caravan-unserved li").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "touring-4-caravan-week.png"), full_page=True)
    page.locator("#adopt-routes").click()
    expect(page).to_have_url(re.compile(r"/caravan-trips/"))
    page.goto(page.url.split("?")[0] + "?year=2027")
    page.screenshot(path=str(ARTIFACTS / "touring-5-caravan-trips-2027.png"), full_page=True)
