"""Statistics and reports: a venue's dashboard, indicators and reports, the figures and the
narrative staff write, and an alliance's roll-up. Screenshots in tests/artifacts/stats-*.png.

New UI labels may still be untranslated, so the journey finds its way by ids, ``data-key``
attributes and URLs, and asserts figures rather than wording.
"""

from __future__ import annotations

import re
from typing import Any

import docx
from playwright.sync_api import expect
from pypdf import PdfReader

from tests.browser.conftest import ARTIFACTS
from tests.browser.test_journeys import sign_in

LIAONING = "辽宁省科学技术馆"
ALLIANCE = "东北三省一区科普场馆联盟"
FEATURED = "2024年集安市科技馆推出“鸭绿江湿地候鸟”系列研学课程，全年服务中小学生约1650人次。"


def desk(browser: Any) -> Any:
    return browser.new_context(viewport={"width": 1280, "height": 900}, locale="en-US")


def venue_id_of(page: Any) -> int:
    found = re.search(r"/venues/(\d+)/$", page.url)
    assert found is not None, page.url
    return int(found.group(1))


def open_tab(page: Any, venue_id: int, path: str) -> None:
    """One of the statistics tabs (dashboard, statistics, reports, figures, records)."""
    page.locator("#stats-tabs").locator(f"a[href='/venues/{venue_id}/{path}/']").click()
    expect(page).to_have_url(re.compile(rf"/venues/{venue_id}/{path}/$"))
    expect(page.locator("#stats-tabs a.active")).to_have_attribute(
        "href", f"/venues/{venue_id}/{path}/"
    )


def choose_year(page: Any, year: int) -> None:
    """The year selector submits itself on change."""
    page.locator("#year").select_option(str(year))
    expect(page).to_have_url(re.compile(rf"\?year={year}$"))
    expect(page.locator("#year")).to_have_value(str(year))


def row(page: Any, key: str) -> Any:
    return page.locator(f"#indicators tbody tr[data-key='{key}']")


def download(page: Any, form: Any, fmt: str, name: str) -> Any:
    """Choose a format and 中文 in a download form, click, and keep the file in the artifacts."""
    form.locator("select[name='format']").select_option(fmt)
    form.locator("select[name='lang']").select_option(label="中文")
    with page.expect_download() as info:
        form.get_by_role("button").click()
    file = info.value
    assert file.failure() is None
    assert file.suggested_filename.endswith(f".{fmt}"), file.suggested_filename
    path = ARTIFACTS / name
    file.save_as(path)
    return path


