"""A visitor books on a phone; gate staff check them in. Screenshots in tests/artifacts/."""

from __future__ import annotations

import json
import urllib.request
from datetime import date, datetime
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from kepu.demo.network import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import sign_in
from tests.visits.conftest import resident_id


def api(base: str, path: str, token: str | None = None, body: dict[str, Any] | None = None) -> Any:
    request = urllib.request.Request(  # noqa: S310  (the test's own server on loopback)
        base + path,
        data=json.dumps(body).encode() if body is not None else None,
        headers={
            "Content-Type": "application/json",
            **({"Authorization": f"Token {token}"} if token else {}),
        },
        method="POST" if body is not None else "GET",
    )
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        return json.loads(response.read())


def shanghai_today() -> date:
    return datetime.now(ZoneInfo("Asia/Shanghai")).date()


def prepare_today(base: str) -> int:
    """As Ji'an's manager: an all-day slot, and a special opening if today is a closed day."""
    token = api(base, "/api/v1/auth/token/", body={"username": "jian", "password": DEMO_PASSWORD})[
        "token"
    ]
    venue_id = api(base, "/api/v1/venues/", token)["results"][0]["id"]
    api(
        base,
        f"/api/v1/venues/{venue_id}/slot-templates/",
        token,
        {
            "name": "全天场",
            "name_en": "All day",
            "starts_at": "00:00",
            "ends_at": "23:59",
            "weekday_capacity": 50,
            "holiday_capacity": 50,
        },
    )
    today = api(base, f"/api/v1/venues/{venue_id}/calendar/{shanghai_today():%Y-%m-%d}/", token)
    if not today["is_open"]:
        api(
            base,
            f"/api/v1/venues/{venue_id}/calendar-exceptions/",
            token,
            {
                "kind": "special_opening",
                "starts_on": today["date"],
                "ends_on": today["date"],
                "reason": "浏览器测试特别开放",
                "category": "event",
            },
        )
    return int(venue_id)


def test_visitor_books_and_gate_staff_check_in(browser: Any, server_url: str) -> None:
    venue_id = prepare_today(server_url)
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    visitor = phone.new_page()
    visitor.goto(server_url + "/visit/")
    visitor.get_by_role("link", name="集安市科技馆").click()
    visitor.locator(f"#days a[data-date='{shanghai_today():%Y-%m-%d}']").click()
    slot = visitor.locator("[data-slot]", has_text="全天场")
    slot.get_by_role("link", name="预约").click()
    visitor.locator("#id_people-0-name").fill("韩梅梅")
    visitor.locator("#id_people-0-id_number").fill("220582199001010000")  # a wrong check digit
    visitor.locator("#id_phone").fill("13812345678")
    visitor.get_by_role("button", name="确认预约").click()
    expect(visitor.get_by_text("证件号码校验位不正确，请逐位核对。")).to_be_visible()
    expect(visitor.locator("#id_people-0-name")).to_have_value("韩梅梅")
    visitor.screenshot(path=str(ARTIFACTS / "10-visitor-booking-error-zh.png"), full_page=True)
    visitor.locator("#id_people-0-id_number").fill(resident_id(77, date(1990, 1, 1)))
    visitor.get_by_role("button", name="确认预约").click()
    expect(visitor.locator("#booking-status")).to_have_text("已确认")
    expect(visitor.locator("#qr svg")).to_be_visible()
    reference = visitor.locator("#booking-reference").inner_text().strip()
    visitor.screenshot(path=str(ARTIFACTS / "11-visitor-booking-confirmed-zh.png"), full_page=True)
    phone.close()

    desk = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk.new_page()
    sign_in(staff, server_url, "jian-staff")
    staff.goto(f"{server_url}/venues/{venue_id}/gate/")
    staff.locator("#gate-code").fill(reference)
    staff.get_by_role("button", name="查询").click()
    expect(staff.get_by_text("韩*")).to_be_visible()
    staff.get_by_role("button", name="核验入馆").click()
    expect(staff.locator("#inside-now")).to_have_text("1")
    staff.screenshot(path=str(ARTIFACTS / "12-gate-checked-in-zh.png"), full_page=True)
    staff.locator("#gate-code").fill(reference)
    staff.get_by_role("button", name="查询").click()
    expect(staff.locator("#gate-result").get_by_text("已入馆")).to_be_visible()
    desk.close()
