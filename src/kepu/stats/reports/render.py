"""A report's blocks as DOCX (python-docx), PDF (WeasyPrint, CJK fonts embedded) and XLSX."""

from __future__ import annotations

import base64
import io
from decimal import Decimal
from typing import Any

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from kepu.stats.reports.content import Report, indicator_rows

CJK_SERIF = "Noto Serif CJK SC"
CJK_SANS = "Noto Sans CJK SC"


def render_docx(report: Report) -> bytes:
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    for style_name in ("Normal", "Title", "Heading 1", "Heading 2", "Table Grid"):
        style = document.styles[style_name]
        style.font.name = CJK_SERIF if style_name == "Normal" else CJK_SANS
        properties = style.element.get_or_add_rPr()
        fonts = properties.find(qn("w:rFonts"))
        if fonts is None:
            fonts = properties.makeelement(qn("w:rFonts"), {})
            properties.append(fonts)
        fonts.set(qn("w:eastAsia"), style.font.name)
    document.styles["Normal"].font.size = Pt(11)
    document.core_properties.title = report.title
    document.core_properties.author = "kepu"
    title = document.add_heading(report.title, level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    for block in report.blocks:
        if block.kind == "heading":
            document.add_heading(block.text, level=min(block.level, 3))
        elif block.kind == "paragraph":
            paragraph = document.add_paragraph(block.text)
            paragraph.paragraph_format.first_line_indent = Pt(22)
        elif block.kind == "table":
            columns = len(block.header or block.rows[0]) if (block.header or block.rows) else 1
            table = document.add_table(rows=0, cols=columns)
            table.style = document.styles["Table Grid"]
            if block.header:
                cells = table.add_row().cells
                for cell, text in zip(cells, block.header, strict=False):
                    cell.text = text
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
            for row in block.rows:
                cells = table.add_row().cells
                for cell, text in zip(cells, row, strict=False):
                    cell.text = text
            document.add_paragraph()
        elif block.kind == "chart":
            document.add_picture(io.BytesIO(block.image), width=Cm(15))
            caption = document.add_paragraph(block.text)
            caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
    footer = document.sections[0].footer.paragraphs[0]
    footer.text = provenance_note(report)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def provenance_note(report: Report) -> str:
    with translation.override(report.language):
        return _(
            "Figures computed by kepu from the records of %(venue)s on %(day)s; figures marked "
            "“about” rest on approximate records."
        ) % {"venue": report.venue.display_name, "day": timezone.localdate().isoformat()}


def report_html(report: Report, *, standalone: bool) -> str:
    with translation.override(report.language):
        return render_to_string(
            "stats/report_document.html",
            {
                "report": report,
                "blocks": [
                    {
                        "kind": block.kind,
                        "text": block.text,
                        "level": block.level,
                        "rows": [[cell.split("\n") for cell in row] for row in block.rows],
                        "header": block.header,
                        "image": base64.b64encode(block.image).decode() if block.image else "",
                    }
                    for block in report.blocks
                ],
                "standalone": standalone,
                "note": provenance_note(report),
                "serif": CJK_SERIF,
                "sans": CJK_SANS,
            },
        )


def render_pdf(report: Report) -> bytes:
    try:
        from weasyprint import HTML
    except OSError as error:  # Pango missing: `make browser-deps` installs it
        raise RuntimeError(
            _("PDF output needs the Pango library (Debian: libpango-1.0-0).")
        ) from error
    return bytes(HTML(string=report_html(report, standalone=True)).write_pdf())


def render_xlsx(report: Report) -> bytes:
    return indicators_xlsx(
        [(report.venue.display_name, report.figures, report.previous)],
        title=report.title,
        language=report.language,
        period=str(report.year),
    )


def indicators_xlsx(
    venues: list[tuple[str, Any, Any]], *, title: str, language: str, period: str
) -> bytes:
    """The indicators of one or more venues: one sheet per venue, key, value, flags, source."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    workbook = Workbook()
    workbook.remove(workbook.active)
    with translation.override(language):
        for name, figures, previous in venues:
            sheet = workbook.create_sheet(_safe_sheet_name(name))
            sheet.append([title])
            sheet["A1"].font = Font(bold=True, size=13)
            sheet.append([_("Venue"), name, _("Period"), period])
            header = [
                _("Key"),
                _("Indicator"),
                _("Value"),
                _("As written"),
                _("Approximate"),
                _("Entered by hand"),
                _("Date"),
                _("Previous period"),
                _("Growth %"),
                _("Source"),
            ]
            sheet.append(header)
            for cell in sheet[3]:
                cell.font = Font(bold=True)
            for row in indicator_rows(figures, previous):
                sheet.append(
                    [
                        row["key"],
                        row["label"],
                        _cell(row["value"]),
                        row["text"],
                        _("yes") if row["approximate"] else "",
                        _("yes") if row["manual"] else "",
                        row["date"],
                        _cell(row["previous"]),
                        _cell(row["growth"]),
                        row["source"],
                    ]
                )
            for column, width in zip(
                "ABCDEFGHIJ", (24, 30, 14, 16, 8, 8, 12, 14, 10, 70), strict=True
            ):
                sheet.column_dimensions[column].width = width
            sheet.freeze_panes = "A4"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _cell(value: Any) -> Any:
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def _safe_sheet_name(name: str) -> str:
    for char in "[]:*?/\\":
        name = name.replace(char, " ")
    return name[:31] or "-"


def rollup_xlsx(
    rows: list[tuple[str, Any, dict[str, Any]]],
    totals: tuple[Any, dict[str, Any]],
    *,
    title: str,
    language: str,
    ratio_labels: list[tuple[str, str]],
) -> bytes:
    """Venues side by side: one row per venue, one column per indicator, totals at the foot.
    Approximate values carry 约 (“about”) in the next column; sources go to a second sheet."""
    from openpyxl import Workbook
    from openpyxl.styles import Font

    from kepu.stats.indicators import INDICATORS

    keys = [key for key, indicator in INDICATORS.items() if not indicator.is_breakdown]
    workbook = Workbook()
    sheet = workbook.active
    with translation.override(language):
        sheet.title = _safe_sheet_name(_("Indicators"))
        sheet.append([title])
        sheet["A1"].font = Font(bold=True, size=13)
        header = [_("Venue")]
        for key in keys:
            header += [str(INDICATORS[key].label), _("approx.")]
        header += [label for _key, label in ratio_labels]
        sheet.append(header)
        for cell in sheet[2]:
            cell.font = Font(bold=True)

        about = _("about")  # 约 in Chinese

        def line(name: str, figures: Any, ratios: dict[str, Any]) -> list[Any]:
            out: list[Any] = [name]
            for key in keys:
                value = figures.get(key)
                out += [
                    _cell(value.value) if value is not None else None,
                    about if value is not None and value.approximate else "",
                ]
            return out + [_cell(ratios.get(key)) for key, _label in ratio_labels]

        for name, figures, ratios in rows:
            sheet.append(line(name, figures, ratios))
        sheet.append(line(_("Total"), *totals))
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "B3"
        sheet.column_dimensions["A"].width = 28
        sources = workbook.create_sheet(_safe_sheet_name(_("Sources")))
        sources.append([_("Venue"), _("Key"), _("Source")])
        for name, figures, _ratios in [*rows, (_("Total"), totals[0], totals[1])]:
            for key in keys:
                if key in figures:
                    sources.append([name, key, figures[key].source])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
