"""What every catalogue change shares (R3 Art.8): the filing deadline, the adjustment record that versions
an entry, and the notice to the task force. Used by `services.catalogue.adjustments` (one adjustment,
opinions) and `services.catalogue.imports` (a whole file); neither is a use case on its own.
"""

from __future__ import annotations

import dataclasses
from datetime import date, datetime
from typing import Any

from nocert_core.clock import local_date
from nocert_core.domain import events as ev
from nocert_core.domain import notifications as notes
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.adjustments import Adjustment, AdjustmentTrigger, AdjustmentType
from nocert_core.domain.catalogue import CatalogueEntry, normalise_text
from nocert_core.domain.notifications import AdjustmentFiled, ImportFiled, OpinionFiled
from nocert_core.errors import PermissionDenied
from nocert_core.services.messaging import outbox
from nocert_core.services.platform.uow import AbstractUnitOfWork

# Outbox kinds (payloads: domain/notifications.py; rendered by handlers/guidance/notifications.py).
KIND_FILED = notes.CATALOGUE_ADJUSTMENT_FILED
KIND_IMPORTED = notes.CATALOGUE_IMPORT_FILED
KIND_OPINION = notes.CATALOGUE_OPINION

Due = tuple[date, bool, bool]  # (due day, provisional, late)


async def unit_lookup(uow: AbstractUnitOfWork) -> dict[str, tuple[str, str]]:
    """Unit code, name and aliases → (code, name)."""
    lookup: dict[str, tuple[str, str]] = {}
    for unit in await uow.units.list():
        for name in (unit.code, *unit.names()):
            lookup.setdefault(normalise_text(name), (unit.code, unit.name))
        lookup.setdefault(unit.code.upper(), (unit.code, unit.name))  # a code in any case
    return lookup


def require_filer(actor: Actor) -> None:
    if actor.role == Role.CITIZEN:
        raise PermissionDenied()


async def filing_deadline(uow: AbstractUnitOfWork, event_date: date, now: datetime) -> Due:
    """R3 Art.8: due 2 working days (configurable) after the triggering event; late when filed after that."""
    calendar = await uow.calendar.load()
    due = calendar.deadline(event_date, uow.settings.adjustment_filing_working_days)
    return due.day, due.provisional, local_date(now, uow.settings.timezone) > due.day


def file_notice(
    uow: AbstractUnitOfWork, key: str, notice: AdjustmentFiled | ImportFiled | OpinionFiled
) -> None:
    """Publish the filing (the task force hears of it in this transaction: `on_filed`)."""
    notice = dataclasses.replace(notice, filing_days=uow.settings.adjustment_filing_working_days)
    uow.publish(ev.CatalogueFiled(f"{notice.KINDS[0]}:{key}", notice))


async def on_filed(uow: AbstractUnitOfWork, event: ev.CatalogueFiled) -> None:
    """The in-transaction subscriber (listed in `nocert_core.bootstrap`): one notice per supervisor."""
    kind = event.notice.KINDS[0]
    await outbox.notify(uow, await uow.accounts.with_role(Role.SUPERVISOR), kind, event.notice, event.key)


def new_adjustment(
    kind: AdjustmentType,
    trigger: AdjustmentTrigger,
    entry: CatalogueEntry,
    actor: Actor,
    basis: str,
    event_date: date,
    now: datetime,
    due: Due,
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


async def record_adjustment(
    uow: AbstractUnitOfWork, adjustment: Adjustment, entry: CatalogueEntry | None, now: datetime
) -> None:
    """Store the adjustment and, unless it cancels, the entry version it creates (valid from now)."""
    uow.catalogue.add_adjustment(adjustment)
    await uow.catalogue.flush()
    if entry is not None:
        entry.valid_from = now
        entry.adjustment_id = adjustment.id
        uow.catalogue.add_entry(entry)
