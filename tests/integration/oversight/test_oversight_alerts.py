"""Every deadline alert is written once per complaint and stage: repeated sweeps, a restart, a missed
sweep, and two scheduler instances sweeping concurrently on the same database."""

from __future__ import annotations

import asyncio
from collections import Counter
from datetime import UTC, datetime

from sqlalchemy import select

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application, open_application
from nocert_core.clock import FixedClock
from nocert_core.services.complaints import handling as svc
from nocert_core.services.oversight.sweeps import run_sweeps
from nocert_core.settings import Settings
from tests.integration.oversight_helpers import SUPERVISOR, register_at, seed, staff_actor

WED_25 = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # 09:30 Shanghai


def shanghai(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, 0, tzinfo=UTC)


async def alerts(app: Application) -> list[tuple[str, str, str]]:
    """(kind, recipient, complaint number) of every alert in the outbox, oldest first."""
    table = orm.outbox
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(table.c.kind, table.c.recipient_ref, table.c.payload)
            .where(table.c.kind.like("alert.%"))
            .order_by(table.c.id)
        )
        return [(kind, ref, payload.get("number", "")) for kind, ref, payload in rows]


async def sweep_at(app: Application, clock: FixedClock, at: datetime) -> list[tuple[str, str, str]]:
    """Sweep at `at`; returns only the rows this sweep wrote."""
    before = len(await alerts(app))
    clock.set(at)
    await run_sweeps(app.uow, clock, hotspots=False)
    return (await alerts(app))[before:]


async def test_acceptance_pending_alerts_the_unit_after_a_working_day_once(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ")
    assert await sweep_at(app, clock, shanghai(11, 25, 17)) == []
    written = await sweep_at(app, clock, shanghai(11, 26))
    assert written == [("alert.acceptance_pending", "telegram:2001", complaint.number)]
    assert await sweep_at(app, clock, shanghai(11, 26, 11)) == []
    assert await sweep_at(app, clock, shanghai(11, 27)) == []


async def test_a_complaint_nobody_routed_reminds_the_task_force(app: Application, clock: FixedClock) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ")
    await svc.return_misrouted(app.uow(), clock, staff_actor("KW-SPJ"), complaint.number, "不属于本单位职责")
    written = await sweep_at(app, clock, shanghai(11, 26))
    assert written == [("alert.routing_pending", "telegram:9001", complaint.number)]


async def test_each_deadline_stage_alerts_its_recipients_exactly_once(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)  # deadline Wed 2026-12-02
    number = complaint.number
    assert await sweep_at(app, clock, shanghai(11, 30)) == []  # Monday: two working days left
    assert await sweep_at(app, clock, shanghai(12, 1)) == [("alert.due_soon", "telegram:2001", number)]
    assert await sweep_at(app, clock, shanghai(12, 2, 23)) == []  # due today, still in time
    overdue = await sweep_at(app, clock, shanghai(12, 3))
    assert sorted(overdue) == [
        ("alert.overdue", "telegram:2001", number),
        ("alert.overdue", "telegram:9001", number),
    ]
    assert await sweep_at(app, clock, shanghai(12, 8)) == []  # 4 working days late
    assert await sweep_at(app, clock, shanghai(12, 9)) == [("alert.escalation", "telegram:9001", number)]
    for day in (9, 10, 11, 14):
        assert await sweep_at(app, clock, shanghai(12, day, 16)) == []
    async with app.uow() as uow:
        query = select(orm.outbox.c.payload).where(orm.outbox.c.kind == "alert.escalation")
        payloads = (await uow.session.execute(query)).scalars().all()
    escalation = [payload for payload in payloads if payload.get("serious")]
    assert escalation == [{**escalation[0], "working_days": 5, "serious": True}]


async def test_an_undecided_extension_request_reminds_the_supervisors_once(
    app: Application, clock: FixedClock
) -> None:
    await seed(app, supervisors=2)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)
    await svc.request_extension(app.uow(), clock, staff_actor("KW-SPJ"), complaint.number, 5, "需要外调材料")
    assert await sweep_at(app, clock, shanghai(11, 25, 18)) == []
    written = await sweep_at(app, clock, shanghai(11, 26))
    assert sorted(written) == [
        ("alert.extension_undecided", "telegram:9001", complaint.number),
        ("alert.extension_undecided", "telegram:9002", complaint.number),
    ]
    assert await sweep_at(app, clock, shanghai(11, 27)) == []


async def test_an_approved_extension_gets_its_own_due_soon_alert_for_the_new_deadline(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)
    assert len(await sweep_at(app, clock, shanghai(12, 1))) == 1  # due soon for 12-02
    await svc.request_extension(app.uow(), clock, staff_actor("KW-SPJ"), complaint.number, 2, "需要外调材料")
    await svc.decide_extension(app.uow(), clock, SUPERVISOR, complaint.number, True)  # new deadline 12-04
    assert await sweep_at(app, clock, shanghai(12, 2)) == []
    assert await sweep_at(app, clock, shanghai(12, 3)) == [
        ("alert.due_soon", "telegram:2001", complaint.number)
    ]


async def test_a_missed_sweep_catches_up_with_one_alert_per_stage_reached(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    late = await register_at(app, clock, WED_25, "KW-SPJ", accept=True)
    waiting = await register_at(app, clock, WED_25, "WC-BDC")
    # The bot was down from 25 November to 10 December: the first sweep after start-up.
    written = await sweep_at(app, clock, shanghai(12, 10))
    assert Counter(kind for kind, _, _ in written) == {
        "alert.acceptance_pending": 1,
        "alert.overdue": 2,
        "alert.escalation": 1,
    }
    assert ("alert.acceptance_pending", "telegram:2002", waiting.number) in written
    assert all(number in (late.number, waiting.number) for _, _, number in written)
    assert await sweep_at(app, clock, shanghai(12, 10, 11)) == []


async def test_a_restart_does_not_repeat_alerts(
    app: Application, clock: FixedClock, settings: Settings
) -> None:
    await seed(app)
    await register_at(app, clock, WED_25, "KW-SPJ", accept=True)
    first = await sweep_at(app, clock, shanghai(12, 3))
    assert len(first) == 2
    restarted = await open_application(settings, clock, migrate=False)
    try:
        await run_sweeps(restarted.uow, clock, hotspots=False)
    finally:
        await restarted.close()
    assert len(await alerts(app)) == 2


async def test_two_scheduler_instances_sweeping_at_once_send_each_alert_once(
    app: Application, clock: FixedClock, settings: Settings
) -> None:
    await seed(app, supervisors=2)
    for index in range(12):
        unit = ["KW-SPJ", "WC-BDC", "GX-GAJ"][index % 3]
        await register_at(app, clock, WED_25, unit, accept=index % 2 == 0)
    clock.set(shanghai(12, 10))
    second = await open_application(settings, clock, migrate=False)
    try:
        for _ in range(3):
            await asyncio.gather(
                run_sweeps(app.uow, clock, hotspots=False),
                run_sweeps(second.uow, clock, hotspots=False),
                run_sweeps(second.uow, clock, hotspots=False),
            )
    finally:
        await second.close()
    written = await alerts(app)
    assert len(written) == len(set(written))
    # 6 accepted: overdue to staff + 2 supervisors, escalation to 2 supervisors; 6 waiting: their unit's staff
    assert Counter(kind for kind, _, _ in written) == {
        "alert.overdue": 6 * 3,
        "alert.escalation": 6 * 2,
        "alert.acceptance_pending": 6,
    }
