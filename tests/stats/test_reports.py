"""The three reports: filled from indicators and narratives, in JSON, DOCX, PDF and XLSX, in Chinese
and English, from the CLI, the pages and the API, each within the reader's scope."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from kepu.core.errors import ApplicationError, PermissionDeniedError
from kepu.core.models import AuditEntry, User
from kepu.network.models import Venue
from kepu.stats.downloads import report_bytes
from kepu.stats.models import ReportKind
from kepu.stats.reports import build_report
from kepu.stats.services import report_texts_save
from tests.conftest import signed_in


def docx_text(content: bytes) -> str:
    """The text of the paragraphs and tables, in the order of the document."""
    parts: list[str] = []
    for item in Document(io.BytesIO(content)).iter_inner_content():
        if hasattr(item, "rows"):
            parts.extend(cell.text for row in item.rows for cell in row.cells)
        else:
            parts.append(item.text)
    return "\n".join(parts)


def test_the_cli_prints_the_indicators_as_json(capsys: pytest.CaptureFixture[str], db: Any) -> None:
    call_command(
        "report", "self-evaluation", "--venue", "集安市科技馆", "--year", "2024", "--format", "json"
    )
    data = json.loads(capsys.readouterr().out)
    assert data["venue"] == "集安市科技馆" and data["year"] == 2024
    indicators = data["indicators"]
    assert indicators["open_days"] == {
        "value": 265,
        "approximate": False,
        "source": indicators["open_days"]["source"],
    }
    assert "265" in indicators["open_days"]["source"]
    assert (
        indicators["visits_total"]["value"] == 50000 and indicators["visits_total"]["approximate"]
    )
    assert indicators["funding_cny"]["value"] == 250000 and indicators["funding_cny"]["manual"]
    assert indicators["visits_peak_day"]["date"]


def test_the_cli_obeys_the_scope_and_writes_files(tmp_path: Any, db: Any) -> None:
    with pytest.raises(CommandError):
        call_command(
            "report",
            "annual-review",
            "--venue",
            "辽宁省科学技术馆",
            "--year",
            "2023",
            "--as",
            "jian",
        )
    target = tmp_path / "review.docx"
    call_command(
        "report",
        "annual-review",
        "--venue",
        "辽宁省科学技术馆",
        "--year",
        "2023",
        "--format",
        "docx",
        "--output",
        str(target),
        "--as",
        "liaoning",
    )
    text = docx_text(target.read_bytes())
    assert "252.20万" in text and "213.41%" in text
    assert "2023年5月1日" in text and "3.84万" in text


def test_the_self_evaluation_follows_seed_002(jian: Venue) -> None:
    report = build_report(venue=jian, kind=ReportKind.SELF_EVALUATION, year=2024)
    text = docx_text(report_bytes(report, "docx"))
    order = [
        "集安市科技馆作为全国科普教育基地",
        "265",
        "约5万",
        "约1650",
        "约7000",
        "约82",
        "25万元",
        "洞穴课堂",
        "一是科技馆在馆内建设",
        "一是加强科普教育基地",
    ]
    positions = [text.index(piece) for piece in order]
    assert positions == sorted(positions), "sections out of the order of the seed report"
    assert report.figures["staff_parttime"].value == 90


def test_the_pdf_embeds_chinese_text_and_a_chart(liaoning: Venue) -> None:
    report = build_report(venue=liaoning, kind=ReportKind.ANNUAL_REVIEW, year=2023)
    assert any(
        block.kind == "chart" and block.image.startswith(b"\x89PNG") for block in report.blocks
    )
    reader = PdfReader(io.BytesIO(report_bytes(report, "pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    assert "辽宁省科学技术馆" in text and "213.41%" in text and "252.20万" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("CJK" in name for name in fonts), fonts


def test_the_institution_report_is_the_two_column_table_of_seed_003(xian: Venue) -> None:
    report = build_report(venue=xian, kind=ReportKind.INSTITUTION_ANNUAL, year=2024)
    table = next(block for block in report.blocks if block.kind == "table")
    labels = [row[0] for row in table.rows]
    assert labels[:4] == ["单位名称", "宗旨和业务范围", "住所", "法定代表人"]
    values = {row[0]: row[1] for row in table.rows}
    assert values["开办资金"] == "5万元"
    assert "63.1万元" in values["资产损益情况(年初数/年末数)"]
    assert "全国科技馆辅导员大赛全国总决赛三等奖" in values["绩效和受奖惩及诉讼投诉情况"]
    assert "没有涉及变更登记的事项" in values["对《条例》和实施细则有关变更登记规定的执行情况"]


def test_english_on_request(liaoning: Venue) -> None:
    report = build_report(venue=liaoning, kind=ReportKind.ANNUAL_REVIEW, year=2023, language="en")
    assert "2,522,000" in report.title and "213.41%" in report.title
    text = docx_text(report_bytes(report, "docx"))
    assert "Keyword: science popularization service" in text


def test_the_xlsx_lists_every_indicator_with_its_flags(jian: Venue) -> None:
    report = build_report(venue=jian, kind=ReportKind.SELF_EVALUATION, year=2024)
    sheet = load_workbook(io.BytesIO(report_bytes(report, "xlsx"))).active
    rows = {row[0]: row for row in sheet.iter_rows(min_row=4, values_only=True)}
    assert rows["visits_total"][2] == 50000 and rows["visits_total"][4]
    assert rows["funding_cny"][5]  # entered by hand
    assert rows["sessions_by_type.study_tour"][2] == 9
    assert "265" in rows["open_days"][9]


def test_narratives_are_saved_audited_and_shown(jian: Venue, users: dict[str, User]) -> None:
    report_texts_save(
        actor=users["jian"],
        venue=jian,
        year=2024,
        report=ReportKind.SELF_EVALUATION,
        texts={"featured": ("新的特色工作:星空课堂。", "New: the starry-sky classroom.")},
    )
    assert AuditEntry.objects.filter(action="report_text.update").exists()
    zh = build_report(venue=jian, kind=ReportKind.SELF_EVALUATION, year=2024)
    assert any(block.text == "新的特色工作:星空课堂。" for block in zh.blocks)
    en = build_report(venue=jian, kind=ReportKind.SELF_EVALUATION, year=2024, language="en")
    assert any(block.text == "New: the starry-sky classroom." for block in en.blocks)
    with pytest.raises(ApplicationError):
        report_texts_save(
            actor=users["jian"],
            venue=jian,
            year=2024,
            report=ReportKind.SELF_EVALUATION,
            texts={"nope": ("", "")},
        )
    with pytest.raises(PermissionDeniedError):
        report_texts_save(
            actor=users["jian-staff"],
            venue=jian,
            year=2024,
            report=ReportKind.SELF_EVALUATION,
            texts={},
        )


def test_pages_download_reports_only_for_the_readers_venues(jian: Venue, liaoning: Venue) -> None:
    client = signed_in("liaoning")
    url = f"/venues/{liaoning.pk}/reports/annual-review/2023/download/"
    response = client.get(url, {"format": "pdf", "lang": "zh-hans"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert signed_in("jian").get(url, {"format": "pdf"}).status_code == 404
    assert signed_in("jian").get(f"/venues/{liaoning.pk}/reports/").status_code == 404
    preview = client.get(f"/venues/{liaoning.pk}/reports/annual-review/2023/")
    assert preview.status_code == 200 and "213.41%" in preview.content.decode()
    assert "<h1>" in preview.content.decode() and "&lt;h1&gt;" not in preview.content.decode()
    assert client.get(f"/venues/{liaoning.pk}/reports/nonsense/2023/").status_code == 404


def test_the_api_gives_reports_and_indicators_within_scope(
    api_as: Any, jian: Venue, liaoning: Venue
) -> None:
    data = api_as("jian").get(f"/api/v1/venues/{jian.pk}/indicators/", {"period": "2024"}).json()
    assert data["indicators"]["open_days"]["value"] == 265
    assert data["previous_period"]["code"] == "2023"
    assert api_as("jian").get(f"/api/v1/venues/{liaoning.pk}/indicators/").status_code == 404
    bad = api_as("jian").get(f"/api/v1/venues/{jian.pk}/indicators/", {"period": "soon"})
    assert bad.status_code == 422
    docx = api_as("liaoning").get(
        f"/api/v1/venues/{liaoning.pk}/reports/annual-review/2023/", {"format": "docx"}
    )
    assert docx.status_code == 200 and "252.20万" in docx_text(docx.content)
    created = api_as("jian").post(
        f"/api/v1/venues/{jian.pk}/manual-figures/",
        {"key": "media_posts", "starts_on": "2025-01-01", "ends_on": "2025-12-31", "value": "12"},
        format="json",
    )
    assert created.status_code == 201, created.content
    texts = api_as("jian").put(
        f"/api/v1/venues/{jian.pk}/reports/self-evaluation/2025/texts/",
        {"texts": {"problems": {"text": "场地不足。"}}},
        format="json",
    )
    assert texts.status_code == 200
    assert {s["key"]: s["text"] for s in texts.json()["sections"]}["problems"] == "场地不足。"
    assert (
        api_as("admin")
        .get("/api/v1/indicators/", {"period": "2023"})
        .json()["totals"]["visits_total"]["value"]
        >= 2_522_000
    )
    assert api_as("jian").get("/api/v1/indicators/").status_code == 403
