"""Per-user flood control: each user's updates are paced by a leaky bucket (aiolimiter), so one user
sending hundreds of messages costs at most `rate_limit_per_minute` handled updates a minute and cannot crowd
out anyone else. Nothing is dropped: an update over the limit waits for its turn (the dispatcher holds only
that user's lock while waiting) and its answer starts with a polite note, at most once a minute.

`rate_limit_per_minute = 0` turns pacing off (the default test settings do, so scripted dialogs run at full
speed; the flood tests turn it on). The console channel (`nocert chat`, a local operator) is not paced.
"""

from __future__ import annotations

import time
from collections import OrderedDict

from aiolimiter import AsyncLimiter

from nocert_core.i18n import N_

REMEMBERED_USERS = 10_000  # limiters of users idle longest are forgotten (a forgotten user starts afresh)
NOTE_INTERVAL = 60.0  # seconds between two "slow down" notes to the same user
SLOW_DOWN = N_(
    "You are sending messages faster than I can answer. I answer each of them in turn; nothing is lost."
)


class FloodGuard:
    def __init__(self, per_minute: int, burst: int) -> None:
        self.per_minute = per_minute
        self.burst = max(1, burst)
        self._limiters: OrderedDict[str, AsyncLimiter] = OrderedDict()
        self._noted: dict[str, float] = {}

    @property
    def enabled(self) -> bool:
        return self.per_minute > 0

    async def pace(self, user_ref: str) -> bool:
        """Wait until `user_ref` may be served; True when they had to wait and should read the note now."""
        if not self.enabled:
            return False
        limiter = self._limiter(user_ref)
        waited = not limiter.has_capacity()
        await limiter.acquire()
        if not waited:
            return False
        now = time.monotonic()
        if now - self._noted.get(user_ref, -NOTE_INTERVAL) < NOTE_INTERVAL:
            return False
        self._noted[user_ref] = now
        return True

    def _limiter(self, user_ref: str) -> AsyncLimiter:
        limiter = self._limiters.get(user_ref)
        if limiter is None:
            # A bucket of `burst` updates that drains at per_minute / 60 updates a second.
            limiter = AsyncLimiter(self.burst, self.burst * 60.0 / self.per_minute)
            self._limiters[user_ref] = limiter
            while len(self._limiters) > REMEMBERED_USERS:
                forgotten, _ = self._limiters.popitem(last=False)
                self._noted.pop(forgotten, None)
        else:
            self._limiters.move_to_end(user_ref)
        return limiter
