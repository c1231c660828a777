"""What both Telegram runtimes (aiogram, python-telegram-bot) share, with no framework import:

- update → `Incoming`: the mapping rules for messages (text, commands, contacts, everything else) and
  button presses, from a few plain facts each runtime extracts from its own update objects;
- `Reply` → Bot API calls: long text split at Telegram's 4096-character limit, inline keyboards, the
  "share my phone number" reply keyboard (and removing it again), photos and documents with captions;
- which Bot API refusals mean "this chat is gone" (the errors themselves are the outbox worker's).

Parameters are built in the Bot API's own JSON shape, so each runtime only converts them to its types.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from handlers.types import Incoming, InputKind, Reply
from nocert_core.i18n import N_, Translator

CHANNEL = "telegram"
MAX_TEXT = 4096  # Bot API: message text, after entity parsing, in UTF-16 code units
MAX_CAPTION = 1024  # Bot API: photo/document caption
MAX_CALLBACK_DATA_BYTES = 64

CONTACT_BUTTON = N_("📱 Share my phone number")
CONTACT_HINT = N_("Or tap the button below to share the phone number of this Telegram account.")

# What an UNSUPPORTED input's `text` holds: a readable msgid for the Bot API content type, which the
# conversations translate ("I can only read text here, not a sticker").
CONTENT_NAMES = {
    "sticker": N_("sticker"),
    "photo": N_("photo"),
    "voice": N_("voice message"),
    "video": N_("video"),
    "video_note": N_("video message"),
    "audio": N_("audio file"),
    "animation": N_("GIF animation"),
    "document": N_("document"),
    "location": N_("location"),
    "venue": N_("location"),
    "poll": N_("poll"),
    "dice": N_("dice"),
    "game": N_("game"),
    "story": N_("story"),
}
OTHER_CONTENT = N_("message of this kind")

_COMMAND = re.compile(r"^/([A-Za-z0-9_]{1,32})(?:@([A-Za-z0-9_]+))?(?:\s+(.*))?$", re.DOTALL)


# ---- update → Incoming ---------------------------------------------------------------------------


@dataclass(frozen=True)
class TelegramUser:
    """Who sent an update, as Telegram describes them."""

    user_id: int
    first_name: str = ""
    last_name: str | None = None
    username: str | None = None
    language_code: str | None = None

    @property
    def display_name(self) -> str:
        full = " ".join(part for part in (self.first_name, self.last_name) if part).strip()
        return full or (f"@{self.username}" if self.username else str(self.user_id))


@dataclass(frozen=True)
class MessageFacts:
    """The parts of a Telegram message the conversations care about."""

    update_id: int
    user: TelegramUser
    chat_id: int
    chat_type: str  # "private" | "group" | "supergroup" | "channel"
    content_type: str  # the framework's name for what the message carries: "text", "sticker", "photo"…
    text: str | None = None
    contact_phone: str | None = None


def parse_command(text: str) -> tuple[str, str] | None:
    """`/start@nocert_bot abc` → ("start", "abc"); None when the text is not a bot command."""
    match = _COMMAND.match(text.strip())
    if match is None:
        return None
    return match.group(1).lower(), (match.group(3) or "").strip()


def incoming_from_message(facts: MessageFacts) -> Incoming | None:
    """What the conversations get for a message; None for chats the bot does not talk in (groups)."""
    if facts.chat_type != "private":
        return None
    common: dict[str, Any] = {
        "channel": CHANNEL,
        "user_id": str(facts.user.user_id),
        "chat_id": str(facts.chat_id),
        "display_name": facts.user.display_name,
        "language": facts.user.language_code,
        "update_id": str(facts.update_id),
    }
    if facts.contact_phone:
        return Incoming(kind=InputKind.CONTACT, text=facts.contact_phone.strip(), **common)
    if facts.text is not None and facts.content_type == "text":
        command = parse_command(facts.text)
        if command is not None:
            name, args = command
            return Incoming(kind=InputKind.COMMAND, text=facts.text, command=name, args=args, **common)
        return Incoming(kind=InputKind.TEXT, text=facts.text, **common)
    # Stickers, photos, voice, locations…: the conversation says what it expected instead.
    return Incoming(
        kind=InputKind.UNSUPPORTED, text=CONTENT_NAMES.get(facts.content_type, OTHER_CONTENT), **common
    )


def incoming_from_button(
    update_id: int, user: TelegramUser, chat_id: int | None, data: str, message_id: int | None = None
) -> Incoming:
    """A pressed inline button. Without a message (too old to be sent back) the chat is the user's own."""
    return Incoming(
        message_id=str(message_id) if message_id is not None else None,
        channel=CHANNEL,
        user_id=str(user.user_id),
        chat_id=str(chat_id if chat_id is not None else user.user_id),
        kind=InputKind.BUTTON,
        data=data,
        display_name=user.display_name,
        language=user.language_code,
        update_id=str(update_id),
    )


# ---- Reply → Bot API calls -----------------------------------------------------------------------


@dataclass
class OutgoingMessage:
    """One Bot API call: `method` is sendMessage, sendPhoto, sendDocument or editMessageText."""

    method: str
    chat_id: str
    text: str = ""  # sendMessage text, or the media caption
    reply_markup: dict[str, Any] | None = None
    file_path: str | None = None
    message_id: str | None = None  # editMessageText: the message to replace


