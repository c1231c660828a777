"""Replies to a user's own message, delivered through the outbox (kind "chat_reply").

The dispatcher writes them in the transaction that saves the dialog step (so a saved step never has a
lost reply); the text is already in the user's language, so rendering only rebuilds the `Reply`."""

from __future__ import annotations

from handlers.dispatch.notifications import Renderers
from handlers.types import Reply, reply_of
from nocert_core.domain.notifications import CHAT_REPLY, ChatReply
from nocert_core.i18n import Translator

KIND = CHAT_REPLY
renderer = Renderers()


@renderer(KIND)
def render_reply(reply: ChatReply, t: Translator) -> Reply:
    return reply_of(reply)
