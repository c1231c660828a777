"""The aiogram 3 runtime (the default): long polling, one catch-all Router, replies through the Bot.

aiogram only fetches updates here. An update of a shape nocert fully knows (a private text or contact, a
button with data) is staged from the raw getUpdates batch, past aiogram's models and dispatcher
(`TelegramRuntime.screen_fetched`, bot/telegram/flood_gate.py); for the others its single Router maps every
private Message and CallbackQuery to an `Incoming` and queues it for its user (`TelegramRuntime.accept`).
The conversations, per-user ordering, callback answers and retries are shared with the python-telegram-bot
runtime (`bot.telegram.base`).
Polling runs with `handle_as_tasks=False` because the handler only queues: updates are taken strictly in
Telegram's order and the user queues give the parallelism. The HTTP session writes the fetched batch to the
inbox (`TelegramRuntime.before_get_updates`) before each getUpdates, the call that acknowledges it.
"""

from __future__ import annotations

import asyncio
import logging
import warnings
from typing import Any

from aiogram import Bot
from aiogram import Dispatcher as AiogramDispatcher
from aiogram import Router as AiogramRouter
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ContentType
from aiogram.exceptions import (
    TelegramAPIError,
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramNetworkError,
    TelegramNotFound,
    TelegramRetryAfter,
    TelegramServerError,
)
from aiogram.methods import (
    AnswerCallbackQuery,
    EditMessageText,
    SendMessage,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeChat,
    CallbackQuery,
    FSInputFile,
    InlineKeyboardMarkup,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
    Update,
    User,
)
from aiogram.utils.backoff import BackoffConfig

from bot.jobs.outbox_worker import Rejected, RetryLater, SendError, Unreachable
from bot.telegram.aiogram_session import NocertAiohttpSession, ScreeningSession
from bot.telegram.base import ALLOWED_UPDATES, TelegramRuntime, Webhook
from bot.telegram.common import (
    MessageFacts,
    OutgoingMessage,
    TelegramUser,
    incoming_from_button,
    incoming_from_message,
    is_unreachable_description,
)

log = logging.getLogger(__name__)
# A skipped poison update reaches aiogram as a bare {"update_id": n} (bot/telegram/poison.py); aiogram warns
# about an update of no known type, which here is expected.
warnings.filterwarnings("ignore", "Detected unknown update type", RuntimeWarning)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove
# After a failed getUpdates (a dropped connection, a 5xx, the inbox write failing) aiogram waits before
# asking again: by default 1 s at first, during which no user is answered — the slowest replies of the
# 100 updates/s bench (docs/performance.md, session 7). A one-off failure now costs 0.1 s; a lasting one
# still backs off to 5 s between tries.
POLLING_BACKOFF = BackoffConfig(min_delay=0.1, max_delay=5.0, factor=2.0, jitter=0.05)


