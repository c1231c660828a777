"""Where dialog state lives between updates, and the per-user lock that serialises a user's updates."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Protocol

from handlers.dispatch.routing import DialogState
from nocert_core.bootstrap import Application
from nocert_core.services.platform.uow import AbstractUnitOfWork


class StateStorage(Protocol):
    async def load(self, user_ref: str) -> DialogState: ...

    async def save(self, user_ref: str, state: DialogState) -> None: ...


class TransactionalStorage(StateStorage, Protocol):
    """A storage in the database itself: the dialog step is loaded and saved in the update's own
    transaction (issue 15: one transaction per update)."""

    async def load_in(self, uow: AbstractUnitOfWork, user_ref: str) -> DialogState: ...

    async def save_in(self, uow: AbstractUnitOfWork, user_ref: str, state: DialogState) -> None: ...


class VersionedStorage(StateStorage, Protocol):
    """A storage that can tell whether a state is still the stored one (an answer computed from a step
    another process has moved on from must not be committed, even when it changed nothing)."""

    async def is_current(self, user_ref: str, state: DialogState) -> bool: ...


class DatabaseStateStorage:
    """Dialog state in the database (table `chat_dialog_states`): survives restarts, needs no Redis."""

    def __init__(self, app: Application) -> None:
        self.app = app

    async def load(self, user_ref: str) -> DialogState:
        async with self.app.uow() as uow:
            return await self.load_in(uow, user_ref)

    async def load_in(self, uow: AbstractUnitOfWork, user_ref: str) -> DialogState:
        found = await uow.chat.load_versioned(user_ref)
        if found is None:
            return DialogState(version=0)
        return DialogState(name=found[0], data=found[1], version=found[2])

    async def save(self, user_ref: str, state: DialogState) -> None:
        async with self.app.uow() as uow:
            await self.save_in(uow, user_ref, state)
            await uow.commit()

    async def is_current(self, user_ref: str, state: DialogState) -> bool:
        async with self.app.uow() as uow:
            return await self.is_current_in(uow, user_ref, state)

    async def is_current_in(self, uow: AbstractUnitOfWork, user_ref: str, state: DialogState) -> bool:
        return state.version is None or await uow.chat.state_version(user_ref) == state.version

    async def save_in(self, uow: AbstractUnitOfWork, user_ref: str, state: DialogState) -> None:
        """Saves only over the version `state` was loaded at (StaleDialogState otherwise)."""
        expected = state.version
        new_version = await uow.chat.save_state(
            user_ref, state.name, dict(state.data), self.app.clock.now(), expected_version=expected
        )
        if expected is not None:
            state.version = new_version or 0


class UserLocks:
    """One asyncio lock per user; forgotten when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._users: dict[str, int] = {}

    @asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._users[key] = self._users.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._users[key] -= 1
            if not self._users[key]:
                del self._users[key], self._locks[key]
