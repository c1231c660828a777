"""aiogram parses each Bot API answer with `Response[<result type>]`, a generic pydantic model that pydantic
caches only weakly: without a strong reference it is dropped at the next garbage collection and built
again (schema generation, ~1 ms) by the next send. nocert's aiogram session keeps the models it used."""

from __future__ import annotations

import asyncio
import gc
import weakref
from pathlib import Path
from typing import Any

import pytest

from bot.telegram.runtimes import create_runtime
from handlers.types import Attachment, Reply
from nocert_core.bootstrap import Application
from tests.conftest import _migrate
from tests.e2e.runtime.test_telegram_runtime import ScriptedConversations
from tests.fakebotapi import FakeBotApi


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """Sending needs no conversations' tables, only a database to start from: SQLite is enough."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('response-models-db') / 'nocert.db'}"
    asyncio.run(_migrate(url))
    return url


def response_model_as_cached(result_type: Any) -> weakref.ref[type]:
    """The model pydantic hands out for `Response[result_type]` now, without holding on to it (a call
    inside a function: at a module's top level pydantic would also keep it in the module's namespace)."""
    from aiogram.methods import Response

    return weakref.ref(Response[result_type])


async def test_the_response_model_of_a_sent_message_outlives_a_garbage_collection(
    app: Application, tmp_path: Path
) -> None:
    # An upload: a plain text goes without aiogram's models at all
    # (tests/e2e/runtime/test_aiogram_json_calls.py).
    register = tmp_path / "register.xlsx"
    register.write_bytes(b"PK" + b"x" * 100)
    document = Attachment(register, "document", "登记簿")
    async with FakeBotApi() as api:
        conversations = ScriptedConversations()
        runtime = create_runtime("aiogram", app, conversations, token=api.token, api_url=api.base_url)
        await runtime.open_for_sending()
        try:
            await runtime.send("1001", Reply("", attachment=document))
            from aiogram.types import Message

            model = response_model_as_cached(Message)
            gc.collect()
            assert model() is not None  # still built: the next send parses with it, no rebuilding
            await runtime.send("1001", Reply("", attachment=document))
            assert response_model_as_cached(Message)() is model()
        finally:
            await runtime.close()
    assert [message.method for message in api.messages_to(1001)] == ["sendDocument", "sendDocument"]
