"""bench/webhook_cluster.py's killer (the 3-instance soak, issue 11): each kill starts its instance again
exactly once, so the soak never runs an instance nobody tracks or kills."""

from __future__ import annotations

import asyncio
from pathlib import Path

from bench.webhook_cluster import Cluster, Instance


class FakeInstance(Instance):
    """No process: alive until killed, ready as soon as started."""

    def __init__(self, index: int, starts: list[int]) -> None:
        super().__init__(index, {}, "aiogram", "http://127.0.0.1/hook", Path("unused.log"))
        self.running = True
        self.starts = starts

    @property
    def alive(self) -> bool:
        return self.running

    async def start(self) -> None:
        assert not self.running, "started while its earlier process still runs"
        self.starts.append(self.index)
        self.running = True

    async def wait_ready(self, timeout: float = 300.0) -> bool:
        await asyncio.sleep(0)
        return self.running

    async def kill(self) -> None:
        self.running = False


async def test_every_kill_restarts_its_instance_once_and_is_not_counted_as_a_crash() -> None:
    cluster = Cluster(3, {}, "aiogram", Path("."))
    starts: list[int] = []
    cluster.instances = [FakeInstance(index, starts) for index in range(3)]
    stop = asyncio.Event()
    killer = asyncio.create_task(cluster.killer(0.001, 0.002, stop))
    while cluster.kills < 10:
        await asyncio.sleep(0.001)
    stop.set()
    await killer
    assert cluster.crashes == 0
    assert len(starts) == cluster.kills
