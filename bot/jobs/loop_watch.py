"""How late the event loop runs, and where it is stuck when it stops (issue 11: locks that expired).

Everything one bot process does for its users shares one event loop: answering updates, the webhook's
HTTP answers, the outbox worker. Code that blocks it (a synchronous load, a C call that keeps the GIL)
stops all of them at once. `LoopWatch` measures it two ways:

- a task on the loop wakes every `interval` seconds and records how late it woke (the loop's lag) in
  `nocert_event_loop_lag_seconds` (a histogram) and as the largest lag seen;
- a thread notes when the loop last ticked; when it has not ticked for `stall` seconds it logs a warning
  with the stack of the loop's thread at that moment (once per stall), so the log names what blocks it.
"""

from __future__ import annotations

import asyncio
import logging
import sys
import threading
import time
import traceback
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from bot.http.metrics import Metrics

log = logging.getLogger(__name__)

STALL_MESSAGE = "the event loop has not run for"  # bench/soak.py counts these lines


class LoopWatch:
    def __init__(self, metrics: Metrics | None = None, *, interval: float = 0.25, stall: float = 2.0) -> None:
        self.metrics = metrics
        self.interval = interval
        self.stall = stall
        self.max_lag = 0.0
        self.stalls = 0  # times the thread found the loop stuck for `stall` seconds
        self.last_tick = time.monotonic()
        self._task: asyncio.Task[None] | None = None
        self._thread: threading.Thread | None = None
        self._stopped = threading.Event()
        self._loop_thread_id = 0

    def start(self) -> None:
        self._loop_thread_id = threading.get_ident()
        self.last_tick = time.monotonic()
        self._stopped.clear()
        self._task = asyncio.create_task(self._tick(), name="nocert-loop-watch")
        self._thread = threading.Thread(target=self._watch, name="nocert-loop-watch", daemon=True)
        self._thread.start()

    async def stop(self) -> None:
        self._stopped.set()
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join)
            self._thread = None

    async def _tick(self) -> None:
        while True:
            before = time.monotonic()
            await asyncio.sleep(self.interval)
            self.last_tick = now = time.monotonic()
            lag = max(0.0, now - before - self.interval)
            self.max_lag = max(self.max_lag, lag)
            if self.metrics is not None:
                self.metrics.loop_lag.observe(lag)
            if lag >= self.stall:
                log.warning("%s %.1f s (it runs again)", STALL_MESSAGE, lag)

    def _watch(self) -> None:
        reported_at = 0.0  # the tick of the stall already reported
        while not self._stopped.wait(self.interval):
            tick = self.last_tick
            stuck = time.monotonic() - tick
            if stuck < self.stall or tick == reported_at:
                continue
            reported_at = tick
            self.stalls += 1
            frame = sys._current_frames().get(self._loop_thread_id)
            where = "".join(traceback.format_stack(frame)[-12:]) if frame is not None else "(unknown)\n"
            log.warning("%s %.1f s; its thread is at:\n%s", STALL_MESSAGE, stuck, where.rstrip())
