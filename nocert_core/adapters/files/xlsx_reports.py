"""Report and scorecard workbooks (openpyxl). Headers are bilingual (Chinese first, as the task force
reads them), numbers stay numbers so they can be summed and charted in Excel. openpyxl is imported when a
workbook is written, not with this module."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from openpyxl.worksheet.worksheet import Worksheet

from nocert_core.adapters.files.xlsx_safety import append_row

HEADER_COLOUR = "2E86C1"


def write_sheet(
    sheet: Worksheet,
    headers: Sequence[str],
    rows: Sequence[Sequence[Any]],
    percent_columns: set[int] | None = None,
) -> None:
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    append_row(sheet, headers)
    for cell in sheet[1]:
        cell.font = Font(bold=True, color="FFFFFF")
        cell.fill = PatternFill("solid", fgColor=HEADER_COLOUR)
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    for row in rows:
        append_row(sheet, row)
    for column in percent_columns or ():
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.number_format = "0%"
    for index, header in enumerate(headers, start=1):
        width = max([len(str(header))] + [len(str(row[index - 1])) for row in rows if index - 1 < len(row)])
        sheet.column_dimensions[get_column_letter(index)].width = min(48, max(10, width * 1.6))
    sheet.freeze_panes = "B2"


Sheet = tuple[str, Sequence[str], Sequence[Sequence[Any]], set[int]]


def write_workbook(path: Path, sheets: Sequence[Sheet]) -> Path:
    """`sheets`: (title, headers, rows, 1-based columns to format as percentages)."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = True
    for title, headers, rows, percent_columns in sheets:
        sheet = workbook.active if first else workbook.create_sheet()
        assert sheet is not None
        sheet.title = title[:31]
        write_sheet(sheet, headers, rows, percent_columns)
        first = False
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)
    return path
