"""How an update's transaction ends, besides the dialog step (handlers/dispatch/dispatcher.py
`Dispatcher._run`): the console's "processed" mark of the update id, or Telegram's inbox mark plus the replies
as leased outbox rows; and `Spoiled`, why an update is handled again step by step."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol

from handlers.dialogs import chat_replies
from handlers.dispatch.routing import DialogState
from handlers.types import Reply, chat_reply_of
from nocert_core.adapters.sql.tables_chat import InboxAlreadyProcessed
from nocert_core.clock import Clock
from nocert_core.domain.accounts import Account
from nocert_core.services.messaging import outbox, outbox_lease
from nocert_core.services.platform.uow import AbstractUnitOfWork


@dataclass
class Outcome:
    """What handling one update produced, before it is committed."""

    account: Account
    replies: list[Reply]
    before: DialogState
    state: DialogState
    changed: bool


class Spoiled(Exception):
    """A use case failed in a way only rolling back the whole update undoes."""


class Closing(Protocol):
    """What an update's transaction ends with besides the dialog step."""

    async def done_already(self, uow: AbstractUnitOfWork) -> bool: ...

    async def write(self, uow: AbstractUnitOfWork, outcome: Outcome) -> None:
        """Raises InboxAlreadyProcessed when another transaction did this update meanwhile."""


class MarkProcessed:
    """The console and tests: the update id is remembered as processed."""

    def __init__(self, clock: Clock, update_key: str | None) -> None:
        self.clock, self.update_key = clock, update_key

    async def done_already(self, uow: AbstractUnitOfWork) -> bool:
        return bool(self.update_key) and bool(await uow.chat.was_processed(self.update_key or ""))

    async def write(self, uow: AbstractUnitOfWork, outcome: Outcome) -> None:
        if self.update_key:
            await uow.chat.mark_processed(self.update_key, self.clock.now())


class MarkInbox:
    """Telegram: the inbox row is marked processed and the replies are written as leased outbox rows."""

    def __init__(self, clock: Clock, inbox_id: int, update_key: str | None, lease_seconds: float) -> None:
        self.clock, self.inbox_id, self.lease_seconds = clock, inbox_id, lease_seconds
        self.update_key = update_key
        self.payloads: list[dict[str, Any]] = []
        self.written: list[int] = []

    async def done_already(self, uow: AbstractUnitOfWork) -> bool:
        return bool(await uow.chat.inbox_processed(self.inbox_id, claim=True))

    async def write(self, uow: AbstractUnitOfWork, outcome: Outcome) -> None:
        messages = self.messages(outcome)
        lease = self.lease_seconds
        both = await outbox_lease.mark_inbox_and_write_leased(uow, [self.inbox_id], messages, lease)
        if both is None:  # SQLite: a statement each
            await uow.chat.mark_inbox_processed(self.inbox_id, self.clock.now())
            self.written = await outbox_lease.write_leased(uow, messages, self.lease_seconds)
            return
        marked, written = both
        if self.inbox_id not in marked:
            raise InboxAlreadyProcessed(self.inbox_id)  # the replies written with it go with the rollback
        self.written = outbox_lease.ids_in_order(messages, written)

    def messages(self, outcome: Outcome) -> list[outbox.Outgoing]:
        """The replies as outbox messages, keyed by the update (a replay writes no second copy)."""
        messages = [
            outbox.Outgoing.of(
                outcome.account.ref,
                chat_replies.KIND,
                chat_reply_of(reply),
                f"reply:{self.update_key or self.inbox_id}:{n}",
            )
            for n, reply in enumerate(outcome.replies)
        ]
        self.payloads = [message.payload for message in messages]
        return messages

    def claims(self, outcome: Outcome) -> list[outbox.Claimed]:
        """The written replies, leased to the caller, in order (after the commit)."""
        return [
            outbox.Claimed(row_id, outcome.account.ref, chat_replies.KIND, payload, 1, outcome.account)
            for row_id, payload in zip(self.written, self.payloads, strict=False)
        ]
