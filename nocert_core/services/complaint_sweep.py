"""The complaints' deadline sweep (R5 Art.10, Art.13): acceptance pending, due soon, overdue,
escalation, undecided extension requests; each alert once per complaint and stage (`alert_marks`).

It looks only at complaints whose `next_alert_at` has come (an indexed column): every change to a
complaint sets it to the time of the change, and after a look the sweep sets it to the next moment an
alert can fall due (`NextLook`: the deadline, or the start of the day a working-day threshold is
reached); NULL when none can (closed, or every alert of its current dates sent) until it changes.
So the sweep every few minutes reads only what changed or fell due since the last one, and a backlog
(the first sweep after the migration, or after downtime) is streamed in batches of `BATCH` complaints
by id, one short transaction each, giving the event loop back between batches. Within a batch each
stage is the same indexed query as before, limited to the batch's ids: marks are claimed with INSERT …
ON CONFLICT DO NOTHING RETURNING and only the marks won get outbox rows, in the batch's transaction, so
of two sweepers exactly one alerts (see nocert_core/services/alerts.py).
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import DateTime, Integer, and_, bindparam, cast, column, select, update, values

from nocert_core.adapters import orm
from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain.accounts import Account
from nocert_core.domain.calendar import DueWindow, WorkingDayCalendar
from nocert_core.domain.complaints import HANDLING_STATES, ComplaintStatus, ExtensionState
from nocert_core.services import outbox
from nocert_core.services.alerts import (
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
    _not_marked,
    working_days_ago,
)
from nocert_core.services.uow import UnitOfWorkFactory


async def sweep_complaints(
    uow_factory: UnitOfWorkFactory, clock: Clock, stop: asyncio.Event | None = None
) -> SweepResult:
    settings = uow_factory.settings
    tz = settings.timezone
    now = clock.now()
    today = local_date(now, tz)
    c = orm.complaints
    result = SweepResult()
    async with uow_factory() as uow:  # the steady state: one index probe, nothing else read
        # Ordered by next_alert_at, so the index answers even when the statistics still remember a backlog.
        first_due = select(c.c.id).where(c.c.next_alert_at <= now).order_by(c.c.next_alert_at).limit(1)
        if (await uow.session.execute(first_due)).first() is None:
            return result
    calendar, names = await _calendar_and_unit_names(uow_factory)

    def base(ref: Any, stage: str) -> Any:
        return select(
            c.c.id,
            c.c.number.label("subject"),
            c.c.unit_code,
            c.c.deadline_at,
            c.c.registered_at,
            c.c.extension_days,
            ref.label("ref_at"),
        ).where(_not_marked(stage, c.c.id, ref))

    def payload(row: Any, **extra: Any) -> dict[str, Any]:
        data: dict[str, Any] = {
            "number": row.subject,
            "unit_code": row.unit_code,
            "unit_name": names.get(row.unit_code or "", row.unit_code or ""),
        }
        if row.deadline_at is not None:
            data["deadline"] = local_date(row.deadline_at, tz).isoformat()
        return {**data, **extra}

    # 1. Acceptance pending longer than N working days (routed: the unit; unrouted: the task force).
    pending_days = settings.acceptance_alert_working_days
    registered_before = local_midnight(
        working_days_ago(calendar, today, pending_days) + timedelta(days=1), tz
    )
    query = base(c.c.registered_at, "acceptance").where(
        c.c.status.in_([ComplaintStatus.REGISTERED, ComplaintStatus.TRANSFERRED]),
        c.c.registered_at < registered_before,
    )

    async def acceptance(row: Any, who: Recipients) -> list[tuple[list[Account], str, dict[str, Any]]]:
        if row.unit_code is None:
            return [(await who.supervisors(), ROUTING_PENDING, payload(row, working_days=pending_days))]
        return [
            (
                await who.staff_or_supervisors(row.unit_code),
                ACCEPTANCE_PENDING,
                payload(row, working_days=pending_days),
            )
        ]

    stages: list[tuple[str, Any, Any]] = [("acceptance", query, acceptance)]

    # 2. Deadline within 1 working day (the unit's staff).
    due_by = DueWindow.at(now, calendar, tz).next_end
    query = base(c.c.deadline_at, "due_soon").where(
        c.c.status.in_(HANDLING_STATES), c.c.deadline_at > now, c.c.deadline_at <= due_by
    )

    async def due_soon(row: Any, who: Recipients) -> list[tuple[list[Account], str, dict[str, Any]]]:
        return [(await who.staff_or_supervisors(row.unit_code), DUE_SOON, payload(row))]

    stages.append(("due_soon", query, due_soon))

    # 3. Overdue (the unit's staff and the task force).
    query = base(c.c.deadline_at, "overdue").where(c.c.status.in_(HANDLING_STATES), c.c.deadline_at < now)

    async def overdue(row: Any, who: Recipients) -> list[tuple[list[Account], str, dict[str, Any]]]:
        return [(await who.staff_and_supervisors(row.unit_code), OVERDUE, payload(row))]

    stages.append(("overdue", query, overdue))

    # 4. Overdue by N more working days: escalation to the task force, marked serious.
    escalation_days = settings.escalation_working_days
    deadline_before = local_midnight(
        working_days_ago(calendar, today, escalation_days) + timedelta(days=1), tz
    )
    query = base(c.c.deadline_at, "escalation").where(
        c.c.status.in_(HANDLING_STATES), c.c.deadline_at < deadline_before, c.c.deadline_at < now
    )

    async def escalation(row: Any, who: Recipients) -> list[tuple[list[Account], str, dict[str, Any]]]:
        days_late = calendar.working_days_between(local_date(row.deadline_at, tz), today)
        return [(await who.supervisors(), ESCALATION, payload(row, working_days=days_late, serious=True))]

    stages.append(("escalation", query, escalation))

    # 5. An extension request nobody decided within N working days reminds the task force.
    decide_days = settings.extension_decision_working_days
    requested_before = local_midnight(working_days_ago(calendar, today, decide_days) + timedelta(days=1), tz)
    query = base(c.c.extension_requested_at, "extension").where(
        c.c.status == ComplaintStatus.ACCEPTED,
        c.c.extension_state == ExtensionState.REQUESTED,
        c.c.extension_requested_at < requested_before,
    )

    async def extension(row: Any, who: Recipients) -> list[tuple[list[Account], str, dict[str, Any]]]:
        return [(await who.supervisors(), EXTENSION_UNDECIDED, payload(row, days=row.extension_days))]

    stages.append(("extension", query, extension))
    lookahead = NextLook(calendar, tz, now, pending_days, escalation_days, decide_days)
    await _sweep_due_complaints(uow_factory, stages, now, lookahead, stop, result)
    return result


@dataclass(frozen=True)
class NextLook:
    """When a complaint's next alert can fall due, from its own dates: the same thresholds as the stage
    queries above, solved for the day instead of tested for today. Stages already due now were alerted in
    this batch (or before), so only times after `now` count; None: nothing can fall due until it changes."""

    calendar: WorkingDayCalendar
    tz: str
    now: datetime
    acceptance_days: int
    escalation_days: int
    decision_days: int

    def _after_working_days(self, at: datetime, days: int) -> datetime:
        # "at < midnight after `days` working days ago" first holds at the start of that working day.
        return local_midnight(self.calendar.add_working_days(local_date(at, self.tz), days), self.tz)

    def of(self, row: Any) -> datetime | None:
        times: list[datetime] = []
        if row.status in (ComplaintStatus.REGISTERED, ComplaintStatus.TRANSFERRED):
            times.append(self._after_working_days(row.registered_at, self.acceptance_days))
        if row.status in HANDLING_STATES and row.deadline_at is not None:
            deadline = row.deadline_at
            times.append(deadline + timedelta(microseconds=1))  # overdue: strictly after the deadline
            times.append(self._after_working_days(deadline, self.escalation_days))
            day = local_date(deadline, self.tz) - timedelta(days=1)  # due soon: from the working day before
            for _ in range(60):
                if self.calendar.is_working_day(day):
                    break
                day -= timedelta(days=1)
            times.append(local_midnight(day, self.tz))
        if (
            row.status == ComplaintStatus.ACCEPTED
            and row.extension_state == ExtensionState.REQUESTED
            and row.extension_requested_at is not None
        ):
            times.append(self._after_working_days(row.extension_requested_at, self.decision_days))
        future = [at for at in times if at > self.now]
        return min(future) if future else None


async def _sweep_due_complaints(
    uow_factory: UnitOfWorkFactory,
    stages: list[tuple[str, Any, Any]],
    now: datetime,
    lookahead: NextLook,
    stop: asyncio.Event | None,
    result: SweepResult,
) -> None:
    c = orm.complaints
    due = c.c.next_alert_at <= now
    facts = select(c.c.id, c.c.status, c.c.registered_at, c.c.deadline_at, c.c.extension_state)
    facts = facts.add_columns(c.c.extension_requested_at)
    next_looks = values(
        column("complaint_id", Integer), column("next_look", DateTime(timezone=True)), name="next_looks"
    )
    set_next_look = (  # SQLite (no column names for a VALUES alias): one statement per complaint
        update(c).where(c.c.id == bindparam("complaint_id"), due).values(next_alert_at=bindparam("next_look"))
    )
    async with uow_factory() as uow:
        recipients = await Recipients(uow).preload()
    after = 0
    while stop is None or not stop.is_set():
        async with uow_factory() as uow:
            session = uow.session
            found = (
                await session.execute(facts.where(due, c.c.id > after).order_by(c.c.id).limit(BATCH))
            ).all()
            if not found:
                return
            # The batch: due complaints with ids in (after, last]. A range, not `id IN (…)`, so that the
            # statements stay the same from batch to batch (prepared once on PostgreSQL).
            batch = and_(due, c.c.id > after, c.c.id <= found[-1].id)
            after = found[-1].id
            messages: list[outbox.Outgoing] = []
            for stage, query, build in stages:
                rows = (await session.execute(query.where(batch).order_by(c.c.id))).all()
                won = await _claim_marks(uow, stage, [(row.id, row.ref_at) for row in rows], now)
                for row in rows:
                    if (row.id, row.ref_at) not in won:
                        continue  # another sweeper alerted this one
                    ref_day = local_date(row.ref_at, uow.settings.timezone).isoformat()
                    for accounts, kind, payload in await build(row, recipients):
                        messages += outbox.addressed(
                            accounts, kind, payload, f"alert:{stage}:{row.subject}:{ref_day}"
                        )
                result.add(stage, len(won), 0)
            result.messages += await outbox.enqueue_many(uow, messages)
            # A complaint changed meanwhile has next_alert_at = its change time (> now): left for the next
            # sweep. On PostgreSQL this UPDATE waits for such a change to commit, then skips the row.
            pairs = [(row.id, lookahead.of(row)) for row in found]
            if session.get_bind().dialect.name == "postgresql":  # one UPDATE … FROM (VALUES …) per batch
                looks = next_looks.data(pairs)
                statement = update(c).where(c.c.id == looks.c.complaint_id, due)
                await session.execute(
                    # (cast: a batch whose looks are all NULL gives the VALUES column the type text)
                    statement.values(next_alert_at=cast(looks.c.next_look, DateTime(timezone=True))),
                    execution_options={"synchronize_session": False},
                )
            else:
                await session.execute(
                    set_next_look,
                    [{"complaint_id": complaint_id, "next_look": at} for complaint_id, at in pairs],
                    execution_options={"synchronize_session": False},
                )
            await uow.commit()
        if len(found) < BATCH:
            return
        await asyncio.sleep(0)  # a backlog must not hold up the bot: its updates go in between batches
