"""An update's or a batch's replies are written already leased in one INSERT on both backends (issue 15):
the rows are whole (pending, one attempt, leased by this process until the lease ends), their ids come back
in the messages' order, and a reply written before (its dedup key) is not written twice."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from sqlalchemy import event, select

from handlers.dialogs import chat_replies
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.messaging import lease_holders, outbox, outbox_lease


def reply(n: int) -> outbox.Outgoing:
    return outbox.Outgoing(f"telegram:{100 + n}", chat_replies.KIND, {"text": f"回复 {n}"}, f"reply:{n}")


async def test_replies_are_written_leased_in_one_statement_with_their_ids_in_order(
    app: Application, clock: FixedClock
) -> None:
    inserts: list[str] = []

    def before(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if statement.lstrip().upper().startswith("INSERT INTO OUTBOX"):
            inserts.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", before)
    try:
        async with app.uow() as uow:
            ids = await outbox_lease.write_leased(uow, [reply(n) for n in range(5)], lease_seconds=60)
            await uow.commit()
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", before)
    assert len(inserts) == 1
    assert ids == sorted(ids) and len(set(ids)) == 5
    async with app.uow() as uow:
        table = orm.outbox
        rows = (await uow.session.execute(select(table).order_by(table.c.id))).all()
    assert [row.id for row in rows] == ids
    assert [(row.dedup_key, row.recipient_ref, row.payload) for row in rows] == [
        (f"reply:{n}", f"telegram:{100 + n}", {"text": f"回复 {n}"}) for n in range(5)
    ]
    for row in rows:
        assert (str(row.status), row.attempts, row.leased_by) == (
            outbox.PENDING,
            1,
            lease_holders.this_process(),
        )
        assert (row.created_at, row.available_at) == (clock.now(), clock.now() + timedelta(seconds=60))
        assert row.extra == {}


async def test_a_reply_written_before_is_skipped_and_the_others_are_written(app: Application) -> None:
    async with app.uow() as uow:
        first = await outbox_lease.write_leased(uow, [reply(1)], lease_seconds=60)
        await uow.commit()
    async with app.uow() as uow:
        again = await outbox_lease.write_leased(uow, [reply(0), reply(1), reply(2)], lease_seconds=60)
        await uow.commit()
    assert len(first) == 1 and len(again) == 2 and first[0] not in again
    async with app.uow() as uow:
        keys = (await uow.session.execute(select(orm.outbox.c.dedup_key).order_by(orm.outbox.c.id))).scalars()
        assert list(keys) == ["reply:1", "reply:0", "reply:2"]
