"""A loopback fake of the Telegram Bot API, for end-to-end tests of the real aiogram and
python-telegram-bot runtimes and of the outbox sender over real HTTP.

    async with FakeBotApi() as api:
        update_id = api.push_text(1001, "你好")
        [reply] = await api.wait_for_messages(1001, 1)

It keeps a queue of updates served by long-polling `getUpdates` — or, once the bot called `setWebhook`,
POSTed one at a time, in order, to the webhook URL with the secret header, each resent until it is
answered 200 (as Telegram does; `getUpdates` then answers 409) —, records every message the bot sends,
and can inject faults (429 with retry_after, 500, dropped connections) into the sending methods.
A dropped connection never records the message: the bot did not get an answer, so a retry is correct.
What users do and what the test reads: tests/fakebotapi_chats.py; Telegram's side of a webhook:
tests/fakebotapi_webhook.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import json
import random
import time
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from tests.fakebotapi_chats import FakeChats
from tests.fakebotapi_webhook import FakeWebhook

BOT_USER = {"id": 7000000001, "is_bot": True, "first_name": "nocert", "username": "nocert_bot"}
SENDING_METHODS = frozenset({"sendMessage", "sendPhoto", "sendDocument"})
JSON_FIELDS = frozenset(
    {"reply_markup", "commands", "scope", "allowed_updates", "entities", "link_preview_options"}
)


@dataclass
class FaultPlan:
    """Share of sending calls answered with a fault; the rest succeed. Deterministic for a seed."""

    rate_429: float = 0.0
    retry_after: int = 1
    rate_500: float = 0.0
    rate_drop: float = 0.0
    seed: int = 0
    methods: frozenset[str] = SENDING_METHODS
    _random: random.Random = field(default_factory=random.Random, repr=False)

    def __post_init__(self) -> None:
        self._random.seed(self.seed)

    def draw(self) -> str | None:
        roll = self._random.random()
        for kind, rate in (("429", self.rate_429), ("500", self.rate_500), ("drop", self.rate_drop)):
            if roll < rate:
                return kind
            roll -= rate
        return None


@dataclass
class SentMessage:
    chat_id: int
    text: str
    buttons: list[list[tuple[str, str]]]
    message_id: int
    method: str
    reply_markup: dict[str, Any] | None = None
    caption: str = ""
    file_name: str | None = None
    file_bytes: int = 0

    @property
    def button_data(self) -> list[str]:
        return [data for row in self.buttons for _, data in row]

    def button(self, label_part: str) -> str:
        """The callback data of the first button whose label contains `label_part`."""
        for row in self.buttons:
            for label, data in row:
                if label_part in label:
                    return data
        raise KeyError(f"no button containing {label_part!r} in {self.buttons}")


class FakeBotApi(FakeChats, FakeWebhook):
    def __init__(
        self, token: str = "123456:TEST-TOKEN", faults: FaultPlan | None = None, first_update_id: int = 1
    ) -> None:
        """`first_update_id`: a bot restarted on the same database (a bench) has seen the ids below it; the
        bot's inbox would drop a repeated id as a redelivery."""
        self.token = token
        self.faults = faults or FaultPlan()
        self.sent: list[SentMessage] = []
        self.edit_log: list[tuple[int, int]] = []  # (chat_id, message_id) of each successful edit, in order
        self.commands: list[dict[str, Any]] = []
        self.callback_answers: list[dict[str, Any]] = []
        self.calls: list[str] = []
        self.unknown_calls: list[str] = []
        self.content_types: dict[str, set[str]] = defaultdict(set)  # method → how its bodies came
        self.fault_log: list[tuple[str, str]] = []
        self.blocked_chats: set[int] = set()
        self.missing_chats: set[int] = set()
        self.base_url = ""
        self._updates: list[dict[str, Any]] = []
        self._by_id: dict[int, dict[str, Any]] = {}
        self._update_ids = itertools.count(first_update_id)
        self._message_ids = itertools.count(1)
        self._callback_ids = itertools.count(1)
        self._new_update = asyncio.Event()
        self._new_message = asyncio.Event()
        self._read_cursor: dict[int, int] = defaultdict(int)
        self._messages: dict[tuple[int, int], dict[str, Any]] = {}
        self._users: dict[int, dict[str, Any]] = {}
        self._runner: web.AppRunner | None = None
        self.webhook_url = ""
        self.webhook_secret: str | None = None
        self.webhook_calls: list[dict[str, Any]] = []  # setWebhook parameters, in order
        self.webhook_statuses: list[int] = []  # HTTP status of each webhook POST (0: no connection)
        self._webhook_task: asyncio.Task[None] | None = None
        # Telegram's max_connections: with more than 1, updates of different chats are posted in parallel
        # (each chat's still one at a time, in order), as Telegram does for a busy bot.
        self.webhook_connections = 1
        self.max_long_poll = 30.0  # the longest getUpdates wait the fake holds (Telegram's limit is 50 s)
        self.long_polls_waiting = 0  # getUpdates calls now held open for lack of updates

    # ---- lifecycle ------------------------------------------------------------------------------
    async def __aenter__(self) -> FakeBotApi:
        application = web.Application(client_max_size=50 * 1024 * 1024)
        application.router.add_route("*", "/bot{token}/{method}", self._handle)
        self._runner = web.AppRunner(application, access_log=None)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        server = site._server
        assert server is not None and server.sockets  # type: ignore[attr-defined]
        port = server.sockets[0].getsockname()[1]  # type: ignore[attr-defined]
        self.base_url = f"http://127.0.0.1:{port}"
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        # Stop the webhook posters' loops first: on Python 3.11 a cancel that lands while their
        # wait_for(...) completes (set() just below) is swallowed, and the loop would run forever.
        self.webhook_url = ""
        self._new_update.set()
        if self._webhook_task is not None:
            self._webhook_task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._webhook_task
        if self._runner is not None:
            await self._runner.cleanup()

    # ---- the HTTP side ---------------------------------------------------------------------------
    async def _params(self, request: web.Request) -> tuple[dict[str, Any], dict[str, tuple[str, int]]]:
        files: dict[str, tuple[str, int]] = {}
        if request.content_type == "application/json":
            body = await request.read()
            return (json.loads(body) if body else {}), files
        params: dict[str, Any] = dict(request.query)
        if request.can_read_body:
            form = await request.post()
            for key, value in form.items():
                if isinstance(value, web.FileField):
                    files[key] = (value.filename, len(value.file.read()))
                else:
                    params[key] = value
        for key in list(params):
            if key in JSON_FIELDS and isinstance(params[key], str):
                with contextlib.suppress(json.JSONDecodeError):
                    params[key] = json.loads(params[key])
        return params, files

    async def _handle(self, request: web.Request) -> web.StreamResponse:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return web.json_response(
                {"ok": False, "error_code": 401, "description": "Unauthorized"}, status=401
            )
        if request.can_read_body:
            self.content_types[method].add(request.content_type)
        params, files = await self._params(request)
        self.calls.append(method)
        if method in self.faults.methods:
            fault = self.faults.draw()
            if fault is not None:
                self.fault_log.append((method, fault))
                return await self._fault(request, fault)
        handler = getattr(self, f"_api_{method}", None)
        if handler is None:
            self.unknown_calls.append(method)
            return _error(404, "Not Found: method not found")
        result = await handler(params, files)
        if isinstance(result, web.Response):
            return result
        return web.json_response({"ok": True, "result": result})

    async def _fault(self, request: web.Request, fault: str) -> web.StreamResponse:
        if fault == "429":
            retry_after = self.faults.retry_after
            return web.json_response(
                {
                    "ok": False,
                    "error_code": 429,
                    "description": f"Too Many Requests: retry after {retry_after}",
                    "parameters": {"retry_after": retry_after},
                },
                status=429,
            )
        if fault == "500":
            return _error(500, "Internal Server Error")
        transport = request.transport
        if transport is not None:
            transport.abort()
        raise ConnectionResetError("fake Bot API dropped the connection")

    async def _api_getMe(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            **BOT_USER,
            "can_join_groups": False,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
        }

    async def _api_getUpdates(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        offset = int(params.get("offset") or 0)
        timeout = float(params.get("timeout") or 0)
        limit = int(params.get("limit") or 100)
        if self.webhook_url:
            return _error(409, "Conflict: can't use getUpdates method while webhook is active")
        if offset:
            self._updates = [update for update in self._updates if update["update_id"] >= offset]
        if not self._updates and timeout > 0:
            self._new_update.clear()
            self.long_polls_waiting += 1
            try:
                with contextlib.suppress(TimeoutError):
                    await asyncio.wait_for(self._new_update.wait(), timeout=min(timeout, self.max_long_poll))
            finally:
                self.long_polls_waiting -= 1
        return self._updates[:limit]

    async def _api_setMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.commands.append(
            {
                "commands": params.get("commands", []),
                "language_code": params.get("language_code") or "",
                "scope": params.get("scope"),
            }
        )
        return True

    async def _api_deleteMyCommands(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_answerCallbackQuery(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.callback_answers.append(params)
        return True

    async def _api_close(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_logOut(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_sendChatAction(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return True

    async def _api_sendMessage(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._record("sendMessage", params, text=str(params.get("text", "")))

    async def _api_sendPhoto(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        name, size = _file(params, files, "photo")
        extra = {
            "photo": [{"file_id": f"P{size}", "file_unique_id": f"UP{size}", "width": 800, "height": 600}]
        }
        return self._record(
            "sendPhoto", params, caption=str(params.get("caption", "")), file=(name, size), extra=extra
        )

    async def _api_sendDocument(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        name, size = _file(params, files, "document")
        extra = {"document": {"file_id": f"D{size}", "file_unique_id": f"UD{size}", "file_name": name}}
        return self._record(
            "sendDocument", params, caption=str(params.get("caption", "")), file=(name, size), extra=extra
        )

    async def _api_editMessageText(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._edit(params, text=str(params.get("text", "")))

    async def _api_editMessageReplyMarkup(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return self._edit(params)

    # ---- helpers --------------------------------------------------------------------------------
    def _record(
        self,
        method: str,
        params: dict[str, Any],
        *,
        text: str = "",
        caption: str = "",
        file: tuple[str, int] | None = None,
        extra: dict[str, Any] | None = None,
    ) -> Any:
        chat_id = int(params["chat_id"])
        if chat_id in self.blocked_chats:
            return _error(403, "Forbidden: bot was blocked by the user")
        if chat_id in self.missing_chats:
            return _error(400, "Bad Request: chat not found")
        if method == "sendMessage" and not text:
            return _error(400, "Bad Request: message text is empty")
        if len(text) > 4096:
            return _error(400, "Bad Request: message is too long")
        markup = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        message_id = next(self._message_ids)
        message: dict[str, Any] = {
            "message_id": message_id,
            "date": int(time.time()),
            "chat": self._chat(chat_id),
            "from": BOT_USER,
            **(extra or {}),
        }
        if text:
            message["text"] = text
        if caption:
            message["caption"] = caption
        if markup and "inline_keyboard" in markup:
            message["reply_markup"] = markup
        self._messages[(chat_id, message_id)] = message
        self.sent.append(
            SentMessage(
                chat_id=chat_id,
                text=text or caption,
                buttons=_buttons(markup),
                message_id=message_id,
                method=method,
                reply_markup=markup,
                caption=caption,
                file_name=file[0] if file else None,
                file_bytes=file[1] if file else 0,
            )
        )
        self._new_message.set()
        return message

    def _edit(self, params: dict[str, Any], text: str | None = None) -> Any:
        chat_id = int(params.get("chat_id") or 0)
        message = self._messages.get((chat_id, int(params.get("message_id") or 0)))
        if message is None:
            return _error(400, "Bad Request: message to edit not found")
        markup_given = params.get("reply_markup") if isinstance(params.get("reply_markup"), dict) else None
        same_text = text is None or text == message.get("text")
        if same_text and (markup_given or None) == (message.get("reply_markup") or None):
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and "
                "reply markup are exactly the same as a current content and reply markup of the message",
            )
        self.edit_log.append((chat_id, int(message["message_id"])))
        if text is not None:
            message["text"] = text
        markup = params.get("reply_markup")
        if isinstance(markup, dict) and markup.get("inline_keyboard"):
            message["reply_markup"] = markup
        else:
            message.pop("reply_markup", None)
        for sent in self.sent:
            if sent.chat_id == chat_id and sent.message_id == message["message_id"]:
                if text is not None:
                    sent.text = text
                sent.buttons = _buttons(markup if isinstance(markup, dict) else None)
        return message


def _file(params: dict[str, Any], files: dict[str, tuple[str, int]], field: str) -> tuple[str, int]:
    """An uploaded file: the `field` part itself, or the part it names with `attach://<part>` (aiogram)."""
    value = str(params.get(field, ""))
    if field in files:
        return files[field]
    if value.startswith("attach://") and value.removeprefix("attach://") in files:
        return files[value.removeprefix("attach://")]
    return value, 0


def _buttons(markup: dict[str, Any] | None) -> list[list[tuple[str, str]]]:
    if not markup or "inline_keyboard" not in markup:
        return []
    return [
        [(button["text"], button.get("callback_data", "")) for button in row]
        for row in markup["inline_keyboard"]
    ]


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)
