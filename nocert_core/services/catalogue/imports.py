"""Catalogue files (R1 Art.10): import a whole catalogue (or a unit's part of it) as dated adjustments,
and export the catalogue as it stands now or stood on a given day (from the entry versions).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from nocert_core.adapters.files.catalogue_files import parse_catalogue, write_catalogue
from nocert_core.adapters.files.tabular import NO_PROGRESS, Progress
from nocert_core.clock import Clock, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.domain.catalogue import CatalogueEntry, EntryKey, entry_as_dict, normalise_text
from nocert_core.domain.notifications import ImportFiled
from nocert_core.errors import ImportFailed, ImportNeedsConfirmation, Problem
from nocert_core.i18n import N_
from nocert_core.services.catalogue.filing import (
    file_notice,
    filing_deadline,
    new_adjustment,
    record_adjustment,
    require_filer,
    unit_lookup,
)
from nocert_core.services.catalogue.modes import added_modes
from nocert_core.services.platform import reads
from nocert_core.services.platform.import_guard import limits, require_flag_for_large_changes
from nocert_core.services.platform.uow import AbstractUnitOfWork


@dataclass
class ImportReport:
    added: list[CatalogueEntry] = field(default_factory=list)
    changed: list[tuple[CatalogueEntry, CatalogueEntry, list[str]]] = field(
        default_factory=list
    )  # old, new, fields
    removed: list[CatalogueEntry] = field(default_factory=list)
    unchanged: int = 0
    unknown_units: list[tuple[int, str]] = field(
        default_factory=list
    )  # (line, 实施主体) not in the unit register
    batch: str | None = None
    late: bool = False
    applied: bool = False
    existing: int = 0  # entries in force (in scope) before the import
    needs_flag: bool = False  # removes or replaces more than a small share: only with replace=True


async def import_catalogue(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    path: Path,
    *,
    event_date: date | None = None,
    basis: str = "",
    dry_run: bool = False,
    notify: bool = True,
    replace: bool = False,
    progress: Progress = NO_PROGRESS,
) -> ImportReport:
    """Replace the catalogue (staff: their unit's part of it) with the file's rows; all or nothing.

    Ending or changing more than a small share of the entries in force needs `replace=True`: a header-only
    or one-row file must not end-date the rest by accident."""
    require_filer(actor)
    rows = parse_catalogue(path, limits(uow.settings), progress, await added_modes(uow))
    now = clock.now()
    event_date = event_date or local_date(now, uow.settings.timezone)
    report = ImportReport(batch=uuid.uuid4().hex[:12])
    async with uow:
        units = await unit_lookup(uow)
        problems: list[tuple[int, str]] = []
        incoming: dict[EntryKey, CatalogueEntry] = {}
        for row in rows:
            resolved = units.get(row.entry.unit_name) or units.get(row.entry.unit_name.upper())
            row.entry.unit_code = resolved[0] if resolved else None
            if resolved is None:
                report.unknown_units.append((row.line, row.entry.unit_name))
            if actor.role == Role.STAFF and row.entry.unit_code != actor.unit_code:
                problem = Problem("not an entry of your unit: {unit}", unit=row.entry.unit_name)
                problems.append((row.line, problem))
            incoming[row.entry.key] = row.entry
        if problems:
            raise ImportFailed(problems)
        scope = actor.unit_code if actor.role == Role.STAFF else None
        current = {entry.key: entry for entry in await uow.catalogue.current(unit_code=scope)}
        for key, entry in incoming.items():
            old = current.get(key)
            if old is None:
                report.added.append(entry)
            elif fields := old.differs_from(entry):
                report.changed.append((old, entry, fields))
            else:
                report.unchanged += 1
        report.removed = [entry for key, entry in current.items() if key not in incoming]
        report.existing = len(current)
        try:
            require_flag_for_large_changes(
                len(report.removed) + len(report.changed),
                len(current),
                settings=uow.settings,
                confirmed=replace,
                what=N_("catalogue entries"),
            )
        except ImportNeedsConfirmation:
            if not dry_run:
                raise
            report.needs_flag = True
        if dry_run or not (report.added or report.changed or report.removed):
            return report
        progress.stage("write", len(report.added) + len(report.changed) + len(report.removed))
        due = await filing_deadline(uow, event_date, now)
        report.late = due[2]
        basis = normalise_text(basis) or f"清单导入 {path.name}"
        # (type, the entry before or None, the entry after or None), in the report's order
        steps: list[tuple[AdjustmentType, CatalogueEntry | None, CatalogueEntry | None]] = [
            *((AdjustmentType.ADD, None, entry) for entry in report.added),
            *((AdjustmentType.CHANGE, old, entry) for old, entry, _fields in report.changed),
            *((AdjustmentType.CANCEL, old, None) for old in report.removed),
        ]
        for kind, before, after in steps:
            if before is not None:
                before.valid_to = now
            subject = after or before
            assert subject is not None
            adjustment = new_adjustment(
                kind,
                AdjustmentTrigger.IMPORT,
                subject,
                actor,
                basis,
                event_date,
                now,
                due,
                before=entry_as_dict(before) if before else None,
                after=entry_as_dict(after) if after else None,
                source="import",
                batch=report.batch,
            )
            await record_adjustment(uow, adjustment, after, now)
            progress.advance()
        if notify:
            file_notice(uow, report.batch or "", _import_payload(report, path, actor, event_date, due[0]))
        await uow.commit()
        report.applied = True
        return report


def _import_payload(
    report: ImportReport, path: Path, actor: Actor, event_date: date, due_date: date
) -> ImportFiled:
    return ImportFiled(
        batch=report.batch,
        file=path.name,
        filed_by=actor.ref,
        added=len(report.added),
        changed=len(report.changed),
        removed=len(report.removed),
        late=report.late,
        event_date=event_date.isoformat(),
        due_date=due_date.isoformat(),
    )


async def current_catalogue(uow: AbstractUnitOfWork) -> list[CatalogueEntry]:
    async with uow:
        return list(await uow.catalogue.current())


async def catalogue_at(uow: AbstractUnitOfWork, day: date) -> list[CatalogueEntry]:
    """What the catalogue said at the end of `day` (local time), from the versions."""
    return await reads.catalogue_at(uow, day, uow.settings.timezone)


async def export_catalogue(
    uow: AbstractUnitOfWork, path: Path, *, day: date | None = None, english_header: bool = False
) -> int:
    entries = await (catalogue_at(uow, day) if day else current_catalogue(uow))
    return write_catalogue(path, entries, english_header=english_header)
