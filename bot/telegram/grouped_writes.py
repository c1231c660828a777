"""Webhook updates written to the inbox together (group commit, issue 15).

Each webhook POST must not be answered before its update is in the inbox (bot/telegram/base.py `accept`).
Written one statement per POST, a busy bot spent a round trip per update on it; here the updates that
arrive while `most` writes are in flight wait and go together in the next write — each POST still returns
only once its own row is stored, so the guarantee is unchanged, and alone a POST is written at once. A write
that fails fails every POST in it (Telegram delivers those again).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from typing import Generic, TypeVar

T = TypeVar("T")


class GroupedWrites(Generic[T]):
    def __init__(self, write: Callable[[list[T]], Awaitable[None]], most: int) -> None:
        self._write = write
        self._most = max(1, most)  # writes in flight (each holds a connection)
        self._waiting: list[tuple[T, asyncio.Future[None]]] = []
        self._running = 0

    async def add(self, item: T) -> None:
        """Returns once the write carrying `item` is done (raises what it raised)."""
        done: asyncio.Future[None] = asyncio.get_running_loop().create_future()
        self._waiting.append((item, done))
        self._kick()
        await asyncio.shield(done)  # a POST whose client went away does not cancel the others' write

    def _kick(self) -> None:
        while self._waiting and self._running < self._most:
            batch, self._waiting = self._waiting, []
            self._running += 1
            asyncio.get_running_loop().create_task(self._run(batch), name="nocert-inbox-write")

    async def _run(self, batch: list[tuple[T, asyncio.Future[None]]]) -> None:
        try:
            await self._write([item for item, _ in batch])
        except BaseException as error:
            for _, done in batch:
                if not done.done():
                    done.set_exception(error)
                    done.add_done_callback(_retrieved)  # no "never retrieved" for a cancelled POST
            if not isinstance(error, Exception):
                raise
        else:
            for _, done in batch:
                if not done.done():
                    done.set_result(None)
        finally:
            self._running -= 1
            self._kick()


def _retrieved(done: asyncio.Future[None]) -> None:
    if not done.cancelled():
        done.exception()