class AiogramRuntime(TelegramRuntime):
    framework = "aiogram"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        session = ScreeningSession(api=TelegramAPIServer.from_base(self.api_url))
        session.before_get_updates = self.before_get_updates  # the batch in the inbox, then acknowledge
        # updates of known shapes past aiogram (bot/telegram/flood_gate.py)
        session.screen_fetched = self._screen_fetched
        self.bot = Bot(self.token, session=session)
        # No FSM: the dialogs keep their own state (handlers/); its middleware only looked up an unused
        # context for every update.
        self.aiogram = AiogramDispatcher(disable_fsm=True)
        self.aiogram.include_router(self._router())
        self._polling: asyncio.Task[None] | None = None
        self._polling_started = asyncio.Event()
        self._last_update_id: int | None = None

    def _router(self) -> AiogramRouter:
        router = AiogramRouter(name="nocert")

        @router.message()
        async def on_message(message: Message, event_update: Update) -> None:
            self._seen(event_update)
            if message.from_user is None:
                return
            content_type = message.content_type
            facts = MessageFacts(
                update_id=event_update.update_id,
                user=_user(message.from_user),
                chat_id=message.chat.id,
                chat_type=str(getattr(message.chat.type, "value", message.chat.type)),
                content_type=str(getattr(content_type, "value", content_type)),
                text=message.text if content_type == ContentType.TEXT else None,
                contact_phone=message.contact.phone_number if message.contact else None,
            )
            incoming = incoming_from_message(facts)
            if incoming is not None:
                await self.accept(incoming)  # in the inbox before the next getUpdates acknowledges it

        @router.callback_query()
        async def on_button(query: CallbackQuery, event_update: Update) -> None:
            self._seen(event_update)
            if query.data is None:  # a game button: nothing of ours
                await query.answer()
                return
            chat_id = query.message.chat.id if query.message is not None else None
            await self.accept(
                incoming_from_button(
                    event_update.update_id,
                    _user(query.from_user),
                    chat_id,
                    query.data,
                    query.message.message_id if query.message is not None else None,
                ),
                query.id,
            )

        return router

    async def prepare(self) -> None:
        """Webhook mode, before the server listens: the models of every update and reply built off the
        event loop (bot/telegram/aiogram_models.py), not in the middle of the first users' turns."""
        from bot.telegram.aiogram_models import build_used_models

        session = self.bot.session
        assert isinstance(session, NocertAiohttpSession)
        await asyncio.to_thread(build_used_models, session._response_models)

    def _seen(self, update: Update) -> None:
        self._last_update_id = max(update.update_id, self._last_update_id or 0)

    def _screen_fetched(self, updates: list[Any]) -> list[Any]:
        kept = self.screen_fetched(updates, stand_in=False)
        if kept is not updates:  # some were staged past aiogram, which moves its offset past its own only
            left = {id(update) for update in kept}
            last = max(update["update_id"] for update in updates if id(update) not in left)  # checked ints
            self._last_update_id = max(last, self._last_update_id or 0)  # acknowledged at stop
            session = self.bot.session
            assert isinstance(session, ScreeningSession)
            session.next_offset = max(last + 1, session.next_offset or 0)
        return kept

    # ---- lifecycle -------------------------------------------------------------------------------
    async def _connect(self) -> str:
        me = await self.bot.me()
        return me.username or str(me.id)

    async def _start_polling(self) -> None:
        # Back from webhooks: remove the webhook (keeping what Telegram queued), or getUpdates answers 409.
        # python-telegram-bot's start_polling does the same itself.
        await self.bot.delete_webhook(drop_pending_updates=False)
        self.aiogram.startup.register(self._on_polling_startup)
        self._polling = asyncio.create_task(
            self.aiogram.start_polling(
                self.bot,
                polling_timeout=self.polling_timeout,
                handle_as_tasks=False,  # the handler only queues; see the module docstring
                handle_signals=False,  # `nocert run` owns the signals
                close_bot_session=False,  # replies of queued updates still go out after polling stops
                backoff_config=POLLING_BACKOFF,
            ),
            name="aiogram-polling",
        )
        started = asyncio.create_task(self._polling_started.wait())
        await asyncio.wait({self._polling, started}, return_when=asyncio.FIRST_COMPLETED)
        if self._polling.done():
            started.cancel()
            polling, self._polling = self._polling, None
            polling.result()  # raise what stopped it
            raise RuntimeError("aiogram polling ended at start")

    async def _start_webhook(self, webhook: Webhook) -> None:
        await self.bot.set_webhook(
            webhook.url,
            secret_token=webhook.secret,
            drop_pending_updates=False,  # what users sent meanwhile is still delivered
            allowed_updates=ALLOWED_UPDATES,
        )

    async def feed(self, update: dict[str, Any]) -> None:
        # The router's handlers await `accept` (the inbox write), so this returns after it.
        await self.aiogram.feed_raw_update(self.bot, update)

    async def _on_polling_startup(self) -> None:
        self._polling_started.set()

    async def _stop_polling(self) -> None:
        if self._polling is None:
            return
        if not self._polling.done():
            await self.aiogram.stop_polling()
        try:
            await self._polling
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("aiogram polling failed")
        self._polling = None
        if self._last_update_id is not None and self.webhook is None:
            # aiogram acknowledges a batch only with its next getUpdates, which stopping cancelled. Confirm
            # what was queued now (as python-telegram-bot does), so a restart does not fetch it again.
            try:
                await self.bot.get_updates(offset=self._last_update_id + 1, timeout=0, limit=1)
            except TelegramAPIError as error:
                log.warning("could not acknowledge the last updates: %s", error)

    async def _close(self) -> None:
        await self.bot.session.close()

    # ---- Bot API calls ---------------------------------------------------------------------------
    async def _call(self, message: OutgoingMessage) -> str | None:
        chat_id = int(message.chat_id)
        session = self.bot.session
        assert isinstance(session, NocertAiohttpSession)
        if message.method == "sendMessage":  # plain JSON, no aiogram models (bot/telegram/aiogram_session.py)
            payload = {"chat_id": chat_id, "text": message.text, "reply_markup": message.reply_markup}
            sent = await session.call_json(
                self.bot,
                payload,
                lambda: SendMessage(
                    chat_id=chat_id, text=message.text, reply_markup=_markup(message.reply_markup)
                ),
                "sendMessage",
            )
            return str(sent["message_id"])  # where the message is: a card is edited there later
        if message.method == "editMessageText":
            assert message.message_id is not None
            assert message.reply_markup is None or "inline_keyboard" in message.reply_markup
            message_id = int(message.message_id)
            payload = {
                "chat_id": chat_id,
                "message_id": message_id,
                "text": message.text,
                "reply_markup": message.reply_markup,
            }
            await session.call_json(
                self.bot,
                payload,
                lambda: EditMessageText(
                    chat_id=chat_id,
                    message_id=message_id,
                    text=message.text,
                    reply_markup=_inline(_markup(message.reply_markup)),
                ),
                "editMessageText",
            )
            return message.message_id
        markup = _markup(message.reply_markup)
        if message.method == "sendPhoto":
            assert message.file_path is not None
            sent = await self.bot.send_photo(
                chat_id, FSInputFile(message.file_path), caption=message.text or None, reply_markup=markup
            )
        else:
            assert message.file_path is not None
            sent = await self.bot.send_document(
                chat_id, FSInputFile(message.file_path), caption=message.text or None, reply_markup=markup
            )
        return str(sent.message_id)  # where the message is: a card is edited there later

    async def _answer_callback(self, callback_query_id: str) -> None:
        session = self.bot.session
        assert isinstance(session, NocertAiohttpSession)
        await session.call_json(
            self.bot,
            {"callback_query_id": callback_query_id},
            lambda: AnswerCallbackQuery(callback_query_id=callback_query_id),
            "answerCallbackQuery",
        )

    async def _set_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: str | None = None
    ) -> None:
        await self.bot.set_my_commands(
            [BotCommand(command=name, description=description) for name, description in commands],
            scope=BotCommandScopeChat(chat_id=int(chat_id)) if chat_id is not None else None,
            language_code=language_code,
        )

    def _classify(self, error: Exception) -> SendError | None:
        if isinstance(error, TelegramRetryAfter):
            return RetryLater(error.message, retry_after=float(error.retry_after))
        if isinstance(error, TelegramAPIError) and "too many requests" in error.message.lower():
            return RetryLater(error.message)  # a 429 without retry_after (aiogram then raises a plain error)
        if isinstance(error, TelegramForbiddenError):
            return Unreachable(error.message)
        if isinstance(error, TelegramBadRequest | TelegramNotFound):
            if is_unreachable_description(error.message):
                return Unreachable(error.message)
            return Rejected(error.message)
        if isinstance(error, TelegramServerError | TelegramNetworkError):
            return RetryLater(error.message)
        if isinstance(error, TelegramAPIError):
            return Rejected(error.message)
        if isinstance(error, OSError | asyncio.TimeoutError):
            return RetryLater(str(error) or type(error).__name__)
        return None


def _user(user: User) -> TelegramUser:
    return TelegramUser(
        user_id=user.id,
        first_name=user.first_name,
        last_name=user.last_name,
        username=user.username,
        language_code=user.language_code,
    )


def _inline(markup: Markup | None) -> InlineKeyboardMarkup | None:
    assert markup is None or isinstance(markup, InlineKeyboardMarkup)  # an edited card's buttons
    return markup


def _markup(data: dict[str, Any] | None) -> Markup | None:
    if data is None:
        return None
    if "inline_keyboard" in data:
        return InlineKeyboardMarkup.model_validate(data)
    if "keyboard" in data:
        return ReplyKeyboardMarkup.model_validate(data)
    return ReplyKeyboardRemove(remove_keyboard=True)
