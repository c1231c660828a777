"""Dialog state in Redis, for production (`NOCERT_REDIS_URL`), used by both Telegram runtimes.

It implements the handlers' `StateStorage` protocol, so the transport-neutral dialogs keep their state in
one place whichever framework carries them. (aiogram's own FSM `RedisStorage` is not used: our dialogs do
not run on aiogram's FSM, and python-telegram-bot must read the same state.) One key per user:
`nocert:dialog:<user_ref>` holding JSON `{"name": ..., "data": {...}}`; an idle dialog expires after
`ttl` (default 30 days) so abandoned conversations do not pile up; finishing a dialog deletes the key.
"""

from __future__ import annotations

import json
from datetime import timedelta

from redis.asyncio import Redis

from handlers.routing import DialogState

DEFAULT_TTL = timedelta(days=30)


class RedisStateStorage:
    def __init__(
        self, client: Redis, *, prefix: str = "nocert:dialog:", ttl: timedelta = DEFAULT_TTL
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.ttl = ttl

    @classmethod
    def from_url(
        cls, url: str, *, prefix: str = "nocert:dialog:", ttl: timedelta = DEFAULT_TTL
    ) -> RedisStateStorage:
        return cls(Redis.from_url(url, decode_responses=True), prefix=prefix, ttl=ttl)

    def key(self, user_ref: str) -> str:
        return f"{self.prefix}{user_ref}"

    async def load(self, user_ref: str) -> DialogState:
        raw = await self.client.get(self.key(user_ref))
        if not raw:
            return DialogState()
        stored = json.loads(raw)
        return DialogState(name=stored.get("name"), data=dict(stored.get("data") or {}))

    async def save(self, user_ref: str, state: DialogState) -> None:
        if state.name is None and not state.data:
            await self.client.delete(self.key(user_ref))
            return
        payload = json.dumps({"name": state.name, "data": state.data}, ensure_ascii=False)
        await self.client.set(self.key(user_ref), payload, ex=self.ttl)

    async def ping(self) -> None:
        """Fail early (at start-up) when Redis is not reachable."""
        await self.client.ping()

    async def close(self) -> None:
        await self.client.aclose()
