"""Reading and writing catalogue lists as CSV or XLSX (real lists are kept in spreadsheets).

Header `事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注` or the English
`service_code,service,unit,certificate,mode,basis,notes`; columns in any order, 依据/备注 optional.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from nocert_core.adapters.files.tabular import NO_PROGRESS, Limits, Progress, read_table
from nocert_core.domain.catalogue import CatalogueEntry, ExemptionMode, make_entry, normalise_text
from nocert_core.errors import DomainError, ImportFailed, Problem

FIELDS = ("service_code", "service", "unit", "certificate", "mode", "basis", "notes")
CHINESE_HEADER = ("事项编码", "事项名称", "实施主体", "证照证明名称", "免提交方式", "依据", "备注")
REQUIRED = ("service_code", "service", "unit", "certificate", "mode")
_HEADER_NAMES = {name: field for name, field in zip(CHINESE_HEADER, FIELDS, strict=True)}
_HEADER_NAMES.update({field: field for field in FIELDS})
_HEADER_NAMES.update(
    {
        "证照证明": "certificate",
        "证明材料名称": "certificate",
        "免提交类型": "mode",
        "实施机关": "unit",
        "设定依据": "basis",
        "政务服务事项名称": "service",
        "事项代码": "service_code",
    }
)


@dataclass
class ParsedRow:
    line: int
    entry: CatalogueEntry


def parse_catalogue(
    path: Path,
    limits: Limits | None = None,
    progress: Progress = NO_PROGRESS,
    modes: Mapping[str, ExemptionMode] | None = None,
) -> list[ParsedRow]:
    """All rows, validated; raises ImportFailed listing every bad line (nothing is half-read). `modes`:
    an administrator's mode wordings beside the shipped synonym table (`nocert catalogue modes`)."""
    problems: list[tuple[int, str]] = []
    parsed: list[ParsedRow] = []
    columns: dict[str, int] | None = None
    seen: dict[object, int] = {}
    for line, row in read_table(path, limits, progress):
        cells = [normalise_text(cell) for cell in row]
        if not any(cells):
            continue
        if columns is None:
            columns = {}
            for index, cell in enumerate(cells):
                field = _HEADER_NAMES.get(cell) or _HEADER_NAMES.get(cell.lower())
                if field and field not in columns:
                    columns[field] = index
            missing = [name for name in REQUIRED if name not in columns]
            if missing:
                problems.append(
                    (
                        line,
                        Problem(
                            "the header must name the columns {chinese} (or {english}); missing: {missing}",
                            chinese=",".join(CHINESE_HEADER),
                            english=",".join(FIELDS),
                            missing=",".join(missing),
                        ),
                    )
                )
                break
            continue

        def value_of(name: str, cells: list[str] = cells, columns: dict[str, int] = columns) -> str:
            index = columns.get(name)
            return cells[index] if index is not None and index < len(cells) else ""

        try:
            entry = make_entry(
                value_of("service_code"),
                value_of("service"),
                value_of("unit"),
                value_of("certificate"),
                value_of("mode"),
                value_of("basis"),
                value_of("notes"),
                modes=modes,
            )
        except DomainError as error:
            problems.append((line, Problem(error.msgid, **error.params)))
            continue
        if entry.key in seen:
            same = Problem("the same service and certificate as line {line}", line=seen[entry.key])
            problems.append((line, same))
            continue
        seen[entry.key] = line
        parsed.append(ParsedRow(line, entry))
    if columns is None and not problems:
        problems.append((1, Problem("the file is empty")))
    if problems:
        raise ImportFailed(problems)
    return parsed


def write_catalogue(path: Path, entries: Iterable[CatalogueEntry], english_header: bool = False) -> int:
    header = FIELDS if english_header else CHINESE_HEADER
    rows = [
        [e.service_code, e.service, e.unit_name, e.certificate, e.mode.value, e.basis, e.notes]
        for e in entries
    ]
    path.parent.mkdir(parents=True, exist_ok=True)
    if path.suffix.lower() == ".xlsx":
        from openpyxl import Workbook

        from nocert_core.adapters.files.xlsx_safety import append_row

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = "用证事项清单"
        append_row(sheet, header)
        for row in rows:
            append_row(sheet, row)
        for column, width in zip("ABCDEFG", (22, 36, 26, 24, 18, 40, 30), strict=True):
            sheet.column_dimensions[column].width = width
        workbook.save(path)
    else:
        with path.open("w", encoding="utf-8-sig", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(header)
            writer.writerows(rows)
    return len(rows)
