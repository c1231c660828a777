"""The complaints' deadline sweep (R5 Art.10, Art.13): acceptance pending, due soon, overdue,
escalation, undecided extension requests; each alert once per complaint and stage (`alert_marks`).

It looks only at complaints whose next look has come (`complaint_looks.next_look_at`, indexed; a narrow
table of its own, so rewriting a backlog's looks does not rewrite the complaints' many index entries):
every change to a complaint sets it to the time of the change, and after a look the sweep sets it to the
next moment an alert can fall due (`NextLook`: the deadline, or the start of the day a working-day
threshold is reached); NULL when none can (closed, or every alert of its current dates sent) until it
changes.
So the sweep every few minutes reads only what changed or fell due since the last one, and a backlog
(the first sweep after the migration, or after downtime) is streamed in batches of `BATCH` complaints
by id, giving the event loop back between batches: each batch is read in one short transaction and
written in another (on PostgreSQL the writes of one batch overlap the read of the next). A complaint
changed in between keeps its change time as its look, so the write leaves its look alone and the next
sweep looks again — the same window as a read and a write in one READ COMMITTED transaction.

A batch is set-based: one read of the batch's complaints; each stage's threshold (a moment computed once
per sweep: "registered before", "due by", "deadline before" …) tested in memory; the marks of every stage
claimed with one INSERT … ON CONFLICT DO NOTHING RETURNING (a mark already there — alerted before, or by
another sweeper — is not returned, so exactly one sweeper alerts, see
nocert_core/services/oversight/alerts.py); the outbox rows of the marks won in one multi-row INSERT; the
batch's next looks in one UPDATE. On PostgreSQL the three writes take arrays (`unnest`), so each is one
prepared statement whatever the batch.
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, select, text, update

from nocert_core.adapters.sql import orm
from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain.accounts import Account
from nocert_core.domain.calendar import DueWindow
from nocert_core.domain.complaint_lifecycle import ComplaintStatus, ExtensionState
from nocert_core.domain.notifications import ComplaintAlert
from nocert_core.services.complaints.next_look import (
    AWAITING_ACCEPTANCE,
    HANDLING,
    Facts,
    LocalDays,
    NextLook,
)
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight.alerts import (
    ACCEPTANCE_PENDING,
    BATCH,
    DUE_SOON,
    ESCALATION,
    EXTENSION_UNDECIDED,
    OVERDUE,
    ROUTING_PENDING,
    Recipients,
    SweepResult,
    _calendar_and_unit_names,
    _claim_marks,
    working_days_ago,
)
from nocert_core.services.platform.uow import UnitOfWorkFactory

Alerts = list[tuple[list[Account], str, ComplaintAlert]]


@dataclass(frozen=True)
class Stage:
    """One alert stage: `ref` names the date its mark is for, `due` tests a complaint against the
    stage's threshold (the same comparisons the stage queries made in SQL), `build` gives the alerts."""

    name: str
    ref: str
    due: Callable[[Any], bool]
    build: Callable[[Any, Recipients], Awaitable[Alerts]]


