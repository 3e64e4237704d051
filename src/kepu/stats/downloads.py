"""Turning a report into the bytes of one format, shared by the pages, the API and the CLI."""

from __future__ import annotations

import json

from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse
from django.utils.http import content_disposition_header

from kepu.stats.reports import Report, render_docx, render_pdf, render_xlsx

CONTENT_TYPES = {
    "pdf": "application/pdf",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "json": "application/json",
}


def report_bytes(report: Report, fmt: str) -> bytes:
    if fmt == "pdf":
        return render_pdf(report)
    if fmt == "docx":
        return render_docx(report)
    if fmt == "xlsx":
        return render_xlsx(report)
    if fmt == "json":
        return (
            json.dumps(report.as_json(), ensure_ascii=False, indent=2, cls=DjangoJSONEncoder) + "\n"
        ).encode()
    raise ValueError(fmt)


def download(content: bytes, fmt: str, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = content_disposition_header(True, f"{filename}.{fmt}")
    return response


def report_filename(report: Report) -> str:
    return f"{report.venue.name}-{report.year}-{report.kind}-{report.language}"
