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

from handlers.dispatch.routing import DialogState
from nocert_core.adapters.sql.tables_chat import StaleDialogState

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
        return _state_of(await self.client.get(self.key(user_ref)))

    async def load_many(self, user_refs: list[str]) -> dict[str, DialogState]:
        """`load` for several users in one round trip (MGET): a batch of updates (group commit)."""
        raws = await self.client.mget([self.key(user_ref) for user_ref in user_refs]) if user_refs else []
        return {user_ref: _state_of(raw) for user_ref, raw in zip(user_refs, raws, strict=True)}

    async def save_many(
        self, saves: list[tuple[str, DialogState]], checks: list[tuple[str, DialogState]]
    ) -> set[str]:
        """`save` for several users and `is_current` for others, in one round trip (a pipeline, not a
        transaction: each save is its own compare-and-set). The users whose stored version differed
        (nothing of theirs was saved)."""
        if not saves and not checks:
            return set()
        ttl = int(self.ttl.total_seconds())
        pipeline = self.client.pipeline(transaction=False)
        for user_ref, state in saves:
            empty = state.name is None and not state.data
            payload = (
                "" if empty else json.dumps({"name": state.name, "data": state.data}, ensure_ascii=False)
            )
            expected = "" if state.version is None else str(state.version)
            pipeline.eval(_SAVE, 1, self.key(user_ref), expected, payload, ttl)
        for user_ref, _ in checks:
            pipeline.get(self.key(user_ref))
        answers = await pipeline.execute()
        stale: set[str] = set()
        for (user_ref, state), result in zip(saves, answers[: len(saves)], strict=True):
            if int(result) < 0:
                stale.add(user_ref)
            elif state.version is not None:
                state.version = int(result)
        for (user_ref, state), raw in zip(checks, answers[len(saves) :], strict=True):
            if state.version is not None and _state_of(raw).version != state.version:
                stale.add(user_ref)
        return stale

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


def _state_of(raw: str | bytes | None) -> DialogState:
    if not raw:
        return DialogState(version=0)
    stored = json.loads(raw)
    return DialogState(
        name=stored.get("name"),
        data=dict(stored.get("data") or {}),
        version=int(stored.get("version") or 0),
    )
