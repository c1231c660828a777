"""Deadline sweeps (R5 Art.10, Art.13; R4 Art.8–9): each alert once per subject and stage.

Deadlines live in the complaint and notice tables, so a sweep is a handful of indexed range queries
("registered before X", "deadline before now") that skip subjects already marked for that stage
(`alert_marks`, anti-join). Work goes in batches, one transaction each: the batch's marks are inserted
with ON CONFLICT DO NOTHING RETURNING, and only the marks returned get their outbox rows (multi-row
inserts, same transaction): of two sweepers racing on PostgreSQL, exactly one inserts a mark and writes
its messages; the outbox dedup keys (`alert:{stage}:{subject}:{ref}:{account}`) are a second guard.
A sweep missed while the bot was down finds the same rows later, so running it once on start-up
catches up. The complaints' sweep (complaint_sweep.py) looks only at complaints due for a look.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import Integer, String, and_, exists, select, text
from sqlalchemy.sql import ColumnElement

from nocert_core.adapters.sql.orm import UtcDateTime
from nocert_core.adapters.sql.repositories import dialect_insert
from nocert_core.adapters.sql.tables_oversight import alert_marks, rectification_notices
from nocert_core.clock import Clock, local_date
from nocert_core.domain import notifications as notes
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import DueWindow, WorkingDayCalendar
from nocert_core.domain.notifications import RectificationCard
from nocert_core.domain.rectification import AWAITING_REPORT, RectificationStatus, notice_number
from nocert_core.services.messaging import outbox
from nocert_core.services.platform.uow import SqlAlchemyUnitOfWork, UnitOfWorkFactory

BATCH = 2000  # subjects per transaction (marks: 4 parameters each)

# Outbox kinds (rendered by handlers/oversight/notifications.py).
ACCEPTANCE_PENDING = notes.ACCEPTANCE_PENDING
ROUTING_PENDING = notes.ROUTING_PENDING
DUE_SOON = notes.DUE_SOON
OVERDUE = notes.OVERDUE
ESCALATION = notes.ESCALATION
EXTENSION_UNDECIDED = notes.EXTENSION_UNDECIDED
RECTIFICATION_DUE_SOON = notes.RECTIFICATION_DUE_SOON
RECTIFICATION_OVERDUE = notes.RECTIFICATION_OVERDUE
RECTIFICATION_FOLLOW_UP = notes.RECTIFICATION_FOLLOW_UP


@dataclass
class SweepResult:
    marked: dict[str, int] = field(default_factory=dict)  # stage → subjects newly alerted
    messages: int = 0  # outbox rows written

    def add(self, stage: str, subjects: int, messages: int) -> None:
        self.marked[stage] = self.marked.get(stage, 0) + subjects
        self.messages += messages

    def merge(self, other: SweepResult) -> None:
        for stage, count in other.marked.items():
            self.add(stage, count, 0)
        self.messages += other.messages


def working_days_ago(calendar: WorkingDayCalendar, today: date, n: int) -> date:
    """The latest day D with at least `n` working days in (D, today]."""
    day, counted = today, 0
    while counted < n:
        if calendar.is_working_day(day):
            counted += 1
        day -= timedelta(days=1)
    return day


class Recipients:
    """Staff per unit and the task force, loaded once per sweep."""

    def __init__(self, uow: SqlAlchemyUnitOfWork) -> None:
        self.uow = uow
        self._staff: dict[str, list[Account]] = {}
        self._supervisors: list[Account] | None = None
        self._all_staff = False

    async def preload(self) -> Recipients:
        """Every unit's staff and the task force in two queries (a sweep over many units), so that
        nothing is read later and the unit of work may close."""
        for account in await self.uow.accounts.with_role(Role.STAFF):
            if account.unit_code is not None:
                self._staff.setdefault(account.unit_code, []).append(account)
        self._all_staff = True
        await self.supervisors()
        return self

    async def staff(self, unit_code: str | None) -> list[Account]:
        if unit_code is None:
            return []
        if unit_code not in self._staff:
            if self._all_staff:
                return []
            self._staff[unit_code] = list(await self.uow.accounts.for_unit(unit_code, roles=(Role.STAFF,)))
        return self._staff[unit_code]

    async def supervisors(self) -> list[Account]:
        if self._supervisors is None:
            found = list(await self.uow.accounts.with_role(Role.SUPERVISOR))
            found += list(await self.uow.accounts.with_role(Role.ADMIN))
            self._supervisors = found
        return self._supervisors

    async def staff_or_supervisors(self, unit_code: str | None) -> list[Account]:
        """Nobody bound for the unit yet: the task force must hear of it instead."""
        return await self.staff(unit_code) or await self.supervisors()

    async def staff_and_supervisors(self, unit_code: str | None) -> list[Account]:
        """The unit's staff and the task force, each account once."""
        accounts = {a.ref: a for a in [*await self.staff(unit_code), *await self.supervisors()]}
        return list(accounts.values())


