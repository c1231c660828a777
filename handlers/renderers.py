"""Every feature's outbox renderers, listed explicitly. Add one line per feature module."""

from __future__ import annotations

from handlers.complaints import card_updates
from handlers.complaints import notifications as complaint_notifications
from handlers.dialogs import chat_replies
from handlers.dispatch.notifications import Renderer, Renderers
from handlers.guidance import notifications as guidance_notifications
from handlers.oversight import notifications as oversight_notifications
from handlers.types import Reply
from handlers.verification import notifications as verification_notifications
from nocert_core.domain.notifications import MalformedPayload, read_payload
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


def render(kind: str, payload: object, t: Translator) -> Reply:
    """A stored row in the recipient's language: its JSON read as its kind's payload type (rows written
    before the type existed included: nocert_core/domain/notifications.py). `MalformedPayload` for a kind
    without a renderer or JSON that is no payload of its kind."""
    function = RENDERERS.get(kind)
    if function is None:
        raise MalformedPayload(f"no renderer for outbox kind {kind!r}")
    return function(read_payload(kind, payload), t)


def known_kinds() -> set[str]:
    return set(RENDERERS)
