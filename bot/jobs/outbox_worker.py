"""The outbox worker: delivers what the system sends on its own through each channel's Sender.

It claims rows (see `nocert_core.services.messaging.outbox`), renders each in the recipient's language, paces
sending (about 30 messages/s overall, 1 message/s per chat), and records the outcome:
sent; retry later with exponential backoff (network errors, 5xx) or after Telegram's `retry_after`
(429, which also pauses ALL sending for that long); or undeliverable (403 / "chat not found" marks
the recipient unreachable).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import OrderedDict
from collections.abc import Awaitable, Callable
from datetime import timedelta
from typing import Protocol

from aiolimiter import AsyncLimiter

from handlers.renderers import render
from handlers.types import Reply
from nocert_core.bootstrap import Application
from nocert_core.clock import Clock
from nocert_core.domain.payload import MalformedPayload
from nocert_core.i18n import translator
from nocert_core.services.complaints import cards
from nocert_core.services.messaging import outbox, outbox_lease

log = logging.getLogger(__name__)
QUIET_FAILED_ROUNDS = 3  # a round failing this many times in a row is logged with its traceback


class SendError(Exception):
    """A Sender could not deliver a message."""


class RetryLater(SendError):
    """A temporary failure. `retry_after` (seconds) is Telegram's 429 instruction: pause everything."""

    def __init__(self, message: str = "", retry_after: float | None = None) -> None:
        super().__init__(
            message or (f"retry after {retry_after}s" if retry_after is not None else "temporary failure")
        )
        self.retry_after = retry_after


