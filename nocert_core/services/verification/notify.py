"""In-transaction subscribers that tell units about verification requests (R2), through the outbox:
a new request → the issuing unit's staff; a result or a return → the requesting unit's staff; a withdrawal →
the issuing unit's staff. With nobody of that unit bound in chat, the task force hears of it instead.
Listed in `nocert_core.bootstrap.EVENT_HANDLERS`."""

from __future__ import annotations

from nocert_core.domain import events as ev
from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.services.verification import requests as svc


async def on_requested(uow: AbstractUnitOfWork, event: ev.VerificationRequested) -> None:
    request = await svc.get_by_number(uow, event.number)
    await svc.notify(uow, request, svc.REQUESTED, request.issuing_unit_code)


async def on_answered(uow: AbstractUnitOfWork, event: ev.VerificationAnswered) -> None:
    request = await svc.get_by_number(uow, event.number)
    await svc.notify(uow, request, svc.ANSWERED, request.requesting_unit_code)


async def on_withdrawn(uow: AbstractUnitOfWork, event: ev.VerificationWithdrawn) -> None:
    request = await svc.get_by_number(uow, event.number)
    await svc.notify(uow, request, svc.WITHDRAWN, request.issuing_unit_code)
