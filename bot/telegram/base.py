"""The part of a Telegram runtime that does not depend on the framework.

A runtime (aiogram or python-telegram-bot) only fetches updates, turns them into `Incoming` with the
rules in `bot.telegram.common`, and performs Bot API calls. Everything else lives here, once:

- every update is written to the inbox (`chat_inbox`) before the framework may acknowledge it to Telegram,
  and processed from there; what a crash left unprocessed is processed at the next start (`recover`).
  While polling, a getUpdates batch is written in ONE transaction, just before the next getUpdates (the
  call that acknowledges it): a user whose update arrives behind another user's flood of 500 waits for a
  few inserts, not for 500 commits;
- replies are written as outbox rows in the update's transaction and sent right after its commit, by the
  same task; a reply that cannot be sent now stays in the outbox for the worker (no reply is lost);
- each user's updates go into that user's own queue and are handled one at a time, in arrival order,
  while different users are served in parallel; the polling loop never waits for a conversation
  (`bot.telegram.user_queues`);
- a pressed button is answered (`answerCallbackQuery`) while its update is handled, before its replies;
- sending, with its retries, is `bot.telegram.sending`; which updates were handled lately (for tests and
  benches) is `bot.telegram.update_progress`;
- commands are registered with setMyCommands for the default scope, "zh" and "en", and each staff
  member's chat (`bot.telegram.command_menus`);
- `stop()` stops fetching, finishes every queued update, and only then closes the HTTP session.
"""

from __future__ import annotations

import asyncio
import logging
import time
from abc import abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from types import TracebackType
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

from bot.telegram.command_menus import CommandMenus
from bot.telegram.common import CHANNEL, KeyboardMemory
from bot.telegram.flood_gate import Staged, split_known
from bot.telegram.grouped_writes import GroupedWrites
from bot.telegram.sending import RetryPolicy, TelegramSending
from bot.telegram.update_progress import UpdateProgress
from bot.telegram.user_queues import UserQueues, connection_shares
from handlers.types import (
    Incoming,
    InputKind,
    Reply,
    incoming_from_payload,
    incoming_to_payload,
)
from nocert_core.bootstrap import Application
from nocert_core.i18n import normalise_locale
from nocert_core.services.messaging import inbox_writes, outbox

if TYPE_CHECKING:
    from bot.http.metrics import Metrics
    from bot.telegram.turns import Turns

__all__ = [  # what the runtimes, the CLI and the tests import from here
    "ALLOWED_UPDATES",
    "FRAMEWORKS",
    "ConversationDispatcher",
    "RetryPolicy",
    "TelegramRuntime",
    "UserQueues",
    "Webhook",
]

log = logging.getLogger(__name__)


PROCESS_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)  # storage failures while handling an update (see _process)
USERS_PER_CONNECTION = 4  # users served at once per pooled connection, with group commit (__init__)


