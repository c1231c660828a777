"""The python-telegram-bot v22 runtime: the same conversations as the aiogram runtime, carried by PTB.

PTB's Application only fetches updates here. Its Updater puts a batch on its update queue and acknowledges
it with the next getUpdates, before any handler runs; so our update queue (`_InboxQueue`) hands each update
to `TelegramRuntime.accept` inside `put()`, and the getUpdates request (`_ScreeningRequest`) first writes
the staged batch to the inbox in one transaction and queues it for its users. Ordering, answers, retries and
shutdown are shared (`bot.telegram.base`).

What PTB would only build to be read back is left out: an update of a shape nocert fully knows is staged
from the raw batch (`screen_fetched`), and texts, edits and button answers go out as JSON through our own
request class (`JsonRequest.call`), not through PTB's `Bot` and its objects (docs/performance.md).
"""

from __future__ import annotations

import asyncio
import copy
import json
import logging
import warnings
from collections.abc import Awaitable, Callable
from http import HTTPStatus
from pathlib import Path
from typing import Any

from telegram import (
    BotCommand,
    BotCommandScopeChat,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TelegramError
from telegram.ext import (
    Application,
    ApplicationBuilder,
    CallbackQueryHandler,
    ContextTypes,
)
from telegram.helpers import effective_message_type
from telegram.warnings import PTBDeprecationWarning

from bot.jobs.outbox_worker import Rejected, RetryLater, SendError, Unreachable
from bot.telegram.base import ALLOWED_UPDATES, TelegramRuntime, Webhook
from bot.telegram.common import (
    MessageFacts,
    OutgoingMessage,
    TelegramUser,
    incoming_from_button,
    incoming_from_message,
    is_unreachable_description,
)
from bot.telegram.poison import PoisonScreen
from bot.telegram.ptb_request import JsonRequest

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
PTBApplication = Application[Any, Any, Any, Any, Any, Any]


class PtbRuntime(TelegramRuntime):
    framework = "ptb"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        builder: ApplicationBuilder[Any, Any, Any, Any, Any, Any] = ApplicationBuilder()
        calls = JsonRequest(connection_pool_size=256)
        # bot/telegram/poison.py; the batch goes to the inbox before the next getUpdates
        fetching = _ScreeningRequest(
            self.before_get_updates, self.screen_fetched, read_timeout=self.polling_timeout + 10
        )
        self._requests = (calls, fetching)
        self._api = f"{self.api_url}/bot{self.token}"  # texts, edits and button answers: JsonRequest.call
        self.ptb: PTBApplication = (
            builder.token(self.token)
            .base_url(f"{self.api_url}/bot")
            .base_file_url(f"{self.api_url}/file/bot")
            .request(calls)
            .get_updates_request(fetching)
            .concurrent_updates(False)  # the handlers only queue; user queues give the parallelism
            .update_queue(_InboxQueue(self._persist))
            .job_queue(None)  # scheduling is nocert's own (bot/jobs/scheduler.py)
            .build()
        )
        self.ptb.add_handler(CallbackQueryHandler(self._on_game_button))
        self.ptb.add_error_handler(self._on_error)

    async def _persist(self, update: Update) -> None:
        """Called for each fetched update before its offset is acknowledged: inbox, then the user's queue."""
        if update.callback_query is not None:
            await self._accept_button(update)
            return
        message = update.message
        if message is None or message.from_user is None:
            return
        content_type = effective_message_type(message) or "unknown"
        facts = MessageFacts(
            update_id=update.update_id,
            user=_user(message.from_user),
            chat_id=message.chat.id,
            chat_type=str(message.chat.type),
            content_type=str(content_type),
            text=message.text if content_type == "text" else None,
            contact_phone=message.contact.phone_number if message.contact else None,
        )
        incoming = incoming_from_message(facts)
        if incoming is not None:
            await self.accept(incoming)

    async def _accept_button(self, update: Update) -> None:
        query = update.callback_query
        if query is None or query.data is None:  # a game button: answered by `_on_game_button`
            return
        chat_id = query.message.chat.id if query.message is not None else None
        await self.accept(
            incoming_from_button(
                update.update_id,
                _user(query.from_user),
                chat_id,
                query.data,
                query.message.message_id if query.message is not None else None,
            ),
            query.id,
        )

    async def _on_game_button(self, update: Update, context: ContextTypes.DEFAULT_TYPE) -> None:
        query = update.callback_query
        if query is not None and query.data is None:  # nothing of ours
            await query.answer()

    async def _on_error(self, update: object, context: ContextTypes.DEFAULT_TYPE) -> None:
        log.error("python-telegram-bot handler failed", exc_info=context.error)

    # ---- lifecycle -------------------------------------------------------------------------------
    async def _connect(self) -> str:
        await self.ptb.initialize()  # getMe: an invalid token fails here
        return self.ptb.bot.username

    async def _start_polling(self) -> None:
        await self.ptb.start()
        assert self.ptb.updater is not None
        await self.ptb.updater.start_polling(
            poll_interval=0.0,
            timeout=self.polling_timeout,
            drop_pending_updates=False,  # what users sent while we were down is still answered
            allowed_updates=[Update.MESSAGE, Update.CALLBACK_QUERY],
        )

    async def _start_webhook(self, webhook: Webhook) -> None:
        await self.ptb.start()  # processes our update queue; no Updater (nothing is fetched)
        await self.ptb.bot.set_webhook(
            webhook.url,
            secret_token=webhook.secret,
            drop_pending_updates=False,  # what users sent meanwhile is still delivered
            allowed_updates=ALLOWED_UPDATES,
        )

    async def feed(self, update: dict[str, Any]) -> None:
        # `_InboxQueue.put` writes the inbox (`accept`) before it returns.
        await self.ptb.update_queue.put(Update.de_json(update, self.ptb.bot))

    async def _stop_polling(self) -> None:
        if self.ptb.updater is not None and self.ptb.updater.running:
            await self.ptb.updater.stop()  # also acknowledges every fetched update to Telegram
        if self.ptb.running:
            await self.ptb.stop()  # handles what was fetched: each handler queues it for its user

    async def _close(self) -> None:
        await self.ptb.shutdown()
        for request in self._requests:  # PTB shuts them down only if getMe succeeded (a bad token)
            await request.shutdown()

    # ---- Bot API calls ---------------------------------------------------------------------------
    async def _call(self, message: OutgoingMessage) -> str | None:
        if message.method == "sendMessage":  # a text and its keyboard, as JSON (bot/telegram/ptb_request.py)
            sent = await self._requests[0].call(
                f"{self._api}/sendMessage",
                {"chat_id": int(message.chat_id), "text": message.text, "reply_markup": message.reply_markup},
            )
            return str(sent["message_id"])
        if message.method == "editMessageText":
            assert message.message_id is not None
            await self._requests[0].call(
                f"{self._api}/editMessageText",
                {
                    "chat_id": int(message.chat_id),
                    "message_id": int(message.message_id),
                    "text": message.text,
                    "reply_markup": message.reply_markup,
                },
            )
            return message.message_id
        bot = self.ptb.bot
        markup = _markup(message.reply_markup)
        if message.method == "sendPhoto":
            assert message.file_path is not None
            sent = await bot.send_photo(
                int(message.chat_id),
                Path(message.file_path),
                caption=message.text or None,
                reply_markup=markup,
            )
        else:
            assert message.file_path is not None
            sent = await bot.send_document(
                int(message.chat_id),
                Path(message.file_path),
                caption=message.text or None,
                reply_markup=markup,
            )
        return str(sent.message_id)  # where the message is: a card is edited there later

    async def _answer_callback(self, callback_query_id: str) -> None:
        await self._requests[0].call(
            f"{self._api}/answerCallbackQuery", {"callback_query_id": callback_query_id}
        )

    async def _set_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: str | None = None
    ) -> None:
        await self.ptb.bot.set_my_commands(
            [BotCommand(name, description) for name, description in commands],
            scope=BotCommandScopeChat(int(chat_id)) if chat_id is not None else None,
            language_code=language_code,
        )

    def _classify(self, error: Exception) -> SendError | None:
        if isinstance(error, RetryAfter):
            with warnings.catch_warnings():  # v22 warns that the int becomes a timedelta: we take both
                warnings.simplefilter("ignore", PTBDeprecationWarning)
                wait = error.retry_after
            seconds = wait if isinstance(wait, int | float) else wait.total_seconds()
            return RetryLater(str(error), retry_after=float(seconds))
        if isinstance(error, Forbidden):
            return Unreachable(error.message)
        if isinstance(error, BadRequest):  # a NetworkError subclass: check it first
            if is_unreachable_description(error.message):
                return Unreachable(error.message)
            return Rejected(error.message)
        if isinstance(error, NetworkError):  # server errors, timeouts, lost connections
            return RetryLater(error.message)
        if isinstance(error, TelegramError):
            return Rejected(error.message)
        if isinstance(error, OSError | asyncio.TimeoutError):
            return RetryLater(str(error) or type(error).__name__)
        return None


