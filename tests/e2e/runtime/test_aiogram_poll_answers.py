"""A getUpdates answer that is not the Bot API's JSON — an empty body, a proxy's HTML page, with 200 or
502 — fails that poll with aiogram's own error (`ClientDecodeError`, which shows what came back), as aiogram
fails it without nocert's poison screen (bot/telegram/aiogram_session.py `ScreeningSession`); polling then
asks again and nothing is lost."""

from __future__ import annotations

import asyncio
import logging

import pytest
from aiogram.exceptions import ClientDecodeError
from aiohttp import web

from bot.telegram.aiogram_runtime import AiogramRuntime
from bot.telegram.runtimes import create_runtime
from nocert_core.bootstrap import Application
from tests.conftest import _migrate
from tests.e2e.runtime.test_telegram_runtime import ScriptedConversations
from tests.e2e.telegram_helpers import running
from tests.fakebotapi import FakeBotApi

BAD_GATEWAY = (502, "<html><body><h1>502 Bad Gateway</h1></body></html>", "text/html")
NOT_JSON = {
    "an HTML 502 from a proxy": BAD_GATEWAY,
    "an HTML page with 200": (200, "<html><body>Please sign in to the network</body></html>", "text/html"),
    "an empty body with 200": (200, "", "application/json"),
}


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Polling needs only the inbox: SQLite is enough."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('poll-answers-db') / 'nocert.db'}"
    asyncio.run(_migrate(url))
    return url


class ProxiedApi(FakeBotApi):
    """The fake Bot API behind a proxy that answers the first getUpdates calls itself, with `answers`."""

    def __init__(self, answers: list[tuple[int, str, str]]) -> None:
        super().__init__()
        self.answers = list(answers)

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        if request.match_info["method"] == "getUpdates" and self.answers:
            await request.read()
            status, body, content_type = self.answers.pop(0)
            return web.Response(status=status, text=body, content_type=content_type)
        return await super()._handle(request)


@pytest.mark.parametrize("answer", NOT_JSON.values(), ids=NOT_JSON.keys())
async def test_a_get_updates_answer_that_is_not_json_raises_aiogram_s_decode_error(
    app: Application, answer: tuple[int, str, str]
) -> None:
    async with ProxiedApi([answer]) as api:
        runtime = create_runtime(
            "aiogram", app, ScriptedConversations(), token=api.token, api_url=api.base_url
        )
        assert isinstance(runtime, AiogramRuntime)
        await runtime.open_for_sending()
        try:
            with pytest.raises(ClientDecodeError) as raised:
                await runtime.bot.get_updates(timeout=0)
        finally:
            await runtime.close()
    assert answer[1] in str(raised.value)  # the operator sees what came back


async def test_polling_asks_again_after_a_proxy_s_error_page_and_the_update_is_answered(
    app: Application, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.ERROR, logger="aiogram.dispatcher")
    async with ProxiedApi([BAD_GATEWAY, BAD_GATEWAY]) as api:
        async with running("aiogram", app, ScriptedConversations(), api):
            api.push_text(1001, "你好", language="en")
            [reply] = await api.wait_for_messages(1001, 1)
        assert not api.answers  # both error pages were served
    assert reply.text == "got text: 你好"
    failures = [
        record.getMessage() for record in caplog.records if "Failed to fetch updates" in record.getMessage()
    ]
    assert len(failures) == 2 and all("ClientDecodeError" in failure for failure in failures)
