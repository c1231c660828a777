"""One user's updates handled by one process at a time, across every instance (issue 11 item 3).

With several instances behind a balancer, a user's next update may reach another instance while the first
is still answering the previous one. Each instance takes the user's lock in Redis before it handles that
user's inbox rows (oldest first, whichever instance received them), so the answers keep the user's order.

The lock (redis-py's `Lock`: SET NX PX with a random token, released only by its holder) lives
`ttl` seconds and is extended every `ttl / 3` while held, so a long reply (a 429 wait) keeps it and a
process killed while holding it blocks that user for at most `ttl`. Waiting for it gives up after `wait`
seconds (LockTimeout): the rows stay in the inbox and are taken up again (`TelegramRuntime.adopt`).
Even if a lock is lost, the dialog state's version check and the inbox's processed mark keep a second
writer from committing (handlers/dispatcher.py).
Without Redis (one process, SQLite) `LocalUserLock` does nothing: the runtime's own per-user queue orders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from redis.asyncio import Redis
from redis.asyncio.lock import Lock
from redis.exceptions import LockError

log = logging.getLogger(__name__)


class LockTimeout(Exception):
    """The user's lock stayed held by another process for longer than the wait allows."""


class UserLock(Protocol):
    def hold(self, user_ref: str) -> contextlib.AbstractAsyncContextManager[None]: ...


class LocalUserLock:
    """One process: its per-user queue already runs a user's updates one at a time."""

    @asynccontextmanager
    async def hold(self, user_ref: str) -> AsyncIterator[None]:
        yield


class RedisUserLock:
    def __init__(
        self, client: Redis, *, ttl: float = 20.0, wait: float = 60.0, prefix: str = "nocert:user-lock:"
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.wait = wait
        self.prefix = prefix

    @asynccontextmanager
    async def hold(self, user_ref: str) -> AsyncIterator[None]:
        lock = Lock(
            self.client,
            self.prefix + user_ref,
            timeout=self.ttl,
            sleep=0.02,
            blocking_timeout=self.wait,
            thread_local=False,
            raise_on_release_error=False,
        )
        if not await lock.acquire():
            raise LockTimeout(user_ref)
        keeper = asyncio.create_task(self._keep(lock), name="nocert-user-lock")
        try:
            yield
        finally:
            keeper.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await keeper
            try:
                await lock.release()
            except Exception as error:  # expired meanwhile, or Redis gone: nothing left to release
                log.warning("could not release a user lock: %s", type(error).__name__)

    async def _keep(self, lock: Lock) -> None:
        while True:
            await asyncio.sleep(self.ttl / 3)
            try:
                await lock.reacquire()  # back to the full ttl
            except LockError:
                log.warning("a user lock expired while held; the version check guards the state")
                return
            except Exception as error:
                log.warning("could not extend a user lock: %s", type(error).__name__)
