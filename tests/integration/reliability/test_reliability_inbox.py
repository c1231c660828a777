"""Issue 9 items 2–3 at the dispatcher: an inbox row, its dialog step and its replies (outbox rows) are
committed together, and a crash at any point replays the update from the step it was answered in."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select

from bot.jobs.outbox_worker import OutboxWorker
from handlers.dispatch.dispatcher import Dispatcher
from handlers.dispatch.routing import DialogState
from handlers.types import Incoming, InputKind, Reply
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.messaging import outbox_lease
from tests.integration.chat_driver import add_units


class MemoryStorage:
    """A storage outside the database transaction, like Redis."""

    def __init__(self) -> None:
        self.states: dict[str, DialogState] = {}

    async def load(self, user_ref: str) -> DialogState:
        found = self.states.get(user_ref)
        return DialogState(found.name, dict(found.data)) if found else DialogState()

    async def save(self, user_ref: str, state: DialogState) -> None:
        self.states[user_ref] = DialogState(state.name, dict(state.data))


def text(update_id: int, words: str) -> Incoming:
    kind = InputKind.COMMAND if words.startswith("/") else InputKind.TEXT
    command = words[1:] if kind == InputKind.COMMAND else ""
    return Incoming(
        "telegram", "1001", "1001", kind, text=words, command=command, language="en", update_id=str(update_id)
    )


async def received(app: Application, incoming: Incoming) -> int:
    async with app.uow() as uow:
        inbox_id, _ = await uow.chat.receive(
            f"telegram:{incoming.update_id}", incoming.user_ref, {"incoming": {}}, app.clock.now()
        )
        await uow.commit()
    return inbox_id


async def step_of(dispatcher: Dispatcher) -> str | None:
    return (await dispatcher.storage.load("telegram:1001")).name


async def reply_rows(app: Application) -> list[dict[str, Any]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(select(orm.outbox.c.payload).order_by(orm.outbox.c.id))
        return [dict(row.payload) for row in rows]


@pytest.mark.parametrize("storage", ["database", "memory"])
async def test_a_crash_before_the_closing_commit_replays_the_update_from_its_own_step(
    app: Application, monkeypatch: pytest.MonkeyPatch, storage: str
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app, MemoryStorage() if storage == "memory" else None)
    for update_id, words in ((1, "/complain"), (2, "王芳")):
        incoming = text(update_id, words)
        await dispatcher.process(await received(app, incoming), incoming, 30)
    assert await step_of(dispatcher) == "ci.phone"

    original = outbox_lease.mark_inbox_and_write_leased  # the closing's mark (and replies), both backends
    crashes = [1]

    async def crash_once(*args: Any) -> Any:
        if crashes:
            crashes.pop()
            raise ConnectionError("killed")
        return await original(*args)

    monkeypatch.setattr(outbox_lease, "mark_inbox_and_write_leased", crash_once)
    phone = text(3, "13805361234")
    inbox_id = await received(app, phone)
    with pytest.raises(ConnectionError):
        await dispatcher.process(inbox_id, phone, 30)
    before = len(await reply_rows(app))
    claims = await Dispatcher(app, dispatcher.storage).process(inbox_id, phone, 30)  # after the restart
    assert claims and "Step 3 of 7" in claims[-1].payload["text"]
    state = await dispatcher.storage.load("telegram:1001")
    assert state.name == "ci.agency" and state.data["draft"]["phone"] == "13805361234"
    assert len(await reply_rows(app)) == before + len(claims)
    assert await Dispatcher(app, dispatcher.storage).process(inbox_id, phone, 30) == []  # done once


async def test_replies_committed_but_never_sent_are_delivered_by_the_worker_after_the_lease(
    app: Application, clock: FixedClock
) -> None:
    dispatcher = Dispatcher(app)
    start = text(1, "/start")
    claims = await dispatcher.process(await received(app, start), start, 30)  # …and the process dies
    assert claims
    sent: list[str] = []

    class Recording:
        async def send(self, chat_id: str, reply: Reply) -> None:
            sent.append(reply.text)

    worker = OutboxWorker(app, {"telegram": Recording()}, rate_per_second=0, chat_interval=0)
    assert await worker.run_until_idle() == 0  # still leased to the process that wrote them
    clock.advance(timedelta(seconds=31))
    assert await worker.run_until_idle() == len(claims)
    assert sent == [claim.payload["text"] for claim in claims]


async def store(app: Application, update_id: int, payload: dict[str, Any]) -> tuple[int, bool]:
    async with app.uow() as uow:
        stored = await uow.chat.receive(f"telegram:{update_id}", "telegram:1001", payload, app.clock.now())
        await uow.commit()
    return stored


async def mark(app: Application, inbox_id: int) -> None:
    async with app.uow() as uow:
        await uow.chat.mark_inbox_processed(inbox_id, app.clock.now())
        await uow.commit()


async def test_a_redelivered_update_is_the_row_already_stored(app: Application, clock: FixedClock) -> None:
    first, processed = await store(app, 41, {"incoming": {"text": "王芳"}})
    await mark(app, first)
    clock.advance(timedelta(hours=2))
    assert await store(app, 41, {"incoming": {"text": "王芳"}}) == (first, True)
    assert processed is False


async def test_an_update_id_telegram_reuses_after_the_redelivery_window_is_a_new_update(
    app: Application, clock: FixedClock
) -> None:
    # After a week without updates Telegram picks the next update id at random: an old id can come back for
    # a new message, which must not be taken for a redelivery of the old one (and silently dropped).
    old, _ = await store(app, 41, {"incoming": {"text": "/start"}})
    await mark(app, old)
    clock.advance(timedelta(days=2))
    new, processed = await store(app, 41, {"incoming": {"text": "/start"}})
    assert new != old and processed is False
    assert await store(app, 41, {"incoming": {"text": "/start"}}) == (new, False)  # its own redelivery


async def test_a_different_update_under_a_stored_id_is_kept_apart_even_inside_the_window(
    app: Application,
) -> None:
    old, _ = await store(app, 41, {"incoming": {"text": "王芳"}})
    await mark(app, old)
    other, processed = await store(app, 41, {"incoming": {"text": "13805361234"}})
    assert other != old and processed is False
    third, _ = await store(app, 41, {"incoming": {"text": "奎文区"}})
    assert len({old, other, third}) == 3
