"""The outbox worker rides out a storage hiccup (SQLite "database is locked" under load, a dropped
connection): the round is logged as a warning without a traceback and the rows go out in the next round.
(A 1,000-conversation kill soak logged three such rounds as ERROR tracebacks; nothing was lost.)"""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.jobs.outbox_worker import OutboxWorker
from nocert_core.bootstrap import Application
from nocert_core.services.messaging import outbox_lease
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight.test_oversight_outbox import opened_sender
from tests.integration.oversight_helpers import one_staff_alert, run_until_staff_chat_2001_has_a_message


async def test_a_round_that_hit_a_storage_failure_is_a_warning_and_the_next_round_delivers(
    app: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    await one_staff_alert(app, "after-a-hiccup")
    real = outbox_lease.due_batch
    failures = [OperationalError("SELECT", {}, Exception("database is locked"))]

    async def locked_once(*args: Any, **kwargs: Any) -> Any:
        if failures:
            raise failures.pop()
        return await real(*args, **kwargs)

    monkeypatch.setattr(outbox_lease, "due_batch", locked_once)
    caplog.set_level(logging.WARNING, logger="bot.jobs.outbox_worker")
    async with FakeBotApi() as api:
        sender = await opened_sender(app, api)
        worker = OutboxWorker(app, {"telegram": sender}, rate_per_second=0, chat_interval=0)
        worker.poll_interval = 0.05
        await run_until_staff_chat_2001_has_a_message(worker, sender, api)
        assert len(api.messages_to(2001)) == 1
    failed = [record for record in caplog.records if "delivery round failed" in record.getMessage()]
    assert [record.levelno for record in failed] == [logging.WARNING]
    assert failed[0].exc_info is None
