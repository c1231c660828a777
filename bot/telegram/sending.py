"""Sending for a Telegram runtime: replies just committed (`_deliver_claims`), the outbox worker's Sender
(`send`, `send_parts`) and direct answers (`deliver`), all over one framework call (`_call`).

- replies to a user are sent right after their update's commit, in order, each marked sent before the next
  goes out (a crash repeats at most the one in flight; the marks of replies of users served at the same
  time share a statement: `nocert_core.services.messaging.sent_marks`); one that cannot be sent now stays in
  the outbox for the worker;
- they are sent with retries for rate limits (429, honouring `retry_after`), server errors and lost
  connections; `send()` tries once and raises the worker's own errors (RetryLater / Unreachable /
  Rejected), because the worker paces and retries itself;
- a reply that replaces the pressed card edits it in place, or is sent anew when the card cannot be edited.
"""

from __future__ import annotations

import asyncio
import logging
from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, replace
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from bot.jobs.outbox_worker import PartSent, Rejected, RetryLater, SendError, Unreachable
from bot.telegram.common import KeyboardMemory, OutgoingMessage
from handlers.types import Reply, reply_from_payload
from nocert_core.i18n import Translator, translator
from nocert_core.services.messaging import outbox, outbox_lease
from nocert_core.services.messaging.sent_marks import SentMarks

if TYPE_CHECKING:
    from bot.http.metrics import Metrics
    from nocert_core.bootstrap import Application

log = logging.getLogger(__name__)

RECORD_RETRY_DELAYS = (0.5, 1.0, 2.0, 4.0)  # storage failures while recording a delivery


@dataclass(frozen=True)
class RetryPolicy:
    attempts: int = 4
    backoff: tuple[float, ...] = (0.5, 1.0, 2.0)  # after server errors and lost connections
    max_wait: float = 30.0  # a longer retry_after is left to the caller (the outbox retries later)


