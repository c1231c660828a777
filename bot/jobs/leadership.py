"""Which instance runs the scheduled jobs (issue 11 item 3).

Every instance runs the outbox worker, but sweeps, hotspots, the digest, the weekly report and retention
run on one instance: the holder of the database lease `scheduler` (nocert_core/services/platform/leases.py).
Each instance asks for the lease every `ttl / 3` seconds; the holder's ask renews it. When the holder dies its
lease expires after `ttl` and the next ask by another instance takes it over — within `ttl + ttl / 3`
(60 s with the default 45 s). The new holder first runs the start-up catch-up (what was missed meanwhile).
A clean stop releases the lease at once. Running a job twice would still be safe (alert marks and digest
dedup keys are exactly-once); the lease avoids the wasted work.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable
from datetime import timedelta

from nocert_core.bootstrap import Application
from nocert_core.services.platform import leases

log = logging.getLogger(__name__)


def instance_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class Leadership:
    def __init__(
        self,
        app: Application,
        *,
        holder: str | None = None,
        ttl: float | None = None,
        on_gain: Callable[[], Awaitable[None]] | None = None,
    ) -> None:
        self.app = app
        self.holder = holder or instance_name()
        self.ttl = float(ttl if ttl is not None else app.settings.leader_lease_seconds)
        self.on_gain = on_gain
        self.leading = False
        self.healthy = False  # the last ask reached the database
        self.gained = 0  # how often this instance took the lease

    async def step(self) -> bool:
        was = self.leading
        try:
            self.leading = await leases.hold(
                self.app.uow, leases.SCHEDULER, self.holder, self.app.clock.now(), timedelta(seconds=self.ttl)
            )
            self.healthy = True
        except Exception as error:  # cannot tell: stop running the jobs until the database answers
            log.warning("could not renew the scheduler lease: %s", type(error).__name__)
            self.leading, self.healthy = False, False
        if self.leading and not was:
            self.gained += 1
            log.info("this instance now runs the scheduled jobs (lease %s)", self.holder)
            if self.on_gain is not None:
                await self.on_gain()
        elif was and not self.leading:
            log.warning("this instance no longer holds the scheduler lease")
        return self.leading

    async def run(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            await self.step()
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(stop.wait(), self.ttl / 3)

    async def release(self) -> None:
        if self.leading:
            self.leading = False
            try:
                await leases.release(self.app.uow, leases.SCHEDULER, self.holder)
            except Exception as error:
                log.warning("could not release the scheduler lease: %s", type(error).__name__)
