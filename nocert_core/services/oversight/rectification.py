"""Rectification notice use cases (R4 Art.8–9). Each step publishes a domain event; its subscriber
(`services/oversight/notify_rectification.py`) writes the notifications to the outbox in the same transaction:
issued/returned/reopened → the unit's staff; reported → the task force; accepted → staff."""

from __future__ import annotations

import dataclasses

from nocert_core.adapters.sql.tables_oversight import RectificationRepository
from nocert_core.clock import Clock, local_date
from nocert_core.domain import events as ev
from nocert_core.domain import notifications as notes
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.notifications import RectificationCard
from nocert_core.domain.rectification import RectificationNotice, parse_notice_number
from nocert_core.errors import NotFound
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight.alerts import Recipients
from nocert_core.services.platform.reads import list_notices as list_notices
from nocert_core.services.platform.uow import AbstractUnitOfWork

# Outbox kinds (payload: RectificationCard in nocert_core/domain/notifications.py).
ISSUED = notes.RECTIFICATION_ISSUED
REPORTED = notes.RECTIFICATION_REPORTED
ACCEPTED = notes.RECTIFICATION_ACCEPTED
RETURNED = notes.RECTIFICATION_RETURNED


def _id(notice: RectificationNotice) -> int:
    assert notice.id is not None  # flushed
    return notice.id


def card(uow: AbstractUnitOfWork, notice: RectificationNotice, unit_name: str | None) -> RectificationCard:
    """The notice as its unit and the task force see it; what the notifications carry."""
    tz = uow.settings.timezone
    return RectificationCard(
        notice=notice.number,
        unit_code=notice.unit_code,
        unit_name=unit_name,
        issue=notice.issue,
        requirement=notice.requirement,
        deadline=local_date(notice.deadline_at, tz).isoformat(),
        report=notice.report or "",
        on_time=notice.reported_on_time,
        follow_up=local_date(notice.follow_up_at, tz).isoformat() if notice.follow_up_at else "",
        reason=notice.decision_note,
    )


async def notify(
    uow: AbstractUnitOfWork, notice: RectificationNotice, kind: str, to_unit: bool, note: str = ""
) -> None:
    """To the unit's staff (the task force when nobody of the unit is bound in chat), or to the task force."""
    unit = await uow.units.get(notice.unit_code)
    recipients = Recipients(uow)  # type: ignore[arg-type]
    accounts = (
        await recipients.staff_or_supervisors(notice.unit_code) if to_unit else await recipients.supervisors()
    )
    step = len(notice.audit)  # each lifecycle step notifies once, however often it is retried
    payload = dataclasses.replace(card(uow, notice, unit.name if unit else None), note=note)
    await outbox.notify(uow, accounts, kind, payload, f"{kind}:{notice.id}:{step}")


async def get_by_id(uow: AbstractUnitOfWork, notice_id: int) -> RectificationNotice:
    notice = await _repo(uow).get(notice_id)
    assert notice is not None, notice_id  # the event was raised by this transaction's notice
    return notice


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
        uow.publish(ev.RectificationIssued(_id(notice)))
        await uow.commit()
        return notice


async def report_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, report: str
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        notice.submit_report(report, actor, clock.now())
        uow.publish(ev.RectificationReported(_id(notice)))
        await uow.commit()
        return notice


async def accept_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, note: str = ""
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        notice.accept(actor, clock.now(), uow.settings.rectification_follow_up_days, note)
        uow.publish(ev.RectificationAccepted(_id(notice), note))
        await uow.commit()
        return notice


async def return_rectification(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, reason: str, working_days: int
) -> RectificationNotice:
    async with uow:
        notice = await _load(uow, actor, number)
        calendar = await uow.calendar.load()
        notice.send_back(reason, working_days, actor, clock.now(), calendar, uow.settings.timezone)
        uow.publish(ev.RectificationReturned(_id(notice)))
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
        uow.publish(ev.RectificationReturned(_id(notice)))
        await uow.commit()
        return notice


async def get_notice(uow: AbstractUnitOfWork, actor: Actor, number: str) -> RectificationNotice:
    async with uow:
        return await _load(uow, actor, number)
