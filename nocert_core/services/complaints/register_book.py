"""The complaint register book (R5 Art.7: time, content, agency involved) as rows and as an .xlsx file.

Phones are masked: the register is shared (R5 Art.12) and a full number is shown only on an audited
request (`services.complaints.handling.reveal_phone`). Times are local (settings.timezone), headers
translated.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from nocert_core.domain.actors import Actor
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.labels import label_for
from nocert_core.domain.phones import mask_phone
from nocert_core.i18n import N_, Translator, translator
from nocert_core.services.complaints.handling import list_complaints
from nocert_core.services.platform.uow import AbstractUnitOfWork

COLUMNS: tuple[tuple[str, int], ...] = (  # (header msgid, column width in characters)
    (N_("Complaint number"), 17),
    (N_("Received at"), 17),
    (N_("Channel"), 14),
    (N_("Complainant"), 12),
    (N_("Phone (masked)"), 15),
    (N_("On behalf of"), 10),
    (N_("Agency named"), 24),
    (N_("Handling unit"), 28),
    (N_("Category"), 24),
    (N_("Status"), 16),
    (N_("Deadline"), 17),
    (N_("Demand"), 36),
    (N_("Result or reason"), 36),
)


@dataclass(frozen=True)
class RegisterRow:
    values: tuple[str, ...]


def _local(instant: datetime | None, tz: ZoneInfo) -> str:
    return instant.astimezone(tz).strftime("%Y-%m-%d %H:%M") if instant else ""


def register_rows(
    complaints: Sequence[Complaint], unit_names: dict[str, str], timezone: str, translate: Translator
) -> list[RegisterRow]:
    tz = ZoneInfo(timezone)
    rows = []
    for complaint in complaints:
        deadline = _local(complaint.deadline_at, tz)
        if deadline and complaint.deadline_provisional:
            deadline += " " + translate(N_("(provisional)"))
        outcome = complaint.result or complaint.status_reason or ""
        if complaint.rejection_ground is not None:
            outcome = f"{label_for(complaint.rejection_ground, translate)}: {outcome}"
        elif complaint.termination_ground is not None:
            outcome = f"{label_for(complaint.termination_ground, translate)}: {outcome}".rstrip(": ")
        unit = unit_names.get(complaint.unit_code or "", complaint.unit_code or "")
        rows.append(
            RegisterRow(
                (
                    complaint.number,
                    _local(complaint.registered_at, tz),
                    label_for(complaint.channel, translate),
                    complaint.complainant_name,
                    mask_phone(complaint.complainant_phone),
                    complaint.on_behalf_of or "",
                    complaint.agency_text,
                    unit,
                    label_for(complaint.category, translate),
                    label_for(complaint.status, translate),
                    deadline,
                    complaint.demand,
                    outcome,
                )
            )
        )
    return rows


FORMULA_STARTS = ("=", "+", "-", "@")


def text_cell(sheet: Any, row: int, column: int, value: str) -> None:
    """A cell that is always text: "=HYPERLINK(…)" typed by a complainant must not become a formula."""
    from nocert_core.adapters.files.xlsx_safety import protect

    cell = sheet.cell(row=row, column=column)
    cell.value = value
    cell.data_type = "s"
    protect(cell)  # and Excel's quote prefix, so editing the cell does not turn it into a formula either


def write_xlsx(path: Path, rows: Sequence[RegisterRow], translate: Translator) -> None:
    """A usable sheet: translated bold headers, widths, frozen header row, filter, wrapped long text."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill
    from openpyxl.utils import get_column_letter

    from nocert_core.adapters.files.xlsx_safety import append_row

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = translate(N_("Complaint register"))[:31]
    append_row(sheet, [translate(header) for header, _ in COLUMNS])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDEBF7")
        cell.alignment = Alignment(vertical="center", wrap_text=True)
    for index, row in enumerate(rows, start=2):
        for column, value in enumerate(row.values, start=1):
            text_cell(sheet, index, column, value)
    wrap = Alignment(vertical="top", wrap_text=True)
    for index, (_, width) in enumerate(COLUMNS, start=1):
        letter = get_column_letter(index)
        sheet.column_dimensions[letter].width = width
        if width >= 24:
            for cell in sheet[letter][1:]:
                cell.alignment = wrap
    sheet.freeze_panes = "B2"  # header row and the number column stay visible
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(COLUMNS))}{max(len(rows) + 1, 1)}"
    path.parent.mkdir(parents=True, exist_ok=True)
    workbook.save(path)


async def export_register(
    uow: AbstractUnitOfWork, actor: Actor, path: Path, locale: str | None = None
) -> int:
    """Write the complaints the actor may see to `path`; returns how many rows were written."""
    complaints = await list_complaints(uow, actor)
    async with uow:
        unit_names = {unit.code: unit.name for unit in await uow.units.list()}
        settings = uow.settings
    translate = translator(locale or settings.locale)
    write_xlsx(path, register_rows(complaints, unit_names, settings.timezone, translate), translate)
    return len(complaints)
