"""What channels hand to the conversations and what they get back. No Telegram types here."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from nocert_core.domain.notifications import ChatReply, ReplyFile


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
    # A notification that edits a card sent earlier (services/complaints/cards.py): that message's id. Such an
    # edit that fails is dropped, never sent as a new message.
    target_message_id: str | None = None


def incoming_to_payload(incoming: Incoming) -> dict[str, object]:
    """An update as JSON for the inbox (see `incoming_from_payload`)."""
    from dataclasses import asdict

    payload = asdict(incoming)
    payload["kind"] = incoming.kind.value
    return payload


def incoming_from_payload(payload: dict[str, object]) -> Incoming:
    values = dict(payload)
    values["kind"] = InputKind(str(values["kind"]))
    known = set(Incoming.__dataclass_fields__)
    return Incoming(**{key: value for key, value in values.items() if key in known})  # type: ignore[arg-type]


def chat_reply_of(reply: Reply) -> ChatReply:
    """A reply as the payload of an outbox row of kind "chat_reply": already translated, so any process
    can send it."""
    attachment = reply.attachment
    return ChatReply(
        text=reply.text,
        buttons=[[(button.text, button.data) for button in row] for row in reply.buttons],
        attachment=(
            ReplyFile(str(attachment.path), attachment.kind, attachment.caption)
            if attachment is not None
            else None
        ),
        request_contact=reply.request_contact,
        edit=reply.edit,
    )


def reply_of(message: ChatReply) -> Reply:
    attachment = message.attachment
    return Reply(
        text=message.text,
        buttons=[[Button(text, data) for text, data in row] for row in message.buttons],
        attachment=(
            Attachment(Path(attachment.path), attachment.kind, attachment.caption)
            if attachment is not None
            else None
        ),
        request_contact=message.request_contact,
        edit=message.edit,
    )


def reply_to_payload(reply: Reply) -> dict[str, object]:
    """A reply as the JSON an outbox row of kind "chat_reply" stores."""
    return chat_reply_of(reply).as_payload()


def reply_from_payload(payload: object) -> Reply:
    """A stored "chat_reply" row's JSON as the reply (`MalformedPayload` when it is none)."""
    return reply_of(ChatReply.read(payload))
