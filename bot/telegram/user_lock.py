"""One user's updates handled by one process at a time, across every instance (issue 11 item 3).

With several instances behind a balancer, a user's next update may reach another instance while the first
is still answering the previous one. Each instance takes the user's lock in Redis before it handles that
user's inbox rows (oldest first, whichever instance received them), so the answers keep the user's order.

The lock (redis-py's `Lock`: SET NX PX with a random token, released only by its holder) lives `ttl`
seconds, short (6 s by default): a process killed while holding it blocks that user only that long. For as
long as the holder works on the user's updates, however long that takes (a 429 wait, a slow database),
`LockKeeper` extends every lock the process holds every `ttl / 3` seconds, from a thread of its own: the
soak showed event loops that did not run for longer than a lock's life (a loaded machine at an instance's
start), and a keeper on the loop then let the lock expire under its holder. A process whose loop has not
run for `hung_after` seconds is taken for hung: its locks are no longer extended, so the others go on.

Losing a lock anyway (Redis away longer than `ttl`) is noticed by the keeper: `Held.lost` becomes true and
`Turns` starts no further row under it. The row in progress cannot commit a second result: its
transaction locks the inbox row from its first read and finds it processed if another instance answered it,
and the dialog state is saved only over the version it was read at (handlers/dispatch/dispatcher.py).

Waiting for the lock gives up after `wait` seconds (LockTimeout): the rows stay in the inbox and are taken
up again (`Turns.adopt_once`). Without Redis (one process, SQLite) `LocalUserLock` does nothing: the
runtime's own per-user queue orders.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import threading
import time
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any, Protocol

from redis import Redis as SyncRedis
from redis.asyncio import Redis
from redis.asyncio.lock import Lock

log = logging.getLogger(__name__)

LOST_MESSAGE = "a user lock expired while held"  # bench/soak.py counts these lines

# KEYS: the locks' names; ARGV: their tokens, then the life in ms. Extends each lock still holding its
# token; returns 1 or 0 per lock (0: expired, or taken by another process since).
_EXTEND = """
local kept = {}
local ms = ARGV[#ARGV]
for i, key in ipairs(KEYS) do
  if redis.call('GET', key) == ARGV[i] then
    redis.call('PEXPIRE', key, ms)
    kept[i] = 1
  else
    kept[i] = 0
  end
end
return kept
"""


class LockTimeout(Exception):
    """The user's lock stayed held by another process for longer than the wait allows."""


class Held:
    """A lock this process holds; `lost` turns true when the keeper finds it gone or taken."""

    def __init__(self, name: str, token: str) -> None:
        self.name = name
        self.token = token
        self.extended = time.monotonic()
        self.lost = False


class UserLock(Protocol):
    def hold(self, user_ref: str) -> contextlib.AbstractAsyncContextManager[Held | None]: ...


class LocalUserLock:
    """One process: its per-user queue already runs a user's updates one at a time."""

    @asynccontextmanager
    async def hold(self, user_ref: str) -> AsyncIterator[Held | None]:
        yield None


class LockKeeper:
    """Extends every lock of this process every `ttl / 3` seconds, from its own thread."""

    def __init__(self, client: SyncRedis, ttl: float, *, hung_after: float = 30.0) -> None:
        self.client = client
        self.ttl = ttl
        self.hung_after = hung_after
        self.held: dict[int, Held] = {}
        self.lost = 0  # locks found gone or taken while held
        self._guard = threading.Lock()
        self._stopped = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._loop_seen = time.monotonic()
        self._extend: Any = client.register_script(_EXTEND)

    def add(self, held: Held) -> None:
        with self._guard:
            self.held[id(held)] = held
            if self._thread is None:
                self._loop = asyncio.get_running_loop()
                self._loop_seen = time.monotonic()
                self._thread = threading.Thread(target=self._run, name="nocert-lock-keeper", daemon=True)
                self._thread.start()

    def remove(self, held: Held) -> None:
        with self._guard:
            self.held.pop(id(held), None)

    def close(self) -> None:
        self._stopped.set()
        thread = self._thread
        if thread is not None:
            thread.join(timeout=5)
        self.client.close()

    def _seen(self) -> None:
        self._loop_seen = time.monotonic()

    @classmethod
    def from_url(cls, url: str, ttl: float) -> LockKeeper:
        return cls(SyncRedis.from_url(url, socket_timeout=ttl / 3, socket_connect_timeout=ttl / 3), ttl)

    def _run(self) -> None:
        hung = False
        while not self._stopped.wait(self.ttl / 3):
            loop = self._loop
            if loop is None or loop.is_closed():  # its loop ended (tests run one per test): a new one starts
                with self._guard:
                    self._thread = None
                return
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(self._seen)
            stalled = time.monotonic() - self._loop_seen
            if stalled > self.hung_after:
                if not hung:
                    log.warning("the event loop has not run for %.0f s: user locks are let go", stalled)
                hung = True
                continue
            hung = False
            self.extend_all()

    def extend_all(self) -> None:
        with self._guard:
            held = list(self.held.values())
        if not held:
            return
        try:
            kept = self._extend(
                keys=[h.name for h in held], args=[*(h.token for h in held), int(self.ttl * 1000)]
            )
        except Exception as error:  # Redis away for a moment: the next round tries again
            log.warning("could not extend the user locks: %s", type(error).__name__)
            return
        now = time.monotonic()
        for h, ok in zip(held, kept, strict=True):
            if ok:
                h.extended = now
            elif not h.lost:
                with self._guard:
                    if id(h) not in self.held:
                        continue  # released meanwhile
                    h.lost = True
                    del self.held[id(h)]
                    self.lost += 1
                log.warning(
                    "%s (last extended %.1f s ago); the inbox row lock and the version check guard the state",
                    LOST_MESSAGE,
                    now - h.extended,
                )


class RedisUserLock:
    def __init__(
        self,
        client: Redis,
        *,
        ttl: float = 6.0,
        wait: float = 60.0,
        prefix: str = "nocert:user-lock:",
        keeper: LockKeeper | None = None,
    ) -> None:
        self.client = client
        self.ttl = ttl
        self.wait = wait
        self.prefix = prefix
        self.keeper = keeper or LockKeeper(_sync_twin(client), ttl)

    def close(self) -> None:
        self.keeper.close()

    @asynccontextmanager
    async def hold(self, user_ref: str) -> AsyncIterator[Held]:
        lock = Lock(
            self.client,
            self.prefix + user_ref,
            timeout=self.ttl,
            sleep=0.02,
            blocking_timeout=self.wait,
            thread_local=False,
            raise_on_release_error=False,
        )
        if not await lock.acquire():
            raise LockTimeout(user_ref)
        token = lock.local.token
        held = Held(str(lock.name), token.decode() if isinstance(token, bytes) else str(token))
        self.keeper.add(held)
        try:
            yield held
        finally:
            self.keeper.remove(held)
            if not held.lost:
                try:
                    await lock.release()
                except Exception as error:  # expired meanwhile, or Redis gone: nothing left to release
                    log.warning("could not release a user lock: %s", type(error).__name__)


def _sync_twin(client: Redis) -> SyncRedis:
    """A blocking client to the same TCP server as `client` (tests; `nocert run` passes a keeper built
    with `LockKeeper.from_url`)."""
    kwargs = client.connection_pool.connection_kwargs
    return SyncRedis(
        host=kwargs.get("host", "localhost"),
        port=kwargs.get("port", 6379),
        db=kwargs.get("db", 0),
        username=kwargs.get("username"),
        password=kwargs.get("password"),
        socket_timeout=2.0,
        socket_connect_timeout=2.0,
    )
