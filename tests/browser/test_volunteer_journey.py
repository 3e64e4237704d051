"""A visitor applies to volunteer on a phone, the coordinator accepts them, they sign up for a
shift, are checked in and out at the desk, and download their service certificate, which anyone
can verify. Screenshots in tests/artifacts/volunteer-*.png.

A live server's clock cannot be moved: the shift starts a few minutes after the test begins,
so the check-in and check-out at the desk fall before it and credit no minutes; the coordinator
then records the hours served with an audited correction, as they do for a paper sign-in sheet.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from kepu.demo.network import DEMO_PASSWORD
from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import sign_in
from tests.browser.test_visit_journey import api
from tests.visits.conftest import resident_id

SHANGHAI = ZoneInfo("Asia/Shanghai")


def coming_shift(base: str) -> tuple[int, int]:
    """As Xi'an's coordinator, through the API: a one-off shift starting in ten minutes with two
    places for visitor guidance. Returns the venue's and the shift's ids."""
    token = api(
        base,
        "/api/v1/auth/token/",
        body={"username": "xian-volunteers", "password": DEMO_PASSWORD},
    )["token"]
    venue_id = api(base, "/api/v1/venues/", token)["results"][0]["id"]
    today = datetime.now(SHANGHAI).date()
    shifts = api(
        base,
        f"/api/v1/venues/{venue_id}/volunteer-shifts/?start={today - timedelta(days=7)}"
        f"&end={today + timedelta(days=7)}&page_size=500",
        token,
    )["results"]
    guidance = next(p["post"] for s in shifts for p in s["posts"] if p["post_name"] == "观众引导")
    starts = datetime.now(SHANGHAI).replace(second=0, microsecond=0) + timedelta(minutes=10)
    shift = api(
        base,
        f"/api/v1/venues/{venue_id}/volunteer-shifts/",
        token,
        {
            "title": "浏览器测试服务班",
            "starts_at": starts.isoformat(),
            "ends_at": (starts + timedelta(hours=3)).isoformat(),
            "place_name": "一层大厅",
            "places": [{"post": guidance, "places": 2}],
        },
    )
    return int(venue_id), int(shift["id"])


def render_pdf(pdf: str, png_stem: str) -> None:
    """The certificate's first page as a PNG next to the other screenshots (poppler)."""
    pdftoppm = shutil.which("pdftoppm")
    if pdftoppm:
        subprocess.run(
            [pdftoppm, "-png", "-r", "70", "-singlefile", pdf, str(ARTIFACTS / png_stem)],
            check=True,
            timeout=60,
        )


