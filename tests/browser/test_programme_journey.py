"""A manager plans a study tour, a visitor signs up on a phone, the manager records who came.

Screenshots in tests/artifacts/programme-*.png.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from playwright.sync_api import expect

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import sign_in
from tests.browser.test_visit_journey import shanghai_today

TITLE = "2026冬季研学：湿地与候鸟"
PARTNERS = "集安市教育局、吉林省林业科学研究院、集安市鸭绿江国家湿地公园"
OUTREACH_PLACE = "青石镇湿地保护站"
HALL = "洞穴课堂"


def open_calendar_month(page: Any, day: date) -> None:
    """From the programme pages, the calendar tab, then ‹ › to the month of ``day``."""
    page.locator(".nav-tabs").get_by_role("link", name="日历").click()
    wanted = f"{day:%Y-%m}"
    for _ in range(13):
        shown = page.locator("main h1").inner_text().strip()
        if shown == wanted:
            return
        arrow = "‹" if shown > wanted else "›"
        page.get_by_role("link", name=re.compile(re.escape(arrow))).click()
        expect(page.locator("main h1")).not_to_have_text(shown)
    raise AssertionError(f"the calendar never showed {wanted}")


def add_session(page: Any, day: date, starts: str, ends: str, **place: str) -> None:
    """On the activity page: 添加场次, fill the form, save; lands on the new session's page."""
    page.get_by_role("link", name="添加场次").click()
    expect(page.get_by_role("heading", name=f"{TITLE} 的场次")).to_be_visible()
    page.locator("#id_day").fill(f"{day:%Y-%m-%d}")
    page.locator("#id_starts").fill(starts)
    page.locator("#id_ends").fill(ends)
    page.locator("#id_place_kind").select_option(place["kind"])
    if "hall" in place:
        page.locator("#id_hall").select_option(label=place["hall"])
    if "name" in place:
        page.locator("#id_place_name").fill(place["name"])
    page.locator("#id_capacity").fill(place["capacity"])
    page.locator("#id_registration_open").check()
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.locator("#session-status")).to_have_text("计划中")
    expect(page.locator("main")).to_contain_text(f"{day:%Y-%m-%d} {starts}–{ends}")


