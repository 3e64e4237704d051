"""The three yearly reports: built from indicators and narratives, rendered to several formats."""

from kepu.stats.reports.content import Block, Report, build_report, indicator_rows
from kepu.stats.reports.render import (
    indicators_xlsx,
    render_docx,
    render_pdf,
    render_xlsx,
    report_html,
)

__all__ = [
    "Block",
    "Report",
    "build_report",
    "indicator_rows",
    "indicators_xlsx",
    "render_docx",
    "render_pdf",
    "render_xlsx",
    "report_html",
]
