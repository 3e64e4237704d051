"""The statistics pages: dashboard, indicators, reports, what staff enter by hand, roll-ups."""

from __future__ import annotations

import io

from django.utils import translation
from openpyxl import load_workbook

from kepu.network.models import Alliance, Venue
from kepu.programs.models import Exhibition
from kepu.stats.indicators import Value
from kepu.stats.models import Honour, ManualFigure
from kepu.stats.reports.render import rollup_xlsx
from tests.conftest import signed_in


def test_the_dashboard_shows_the_year_from_the_records(liaoning: Venue) -> None:
    page = signed_in("liaoning").get(f"/venues/{liaoning.pk}/dashboard/", {"year": 2023})
    html = page.content.decode()
    assert page.status_code == 200
    assert "252.20万" in html and "213.41%" in html and "2023-05-01" in html
    assert html.count('class="heat heat-') >= 365
    assert 'id="outreach-map"' in html
    assert signed_in("jian").get(f"/venues/{liaoning.pk}/dashboard/").status_code == 404


def test_the_indicator_page_marks_manual_and_approximate_figures(jian: Venue) -> None:
    client = signed_in("jian")
    html = client.get(f"/venues/{jian.pk}/statistics/", {"period": "2024"}).content.decode()
    assert 'data-key="funding_cny"' in html and "25万元" in html
    assert 'data-key="sessions_by_type.study_tour"' in html
    bad = client.get(f"/venues/{jian.pk}/statistics/", {"period": "someday"})
    assert bad.status_code == 200  # falls back to this year, with a message
    export = client.get(f"/venues/{jian.pk}/statistics/", {"period": "2024", "format": "xlsx"})
    sheet = load_workbook(io.BytesIO(export.content)).active
    assert any(row[0] == "open_days" and row[2] == 265 for row in sheet.iter_rows(values_only=True))


def test_a_bad_manual_figure_keeps_the_input_and_says_why(jian: Venue) -> None:
    client = signed_in("jian")
    url = f"/venues/{jian.pk}/figures/"
    response = client.post(
        url,
        {
            "key": "media_reads",
            "starts_on": "2025-06-30",
            "ends_on": "2025-01-01",
            "value": "123456",
            "note": "公众号后台",
        },
    )
    assert response.status_code == 422
    html = response.content.decode()
    assert "123456" in html and "公众号后台" in html
    assert not ManualFigure.objects.filter(venue=jian, value=123456).exists()
    ok = client.post(
        url,
        {
            "key": "media_reads",
            "starts_on": "2025-01-01",
            "ends_on": "2025-06-30",
            "value": "123456",
        },
    )
    assert ok.status_code == 302
    figure = ManualFigure.objects.get(venue=jian, value=123456)
    assert figure.entered_by is not None and figure.entered_by.username == "jian"
    staff = signed_in("jian-staff").post(
        url,
        {"key": "media_reads", "starts_on": "2025-07-01", "ends_on": "2025-12-31", "value": "1"},
    )
    assert staff.status_code == 403
    deleted = client.post(f"/venues/{jian.pk}/figures/{figure.pk}/delete/")
    assert deleted.status_code == 302 and not ManualFigure.objects.filter(pk=figure.pk).exists()


def test_honours_exhibitions_and_narratives_are_entered_on_pages(jian: Venue) -> None:
    client = signed_in("jian")
    created = client.post(
        f"/venues/{jian.pk}/honours/new/",
        {
            "awarded_on": "2024-09-20",
            "title": "全国科普日优秀活动",
            "level": "provincial",
            "recipient": "work",
            "count": 1,
        },
    )
    assert created.status_code == 302
    assert Honour.objects.filter(venue=jian, title="全国科普日优秀活动").exists()
    hall = jian.halls.get(name="临时展厅")
    made = client.post(
        f"/venues/{jian.pk}/exhibitions/new/",
        {
            "title": "鸭绿江的鱼",
            "kind": "special",
            "hall": hall.pk,
            "starts_on": "2024-05-01",
            "ends_on": "2024-06-30",
        },
    )
    assert (
        made.status_code == 302
        and Exhibition.objects.filter(venue=jian, title="鸭绿江的鱼").exists()
    )
    records = client.get(f"/venues/{jian.pk}/records/", {"year": 2024}).content.decode()
    assert "全国科普日优秀活动" in records and "鸭绿江的鱼" in records
    edit = f"/venues/{jian.pk}/reports/self-evaluation/2024/edit/"
    assert client.get(edit).status_code == 200
    saved = client.post(edit, {"featured": "洞穴课堂再升级。", "problems": "经费不足。"})
    assert saved.status_code == 302
    preview = client.get(f"/venues/{jian.pk}/reports/self-evaluation/2024/").content.decode()
    assert "洞穴课堂再升级。" in preview and "经费不足。" in preview
    assert signed_in("jian-staff").get(edit).status_code == 403


def test_the_alliance_table_sorts_totals_and_exports(liaoning: Venue) -> None:
    dongbei = Alliance.objects.get(name__startswith="东北三省一区")
    client = signed_in("dongbei")
    url = f"/alliances/{dongbei.pk}/statistics/"
    html = client.get(
        url, {"period": "2023", "sort": "visits_total", "dir": "desc"}
    ).content.decode()
    first_row = html.split("<tbody>")[1].split("</tr>")[0]
    assert "辽宁省科学技术馆" in first_row
    assert "<tfoot>" in html
    export = client.get(url, {"period": "2023", "format": "xlsx"})
    rows = list(load_workbook(io.BytesIO(export.content)).active.iter_rows(values_only=True))
    assert len(rows) >= 100
    liaoning_row = next(row for row in rows if row[0] == "辽宁省科学技术馆")
    assert liaoning_row[1] == 2522000
    flags = {row[2] for row in rows[1:]}
    assert "约" in flags and "about" not in flags  # approximate visits, flagged in Chinese
    with translation.override("en"):
        english = rollup_xlsx(
            [("Ji'an", {"visits_total": Value(50_000, approximate=True)}, {})],
            ({"visits_total": Value(50_000, approximate=True)}, {}),
            title="Alliance",
            language="en",
            ratio_labels=[],
        )
    english_rows = load_workbook(io.BytesIO(english)).active.iter_rows(values_only=True)
    ji_an = next(row for row in english_rows if row[0] == "Ji'an")
    assert ji_an[:3] == ("Ji'an", 50_000, "about")
    assert signed_in("jian").get(url).status_code in (403, 404)
    assert signed_in("admin").get("/statistics/", {"period": "2023"}).status_code == 200
    assert signed_in("liaoning").get("/statistics/").status_code == 403
