"""Updates of a shape nocert fully knows skip the Telegram library (issue 10 item 8; issue 15).

Telegram delivers updates in order, so the others' first message after a flood of 500 arrives behind 500
updates, and each of those used to go through the library first: parsed (pydantic / `de_json`), passed through
its dispatcher to our handler, turned into an `Incoming`, then stored. `split_known` looks at the raw
getUpdates batch before the library does: every update of a shape it fully knows is turned into an
`Incoming` here (`incoming_from_raw`, plain dict reads) and staged directly; the library gets the rest. They
are stored in the same transaction and queued in update-id order, so nothing is lost and each user's order
holds; a flood is worked off at its paced rate by its own queue as before. Since nothing of the library's
objects is used for these updates, this also spares every update the library's parse and dispatch (aiogram:
~150 µs of ~1.9 ms of CPU per update, docs/performance.md session 8).

`incoming_from_raw` takes only updates of a shape it fully knows — a private text or contact message, or a
button with callback data — with every field checked for its type; for anything else (stickers, forged or
future fields, a poison update) it answers None and the library handles that update as before (screening
poison included). It gives the same `Incoming` as the library path, so a batch fetched again after a crash
is recognised as a redelivery whichever path it takes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.telegram.common import MessageFacts, TelegramUser, incoming_from_button, incoming_from_message
from handlers.types import Incoming

Staged = tuple[Incoming, str | None]  # an update and its callback query id, fetched but not yet stored
Check = Callable[[Any], bool]


def _int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _str(value: Any) -> bool:
    return isinstance(value, str)


def _bool(value: Any) -> bool:
    return isinstance(value, bool)


def _shape(required: dict[str, Check], optional: dict[str, Check]) -> Check:
    """A dict with these keys (and no others), each value passing its check."""

    def check(value: Any) -> bool:
        if not isinstance(value, dict) or not required.keys() <= value.keys():
            return False
        for key, item in value.items():
            test = required.get(key) or optional.get(key)
            if test is None or not test(item):
                return False
        return True

    return check


def _list_of(check: Check) -> Check:
    return lambda value: isinstance(value, list) and all(check(item) for item in value)


_USER = _shape(
    {"id": _int, "is_bot": _bool, "first_name": _str},
    {
        "last_name": _str,
        "username": _str,
        "language_code": _str,
        "is_premium": _bool,
        "added_to_attachment_menu": _bool,
    },
)
_CHAT = _shape(
    {"id": _int, "type": _str},
    {"title": _str, "username": _str, "first_name": _str, "last_name": _str, "is_forum": _bool},
)
_ENTITY = _shape({"type": _str, "offset": _int, "length": _int}, {"language": _str, "custom_emoji_id": _str})
_CONTACT = _shape(
    {"phone_number": _str, "first_name": _str}, {"last_name": _str, "user_id": _int, "vcard": _str}
)
_MESSAGE_BASE: dict[str, Check] = {"message_id": _int, "date": _int, "chat": _CHAT}
_TEXT_MESSAGE = _shape(
    {**_MESSAGE_BASE, "from": _USER, "text": _str}, {"entities": _list_of(_ENTITY), "edit_date": _int}
)
_CONTACT_MESSAGE = _shape({**_MESSAGE_BASE, "from": _USER, "contact": _CONTACT}, {})
_BUTTON = _shape({"text": _str, "callback_data": _str}, {})
_INLINE_MARKUP = _shape({"inline_keyboard": _list_of(_list_of(_BUTTON))}, {})
_CARD = _shape(  # the bot's own message a pressed button belongs to
    {**_MESSAGE_BASE, "from": _USER},
    {"text": _str, "entities": _list_of(_ENTITY), "edit_date": _int, "reply_markup": _INLINE_MARKUP},
)
_QUERY = _shape({"id": _str, "from": _USER, "chat_instance": _str, "data": _str}, {"message": _CARD})


def _telegram_user(raw: dict[str, Any]) -> TelegramUser:
    return TelegramUser(
        user_id=raw["id"],
        first_name=raw["first_name"],
        last_name=raw.get("last_name"),
        username=raw.get("username"),
        language_code=raw.get("language_code"),
    )


def incoming_from_raw(update: Any) -> Staged | None:
    """What the library path would make of this update, or None when its shape is not fully known here
    (or it is not for the conversations: a group chat); the library then handles it."""
    if not isinstance(update, dict) or not _int(update.get("update_id")) or len(update) != 2:
        return None
    update_id = update["update_id"]
    message: Any = update.get("message")
    if message is not None:
        if not (_TEXT_MESSAGE(message) or _CONTACT_MESSAGE(message)):
            return None
        if message["chat"]["type"] != "private":
            return None
        contact = message.get("contact")
        facts = MessageFacts(
            update_id=update_id,
            user=_telegram_user(message["from"]),
            chat_id=message["chat"]["id"],
            chat_type="private",
            content_type="contact" if contact is not None else "text",
            text=message.get("text"),
            contact_phone=contact["phone_number"] if contact is not None else None,
        )
        incoming = incoming_from_message(facts)
        return None if incoming is None else (incoming, None)
    query: Any = update.get("callback_query")
    if not _QUERY(query):
        return None
    card: Any = query.get("message")
    return (
        incoming_from_button(
            update_id,
            _telegram_user(query["from"]),
            card["chat"]["id"] if card is not None else None,
            query["data"],
            card["message_id"] if card is not None else None,
        ),
        query["id"],
    )


@dataclass
class BatchSplit:
    for_library: list[Any]  # what the library parses and hands to `accept`, in order
    taken: list[Staged] = field(default_factory=list)  # staged here, past the library


def split_known(updates: list[Any], *, stand_in: bool = True) -> BatchSplit:
    """Every update of a shape `incoming_from_raw` fully knows skips the library: otherwise it is parsed into
    objects that are only read back into an `Incoming` (python-telegram-bot parsed each update twice: nocert's
    poison screen, then PTB). Both libraries take their next offset from the last update they see, so when
    that one was taken a bare `{"update_id": …}` stands in for it (an update with no content, which nothing
    handles: PTB parses it as such). `stand_in=False` leaves it out, for a runtime that moves the offset
    past the batch itself (aiogram: bot/telegram/aiogram_runtime.py)."""
    split = BatchSplit([])
    for update in updates:
        converted = incoming_from_raw(update)
        if converted is None:
            split.for_library.append(update)
        else:
            split.taken.append(converted)
    if not split.taken:
        return BatchSplit(updates)  # the very same list: nothing to change
    if stand_in and (not split.for_library or split.for_library[-1] is not updates[-1]):
        split.for_library.append({"update_id": updates[-1]["update_id"]})
    return split
