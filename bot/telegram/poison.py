"""Poison updates: an update the Telegram library cannot parse must not stop polling for everyone.

Both libraries parse a getUpdates batch as a whole; one malformed update (a forged or future field) made
aiogram fail the batch forever and python-telegram-bot log ~100 CRITICAL lines a second with the full update,
while every other user waited. Each runtime hands the raw batch to `PoisonScreen.screen` when the library's
parse would fail: every update the library cannot read is replaced by a bare `{"update_id": n}` — which both
libraries read as an update with nothing in it and acknowledge, so polling moves past it — and logged once
as a warning with its id and the error's field paths only (no content; the privacy filter masks the rest).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from typing import Any

log = logging.getLogger(__name__)

REMEMBERED = 1000  # poison update ids remembered, so a redelivered one is not logged again


class PoisonScreen:
    def __init__(self, framework: str, parse: Callable[[dict[str, Any]], object]) -> None:
        self.framework = framework
        self.parse = parse  # raises when the library cannot read one update
        self.skipped: list[int] = []

    def screen(self, updates: list[Any]) -> list[Any]:
        screened: list[Any] = []
        for update in updates:
            try:
                self.parse(update)
            except Exception as error:  # whatever the library raises for input it cannot read
                update_id = update.get("update_id") if isinstance(update, dict) else None
                self._report(update_id if isinstance(update_id, int) else None, error)
                if isinstance(update_id, int) and not isinstance(update_id, bool):
                    screened.append({"update_id": update_id})
                continue
            screened.append(update)
        return screened

    def _report(self, update_id: int | None, error: Exception) -> None:
        if update_id is not None and update_id in self.skipped:
            return
        if update_id is not None:
            self.skipped = [*self.skipped[-(REMEMBERED - 1) :], update_id]
        log.warning(
            "skipped update %s: %s cannot read it (%s); polling goes on",
            update_id if update_id is not None else "without an id",
            self.framework,
            describe(error),
        )


def describe(error: Exception) -> str:
    """The error's kind and, for pydantic, the field paths — never the input values."""
    errors = getattr(error, "errors", None)
    if callable(errors):
        try:
            details = errors(include_input=False, include_url=False)
            paths = sorted({".".join(str(part) for part in item.get("loc", ())) for item in details})
            return f"{type(error).__name__} at {', '.join(paths[:5])}"
        except TypeError:
            pass
    return type(error).__name__
