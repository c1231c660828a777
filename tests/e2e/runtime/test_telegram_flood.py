"""A flood in one getUpdates batch, over aiogram and python-telegram-bot (issue 10 item 8): the updates of
shapes nocert fully knows skip the library (bot/telegram/flood_gate.py), the others go through it, and the
batch is stored with one INSERT, yet nothing is lost, each user's order holds, and a flooded update delivered
again is recognised as a redelivery."""

from __future__ import annotations

from collections.abc import AsyncIterator
from typing import ClassVar

import pytest
from sqlalchemy import event

from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Incoming
from nocert_core.bootstrap import Application
from nocert_core.services.messaging import outbox
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess
from tests.fakebotapi import FakeBotApi

FLOODER, OTHER = 5000, 5001
FLOOD = 30  # one user's updates in one getUpdates batch


class Recording(Dispatcher):
    """Notes the order in which updates are handled."""

    handled: ClassVar[list[tuple[str, str]]] = []

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        Recording.handled.append((incoming.user_id, incoming.text))
        return await super().process(inbox_id, incoming, lease_seconds)


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    Recording.handled = []
    async with FakeBotApi() as api:
        process = BotProcess(str(request.param), app, api)
        process.dispatcher_class = Recording
        yield process
        await process.stop()


async def test_a_flood_in_one_batch_is_stored_with_one_insert_and_handled_in_order_with_nothing_lost(
    bot: BotProcess, app: Application
) -> None:
    api = bot.api
    half = FLOOD // 2
    flood = [api.push_text(FLOODER, f"/help {n}", language="en") for n in range(half)]
    # amid them a /help of a shape the gate leaves to the library (a field it does not check)
    message = api._user_message(FLOODER, "en", text="/help")
    message["link_preview_options"] = {"is_disabled": True}
    flood.append(api.push_raw({"message": message}))
    flood += [api.push_text(FLOODER, f"/help {n}", language="en") for n in range(half, FLOOD)]
    other = api.push_text(OTHER, "/help", language="en")
    inserts: list[str] = []

    def count(_conn: object, _cursor: object, statement: str, *_rest: object) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO CHAT_INBOX"):
            inserts.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", count)
    try:
        await bot.start()  # the pushed updates come in the first getUpdates batch
        assert bot.runtime is not None
        for update_id in [*flood, other]:
            await bot.runtime.wait_processed(update_id, timeout=60)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", count)

    assert len(inserts) == 1  # the whole batch, one statement
    helps = [f"/help {n}" for n in range(FLOOD)]
    assert [text for user, text in Recording.handled if user == str(FLOODER)] == [
        *helps[:half],
        "/help",
        *helps[half:],
    ]
    assert (str(OTHER), "/help") in Recording.handled
    answers = await api.wait_for_messages(FLOODER, FLOOD + 1, timeout=30)
    assert all("/complain" in answer.text for answer in answers)


async def test_a_flooded_update_delivered_again_is_recognised_and_not_answered_twice(bot: BotProcess) -> None:
    api = bot.api
    flood = [api.push_text(FLOODER, "/help", language="en") for _ in range(FLOOD)]
    await bot.start()
    assert bot.runtime is not None
    for update_id in flood:
        await bot.runtime.wait_processed(update_id, timeout=60)
    await api.wait_for_messages(FLOODER, len(flood), timeout=30)
    taken = flood[FLOOD // 2]  # stored without the library
    api.redeliver(taken)  # now alone in its batch: staged past the library again
    await bot.runtime.wait_processed(taken, times=2, timeout=60)
    extra = api.push_text(FLOODER, "/start", language="en")
    await bot.runtime.wait_processed(extra, timeout=60)
    (menu,) = await api.wait_for_messages(FLOODER, 1)
    assert menu.buttons  # the next answer is /start's: the redelivery was not answered again