async def sweep_complaints(
    uow_factory: UnitOfWorkFactory, clock: Clock, stop: asyncio.Event | None = None
) -> SweepResult:
    settings = uow_factory.settings
    tz = settings.timezone
    now = clock.now()
    today = local_date(now, tz)
    looks = orm.complaint_looks
    result = SweepResult()
    async with uow_factory() as uow:  # the steady state: one index probe, nothing else read
        # Ordered by next_look_at, so the index answers even when the statistics still remember a backlog.
        first_due = (
            select(looks.c.complaint_id)
            .where(looks.c.next_look_at <= now)
            .order_by(looks.c.next_look_at)
            .limit(1)
        )
        if (await uow.session.execute(first_due)).first() is None:
            return result
    calendar, names = await _calendar_and_unit_names(uow_factory)
    days = LocalDays(tz)

    def payload(row: Any, **extra: Any) -> ComplaintAlert:
        return ComplaintAlert(
            number=row.number,
            unit_code=row.unit_code,
            unit_name=names.get(row.unit_code or "", row.unit_code or ""),
            deadline=days.iso(row.deadline_at) if row.deadline_at is not None else "",
            **extra,
        )

    def handling(row: Any) -> bool:
        return row.status in HANDLING and row.deadline_at is not None

    # 1. Acceptance pending longer than N working days (routed: the unit; unrouted: the task force).
    pending_days = settings.acceptance_alert_working_days
    registered_before = local_midnight(
        working_days_ago(calendar, today, pending_days) + timedelta(days=1), tz
    )

    async def acceptance(row: Any, who: Recipients) -> Alerts:
        if row.unit_code is None:
            return [(await who.supervisors(), ROUTING_PENDING, payload(row, working_days=pending_days))]
        return [
            (
                await who.staff_or_supervisors(row.unit_code),
                ACCEPTANCE_PENDING,
                payload(row, working_days=pending_days),
            )
        ]

    stages = [
        Stage(
            "acceptance",
            "registered_at",
            lambda row: row.status in AWAITING_ACCEPTANCE and row.registered_at < registered_before,
            acceptance,
        )
    ]

    # 2. Deadline within 1 working day (the unit's staff).
    due_by = DueWindow.at(now, calendar, tz).next_end

    async def due_soon(row: Any, who: Recipients) -> Alerts:
        return [(await who.staff_or_supervisors(row.unit_code), DUE_SOON, payload(row))]

    stages.append(
        Stage(
            "due_soon", "deadline_at", lambda row: handling(row) and now < row.deadline_at <= due_by, due_soon
        )
    )

    # 3. Overdue (the unit's staff and the task force).
    async def overdue(row: Any, who: Recipients) -> Alerts:
        return [(await who.staff_and_supervisors(row.unit_code), OVERDUE, payload(row))]

    stages.append(
        Stage("overdue", "deadline_at", lambda row: handling(row) and row.deadline_at < now, overdue)
    )

    # 4. Overdue by N more working days: escalation to the task force, marked serious.
    escalation_days = settings.escalation_working_days
    deadline_before = local_midnight(
        working_days_ago(calendar, today, escalation_days) + timedelta(days=1), tz
    )
    days_late: dict[date, int] = {}  # per deadline day, not per complaint

    async def escalation(row: Any, who: Recipients) -> Alerts:
        day = days[row.deadline_at]
        if day not in days_late:
            days_late[day] = calendar.working_days_between(day, today)
        return [
            (await who.supervisors(), ESCALATION, payload(row, working_days=days_late[day], serious=True))
        ]

    stages.append(
        Stage(
            "escalation",
            "deadline_at",
            lambda row: handling(row) and row.deadline_at < deadline_before and row.deadline_at < now,
            escalation,
        )
    )

    # 5. An extension request nobody decided within N working days reminds the task force.
    decide_days = settings.extension_decision_working_days
    requested_before = local_midnight(working_days_ago(calendar, today, decide_days) + timedelta(days=1), tz)

    async def extension(row: Any, who: Recipients) -> Alerts:
        return [(await who.supervisors(), EXTENSION_UNDECIDED, payload(row, days=row.extension_days))]

    stages.append(
        Stage(
            "extension",
            "extension_requested_at",
            lambda row: (
                row.status == ComplaintStatus.ACCEPTED
                and row.extension_state == ExtensionState.REQUESTED
                and row.extension_requested_at is not None
                and row.extension_requested_at < requested_before
            ),
            extension,
        )
    )
    lookahead = NextLook(calendar, tz, days, now, pending_days, escalation_days, decide_days)
    await _sweep_due_complaints(uow_factory, stages, now, lookahead, stop, result)
    return result


# PostgreSQL: the batch's next looks as two arrays, one prepared statement whatever the batch size.
SET_NEXT_LOOKS_PG = text(
    "UPDATE complaint_looks SET next_look_at = looks.at"
    " FROM unnest(CAST(:ids AS INTEGER[]), CAST(:ats AS TIMESTAMP WITH TIME ZONE[])) AS looks(id, at)"
    " WHERE complaint_looks.complaint_id = looks.id AND complaint_looks.next_look_at <= :now"
)
SET_NEXT_LOOK = (  # SQLite: one statement per complaint (executemany)
    update(orm.complaint_looks)
    .where(
        orm.complaint_looks.c.complaint_id == bindparam("look_of"),
        orm.complaint_looks.c.next_look_at <= bindparam("now"),
    )
    .values(next_look_at=bindparam("next_look"))
)