class _InboxQueue(asyncio.Queue[object]):
    """PTB's update queue; `put()` hands each update to `accept` (stored before the next getUpdates)."""

    def __init__(self, persist: Callable[[Update], Awaitable[None]]) -> None:
        super().__init__()
        self._persist = persist

    async def put(self, item: object) -> None:
        if isinstance(item, Update):
            await self._persist(item)
        await super().put(item)


class _ScreeningRequest(JsonRequest):
    """getUpdates through a screen: updates PTB cannot parse are skipped (bot/telegram/poison.py). Before each
    getUpdates (which acknowledges the previous batch) the batch is written to the inbox."""

    def __init__(
        self,
        before_get_updates: Callable[[], Awaitable[None]],
        screen_fetched: Callable[[list[Any]], list[Any]],
        read_timeout: float,
    ) -> None:
        super().__init__(connection_pool_size=1, read_timeout=read_timeout)
        self.poison = PoisonScreen("python-telegram-bot", _parse_update)
        self.before_get_updates = before_get_updates
        self.screen_fetched = screen_fetched  # known updates past PTB (bot/telegram/flood_gate.py)

    async def do_request(self, url: str, method: str, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        if url.endswith("/getUpdates"):
            try:
                await self.before_get_updates()
            except Exception as error:  # not acknowledged: PTB retries the call (and the write) later
                raise NetworkError(f"could not write the fetched updates to the inbox: {error}") from error
        status, payload = await super().do_request(url, method, *args, **kwargs)
        if not url.endswith("/getUpdates") or status != HTTPStatus.OK:
            return status, payload
        data: Any = None
        try:
            data = json.loads(payload)
            if isinstance(data, dict) and isinstance(data.get("result"), list):
                kept = self.screen_fetched(data["result"])
                if kept is not data["result"]:
                    data["result"] = kept
                    payload = json.dumps(data).encode()
            Update.de_list(copy.deepcopy(data["result"]))
        except Exception:
            if not isinstance(data, dict) or not isinstance(data.get("result"), list):
                return status, payload  # not ours to repair: PTB reports it as usual
            data["result"] = self.poison.screen(data["result"])
            payload = json.dumps(data).encode()
        return status, payload


def _parse_update(update: dict[str, Any]) -> object:
    return Update.de_json(copy.deepcopy(update))


def _user(user: User) -> TelegramUser:
    return TelegramUser(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


def _markup(data: dict[str, Any] | None) -> Markup | None:
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup(
            [
                [
                    InlineKeyboardButton(button["text"], callback_data=button["callback_data"])
                    for button in row
                ]
                for row in data["inline_keyboard"]
            ]
        )
    if "keyboard" in data:
        return ReplyKeyboardMarkup(
            [
                [
                    KeyboardButton(button["text"], request_contact=button.get("request_contact"))
                    for button in row
                ]
                for row in data["keyboard"]
            ],
            resize_keyboard=data.get("resize_keyboard"),
            one_time_keyboard=data.get("one_time_keyboard"),
        )
    return ReplyKeyboardRemove()
