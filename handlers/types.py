"""What channels hand to the conversations and what they get back. No Telegram types here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path


class InputKind(StrEnum):
    TEXT = "text"
    COMMAND = "command"  # "/start abc" → command="start", args="abc"
    BUTTON = "button"  # an inline button was pressed: `data`
    CONTACT = "contact"  # a shared phone number: `text` holds it
    UNSUPPORTED = "unsupported"  # sticker, photo, voice…: `text` names what it was


@dataclass(frozen=True)
class Incoming:
    channel: str  # "telegram" | "console"
    user_id: str  # the channel's user id
    chat_id: str
    kind: InputKind
    text: str = ""
    command: str = ""
    args: str = ""
    data: str = ""  # button callback data
    display_name: str = ""
    language: str | None = None  # the client's language code, e.g. "zh-hans", "en"
    update_id: str | None = None  # the channel's delivery id: a redelivered update has the same one
    message_id: str | None = None  # a pressed button: the message (card) it belongs to

    @property
    def user_ref(self) -> str:
        return f"{self.channel}:{self.user_id}"


@dataclass(frozen=True)
class Button:
    text: str
    data: str  # ≤ 64 bytes (Telegram's callback_data limit)


@dataclass(frozen=True)
class Attachment:
    path: Path
    kind: str = "document"  # "document" | "photo"
    caption: str = ""


@dataclass
class Reply:
    text: str
    buttons: list[list[Button]] = field(default_factory=list)  # rows of inline buttons
    attachment: Attachment | None = None
    request_contact: bool = False  # offer the channel's "share my phone number" keyboard
    edit: bool = False  # replaces the card whose button was pressed (Telegram: editMessageText)
