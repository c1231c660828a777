"""Verification request use cases (R2 部门核验). One function per use case; each checks the caller's role
and unit, and writes its notifications to the outbox in the same transaction: a new request → the issuing
unit's staff; a result or a return → the requesting unit's staff; a withdrawal → the issuing unit's staff;
an overdue request → both units' staff and the task force, once (`sweep_overdue`).

Confidentiality (R2 Art.10): a request is visible to the staff of its two units and the task force only;
anyone else gets the same answer as for a number that does not exist, and every view is audited."""

from __future__ import annotations

import asyncio
import logging

from nocert_core.adapters.sql.tables_verification import VerificationRepository
from nocert_core.clock import Clock, local_date
from nocert_core.domain import events as ev
from nocert_core.domain import notifications as notes
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.notifications import VerificationCard, VerificationOverdue
from nocert_core.domain.verification import (
    VerificationRequest,
    VerificationResult,
    VerificationStatus,
    format_number,
    normalise_number,
)
from nocert_core.errors import NotFound
from nocert_core.services.messaging import outbox
from nocert_core.services.platform.reads import list_requests as list_requests
from nocert_core.services.platform.uow import AbstractUnitOfWork, AppContext, UnitOfWorkFactory

log = logging.getLogger(__name__)

# Outbox kinds (payloads: domain/notifications.py; rendered by handlers/verification/notifications.py).
REQUESTED = notes.VERIFICATION_REQUESTED
ANSWERED = notes.VERIFICATION_ANSWERED
WITHDRAWN = notes.VERIFICATION_WITHDRAWN
OVERDUE = notes.VERIFICATION_OVERDUE


def _repo(uow: AbstractUnitOfWork) -> VerificationRepository:
    return uow.verifications


async def _unit_name(uow: AbstractUnitOfWork, code: str) -> str:
    unit = await uow.units.get(code)
    return unit.name if unit else code


async def _staff(uow: AbstractUnitOfWork, unit_code: str) -> list[Account]:
    return list(await uow.accounts.for_unit(unit_code, roles=(Role.STAFF,)))


async def _supervisors(uow: AbstractUnitOfWork) -> list[Account]:
    return [*await uow.accounts.with_role(Role.SUPERVISOR), *await uow.accounts.with_role(Role.ADMIN)]


async def card(uow: AbstractUnitOfWork, request: VerificationRequest) -> VerificationCard:
    """What a unit's staff need to act on the request (the two units, the proof, the data to check, the
    answer so far): the chat's card and the notifications' payload."""
    return VerificationCard(
        number=request.number,
        requesting_unit=await _unit_name(uow, request.requesting_unit_code),
        issuing_unit=await _unit_name(uow, request.issuing_unit_code),
        service=request.service,
        proof=request.proof,
        applicant=request.applicant_name,
        data=request.data_to_check,
        deadline=local_date(request.deadline_at, uow.settings.timezone).isoformat(),
        status=request.status.value,
        result=request.result.value if request.result else None,
        details=request.result_details,
        reason=request.return_reason,
        material=request.material_note,
    )


async def notify(uow: AbstractUnitOfWork, request: VerificationRequest, kind: str, unit_code: str) -> None:
    """To the unit's staff; with nobody of that unit bound in chat, the task force hears of it instead."""
    accounts = await _staff(uow, unit_code) or await _supervisors(uow)
    step = len(request.audit)  # each lifecycle step notifies once, however often it is retried
    await outbox.notify(uow, accounts, kind, await card(uow, request), f"{kind}:{request.id}:{step}")


async def get_by_number(uow: AbstractUnitOfWork, number: str) -> VerificationRequest:
    request = await _repo(uow).get_by_number(number)
    assert request is not None, number  # the event was raised by this transaction's request
    return request


async def _load(uow: AbstractUnitOfWork, actor: Actor, number: str) -> VerificationRequest:
    request = await _repo(uow).get_by_number(normalise_number(number))
    if request is None or not request.can_view(actor):  # a guessed number learns nothing
        raise NotFound("No verification request {number}.", number=number)
    return request