class TelegramSending(ABC):
    """The sending half of `TelegramRuntime` (which sets these attributes)."""

    app: Application
    retry: RetryPolicy
    keyboards: KeyboardMemory
    metrics: Metrics | None
    outbox_wake: Callable[[], None] | None

    async def _deliver_claims(
        self, chat_id: str, claims: list[outbox.Claimed], locale: str, card_id: str | None = None
    ) -> None:
        """Send the replies just committed, in order, each marked sent at once (a crash repeats at most the
        one in flight). What cannot be sent now is left to the outbox worker, keeping the order."""
        uow_factory = self.app.uow
        for index, claim in enumerate(claims):
            labels = translator(claim.account.locale if claim.account is not None else locale)

            async def part_sent(count: int, claim: outbox.Claimed = claim) -> None:
                await _recorded(outbox_lease.record_parts_sent, uow_factory, claim, count)

            try:
                await self._send_parts(
                    chat_id,
                    reply_from_payload(claim.payload),
                    claim.parts_sent,
                    part_sent,
                    labels,
                    attempts=self.retry.attempts,
                    card_id=card_id,
                )
            except Unreachable as error:
                await _recorded(outbox.mark_unreachable, uow_factory, claim, error.reason)
                return
            except Rejected as error:
                log.error("a reply was refused by Telegram: %s", error)
                await _recorded(outbox.mark_undeliverable, uow_factory, claim, str(error))
                continue
            except Exception as error:  # temporary: the worker retries it soon, the rest after it
                log.warning("a reply could not be sent now (%s); the outbox will retry it", error)
                now = self.app.clock.now()
                await _recorded(
                    outbox.mark_retry,
                    uow_factory,
                    claim,
                    now + timedelta(seconds=2),
                    repr(error),
                    self.app.settings.outbox_max_attempts,
                )
                for rest in claims[index + 1 :]:
                    await _recorded(outbox.release, uow_factory, rest, now)
                if self.outbox_wake is not None:
                    self.outbox_wake()
                return
            await _recorded(self._sent_marks().mark, uow_factory, claim)

    def _sent_marks(self) -> SentMarks:
        """Marks of replies sent by the updates handled at once share statements
        (services/messaging/sent_marks.py)."""
        marks: SentMarks | None = self.__dict__.get("_marks")
        if marks is None:
            marks = self.__dict__["_marks"] = SentMarks(self.app.clock)
        return marks

    async def send(self, chat_id: str, reply: Reply) -> str | None:
        """The outbox worker's Sender: one attempt per Bot API call; failures raise the worker's errors.
        Returns the id of the last message sent (where a card's buttons are)."""
        t = translator(self.app.settings.locale)

        async def nothing(_: int) -> None:
            return None

        return await self._send_parts(chat_id, reply, 0, nothing, t, attempts=1)

    async def send_parts(self, chat_id: str, reply: Reply, skip: int, on_part: PartSent) -> str | None:
        """The outbox worker's PartSender: resumes a multi-part message after the parts already sent."""
        return await self._send_parts(
            chat_id, reply, skip, on_part, translator(self.app.settings.locale), attempts=1
        )

    async def _send_parts(
        self,
        chat_id: str,
        reply: Reply,
        skip: int,
        on_part: PartSent,
        t: Translator,
        *,
        attempts: int,
        card_id: str | None = None,
    ) -> str | None:
        target = reply.target_message_id  # a notification that edits a card sent earlier
        messages = self.keyboards.plan(chat_id, reply, t, target or card_id)
        last: str | None = None
        for index, message in enumerate(messages):
            if index < skip:
                continue
            try:
                last = await self._send(message, attempts=attempts)
            except Exception as error:
                if message.method != "editMessageText":
                    raise
                if "not modified" in f"{error} {error.__cause__}".lower():
                    continue
                if target is not None:  # the card is gone or too old: its buttons still answer "out of date"
                    if isinstance(error, RetryLater):
                        raise
                    log.info("could not edit an earlier card (%s); left as it is", error)
                    return None
                log.info("could not edit the card (%s); sending the reply anew", error)
                for fresh in self.keyboards.plan(chat_id, replace(reply, edit=False), t):
                    last = await self._send(fresh, attempts=attempts)
            if index + 1 < len(messages):  # more to come: remember this part went out
                await on_part(index + 1)
        return last

    async def deliver(
        self, chat_id: str, reply: Reply, t: Translator | None = None, card_id: str | None = None
    ) -> None:
        """Answer a user now, retrying temporary failures a few times. A reply that replaces the pressed
        card (`reply.edit`) edits it in place; when the card cannot be edited (too old, deleted, unchanged)
        the reply is sent as a new message."""
        labels = t or translator(self.app.settings.locale)
        for message in self.keyboards.plan(chat_id, reply, labels, card_id):
            try:
                await self._send(message, attempts=self.retry.attempts)
            except Exception as error:
                if message.method != "editMessageText":
                    raise
                if "not modified" in str(error).lower() or "not modified" in str(error.__cause__).lower():
                    continue
                log.info("could not edit the card (%s); sending the reply anew", error)
                for fresh in self.keyboards.plan(chat_id, replace(reply, edit=False), labels):
                    await self._send(fresh, attempts=self.retry.attempts)

    async def _send(self, message: OutgoingMessage, *, attempts: int) -> str | None:
        policy = self.retry
        for attempt in range(1, attempts + 1):
            try:
                sent = await self._call(message)
                self._count_send("ok")
                return sent
            except Exception as error:
                failure = self._classify(error)
                self._count_send(type(failure).__name__ if failure is not None else "error")
                if failure is None:
                    raise
                if not isinstance(failure, RetryLater) or attempt == attempts:
                    raise failure from error
                if failure.retry_after is not None:
                    delay = failure.retry_after
                else:
                    delay = policy.backoff[min(attempt - 1, len(policy.backoff) - 1)]
                if delay > policy.max_wait:
                    raise failure from error
                log.info("%s failed (%s); retry %d in %.1fs", message.method, failure, attempt, delay)
                await asyncio.sleep(delay)
        return None

    def _count_send(self, result: str) -> None:
        if self.metrics is not None:
            self.metrics.sends.labels(result).inc()

    @abstractmethod
    async def _call(self, message: OutgoingMessage) -> str | None:
        """Perform one sendMessage / sendPhoto / sendDocument / editMessageText call; the message's id."""

    @abstractmethod
    def _classify(self, error: Exception) -> SendError | None:
        """The framework's error in the outbox worker's terms; None when it is not a delivery error."""


async def _recorded(write: Callable[..., Awaitable[object]], *args: Any) -> None:
    """Record what became of a reply (sent, a part sent, retry later …), retrying storage failures
    (SQLite "database is locked" under load). A send that cannot be recorded at all is left to its lease:
    the outbox worker sends it again — the one-message-per-chat window for doubles (docs/reliability.md)."""
    for delay in RECORD_RETRY_DELAYS:
        try:
            await write(*args)
            return
        except Exception as error:
            log.warning("recording a delivery failed (%s); again in %.1fs", type(error).__name__, delay)
            await asyncio.sleep(delay)
    try:
        await write(*args)
    except Exception as error:
        log.warning("could not record a delivery (%s); its lease will end it", type(error).__name__)