def test_visitor_applies_is_accepted_serves_and_gets_a_certificate(
    browser: Any, server_url: str
) -> None:
    venue_id, shift_id = coming_shift(server_url)

    # 1. A visitor applies on a phone, without an account.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    visitor = phone.new_page()
    visitor.goto(server_url + "/volunteer/")
    visitor.locator("#drives a", has_text="西安市科学技术馆").first.click()
    visitor.locator("input[name=category][value=public]").check()
    visitor.locator("#id_name").fill("林小雨")
    good_id = resident_id(901, date(1996, 6, 6), "610113")
    wrong_id = good_id[:-1] + ("1" if good_id[-1] != "1" else "2")
    visitor.locator("#id_id_number").fill(wrong_id)  # a wrong check digit
    visitor.locator("#id_phone").fill("13900000901")
    visitor.locator("#id_organisation").fill("西安市碑林区南院门街道")
    visitor.locator("#id_skills").fill("英语导览、摄影")
    visitor.locator("input[name=languages][value=en]").check()
    visitor.locator("input[name=availability][value=weekend_am]").check()
    visitor.locator("input[name=availability][value=weekend_pm]").check()
    visitor.locator("#id_username").fill("lin.xiaoyu")
    visitor.locator("#id_password").fill("Kepu-volunteer-2024")
    visitor.locator("#id_agreed").check()
    visitor.locator("#submit-application").click()
    expect(visitor.locator("#field-id_number .invalid-feedback")).to_be_visible()
    expect(visitor.locator("#id_name")).to_have_value("林小雨")
    visitor.screenshot(path=str(ARTIFACTS / "volunteer-1-apply-error-zh.png"), full_page=True)
    visitor.locator("#id_id_number").fill(good_id)
    visitor.locator("#id_password").fill("Kepu-volunteer-2024")
    visitor.locator("#submit-application").click()
    expect(visitor.locator("#application-status")).to_be_visible()
    reference = visitor.locator("#application-reference").inner_text().strip()
    visitor.screenshot(path=str(ARTIFACTS / "volunteer-2-applied-zh.png"), full_page=True)

    # 2. The coordinator interviews and accepts them.
    desk_context = browser.new_context(viewport={"width": 1280, "height": 900})
    staff = desk_context.new_page()
    sign_in(staff, server_url, "xian-volunteers")
    staff.goto(f"{server_url}/venues/{venue_id}/volunteers/applications/?q={reference}")
    staff.locator("#applications a", has_text=reference).click()
    staff.locator("#interview-form textarea").fill("表达清楚，周末可固定服务。")
    staff.locator("#interview-form button").click()
    expect(staff.locator("#application-status")).to_have_class(re.compile("text-bg-info"))
    staff.locator("#accept-form select[name=team]").select_option(label="观众服务队")
    staff.screenshot(path=str(ARTIFACTS / "volunteer-3-application.png"), full_page=True)
    staff.locator("#accept-form button").click()
    expect(staff.locator("#volunteer-status")).to_be_visible()
    number = staff.locator("h1 small").inner_text().strip()
    staff.screenshot(path=str(ARTIFACTS / "volunteer-4-accepted.png"), full_page=True)

    # 3. The volunteer signs up for the coming shift.
    visitor.goto(server_url + "/volunteer/me/")
    expect(visitor.locator("#my-qr svg")).to_be_visible()
    visitor.locator("#find-shifts").click()
    shift_card = visitor.locator("#open-places [data-shift]", has_text="浏览器测试服务班")
    shift_card.locator("button[data-sign-up]").click()
    expect(
        visitor.locator("#open-places [data-shift]", has_text="浏览器测试服务班").locator(".badge")
    ).to_be_visible()
    visitor.goto(server_url + "/volunteer/me/")
    expect(visitor.locator("#my-coming")).to_contain_text("浏览器测试服务班")
    visitor.screenshot(path=str(ARTIFACTS / "volunteer-5-my-shifts-zh.png"), full_page=True)

    # 4. At the venue's desk: checked in, then out (by the volunteer number on their card).
    staff.goto(f"{server_url}/venues/{venue_id}/volunteers/desk/")
    staff.locator("#id_code").fill(number)
    staff.locator("#desk-form button").click()
    expect(staff.locator("#desk-result")).to_contain_text(number)
    staff.screenshot(path=str(ARTIFACTS / "volunteer-6-desk-checked-in.png"), full_page=True)
    staff.locator("#id_code").fill(number)
    staff.locator("#desk-form button").click()
    expect(staff.locator("#desk-result")).to_contain_text("0.0")
    # The hours served, from the paper sheet, with the reason kept in the audit log.
    staff.goto(f"{server_url}/venues/{venue_id}/volunteers/shifts/{shift_id}/")
    roster_row = staff.locator(f"#roster tr[data-number='{number}']")
    expect(roster_row.locator("[data-status]")).to_have_attribute("data-status", "completed")
    correct = roster_row.locator("details[data-correct]")
    correct.locator("summary").click()
    correct.locator("input[name=hours]").fill("2.5")
    correct.locator("input[name=reason]").fill("按现场签到表核定服务时长")
    correct.locator("button").click()
    expect(staff.locator(f"#roster tr[data-number='{number}']")).to_contain_text("2.5")
    staff.screenshot(path=str(ARTIFACTS / "volunteer-7-roster.png"), full_page=True)
    desk_context.close()

    # 5. The volunteer gets their certificate; anyone can check its code.
    visitor.goto(server_url + "/volunteer/me/")
    expect(visitor.locator("#my-hours")).to_have_text("2.5")
    visitor.locator("#issue-certificate").click()
    link = visitor.locator("#my-certificates a[data-download]").first
    expect(link).to_be_visible()
    code = link.get_attribute("data-download")
    assert code
    with visitor.expect_download() as download:
        link.click()
    pdf = ARTIFACTS / "volunteer-certificate.pdf"
    download.value.save_as(str(pdf))
    assert pdf.read_bytes().startswith(b"%PDF")
    render_pdf(str(pdf), "volunteer-9-certificate")
    visitor.screenshot(path=str(ARTIFACTS / "volunteer-8-certificates-zh.png"), full_page=True)
    phone.close()

    anyone = browser.new_page()
    anyone.goto(f"{server_url}/volunteer/verify/")
    anyone.locator("#id_code").fill(code.lower())
    anyone.locator("main form button").click()
    expect(anyone.locator("#verify-result")).to_be_visible()
    expect(anyone.locator("#verify-hours")).to_contain_text("2.5")
    anyone.screenshot(path=str(ARTIFACTS / "volunteer-10-verified.png"), full_page=True)
    anyone.close()
