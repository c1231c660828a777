"""Accounts by reference, kept for a short while: a chat update needs its sender's account, and reading it
from the database on every update was a transaction of its own.

An entry is dropped as soon as this process commits a change to that account (the unit of work reports
every Account it flushed, and the few bulk UPDATEs of accounts call `forget`), and at the latest after
`ttl_seconds`, which bounds how long a change made by another process (the CLI) takes to be seen here.
"""

from __future__ import annotations

import time
from collections import OrderedDict
from collections.abc import Callable, Iterable

from nocert_core.domain.accounts import Account

DEFAULT_TTL_SECONDS = 30.0
DEFAULT_MAX_ENTRIES = 20_000


class AccountCache:
    def __init__(
        self,
        ttl_seconds: float = DEFAULT_TTL_SECONDS,
        max_entries: int = DEFAULT_MAX_ENTRIES,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        self.ttl_seconds = ttl_seconds
        self.max_entries = max_entries
        self._monotonic = monotonic
        self._entries: OrderedDict[str, tuple[float, Account]] = OrderedDict()

    def get(self, ref: str) -> Account | None:
        entry = self._entries.get(ref)
        if entry is None:
            return None
        if entry[0] <= self._monotonic():
            del self._entries[ref]
            return None
        return entry[1]

    def put(self, account: Account) -> None:
        if self.ttl_seconds <= 0:
            return
        self._entries[account.ref] = (self._monotonic() + self.ttl_seconds, account)
        self._entries.move_to_end(account.ref)
        while len(self._entries) > self.max_entries:
            self._entries.popitem(last=False)

    def forget(self, refs: Iterable[str]) -> None:
        for ref in refs:
            self._entries.pop(ref, None)

    def clear(self) -> None:
        self._entries.clear()

    def __len__(self) -> int:
        return len(self._entries)


NO_ACCOUNT_CACHE = AccountCache(ttl_seconds=0)  # keeps nothing (in-memory fakes, one-off units of work)
