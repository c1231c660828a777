"""Issue 9 items 2–4 over real HTTP, with aiogram and python-telegram-bot, on SQLite and PostgreSQL:
updates acknowledged to Telegram survive a kill (the inbox), a saved step's reply survives a failed send
(the reply outbox), and a two-part message retries only the part that failed."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.exc import OperationalError

from bot.jobs.outbox_worker import OutboxWorker
from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Incoming
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.notifications import REPORT_FILE, ReportFile
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.messaging import outbox, sent_marks
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi, FaultPlan
from tests.integration.chat_driver import add_units


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


class Stalled(Dispatcher):
    """A bot that takes updates but is killed before it gets to handle any of them."""

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        await asyncio.Event().wait()
        raise AssertionError("unreachable")


class LockedOnce(Dispatcher):
    """The storage fails once, as SQLite does under load ("database is locked")."""

    failures = 1

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        if LockedOnce.failures:
            LockedOnce.failures -= 1
            raise OperationalError("UPDATE chat_inbox", {}, Exception("database is locked"))
        return await super().process(inbox_id, incoming, lease_seconds)


async def test_an_update_whose_handling_hit_a_storage_failure_is_answered_without_a_restart(
    bot: BotProcess,
) -> None:
    await bot.stop()
    LockedOnce.failures = 1
    bot.dispatcher_class = LockedOnce
    await bot.start()
    bot.api.push_text(1001, "/help", language="en")
    (answer,) = await bot.api.wait_for_messages(1001, 1)
    assert "/complain" in answer.text and LockedOnce.failures == 0


async def test_a_sent_reply_whose_record_hit_a_storage_failure_is_recorded_and_not_sent_again(
    bot: BotProcess, app: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_mark_sent = sent_marks.mark_many_sent
    failures = [1]

    async def locked_once(*args: object, **kwargs: object) -> int:
        if failures:
            failures.pop()
            raise OperationalError("UPDATE outbox", {}, Exception("database is locked"))
        return await real_mark_sent(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(sent_marks, "mark_many_sent", locked_once)
    (answer,) = await TelegramChat(bot, 1001).send("/help")  # returns once handled and recorded
    assert "/complain" in answer.text and not failures
    clock.advance(timedelta(minutes=5))  # past the reply's lease: an unrecorded send would go out again
    assert await bot.deliver_notifications() == 0
    assert len(bot.api.messages_to(1001)) == 1


async def test_a_fetched_batch_whose_storing_failed_once_is_stored_and_answered_without_an_error(
    bot: BotProcess, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    assert bot.runtime is not None
    runtime = bot.runtime
    real_ingest = runtime._ingest
    failures = [1]

    async def locked_once(batch: list[tuple[Incoming, str | None]]) -> None:
        if failures:
            failures.pop()
            raise OperationalError("INSERT INTO chat_inbox", {}, Exception("database is locked"))
        await real_ingest(batch)

    monkeypatch.setattr(runtime, "_ingest", locked_once)
    bot.api.push_text(1001, "/help", language="en")
    (answer,) = await bot.api.wait_for_messages(1001, 1)
    assert "/complain" in answer.text and not failures
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]


async def test_updates_acknowledged_before_a_kill_are_answered_after_the_restart_in_order(
    bot: BotProcess,
) -> None:
    await bot.stop()
    bot.dispatcher_class = Stalled
    await bot.start()
    api = bot.api
    for user in (1001, 1002, 1003):
        api.push_text(user, "/start", language="en")
        api.push_text(user, "/help", language="en")
    await api.wait_until_idle()  # all six acknowledged: Telegram will never send them again
    await bot.kill()
    assert api.sent == []
    bot.dispatcher_class = Dispatcher
    await bot.start()
    for user in (1001, 1002, 1003):
        menu, help_text = await api.wait_for_messages(user, 2)
        assert menu.buttons and "/complain" in help_text.text  # the user's order is kept


async def test_a_fetched_batch_is_stored_in_one_transaction_so_a_flood_does_not_queue_others_behind_it(
    bot: BotProcess, app: Application
) -> None:
    """The inbox is written per getUpdates batch (issue 10, flooding): 150 updates of one user and one of
    another take two transactions (batches of at most 100), not 151 commits in a row."""
    await bot.stop()
    bot.dispatcher_class = Stalled  # nothing is handled, so every commit is an inbox write
    api = bot.api
    for _ in range(150):
        api.push_text(5000, "/help", language="en")
    api.push_text(5001, "/start", language="en")
    commits: list[object] = []
    count = commits.append  # one bound method, so that it can be removed again
    event.listen(app.engine.sync_engine, "commit", count)
    try:
        await bot.start()
        await api.wait_until_idle()  # all acknowledged, so all stored first
        async with app.uow() as uow:
            stored = await uow.chat.unprocessed("telegram:")
    finally:
        event.remove(app.engine.sync_engine, "commit", count)
        await bot.kill()
        bot.dispatcher_class = Dispatcher
    assert len(stored) == 151
    assert len(commits) <= 2
    await bot.start()
    (menu,) = await api.wait_for_messages(5001, 1)
    assert menu.buttons
    answers = await api.wait_for_messages(5000, 150, timeout=60)
    assert all("/complain" in answer.text for answer in answers)


async def test_a_reply_whose_send_failed_is_delivered_later_so_the_next_answer_fits_its_question(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    citizen = TelegramChat(bot, 1001)
    await citizen.send("/start")
    bot.api.faults = FaultPlan(rate_drop=1.0)  # every send fails, retries included
    assert await citizen.press("Complain") == []
    bot.api.faults = FaultPlan()
    clock.advance(timedelta(seconds=5))
    assert await bot.deliver_notifications() >= 1
    question = citizen.inbox()
    assert any("Step 1 of 7" in message.text for message in question)
    await citizen.send("王芳")
    assert "Step 2 of 7" in citizen.text
    async with app.uow() as uow:
        state = await uow.chat.load_state("telegram:1001")
    assert state is not None and state[1]["draft"]["name"] == "王芳"


async def test_a_two_part_message_retries_only_the_part_that_failed(
    bot: BotProcess, app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    workbook = tmp_path / "report.xlsx"
    workbook.write_bytes(b"PK-not-really-a-workbook")
    await ensure_account(app.uow(), clock, ref="telegram:1009", channel="telegram", chat_id="1009")
    async with app.uow() as uow:  # the weekly workbook: its caption as text, then the file
        await outbox.enqueue(
            uow,
            recipient_ref="telegram:1009",
            kind=REPORT_FILE,
            payload=ReportFile(str(workbook), "document", "Weekly report"),
            dedup_key="r1",
        )
        await uow.commit()
    assert bot.runtime is not None
    worker = OutboxWorker(app, {"telegram": bot.runtime}, rate_per_second=0, chat_interval=0)
    bot.api.faults = FaultPlan(rate_500=1.0, methods=frozenset({"sendDocument"}))
    assert await worker.run_once() == 1
    bot.api.faults = FaultPlan()
    clock.advance(timedelta(minutes=5))
    await worker.run_until_idle()
    sent = [message.method for message in bot.api.messages_to(1009)]
    assert sent == ["sendMessage", "sendDocument"]  # the text once, the file once
