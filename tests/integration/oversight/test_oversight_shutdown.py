"""Stopping the background jobs (`nocert run` shutting down) while a delivery is in flight: the step in
hand finishes, nothing is lost or sent twice, and nothing is logged as an error."""

from __future__ import annotations

import asyncio
import logging
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from bot.jobs.outbox_worker import OutboxWorker
from bot.jobs.scheduler import start_background_jobs
from handlers.types import Reply
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.notifications import OVERDUE, ComplaintAlert
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight.sweeps import run_sweeps
from tests.integration.oversight_helpers import register_at, seed

RECIPIENTS = ["telegram:2001", "telegram:2002", "telegram:2003", "telegram:9001"]


class HeldSender:
    """Counts a message as delivered once it is handed over (Telegram has it, whatever happens to us
    next) and holds every send until released, so the bot can be stopped mid-delivery."""

    def __init__(self, hold: bool = True) -> None:
        self.delivered: list[tuple[str, str]] = []
        self.in_flight = asyncio.Event()
        self.release = asyncio.Event()
        if not hold:
            self.release.set()

    async def send(self, chat_id: str, reply: Reply) -> None:
        self.delivered.append((chat_id, reply.text))
        self.in_flight.set()
        await self.release.wait()


async def enqueue_rows(app: Application, per_recipient: int) -> int:
    async with app.uow() as uow:
        messages = [
            outbox.Outgoing.of(
                ref,
                OVERDUE,
                ComplaintAlert(f"TS-2026-{n:06d}", deadline="2026-11-20", unit_name="测试"),
                f"test:{ref}:{n}",
            )
            for n in range(per_recipient)
            for ref in RECIPIENTS
        ]
        written = await outbox.enqueue_many(uow, messages)
        await uow.commit()
    return written


async def rows(app: Application) -> list[tuple[OutboxStatus, int, datetime]]:
    table = orm.outbox
    async with app.uow() as uow:
        result = await uow.session.execute(
            select(table.c.status, table.c.attempts, table.c.available_at).order_by(table.c.id)
        )
        return [(OutboxStatus(status), attempts, available) for status, attempts, available in result]


async def until(condition: asyncio.Event) -> None:
    await asyncio.wait_for(condition.wait(), timeout=10)


async def test_stopping_during_a_delivery_finishes_it_and_gives_back_the_rest(
    app: Application, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await seed(app)
    total = await enqueue_rows(app, per_recipient=3)
    sender = HeldSender()
    jobs = start_background_jobs(app, {"telegram": sender})
    await until(sender.in_flight)  # a message is being sent right now
    stopping = asyncio.create_task(jobs.stop())
    await until(jobs.stop_event)
    sender.release.set()
    await stopping

    assert all(task.done() and not task.cancelled() for task in jobs.tasks)
    after_stop = await rows(app)
    sent = [row for row in after_stop if row[0] == OutboxStatus.SENT]
    assert len(sent) == len(sender.delivered) >= 1  # what was handed over is recorded as sent
    for status, attempts, available_at in after_stop:
        assert status in (OutboxStatus.SENT, OutboxStatus.PENDING)
        if status == OutboxStatus.PENDING:  # given back: deliverable at once by the next process
            assert attempts == 0 and available_at <= clock.now()

    restarted = HeldSender(hold=False)
    await OutboxWorker(app, {"telegram": restarted}, rate_per_second=0, chat_interval=0).run_until_idle()
    everything = sender.delivered + restarted.delivered
    assert len(everything) == len(set(everything)) == len(after_stop) >= total  # each row exactly once
    assert all(status == OutboxStatus.SENT for status, _, _ in await rows(app))
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert "cancelling" not in caplog.text


async def test_a_send_that_never_returns_is_cancelled_after_the_grace_period(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    await seed(app)
    await enqueue_rows(app, per_recipient=1)
    sender = HeldSender()  # never released
    jobs = start_background_jobs(app, {"telegram": sender})
    await until(sender.in_flight)
    await jobs.stop(grace=0.2)
    assert all(task.done() for task in jobs.tasks)
    assert "still busy" in caplog.text and "nocert-outbox" in caplog.text
    statuses = {status for status, _, _ in await rows(app)}
    assert OutboxStatus.SENT not in statuses  # unconfirmed: it stays pending, redelivered after the lease


async def test_a_sweep_told_to_stop_writes_nothing_and_the_next_sweep_catches_up(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    await register_at(app, clock, datetime(2026, 11, 16, 2, tzinfo=UTC), "KW-SPJ", accept=True)
    stop = asyncio.Event()
    stop.set()
    assert (await run_sweeps(app.uow, clock, stop=stop)).messages == 0
    caught_up = await run_sweeps(app.uow, clock)
    assert caught_up.marked.get("overdue") == 1 and caught_up.messages >= 2  # staff and task force


async def test_stopping_while_the_start_up_work_reads_the_database_lets_the_read_finish(
    app: Application, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    from nocert_core.services.platform import warm_up

    reading = asyncio.Event()
    finished: list[bool] = []

    async def slow_index_read(uow_cm: object) -> None:
        async with app.uow() as uow:
            reading.set()
            await asyncio.sleep(0.3)  # stop() arrives while the read is in hand
            await uow.session.execute(select(orm.complaints.c.id).limit(1))
        finished.append(True)

    monkeypatch.setattr(warm_up, "_warm_text_tools", lambda: None)
    monkeypatch.setattr(warm_up.guidance, "load_index", slow_index_read)
    caplog.set_level(logging.INFO)
    jobs = start_background_jobs(app, {"telegram": HeldSender(hold=False)})
    await reading.wait()
    await jobs.stop()

    assert finished == [True]  # not cut mid-statement
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
