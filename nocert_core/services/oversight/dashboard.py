"""The task force's overview (issue 14), shared by the web console and the chat's /overdue: counts by state,
the deadline board (overdue with working days late, due today, due on the next working day), per-unit rates
for the current month, the weekly trend and the open hotspot episodes. Everything respects the actor:
staff see their own unit's complaints only (`services.complaints.list_complaints`)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import func, select

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_oversight import hotspots as hotspot_table
from nocert_core.clock import Clock, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import DueBucket, DueWindow
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, OPEN_STATES, ComplaintStatus
from nocert_core.errors import PermissionDenied
from nocert_core.services.oversight.reports import Period, Report, build_report
from nocert_core.services.platform.uow import UnitOfWorkFactory

OVERDUE_SHOWN = 50


@dataclass(frozen=True)
class DueItem:
    number: str
    unit_code: str | None
    unit_name: str
    deadline: date
    working_days_late: int  # > 0 overdue; 0 due today; < 0 working days left
    status: ComplaintStatus


@dataclass
class DueBoard:
    today: date
    next_working_day: date
    overdue: list[DueItem] = field(default_factory=list)
    due_today: list[DueItem] = field(default_factory=list)
    due_next: list[DueItem] = field(default_factory=list)
    overdue_total: int = 0  # all overdue; `overdue` holds the most late `limit` of them
    due_soon_total: int = 0

    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.due_next)


def _scope(query: Any, actor: Actor) -> Any:
    """The same visibility as `services.complaints.list_complaints`: staff their unit, the task force all."""
    if actor.role == Role.STAFF:
        return query.where(orm.complaints.c.unit_code == actor.unit_code)
    if not actor.is_supervisor:
        raise PermissionDenied()
    return query


async def _deadline_range(
    session: Any, actor: Actor, start: datetime | None, end: datetime, limit: int | None
) -> tuple[list[Any], int]:
    """Handling complaints with `start <= deadline < end`, earliest first (at most `limit`), and how many.
    One index-ordered query per state (an IN list would sort the whole range), merged here."""
    c = orm.complaints
    rows: list[Any] = []
    total = 0
    for status in sorted(HANDLING_STATES):
        where = [c.c.status == status, c.c.deadline_at < end]
        if start is not None:
            where.append(c.c.deadline_at >= start)
        query = _scope(select(c.c.number, c.c.unit_code, c.c.status, c.c.deadline_at).where(*where), actor)
        query = query.order_by(c.c.deadline_at, c.c.id)
        rows += (await session.execute(query.limit(limit) if limit else query)).all()
        total += int(
            (
                await session.execute(_scope(select(func.count()).select_from(c).where(*where), actor))
            ).scalar_one()
        )
    rows.sort(key=lambda row: (row.deadline_at, row.number))
    return (rows[:limit] if limit else rows), total


async def due_board(
    uow_factory: UnitOfWorkFactory, clock: Clock, actor: Actor, limit: int | None = None
) -> DueBoard:
    """Complaints in handling that are overdue (most late first) or due today / on the next working day —
    at most `limit` of each, with the totals. Reads only the deadline index ranges it shows."""
    tz = uow_factory.settings.timezone
    now = clock.now()
    today = local_date(now, tz)
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        names = {unit.code: unit.name for unit in await uow.units.list()}
        window = DueWindow.at(now, calendar, tz)
        board = DueBoard(today, window.next_working_day)
        overdue, board.overdue_total = await _deadline_range(uow.session, actor, None, now, limit)
        # `end` is exclusive: a microsecond past the end of the next working day.
        horizon = window.next_end + timedelta(microseconds=1)
        soon, board.due_soon_total = await _deadline_range(uow.session, actor, now, horizon, limit)
    for row in [*overdue, *soon]:
        day = local_date(row.deadline_at, tz)
        late_days = calendar.working_days_between(day, today)
        item = DueItem(
            row.number,
            row.unit_code,
            names.get(row.unit_code or "", row.unit_code or "—"),
            day,
            max(late_days, 1) if row.deadline_at < now else late_days,
            ComplaintStatus(row.status),
        )
        bucket = window.bucket(row.deadline_at)
        if bucket == DueBucket.OVERDUE:
            board.overdue.append(item)
        elif bucket == DueBucket.TODAY:
            board.due_today.append(item)
        elif bucket == DueBucket.NEXT_WORKING_DAY:
            board.due_next.append(item)
    return board


async def counts_by_state(
    uow_factory: UnitOfWorkFactory, actor: Actor, states: Iterable[ComplaintStatus] = tuple(ComplaintStatus)
) -> dict[str, int]:
    """How many complaints are in each of `states` now (staff: their unit's)."""
    wanted = list(states)
    c = orm.complaints
    query = _scope(select(c.c.status, func.count()).where(c.c.status.in_(wanted)).group_by(c.c.status), actor)
    async with uow_factory() as uow:
        rows = (await uow.session.execute(query)).all()
    found = {str(status): int(count) for status, count in rows}
    return {state.value: found.get(state.value, 0) for state in wanted}


@dataclass(frozen=True)
class OpenHotspot:
    kind: str
    subject: str
    count: int
    opened_at: object
    numbers: list[str]


async def open_hotspots(uow_factory: UnitOfWorkFactory, actor: Actor) -> list[OpenHotspot]:
    """The hotspot episodes the sweep has open (it detects them; this only reads)."""
    if not actor.is_supervisor:
        raise PermissionDenied()
    h = hotspot_table
    async with uow_factory() as uow:
        names = {unit.code: unit.name for unit in await uow.units.list()}
        rows = (
            await uow.session.execute(select(h).where(h.c.closed_at.is_(None)).order_by(h.c.opened_at.desc()))
        ).all()
    return [
        OpenHotspot(
            row.kind,
            names.get(row.subject, row.subject) if row.kind == "unit" else row.subject,
            len(row.complaint_numbers or []),
            row.opened_at,
            list(row.complaint_numbers or [])[:10],
        )
        for row in rows
    ]


@dataclass
class Overview:
    counts: dict[str, int]
    board: DueBoard
    report: Report
    hotspots: list[OpenHotspot]


async def unit_rates(uow_factory: UnitOfWorkFactory, clock: Clock) -> Report:
    """Per-unit rates over the last 30 days and the weekly trend (the periodic report's own rules)."""
    today = local_date(clock.now(), uow_factory.settings.timezone)
    period = Period(today - timedelta(days=29), today, "custom")
    return await build_report(uow_factory, clock, period, handling_days=False)


async def overview(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    actor: Actor,
    rates: Report | None = None,
    closed_counts: dict[str, int] | None = None,
    limit: int | None = OVERDUE_SHOWN,
) -> Overview:
    """`rates` and `closed_counts`: recent results of `unit_rates` and of `counts_by_state(CLOSED_STATES)`
    to reuse. The web console keeps them for a minute — they read the month's rows and the bulk of the
    table — while the open states, the deadline board and the hotspots are read live."""
    if not actor.is_supervisor:
        raise PermissionDenied()
    if closed_counts is None:
        counts = await counts_by_state(uow_factory, actor)
    else:
        counts = {**closed_counts, **await counts_by_state(uow_factory, actor, sorted(OPEN_STATES))}
    return Overview(
        {state.value: counts.get(state.value, 0) for state in ComplaintStatus},
        await due_board(uow_factory, clock, actor, limit),
        rates or await unit_rates(uow_factory, clock),
        await open_hotspots(uow_factory, actor),
    )
