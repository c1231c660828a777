"""In-transaction subscribers that tell people about rectification notices (R4 Art.8–9), through the
outbox: issued, returned or reopened → the unit's staff (the task force when nobody of the unit is bound in
chat); reported → the task force; accepted → the unit's staff. Listed in `nocert_core.bootstrap`."""

from __future__ import annotations

from nocert_core.domain import events as ev
from nocert_core.services.oversight import rectification as svc
from nocert_core.services.platform.uow import AbstractUnitOfWork


async def on_issued(uow: AbstractUnitOfWork, event: ev.RectificationIssued) -> None:
    await svc.notify(uow, await svc.get_by_id(uow, event.notice_id), svc.ISSUED, to_unit=True)


async def on_reported(uow: AbstractUnitOfWork, event: ev.RectificationReported) -> None:
    await svc.notify(uow, await svc.get_by_id(uow, event.notice_id), svc.REPORTED, to_unit=False)


async def on_accepted(uow: AbstractUnitOfWork, event: ev.RectificationAccepted) -> None:
    notice = await svc.get_by_id(uow, event.notice_id)
    await svc.notify(uow, notice, svc.ACCEPTED, to_unit=True, note=event.note)


async def on_returned(uow: AbstractUnitOfWork, event: ev.RectificationReturned) -> None:
    await svc.notify(uow, await svc.get_by_id(uow, event.notice_id), svc.RETURNED, to_unit=True)
