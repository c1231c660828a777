"""A PostgreSQL server that drops the bot's connections in the middle of a dialog (a restart, a failover:
`pg_terminate_backend` here) costs no update. The pool does not ping a connection before every checkout
(nocert_core/adapters/sql/db.py), so the first statement on a dead connection fails; that invalidates the
pool, and the runtime handles the update again on a fresh connection (bot/telegram/base.py)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from nocert_core.adapters.sql import db
from nocert_core.bootstrap import Application
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import add_units
from tests.integration.storage.test_db_connections import kill_connections


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    if db.is_sqlite(app.settings.database_url):
        pytest.skip("dropped server connections concern PostgreSQL")
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process
    await app.engine.dispose()


async def test_a_dialog_whose_connections_the_server_drops_between_steps_goes_on_with_each_step_answered(
    bot: BotProcess, app: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(db, "IDLE_PING_SECONDS", 3600.0)  # a busy bot: no connection is pinged before use
    citizen = TelegramChat(bot, 1001)
    await citizen.send("/complain")
    steps = ["王芳", "13805361234", "奎文区行政审批服务局"]
    answers = []
    for step in steps:
        assert await kill_connections(app) >= 1
        answers.append(await citizen.send(step))
    # Each step answered once, with the next step's question: the dialog went on from its saved state.
    prompts = [[m.text.split(" —")[0] for m in answer if m.text.startswith("Step ")] for answer in answers]
    assert prompts == [["Step 2 of 7"], ["Step 3 of 7"], ["Step 4 of 7"]]
    assert "What do you want?" in citizen.text, citizen.text
    # The dead connections were met, not avoided: the retries are what carried the dialog.
    retried = [record for record in caplog.records if "again in" in record.getMessage()]
    assert retried
    async with app.engine.connect() as connection:
        unprocessed = (
            await connection.execute(text("SELECT count(*) FROM chat_inbox WHERE processed_at IS NULL"))
        ).scalar_one()
        handled = (await connection.execute(text("SELECT count(*) FROM chat_inbox"))).scalar_one()
    assert (unprocessed, handled) == (0, 1 + len(steps))
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