def _not_marked(stage: str, subject_id: Any, ref_at: Any) -> ColumnElement[bool]:
    mark = alert_marks
    return ~exists().where(mark.c.stage == stage, mark.c.subject_id == subject_id, mark.c.ref_at == ref_at)


# PostgreSQL: the marks as three arrays, one prepared statement whatever the batch (a multi-row VALUES
# is a new statement, parsed and planned, for every batch size).
CLAIM_MARKS_PG = text(
    "INSERT INTO alert_marks (stage, subject_id, ref_at, created_at)"
    " SELECT marks.stage, marks.subject_id, marks.ref_at, CAST(:now AS TIMESTAMP WITH TIME ZONE)"
    " FROM unnest("
    "CAST(:stages AS VARCHAR[]), CAST(:ids AS INTEGER[]), CAST(:refs AS TIMESTAMP WITH TIME ZONE[])"
    ") AS marks(stage, subject_id, ref_at)"
    " ON CONFLICT (stage, subject_id, ref_at) DO NOTHING RETURNING stage, subject_id, ref_at"
).columns(stage=String, subject_id=Integer, ref_at=UtcDateTime)


async def _claim_marks(
    uow: SqlAlchemyUnitOfWork, marks: Sequence[tuple[str, int, datetime]], now: datetime
) -> set[tuple[str, int, datetime]]:
    """Insert (stage, subject, ref_at) marks; returns those this transaction inserted (the others were
    there already: alerted before, or marked concurrently by another sweeper)."""
    if not marks:
        return set()
    session = uow.session
    if session.get_bind().dialect.name == "postgresql":
        columns = list(zip(*marks, strict=True))
        parameters = {
            "stages": list(columns[0]),
            "ids": list(columns[1]),
            "refs": list(columns[2]),
            "now": now,
        }
        result = await session.execute(CLAIM_MARKS_PG, parameters)
    else:
        values = [
            {"stage": stage, "subject_id": sid, "ref_at": ref, "created_at": now} for stage, sid, ref in marks
        ]
        statement = (
            dialect_insert(session, alert_marks)
            .on_conflict_do_nothing(index_elements=["stage", "subject_id", "ref_at"])
            .returning(alert_marks.c.stage, alert_marks.c.subject_id, alert_marks.c.ref_at)
        )
        result = await session.execute(statement, values)  # sent as multi-row INSERTs
    return {(stage, subject_id, ref_at) for stage, subject_id, ref_at in result}


async def _sweep_stage(
    uow_factory: UnitOfWorkFactory,
    stage: str,
    query: Any,  # select(...) with columns id, ref_at and whatever the payload needs, ordered by id
    build: Any,  # async (row, recipients) -> list[(accounts, kind, payload)]
    now: datetime,
    result: SweepResult,
    stop: asyncio.Event | None = None,
) -> None:
    """Alert every subject of `query` once, a batch per transaction: the marks go in with one
    INSERT … ON CONFLICT DO NOTHING RETURNING, then the outbox rows of the marks this transaction won
    with a few multi-row INSERTs. Batches are paged by id (keyset), so a backlog is read once."""
    after: Any = None
    while stop is None or not stop.is_set():
        async with uow_factory() as uow:
            page = query if after is None else query.where(query.selected_columns.id > after)
            rows = (await uow.session.execute(page.limit(BATCH))).all()
            if not rows:
                return
            after = rows[-1].id
            won = await _claim_marks(uow, [(stage, row.id, row.ref_at) for row in rows], now)
            recipients = Recipients(uow)
            messages: list[outbox.Outgoing] = []
            for row in rows:
                if (stage, row.id, row.ref_at) not in won:
                    continue  # another sweeper alerted this one
                ref_day = local_date(row.ref_at, uow.settings.timezone).isoformat()
                for accounts, kind, payload in await build(row, recipients):
                    messages += outbox.addressed(
                        accounts, kind, payload, f"alert:{stage}:{row.subject}:{ref_day}"
                    )
            written = await outbox.enqueue_many(uow, messages)
            await uow.commit()
            result.add(stage, len(won), written)
            if len(rows) < BATCH:
                return


