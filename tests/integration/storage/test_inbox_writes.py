"""A fetched batch goes to the inbox in one statement (on PostgreSQL in autocommit), in arrival order; a
redelivered update keeps its row, and an update id Telegram reused for a new message gets a row of its
own (the redelivery checks of `ChatRepository.receive`)."""

from __future__ import annotations

from sqlalchemy import select

from nocert_core.adapters.sql.tables_chat import chat_inbox
from nocert_core.bootstrap import Application
from nocert_core.services.messaging.inbox_writes import receive_batch


def row(update_id: int, user: str, words: str) -> tuple[str, str, dict[str, object]]:
    return f"telegram:{update_id}", f"telegram:{user}", {"incoming": {"text": words}}


async def stored_keys(app: Application) -> list[str]:
    async with app.uow() as uow:
        found = await uow.session.execute(select(chat_inbox.c.update_key).order_by(chat_inbox.c.id))
        return [str(key) for key in found.scalars()]


async def test_a_fetched_batch_is_stored_in_arrival_order(app: Application) -> None:
    batch = [row(30, "1", "c"), row(10, "2", "a"), row(20, "1", "b")]
    ids = await receive_batch(app.uow, batch, app.clock.now())
    assert ids == sorted(ids) and len(set(ids)) == 3
    assert await stored_keys(app) == ["telegram:30", "telegram:10", "telegram:20"]


async def test_a_redelivered_update_keeps_its_row_and_a_reused_id_gets_a_new_one(app: Application) -> None:
    first = await receive_batch(app.uow, [row(1, "1", "hello"), row(2, "2", "hi")], app.clock.now())
    again = await receive_batch(
        app.uow, [row(1, "1", "hello"), row(3, "3", "new"), row(2, "2", "another message")], app.clock.now()
    )
    assert again[0] == first[0]  # the same update, delivered again
    assert again[2] not in first and again[1] not in first
    assert await stored_keys(app) == ["telegram:1", "telegram:2", "telegram:3", "telegram:2#1"]
