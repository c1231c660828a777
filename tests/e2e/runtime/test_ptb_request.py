"""nocert's request class for python-telegram-bot (bot/telegram/ptb_request.py): file-less calls over aiohttp
keep what PTB's httpx client did for them — the proxy set in the environment, and PTB's errors."""

from __future__ import annotations

import pytest
from telegram.error import Forbidden

from bot.telegram.ptb_request import JsonRequest
from tests.fakebotapi import FakeBotApi


async def test_a_call_goes_through_the_proxy_named_in_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    async with FakeBotApi() as api:
        # The fake Bot API plays the proxy: it gets the request for a host that does not resolve.
        for name in ("NO_PROXY", "no_proxy", "HTTPS_PROXY", "https_proxy", "http_proxy"):
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("HTTP_PROXY", api.base_url)
        request = JsonRequest()
        await request.initialize()
        try:
            sent = await request.call(
                f"http://api.telegram.invalid/bot{api.token}/sendMessage", {"chat_id": 1001, "text": "经代理"}
            )
        finally:
            await request.shutdown()
    assert sent["message_id"] and [message.text for message in api.messages_to(1001)] == ["经代理"]


async def test_a_blocked_chat_raises_ptbs_own_error() -> None:
    async with FakeBotApi() as api:
        api.blocked_chats.add(3003)
        request = JsonRequest()
        await request.initialize()
        try:
            with pytest.raises(Forbidden):
                await request.call(
                    f"{api.base_url}/bot{api.token}/sendMessage", {"chat_id": 3003, "text": "hi"}
                )
        finally:
            await request.shutdown()
