"""Main journeys, walked as a person would in Debian's chromium; screenshots in tests/artifacts/."""

from __future__ import annotations

import re
from typing import Any

from playwright.sync_api import expect

from kepu.demo.network import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS


def sign_in(page: Any, url: str, username: str) -> None:
    page.goto(url + "/")
    expect(page).to_have_url(re.compile(r"/login/"))
    page.get_by_label("用户名").fill(username)
    page.get_by_label("密码").fill(DEMO_PASSWORD)
    page.locator("main").get_by_role("button", name="登录").click()


def test_jian_manager_sees_the_venue_in_chinese_then_english(page: Any, server_url: str) -> None:
    # The browser asks for English (locale en-US), yet kepu opens in Chinese until switched.
    sign_in(page, server_url, "jian")
    expect(page.locator("#venue-name")).to_have_text("集安市科技馆")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    expect(page.get_by_role("heading", name="展厅")).to_be_visible()
    expect(page.get_by_text("1,340 m²").first).to_be_visible()
    expect(page.get_by_role("link", name="东北三省一区科普场馆联盟")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "01-jian-venue-zh.png"), full_page=True)

    page.get_by_role("link", name="开放日历").first.click()
    expect(page.locator("#calendar-title")).to_contain_text("年开放日历")
    page.goto(page.url.split("?")[0] + "?year=2024")
    expect(page.locator("#open-days")).to_have_text("265")
    page.locator("#day-input").fill("2024-10-01")
    page.get_by_role("button", name="查询").click()
    expect(page.locator("#day-answer")).to_contain_text(
        "开放：国庆节假期（平日为闭馆日：展品维护保养）"
    )
    page.screenshot(path=str(ARTIFACTS / "02-jian-calendar-2024-zh.png"), full_page=True)

    page.get_by_role("button", name="English").click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_text("Statutory holidays 2024")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "03-jian-calendar-2024-en.png"), full_page=True)
    page.get_by_role("link", name="Ji'an Science and Technology Museum").click()
    expect(page.locator("#venue-name")).to_have_text("Ji'an Science and Technology Museum")
    expect(page.get_by_role("heading", name="Registration record")).to_be_visible()
    expect(page.get_by_text("Cave Classroom")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "04-jian-venue-en.png"), full_page=True)


def test_manager_gets_clear_errors_and_keeps_input(page: Any, server_url: str) -> None:
    sign_in(page, server_url, "jian")
    page.get_by_role("link", name="添加展厅").click()
    page.locator("#id_name").fill("天文科普厅")
    page.locator("#id_kind").select_option("temporary")
    page.locator("#id_area_m2").fill("0")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("请更正下列错误。").first).to_be_visible()
    expect(page.locator("#id_name")).to_have_value("天文科普厅")
    page.screenshot(path=str(ARTIFACTS / "05-hall-form-error-zh.png"), full_page=True)
    page.locator("#id_area_m2").fill("120")
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("展厅已添加。")).to_be_visible()
    expect(page.get_by_role("cell", name="天文科普厅")).to_be_visible()


def test_alliance_coordinator_sees_all_129_members(page: Any, server_url: str) -> None:
    sign_in(page, server_url, "dongbei")
    expect(page.get_by_role("heading", name="东北三省一区科普场馆联盟")).to_be_visible()
    expect(page.locator("#member-total")).to_have_text("129")
    expect(page.locator("#members tbody tr")).to_have_count(129)
    page.screenshot(path=str(ARTIFACTS / "06-northeast-alliance-zh.png"), full_page=False)
    page.get_by_role("link", name=re.compile(r"^吉林省 \d+$")).click()
    expect(page.get_by_role("link", name="集安市科技馆")).to_be_visible()
    expect(page.get_by_text("辽宁省科学技术馆")).to_have_count(0)


def test_national_administrator_sees_the_network(page: Any, server_url: str) -> None:
    sign_in(page, server_url, "admin")
    expect(page.get_by_role("heading", name="全国网络")).to_be_visible()
    page.get_by_role("link", name="场馆", exact=True).click()
    page.get_by_label("类型").select_option("mobile_station")
    expect(page.get_by_role("link", name="新民市流动科技馆站")).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "07-national-venues-zh.png"), full_page=True)
