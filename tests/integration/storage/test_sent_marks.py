"""Replies delivered right after their update's commit are marked sent together (issue 15): every caller
returns only once its own mark is committed, marks that wait meanwhile share one statement, and a claim
the worker has taken over since (another attempt) is not marked by the old one."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import event, select, text, update

from handlers.dialogs import chat_replies
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.messaging import outbox, outbox_lease, sent_marks
from nocert_core.services.messaging.sent_marks import SentMarks


async def leased_replies(app: Application, count: int) -> list[outbox.Claimed]:
    messages = [
        outbox.Outgoing(f"telegram:{100 + n}", chat_replies.KIND, {"text": f"reply {n}"}, f"reply:{n}")
        for n in range(count)
    ]
    async with app.uow() as uow:
        ids = await outbox_lease.write_leased(uow, messages, lease_seconds=60)
        await uow.commit()
    return [
        outbox.Claimed(row_id, m.recipient_ref, m.kind, m.payload, 1, None)
        for row_id, m in zip(ids, messages, strict=True)
    ]


async def statuses(app: Application) -> list[str]:
    async with app.uow() as uow:
        rows = await uow.session.execute(select(orm.outbox.c.status).order_by(orm.outbox.c.id))
        return [str(status) for (status,) in rows]


def counted_outbox_updates(app: Application) -> list[str]:
    seen: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            seen.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", before)
    return seen


async def test_marks_waiting_together_are_written_in_fewer_statements_and_each_caller_sees_its_own(
    app: Application, clock: FixedClock
) -> None:
    claims = await leased_replies(app, 12)
    updates = counted_outbox_updates(app)
    marks = SentMarks(clock)
    await asyncio.gather(*(marks.mark(app.uow, claim) for claim in claims))
    assert await statuses(app) == [outbox.SENT] * 12
    assert 1 <= len(updates) < 12


async def test_a_mark_alone_is_written_at_once(app: Application, clock: FixedClock) -> None:
    (claim,) = await leased_replies(app, 1)
    await SentMarks(clock).mark(app.uow, claim)
    assert await statuses(app) == [outbox.SENT]


async def test_a_mark_does_not_leave_its_connection_committing_without_waiting_for_the_disk(
    app: Application, clock: FixedClock
) -> None:
    # On PostgreSQL a mark's own transaction commits without waiting for the flush; the other
    # statements that connection runs next (an update's transaction, an inbox write) still wait.
    claims = await leased_replies(app, 3)
    for claim in claims:
        await SentMarks(clock).mark(app.uow, claim)
    assert await statuses(app) == [outbox.SENT] * 3
    if app.uow.dialect == "postgresql":
        async with app.engine.connect() as connection:
            setting = await connection.scalar(text("SHOW synchronous_commit"))
        assert setting == "on"


async def test_the_postgresql_mark_statement_turns_off_waiting_for_the_disk_in_its_own_transaction(
    app: Application,
) -> None:
    if app.uow.dialect != "postgresql":
        pytest.skip("synchronous_commit is PostgreSQL's")
    (claim,) = await leased_replies(app, 1)
    async with app.engine.begin() as connection:
        await connection.execute(
            sent_marks._MARK_MANY_SENT_PG,
            {"ids": [claim.id], "attempts": [claim.attempts], "sent_now": datetime.now(UTC)},
        )
        assert await connection.scalar(text("SHOW synchronous_commit")) == "off"
    assert await statuses(app) == [outbox.SENT]


async def test_a_claim_taken_over_by_another_attempt_is_not_marked_by_the_old_one(
    app: Application, clock: FixedClock
) -> None:
    first, second = await leased_replies(app, 2)
    async with app.uow() as uow:  # the worker re-claimed the first row after its lease ended
        await uow.session.execute(update(orm.outbox).where(orm.outbox.c.id == first.id).values(attempts=2))
        await uow.commit()
    marks = SentMarks(clock)
    await asyncio.gather(marks.mark(app.uow, first), marks.mark(app.uow, second))
    assert await statuses(app) == [outbox.PENDING, outbox.SENT]


async def test_when_the_write_fails_every_mark_in_it_fails_and_a_retry_writes_it(
    app: Application, clock: FixedClock
) -> None:
    claims = await leased_replies(app, 3)
    marks = SentMarks(clock)
    real = app.uow.execute_alone

    async def failing(*args: Any, **kwargs: Any) -> Any:
        raise ConnectionError("database went away")

    app.uow.execute_alone = failing  # type: ignore[method-assign]
    results = await asyncio.gather(*(marks.mark(app.uow, claim) for claim in claims), return_exceptions=True)
    assert all(isinstance(result, ConnectionError) for result in results)
    app.uow.execute_alone = real  # type: ignore[method-assign]
    await asyncio.gather(*(marks.mark(app.uow, claim) for claim in claims))
    assert await statuses(app) == [outbox.SENT] * 3


@pytest.mark.parametrize("cancelled", [0, 1])
async def test_a_caller_cancelled_while_waiting_does_not_stop_the_others_marks(
    app: Application, clock: FixedClock, cancelled: int
) -> None:
    claims = await leased_replies(app, 3)
    marks = SentMarks(clock)
    tasks = [asyncio.create_task(marks.mark(app.uow, claim)) for claim in claims]
    await asyncio.sleep(0)
    tasks[cancelled].cancel()
    others = [task for n, task in enumerate(tasks) if n != cancelled]
    await asyncio.gather(*others)
    assert (await statuses(app)).count(outbox.SENT) >= 2


async def test_batches_of_many_sizes_use_only_a_few_statement_texts(
    app: Application, clock: FixedClock
) -> None:
    claims = await leased_replies(app, 40)
    updates = counted_outbox_updates(app)
    marks = SentMarks(clock)
    start = 0
    for size in range(1, 9):  # 36 marks in batches of 1 … 8
        await asyncio.gather(*(marks.mark(app.uow, claim) for claim in claims[start : start + size]))
        start += size
    assert (await statuses(app)).count(outbox.SENT) == 36
    assert len(set(updates)) <= 4  # 1, 2, 4 and 8 pairs


async def test_on_sqlite_a_mark_takes_its_rows_by_primary_key_not_by_scanning_the_pending_ones(
    app: Application, clock: FixedClock
) -> None:
    if app.uow.dialect != "sqlite":
        pytest.skip("SQLite's query planner")
    claims = await leased_replies(app, 3)
    plans: list[str] = []

    def explain(conn: Any, _cursor: Any, statement: str, parameters: Any, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("UPDATE OUTBOX"):
            raw = conn.connection.dbapi_connection.driver_connection._conn
            plans.extend(row[3] for row in raw.execute(f"EXPLAIN QUERY PLAN {statement}", parameters))

    event.listen(app.engine.sync_engine, "before_cursor_execute", explain)
    try:
        await sent_marks.mark_many_sent(app.uow, claims[:2], clock.now())
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", explain)
    assert await statuses(app) == [outbox.SENT, outbox.SENT, outbox.PENDING]
    assert any("USING INTEGER PRIMARY KEY" in plan for plan in plans), plans
