"""Issue 11: the database pool under webhook load. Every update in progress holds a connection for its
transaction; the webhook's inbox writes must still find one in the steady pool (not wait behind those
transactions, not open overflow connections — with several instances, overflow logins are what exhausted
PostgreSQL's max_connections), and an instance says at start when its pool cannot fit on the server."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, select, text

from bot.jobs.outbox_worker import SendError
from bot.telegram.base import TelegramRuntime, Webhook
from bot.telegram.common import OutgoingMessage
from handlers.types import Incoming, InputKind, Reply
from nocert_core.adapters.sql import db
from nocert_core.adapters.sql.tables_chat import chat_inbox
from nocert_core.bootstrap import Application, open_application
from nocert_core.clock import FixedClock
from nocert_core.services.messaging import outbox
from nocert_core.settings import Settings

POOL = 4


class HeldDispatcher:
    """Handles an update by holding a transaction open until `go` is set (a slow update on a busy
    machine), then marks its inbox row processed."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.go = asyncio.Event()
        self.holding = 0

    async def handle(self, incoming: Incoming) -> list[Reply]:
        return []

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[outbox.Claimed]:
        async with self.app.uow() as uow:
            await uow.session.execute(text("SELECT 1"))
            self.holding += 1
            await self.go.wait()
            await uow.chat.mark_inbox_processed(inbox_id, self.app.clock.now())
            await uow.commit()
        return []


class WebhookRuntime(TelegramRuntime):
    """Only what the inbox and the per-user queues need; nothing is sent."""

    framework = "test"

    async def _start_webhook(self, webhook: Webhook) -> None: ...

    async def feed(self, update: dict[str, Any]) -> None: ...

    async def _connect(self) -> str:
        return "test_bot"

    async def _start_polling(self) -> None: ...

    async def _stop_polling(self) -> None: ...

    async def _close(self) -> None: ...

    async def _call(self, message: OutgoingMessage) -> str | None:
        return None

    async def _answer_callback(self, callback_query_id: str) -> None: ...

    async def _set_commands(
        self, commands: list[tuple[str, str]], language_code: str | None, chat_id: str | None = None
    ) -> None: ...

    def _classify(self, error: Exception) -> SendError | None:
        return None


@pytest.fixture
async def small_pool_app(
    settings: Settings, clock: FixedClock, app: Application
) -> AsyncIterator[Application]:
    """The test database (cleaned by `app`) through a pool of POOL connections."""
    small = await open_application(
        settings.model_copy(update={"db_pool_size": POOL, "db_max_overflow": 8}), clock, migrate=False
    )
    try:
        yield small
    finally:
        await small.close()


def update(n: int) -> Incoming:
    return Incoming("telegram", str(5000 + n), str(5000 + n), InputKind.TEXT, text="hi", update_id=str(n))


async def test_webhook_updates_reach_the_inbox_from_the_steady_pool_while_every_update_slot_is_busy(
    small_pool_app: Application,
) -> None:
    app = small_pool_app
    dispatcher = HeldDispatcher(app)
    runtime = WebhookRuntime(app, dispatcher, token="1:test")
    checked_out: list[int] = []
    pool: Any = app.engine.sync_engine.pool

    def note(*_: Any) -> None:
        checked_out.append(pool.checkedout())

    event.listen(app.engine.sync_engine.pool, "checkout", note)
    try:
        first = 12
        await asyncio.gather(*(runtime.accept(update(n)) for n in range(first)))  # 12 users' POSTs
        while dispatcher.holding < runtime.queues.max_parallel:  # every update slot holds a transaction
            await asyncio.sleep(0.01)
        await asyncio.gather(*(runtime.accept(update(n)) for n in range(first, first + 8)))  # a burst
        assert max(checked_out) <= POOL  # no overflow connection was opened for the burst
        dispatcher.go.set()
        await runtime.queues.drain()
    finally:
        event.remove(app.engine.sync_engine.pool, "checkout", note)
    async with app.uow() as uow:
        assert await uow.chat.unprocessed("telegram:") == []
    assert dispatcher.holding == first + 8


async def test_an_instance_whose_pool_does_not_fit_on_the_server_is_told_at_start(app: Application) -> None:
    if db.is_sqlite(app.settings.database_url):
        pytest.skip("max_connections is PostgreSQL's")
    assert await db.connection_budget_warning(app.engine) is None  # 16 + 8 fit an idle test server
    greedy = db.create_engine(app.settings.database_url, pool_size=5000, max_overflow=10)
    try:
        warning = await db.connection_budget_warning(greedy)
    finally:
        await greedy.dispose()
    assert warning is not None
    assert "up to 5010 database connections" in warning and "max_connections" in warning


async def test_webhook_updates_arriving_at_once_share_inbox_writes_and_each_returns_once_stored(
    app: Application,
) -> None:
    dispatcher = HeldDispatcher(app)
    runtime = WebhookRuntime(app, dispatcher, token="1:test")
    inserts: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if "INSERT INTO chat_inbox" in statement:
            inserts.append(statement)

    async def accepted(n: int) -> bool:
        await runtime.accept(update(n))
        async with app.uow() as uow:  # stored by the time its POST would be answered
            found = await uow.session.execute(
                select(chat_inbox.c.id).where(chat_inbox.c.update_key == f"telegram:{n}")
            )
            return found.first() is not None

    event.listen(app.engine.sync_engine, "before_cursor_execute", note)
    try:
        stored = await asyncio.gather(*(accepted(n) for n in range(24)))
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", note)
    assert all(stored)
    assert len(inserts) < 24 / 2  # shared: a few writes in flight, the updates arriving meanwhile in the next
    dispatcher.go.set()
    await runtime.queues.drain()
    assert dispatcher.holding == 24  # each queued for its user once
