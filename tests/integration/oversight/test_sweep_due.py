"""The complaints' deadline sweep reads only complaints due for a look (`complaint_looks`): after a look it
waits for the next moment an alert can fall due (due soon, the deadline, the escalation), forgets closed
and fully alerted complaints, and any change to a complaint makes it due again at once."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import event, select

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.complaints import handling as svc
from nocert_core.services.oversight.sweeps import run_sweeps
from tests.integration.oversight_helpers import register_at, seed, staff_actor

WED_25 = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # 09:30 Shanghai


def shanghai(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, 0, tzinfo=UTC)


async def next_look(app: Application, number: str) -> datetime | None:
    async with app.uow() as uow:
        c, looks = orm.complaints, orm.complaint_looks
        query = select(looks.c.next_look_at).join_from(looks, c, c.c.id == looks.c.complaint_id)
        return (await uow.session.execute(query.where(c.c.number == number))).scalar_one()


async def sweep(app: Application, clock: FixedClock, at: datetime) -> list[str]:
    """Sweep at `at`; returns the SQL statements that read complaints or their looks."""
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if statement.lstrip().upper().startswith("SELECT") and "complaint" in statement:
            seen.append(statement)

    clock.set(at)
    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        await run_sweeps(app.uow, clock, hotspots=False)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)
    return seen


async def test_after_a_look_a_complaint_waits_for_the_next_moment_an_alert_can_fall_due(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)  # deadline Wed 2026-12-02
    deadline = complaint.deadline_at
    assert deadline is not None
    await sweep(app, clock, shanghai(11, 30))
    tuesday_midnight = datetime(2026, 11, 30, 16, 0, tzinfo=UTC)  # 2026-12-01 00:00 in Shanghai
    assert await next_look(app, complaint.number) == tuesday_midnight
    await sweep(app, clock, shanghai(12, 2, 9))  # due today: the next look is just after the deadline
    assert await next_look(app, complaint.number) == deadline + timedelta(microseconds=1)
    await sweep(app, clock, shanghai(12, 3, 9))  # overdue alerted: next, the escalation 5 working days on
    assert await next_look(app, complaint.number) == datetime(2026, 12, 8, 16, 0, tzinfo=UTC)
    await sweep(app, clock, shanghai(12, 9, 9))  # escalated: nothing more can fall due
    assert await next_look(app, complaint.number) is None


async def test_a_steady_state_sweep_reads_no_complaint_rows_but_a_change_is_seen_at_once(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ")
    await sweep(app, clock, shanghai(11, 26))  # acceptance pending: alerted
    statements = await sweep(app, clock, shanghai(11, 26, 11))
    assert len(statements) == 1  # only the probe for due looks, no complaint row
    assert "complaint_looks" in statements[0] and "complaints" not in statements[0]
    await svc.accept_complaint(app.uow(), clock, staff_actor("KW-SPJ"), complaint.number)
    assert await next_look(app, complaint.number) == clock.now()


async def test_a_closed_complaint_is_not_looked_at_again(app: Application, clock: FixedClock) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)
    clock.set(shanghai(11, 26))
    await svc.resolve_complaint(app.uow(), clock, staff_actor("KW-SPJ"), complaint.number, "已办结")
    await sweep(app, clock, shanghai(11, 26, 11))
    assert await next_look(app, complaint.number) is None
