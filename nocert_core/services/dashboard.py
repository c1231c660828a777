"""The task force's overview (issue 14), shared by the web console and the chat's /overdue: counts by state,
the deadline board (overdue with working days late, due today, due on the next working day), per-unit rates
for the current month, the weekly trend and the open hotspot episodes. Everything respects the actor:
staff see their own unit's complaints only (`services.complaints.list_complaints`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from sqlalchemy import func, select

from nocert_core.adapters import orm
from nocert_core.adapters.tables_oversight import hotspots as hotspot_table
from nocert_core.clock import Clock, local_date
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaints import Complaint, ComplaintStatus
from nocert_core.errors import PermissionDenied
from nocert_core.services.complaints import list_complaints
from nocert_core.services.reports import Period, Report, build_report
from nocert_core.services.uow import UnitOfWorkFactory

HANDLING = [ComplaintStatus.ACCEPTED, ComplaintStatus.EXTENDED]


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

    def is_empty(self) -> bool:
        return not (self.overdue or self.due_today or self.due_next)


async def due_board(uow_factory: UnitOfWorkFactory, clock: Clock, actor: Actor) -> DueBoard:
    """Complaints in handling that are overdue or due today / on the next working day, most late first."""
    tz = uow_factory.settings.timezone
    now = clock.now()
    today = local_date(now, tz)
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        names = {unit.code: unit.name for unit in await uow.units.list()}
    board = DueBoard(today, calendar.add_working_days(today, 1))
    complaints: list[Complaint] = list(await list_complaints(uow_factory(), actor, statuses=HANDLING))
    for complaint in complaints:
        if complaint.deadline_at is None:
            continue
        day = local_date(complaint.deadline_at, tz)
        late = calendar.working_days_between(day, today)
        item = DueItem(
            complaint.number,
            complaint.unit_code,
            names.get(complaint.unit_code or "", complaint.unit_code or "—"),
            day,
            max(late, 1) if complaint.deadline_at < now else late,
            complaint.status,
        )
        if complaint.deadline_at < now:
            board.overdue.append(item)
        elif day == today:
            board.due_today.append(item)
        elif day == board.next_working_day:
            board.due_next.append(item)
    board.overdue.sort(key=lambda i: (-i.working_days_late, i.deadline, i.number))
    board.due_today.sort(key=lambda i: i.number)
    board.due_next.sort(key=lambda i: i.number)
    return board


async def counts_by_state(uow_factory: UnitOfWorkFactory, actor: Actor) -> dict[str, int]:
    """How many complaints are in each state now (staff: their unit's)."""
    c = orm.complaints
    query = select(c.c.status, func.count()).group_by(c.c.status)
    if actor.role == Role.STAFF:
        query = query.where(c.c.unit_code == actor.unit_code)
    elif not actor.is_supervisor:
        raise PermissionDenied()
    async with uow_factory() as uow:
        rows = (await uow.session.execute(query)).all()
    found = {str(status): int(count) for status, count in rows}
    return {state.value: found.get(state.value, 0) for state in ComplaintStatus}


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


async def overview(uow_factory: UnitOfWorkFactory, clock: Clock, actor: Actor) -> Overview:
    if not actor.is_supervisor:
        raise PermissionDenied()
    today = local_date(clock.now(), uow_factory.settings.timezone)
    return Overview(
        await counts_by_state(uow_factory, actor),
        await due_board(uow_factory, clock, actor),
        await build_report(uow_factory, clock, Period(today - timedelta(days=29), today, "custom")),
        await open_hotspots(uow_factory, actor),
    )