async def _calendar_and_unit_names(
    uow_factory: UnitOfWorkFactory,
) -> tuple[WorkingDayCalendar, dict[str, str]]:
    """What every sweep reads once before its stages: the working-day calendar and unit names."""
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        return calendar, {unit.code: unit.name for unit in await uow.units.list()}


async def sweep_rectifications(
    uow_factory: UnitOfWorkFactory, clock: Clock, stop: asyncio.Event | None = None
) -> SweepResult:
    """Rectification notices: reminded the day before the deadline, overdue, follow-up (回头看) due."""
    settings = uow_factory.settings
    tz = settings.timezone
    now = clock.now()
    r = rectification_notices
    result = SweepResult()
    awaiting = list(AWAITING_REPORT)
    async with uow_factory() as uow:  # no open notice (the usual case): nothing else to read
        open_notice = select(r.c.id).where(r.c.status.in_([*awaiting, RectificationStatus.ACCEPTED])).limit(1)
        if (await uow.session.execute(open_notice)).first() is None:
            return result
    calendar, names = await _calendar_and_unit_names(uow_factory)

    def base(ref: Any, stage: str) -> Any:
        return (
            select(
                r.c.id,
                r.c.id.label("subject"),
                r.c.unit_code,
                r.c.issued_at,
                r.c.deadline_at,
                r.c.issue,
                ref.label("ref_at"),
            )
            .where(_not_marked(stage, r.c.id, ref))
            .order_by(r.c.id)
        )

    def payload(row: Any) -> RectificationCard:
        return RectificationCard(
            notice=notice_number(row.issued_at.year, row.id),
            unit_code=row.unit_code,
            unit_name=names.get(row.unit_code, row.unit_code),
            issue=row.issue[:200],
            deadline=local_date(row.deadline_at, tz).isoformat(),
        )

    due_by = DueWindow.at(now, calendar, tz).next_end
    query = base(r.c.deadline_at, "rect_due_soon").where(
        r.c.status.in_(awaiting), r.c.deadline_at > now, r.c.deadline_at <= due_by
    )

    async def due_soon(row: Any, who: Recipients) -> list[tuple[list[Account], str, RectificationCard]]:
        return [(await who.staff_or_supervisors(row.unit_code), RECTIFICATION_DUE_SOON, payload(row))]

    await _sweep_stage(uow_factory, "rect_due_soon", query, due_soon, now, result, stop)

    query = base(r.c.deadline_at, "rect_overdue").where(r.c.status.in_(awaiting), r.c.deadline_at < now)

    async def overdue(row: Any, who: Recipients) -> list[tuple[list[Account], str, RectificationCard]]:
        return [(await who.staff_and_supervisors(row.unit_code), RECTIFICATION_OVERDUE, payload(row))]

    await _sweep_stage(uow_factory, "rect_overdue", query, overdue, now, result, stop)

    query = base(r.c.follow_up_at, "rect_follow_up").where(
        and_(r.c.status == RectificationStatus.ACCEPTED, r.c.follow_up_at <= now)
    )

    async def follow_up(row: Any, who: Recipients) -> list[tuple[list[Account], str, RectificationCard]]:
        return [(await who.supervisors(), RECTIFICATION_FOLLOW_UP, payload(row))]

    await _sweep_stage(uow_factory, "rect_follow_up", query, follow_up, now, result, stop)
    return result