async def _sweep_due_complaints(
    uow_factory: UnitOfWorkFactory,
    stages: list[Stage],
    now: datetime,
    lookahead: NextLook,
    stop: asyncio.Event | None,
    result: SweepResult,
) -> None:
    """Read a batch, then write it in its own transaction. On PostgreSQL the writes of one batch overlap
    the reading and sorting of the next (two transactions at most, on disjoint complaints): the sweep's
    Python and the server's work on the writes run side by side instead of in turn."""
    c, looks = orm.complaints, orm.complaint_looks
    due = looks.c.next_look_at <= now
    facts = select(
        c.c.id,
        c.c.number,
        c.c.status,
        c.c.unit_code,
        c.c.registered_at,
        c.c.deadline_at,
        c.c.extension_state,
        c.c.extension_requested_at,
        c.c.extension_days,
    )
    async with uow_factory() as uow:
        recipients = await Recipients(uow).preload()
        pipelined = uow.session.get_bind().dialect.name == "postgresql"
    writes = _BatchWrites(uow_factory, now, lookahead.days, recipients, result)
    after = 0
    in_flight: asyncio.Task[None] | None = None
    try:
        while stop is None or not stop.is_set():
            # The batch's ids first (limited), then their complaints by primary key: joined unlimited,
            # PostgreSQL merges with the complaints' whole primary key from the start, every batch.
            batch = (
                select(looks.c.complaint_id)
                .where(due, looks.c.complaint_id > after)
                .order_by(looks.c.complaint_id)
                .limit(BATCH)
                .subquery()
            )
            async with uow_factory() as uow:
                rows = await uow.session.execute(
                    facts.join_from(batch, c, c.c.id == batch.c.complaint_id).order_by(c.c.id)
                )
                found = [Facts._make(row) for row in rows]
            if not found:
                break
            after = found[-1].id
            due_now = [(stage, [row for row in found if stage.due(row)]) for stage in stages]
            next_looks = [(row.id, lookahead.of(row)) for row in found]
            if in_flight is not None:
                await in_flight
                in_flight = None
            if pipelined:
                in_flight = asyncio.create_task(writes.write(due_now, next_looks))
            else:
                await writes.write(due_now, next_looks)
            if len(found) < BATCH:
                break
            await asyncio.sleep(0)  # a backlog must not hold up the bot: its updates go in between batches
    except BaseException:
        if in_flight is not None:  # its own transaction: committed or rolled back, not abandoned
            await asyncio.wait([in_flight])
            if not in_flight.cancelled():
                in_flight.exception()
        raise
    if in_flight is not None:
        await in_flight


@dataclass
class _BatchWrites:
    """A batch's writes, in one transaction: the marks claimed, the alerts of the marks won, the looks."""

    uow_factory: UnitOfWorkFactory
    now: datetime
    days: LocalDays
    recipients: Recipients
    result: SweepResult

    async def write(
        self, due_now: list[tuple[Stage, list[Any]]], next_looks: list[tuple[int, datetime | None]]
    ) -> None:
        now, result = self.now, self.result
        async with self.uow_factory() as uow:
            session = uow.session
            claims = [
                (stage.name, row.id, getattr(row, stage.ref)) for stage, rows in due_now for row in rows
            ]
            won = await _claim_marks(uow, claims, now)
            messages: list[outbox.Outgoing] = []
            for stage, rows in due_now:
                alerted = 0
                for row in rows:
                    ref_at = getattr(row, stage.ref)
                    if (stage.name, row.id, ref_at) not in won:
                        continue  # alerted before, or by another sweeper just now
                    alerted += 1
                    ref_day = self.days.iso(ref_at)
                    for accounts, kind, payload in await stage.build(row, self.recipients):
                        messages += outbox.addressed(
                            accounts, kind, payload, f"alert:{stage.name}:{row.number}:{ref_day}"
                        )
                result.add(stage.name, alerted, 0)
            result.messages += await outbox.enqueue_many(uow, messages)
            # A complaint changed meanwhile has its next look at its change time (> now): left for the next
            # sweep. On PostgreSQL this UPDATE waits for such a change to commit, then skips the row.
            if session.get_bind().dialect.name == "postgresql":
                ids, ats = [row_id for row_id, _ in next_looks], [at for _, at in next_looks]
                await session.execute(SET_NEXT_LOOKS_PG, {"ids": ids, "ats": ats, "now": now})
            else:
                await session.execute(
                    SET_NEXT_LOOK,
                    [{"look_of": row_id, "next_look": at, "now": now} for row_id, at in next_looks],
                    execution_options={"synchronize_session": False},
                )
            await uow.commit()
