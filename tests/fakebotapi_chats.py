"""The test's side of the fake Bot API (tests/fakebotapi.py): what users do — text, commands, stickers,
contacts, button presses, raw or redelivered updates, queued for the bot — and what the test reads: the
messages the bot sent to a chat, waited for in order."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import time
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tests.fakebotapi import SentMessage


class FakeChats:
    """Part of `FakeBotApi`, over its update queue and its record of sent messages."""

    sent: list[SentMessage]
    _updates: list[dict[str, Any]]
    _by_id: dict[int, dict[str, Any]]
    _update_ids: itertools.count[int]
    _message_ids: itertools.count[int]
    _callback_ids: itertools.count[int]
    _new_update: asyncio.Event
    _new_message: asyncio.Event
    _read_cursor: dict[int, int]
    _messages: dict[tuple[int, int], dict[str, Any]]
    _users: dict[int, dict[str, Any]]

    # ---- what a user does -----------------------------------------------------------------------
    def user(
        self, user_id: int, *, language: str = "zh-hans", first_name: str | None = None
    ) -> dict[str, Any]:
        existing = self._users.get(user_id)
        if existing is None or first_name is not None or existing.get("language_code") != language:
            self._users[user_id] = {
                "id": user_id,
                "is_bot": False,
                "first_name": first_name or f"用户{user_id}",
                "language_code": language,
            }
        return self._users[user_id]

    def _chat(self, user_id: int) -> dict[str, Any]:
        user = self._users.get(user_id) or self.user(user_id)
        return {"id": user_id, "type": "private", "first_name": user["first_name"]}

    def _push(self, payload: dict[str, Any]) -> int:
        update_id = next(self._update_ids)
        update = {"update_id": update_id, **payload}
        self._updates.append(update)
        self._by_id[update_id] = update
        self._new_update.set()
        return update_id

    def _user_message(self, user_id: int, language: str, **content: Any) -> dict[str, Any]:
        return {
            "message_id": next(self._message_ids),
            "date": int(time.time()),
            "chat": self._chat(user_id),
            "from": self.user(user_id, language=language),
            **content,
        }

    def push_text(self, user_id: int, text: str, *, language: str = "zh-hans") -> int:
        self.user(user_id, language=language)
        message = self._user_message(user_id, language, text=text)
        if text.startswith("/"):
            command_length = len(text.split()[0])
            message["entities"] = [{"type": "bot_command", "offset": 0, "length": command_length}]
        return self._push({"message": message})

    def push_command(self, user_id: int, command: str, args: str = "", *, language: str = "zh-hans") -> int:
        text = command if command.startswith("/") else f"/{command}"
        return self.push_text(user_id, f"{text} {args}".strip(), language=language)

    def push_sticker(self, user_id: int, *, language: str = "zh-hans") -> int:
        sticker = {
            "file_id": "STICKER1",
            "file_unique_id": "S1",
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
        }
        return self._push({"message": self._user_message(user_id, language, sticker=sticker)})

    def push_contact(self, user_id: int, phone: str, *, language: str = "zh-hans") -> int:
        contact = {"phone_number": phone, "first_name": self.user(user_id)["first_name"], "user_id": user_id}
        return self._push({"message": self._user_message(user_id, language, contact=contact)})

    def push_callback(
        self, user_id: int, data: str, message_id: int | None = None, *, language: str = "zh-hans"
    ) -> int:
        """Press an inline button; without `message_id`, on the latest bot message carrying `data`."""
        message = self._find_message(user_id, data, message_id)
        query = {
            "id": str(next(self._callback_ids)),
            "from": self.user(user_id, language=language),
            "message": message,
            "chat_instance": f"ci{user_id}",
            "data": data,
        }
        return self._push({"callback_query": query})

    def push_raw(self, payload: dict[str, Any]) -> int:
        """Queue any update body as is (a forged or malformed update the library may fail to parse)."""
        return self._push(payload)

    def redeliver(self, update_id: int) -> int:
        """Serve the same update (same update_id) again, as Telegram does after a lost acknowledgement."""
        update = self._by_id[update_id]
        self._updates.append(update)
        self._updates.sort(key=lambda item: item["update_id"])
        self._new_update.set()
        return update_id

    @property
    def pending_updates(self) -> int:
        return len(self._updates)

    def _find_message(self, chat_id: int, data: str, message_id: int | None) -> dict[str, Any]:
        if message_id is not None and (chat_id, message_id) in self._messages:
            return self._messages[(chat_id, message_id)]
        for sent in reversed(self.sent):
            if sent.chat_id == chat_id and (message_id == sent.message_id or data in sent.button_data):
                return self._messages[(chat_id, sent.message_id)]
        return {
            "message_id": message_id or 0,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "text": "",
        }

    # ---- what the test reads --------------------------------------------------------------------
    def messages_to(self, chat_id: int) -> list[SentMessage]:
        return [message for message in self.sent if message.chat_id == chat_id]

    async def wait_for_messages(self, chat_id: int, count: int, timeout: float = 10.0) -> list[SentMessage]:
        """The next `count` messages to `chat_id` that this method has not returned before."""
        deadline = asyncio.get_running_loop().time() + timeout
        while True:
            unread = self.messages_to(chat_id)[self._read_cursor[chat_id] :]
            if len(unread) >= count:
                self._read_cursor[chat_id] += count
                return unread[:count]
            remaining = deadline - asyncio.get_running_loop().time()
            if remaining <= 0:
                texts = [message.text[:80] for message in unread]
                raise TimeoutError(f"expected {count} message(s) to {chat_id}, got {len(unread)}: {texts}")
            self._new_message.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self._new_message.wait(), timeout=min(remaining, 0.5))

    async def wait_until_idle(self, timeout: float = 10.0) -> None:
        """Until every pushed update has been fetched and acknowledged by the bot."""
        deadline = asyncio.get_running_loop().time() + timeout
        while self._updates:
            if asyncio.get_running_loop().time() > deadline:
                raise TimeoutError(f"{len(self._updates)} update(s) never acknowledged")
            await asyncio.sleep(0.02)

    def skip_unread(self, chat_id: int) -> None:
        self._read_cursor[chat_id] = len(self.messages_to(chat_id))