def test_liaoning_dashboard_indicators_and_reports(browser: Any, server_url: str) -> None:
    context = desk(browser)
    page = context.new_page()

    # 1. The venue page's 统计与报告 button opens the dashboard; the year selector shows 2023.
    sign_in(page, server_url, "liaoning")
    expect(page.locator("#venue-name")).to_have_text(LIAONING)
    venue_id = venue_id_of(page)
    page.locator(f"main a[href='/venues/{venue_id}/dashboard/']").click()
    expect(page).to_have_url(re.compile(rf"/venues/{venue_id}/dashboard/$"))
    expect(page.locator(".breadcrumb a")).to_have_text(LIAONING)
    expect(page.locator("#visits-total")).not_to_have_text("252.20万")  # this year, not 2023
    choose_year(page, 2023)
    headline = page.locator("#headline .card")
    expect(headline).to_have_count(4)
    expect(page.locator("#visits-total")).to_have_text("252.20万")
    expect(headline.nth(0)).to_contain_text("213.41%")
    expect(headline.nth(1).locator(".value")).to_have_text("3.84万")
    expect(headline.nth(1)).to_contain_text("2023-05-01")
    expect(headline.nth(2).locator(".value")).to_have_text("316")  # open days
    expect(headline.nth(3).locator(".value")).to_have_text("2800 · 约33.49万")
    # The heat map: one cell per day of 2023, the peak day in the darkest shade.
    days = page.locator("#heatmap .heat[title]")
    expect(days).to_have_count(365)
    expect(days.first).to_have_attribute("title", re.compile(r"^2023-01-01: \d+$"))
    expect(days.last).to_have_attribute("title", re.compile(r"^2023-12-31: \d+$"))
    expect(page.locator("#heatmap .heat[title='2023-05-01: 38353']")).to_have_class(
        re.compile(r"\bheat-4\b")
    )
    expect(page.locator("#heatmap")).to_be_visible()
    # Twelve months against 2022; May 2023 drawn wider than May 2022.
    months = page.locator("#months tbody tr")
    expect(months).to_have_count(12)
    may = months.nth(4)
    expect(may.locator("td").last).to_contain_text("23.40万")
    expect(may.locator("td").last).to_contain_text("8.14万")
    now_width = may.locator(".bar-now").evaluate("e => e.getBoundingClientRect().width")
    before_width = may.locator(".bar-before").evaluate("e => e.getBoundingClientRect().width")
    assert now_width > 2 * before_width > 0, (now_width, before_width)
    # Sessions by type: 2800 in all.
    totals = page.locator("#types tbody tr td:last-child").all_inner_texts()
    assert sum(int(t) for t in totals) == 2800, totals
    # Outreach: a dot per place inside the drawn map, the same places in the table.
    dots = page.locator("#outreach-map circle")
    expect(page.locator("#outreach-map")).to_be_visible()
    expect(dots.first).to_be_visible()
    outreach = page.locator(".card").filter(has=page.locator("#outreach-map"))
    places = outreach.locator("table tbody tr")
    expect(places.first.locator("td").first).to_have_text("沈阳市康平县")
    expect(places.first.locator("td").nth(2)).to_have_text("6316")
    assert dots.count() == places.count() > 10, (dots.count(), places.count())
    expect(page.locator("#outreach-map title").first).to_have_text("沈阳市康平县: 21 · 6316")
    box = page.locator("#outreach-map").bounding_box()
    for dot in dots.all():
        inner = dot.bounding_box()
        cx, cy = inner["x"] + inner["width"] / 2, inner["y"] + inner["height"] / 2
        assert box["x"] <= cx <= box["x"] + box["width"], (inner, box)
        assert box["y"] <= cy <= box["y"] + box["height"], (inner, box)
    expect(page.locator("#caravan tbody tr")).to_have_count(12)
    page.screenshot(path=str(ARTIFACTS / "stats-1-dashboard.png"), full_page=True)

    # The same dashboard on a phone: nothing wider than the screen.
    phone = browser.new_context(
        viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True
    )
    mobile = phone.new_page()
    mobile.context.add_cookies(context.cookies())
    mobile.goto(page.url)
    expect(mobile.locator("#visits-total")).to_have_text("252.20万")
    overflow = mobile.evaluate(
        "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
    )
    assert overflow <= 0, f"the dashboard is {overflow}px wider than a 390px phone"
    mobile.screenshot(path=str(ARTIFACTS / "stats-6-dashboard-phone.png"), full_page=True)
    phone.close()

    # 2. Indicators for the period 2023: each row by its key.
    open_tab(page, venue_id, "statistics")
    page.locator("#period").fill("2023")
    page.locator("#period-form button").click()
    expect(page).to_have_url(re.compile(r"\?period=2023$"))
    expect(page.locator("#period")).to_have_value("2023")
    expected = {
        "visits_total": "252.20万",
        "visits_yoy_pct": "213.41%",
        "sessions_total": "2800",
        "caravan_km": "1.1万",
        "partner_schools": "330",
        "permanent_halls": "8",
        "exhibitions_count": "5",
        "open_days": "316",
        "media_posts": "约2700",
    }
    for key, value in expected.items():
        expect(row(page, key).locator(".value")).to_have_text(value)
    expect(row(page, "visits_peak_day").locator(".value")).to_contain_text("2023-05-01")
    expect(row(page, "visits_total").locator("td").nth(3)).to_have_text("+213.41%")
    # Figures entered by hand carry the warning badge; computed ones do not.
    expect(row(page, "media_posts").locator(".badge")).to_have_count(1)
    expect(row(page, "media_posts").locator("td").last).to_contain_text("admin")
    expect(row(page, "visits_total").locator(".badge")).to_have_count(0)
    # The sessions by type add up to the total.
    by_type = page.locator("#indicators tbody tr[data-key^='sessions_by_type.'] .value")
    assert sum(int(t) for t in by_type.all_inner_texts()) == 2800
    page.screenshot(path=str(ARTIFACTS / "stats-2-indicators.png"), full_page=True)

    # 3. Reports for 2023: read the annual review, then download it as PDF and Word.
    open_tab(page, venue_id, "reports")
    choose_year(page, 2023)
    review = f"/venues/{venue_id}/reports/annual-review/2023/"
    card = page.locator("#reports .card").filter(has=page.locator(f"a[href='{review}']"))
    expect(card).to_have_count(1)
    card.locator(f"a[href='{review}']").click()
    expect(page).to_have_url(re.compile(re.escape(review) + "$"))
    title = page.locator(".report-preview h1")
    expect(title).to_contain_text(LIAONING)
    expect(title).to_contain_text("213.41%")
    expect(title).to_contain_text("252.20万")
    expect(page.locator(".report-preview")).to_contain_text("3.84万")
    expect(page.locator(".report-preview figure img").first).to_be_visible()
    page.screenshot(path=str(ARTIFACTS / "stats-3-report.png"), full_page=True)

    form = page.locator("form.download-form")
    pdf = download(page, form, "pdf", "stats-annual-review.pdf")
    reader = PdfReader(pdf)
    text = "".join(p.extract_text() or "" for p in reader.pages)
    assert LIAONING in text, text[:500]
    assert "213.41" in text, text[:500]
    word = download(page, form, "docx", "stats-annual-review.docx")
    paragraphs = "\n".join(p.text for p in docx.Document(str(word)).paragraphs)
    assert "252.20万" in paragraphs, paragraphs[:500]
    assert LIAONING in paragraphs
    context.close()


