"""Which updates a runtime has handled lately, and who is waiting for one (tests, benches, health checks).

This used to be an `asyncio.Condition` whose lock every update took in `finished()`. A waiter cancelled
twice — `wait_processed`'s own timeout and its caller's, both at 70 s in `bench/fuzz.py` — released that
lock while its inner `Condition.wait` had not yet taken it back (Python 3.11's `wait_for` does not wait for
the cancelled inner task when it is cancelled again); the inner task then took the lock for good. From
then on every update's `finished()` waited forever, every per-user worker kept its slot, and the bot
answered nobody while polling went on (the fuzz stall of session 2, docs/security.md).

Nothing here takes a lock or awaits while holding state: `finished` is a plain call that resolves the
futures of those waiting for that update, and a cancelled or timed-out waiter only removes its own future.
"""

from __future__ import annotations

import asyncio
from collections import Counter, deque


class UpdateProgress:
    """The last `remember` handled update ids (a redelivery counts again) and the waiters for each."""

    def __init__(self, remember: int = 1024) -> None:
        self._recent: deque[str] = deque()
        self._remember = remember
        self._counts: Counter[str] = Counter()
        self._waiters: dict[str, list[tuple[int, asyncio.Future[None]]]] = {}

    def count(self, update_id: int | str) -> int:
        """How many times this update was handled (among the last `remember` handled)."""
        return self._counts[str(update_id)]

    def finished(self, update_id: int | str) -> None:
        key = str(update_id)
        if len(self._recent) == self._remember:
            oldest = self._recent.popleft()
            self._counts[oldest] -= 1
            if self._counts[oldest] <= 0:
                del self._counts[oldest]
        self._recent.append(key)
        self._counts[key] += 1
        for times, future in self._waiters.get(key, ()):
            if self._counts[key] >= times and not future.done():
                future.set_result(None)

    async def wait(self, update_id: int | str, times: int = 1, timeout: float = 10.0) -> None:
        """Until the update has been handled `times` times; TimeoutError after `timeout` seconds."""
        key = str(update_id)
        if self._counts[key] >= times:
            return
        future: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        waiter = (times, future)
        self._waiters.setdefault(key, []).append(waiter)
        try:
            await asyncio.wait_for(future, timeout)
        finally:
            waiting = self._waiters[key]
            waiting.remove(waiter)
            if not waiting:
                del self._waiters[key]
