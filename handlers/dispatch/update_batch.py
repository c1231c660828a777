"""Group commit: the updates of several users that wait at the same time are handled in ONE transaction.

One update's transaction (handlers/dispatch/dispatcher.py) costs about ten database round trips whatever the
dialog step does — BEGIN, the inbox look, the dialog state's load and save, the inbox mark, the reply rows,
COMMIT — and on this kind of machine a round trip costs more CPU than the step's own logic (issue 15,
docs/performance.md). Here the updates waiting while a transaction is in flight are taken together:

- one statement looks at (and on PostgreSQL locks) all of the batch's inbox rows and, when dialog states
  live in the database, reads their users' states with them; Redis states come in one MGET;
- each update's handler runs in turn in the shared transaction (the use cases join it, as they join an
  update's own: nocert_core/services/platform/joined_uow.py), so the batch is as if its updates had committed
  one after the other;
- the states are saved (Redis: one pipeline; each still only over the version it was loaded at), the
  inbox rows marked in one UPDATE, every reply written in one INSERT, and one COMMIT ends it;
- after the commit each update's own task delivers its replies, as before.

A batch holds updates of different users only: a user's next update waits (in its user's queue and under
the dispatcher's per-user lock) until the one before is answered, so each user's order holds.

When something in a batch fails, nothing of it is committed. The update that failed — a use case that
spoiled the transaction, a dialog state another process saved meanwhile (StaleDialogState), an inbox row
another process marked first — is handled again alone, the old way (`Dispatcher.process_alone`: its own
transaction, with its retries and fallbacks); the others go again into the next batch, without it. A
failure that belongs to no one update (the database itself) sends every update of the batch the old way.
A Redis state saved by a batch that then rolled back carries the step before its update (`_redo`), as
an update's own transaction does: handling it again starts from that step.

While nothing else waits an update takes the old path at once, so a quiet bot answers as before; the
number of transactions in flight is bounded (one on SQLite, whose writers queue anyway; two on
PostgreSQL, so the server works on one while Python runs the other; as many again for the updates of a
failed batch going alone), and updates arriving meanwhile wait for the next one. So the runtime may serve
many more users at once than it has connections (bot/telegram/base.py).
"""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from handlers.dialogs.dialog_store import DatabaseStateStorage
from handlers.dispatch.routing import DialogState
from handlers.dispatch.update_closing import MarkInbox, Outcome
from handlers.types import Incoming
from nocert_core.adapters.sql import inbox_batch
from nocert_core.adapters.sql.tables_chat import StaleDialogState
from nocert_core.adapters.text import load_segmenter_off_loop
from nocert_core.services.messaging import outbox, outbox_lease
from nocert_core.services.platform.joined_uow import UpdateTransaction
from nocert_core.services.platform.uow import AbstractUnitOfWork

if TYPE_CHECKING:
    from handlers.dispatch.dispatcher import Dispatcher

log = logging.getLogger(__name__)

MOST_PER_BATCH = 32
IN_FLIGHT = {"sqlite": 1, "postgresql": 2}
# SQLite's statements run on the event loop's thread and never yield to it
# (adapters/sqlite/sqlite_inline.py), so an update finding the slot free would run its whole transaction
# before the other updates of the same getUpdates answer are even queued: the batch is formed on the loop's
# next turn instead, when they are.
GATHER = {"sqlite": True}
ALONE = None  # an item's result when its update is to be handled the old way


@dataclass(eq=False)
class _Item:
    inbox_id: int
    incoming: Incoming
    lease_seconds: float
    slow_down: bool
    done: asyncio.Future[list[outbox.Claimed] | None]
    batched_before: bool = False  # in a batch that failed because of another update
    holds_slot: bool = False  # going alone with one of the in-flight slots


class _BatchFailed(Exception):
    def __init__(self, culprits: list[_Item], why: str) -> None:
        super().__init__(why)
        self.culprits = culprits


@dataclass
class GroupStats:
    """What the group commit did (benches, tests)."""

    batches: int = 0  # transactions that carried more than one update
    batched: int = 0  # updates committed in those
    alone: int = 0  # updates handled the old way (nothing else waiting, or their batch failed)
    failed: int = 0  # batches rolled back
    sizes: list[int] = field(default_factory=list)  # of the last batches (at most 1000)


