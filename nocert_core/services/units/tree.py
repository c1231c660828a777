"""Units: import the tree of agencies from CSV or XLSX (all or nothing), list it, resolve names to it.

File format (first row is the header, Chinese or English):
    单位编码,单位名称,上级单位编码,别名        code,name,parent_code,aliases
Aliases are separated by ";" (also "；"). A unit's code is its identity, case-insensitively (`X1` and `x1`
are one unit; new codes are stored upper-case): importing again updates the name, parent and aliases, never
adds a second unit. The whole file is checked before anything is written; every problem is reported with its
line number. Renaming or moving more than a small share of the existing units needs `replace=True`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

from nocert_core.adapters.files.tabular import NO_PROGRESS, Limits, Progress, Row
from nocert_core.adapters.files.tabular import read_table as read_rows
from nocert_core.domain.units import Unit
from nocert_core.errors import ImportFailed, ImportNeedsConfirmation, Problem
from nocert_core.i18n import N_
from nocert_core.services.platform.import_guard import limits, require_flag_for_large_changes
from nocert_core.services.platform.reads import list_units as list_units
from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.services.units.resolver import Resolution, resolve_agency

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
    changes: dict[str, list[tuple[str, str, str]]] = field(default_factory=dict)  # code → (field, old, new)
    applied: bool = False
    needs_flag: bool = False  # renames or moves more than a small share: only with replace=True

    @property
    def total(self) -> int:
        return len(self.created) + len(self.updated) + len(self.unchanged)


def read_table(path: Path, file_limits: Limits | None = None, progress: Progress = NO_PROGRESS) -> list[Row]:
    """Rows of a .csv/.txt (any encoding staff produce) or .xlsx file as (line number, cells)."""
    return read_rows(path, file_limits, progress)


def parse_units(rows: list[tuple[int, list[str]]]) -> list[UnitRow]:
    """Check every row; raise `ImportFailed` with all problems, or return the rows in file order."""
    rows = [(number, cells) for number, cells in rows if any(cell.strip() for cell in cells)]
    if not rows:
        raise ImportFailed([(1, Problem("the file is empty"))])
    header_line, header = rows[0]
    columns = [HEADERS.get(cell.strip().lower().lstrip("\ufeff")) for cell in header]
    missing = [name for name in REQUIRED if name not in columns]
    if missing:
        expected = "单位编码,单位名称,上级单位编码,别名 (or code,name,parent_code,aliases)"
        problem = Problem(
            "the header must be {expected}; missing {missing}", expected=expected, missing=", ".join(missing)
        )
        raise ImportFailed([(header_line, problem)])
    problems: list[tuple[int, str]] = []
    parsed: list[UnitRow] = []
    first_line: dict[str, int] = {}
    for number, cells in rows[1:]:
        values = {column: cells[i].strip() for i, column in enumerate(columns) if column and i < len(cells)}
        code, name = values.get("code", "").upper(), values.get("name", "")
        parent = values.get("parent_code", "").upper() or None
        row_problems = []
        if not code:
            row_problems.append(Problem("the unit code is empty"))
        elif not _CODE.match(code):
            row_problems.append(
                Problem("unit code {code} may use only letters, digits, '-', '_' and '.' (max 64)", code=code)
            )
        elif code in first_line:
            row_problems.append(
                Problem("unit code {code} already appears on line {line}", code=code, line=first_line[code])
            )
        if not name:
            row_problems.append(Problem("the unit name is empty"))
        elif len(name) > MAX_NAME:
            row_problems.append(Problem("the unit name is longer than {limit} characters", limit=MAX_NAME))
        if parent is not None and parent == code:
            row_problems.append(Problem("a unit cannot be its own parent"))
        problems += [(number, message) for message in row_problems]
        if not row_problems:
            first_line[code] = number
            aliases = _split_aliases(values.get("aliases", ""), name)
            parsed.append(UnitRow(number, code, name, parent, aliases))
    if problems:
        raise ImportFailed(problems)
    if not parsed:
        raise ImportFailed([(header_line, Problem("the file has a header but no units"))])
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
                (
                    row.line,
                    Problem(
                        "parent unit {code} is neither in the file nor in the database", code=row.parent_code
                    ),
                )
            )
    if problems:
        raise ImportFailed(problems)
    for row in rows:
        seen = [row.code]
        current = row.parent_code
        while current is not None:
            if current in seen:
                chain = " → ".join([*seen, current])
                problems.append((row.line, Problem("the parent chain makes a cycle: {chain}", chain=chain)))
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


async def import_units(
    uow: AbstractUnitOfWork,
    path: Path,
    *,
    replace: bool = False,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> UnitImportReport:
    """Upsert the units of a CSV/XLSX file by code; all or nothing."""
    rows = parse_units(read_table(path, limits(uow.settings), progress))
    return await upsert_units(uow, rows, replace=replace, dry_run=dry_run, progress=progress)


def _same_spelling(rows: Sequence[UnitRow], existing: dict[str, Unit]) -> None:
    """A code already in the database keeps its spelling there (`x1` from an older import stays `x1`)."""
    spelled = {code.upper(): code for code in existing}
    for row in rows:
        row.code = spelled.get(row.code, row.code)
        if row.parent_code is not None:
            row.parent_code = spelled.get(row.parent_code, row.parent_code)


def _differences(unit: Unit, row: UnitRow) -> list[tuple[str, str, str]]:
    pairs = (
        ("name", unit.name, row.name),
        ("parent_code", unit.parent_code or "", row.parent_code or ""),
        ("aliases", ";".join(unit.aliases or []), ";".join(row.aliases)),
    )
    return [(name, before, after) for name, before, after in pairs if before != after]


async def upsert_units(
    uow: AbstractUnitOfWork,
    rows: Sequence[UnitRow],
    *,
    replace: bool = True,
    dry_run: bool = False,
    progress: Progress = NO_PROGRESS,
) -> UnitImportReport:
    report = UnitImportReport()
    async with uow:
        existing = {unit.code: unit for unit in await uow.units.list()}
        _same_spelling(rows, existing)
        ordered = check_tree(rows, list(existing.values()))
        for row in ordered:
            unit = existing.get(row.code)
            if unit is None:
                report.created.append(row.code)
            elif differences := _differences(unit, row):
                report.updated.append(row.code)
                report.changes[row.code] = differences
            else:
                report.unchanged.append(row.code)
        try:
            require_flag_for_large_changes(
                len(report.updated), len(existing), settings=uow.settings, confirmed=replace, what=N_("units")
            )
        except ImportNeedsConfirmation:
            if not dry_run:
                raise
            report.needs_flag = True
        if dry_run:
            return report
        progress.stage("write", len(ordered))
        for row in ordered:
            unit = existing.get(row.code)
            if unit is None:
                uow.units.add(
                    Unit(code=row.code, name=row.name, parent_code=row.parent_code, aliases=row.aliases)
                )
            elif row.code in report.changes:
                unit.name = row.name
                unit.parent_code = row.parent_code
                unit.aliases = list(row.aliases)  # a new list: JSON columns do not track in-place changes
            await uow.flush()  # parents reach the database before their children
            progress.advance()
        await uow.commit()
        report.applied = True
    return report


async def resolve_unit(uow: AbstractUnitOfWork, agency_text: str) -> Resolution:
    """Resolve what a citizen wrote to one unit or ranked candidates (cheap: the index is cached)."""
    async with uow:
        units = list(await uow.units.list())
    return resolve_agency(units, agency_text)
