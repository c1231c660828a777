"""The "sent" marks of replies delivered right after their update's commit, written together (group commit).

Every reply a runtime sends after its update's commit is marked sent before the next one goes out (a crash
repeats at most the one in flight: docs/reliability.md). With many users served at once, each mark was a
statement — a transaction of its own on SQLite — after every reply. Here a caller still waits until its
own mark is written, so that guarantee is unchanged, but marks that arrive while one is being written go
together in the next statement: under load a handful of statements carries the marks of every update
handled meanwhile; alone, a mark is written at once, as before.

A failed write fails every mark in it; each caller retries its own (bot/telegram/sending.py `_recorded`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import bindparam, text, tuple_, update

from nocert_core.adapters.sql import orm
from nocert_core.clock import Clock, ensure_utc
from nocert_core.services.messaging.outbox import PENDING, SENT, Claimed
from nocert_core.services.platform.uow import UnitOfWorkFactory

_table = orm.outbox
# One statement for any number of marks: each row by its id AND the attempt it was claimed at (a row
# re-claimed by the worker meanwhile is not this claim's to mark), still pending.
_MARK_MANY_SENT = (
    update(_table)
    .where(
        tuple_(_table.c.id, _table.c.attempts).in_(bindparam("claims", expanding=True)),
        _table.c.status == PENDING,
    )
    .values(status=SENT, sent_at=bindparam("sent_now"), last_error=None)
)
# PostgreSQL: the same with the claims as two arrays (one prepared statement whatever their number, run
# straight on asyncpg by execute_alone), committed without waiting for the disk (the statement's own
# transaction sets synchronous_commit off for itself). The next reply waited ~3 ms (p99 ~20 ms on this
# machine) for the flush of a mark whose only job is to prevent a double: a crash of the bot loses no mark
# committed so (the server has it); a crash of the database server itself may lose the last ~0.6 s of
# them, whose replies are then sent again — never lost (docs/reliability.md).
# The set_config is a scalar subquery (not a FROM item): PostgreSQL runs it once, as a gating condition.
_MARK_MANY_SENT_PG = text(
    f"UPDATE outbox SET status = '{SENT.value}', sent_at = CAST(:sent_now AS TIMESTAMP WITH TIME ZONE),"
    " last_error = NULL"
    " FROM unnest(CAST(:ids AS INTEGER[]), CAST(:attempts AS INTEGER[])) AS claims(id, attempts)"
    " WHERE outbox.id = claims.id AND outbox.attempts = claims.attempts"
    f" AND outbox.status = '{PENDING.value}'"
    " AND (SELECT set_config('synchronous_commit', 'off', true)) = 'off'"
)
# SQLite: the same, with the ids once more as a plain IN list. SQLite's planner does not look rows up by a
# row-value IN (VALUES …): it searched every pending row by the status index and tested each against the
# list — every row still pending, e.g. the assignments queued for a staff chat the worker paces at
# 1 message/s, which pile up while complaints come faster. With the ids it takes the rows by primary key.
_MARK_MANY_SENT_SQLITE = _MARK_MANY_SENT.where(_table.c.id.in_(bindparam("ids", expanding=True)))


async def mark_many_sent(uow_factory: UnitOfWorkFactory, claims: Sequence[Claimed], now: datetime) -> int:
    """Mark these claims sent in one statement; how many rows changed."""
    if uow_factory.dialect == "postgresql":
        parameters = {
            "ids": [claim.id for claim in claims],
            "attempts": [claim.attempts for claim in claims],
            "sent_now": ensure_utc(now),
        }
        changed, _ = await uow_factory.execute_alone(_MARK_MANY_SENT_PG, parameters)
        return changed
    pairs = [(claim.id, claim.attempts) for claim in claims]
    # The IN lists' length is part of the SQL text: padded (with the last pair repeated, which changes
    # nothing) to a power of two, so the driver prepares at most a few variants, not one per batch size.
    pairs += pairs[-1:] * (_padded(len(pairs)) - len(pairs))
    parameters = {"claims": pairs, "sent_now": now, "ids": [claim_id for claim_id, _ in pairs]}
    changed, _ = await uow_factory.execute_alone(_MARK_MANY_SENT_SQLITE, parameters)
    return changed


_Waiting = tuple[UnitOfWorkFactory, Claimed, "asyncio.Future[None]"]


class SentMarks:
    """Marks written in batches: `await mark(claim)` returns once the claim's mark is committed."""

    def __init__(self, clock: Clock, most: int = 200) -> None:
        self._clock = clock
        self._most = most  # marks per statement
        self._waiting: list[_Waiting] = []
        self._writer: asyncio.Task[None] | None = None

    async def mark(self, uow_factory: UnitOfWorkFactory, claim: Claimed) -> None:
        loop = asyncio.get_running_loop()
        done: asyncio.Future[None] = loop.create_future()
        self._waiting.append((uow_factory, claim, done))
        writer = self._writer
        if writer is None or writer.done() or writer.get_loop() is not loop:
            self._writer = loop.create_task(self._write_all())
        await asyncio.shield(done)  # a caller cancelled while waiting does not cancel the others' write

    async def _write_all(self) -> None:
        while self._waiting:
            factory = self._waiting[0][0]  # one database per batch (tests may swap the factory)
            batch: list[_Waiting] = []
            rest: list[_Waiting] = []
            for waiting in self._waiting:
                (batch if waiting[0] is factory and len(batch) < self._most else rest).append(waiting)
            self._waiting = rest
            try:
                await mark_many_sent(factory, [claim for _, claim, _ in batch], self._clock.now())
            except Exception as error:
                for _, _, done in batch:
                    if not done.done():
                        done.set_exception(error)
                        done.add_done_callback(_retrieved)  # no "never retrieved" for a cancelled caller
            else:
                for _, _, done in batch:
                    if not done.done():
                        done.set_result(None)


def _padded(count: int) -> int:
    size = 1
    while size < count:
        size *= 2
    return size


def _retrieved(done: asyncio.Future[None]) -> None:
    done.exception()