async def create_request(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    issuing_unit_code: str,
    service: str,
    proof: str,
    applicant_name: str,
    data_to_check: str,
) -> VerificationRequest:
    """Requesting-unit staff ask the issuing unit to verify a proof (R2 Art.7)."""
    async with uow:
        if await uow.units.get(issuing_unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=issuing_unit_code)
        calendar = await uow.calendar.load()
        now = clock.now()
        tz = uow.settings.timezone
        year = local_date(now, tz).year
        request = VerificationRequest.start(
            number="",
            issuing_unit_code=issuing_unit_code,
            service=service,
            proof=proof,
            applicant_name=applicant_name,
            data_to_check=data_to_check,
            working_days=uow.settings.verification_working_days,
            actor=actor,
            now=now,
            calendar=calendar,
            tz=tz,
        )  # validated before a number is used up
        request.number = format_number(year, await _repo(uow).next_number_sequence(year))
        _repo(uow).add(request)
        await uow.flush()  # the dedup key needs the id
        uow.publish(ev.VerificationRequested(request.number))
        await uow.commit()
        return request


async def accept_request(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str
) -> VerificationRequest:
    """The issuing unit registers and accepts it (R2 Art.8)."""
    async with uow:
        request = await _load(uow, actor, number)
        request.accept(actor, clock.now())
        await uow.commit()
        return request


async def verify_request(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    result: VerificationResult,
    details: str = "",
) -> VerificationRequest:
    """Record the result. A request verified at once is registered and accepted in the same step
    (R2 Art.8: "能即时核验的应立即完成核验"), so the audit shows both."""
    async with uow:
        request = await _load(uow, actor, number)
        now = clock.now()
        if request.status == VerificationStatus.REQUESTED:
            request.accept(actor, now)
        request.verify(result, details, actor, now)
        uow.publish(ev.VerificationAnswered(request.number))
        await uow.commit()
        return request


async def return_request(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, reason: str
) -> VerificationRequest:
    """Outside the issuing unit's duty: sent back with a reason (R2 Art.8)."""
    async with uow:
        request = await _load(uow, actor, number)
        request.send_back(reason, actor, clock.now())
        uow.publish(ev.VerificationAnswered(request.number))
        await uow.commit()
        return request


async def withdraw_request(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str = ""
) -> VerificationRequest:
    async with uow:
        request = await _load(uow, actor, number)
        request.withdraw(actor, clock.now(), note)
        uow.publish(ev.VerificationWithdrawn(request.number))
        await uow.commit()
        return request


async def record_material_request(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str
) -> VerificationRequest:
    """After an inconsistent result the requesting unit asked the applicant for more (R2 Art.9)."""
    async with uow:
        request = await _load(uow, actor, number)
        request.record_material_request(note, actor, clock.now())
        await uow.commit()
        return request


async def get_request(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, purpose: str = ""
) -> VerificationRequest:
    """One request with its data; the view is audited (R2 Art.10)."""
    async with uow:
        request = await _load(uow, actor, number)
        request.record_view(actor, clock.now(), purpose)
        await uow.commit()
        return request


async def sweep_overdue(uow_factory: UnitOfWorkFactory, clock: Clock) -> int:
    """Alert both units' staff and the task force about each open request past its time limit, once
    (the row's `overdue_alerted_at` mark decides between concurrent sweepers; the outbox dedup key
    `verification.overdue:{id}:{account}` is a second guard). Returns how many requests were alerted."""
    alerted = 0
    async with uow_factory() as uow:
        now = clock.now()
        repo = _repo(uow)
        supervisors = await _supervisors(uow)
        for row in await repo.overdue_not_alerted(now):
            if not await repo.mark_overdue_alerted(row.id, now):
                continue
            accounts = {
                a.ref: a
                for a in [
                    *await _staff(uow, row.requesting_unit_code),
                    *await _staff(uow, row.issuing_unit_code),
                    *supervisors,
                ]
            }
            data = VerificationOverdue(  # the register fields only: the applicant's data stay with the units
                number=row.number,
                requesting_unit=await _unit_name(uow, row.requesting_unit_code),
                issuing_unit=await _unit_name(uow, row.issuing_unit_code),
                proof=row.proof,
                deadline=local_date(row.deadline_at, uow.settings.timezone).isoformat(),
                status=VerificationStatus(row.status).value,
            )
            await outbox.notify(uow, accounts.values(), OVERDUE, data, f"{OVERDUE}:{row.id}")
            alerted += 1
        await uow.commit()
    return alerted


async def sweep_verifications(app: AppContext, stop: asyncio.Event | None = None) -> None:
    """The scheduler's job (same shape as the other sweep jobs): overdue verification alerts."""
    if stop is not None and stop.is_set():
        return
    try:
        alerted = await sweep_overdue(app.uow, app.clock)
    except Exception:
        log.exception("verification sweep failed")
        return
    if alerted:
        log.info("verification sweep: %d overdue request(s) alerted", alerted)
