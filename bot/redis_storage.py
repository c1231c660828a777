"""Dialog state in Redis, for production (`NOCERT_REDIS_URL`), used by both Telegram runtimes.

It implements the handlers' `StateStorage` protocol, so the transport-neutral dialogs keep their state in
one place whichever framework carries them. (aiogram's own FSM `RedisStorage` is not used: our dialogs do
not run on aiogram's FSM, and python-telegram-bot must read the same state.) One key per user:
`nocert:dialog:<user_ref>` holding JSON `{"name": ..., "data": {...}}`; an idle dialog expires after
`ttl` (default 30 days) so abandoned conversations do not pile up; finishing a dialog deletes the key.

Each value carries a `version`; a state loaded at version v is saved only while the key still holds v (a
compare-and-set in one Lua script), else `StaleDialogState`: of two instances that read the same step, the
second writer loses and handles its update again from the new step (no last-writer-wins).
"""

from __future__ import annotations

import json
from datetime import timedelta

from redis.asyncio import Redis

from handlers.routing import DialogState
from nocert_core.adapters.tables_chat import StaleDialogState

DEFAULT_TTL = timedelta(days=30)

# KEYS[1] the user's key; ARGV: expected version ("" = unconditional), new JSON without version ("" =
# delete), TTL seconds. Returns the new version, 0 after a delete, -1 when the stored version differs.
_SAVE = """
local raw = redis.call('GET', KEYS[1])
local current = 0
if raw then current = tonumber(string.match(raw, '^{"version": ?(%d+)')) or 0 end
if ARGV[1] ~= '' and tonumber(ARGV[1]) ~= current then return -1 end
if ARGV[2] == '' then redis.call('DEL', KEYS[1]) return 0 end
local value = '{"version": ' .. (current + 1) .. ', ' .. string.sub(ARGV[2], 2)
redis.call('SET', KEYS[1], value, 'EX', tonumber(ARGV[3]))
return current + 1
"""


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
            return DialogState(version=0)
        stored = json.loads(raw)
        return DialogState(
            name=stored.get("name"),
            data=dict(stored.get("data") or {}),
            version=int(stored.get("version") or 0),
        )

    async def save(self, user_ref: str, state: DialogState) -> None:
        """Saves only over the version `state` was loaded at (StaleDialogState otherwise); a state not
        loaded from here (version None) is saved unconditionally."""
        empty = state.name is None and not state.data
        payload = "" if empty else json.dumps({"name": state.name, "data": state.data}, ensure_ascii=False)
        expected = "" if state.version is None else str(state.version)
        result = int(
            await self.client.eval(
                _SAVE, 1, self.key(user_ref), expected, payload, int(self.ttl.total_seconds())
            )
        )
        if result < 0:
            raise StaleDialogState(user_ref)
        if state.version is not None:
            state.version = result

    async def is_current(self, user_ref: str, state: DialogState) -> bool:
        if state.version is None:
            return True
        return (await self.load(user_ref)).version == state.version

    async def ping(self) -> None:
        """Fail early (at start-up) when Redis is not reachable."""
        await self.client.ping()

    async def close(self) -> None:
        await self.client.aclose()
