"""Helpers for the Telegram end-to-end tests: run a real runtime (aiogram or python-telegram-bot) against
the loopback FakeBotApi over HTTP, with short polling and quick retries so the suite stays fast, and drive
it like a Telegram user would (type, press a button of a message, share a contact, send a sticker)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from bot.jobs.outbox_worker import OutboxWorker
from bot.telegram.base import FRAMEWORKS, ConversationDispatcher, RetryPolicy, TelegramRuntime
from bot.telegram.runtimes import create_runtime
from handlers.dispatch.dispatcher import Dispatcher, StateStorage
from nocert_core.bootstrap import Application
from tests.fakebotapi import FakeBotApi, SentMessage

__all__ = ["FRAMEWORKS", "QUICK_RETRY", "BotProcess", "TelegramChat", "running"]

# A hang guard, not a speed check: a loaded CI machine may take seconds for the first free-text answer
# (jieba and the guidance index load then), so wait generously before calling it a hang.
SETTLE_SECONDS = float(os.environ.get("NOCERT_TEST_SETTLE_SECONDS", "45"))
QUICK_RETRY = RetryPolicy(attempts=6, backoff=(0.05, 0.1, 0.2), max_wait=5.0)


def _runtime(
    framework: str, app: Any, dispatcher: ConversationDispatcher, api: FakeBotApi
) -> TelegramRuntime:
    return create_runtime(
        framework,
        app,
        dispatcher,
        token=api.token,
        api_url=api.base_url,
        polling_timeout=1,
        retry=QUICK_RETRY,
    )


@asynccontextmanager
async def running(
    framework: str, app: Any, dispatcher: ConversationDispatcher, api: FakeBotApi
) -> AsyncIterator[TelegramRuntime]:
    """A started runtime; stopped (queued updates finished, session closed) when the block ends."""
    runtime = _runtime(framework, app, dispatcher, api)
    await runtime.start()
    try:
        yield runtime
    finally:
        await runtime.stop()


class BotProcess:
    """The bot as `nocert run` runs it (runtime + real Dispatcher + outbox delivery), restartable on the
    same database to play "the process was restarted"."""

    def __init__(
        self, framework: str, app: Application, api: FakeBotApi, storage: StateStorage | None = None
    ) -> None:
        self.framework = framework
        self.app = app
        self.api = api
        self.storage = storage  # None: dialog state in the database
        self.runtime: TelegramRuntime | None = None
        self.dispatcher_class: type[Dispatcher] = Dispatcher

    async def start(self) -> None:
        dispatcher = self.dispatcher_class(self.app, self.storage)
        self.runtime = _runtime(self.framework, self.app, dispatcher, self.api)
        await self.runtime.start()

    async def stop(self) -> None:
        if self.runtime is not None:
            await self.runtime.stop()
            self.runtime = None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def kill(self) -> None:
        """As SIGKILL would: what was fetched (and acknowledged) but not yet handled is abandoned, replies
        not yet sent are not sent, nothing is drained."""
        runtime = self.runtime
        if runtime is None:
            return
        self.runtime = None
        for task in list(runtime.queues._workers.values()):
            task.cancel()
        await runtime._stop_polling()
        await runtime._close()

    async def deliver_notifications(self) -> int:
        """What the outbox worker would send now (assignments, results, rating requests)."""
        assert self.runtime is not None
        worker = OutboxWorker(self.app, {"telegram": self.runtime}, rate_per_second=0, chat_interval=0)
        return await worker.run_until_idle()

    async def __aenter__(self) -> BotProcess:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.stop()


class TelegramChat:
    """One Telegram user talking to the bot through the fake Bot API. Each action waits until the bot
    has handled that update and returns the messages it sent since the previous action."""

    def __init__(self, bot: BotProcess, user_id: int, language: str = "en", name: str | None = None) -> None:
        self.bot = bot
        self.api = bot.api
        self.user_id = user_id
        self.language = language
        self.last: list[SentMessage] = []
        self._seen = 0
        self._edits_seen = 0
        self.api.user(user_id, language=language, first_name=name)

    async def settle(self, update_id: int, times: int = 1) -> list[SentMessage]:
        """Wait until the bot handled this update (`times` times) and return what it sent meanwhile."""
        assert self.bot.runtime is not None, "the bot is not running"
        await self.bot.runtime.wait_processed(update_id, times=times, timeout=SETTLE_SECONDS)
        return self.inbox()

    def inbox(self) -> list[SentMessage]:
        """Messages that arrived since the last look (e.g. notifications delivered by the outbox), after the
        messages the bot edited meanwhile (a pressed card updated in place), as the user sees them now."""
        messages = self.api.messages_to(self.user_id)[self._seen :]
        self._seen += len(messages)
        edits = self.api.edit_log[self._edits_seen :]
        self._edits_seen += len(edits)
        fresh = {message.message_id for message in messages}
        edited_ids = list(
            dict.fromkeys(mid for chat, mid in edits if chat == self.user_id and mid not in fresh)
        )
        edited = [m for m in self.api.messages_to(self.user_id) if m.message_id in edited_ids]
        self.last = [*edited, *messages]
        return self.last

    def edited_since(self, message: SentMessage) -> bool:
        """Whether the bot edited this message in place (rather than posting a new one)."""
        return any(chat == self.user_id and mid == message.message_id for chat, mid in self.api.edit_log)

    async def send(self, text: str) -> list[SentMessage]:
        return await self.settle(self.api.push_text(self.user_id, text, language=self.language))

    async def sticker(self) -> list[SentMessage]:
        return await self.settle(self.api.push_sticker(self.user_id, language=self.language))

    async def share_contact(self, phone: str) -> list[SentMessage]:
        return await self.settle(self.api.push_contact(self.user_id, phone, language=self.language))

    def find_button(
        self, label_part: str, messages: list[SentMessage] | None = None
    ) -> tuple[SentMessage, str]:
        for message in reversed(messages if messages is not None else self.last):
            for row in message.buttons:
                for label, data in row:
                    if label_part in label:
                        return message, data
        shown = [label for message in self.last for row in message.buttons for label, _ in row]
        raise AssertionError(f"no button with {label_part!r}; shown: {shown}")

    async def press(self, label_part: str, messages: list[SentMessage] | None = None) -> list[SentMessage]:
        update_id = await self.press_update(label_part, messages)
        return await self.settle(update_id)

    async def press_update(self, label_part: str, messages: list[SentMessage] | None = None) -> int:
        """Press without waiting; returns the update id (to redeliver it)."""
        message, data = self.find_button(label_part, messages)
        return self.api.push_callback(self.user_id, data, message.message_id, language=self.language)

    async def redeliver(self, update_id: int, times: int) -> list[SentMessage]:
        self.api.redeliver(update_id)
        return await self.settle(update_id, times=times)

    @property
    def text(self) -> str:
        return "\n".join(message.text for message in self.last)
