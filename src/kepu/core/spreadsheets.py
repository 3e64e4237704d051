"""What every exported worksheet shares: a bold, frozen header, dates, times and hours written
the way a Chinese office reads them, and columns as wide as their content (a CJK character
counts twice)."""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

NUMBER_FORMATS: tuple[tuple[type, str], ...] = (
    (datetime, "yyyy-mm-dd hh:mm"),  # before date: a datetime is a date too
    (date, "yyyy-mm-dd"),
    (time, "hh:mm"),
    (Decimal, "0.0"),  # hours
)


def display_width(value: object) -> int:
    """How many narrow characters the value takes on screen."""
    if isinstance(value, datetime):
        return 16
    if isinstance(value, date | time):
        return 10
    text = str(value) if value is not None else ""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def format_table(sheet: Any) -> None:
    """A sheet whose first row is the header and every other row a record."""
    sheet.freeze_panes = "A2"
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for index, cells in enumerate(sheet.iter_cols(), start=1):
        for cell in cells[1:]:
            for kind, number_format in NUMBER_FORMATS:
                if isinstance(cell.value, kind):
                    cell.number_format = number_format
                    break
        widest = max(display_width(cell.value) for cell in cells)
        sheet.column_dimensions[get_column_letter(index)].width = min(max(widest + 2, 8), 40)
