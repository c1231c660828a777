"""Dialog state in Redis (NOCERT_REDIS_URL): the handlers' StateStorage against the real server."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator
from datetime import timedelta

import pytest
from redis.asyncio import Redis

from bot.telegram.redis_storage import RedisStateStorage
from handlers.dispatch.routing import DialogState

REDIS_URL = os.environ.get("NOCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

pytestmark = pytest.mark.redis


@pytest.fixture
async def storage() -> AsyncIterator[RedisStateStorage]:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except Exception as error:  # any connection failure means: no Redis on this machine
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    prefix = f"nocert-test:{uuid.uuid4().hex[:8]}:"
    store = RedisStateStorage(client, prefix=prefix, ttl=timedelta(minutes=5))
    try:
        yield store
    finally:
        keys = [key async for key in client.scan_iter(f"{prefix}*")]
        if keys:
            await client.delete(*keys)
        await store.close()


async def test_a_saved_dialog_comes_back_with_its_answers(storage: RedisStateStorage) -> None:
    state = DialogState("ci.phone", {"draft": {"name": "王芳"}, "_tok": "3fa2", "followups": ["when"]})
    await storage.save("telegram:1001", state)
    loaded = await storage.load("telegram:1001")
    assert loaded == state
    assert await storage.load("telegram:2002") == DialogState()


async def test_a_finished_dialog_leaves_no_key_behind(storage: RedisStateStorage) -> None:
    await storage.save("telegram:1001", DialogState("ci.name", {"draft": {}}))
    await storage.save("telegram:1001", DialogState())
    assert await storage.client.exists(storage.key("telegram:1001")) == 0
    assert await storage.load("telegram:1001") == DialogState()


async def test_an_idle_dialog_expires(storage: RedisStateStorage) -> None:
    await storage.save("telegram:1001", DialogState("ci.name", {"draft": {}}))
    ttl = await storage.client.ttl(storage.key("telegram:1001"))
    assert 0 < ttl <= 300


async def test_a_second_process_reads_what_the_first_saved(storage: RedisStateStorage) -> None:
    await storage.save("console:alice", DialogState("rt.comment", {"number": "TS-2026-000001", "score": 4}))
    other = RedisStateStorage.from_url(REDIS_URL, prefix=storage.prefix)
    try:
        assert (await other.load("console:alice")).data == {"number": "TS-2026-000001", "score": 4}
    finally:
        await other.close()