def test_manager_plans_visitor_signs_up_manager_records(browser: Any, server_url: str) -> None:
    today = shanghai_today()
    past = today - timedelta(days=1)
    future = today + timedelta(days=3)
    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desk.new_page()

    # 1. The venue page's 科普活动 button opens the programme.
    sign_in(page, server_url, "jian")
    expect(page.locator("#venue-name")).to_have_text("集安市科技馆")
    found = re.search(r"/venues/(\d+)/$", page.url)
    assert found is not None, page.url
    venue_id = int(found.group(1))
    page.get_by_role("link", name="科普活动", exact=True).click()
    expect(page).to_have_url(re.compile(rf"/venues/{venue_id}/programme/$"))
    expect(page.locator(".breadcrumb .active")).to_have_text("科普活动")
    expect(page.get_by_role("link", name="新建活动")).to_be_visible()
    expect(page.locator("#activities").get_by_role("link", name=TITLE)).to_have_count(0)
    page.screenshot(path=str(ARTIFACTS / "programme-1-list.png"), full_page=True)

    # 2. A new study tour for primary pupils, with its partner organisations.
    page.get_by_role("link", name="新建活动").click()
    page.locator("#id_name").fill(TITLE)
    page.locator("#id_name_en").fill("Winter study tour 2026: wetlands and migratory birds")
    page.locator("#id_activity_type").select_option("study_tour")
    page.locator("#id_audience").select_option("primary")
    page.locator("#id_partners").fill(PARTNERS)
    page.locator("#id_topics").fill("湿地生态、候鸟迁徙、自然保护")
    page.locator("#id_description").fill(
        "带领小学生走进鸭绿江湿地，观察越冬候鸟，学习湿地生态保护知识。"
    )
    expect(page.locator("#id_activity_type")).to_have_value("study_tour")
    page.screenshot(path=str(ARTIFACTS / "programme-2-activity-form.png"), full_page=True)
    page.get_by_role("button", name="保存").click()
    expect(page.get_by_text("已保存。")).to_be_visible()
    expect(page.locator("#activity-name")).to_have_text(TITLE)
    expect(page.locator("main .badge").filter(has_text="研学实践")).to_be_visible()
    expect(page.locator("main .badge").filter(has_text="小学生")).to_be_visible()
    expect(page.get_by_text(PARTNERS)).to_be_visible()
    expect(page.locator("#sessions tbody")).to_contain_text("尚无场次。")
    activity_url = page.url

    # 3. Yesterday's outreach session (so it can be recorded) and one in three days in a hall.
    add_session(page, past, "09:00", "11:30", kind="village", name=OUTREACH_PLACE, capacity="40")
    past_url = page.url
    page.locator(".breadcrumb").get_by_role("link", name=TITLE).click()
    add_session(page, future, "14:00", "16:00", kind="hall", hall=HALL, capacity="30")
    future_url = page.url
    page.locator(".breadcrumb").get_by_role("link", name=TITLE).click()
    expect(page).to_have_url(activity_url)
    rows = page.locator("#sessions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text(f"{past:%Y-%m-%d} 09:00–11:30")
    expect(rows.nth(0)).to_contain_text(f"乡村: {OUTREACH_PLACE}")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("0/40")
    expect(rows.nth(1)).to_contain_text(f"{future:%Y-%m-%d} 14:00–16:00")
    expect(rows.nth(1)).to_contain_text(f"本馆展厅: {HALL}")
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("0/30")
    for row in (rows.nth(0), rows.nth(1)):
        expect(row.locator("td").nth(2)).to_have_text("计划中")
        expect(row.locator("td").nth(4)).to_have_text("—")
    page.screenshot(path=str(ARTIFACTS / "programme-3-sessions.png"), full_page=True)

    # 4. A visitor on a phone finds the coming session (not yesterday's) and signs up two.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    visitor = phone.new_page()
    visitor.goto(f"{server_url}/visit/{venue_id}/activities/")
    expect(visitor.get_by_role("heading", name="集安市科技馆")).to_be_visible()
    expect(visitor.get_by_text("可报名的活动")).to_be_visible()
    ours = visitor.locator("#open-sessions a", has_text=TITLE)
    expect(ours).to_have_count(1)
    expect(ours).to_contain_text(f"{future:%Y-%m-%d}")
    expect(ours).to_contain_text(HALL)
    expect(ours.locator(".badge")).to_have_text("余 30")
    ours.click()
    expect(visitor.get_by_role("heading", name=TITLE)).to_be_visible()
    expect(visitor.locator("#places-left")).to_have_text("余 30 个名额")
    visitor.locator("#id_name").fill("李小雨")
    visitor.locator("#id_phone").fill("13912345678")
    visitor.locator("#id_headcount").fill("2")
    visitor.locator("#signup-form").get_by_role("button", name="报名").click()
    expect(visitor.get_by_text("报名成功。")).to_be_visible()
    expect(visitor.locator("#signup-status")).to_have_text("已确认")
    expect(visitor.locator("#signup-reference")).to_have_text(re.compile(r"^\w{6,12}$"))
    confirmation = visitor.locator("main dl")
    expect(confirmation).to_contain_text("李**")
    expect(confirmation).to_contain_text("139****5678")
    expect(visitor.get_by_role("button", name="取消报名")).to_be_visible()
    visitor.screenshot(path=str(ARTIFACTS / "programme-4-signup.png"), full_page=True)
    visitor.goto(f"{server_url}/visit/{venue_id}/activities/")
    expect(visitor.locator("#open-sessions a", has_text=TITLE).locator(".badge")).to_have_text(
        "余 28"
    )
    phone.close()

    # 5. The manager sees the sign-up counted, then records yesterday's participants as 约86.
    page.reload()
    expect(rows.nth(1).locator("td").nth(3)).to_have_text("2/30")
    expect(rows.nth(0).locator("td").nth(3)).to_have_text("0/40")
    rows.nth(1).get_by_role("link").click()
    expect(page).to_have_url(future_url)
    expect(page.locator("main .badge").filter(has_text="名额")).to_have_text("剩余 28 / 30 个名额")
    signups = page.locator("#registrations tbody tr")
    expect(signups).to_have_count(1)
    expect(signups.first).to_contain_text("李**")
    expect(signups.first).to_contain_text("139****5678")
    expect(signups.first.locator("td").nth(4)).to_have_text("2")
    expect(signups.first.locator("td").nth(5)).to_have_text("已确认")
    # A session still to come cannot be recorded as held.
    page.locator("#id_participants").fill("10")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("该场次尚未开始，举办后再登记。").first).to_be_visible()
    expect(page.locator("#session-status")).to_have_text("计划中")

    page.locator(".breadcrumb").get_by_role("link", name=TITLE).click()
    rows.nth(0).get_by_role("link").click()
    expect(page).to_have_url(past_url)
    expect(page.locator("#registrations")).to_contain_text("尚无报名。")
    page.locator("#id_participants").fill("86")
    page.locator("#id_participants_approximate").check()
    page.locator("#id_st_workers").fill("3")
    page.get_by_role("button", name="登记", exact=True).click()
    expect(page.get_by_text("参与人数已登记。")).to_be_visible()
    expect(page.locator("#session-status")).to_have_text("已举办")
    expect(page.locator("#id_participants")).to_have_value("86")
    expect(page.locator("#id_participants_approximate")).to_be_checked()
    expect(page.locator("main h2").filter(has_text="科技工作者")).to_contain_text("3")
    page.screenshot(path=str(ARTIFACTS / "programme-5-record.png"), full_page=True)

    # The activity, the list and the year's figures carry 86 with its 约.
    page.locator(".breadcrumb").get_by_role("link", name=TITLE).click()
    expect(rows.nth(0).locator("td").nth(2)).to_have_text("已举办")
    expect(rows.nth(0).locator("td").nth(4)).to_have_text("约86")
    expect(rows.nth(1).locator("td").nth(4)).to_have_text("—")
    page.locator(".nav-tabs").get_by_role("link", name="活动").click()
    page.locator("#id_year").fill(str(past.year))
    page.get_by_role("button", name="筛选").click()
    expect(page).to_have_url(re.compile(rf"year={past.year}"))
    expect(page.locator("#sessions-total")).to_have_text("1")
    expect(page.locator("#participants-total")).to_have_text("约86")
    expect(page.locator("#figures")).to_contain_text("1 · 约86")  # outreach sessions · people
    by_type = page.locator("span").filter(has=page.locator("strong", has_text="研学实践"))
    expect(by_type).to_have_text(re.compile(r"^研学实践\s*1 场 · 约86$"))
    row = page.locator("#activities tbody tr", has_text=TITLE)
    expect(row).to_have_count(1)
    expect(row).to_contain_text("集安市教育局")
    expect(row.locator("td").nth(1)).to_have_text("研学实践")
    expect(row.locator("td").nth(2)).to_have_text("小学生")
    expect(row.locator("td").nth(4)).to_have_text("1/2" if future.year == past.year else "1")
    expect(row.locator("td").nth(5)).to_have_text("约86")

    # The calendar shows both sessions on their days, each linking to its page.
    for day, starts, url in ((past, "09:00", past_url), (future, "14:00", future_url)):
        open_calendar_month(page, day)
        cell = page.locator("#month td").filter(
            has=page.locator("div.fw-bold", has_text=re.compile(rf"^{day.day}$"))
        )
        link = cell.get_by_role("link", name=f"{starts} {TITLE}")
        expect(link).to_have_count(1)
        expect(link).to_have_attribute("href", url.removeprefix(server_url))
    page.screenshot(path=str(ARTIFACTS / "programme-6-calendar.png"), full_page=True)
    desk.close()
