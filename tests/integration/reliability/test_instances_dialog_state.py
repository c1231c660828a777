"""Issue 11 item 3: two instances handling one user's updates at once. Even without the per-user lock
(lost, or expired), the dialog state is saved only over the version it was read at — a stale writer loses
and handles its update again from the new step — and an inbox row is processed once."""

from __future__ import annotations

import asyncio
import os
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from contextlib import asynccontextmanager
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from bot.telegram.redis_storage import RedisStateStorage
from handlers.dialogs.dialog_store import DatabaseStateStorage, StateStorage
from handlers.dispatch.dispatcher import Dispatcher
from handlers.dispatch.routing import DialogState
from nocert_core.adapters.sql.tables_chat import StaleDialogState
from nocert_core.bootstrap import Application, open_application
from tests.integration.chat_driver import add_units
from tests.integration.reliability.test_reliability_inbox import received, reply_rows, text

REDIS_URL = os.environ.get("NOCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
USER = "telegram:1001"


@asynccontextmanager
async def open_redis_storage() -> AsyncIterator[RedisStateStorage]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except Exception as error:
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    store = RedisStateStorage(client, prefix=f"nocert-test:{uuid.uuid4().hex[:8]}:", ttl=timedelta(minutes=5))
    try:
        yield store
    finally:
        await client.delete(store.key(USER))
        await store.close()


@pytest.fixture
async def redis_storage() -> AsyncIterator[RedisStateStorage]:
    async with open_redis_storage() as store:
        yield store


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
async def shared(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[StateStorage]:
    """The dialog storage every instance uses."""
    if request.param == "database":
        yield DatabaseStateStorage(app)
        return
    async with open_redis_storage() as store:
        yield store


class Interleaved:
    """A storage whose next load lets `meanwhile` run between reading the state and handing it over:
    another instance handling this user's update in that very moment."""

    def __init__(self, inner: StateStorage) -> None:
        self.inner = inner
        self.meanwhile: list[Callable[[], Awaitable[object]]] = []

    async def load(self, user_ref: str) -> DialogState:
        state = await self.inner.load(user_ref)
        while self.meanwhile:
            await self.meanwhile.pop()()
        return state

    async def _load_in(self, uow: object, user_ref: str) -> DialogState:
        state: DialogState = await self.inner.load_in(uow, user_ref)  # type: ignore[attr-defined]
        while self.meanwhile:
            await self.meanwhile.pop()()
        return state

    async def save(self, user_ref: str, state: DialogState) -> None:
        await self.inner.save(user_ref, state)

    def __getattr__(self, name: str) -> object:  # save_in, when the inner storage is transactional
        if name == "load_in" and hasattr(self.inner, "load_in"):  # loaded in the update's transaction
            return self._load_in
        return getattr(self.inner, name)


async def test_of_two_writers_that_read_the_same_version_the_second_loses_in_the_database(
    app: Application,
) -> None:
    storage = DatabaseStateStorage(app)
    first, second = await storage.load(USER), await storage.load(USER)
    first.set("ci.phone", draft={"name": "王芳"})
    await storage.save(USER, first)
    second.set("ci.phone", draft={"name": "李雷"})
    with pytest.raises(StaleDialogState):
        await storage.save(USER, second)
    again = await storage.load(USER)
    assert again.data["draft"] == {"name": "王芳"}
    again.set("ci.agency", phone="13805361234")
    await storage.save(USER, again)  # a writer that read the current version wins
    stale = first
    stale.set("ci.name")
    with pytest.raises(StaleDialogState):
        await storage.save(USER, stale)
    assert (await storage.load(USER)).name == "ci.agency"


@pytest.mark.redis
async def test_of_two_writers_that_read_the_same_version_the_second_loses_in_redis(
    redis_storage: RedisStateStorage,
) -> None:
    storage = redis_storage
    first, second = await storage.load(USER), await storage.load(USER)
    first.set("ci.phone", draft={"name": "王芳"}, followups=[])
    await storage.save(USER, first)
    second.set("ci.phone", draft={"name": "李雷"})
    with pytest.raises(StaleDialogState):
        await storage.save(USER, second)
    again = await storage.load(USER)
    assert again.data == {"draft": {"name": "王芳"}, "followups": []}  # a list stays a list
    again.clear()
    await storage.save(USER, again)  # finished: the key is deleted
    assert await storage.client.get(storage.key(USER)) is None
    first.set("ci.name")
    with pytest.raises(StaleDialogState):
        await storage.save(USER, first)


async def test_an_instance_that_read_a_step_another_instance_just_answered_answers_from_the_new_step(
    app: Application, shared: StateStorage
) -> None:
    await add_units(app)
    one, two = Interleaved(shared), Dispatcher(app, shared)
    instance_one = Dispatcher(app, one)  # type: ignore[arg-type]
    start = text(1, "/complain")
    await two.process(await received(app, start), start, 30)
    name, phone = text(2, "王芳"), text(3, "13805361234")
    name_row, phone_row = await received(app, name), await received(app, phone)
    # Instance one reads the step "name" for the phone update; meanwhile instance two answers the name.
    one.meanwhile.append(lambda: two.process(name_row, name, 30))
    claims = await instance_one.process(phone_row, phone, 30)
    assert claims and "Step 3 of 7" in claims[-1].payload["text"]  # the phone went into the phone field
    state = await shared.load(USER)
    assert state.name == "ci.agency"
    assert state.data["draft"]["name"] == "王芳" and state.data["draft"]["phone"] == "13805361234"


async def test_one_inbox_row_taken_by_two_instances_is_answered_once(
    app: Application, shared: StateStorage
) -> None:
    await add_units(app)
    # Instance two is another process: its own engine and account cache (sharing instance one's cache
    # handed both the same Account object, which one's rollback expired under two's feet).
    other_process = await open_application(app.settings, app.clock, migrate=False)
    try:
        await _one_row_two_instances(app, Interleaved(shared), Dispatcher(other_process, shared))
    finally:
        await other_process.close()


async def _one_row_two_instances(app: Application, one: Interleaved, two: Dispatcher) -> None:
    instance_one = Dispatcher(app, one)  # type: ignore[arg-type]
    for update_id, words in ((1, "/complain"), (2, "hello")):  # a step that changes, one that does not
        incoming = text(update_id, words)
        row = await received(app, incoming)
        before = len(await reply_rows(app))
        answered: list[object] = []

        async def other(
            row: int = row, incoming: object = incoming, answered: list[object] = answered
        ) -> None:
            answered.extend(await two.process(row, incoming, 30))  # type: ignore[arg-type]

        # Instance two takes the row while instance one is handling it. On PostgreSQL it waits for one's
        # transaction (the row is locked from its first read) and then finds it processed; on SQLite it
        # runs through first. Either way the row is answered once.
        started: list[asyncio.Task[None]] = []

        async def start_other(
            other: Callable[[], Awaitable[None]] = other, started: list[asyncio.Task[None]] = started
        ) -> None:
            started.append(asyncio.create_task(other()))  # type: ignore[arg-type]

        one.meanwhile.append(start_other)
        mine = await instance_one.process(row, incoming, 30)
        await asyncio.gather(*started)
        assert (mine == []) != (answered == [])  # exactly one of them answered
        assert len(await reply_rows(app)) == before + len(mine) + len(answered)
