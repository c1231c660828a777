"""The access matrix (tests/access_matrix.py) over the real runtimes: aiogram and python-telegram-bot, each
update going through the fake Bot API — 0 leaks, 0 oracles, 0 changes by those who may not see an object.
(Over the Dispatcher on both database backends: tests/integration/security/test_access_matrix.py.)"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.access_matrix import ACTORS, create_objects, run_matrix
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import add_units


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    if not app.settings.database_url.startswith("sqlite"):
        pytest.skip("over the runtimes the matrix runs on SQLite; the Dispatcher matrix covers PostgreSQL")
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def test_the_access_matrix_holds_over_the_telegram_runtime(bot: BotProcess, app: Application) -> None:
    chats: dict[str, TelegramChat] = {}
    for user_id, (actor, _) in ACTORS.items():
        chats[user_id] = chat = TelegramChat(bot, int(user_id), language="en")
        if actor.role == Role.CITIZEN:
            await chat.send("/start")
            continue
        invite = await create_invite(
            app.uow(), app.clock, CLI_ADMIN, unit_code=actor.unit_code, role=actor.role
        )
        await chat.send(f"/start {invite.code}")
    objects = await create_objects(app)

    async def press(user_id: str, data: str) -> str:
        chat = chats[user_id]
        if data.startswith("/"):
            await chat.send(data)
        else:
            await chat.settle(bot.api.push_callback(chat.user_id, data, language="en"))
        return chat.text

    result = await run_matrix(app, objects, press)
    assert result.cells > 400 and result.allowed_cells > 100, result
    assert result.leaks == [], result.leaks[:10]
    assert result.oracles == [], result.oracles[:10]
    assert result.changes == [], result.changes[:10]