def test_jian_enters_a_figure_and_writes_the_narrative(browser: Any, server_url: str) -> None:
    context = desk(browser)
    page = context.new_page()
    sign_in(page, server_url, "jian")
    expect(page.locator("#venue-name")).to_have_text("集安市科技馆")
    venue_id = venue_id_of(page)
    page.locator(f"main a[href='/venues/{venue_id}/dashboard/']").click()

    # 4a. Figures entered by hand, 2024: media posts for the first half-year.
    open_tab(page, venue_id, "figures")
    choose_year(page, 2024)
    listed = page.locator("#manual-figures tbody tr")
    half = listed.filter(has_text="2024-01-01 – 2024-06-30")
    expect(half).to_have_count(0)
    before = listed.count()
    page.locator("#id_key").select_option("media_posts")
    page.locator("#id_starts_on").fill("2024-01-01")
    page.locator("#id_ends_on").fill("2024-06-30")
    page.locator("#id_value").fill("7")
    page.locator("#id_note").fill("视频号 上半年")
    page.locator("#manual-form button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"/venues/{venue_id}/figures/\?year=2024$"))
    expect(listed).to_have_count(before + 1)
    expect(half).to_have_count(1)
    expect(half.locator("td").nth(2)).to_have_text("7")
    expect(half.locator("td").nth(0)).to_contain_text("视频号 上半年")
    expect(half.locator("td").nth(3)).to_contain_text("jian")
    # Entered again for the same period, the figure is replaced (now approximate), not doubled.
    page.locator("#id_key").select_option("media_posts")
    page.locator("#id_starts_on").fill("2024-01-01")
    page.locator("#id_ends_on").fill("2024-06-30")
    page.locator("#id_value").fill("8")
    page.locator("#id_approximate").check()
    page.locator("#manual-form button").click()
    expect(page.locator(".alert-success")).to_be_visible()
    expect(listed).to_have_count(before + 1)
    expect(half).to_have_count(1)
    expect(half.locator("td").nth(2)).to_have_text("约8")
    # The indicators of that half-year carry it, marked as entered by hand.
    open_tab(page, venue_id, "statistics")
    page.locator("#period").fill("2024-01-01..2024-06-30")
    page.locator("#period-form button").click()
    expect(page.locator("#period")).to_have_value("2024-01-01..2024-06-30")
    expect(row(page, "media_posts").locator(".value")).to_have_text("约8")
    expect(row(page, "media_posts").locator(".badge")).to_have_count(1)
    expect(row(page, "media_posts").locator("td").last).to_contain_text("jian")

    # 4b. The self-evaluation 2024: write the featured work, save, read it in the report.
    open_tab(page, venue_id, "reports")
    choose_year(page, 2024)
    edit = f"/venues/{venue_id}/reports/self-evaluation/2024/edit/"
    page.locator(f"#reports a[href='{edit}']").click()
    expect(page).to_have_url(re.compile(re.escape(edit) + "$"))
    featured = page.locator("#id_featured")
    expect(featured).not_to_have_value("")  # the demo's text, to be replaced
    old = featured.input_value()
    featured.fill(FEATURED)
    page.locator("main form").get_by_role("button", name="保存").click()
    preview = f"/venues/{venue_id}/reports/self-evaluation/2024/"
    expect(page).to_have_url(re.compile(re.escape(preview) + "$"))
    expect(page.locator(".alert-success")).to_be_visible()
    document = page.locator(".report-preview")
    expect(document).to_contain_text(FEATURED)
    expect(document).not_to_contain_text(old[:30])
    expect(document.locator("h1")).to_contain_text("集安市科技馆")
    page.screenshot(path=str(ARTIFACTS / "stats-4-narrative.png"), full_page=True)
    # The text stays: the form opens with it again.
    page.locator(f"main a[href='{edit}']").click()
    expect(page.locator("#id_featured")).to_have_value(FEATURED)
    context.close()


def test_alliance_ranks_its_members_and_a_venue_keeps_its_reports(
    browser: Any, server_url: str
) -> None:
    context = desk(browser)
    page = context.new_page()

    # 5. The coordinator opens the alliance, its Statistics button, the period 2023.
    sign_in(page, server_url, "dongbei")
    expect(page.locator("main h1")).to_have_text(ALLIANCE)
    found = re.search(r"/alliances/(\d+)/$", page.url)
    assert found is not None, page.url
    alliance_id = int(found.group(1))
    members = int(page.locator("#member-total").inner_text())
    page.locator(f"main a[href='/alliances/{alliance_id}/statistics/']").click()
    expect(page).to_have_url(re.compile(rf"/alliances/{alliance_id}/statistics/$"))
    expect(page.locator("main h1")).to_contain_text(ALLIANCE)
    page.locator("#period").fill("2023")
    page.locator("#period-form button").click()
    expect(page).to_have_url(re.compile(r"period=2023"))
    rows = page.locator("#rollup tbody tr")
    expect(rows).to_have_count(members)

    # Sorted by name first, then by visits (the header link), the busiest first.
    header = page.locator("#rollup thead")
    header.locator("a[href*='sort=name']").click()
    expect(page).to_have_url(re.compile(r"period=2023&sort=name&dir=asc"))
    expect(rows.first.locator("td").first).not_to_have_text(LIAONING)
    header.locator("a[href*='sort=visits_total']").click()
    expect(page).to_have_url(re.compile(r"period=2023&sort=visits_total&dir=desc"))
    expect(header.locator("a[href*='sort=visits_total']")).to_contain_text("▼")
    first = rows.first.locator("td")
    expect(first.first).to_have_text(LIAONING)
    expect(first.nth(1)).to_have_text("252.20万")
    expect(first.nth(3)).to_have_text("213.41%")
    expect(rows).to_have_count(members)
    # Only Liaoning counted visits in 2023: the total row carries its figure.
    total = page.locator("#rollup tfoot td")
    expect(total.first).to_contain_text(str(members))
    expect(total.nth(1)).to_have_text("252.20万")
    page.screenshot(path=str(ARTIFACTS / "stats-5-alliance.png"), full_page=True)

    # Clicked again, the order turns ascending: the busiest last.
    header.locator("a[href*='sort=visits_total']").click()
    expect(page).to_have_url(re.compile(r"sort=visits_total&dir=asc"))
    expect(rows.last.locator("td").first).to_have_text(LIAONING)

    # Its row links to its indicators; the manager of another venue cannot open its reports.
    href = rows.last.locator("td a").get_attribute("href")
    found = re.search(r"/venues/(\d+)/statistics/", href or "")
    assert found is not None, href
    liaoning_id = int(found.group(1))
    context.close()

    other = desk(browser)
    page = other.new_page()
    sign_in(page, server_url, "jian")
    expect(page.locator("#venue-name")).to_have_text("集安市科技馆")
    for path in ("reports/", "dashboard/", "reports/annual-review/2023/"):
        response = page.goto(f"{server_url}/venues/{liaoning_id}/{path}")
        assert response is not None and response.status == 404, (path, response)
        expect(page.locator("main")).to_contain_text("该页面不存在")
        expect(page.locator("main")).not_to_contain_text(LIAONING)
    other.close()
