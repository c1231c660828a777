"""Several instances answering one bot (issue 11 item 3): a user's updates in order, by one process at a time.

Behind a balancer a user's next update may reach instance B while instance A is still answering the one
before. So whoever handles a user first takes that user's lock (bot/telegram/user_lock.py, in Redis) and
answers
*all* of the user's unprocessed inbox rows, oldest first — including rows another instance received. An
instance that then finds its own row already answered just notes it as finished.

Rows whose instance died before answering them (the HTTP 200 was given: they are in the inbox) are
adopted: every instance looks every `adopt_every` seconds for users with a row older than `adopt_after`
seconds and takes their turn. The lock, the inbox's processed mark and the dialog state's version check
make a second look harmless.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import timedelta
from typing import TYPE_CHECKING

from bot.telegram.common import CHANNEL
from bot.telegram.user_lock import LockTimeout, UserLock
from handlers.types import Incoming, incoming_from_payload

if TYPE_CHECKING:
    from bot.telegram.base import TelegramRuntime

log = logging.getLogger(__name__)


class Turns:
    def __init__(
        self, runtime: TelegramRuntime, lock: UserLock, *, adopt_every: float = 5.0, adopt_after: float = 5.0
    ) -> None:
        self.runtime = runtime
        self.lock = lock
        self.adopt_every = adopt_every
        self.adopt_after = adopt_after
        self.adopted = 0  # rows answered for another instance (or after a crash)
        self._stop = asyncio.Event()
        self._task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self._stop.clear()
        self._task = asyncio.create_task(self.adopt_forever(self._stop), name="nocert-adopt")

    async def stop(self) -> None:
        self._stop.set()
        if self._task is not None:
            await asyncio.gather(self._task, return_exceptions=True)
            self._task = None

    async def take(
        self, user_ref: str, inbox_id: int | None = None, incoming: Incoming | None = None
    ) -> None:
        """The user's turn: under their lock, every unprocessed row of theirs, oldest first."""
        runtime = self.runtime
        answered_mine = False
        try:
            async with self.lock.hold(user_ref) as held:
                while True:
                    async with runtime.app.uow() as uow:
                        rows = await uow.chat.unprocessed_of(user_ref)
                    if not rows:
                        break
                    for row_id, payload in rows:
                        if held is not None and held.lost:  # another instance may hold it now: its turn
                            log.warning("a user's lock was lost; their later rows are left to its holder")
                            return
                        row = incoming_from_payload(payload["incoming"])
                        await runtime.handle_row(row_id, row, payload.get("callback_query_id"))
                        answered_mine |= row_id == inbox_id
                        if row_id != inbox_id:
                            self.adopted += 1
                    if inbox_id is not None:
                        break  # our row is answered (or was already); later ones have their own turn
        except LockTimeout:
            log.warning("a user's lock stayed busy; their rows stay in the inbox for a later turn")
        finally:
            if incoming is not None and not answered_mine:
                await runtime.finished(incoming.update_id or "")  # answered elsewhere (or redelivered)

    async def adopt_forever(self, stop: asyncio.Event) -> None:
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), self.adopt_every)
                return
            except TimeoutError:
                pass
            try:
                await self.adopt_once()
            except Exception as error:  # the database away for a moment: next round
                log.warning("looking for unanswered updates failed: %s", type(error).__name__)

    async def adopt_once(self) -> int:
        """Queue a turn for each user with a row waiting over `adopt_after` seconds (unless queued here)."""
        runtime = self.runtime
        before = runtime.app.clock.now() - timedelta(seconds=self.adopt_after)
        async with runtime.app.uow() as uow:
            users = await uow.chat.waiting_users(f"{CHANNEL}:", before)
        queued = 0
        for user_ref in users:
            if runtime.queues.busy(user_ref):
                continue
            runtime.queues.submit(user_ref, lambda user_ref=user_ref: self.take(user_ref))  # type: ignore[misc]
            queued += 1
        return queued