class TelegramRuntime(CommandMenus, TelegramSending):
    """Carries the transport-neutral conversations (`handlers.Dispatcher`) over one Telegram framework."""

    framework: ClassVar[str]

    def __init__(
        self,
        app: Application,
        dispatcher: ConversationDispatcher,
        *,
        token: str,
        api_url: str = "https://api.telegram.org",
        polling_timeout: int = 30,
        retry: RetryPolicy | None = None,
    ) -> None:
        self.app = app
        self.dispatcher = dispatcher
        self.token = token
        self.api_url = api_url.rstrip("/")
        self.polling_timeout = polling_timeout
        self.retry = retry or RetryPolicy()
        handled_at_once, inbox_writers = connection_shares(app.settings.db_pool_size)
        # Users served at once. Each update in progress holds a connection, unless the dispatcher shares
        # transactions between updates (group commit, handlers/dispatch/update_batch.py): then a few
        # transactions are in flight whatever the number of users, and the more users wait at once the more of
        # their updates one transaction carries.
        grouped = getattr(dispatcher, "group", None) is not None
        self.queues = UserQueues(handled_at_once * (USERS_PER_CONNECTION if grouped else 1))
        # Webhook updates reach the inbox in shared writes, at most the webhook's share of the pool at once.
        self._webhook_writes = GroupedWrites(self._ingest, inbox_writers)
        self.keyboards = KeyboardMemory()
        self.username: str | None = None
        self._running = False
        self.progress = UpdateProgress()  # update ids lately handled (see wait_processed)
        self.outbox_wake: Callable[[], None] | None = None  # the outbox worker's wake(), when one runs
        self.webhook: Webhook | None = None  # set before start(): updates come by webhook, not polling
        self.metrics: Metrics | None = None
        self._staged: list[Staged] | None = None  # polling: fetched, not yet in the inbox (see accept)
        self._ingesting = asyncio.Lock()
        self.turns: Turns | None = None  # several instances (bot/telegram/turns.py); None: one process

    # ---- lifecycle -------------------------------------------------------------------------------
    async def start(self) -> None:
        """Check the token, register the commands, start long polling (returns once polling runs)."""
        try:
            self.username = await self._connect()
            await self.register_commands()
            await self.recover()
            if self.webhook is not None:
                await self._start_webhook(self.webhook)
            else:
                self._staged = []  # a batch goes to the inbox before the getUpdates acknowledging it
                await self._start_polling()
        except BaseException:
            self._staged = None
            await self._stop_polling()
            await self._close()
            raise
        self._running = True
        if self.turns is not None:
            self.turns.start()
        log.info(
            "telegram runtime %s %s as @%s",
            self.framework,
            "receiving webhooks" if self.webhook else "polling",
            self.username,
        )

    async def prepare(self) -> None:
        """Before updates may arrive (webhook mode): aiogram builds its Bot API models here."""

    async def open_for_sending(self) -> None:
        """Connect (getMe checks the token) without polling: a runtime used only as the outbox's sender
        (`nocert outbox deliver`). `close()` ends it."""
        try:
            self.username = await self._connect()
        except BaseException:
            await self._close()
            raise

    async def close(self) -> None:
        """Close a runtime opened with `open_for_sending` (a started one is ended with `stop`)."""
        await self._close()

    async def stop(self) -> None:
        """Stop fetching, finish what was fetched, close. Safe to call twice."""
        if not self._running:
            return
        self._running = False
        try:
            if self.turns is not None:
                await self.turns.stop()
            await self._stop_polling()
            await self.before_get_updates()  # what was fetched but not acknowledged is still answered
            self._staged = None
            await self.queues.drain()
        finally:
            await self._close()
        log.info("telegram runtime %s stopped", self.framework)

    async def __aenter__(self) -> TelegramRuntime:
        await self.start()
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.stop()

    # ---- incoming --------------------------------------------------------------------------------
    async def accept(self, incoming: Incoming, callback_query_id: str | None = None) -> None:
        """Take an update for its user; it is in the inbox before Telegram can consider it delivered.

        While polling, the framework acknowledges a batch only with its next getUpdates, so updates are
        staged here and the whole batch is written in one transaction by `before_get_updates`, which the
        framework's HTTP session awaits before that call goes out. Otherwise (webhooks, a runtime not
        polling) the update is written before this returns, together with those arriving meanwhile
        (bot/telegram/grouped_writes.py)."""
        if self._staged is not None:
            self._staged.append((incoming, callback_query_id))
            return
        await self._webhook_writes.add((incoming, callback_query_id))

    def screen_fetched(self, updates: list[Any], *, stand_in: bool = True) -> list[Any]:
        """A raw getUpdates batch, before the library parses it: every update of a shape nocert fully knows
        (a text, a contact, a button with data) is staged here directly, past the library
        (`split_known` in bot/telegram/flood_gate.py); the rest is returned for the library."""
        if self._staged is None or not updates:
            return updates
        split = split_known(updates, stand_in=stand_in)
        self._staged.extend(split.taken)
        return split.for_library

    async def before_get_updates(self) -> None:
        """Write the staged batch to the inbox (one transaction), then queue each update for its user. If
        the write fails the batch stays staged and the getUpdates call fails with it, so nothing unsaved is
        acknowledged; the framework retries the call and this write with it."""
        async with self._ingesting:
            staged = self._staged
            if not staged:
                return
            # In update-id order: updates taken past the library (screen_fetched) were staged before the
            # library handed over the batch's others, and each user's order must hold.
            batch = sorted(staged, key=_update_order)
            for delay in PROCESS_RETRY_DELAYS:  # a locked SQLite under load: wait a little, as handling does
                try:
                    await self._ingest(batch)
                    break
                except Exception as error:
                    log.warning(
                        "storing fetched updates failed (%s); again in %.1fs", type(error).__name__, delay
                    )
                    await asyncio.sleep(delay)
            else:
                await self._ingest(batch)  # the last try raises: the getUpdates call fails and is retried
            del staged[: len(batch)]

    async def _ingest(self, batch: list[Staged]) -> None:
        now = self.app.clock.now()
        rows = [
            (
                f"{incoming.channel}:{incoming.update_id}",
                incoming.user_ref,
                {"incoming": incoming_to_payload(incoming), "callback_query_id": callback_query_id},
            )
            for incoming, callback_query_id in batch
        ]
        ids = await inbox_writes.receive_batch(self.app.uow, rows, now)
        for inbox_id, (incoming, callback_query_id) in zip(ids, batch, strict=True):
            self.queues.submit(
                incoming.user_ref,
                lambda inbox_id=inbox_id, incoming=incoming, query=callback_query_id: self._process(  # type: ignore[misc]
                    inbox_id, incoming, query
                ),
            )

    async def recover(self) -> int:
        """Queue what a crash left in the inbox unprocessed, oldest first (so each user's order holds)."""
        async with self.app.uow() as uow:
            rows = await uow.chat.unprocessed(f"{CHANNEL}:")
        for inbox_id, payload in rows:
            incoming = incoming_from_payload(payload["incoming"])
            self.queues.submit(
                incoming.user_ref,
                lambda inbox_id=inbox_id, incoming=incoming: self._process(inbox_id, incoming, None),  # type: ignore[misc]
            )
        if rows:
            log.info("recovered %d unprocessed update(s) from the inbox", len(rows))
        return len(rows)

    async def _process(self, inbox_id: int, incoming: Incoming, callback_query_id: str | None) -> None:
        if self.turns is not None:  # several instances: the user's rows in order, under their lock
            await self.turns.take(incoming.user_ref, inbox_id, incoming)
            return
        await self.handle_row(inbox_id, incoming, callback_query_id)

    async def finished(self, update_id: str) -> None:
        self.progress.finished(update_id)  # never waits: see bot/telegram/update_progress.py

    async def handle_row(self, inbox_id: int, incoming: Incoming, callback_query_id: str | None) -> None:
        """Answer one inbox row: its callback query, the dialog step, the replies."""
        started = time.perf_counter()
        failed = True
        # A pressed button is answered while its update is handled (the answer is a round trip to
        # Telegram that the transaction need not wait for), and before its replies go out.
        answering = None
        if callback_query_id is not None:
            answering = asyncio.ensure_future(self._answer_quietly(callback_query_id))
        try:
            try:
                claims = await self._process_with_retries(inbox_id, incoming)
            finally:
                if answering is not None:
                    await answering
            await self._deliver_claims(
                incoming.chat_id, claims, normalise_locale(incoming.language), incoming.message_id
            )
            if incoming.kind == InputKind.COMMAND and (
                (incoming.command == "start" and incoming.args) or incoming.command == "lang"
            ):
                await self._refresh_chat_menu(incoming)
            failed = False
        finally:
            if self.metrics is not None:
                self.metrics.updates.labels("webhook" if self.webhook else "polling").inc()
                self.metrics.latency.observe(time.perf_counter() - started)
                if failed:
                    self.metrics.dialog_errors.inc()
            await self.finished(incoming.update_id or "")

    async def _answer_quietly(self, callback_query_id: str) -> None:
        try:
            await self._answer_callback(callback_query_id)
        except Exception as error:  # e.g. a query too old after a restart: the reply still counts
            log.warning("could not answer callback query: %s", error)

    async def _process_with_retries(self, inbox_id: int, incoming: Incoming) -> list[outbox.Claimed]:
        """The dispatcher answers every handler error itself; what escapes is the storage failing (SQLite
        "database is locked" under load, a dropped PostgreSQL or Redis connection). Handling an update is
        safe to repeat (that is how a restart recovers it), so it is tried again here, in the user's
        order, instead of leaving the update unanswered until the next restart."""
        lease = float(self.app.settings.outbox_lease_seconds)
        for attempt, delay in enumerate(PROCESS_RETRY_DELAYS, start=1):
            try:
                return await self.dispatcher.process(inbox_id, incoming, lease)
            except Exception as error:
                log.warning(
                    "handling update %s failed (%s); attempt %d, again in %.1fs",
                    incoming.update_id,
                    type(error).__name__,
                    attempt,
                    delay,
                )
                await asyncio.sleep(delay)
        return await self.dispatcher.process(inbox_id, incoming, lease)  # the last try raises

    async def wait_processed(self, update_id: int | str, times: int = 1, timeout: float = 10.0) -> None:
        """Until the update with this id has been handled (`times` times: a redelivery counts again) and
        its replies sent. For tests and health checks; remembers the last 1024 updates."""
        await self.progress.wait(update_id, times, timeout)

    # ---- what each framework provides --------------------------------------------------------------
    @abstractmethod
    async def _start_webhook(self, webhook: Webhook) -> None:
        """setWebhook (with the secret, keeping pending updates); `feed` then receives the updates."""

    @abstractmethod
    async def feed(self, update: dict[str, Any]) -> None:
        """A webhook update (JSON): returns once it is in the inbox (`accept`), before the HTTP 200."""

    @abstractmethod
    async def _connect(self) -> str:
        """Check the token (getMe); return the bot's username."""

    @abstractmethod
    async def _start_polling(self) -> None: ...

    @abstractmethod
    async def _stop_polling(self) -> None:
        """Stop fetching updates; every update already fetched must have been passed to `accept`."""

    @abstractmethod
    async def _close(self) -> None: ...

    @abstractmethod
    async def _answer_callback(self, callback_query_id: str) -> None: ...


@dataclass(frozen=True)
class Webhook:
    url: str  # what Telegram posts to (the public HTTPS address, path included)
    secret: str  # sent back by Telegram in X-Telegram-Bot-Api-Secret-Token


ALLOWED_UPDATES = ["message", "callback_query"]


def _update_order(staged: Staged) -> int:
    update_id = staged[0].update_id
    return int(update_id) if update_id and update_id.isdigit() else 0


class ConversationDispatcher(Protocol):
    """What a runtime needs from `handlers.dispatch.dispatcher.Dispatcher`."""

    async def handle(self, incoming: Incoming) -> list[Reply]: ...

    async def process(
        self, inbox_id: int, incoming: Incoming, lease_seconds: float
    ) -> list[outbox.Claimed]: ...


FRAMEWORKS = ("aiogram", "ptb")
