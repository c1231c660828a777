"""One user's flood must not make everybody else wait for the Telegram library (issue 10 item 8).

Telegram delivers updates in order, so the others' first message after a flood of 500 arrives behind 500
updates, and each of those used to go through the library first: parsed (pydantic / `de_json`), passed through
its dispatcher to our handler, turned into an `Incoming`, then stored. `split_batch` looks at the raw
getUpdates batch before the library does: a user's updates beyond the first `FLOOD_SHARE` of this batch are
turned into `Incoming` here (`incoming_from_raw`, plain dict reads) and staged directly; the library gets
the rest. They are stored in the same transaction and queued in update-id order, so nothing is lost and each
user's order holds; the flood is worked off at its paced rate by its own queue as before.

`incoming_from_raw` takes only updates of a shape it fully knows — a private text or contact message, or a
button with callback data — with every field checked for its type; for anything else (stickers, forged or
future fields, a poison update) it answers None and the library handles that update as before (screening
poison included). It gives the same `Incoming` as the library path, so a batch fetched again after a crash
is recognised as a redelivery. The split depends only on the batch (a user's n-th update in it), and a
batch fetched again from the same offset starts with the same updates: they are split the same way.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from bot.telegram.common import MessageFacts, TelegramUser, incoming_from_button, incoming_from_message
from handlers.types import Incoming

FLOOD_SHARE = 10  # a user's updates per getUpdates batch that go through the library as usual

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


def sender(update: Any) -> int | None:
    """The Telegram user id of a message or button update, without trusting its shape."""
    if not isinstance(update, dict):
        return None
    event = update.get("message") or update.get("callback_query")
    author = event.get("from") if isinstance(event, dict) else None
    user_id = author.get("id") if isinstance(author, dict) else None
    return user_id if _int(user_id) else None


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


def split_batch(updates: list[Any], share: int = FLOOD_SHARE) -> BatchSplit:
    """Take each user's updates beyond `share` in this batch past the library (see the module doc). The
    batch's last update always stays with the library: both take their next offset from the last update
    they see (an empty stand-in would do too, but aiogram logs one in full, building its serializer)."""
    seen: Counter[int] = Counter()
    split = BatchSplit([])
    last = len(updates) - 1
    for index, update in enumerate(updates):
        user_id = sender(update)
        if user_id is not None:
            seen[user_id] += 1
            if seen[user_id] > share and index < last:
                converted = incoming_from_raw(update)
                if converted is not None:
                    split.taken.append(converted)
                    continue
        split.for_library.append(update)
    if not split.taken:
        return BatchSplit(updates)  # the very same list: nothing to change
    return split


def split_known(updates: list[Any]) -> BatchSplit:
    """Every update of a shape `incoming_from_raw` fully knows skips the library, not only a flood's surplus:
    python-telegram-bot parsed each update twice (nocert's poison screen, then PTB) into objects that were
    only read back into an `Incoming`. PTB takes its next offset from the last update it sees, so when that
    one was taken a bare `{"update_id": …}` stands in for it (PTB parses it as an update with no content,
    which nothing handles)."""
    split = BatchSplit([])
    for update in updates:
        converted = incoming_from_raw(update)
        if converted is None:
            split.for_library.append(update)
        else:
            split.taken.append(converted)
    if not split.taken:
        return BatchSplit(updates)  # the very same list: nothing to change
    if not split.for_library or split.for_library[-1] is not updates[-1]:
        split.for_library.append({"update_id": updates[-1]["update_id"]})
    return split
