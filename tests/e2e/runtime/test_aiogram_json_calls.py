"""The aiogram runtime sends replies, card edits and callback answers as plain JSON, without building
aiogram's method and result models (bot/telegram/aiogram_session.py `call_json`, issue 15). What goes over the
wire must be what aiogram's own calls sent, and a failed call must raise aiogram's own errors, which the
runtime classifies for its retries."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from typing import Any

import pytest
from aiogram.exceptions import TelegramForbiddenError, TelegramRetryAfter
from aiohttp import web

from bot.jobs.outbox_worker import RetryLater, Unreachable
from bot.telegram.aiogram_runtime import AiogramRuntime, _markup
from bot.telegram.common import KeyboardMemory, OutgoingMessage
from bot.telegram.runtimes import create_runtime
from handlers.types import Button, Reply
from nocert_core.bootstrap import Application
from nocert_core.i18n import translator
from tests.conftest import _migrate
from tests.e2e.runtime.test_telegram_runtime import ScriptedConversations
from tests.fakebotapi import FakeBotApi, FaultPlan


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Sending needs no conversations' tables, only a database to start from: SQLite is enough."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('json-calls-db') / 'nocert.db'}"
    asyncio.run(_migrate(url))
    return url


class RecordingApi(FakeBotApi):
    """The fake Bot API, keeping every JSON body it was sent, by method."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.bodies: dict[str, list[dict[str, Any]]] = defaultdict(list)

    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, int]]]:
        params, files = await super()._params(request)
        if request.content_type == "application/json":
            self.bodies[request.match_info["method"]].append(params)
        return params, files


def planned(chat_id: str) -> list[OutgoingMessage]:
    """The calls of replies of every shape: inline buttons, the "share my phone" keyboard, its removal."""
    t = translator("zh_Hans")
    keyboards = KeyboardMemory()
    rows = [[Button("投诉", "m:complain"), Button("我的投诉", "m:mine")], [Button("返回", "m:back")]]
    return [
        *keyboards.plan(chat_id, Reply("菜单", rows), t),
        *keyboards.plan(chat_id, Reply("请留下电话", request_contact=True), t),
        *keyboards.plan(chat_id, Reply("谢谢"), t),
        *keyboards.plan(chat_id, Reply("改了", [[Button("好", "ok:1")]], edit=True), t, "1"),
    ]


async def opened(app: Application, api: FakeBotApi) -> AiogramRuntime:
    runtime = create_runtime("aiogram", app, ScriptedConversations(), token=api.token, api_url=api.base_url)
    assert isinstance(runtime, AiogramRuntime)
    await runtime.open_for_sending()
    return runtime


async def test_replies_and_edits_go_out_as_the_bodies_aiogram_itself_sends(app: Application) -> None:
    async with RecordingApi() as api:
        runtime = await opened(app, api)
        try:
            first = await runtime.bot.send_message(1001, "卡片")  # the card the edits below change
            messages = planned("1001")
            assert {message.method for message in messages} == {"sendMessage", "editMessageText"}
            for message in messages:  # aiogram's own calls, with its models, as the runtime made them
                markup = _markup(message.reply_markup)
                if message.method == "sendMessage":
                    await runtime.bot.send_message(int(message.chat_id), message.text, reply_markup=markup)
                else:
                    await runtime.bot.edit_message_text(
                        text=message.text,
                        chat_id=int(message.chat_id),
                        message_id=first.message_id,
                        reply_markup=markup,  # type: ignore[arg-type]
                    )
            theirs = {method: list(bodies) for method, bodies in api.bodies.items()}
            api.bodies.clear()
            card = await runtime.send("1001", Reply("卡片"))  # a card of our own to edit
            for message in messages:
                if message.method == "editMessageText":
                    message.message_id = card
                await runtime._call(message)
            await runtime._answer_callback("q1")
            await runtime.bot.answer_callback_query("q1")
        finally:
            await runtime.close()
    ours = dict(api.bodies)
    assert ours["sendMessage"] == theirs["sendMessage"]
    assert [body.pop("message_id") for body in theirs["editMessageText"]] == [first.message_id]
    assert [body.pop("message_id") for body in ours["editMessageText"]] == [int(str(card))]
    assert ours["editMessageText"] == theirs["editMessageText"]
    assert ours["answerCallbackQuery"] == [{"callback_query_id": "q1"}] * 2
    assert any("request_contact" in str(body.get("reply_markup")) for body in ours["sendMessage"])
    assert any(body.get("reply_markup") == {"remove_keyboard": True} for body in ours["sendMessage"])


async def test_a_rate_limited_reply_raises_aiogram_s_retry_after_which_the_runtime_retries(
    app: Application,
) -> None:
    async with FakeBotApi(faults=FaultPlan(rate_429=1.0, retry_after=7)) as api:
        runtime = await opened(app, api)
        try:
            with pytest.raises(TelegramRetryAfter) as raised:
                await runtime._call(OutgoingMessage("sendMessage", "1001", "你好"))
        finally:
            await runtime.close()
    failure = runtime._classify(raised.value)
    assert isinstance(failure, RetryLater)
    assert failure.retry_after == 7


async def test_a_reply_to_a_user_who_blocked_the_bot_raises_aiogram_s_forbidden_error(
    app: Application,
) -> None:
    async with FakeBotApi() as api:
        api.blocked_chats.add(1001)
        runtime = await opened(app, api)
        try:
            with pytest.raises(TelegramForbiddenError) as raised:
                await runtime._call(OutgoingMessage("sendMessage", "1001", "你好"))
        finally:
            await runtime.close()
    assert isinstance(runtime._classify(raised.value), Unreachable)
