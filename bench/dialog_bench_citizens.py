"""The citizens of the dialog bench (bench/dialog_bench.py): the complaint dialog's updates (`DIALOG`, each
a text sent or a button pressed), the fake Bot API indexed per chat so thousands of citizens cost O(1) per
message (`BenchApi`), and a citizen sending its next update and waiting for all its replies (`Citizen`)."""

from __future__ import annotations

import asyncio
import random
import sys
import time
from collections import deque
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.fakebotapi import FakeBotApi  # noqa: E402

PHONE = "{phone}"  # each citizen types its own number (citizen_phone): one shared number would make every
# Submit's repeat check read all complaints filed so far in the run, a cost no real city has
FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
# (kind, value): "text" sends it, "press" presses the newest button whose label contains it.
DIALOG: list[tuple[str, str]] = [
    ("text", "/start"),
    ("press", "Complain"),
    ("text", "王芳"),
    ("text", PHONE),
    ("text", "奎文区行政审批服务局"),
    ("text", "Accept my application without the certificate"),
    ("text", "The certificate is in the exemption catalogue"),
    ("text", FACTS),
    ("press", "For myself"),
    ("press", "Submit"),
]


@dataclass
class Step:
    kind: str
    value: str
    replies: int  # messages the bot sends for this update
    echo_data: str = "button"  # the callback data the echo bot gets for a press


class BenchApi(FakeBotApi):
    """The fake Bot API with an index of messages per chat and waiters, so that thousands of citizens
    cost the bench O(1) per message (the test fake scans all messages)."""

    def __init__(self) -> None:
        super().__init__()
        self.count: dict[int, int] = {}
        self.last: dict[int, Any] = {}
        self.recent: dict[int, deque[Any]] = {}
        self.waiters: dict[int, tuple[int, asyncio.Future[float]]] = {}
        self.served: dict[int, float] = {}  # update id: when getUpdates first handed it out (--trace)

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        result = await super()._api_getUpdates(params, files)
        if isinstance(result, list):
            now = time.perf_counter()
            for update in result:
                self.served.setdefault(update["update_id"], now)
        return result

    def _record(self, method: str, params: dict[str, Any], **kwargs: Any) -> Any:  # type: ignore[override]
        result = super()._record(method, params, **kwargs)
        if isinstance(result, dict):
            chat = int(params["chat_id"])
            self.last[chat] = self.sent[-1]
            self.recent.setdefault(chat, deque(maxlen=6)).append(self.sent[-1])
            self._count(chat)
        return result

    def _edit(self, params: dict[str, Any], text: str | None = None) -> Any:
        """A pressed button's card edited in place counts as a reply like a new message."""
        result = super()._edit(params, text)
        if isinstance(result, dict):
            self._count(int(params["chat_id"]))
        return result

    def _count(self, chat: int) -> None:
        self.count[chat] = self.count.get(chat, 0) + 1
        waiter = self.waiters.get(chat)
        if waiter is not None and self.count[chat] >= waiter[0] and not waiter[1].done():
            waiter[1].set_result(time.perf_counter())

    def wait(self, chat: int, total: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        if self.count.get(chat, 0) >= total:
            future.set_result(time.perf_counter())
        else:
            self.waiters[chat] = (total, future)
        return future

    def button(self, chat: int, label: str) -> tuple[int, str]:
        for sent in reversed(self.recent.get(chat, ())):
            for row in sent.buttons:
                for text, data in row:
                    if label in text:
                        return sent.message_id, data
        raise LookupError(f"no button {label!r} for chat {chat}")


def citizen_phone(user_id: int) -> str:
    """A valid mobile number of the citizen's own, the same for the same user id (138 + 8 digits: every
    such number is a valid China Mobile one); ids in one run are consecutive, so no two citizens share one."""
    return f"138{user_id % 10**8:08d}"


def typed(value: str, user_id: int) -> str:
    return citizen_phone(user_id) if value == PHONE else value


class Citizen:
    def __init__(self, api: BenchApi, user_id: int, steps: list[Step], nocert: bool) -> None:
        self.api, self.user_id, self.steps, self.nocert = api, user_id, steps, nocert
        self.index = 0
        self.expected = 0
        self.update_id = 0  # of the last update sent
        api.user(user_id, language="en", first_name="王芳")

    @property
    def done(self) -> bool:
        return self.index >= len(self.steps)

    def send(self) -> asyncio.Future[float]:
        """Push the next update; the future resolves when all its replies have arrived."""
        step = self.steps[self.index]
        self.index += 1
        if step.kind == "text":
            self.update_id = self.api.push_text(self.user_id, typed(step.value, self.user_id), language="en")
        elif self.nocert:
            message_id, data = self.api.button(self.user_id, step.value)
            self.update_id = self.api.push_callback(self.user_id, data, message_id, language="en")
        else:
            last = self.api.last.get(self.user_id)
            message_id = last.message_id if last is not None else None
            self.update_id = self.api.push_callback(self.user_id, step.echo_data, message_id, language="en")
        self.expected += step.replies if self.nocert else 1
        return self.api.wait(self.user_id, self.expected)


class UserIds:
    def __init__(self) -> None:
        self.next = random.randrange(10**9, 2 * 10**9)
        self.used: list[int] = []

    def new(self) -> int:
        self.next += 1
        self.used.append(self.next)
        return self.next
