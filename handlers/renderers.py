"""Every feature's outbox renderers, listed explicitly. Add one line per feature module."""

from __future__ import annotations

from typing import Any

from handlers import (
    card_updates,
    chat_replies,
    complaint_notifications,
    guidance_notifications,
    oversight_notifications,
    verification_notifications,
)
from handlers.notifications import Renderer, Renderers
from handlers.types import Reply
from nocert_core.i18n import Translator

_FEATURES: tuple[Renderers, ...] = (
    card_updates.renderer,
    chat_replies.renderer,
    complaint_notifications.renderer,
    guidance_notifications.renderer,
    oversight_notifications.renderer,
    verification_notifications.renderer,
)


def _merge(tables: tuple[Renderers, ...]) -> dict[str, Renderer]:
    merged: dict[str, Renderer] = {}
    for table in tables:
        for kind, function in table.kinds.items():
            if kind in merged:
                raise ValueError(f"two renderers for outbox kind {kind!r}")
            merged[kind] = function
    return merged


RENDERERS: dict[str, Renderer] = _merge(_FEATURES)


def render(kind: str, payload: dict[str, Any], t: Translator) -> Reply:
    function = RENDERERS.get(kind)
    if function is None:
        raise KeyError(f"no renderer for outbox kind {kind!r}")
    return function(payload, t)


def known_kinds() -> set[str]:
    return set(RENDERERS)
