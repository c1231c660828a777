"""Rendering of outbox messages: each message kind has one renderer that turns its payload into a Reply
in the recipient's language. Features register renderers for their own kinds."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from handlers.types import Reply
from nocert_core.i18n import Translator

Renderer = Callable[[dict[str, Any], Translator], Reply]
_renderers: dict[str, Renderer] = {}


def renderer(kind: str) -> Callable[[Renderer], Renderer]:
    def register(function: Renderer) -> Renderer:
        _renderers[kind] = function
        return function

    return register


def render(kind: str, payload: dict[str, Any], t: Translator) -> Reply:
    _load_feature_renderers()
    function = _renderers.get(kind)
    if function is None:
        raise KeyError(f"no renderer for outbox kind {kind!r}")
    return function(payload, t)


def known_kinds() -> set[str]:
    _load_feature_renderers()
    return set(_renderers)


def _load_feature_renderers() -> None:
    import handlers.renderers  # noqa: F401 - feature renderer modules register on import
