"""Rendering of outbox messages: each message kind has one renderer that turns its payload into a Reply
in the recipient's language. Each feature module keeps its renderers in its own `Renderers` table
(`renderer = Renderers()`, then `@renderer("kind")`); `handlers/renderers.py` lists the tables explicitly."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.types import Reply
from nocert_core.i18n import Translator

# A renderer gets its kind's payload type (nocert_core/domain/notifications.py), never the row's JSON
# (tests/unit/platform/test_architecture.py holds every renderer to it).
Renderer = Callable[[Any, Translator], Reply]


class Renderers:
    """One feature's renderers by message kind; calling it with a kind gives a decorator."""

    def __init__(self) -> None:
        self.kinds: dict[str, Renderer] = {}

    def __call__(self, kind: str) -> Callable[[Renderer], Renderer]:
        def register(function: Renderer) -> Renderer:
            if kind in self.kinds:
                raise ValueError(f"two renderers for outbox kind {kind!r}")
            self.kinds[kind] = function
            return function

        return register
