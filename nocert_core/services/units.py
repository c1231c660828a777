"""Units: import the tree of agencies from CSV or XLSX (all or nothing), list it, resolve names to it.

File format (first row is the header, Chinese or English):
    单位编码,单位名称,上级单位编码,别名        code,name,parent_code,aliases
Aliases are separated by ";" (also "；"). A unit's code is its identity: importing again updates the name,
parent and aliases, never adds a second unit. The whole file is checked before anything is written; every
problem is reported with its line number.
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nocert_core.domain.units import Unit
from nocert_core.errors import ImportFailed
from nocert_core.services.resolver import Resolution, resolve_agency
from nocert_core.services.uow import AbstractUnitOfWork

HEADERS: dict[str, str] = {
    "单位编码": "code",
    "code": "code",
    "单位名称": "name",
    "name": "name",
    "上级单位编码": "parent_code",
    "parent_code": "parent_code",
    "parent": "parent_code",
    "别名": "aliases",
    "aliases": "aliases",
}
REQUIRED = ("code", "name")
_CODE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_.\-]{0,63}$")
_ALIAS_SEPARATORS = re.compile(r"[;；]")
MAX_NAME = 200


@dataclass
class UnitRow:
    line: int
    code: str
    name: str
    parent_code: str | None
    aliases: list[str]


@dataclass
class UnitImportReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def read_table(path: Path) -> list[tuple[int, list[str]]]:
    """Rows of a .csv (UTF-8, with or without BOM) or .xlsx file as (line number, cells)."""
    suffix = path.suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return _read_xlsx(path)
    if suffix in (".csv", ".txt", ""):
        try:
            text = path.read_text(encoding="utf-8-sig")
        except UnicodeDecodeError as error:
            raise ImportFailed([(1, "the file is not UTF-8 text (save the CSV as UTF-8)")]) from error
        return [(number, row) for number, row in enumerate(csv.reader(io.StringIO(text)), start=1)]
    raise ImportFailed([(1, f"unsupported file type {suffix!r}: use .csv or .xlsx")])


def _read_xlsx(path: Path) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(path, read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises several types for a broken or foreign file
        raise ImportFailed([(1, f"not a readable .xlsx file: {error}")]) from error
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            rows.append((number, ["" if value is None else str(value).strip() for value in values]))
        return rows
    finally:
        workbook.close()


def parse_units(rows: list[tuple[int, list[str]]]) -> list[UnitRow]:
    """Check every row; raise `ImportFailed` with all problems, or return the rows in file order."""
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise ImportFailed([(1, "the file is empty")])
    header_line, header = rows[0]
    columns = [HEADERS.get(cell.strip().lower().lstrip("\ufeff")) for cell in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        expected = "单位编码,单位名称,上级单位编码,别名 (or code,name,parent_code,aliases)"
        raise ImportFailed([(header_line, f"the header must be {expected}; missing {', '.join(missing)}")])
    problems: list[tuple[int, str]] = []
    parsed: list[UnitRow] = []
    first_line: dict[str, int] = {}
    for number, cells in rows[1:]:
        values = {column: cells[i].strip() for i, column in enumerate(columns) if column and i < len(cells)}
        code, name = values.get("code", ""), values.get("name", "")
        parent = values.get("parent_code", "") or None
        row_problems = []
        if not code:
            row_problems.append("the unit code is empty")
        elif not _CODE.match(code):
            row_problems.append(f"unit code {code!r} may use only letters, digits, '-', '_' and '.' (max 64)")
        elif code in first_line:
            row_problems.append(f"unit code {code} already appears on line {first_line[code]}")
        if not name:
            row_problems.append("the unit name is empty")
        elif len(name) > MAX_NAME:
            row_problems.append(f"the unit name is longer than {MAX_NAME} characters")
        if parent is not None and parent == code:
            row_problems.append("a unit cannot be its own parent")
        problems += [(number, message) for message in row_problems]
        if not row_problems:
            first_line[code] = number
            aliases = _split_aliases(values.get("aliases", ""), name)
            parsed.append(UnitRow(number, code, name, parent, aliases))
    if problems:
        raise ImportFailed(problems)
    if not parsed:
        raise ImportFailed([(header_line, "the file has a header but no units")])
    return parsed


def _split_aliases(cell: str, name: str) -> list[str]:
    seen: list[str] = []
    for alias in _ALIAS_SEPARATORS.split(cell):
        alias = alias.strip()
        if alias and alias != name and alias not in seen and len(alias) <= MAX_NAME:
            seen.append(alias)
    return seen


def check_tree(rows: Sequence[UnitRow], existing: Sequence[Unit]) -> list[UnitRow]:
    """Parents must exist (in the file or the database) and the result must have no cycle.

    Returns the rows parents-first, the order the database needs them in."""
    parent_of: dict[str, str | None] = {unit.code: unit.parent_code for unit in existing}
    in_file = {row.code: row for row in rows}
    parent_of.update({row.code: row.parent_code for row in rows})
    problems = []
    for row in rows:
        if row.parent_code is not None and row.parent_code not in parent_of:
            problems.append(
                (row.line, f"parent unit {row.parent_code} is neither in the file nor in the database")
            )
    if problems:
        raise ImportFailed(problems)
    for row in rows:
        seen = [row.code]
        current = row.parent_code
        while current is not None:
            if current in seen:
                chain = " → ".join([*seen, current])
                problems.append((row.line, f"the parent chain makes a cycle: {chain}"))
                break
            seen.append(current)
            current = parent_of.get(current)
    if problems:
        raise ImportFailed(problems)
    ordered: list[UnitRow] = []
    placed: set[str] = set()

    def place(row: UnitRow) -> None:
        if row.code in placed:
            return
        if row.parent_code in in_file:
            place(in_file[row.parent_code])
        placed.add(row.code)
        ordered.append(row)

    for row in rows:
        place(row)
    return ordered


async def import_units(uow: AbstractUnitOfWork, path: Path) -> UnitImportReport:
    """Upsert the units of a CSV/XLSX file by code; all or nothing."""
    rows = parse_units(read_table(path))
    return await upsert_units(uow, rows)


async def upsert_units(uow: AbstractUnitOfWork, rows: Sequence[UnitRow]) -> UnitImportReport:
    report = UnitImportReport()
    async with uow:
        existing = {unit.code: unit for unit in await uow.units.list()}
        for row in check_tree(rows, list(existing.values())):
            unit = existing.get(row.code)
            if unit is None:
                uow.units.add(
                    Unit(code=row.code, name=row.name, parent_code=row.parent_code, aliases=row.aliases)
                )
                report.created.append(row.code)
            elif (unit.name, unit.parent_code, list(unit.aliases or [])) == (
                row.name,
                row.parent_code,
                row.aliases,
            ):
                report.unchanged.append(row.code)
            else:
                unit.name = row.name
                unit.parent_code = row.parent_code
                unit.aliases = list(row.aliases)  # a new list: JSON columns do not track in-place changes
                report.updated.append(row.code)
            await uow.flush()  # parents reach the database before their children
        await uow.commit()
    return report


async def list_units(uow: AbstractUnitOfWork) -> Sequence[Unit]:
    async with uow:
        return list(await uow.units.list())


async def resolve_unit(uow: AbstractUnitOfWork, agency_text: str) -> Resolution:
    """Resolve what a citizen wrote to one unit or ranked candidates (cheap: the index is cached)."""
    async with uow:
        units = list(await uow.units.list())
    return resolve_agency(units, agency_text)
