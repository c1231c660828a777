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

from aiohttp import ClientError, ClientSession, ClientTimeout, web

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


class FakeBotApi:
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

    async def _api_deleteWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_url, self.webhook_secret = "", None
        if _flag(params.get("drop_pending_updates")):
            self._updates.clear()
        return True

    async def _api_setWebhook(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        self.webhook_calls.append(dict(params))
        self.webhook_url = str(params["url"])
        self.webhook_secret = params.get("secret_token")
        if _flag(params.get("drop_pending_updates")):
            self._updates.clear()
        if self._webhook_task is None or self._webhook_task.done():
            poster = self._post_updates() if self.webhook_connections <= 1 else self._post_in_parallel()
            self._webhook_task = asyncio.create_task(poster, name="fake-webhook")
        self._new_update.set()
        return True

    async def _api_getWebhookInfo(self, params: dict[str, Any], files: dict[str, Any]) -> Any:
        return {
            "url": self.webhook_url,
            "has_custom_certificate": False,
            "pending_update_count": len(self._updates),
        }

    async def _post_updates(self) -> None:
        """Telegram's side of a webhook: the oldest update first, resent until answered 200."""
        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            while self.webhook_url:
                if not self._updates:
                    self._new_update.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), timeout=0.5)
                    continue
                update = self._updates[0]
                headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
                try:
                    async with session.post(self.webhook_url, json=update, headers=headers) as response:
                        status = response.status
                except (ClientError, OSError, TimeoutError):
                    status = 0
                self.webhook_statuses.append(status)
                if status == 200:
                    if self._updates and self._updates[0] is update:
                        self._updates.pop(0)
                else:
                    await asyncio.sleep(0.05)

    async def _post_in_parallel(self) -> None:
        """`webhook_connections` posters; an update waits while an earlier one of its chat is in flight."""
        in_flight: set[int] = set()

        def chat_of(update: dict[str, Any]) -> int:
            body = update.get("message") or update.get("callback_query") or {}
            return int((body.get("from") or {}).get("id") or 0)

        async def poster(session: ClientSession) -> None:
            while self.webhook_url:
                update = next((u for u in self._updates if chat_of(u) not in in_flight), None)
                if update is None:
                    self._new_update.clear()
                    with contextlib.suppress(TimeoutError):
                        await asyncio.wait_for(self._new_update.wait(), timeout=0.2)
                    continue
                chat = chat_of(update)
                in_flight.add(chat)
                try:
                    headers = {"X-Telegram-Bot-Api-Secret-Token": self.webhook_secret or ""}
                    try:
                        async with session.post(self.webhook_url, json=update, headers=headers) as response:
                            status = response.status
                    except (ClientError, OSError, TimeoutError):
                        status = 0
                    self.webhook_statuses.append(status)
                    if status == 200:
                        with contextlib.suppress(ValueError):
                            self._updates.remove(update)
                    else:
                        await asyncio.sleep(0.05)
                finally:
                    in_flight.discard(chat)
                    self._new_update.set()

        async with ClientSession(timeout=ClientTimeout(total=10)) as session:
            await asyncio.gather(*(poster(session) for _ in range(self.webhook_connections)))

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


def _flag(value: Any) -> bool:
    return value is True or str(value).lower() == "true"


def _error(code: int, description: str) -> web.Response:
    return web.json_response({"ok": False, "error_code": code, "description": description}, status=code)
