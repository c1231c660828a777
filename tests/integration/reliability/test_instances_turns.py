"""Issue 11 item 3: with several instances, one user's updates are answered in order by one process at a
time (the user's lock in Redis), whichever instance received them; a killed holder blocks that user for at
most the lock's life, and rows a dead instance left in the inbox are adopted by the others."""

from __future__ import annotations

import asyncio
import os
import time
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any

import pytest
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

from bot.telegram.base import UserQueues
from bot.telegram.turns import Turns
from bot.telegram.user_lock import LocalUserLock, LockTimeout, RedisUserLock, UserLock
from handlers.types import Incoming, InputKind, incoming_to_payload
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock

REDIS_URL = os.environ.get("NOCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
USER = "telegram:1001"

pytestmark = pytest.mark.redis


@pytest.fixture
async def redis() -> AsyncIterator[Redis]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except Exception as error:
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    try:
        yield client
    finally:
        await client.aclose()


def lock_of(redis: Redis, prefix: str, **kwargs: Any) -> RedisUserLock:
    return RedisUserLock(redis, prefix=prefix, **kwargs)


class Instance:
    """What `Turns` needs of a runtime; answering a row marks it processed, as the dispatcher does."""

    def __init__(
        self,
        name: str,
        app: Application,
        lock: UserLock,
        answered: list[tuple[str, str]],
        busy: list[str] | None = None,
    ) -> None:
        self.name, self.app, self.answered = name, app, answered
        self.busy: list[str] = busy if busy is not None else []  # instances answering this user right now
        self.overlaps: list[str] = []
        self.queues = UserQueues()
        self.turns = Turns(self, lock)  # type: ignore[arg-type]
        self.hold_first = asyncio.Event()
        self.holding = asyncio.Event()
        self.finished_ids: list[str] = []
        self.slow = False

    async def handle_row(self, inbox_id: int, incoming: Incoming, callback_query_id: str | None) -> None:
        self.busy.append(self.name)
        try:
            if self.slow and not self.holding.is_set():
                self.holding.set()
                await self.hold_first.wait()
            async with self.app.uow() as uow:
                if await uow.chat.inbox_processed(inbox_id):
                    return
                self.answered.append((self.name, incoming.text))
                if len(self.busy) > 1:
                    self.overlaps.append(incoming.text)  # another instance is mid-answer for this user
                await uow.chat.mark_inbox_processed(inbox_id, self.app.clock.now())
                await uow.commit()
        finally:
            self.busy.remove(self.name)

    async def finished(self, update_id: str) -> None:
        self.finished_ids.append(update_id)


async def receive(app: Application, update_id: int, words: str) -> tuple[int, Incoming]:
    incoming = Incoming("telegram", "1001", "1001", InputKind.TEXT, text=words, update_id=str(update_id))
    async with app.uow() as uow:
        inbox_id, _ = await uow.chat.receive(
            f"telegram:{update_id}", USER, {"incoming": incoming_to_payload(incoming)}, app.clock.now()
        )
        await uow.commit()
    return inbox_id, incoming


@pytest.mark.parametrize("locking", ["redis", "none"])
async def test_a_users_updates_received_by_two_instances_are_answered_once_each_in_order(
    app: Application, redis: Redis, locking: str
) -> None:
    prefix = f"nocert-test-lock:{uuid.uuid4().hex[:8]}:"
    answered: list[tuple[str, str]] = []
    lock: UserLock = lock_of(redis, prefix) if locking == "redis" else LocalUserLock()
    busy: list[str] = []
    one, two = Instance("one", app, lock, answered, busy), Instance("two", app, lock, answered, busy)
    rows = [await receive(app, n, words) for n, words in enumerate(("王芳", "13805361234", "奎文区"), 1)]
    one.slow = True  # instance one is still answering the first update…
    first = asyncio.create_task(one.turns.take(USER, *rows[0]))
    await one.holding.wait()
    second = asyncio.create_task(two.turns.take(USER, *rows[1]))  # …when the second reaches instance two
    for _ in range(20):
        await asyncio.sleep(0.01)
    one.hold_first.set()
    await asyncio.gather(first, second)
    if locking == "none":  # without the lock instance two answers while instance one is mid-answer
        assert two.overlaps
        return
    assert not one.overlaps and not two.overlaps
    assert [words for _, words in answered] == ["王芳", "13805361234", "奎文区"]
    assert two.finished_ids == ["2"]  # answered by instance one, noted as finished by two


async def test_a_lock_left_by_a_killed_process_blocks_the_user_only_for_its_life(
    app: Application, redis: Redis
) -> None:
    prefix = f"nocert-test-lock:{uuid.uuid4().hex[:8]}:"
    dead = Lock(redis, prefix + USER, timeout=1.0, thread_local=False)
    assert await dead.acquire(blocking=False)  # …and the process holding it is SIGKILLed
    impatient = lock_of(redis, prefix, ttl=1.0, wait=0.1)
    with pytest.raises(LockTimeout):
        async with impatient.hold(USER):
            pass
    patient = lock_of(redis, prefix, ttl=1.0, wait=5.0)
    async with patient.hold(USER):
        await asyncio.sleep(1.5)  # held past its first life: the keeper extends it
        assert await redis.exists(prefix + USER)


async def test_rows_a_dead_instance_left_unanswered_are_adopted(
    app: Application, redis: Redis, clock: FixedClock
) -> None:
    prefix = f"nocert-test-lock:{uuid.uuid4().hex[:8]}:"
    answered: list[tuple[str, str]] = []
    survivor = Instance("survivor", app, lock_of(redis, prefix), answered)
    for n, words in enumerate(("王芳", "13805361234"), 1):
        await receive(app, n, words)  # received (HTTP 200) by an instance that then died
    assert await survivor.turns.adopt_once() == 0  # too fresh: their instance may still be on them
    clock.advance(timedelta(seconds=6))
    assert await survivor.turns.adopt_once() == 1
    await survivor.queues.drain()
    assert answered == [("survivor", "王芳"), ("survivor", "13805361234")]
    assert survivor.turns.adopted == 2


async def test_a_holder_whose_event_loop_is_blocked_past_the_locks_life_keeps_out_a_second_holder(
    app: Application, redis: Redis
) -> None:
    """The 1,000-conversation soak: instances whose event loop did not run for longer than a lock's life
    (a loaded machine, right after a start) lost their users' locks while still answering them, and
    another instance answered the same users at the same time. The lock is kept alive from a thread."""
    prefix = f"nocert-test-lock:{uuid.uuid4().hex[:8]}:"
    holder, other = lock_of(redis, prefix, ttl=1.5), lock_of(redis, prefix, ttl=1.5, wait=0.05)
    try:
        async with holder.hold(USER) as held:
            time.sleep(4.0)  # the point: this process's event loop runs nothing meanwhile
            with pytest.raises(LockTimeout):  # the other instance waits for its turn
                async with other.hold(USER):
                    pass
            assert held is not None and not held.lost
        async with other.hold(USER):  # released: the next holder gets in at once
            pass
    finally:
        holder.close()
        other.close()


async def test_a_holder_that_lost_its_lock_starts_no_further_row_and_the_new_holder_answers_them_in_order(
    app: Application, redis: Redis, caplog: pytest.LogCaptureFixture
) -> None:
    """Redis away for longer than the lock's life (here: the key is gone, as if expired, and another
    instance takes it): the keeper notices, and the old holder leaves the user's later rows to the new one."""
    prefix = f"nocert-test-lock:{uuid.uuid4().hex[:8]}:"
    answered: list[tuple[str, str]] = []
    first, second = lock_of(redis, prefix, ttl=1.5), lock_of(redis, prefix, ttl=1.5)
    one, two = Instance("one", app, first, answered), Instance("two", app, second, answered)
    rows = [await receive(app, n, words) for n, words in enumerate(("王芳", "13805361234", "奎文区"), 1)]
    try:
        one.slow = True  # instance one is answering the first row…
        turn = asyncio.create_task(one.turns.take(USER, *rows[0]))
        await one.holding.wait()
        await redis.delete(prefix + USER)  # …when its lock expires
        async with second.hold(USER):  # and instance two takes it
            while first.keeper.lost == 0:  # the keeper's next round finds it
                await asyncio.sleep(0.05)
        one.hold_first.set()
        await turn
        assert answered == [("one", "王芳")]  # one finished the row it was on, and no other
        await two.turns.take(USER, *rows[1])
        assert answered == [("one", "王芳"), ("two", "13805361234"), ("two", "奎文区")]
        assert any("expired while held" in record.getMessage() for record in caplog.records)
    finally:
        first.close()
        second.close()
