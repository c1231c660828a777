"""Catalogue use cases: import/export (R1 Art.10), adjustments (R3 Art.5–9), history, opinions (Art.10).

Every change is an Adjustment; entries are versioned (valid_from/valid_to), so nothing is ever overwritten.
Every filing notifies the task force through the outbox in the same transaction.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

from nocert_core.adapters.catalogue_files import parse_catalogue, write_catalogue
from nocert_core.adapters.tables_catalogue import catalogue_repository
from nocert_core.clock import Clock, end_of_local_day, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.catalogue import (
    Adjustment,
    AdjustmentTrigger,
    AdjustmentType,
    CatalogueEntry,
    EntryKey,
    ExemptionMode,
    Opinion,
    certificate_key,
    entry_as_dict,
    make_entry,
    normalise_text,
)
from nocert_core.domain.outbox import OutboxMessage
from nocert_core.errors import ImportFailed, NotFound, PermissionDenied, ValidationFailed
from nocert_core.services.uow import AbstractUnitOfWork

KIND_FILED = "catalogue.adjustment_filed"
KIND_IMPORTED = "catalogue.import_filed"
KIND_OPINION = "catalogue.opinion"
MAX_OPINION_LENGTH = 1000


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


@dataclass
class AdjustmentRequest:
    """What a filer says. For `change`, fields left None stay; new_certificate renames the proof."""

    kind: AdjustmentType
    service_code: str
    certificate: str
    basis: str  # 调整依据: the law, decision or reason
    event_date: date
    trigger: AdjustmentTrigger = AdjustmentTrigger.OTHER
    service: str | None = None
    unit: str | None = None  # a unit code or name
    mode: ExemptionMode | str | None = None
    entry_basis: str | None = None  # the entry's 依据, when it differs from the adjustment basis
    notes: str | None = None
    new_certificate: str | None = None
    note: str = ""


async def _unit_lookup(uow: AbstractUnitOfWork) -> dict[str, tuple[str, str]]:
    """Unit code, name and aliases → (code, name)."""
    lookup: dict[str, tuple[str, str]] = {}
    for unit in await uow.units.list():
        for name in (unit.code, *unit.names()):
            lookup.setdefault(normalise_text(name), (unit.code, unit.name))
    return lookup


def _require_filer(actor: Actor) -> None:
    if actor.role == Role.CITIZEN:
        raise PermissionDenied()


async def _deadline(uow: AbstractUnitOfWork, event_date: date, now: datetime) -> tuple[date, bool, bool]:
    """R3 Art.8: due 2 working days (configurable) after the triggering event; late when filed after that."""
    calendar = await uow.calendar.load()
    due = calendar.deadline(event_date, uow.settings.adjustment_filing_working_days)
    return due.day, due.provisional, local_date(now, uow.settings.timezone) > due.day


async def _notify_task_force(uow: AbstractUnitOfWork, kind: str, key: str, payload: dict[str, Any]) -> None:
    now = uow.clock.now()
    for account in await uow.accounts.with_role(Role.SUPERVISOR):
        await uow.outbox.enqueue(
            OutboxMessage(
                dedup_key=f"{kind}:{key}:{account.ref}",
                recipient_ref=account.ref,
                kind=kind,
                payload=payload,
                created_at=now,
                available_at=now,
            )
        )


def _adjustment_payload(adjustment: Adjustment) -> dict[str, Any]:
    return {
        "id": adjustment.id,
        "kind": adjustment.kind.value,
        "trigger": adjustment.trigger.value,
        "unit": adjustment.unit_name,
        "unit_code": adjustment.unit_code,
        "service_code": adjustment.service_code,
        "service": adjustment.service,
        "certificate": adjustment.certificate,
        "basis": adjustment.basis,
        "event_date": adjustment.event_date.isoformat(),
        "due_date": adjustment.due_date.isoformat(),
        "late": adjustment.late,
        "filed_by": adjustment.filed_by,
    }


def _new_adjustment(
    kind: AdjustmentType,
    trigger: AdjustmentTrigger,
    entry: CatalogueEntry,
    actor: Actor,
    basis: str,
    event_date: date,
    now: datetime,
    due: tuple[date, bool, bool],
    **extra: Any,
) -> Adjustment:
    return Adjustment(
        kind=kind,
        trigger=trigger,
        service_code=entry.service_code,
        service=entry.service,
        certificate=entry.certificate,
        unit_code=entry.unit_code,
        unit_name=entry.unit_name,
        basis=basis,
        event_date=event_date,
        filed_at=now,
        filed_by=actor.ref,
        filed_by_role=actor.role.value,
        due_date=due[0],
        due_provisional=due[1],
        late=due[2],
        **extra,
    )


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
) -> ImportReport:
    """Replace the catalogue (staff: their unit's part of it) with the file's rows; all or nothing."""
    _require_filer(actor)
    rows = parse_catalogue(path)
    now = clock.now()
    event_date = event_date or local_date(now, uow.settings.timezone)
    report = ImportReport(batch=uuid.uuid4().hex[:12])
    async with uow:
        units = await _unit_lookup(uow)
        problems: list[tuple[int, str]] = []
        incoming: dict[EntryKey, CatalogueEntry] = {}
        for row in rows:
            resolved = units.get(row.entry.unit_name)
            row.entry.unit_code = resolved[0] if resolved else None
            if resolved is None:
                report.unknown_units.append((row.line, row.entry.unit_name))
            if actor.role == Role.STAFF and row.entry.unit_code != actor.unit_code:
                problems.append((row.line, f"not an entry of your unit: {row.entry.unit_name}"))
            incoming[row.entry.key] = row.entry
        if problems:
            raise ImportFailed(problems)
        scope = actor.unit_code if actor.role == Role.STAFF else None
        current = {entry.key: entry for entry in await catalogue_repository(uow).current(unit_code=scope)}
        for key, entry in incoming.items():
            old = current.get(key)
            if old is None:
                report.added.append(entry)
            elif fields := old.differs_from(entry):
                report.changed.append((old, entry, fields))
            else:
                report.unchanged += 1
        report.removed = [entry for key, entry in current.items() if key not in incoming]
        if dry_run or not (report.added or report.changed or report.removed):
            return report
        due = await _deadline(uow, event_date, now)
        report.late = due[2]
        basis = normalise_text(basis) or f"清单导入 {path.name}"
        common: dict[str, Any] = {"source": "import", "batch": report.batch}
        for entry in report.added:
            await _record(
                uow,
                _new_adjustment(
                    AdjustmentType.ADD,
                    AdjustmentTrigger.IMPORT,
                    entry,
                    actor,
                    basis,
                    event_date,
                    now,
                    due,
                    after=entry_as_dict(entry),
                    **common,
                ),
                entry,
                now,
            )
        for old, entry, _fields in report.changed:
            old.valid_to = now
            await _record(
                uow,
                _new_adjustment(
                    AdjustmentType.CHANGE,
                    AdjustmentTrigger.IMPORT,
                    entry,
                    actor,
                    basis,
                    event_date,
                    now,
                    due,
                    before=entry_as_dict(old),
                    after=entry_as_dict(entry),
                    **common,
                ),
                entry,
                now,
            )
        for old in report.removed:
            old.valid_to = now
            await _record(
                uow,
                _new_adjustment(
                    AdjustmentType.CANCEL,
                    AdjustmentTrigger.IMPORT,
                    old,
                    actor,
                    basis,
                    event_date,
                    now,
                    due,
                    before=entry_as_dict(old),
                    **common,
                ),
                None,
                now,
            )
        if notify:
            await _notify_task_force(
                uow,
                KIND_IMPORTED,
                report.batch or "",
                {
                    "batch": report.batch,
                    "file": path.name,
                    "filed_by": actor.ref,
                    "added": len(report.added),
                    "changed": len(report.changed),
                    "removed": len(report.removed),
                    "late": report.late,
                    "event_date": event_date.isoformat(),
                    "due_date": due[0].isoformat(),
                },
            )
        await uow.commit()
        report.applied = True
        return report


async def _record(
    uow: AbstractUnitOfWork, adjustment: Adjustment, entry: CatalogueEntry | None, now: datetime
) -> None:
    catalogue_repository(uow).add_adjustment(adjustment)
    await catalogue_repository(uow).flush()
    if entry is not None:
        entry.valid_from = now
        entry.adjustment_id = adjustment.id
        catalogue_repository(uow).add_entry(entry)


async def file_adjustment(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, request: AdjustmentRequest
) -> Adjustment:
    """File one adjustment (R3 Art.8): staff for their own unit, supervisors for any (Art.9)."""
    _require_filer(actor)
    basis = normalise_text(request.basis)
    if not basis:
        raise ValidationFailed("The field {field} is required.", field="basis")
    if not request.trigger.allowed_for(request.kind):
        raise ValidationFailed(
            "The reason {trigger} does not fit an adjustment of type {type}.",
            trigger=request.trigger.value,
            type=request.kind.value,
        )
    now = clock.now()
    async with uow:
        existing = {
            certificate_key(e.certificate): e
            for e in await catalogue_repository(uow).for_service(request.service_code)
        }
        old = existing.get(certificate_key(request.certificate))
        units = await _unit_lookup(uow)
        if request.kind == AdjustmentType.ADD:
            if old is not None:
                raise ValidationFailed(
                    "The catalogue already has {certificate} for service {service}.",
                    certificate=old.certificate,
                    service=old.service,
                )
            unit_text = request.unit or (actor.unit_code if actor.role == Role.STAFF else None) or ""
            resolved = units.get(normalise_text(unit_text))
            template = next(iter(existing.values()), None)
            entry = make_entry(
                request.service_code,
                request.service or (template.service if template else ""),
                resolved[1] if resolved else unit_text,
                request.certificate,
                request.mode or "",
                request.entry_basis if request.entry_basis is not None else basis,
                request.notes or "",
                unit_code=resolved[0] if resolved else None,
            )
            before = None
        else:
            if old is None:
                raise NotFound(
                    "The catalogue has no entry for {certificate} in service {service}.",
                    certificate=request.certificate,
                    service=request.service_code,
                )
            before = old
            entry = old.copy()
            if request.kind == AdjustmentType.CHANGE:
                resolved = units.get(normalise_text(request.unit)) if request.unit else None
                entry = make_entry(
                    old.service_code,
                    request.service or old.service,
                    resolved[1] if resolved else old.unit_name,
                    request.new_certificate or old.certificate,
                    request.mode or old.mode,
                    request.entry_basis if request.entry_basis is not None else old.basis,
                    request.notes if request.notes is not None else old.notes,
                    unit_code=resolved[0] if resolved else old.unit_code,
                )
                if not entry.differs_from(old):
                    raise ValidationFailed("The change changes nothing.")
                renamed = existing.get(certificate_key(entry.certificate))
                if renamed is not None and renamed is not old:
                    raise ValidationFailed(
                        "The catalogue already has {certificate} for service {service}.",
                        certificate=renamed.certificate,
                        service=renamed.service,
                    )
        if not actor.acts_for_unit(entry.unit_code) or (
            before is not None and not actor.acts_for_unit(before.unit_code)
        ):
            raise PermissionDenied()
        due = await _deadline(uow, request.event_date, now)
        adjustment = _new_adjustment(
            request.kind,
            request.trigger,
            entry,
            actor,
            basis,
            request.event_date,
            now,
            due,
            source="chat" if actor.ref.split(":")[0] in ("telegram", "console") else "manual",
            before=entry_as_dict(before) if before else None,
            after=None if request.kind == AdjustmentType.CANCEL else entry_as_dict(entry),
            note=normalise_text(request.note)[:1000],
        )
        if before is not None:
            before.valid_to = now
        await _record(uow, adjustment, None if request.kind == AdjustmentType.CANCEL else entry, now)
        await _notify_task_force(uow, KIND_FILED, str(adjustment.id), _adjustment_payload(adjustment))
        await uow.commit()
        return adjustment


async def list_adjustments(
    uow: AbstractUnitOfWork,
    *,
    since: date | None = None,
    until: date | None = None,
    unit_code: str | None = None,
    limit: int | None = None,
    newest_first: bool = False,
) -> list[Adjustment]:
    """Public (R3 Art.10: anyone may follow and comment on the adjustments)."""
    async with uow:
        return list(
            await catalogue_repository(uow).adjustments(
                since=since, until=until, unit_code=unit_code, limit=limit, newest_first=newest_first
            )
        )


async def get_adjustment(uow: AbstractUnitOfWork, adjustment_id: int) -> Adjustment:
    async with uow:
        adjustment = await catalogue_repository(uow).get_adjustment(adjustment_id)
        if adjustment is None:
            raise NotFound("No adjustment {id}.", id=adjustment_id)
        return adjustment


async def current_catalogue(uow: AbstractUnitOfWork) -> list[CatalogueEntry]:
    async with uow:
        return list(await catalogue_repository(uow).current())


async def catalogue_at(uow: AbstractUnitOfWork, day: date) -> list[CatalogueEntry]:
    """What the catalogue said at the end of `day` (local time), from the versions."""
    async with uow:
        return list(await catalogue_repository(uow).at(end_of_local_day(day, uow.settings.timezone)))


async def export_catalogue(
    uow: AbstractUnitOfWork, path: Path, *, day: date | None = None, english_header: bool = False
) -> int:
    entries = await (catalogue_at(uow, day) if day else current_catalogue(uow))
    return write_catalogue(path, entries, english_header=english_header)


async def give_opinion(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, adjustment_id: int, text: str
) -> Opinion:
    """R3 Art.10: anyone may give an opinion on an adjustment; it reaches the task force."""
    body = normalise_text(text)
    if len(body) < 2:
        raise ValidationFailed("The field {field} is required.", field="opinion")
    if len(body) > MAX_OPINION_LENGTH:
        raise ValidationFailed(
            "The field {field} is longer than {limit} characters.", field="opinion", limit=MAX_OPINION_LENGTH
        )
    async with uow:
        adjustment = await catalogue_repository(uow).get_adjustment(adjustment_id)
        if adjustment is None:
            raise NotFound("No adjustment {id}.", id=adjustment_id)
        opinion = Opinion(
            adjustment_id=adjustment_id, author_ref=actor.ref, text=body, created_at=clock.now()
        )
        catalogue_repository(uow).add_opinion(opinion)
        await catalogue_repository(uow).flush()
        await _notify_task_force(
            uow,
            KIND_OPINION,
            str(opinion.id),
            {
                "opinion_id": opinion.id,
                "adjustment_id": adjustment_id,
                "text": body,
                "service": adjustment.service,
                "certificate": adjustment.certificate,
                "kind": adjustment.kind.value,
            },
        )
        await uow.commit()
        return opinion