def utf16_length(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


def split_text(text: str, limit: int = MAX_TEXT) -> list[str]:
    """Cut text into pieces Telegram accepts, preferring paragraph, then line, then word boundaries.

    Linear in the length of the text (offsets into it, no re-measuring or copying of the rest), so even a
    huge text costs little; the number of pieces is capped at MAX_PIECES, the last one marked as cut.
    """
    pieces: list[str] = []
    start, size = 0, len(text)
    while start < size:
        end = _fit(text, start, limit)
        if end == size:
            tail = text[start:]
            if tail.strip():
                pieces.append(tail)
            break
        for separator in ("\n\n", "\n", " "):
            position = text.rfind(separator, start, end)
            if position - start > (end - start) // 2:  # only when it keeps the piece reasonably full
                end = position + len(separator)
                break
        piece = text[start:end].rstrip()
        if piece:
            pieces.append(piece)
        if len(pieces) == MAX_PIECES:
            pieces[-1] = pieces[-1][: max(len(pieces[-1]) - 1, 0)] + "…"
            break
        start = end
        while start < size and text[start] == "\n":
            start += 1
    return pieces or [text]


MAX_PIECES = 20  # a reply longer than this many messages is cut: no legitimate reply comes close


def _fit(text: str, start: int, limit: int) -> int:
    """The end index of the longest run of `text` from `start` that fits in `limit` UTF-16 code units
    (at least one character, so the loop always advances)."""
    used = 0
    end = min(len(text), start + limit)
    for index in range(start, end):
        used += 2 if ord(text[index]) > 0xFFFF else 1
        if used > limit:
            return max(index, start + 1)
    return end


def inline_keyboard(reply: Reply) -> dict[str, Any] | None:
    if not reply.buttons:
        return None
    rows = []
    for row in reply.buttons:
        for button in row:
            if len(button.data.encode()) > MAX_CALLBACK_DATA_BYTES:
                raise ValueError(f"callback data longer than 64 bytes: {button.data!r}")
        rows.append([{"text": button.text, "callback_data": button.data} for button in row if button.text])
    return {"inline_keyboard": [row for row in rows if row]}


def contact_keyboard(t: Translator) -> dict[str, Any]:
    return {
        "keyboard": [[{"text": t(CONTACT_BUTTON), "request_contact": True}]],
        "resize_keyboard": True,
        "one_time_keyboard": True,
    }


REMOVE_KEYBOARD: dict[str, Any] = {"remove_keyboard": True}


@dataclass
class KeyboardMemory:
    """Which chats still show the "share my phone number" keyboard, so the next reply can remove it.

    A message carries one markup: inline buttons win, and the keyboard goes with the next plain reply.
    In memory on purpose: after a restart the keyboard (one-time) at worst stays until it is used.
    """

    open_chats: set[str] = field(default_factory=set)

    def plan(
        self, chat_id: str, reply: Reply, t: Translator, edit_message_id: str | None = None
    ) -> list[OutgoingMessage]:
        edit = edit_plan(chat_id, reply, edit_message_id)
        if edit is not None:
            return [edit]
        messages = plan_reply(chat_id, reply, t)
        if reply.request_contact:
            self.open_chats.add(chat_id)
        elif chat_id in self.open_chats:
            for message in messages:
                if message.reply_markup is None:
                    message.reply_markup = dict(REMOVE_KEYBOARD)
                    self.open_chats.discard(chat_id)
                    break
        return messages


def edit_plan(chat_id: str, reply: Reply, message_id: str | None) -> OutgoingMessage | None:
    """editMessageText for a reply that replaces the pressed card, when one message can say it (no file,
    no "share my phone" keyboard, within the length limit); otherwise None and the reply is sent anew."""
    if not reply.edit or message_id is None or reply.attachment is not None or reply.request_contact:
        return None
    if not reply.text.strip() or utf16_length(reply.text) > MAX_TEXT:
        return None
    return OutgoingMessage(
        "editMessageText", chat_id, reply.text, inline_keyboard(reply), message_id=message_id
    )


def plan_reply(chat_id: str, reply: Reply, t: Translator) -> list[OutgoingMessage]:
    """The Bot API calls that deliver one reply, its markup on the last one (where the user looks).

    A message carries one markup, so a reply with inline buttons that also offers "share my phone number"
    gets a short extra message holding that reply keyboard.
    """
    inline = inline_keyboard(reply)
    messages: list[OutgoingMessage] = []
    attachment = reply.attachment
    caption = ""
    text = reply.text
    if attachment is not None and attachment.caption:
        if utf16_length(attachment.caption) <= MAX_CAPTION:
            caption = attachment.caption
        else:  # too long for a caption: say it as text before the file
            text = f"{text}\n\n{attachment.caption}" if text.strip() else attachment.caption
    if text.strip():
        messages.extend(OutgoingMessage("sendMessage", chat_id, piece) for piece in split_text(text))
    if attachment is not None:
        method = "sendPhoto" if attachment.kind == "photo" else "sendDocument"
        messages.append(OutgoingMessage(method, chat_id, caption, file_path=str(attachment.path)))
    if messages and inline is not None:
        messages[-1].reply_markup = inline
    if reply.request_contact:
        if messages and messages[-1].reply_markup is None:
            messages[-1].reply_markup = contact_keyboard(t)
        else:
            messages.append(OutgoingMessage("sendMessage", chat_id, t(CONTACT_HINT), contact_keyboard(t)))
    return messages


# ---- delivery errors ------------------------------------------------------------------------------
# The outbox worker's vocabulary (bot/jobs/outbox_worker.py), so a runtime is also a Sender for the outbox:
# RetryLater (429 with retry_after, 5xx, lost connections), Unreachable (403, chat not found),
# Rejected (any other refusal of this one message).

_UNREACHABLE = (
    "chat not found",
    "user is deactivated",
    "bot was blocked",
    "user not found",
    "peer_id_invalid",
)


def is_unreachable_description(description: str) -> bool:
    """Bad requests that mean "this chat cannot be written to", as opposed to a malformed message."""
    lowered = description.lower()
    return any(marker in lowered for marker in _UNREACHABLE)
