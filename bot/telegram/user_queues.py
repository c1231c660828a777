"""Per-user queues: each user's updates are handled one at a time, in arrival order, while different users
are served in parallel (as many at once as the database pool allows); the polling loop never waits."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Awaitable, Callable

log = logging.getLogger(__name__)

Job = Callable[[], Awaitable[None]]


def connection_shares(pool_size: int) -> tuple[int, int]:
    """How a runtime shares its database pool: (updates handled at once, webhook inbox writes at once).

    Each update in progress holds one connection for its transaction. A quarter of the pool (at least 1,
    at most 4) is kept for the webhook's inbox writes, so a burst of POSTs while every update slot is busy
    neither waits behind those transactions nor opens overflow connections (a login each on PostgreSQL;
    with several instances, the overflow of all of them is what exhausts the server's max_connections).
    The overflow is left to the outbox worker, the scheduler lease, adoption and /readyz."""
    writers = min(4, max(1, pool_size // 4))
    return max(1, pool_size - writers), writers


class UserQueues:
    """One FIFO queue per user: a user's jobs run one at a time, in order; users run in parallel."""

    def __init__(self, max_parallel_users: int = 32) -> None:
        self._queues: dict[str, deque[Job]] = {}
        self._workers: dict[str, asyncio.Task[None]] = {}
        self.max_parallel = max_parallel_users
        self._parallel = asyncio.Semaphore(max_parallel_users)

    def submit(self, key: str, job: Job) -> None:
        """Queue a job without waiting (safe to call from a polling loop)."""
        self._queues.setdefault(key, deque()).append(job)
        if key not in self._workers:
            self._workers[key] = asyncio.create_task(self._work(key), name=f"telegram-user-{key}")

    async def _work(self, key: str) -> None:
        queue = self._queues[key]
        try:
            while queue:
                job = queue.popleft()
                async with self._parallel:
                    try:
                        await job()
                    except Exception:  # one failed update must not stop this user's queue
                        log.exception("processing an update of %s failed", key)
        finally:
            del self._queues[key]
            del self._workers[key]

    def busy(self, key: str) -> bool:
        return key in self._workers

    @property
    def pending(self) -> int:
        return sum(len(queue) for queue in self._queues.values()) + len(self._workers)

    async def drain(self) -> None:
        """Wait until every queued job has run (jobs queued meanwhile included)."""
        while self._workers:
            await asyncio.gather(*list(self._workers.values()), return_exceptions=True)
