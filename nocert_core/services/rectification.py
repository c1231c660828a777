"""Rectification notice use cases (R4 Art.8–9). Each writes its notifications to the outbox in the same
transaction: issued/returned/reopened → the unit's staff; reported → the task force; accepted → staff."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from nocert_core.adapters.tables_oversight import RectificationRepository
from nocert_core.clock import Clock, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.rectification import RectificationNotice, RectificationStatus, parse_notice_number
from nocert_core.errors import NotFound
from nocert_core.services import outbox
from nocert_core.services.alerts import Recipients
from nocert_core.services.uow import AbstractUnitOfWork

ISSUED = "rectification.issued"
REPORTED = "rectification.reported"
ACCEPTED = "rectification.accepted"
RETURNED = "rectification.returned"


def _payload(
    uow: AbstractUnitOfWork, notice: RectificationNotice, unit_name: str, **extra: Any
) -> dict[str, Any]:
    return {
        "notice": notice.number,
        "unit_code": notice.unit_code,
        "unit_name": unit_name,
        "issue": notice.issue,
        "requirement": notice.requirement,
        "deadline": local_date(notice.deadline_at, uow.settings.timezone).isoformat(),
        **extra,
    }


async def _notify(
    uow: AbstractUnitOfWork, notice: RectificationNotice, kind: str, to_unit: bool, **extra: Any
) -> None:
    unit = await uow.units.get(notice.unit_code)
    recipients = Recipients(uow)  # type: ignore[arg-type]
    accounts = (
        await recipients.staff_or_supervisors(notice.unit_code) if to_unit else await recipients.supervisors()
    )
    step = len(notice.audit)  # each lifecycle step notifies once, however often it is retried
    payload = _payload(uow, notice, unit.name if unit else notice.unit_code, **extra)
    await outbox.notify(uow, accounts, kind, payload, f"{kind}:{notice.id}:{step}")


async def _load(uow: AbstractUnitOfWork, actor: Actor, number: str) -> RectificationNotice:
    notice_id = parse_notice_number(number)
    notice = await _repo(uow).get(notice_id) if notice_id is not None else None
    if notice is None or not can_view(actor, notice):
        raise NotFound("No rectification notice {number}.", number=number)
    return notice


def _repo(uow: AbstractUnitOfWork) -> RectificationRepository:
    return uow.rectifications


def can_view(actor: Actor, notice: RectificationNotice) -> bool:
    return actor.is_supervisor or (actor.role == Role.STAFF and actor.unit_code == notice.unit_code)


async def issue_notice(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    unit_code: str,
    issue: str,
    requirement: str,
    working_days: int,
    complaint_numbers: list[str] | None = None,
) -> RectificationNotice:
    async with uow:
        if await uow.units.get(unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=unit_code)
        calendar = await uow.calendar.load()
        notice = RectificationNotice.issue_to(
            unit_code,
            issue,
            requirement,
            working_days,
            actor,
            clock.now(),
            calendar,
            uow.settings.timezone,
            complaint_numbers,
        )
        _repo(uow).add(notice)
        await _repo(uow).flush()  # the number needs the id
        await _notify(uow, notice, ISSUED, to_unit=True)
        await uow.commit()
        return notice


async def report_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, report: str
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        notice.submit_report(report, actor, clock.now())
        await _notify(
            uow, notice, REPORTED, to_unit=False, report=notice.report, on_time=notice.reported_on_time
        )
        await uow.commit()
        return notice


async def accept_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str = ""
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        notice.accept(actor, clock.now(), uow.settings.rectification_follow_up_days, note)
        follow_up = local_date(notice.follow_up_at or clock.now(), uow.settings.timezone).isoformat()
        await _notify(uow, notice, ACCEPTED, to_unit=True, note=note, follow_up=follow_up)
        await uow.commit()
        return notice


async def return_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, reason: str, working_days: int
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        calendar = await uow.calendar.load()
        notice.send_back(reason, working_days, actor, clock.now(), calendar, uow.settings.timezone)
        await _notify(uow, notice, RETURNED, to_unit=True, reason=notice.decision_note)
        await uow.commit()
        return notice


async def confirm_follow_up(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str = ""
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        notice.confirm_follow_up(actor, clock.now(), note)
        await uow.commit()
        return notice


async def reopen_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, reason: str, working_days: int
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        calendar = await uow.calendar.load()
        notice.reopen(reason, working_days, actor, clock.now(), calendar, uow.settings.timezone)
        await _notify(uow, notice, RETURNED, to_unit=True, reason=notice.decision_note)
        await uow.commit()
        return notice


async def get_notice(uow: AbstractUnitOfWork, actor: Actor, number: str) -> RectificationNotice:
    async with uow:
        return await _load(uow, actor, number)


async def list_notices(
    uow: AbstractUnitOfWork,
    actor: Actor,
    statuses: Sequence[RectificationStatus] | None = None,
    unit_code: str | None = None,
) -> Sequence[RectificationNotice]:
    """Supervisors: all (or one unit's); staff: their own unit's."""
    async with uow:
        if actor.role == Role.STAFF:
            if actor.unit_code is None:
                return []
            unit_code = actor.unit_code
        elif not actor.is_supervisor:
            return []
        return await _repo(uow).list(unit_code=unit_code, statuses=statuses)