class GroupCommit:
    def __init__(self, dispatcher: Dispatcher, *, most: int = MOST_PER_BATCH) -> None:
        self.dispatcher = dispatcher
        self.most = most
        self.in_flight = IN_FLIGHT.get(dispatcher.app.uow.dialect, 1)
        self.stats = GroupStats()
        self._waiting: deque[_Item] = deque()
        self._running = 0
        self._gather = GATHER.get(dispatcher.app.uow.dialect, False)
        self._kick_soon = False
        self._after_failure = asyncio.Semaphore(self.in_flight)

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        """`Dispatcher.process`: the update in a batch with others waiting now, or alone."""
        dispatcher = self.dispatcher
        async with dispatcher.locks.hold(incoming.user_ref):
            slow_down = await dispatcher.flood.pace(incoming.user_ref)  # waits only this user's turn
            done: asyncio.Future[list[outbox.Claimed] | None] = asyncio.get_running_loop().create_future()
            item = _Item(inbox_id, incoming, lease_seconds, slow_down, done)
            self._waiting.append(item)
            if not self._gather:
                self._kick()
            elif not self._kick_soon:
                self._kick_soon = True
                asyncio.get_running_loop().call_soon(self._gathered)
            claims = await asyncio.shield(done)  # a cancelled caller does not cancel the batch
            if claims is not ALONE:
                return claims
            self.stats.alone += 1
            if item.holds_slot:
                try:
                    return await dispatcher.process_alone(inbox_id, incoming, lease_seconds, slow_down)
                finally:
                    self._release()
            async with self._after_failure:  # a failed batch's updates: a few connections at a time
                return await dispatcher.process_alone(inbox_id, incoming, lease_seconds, slow_down)

    def _gathered(self) -> None:
        self._kick_soon = False
        self._kick()

    def _kick(self) -> None:
        while self._waiting and self._running < self.in_flight:
            batch: list[_Item] = []
            users: set[str] = set()
            later: deque[_Item] = deque()
            while self._waiting:
                item = self._waiting.popleft()
                user = item.incoming.user_ref
                if len(batch) < self.most and user not in users:
                    batch.append(item)
                    users.add(user)
                else:
                    later.append(item)
            self._waiting = later
            self._running += 1
            if len(batch) == 1:  # nothing to share: the old path, holding this slot until it is done
                batch[0].holds_slot = True
                batch[0].done.set_result(ALONE)
            else:
                asyncio.get_running_loop().create_task(self._run(batch), name="nocert-group-commit")

    def _release(self) -> None:
        self._running -= 1
        self._kick()

    async def _run(self, batch: list[_Item]) -> None:
        try:
            results = await self._commit_batch(batch)
        except _BatchFailed as failed:
            self.stats.failed += 1
            log.info("a batch of %d updates failed (%s); handling them again", len(batch), failed)
            again = [item for item in batch if item not in failed.culprits and not item.batched_before]
            for item in reversed(again):  # first in the next batch, in their order
                item.batched_before = True
                self._waiting.appendleft(item)
            for item in batch:
                if item not in again:
                    item.done.set_result(ALONE)
        except BaseException as error:
            self.stats.failed += 1
            if isinstance(error, Exception):
                log.warning("a batch of %d updates failed (%s); each alone", len(batch), type(error).__name__)
            for item in batch:
                if not item.done.done():
                    item.done.set_result(ALONE)
            if not isinstance(error, Exception):
                raise
        else:
            self.stats.batches += 1
            self.stats.batched += len(batch)
            self.stats.sizes = [*self.stats.sizes[-999:], len(batch)]
            for item in batch:
                item.done.set_result(results[item.inbox_id])
        finally:
            self._release()

    async def _commit_batch(self, batch: list[_Item]) -> dict[int, list[outbox.Claimed]]:
        """The batch in one transaction; {inbox id: its claimed replies} ([]: processed already)."""
        dispatcher = self.dispatcher
        app = dispatcher.app
        storage = dispatcher.storage
        in_database = isinstance(storage, DatabaseStateStorage)
        await load_segmenter_off_loop()  # before the transaction: no connection held while it loads
        results: dict[int, list[outbox.Claimed]] = {}
        async with app.uow() as uow:
            session = uow.session
            looked = await inbox_batch.look(
                session, [item.inbox_id for item in batch], with_states=in_database
            )
            missing = [item for item in batch if item.inbox_id not in looked]
            if missing:
                raise _BatchFailed(missing, "inbox row not found")
            live: list[_Item] = []
            for item in batch:
                if looked[item.inbox_id].processed:
                    log.info("ignoring redelivered update %s", _key(item))
                    results[item.inbox_id] = []
                else:
                    live.append(item)
            if not live:
                return results
            states = await self._load_states(live, looked, in_database)
            transaction = UpdateTransaction(uow)
            handled: list[tuple[_Item, Outcome]] = []
            for item in live:
                try:
                    outcome = await dispatcher.handle_in(
                        item.incoming, _key(item), item.slow_down, transaction, states[item.inbox_id]
                    )
                except Exception as error:
                    raise _BatchFailed([item], f"handling failed: {type(error).__name__}") from error
                if transaction.spoiled:
                    raise _BatchFailed([item], "a use case spoiled the transaction")
                handled.append((item, outcome))
            stale = await self._save_steps(uow, handled)
            if stale:
                raise _BatchFailed(stale, "dialog state changed meanwhile")
            closings = [
                (item, outcome, MarkInbox(app.clock, item.inbox_id, _key(item), item.lease_seconds))
                for item, outcome in handled
            ]
            messages = [message for _, outcome, closing in closings for message in closing.messages(outcome)]
            ids = [item.inbox_id for item in live]
            lease = batch[0].lease_seconds
            both = await outbox_lease.mark_inbox_and_write_leased(uow, ids, messages, lease)
            if both is None:  # SQLite: a statement each
                marked = await inbox_batch.mark_processed(session, ids, app.clock.now())
            else:
                marked, written = both
            taken = [item for item in live if item.inbox_id not in marked]
            if taken:  # the replies written with the marks go with the rollback
                raise _BatchFailed(taken, "processed by another process meanwhile")
            if both is None:
                written = await outbox_lease.write_leased_keyed(uow, messages, lease)
            await dispatcher.forget_old(uow)
            await uow.commit()
        for item, outcome, closing in closings:
            closing.written = outbox_lease.ids_in_order(closing.messages(outcome), written)
            results[item.inbox_id] = closing.claims(outcome)
        return results

    async def _load_states(
        self, live: list[_Item], looked: dict[int, inbox_batch.Looked], in_database: bool
    ) -> dict[int, DialogState]:
        storage = self.dispatcher.storage
        if in_database:
            loaded: dict[int, DialogState] = {}
            for item in live:
                stored = looked[item.inbox_id].state
                loaded[item.inbox_id] = (
                    DialogState(version=0)
                    if stored is None
                    else DialogState(name=stored[0], data=stored[1], version=stored[2])
                )
            return loaded
        load_many = getattr(storage, "load_many", None)
        if load_many is not None:
            by_user = await load_many([item.incoming.user_ref for item in live])
            return {item.inbox_id: by_user[item.incoming.user_ref] for item in live}
        return {item.inbox_id: await storage.load(item.incoming.user_ref) for item in live}

    async def _save_steps(self, uow: AbstractUnitOfWork, handled: list[tuple[_Item, Outcome]]) -> list[_Item]:
        """Every update's dialog step (each only over the version it was loaded at); the updates whose
        state another process changed meanwhile."""
        dispatcher = self.dispatcher
        save_many = getattr(dispatcher.storage, "save_many", None)
        if save_many is None:  # in the database (in this transaction), or a storage without batches
            stale: list[_Item] = []
            if isinstance(dispatcher.storage, DatabaseStateStorage):  # the usual step: one UPDATE for all
                stale, handled = await self._update_states(uow, handled)
            for item, outcome in handled:
                try:
                    await dispatcher.save_step(uow, item.incoming, _key(item), outcome)
                except StaleDialogState:
                    stale.append(item)
            return stale
        # Redis: one pipeline. A changed state is saved with the step before its update (`_redo`), so that
        # a crash or a failed batch before the commit handles the update again from that step.
        saves: list[tuple[str, DialogState]] = []
        checks: list[tuple[str, DialogState]] = []
        for item, outcome in handled:
            if outcome.changed:
                saves.append((item.incoming.user_ref, dispatcher.with_redo(outcome, _key(item))))
            else:
                checks.append((item.incoming.user_ref, outcome.before))
        stale_users: set[str] = await save_many(saves, checks)
        return [item for item, _ in handled if item.incoming.user_ref in stale_users]

    async def _update_states(
        self, uow: AbstractUnitOfWork, handled: list[tuple[_Item, Outcome]]
    ) -> tuple[list[_Item], list[tuple[_Item, Outcome]]]:
        """The changed steps of users with a state stored, in one statement; (the stale ones, the rest —
        a first step, a finished dialog, an unchanged one — left to `Dispatcher.save_step`)."""
        updates = [
            (item, outcome)
            for item, outcome in handled
            if outcome.changed and outcome.state.version and (outcome.state.name or outcome.state.data)
        ]
        if not updates:
            return [], handled
        saves = [
            (item.incoming.user_ref, outcome.state.name, dict(outcome.state.data), outcome.state.version or 0)
            for item, outcome in updates
        ]
        session = uow.session  # type: ignore[attr-defined]
        saved = await inbox_batch.save_states(session, saves, self.dispatcher.app.clock.now())
        stale = [item for item, _ in updates if item.incoming.user_ref not in saved]
        for _, outcome in updates:
            outcome.state.version = (outcome.state.version or 0) + 1
        done = {id(item) for item, _ in updates}
        return stale, [(item, outcome) for item, outcome in handled if id(item) not in done]


def _key(item: _Item) -> str | None:
    update_id = item.incoming.update_id
    return f"{item.incoming.channel}:{update_id}" if update_id else None