class Unreachable(SendError):
    """The recipient cannot be reached at all (blocked the bot, chat not found)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Rejected(SendError):
    """The channel refused this one message for good (e.g. a malformed request); the chat is fine."""


class Sender(Protocol):
    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """Deliver; the id of the last message sent when the channel has one (a card is edited there)."""
        ...


PartSent = Callable[[int], Awaitable[None]]


class PartSender(Protocol):
    """A Sender whose message may take several calls (text, then a file): it skips the parts already
    delivered and reports each part as it goes out, so a retry repeats only the part that failed."""

    async def send_parts(self, chat_id: str, reply: Reply, skip: int, on_part: PartSent) -> str | None: ...


class RateLimiter:
    """Paces sends with aiolimiter's leaky buckets: one for the whole bot (`per_second`, no bursts), one
    per chat (one message per `chat_interval`; only the chats sent to lately are remembered), and a
    global pause after a 429."""

    MAX_CHATS = 10_000

    def __init__(
        self, per_second: float, chat_interval: float, monotonic: Callable[[], float] | None = None
    ) -> None:
        self.overall = AsyncLimiter(1, 1.0 / per_second) if per_second > 0 else None
        self.chat_interval = chat_interval
        self._chats: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self._monotonic = monotonic
        self._paused_until = 0.0

    def _now(self) -> float:
        return self._monotonic() if self._monotonic else asyncio.get_running_loop().time()

    def pause(self, seconds: float) -> None:
        self._paused_until = max(self._paused_until, self._now() + seconds)

    def _chat(self, chat_key: str) -> AsyncLimiter:
        limiter = self._chats.get(chat_key)
        if limiter is None:
            limiter = self._chats[chat_key] = AsyncLimiter(1, self.chat_interval)
            while len(self._chats) > self.MAX_CHATS:  # long idle: its interval has passed anyway
                self._chats.popitem(last=False)
        else:
            self._chats.move_to_end(chat_key)
        return limiter

    async def acquire(self, chat_key: str) -> None:
        if self.chat_interval > 0:
            await self._chat(chat_key).acquire()
        if self.overall is not None:
            await self.overall.acquire()
        # a 429 (now or while we waited) pauses every send
        while (pause := self._paused_until - self._now()) > 0:
            await asyncio.sleep(pause)


class OutboxWorker:
    def __init__(
        self,
        app: Application,
        senders: dict[str, Sender],
        *,
        clock: Clock | None = None,
        batch_size: int = 30,
        poll_interval: float = 1.0,
        backoff_base: float = outbox.BACKOFF_BASE_SECONDS,
        rate_per_second: float | None = None,
        chat_interval: float | None = None,
    ) -> None:
        settings = app.settings
        self.app = app
        self.senders = senders
        self.clock = clock or app.clock
        self.batch_size = batch_size
        self.poll_interval = poll_interval
        self.backoff_base = backoff_base
        self.limiter = RateLimiter(
            rate_per_second if rate_per_second is not None else settings.outbox_rate_per_second,
            chat_interval if chat_interval is not None else settings.outbox_chat_interval_seconds,
        )
        self._wake = asyncio.Event()
        self._stop = asyncio.Event()  # run_forever's: set, claimed rows not yet sent are given back

    def wake(self) -> None:
        """Something was enqueued: do not wait for the next poll."""
        self._wake.set()

    async def run_once(self) -> int:
        """Deliver one batch of due rows; returns how many were attempted.

        Each row is leased only once its chat's send slot is free (`_claim_and_deliver`), so the lease
        (short: `outbox_lease_seconds`) covers one send, not the wait in the rate limiter; a crash leaves
        a row blocked for at most that long."""
        due = await outbox_lease.due_batch(
            self.app.uow, self.clock.now(), list(self.senders), limit=self.batch_size
        )
        if not due:
            return 0
        done = await asyncio.gather(*(self._claim_and_deliver(row) for row in due))
        return sum(done)

    async def _claim_and_deliver(self, due: outbox_lease.Due) -> int:
        account = due.account
        chat_key = f"{account.channel}:{account.chat_id}" if account is not None else due.recipient_ref
        if not await self._wait_for_slot(chat_key):
            return 0
        claim = await outbox_lease.claim_due(
            self.app.uow, due, self.clock.now(), self.app.settings.outbox_lease_seconds
        )
        if claim is None:  # another worker (or the replying process) took it meanwhile
            return 0
        await self._deliver(claim, slot_taken=True)
        return 1

    async def release_dead_leases(self) -> int:
        """Rows leased by a process of this host that is gone (killed while sending, or after writing
        replies it never sent) are due now, not when their lease runs out; a failure only means waiting."""
        try:
            released = await outbox_lease.release_dead_leases(self.app.uow, self.clock.now())
        except Exception as error:  # the leases run out anyway
            log.warning("releasing a dead process's outbox leases failed (%s)", type(error).__name__)
            return 0
        if released:
            log.info("%d outbox row(s) leased by a process that is gone are due now", released)
        return released

    async def run_until_idle(self, max_rounds: int = 1000) -> int:
        """Deliver until nothing is due now (tests, `nocert outbox deliver`)."""
        total = 0
        for _ in range(max_rounds):
            done = await self.run_once()
            total += done
            if not done:
                break
        return total

    async def run_forever(self, stop: asyncio.Event) -> None:
        """Deliver until `stop` is set; the round in hand finishes (sends in flight are recorded,
        rows still waiting for a send slot are given back), so stopping loses and repeats nothing."""
        self._stop = stop
        await self.release_dead_leases()
        failed_rounds = 0
        while not stop.is_set():
            try:
                done = await self.run_once()
                failed_rounds = 0
            except Exception as error:  # the loop must survive a database hiccup; the rows stay pending
                failed_rounds += 1
                if failed_rounds < QUIET_FAILED_ROUNDS:  # SQLite "database is locked" under load, a dropped
                    log.warning(  # connection: the next round usually goes through
                        "outbox delivery round failed (%s); the rows stay pending", type(error).__name__
                    )
                else:
                    log.exception("outbox delivery round failed %d times in a row", failed_rounds)
                done = 0
            if done:
                continue
            self._wake.clear()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(_first(stop, self._wake), timeout=self.poll_interval)

    async def _deliver(self, claim: outbox.Claimed, slot_taken: bool = False) -> None:
        uow_factory, settings = self.app.uow, self.app.settings
        account = claim.account
        if account is None:
            await outbox.mark_undeliverable(uow_factory, claim, "no such account")
            return
        if not account.reachable:
            await outbox.mark_undeliverable(
                uow_factory, claim, f"recipient unreachable: {account.unreachable_reason or ''}"
            )
            return
        sender = self.senders.get(account.channel)
        if sender is None:  # claimed by the ref's channel prefix, but the account says otherwise
            await outbox.mark_undeliverable(uow_factory, claim, f"no sender for channel {account.channel}")
            return
        if await cards.is_stale(uow_factory, claim.kind, claim.payload):  # the complaint moved on meanwhile
            await outbox.mark_superseded(uow_factory, claim)
            return
        try:
            reply = render(claim.kind, claim.payload, translator(account.locale))
        except MalformedPayload as error:  # e.g. a row of a kind this version no longer knows: dead-lettered
            log.error(
                "outbox row %s (%s) is undeliverable: malformed payload: %s", claim.id, claim.kind, error
            )
            await outbox.mark_undeliverable(uow_factory, claim, f"malformed payload: {error}")
            return
        except Exception as error:  # a renderer's bug: keep the row for a look, do not loop
            log.exception("cannot render outbox row %s (%s)", claim.id, claim.kind)
            await outbox.mark_undeliverable(uow_factory, claim, f"render failed: {error!r}")
            return
        if not slot_taken and not await self._wait_for_slot(f"{account.channel}:{account.chat_id}"):
            await outbox.release(uow_factory, claim, self.clock.now())
            return
        try:
            message_id = await send_claimed(uow_factory, sender, claim, account.chat_id, reply)
        except RetryLater as error:
            if error.retry_after is not None:
                self.limiter.pause(error.retry_after)
                delay = error.retry_after
            else:
                delay = outbox.backoff_seconds(claim.attempts, self.backoff_base)
            log.info("outbox row %s: %s; retrying in %.1fs", claim.id, error, delay)
            await outbox.mark_retry(
                uow_factory,
                claim,
                self.clock.now() + timedelta(seconds=delay),
                str(error),
                settings.outbox_max_attempts,
            )
        except Unreachable as error:
            log.warning("recipient of outbox row %s is unreachable: %s", claim.id, error.reason)
            await outbox.mark_unreachable(uow_factory, claim, error.reason)
        except Rejected as error:
            log.error("outbox row %s refused by the channel: %s", claim.id, error)
            await outbox.mark_undeliverable(uow_factory, claim, str(error))
        except Exception as error:  # an unexpected sender failure is treated as temporary
            log.exception("outbox row %s: sender failed", claim.id)
            delay = outbox.backoff_seconds(claim.attempts, self.backoff_base)
            await outbox.mark_retry(
                uow_factory,
                claim,
                self.clock.now() + timedelta(seconds=delay),
                repr(error),
                settings.outbox_max_attempts,
            )
        else:
            await outbox.mark_sent(uow_factory, claim, self.clock.now())
            await cards.remember(
                uow_factory,
                claim.kind,
                claim.payload,
                claim.recipient_ref,
                account.chat_id,
                message_id,
                self.clock.now(),
            )

    async def _wait_for_slot(self, chat_key: str) -> bool:
        """Wait for the rate limiter; False when the worker is told to stop meanwhile."""
        if self._stop.is_set():
            return False
        turn = asyncio.ensure_future(self.limiter.acquire(chat_key))
        stopping = asyncio.ensure_future(self._stop.wait())
        try:
            await asyncio.wait([turn, stopping], return_when=asyncio.FIRST_COMPLETED)
        finally:
            for waiter in (turn, stopping):
                waiter.cancel()
        return turn.done() and not turn.cancelled() and not self._stop.is_set()


async def send_claimed(
    uow_factory: outbox.UnitOfWorkFactory, sender: Sender, claim: outbox.Claimed, chat_id: str, reply: Reply
) -> str | None:
    """Send a claimed row; a multi-part message resumes after the parts already delivered. Returns the id
    of the last message sent, when the channel reports one."""
    send_parts = getattr(sender, "send_parts", None)
    if send_parts is None:
        sent = await sender.send(chat_id, reply)
        return sent if isinstance(sent, str) else None

    async def part_sent(count: int) -> None:
        await outbox_lease.record_parts_sent(uow_factory, claim, count)

    sent = await send_parts(chat_id, reply, claim.parts_sent, part_sent)
    return sent if isinstance(sent, str) else None


async def _first(*events: asyncio.Event) -> None:
    waiters = [asyncio.ensure_future(event.wait()) for event in events]
    try:
        await asyncio.wait(waiters, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for waiter in waiters:
            waiter.cancel()
