"""Framework-neutral Telegram rules: update → Incoming, Reply → Bot API calls."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.telegram.common import (
    MAX_PIECES,
    MAX_TEXT,
    KeyboardMemory,
    MessageFacts,
    TelegramUser,
    incoming_from_button,
    incoming_from_message,
    is_unreachable_description,
    parse_command,
    plan_reply,
    split_text,
    utf16_length,
)
from handlers.types import Attachment, Button, InputKind, Reply
from nocert_core.i18n import translator

EN = translator("en")
USER = TelegramUser(42, "芳", "王", "wangfang", "zh-hans")


def facts(**values: object) -> MessageFacts:
    defaults: dict[str, object] = {
        "update_id": 7,
        "user": USER,
        "chat_id": 42,
        "chat_type": "private",
        "content_type": "text",
        "text": "hello",
    }
    return MessageFacts(**{**defaults, **values})  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("/start", ("start", "")),
        ("/start ABC123", ("start", "ABC123")),
        ("/Case@nocert_bot  TS-2026-000001 ", ("case", "TS-2026-000001")),
        ("/ 不是命令", None),
        ("/命令", None),
        ("hello /start", None),
    ],
)
def test_commands_are_recognised_with_their_arguments(text: str, expected: tuple[str, str] | None) -> None:
    assert parse_command(text) == expected


def test_a_private_text_message_carries_who_where_and_which_update() -> None:
    incoming = incoming_from_message(facts())
    assert incoming is not None
    assert (incoming.kind, incoming.text, incoming.user_ref) == (InputKind.TEXT, "hello", "telegram:42")
    assert (incoming.display_name, incoming.language, incoming.update_id) == ("芳 王", "zh-hans", "7")


def test_a_contact_is_a_phone_answer_and_other_content_is_named() -> None:
    contact = incoming_from_message(
        facts(content_type="contact", text=None, contact_phone=" +8613805361234 ")
    )
    sticker = incoming_from_message(facts(content_type="sticker", text=None))
    assert contact is not None and (contact.kind, contact.text) == (InputKind.CONTACT, "+8613805361234")
    assert sticker is not None and (sticker.kind, sticker.text) == (InputKind.UNSUPPORTED, "sticker")


def test_group_chats_are_not_talked_in() -> None:
    assert incoming_from_message(facts(chat_type="group", chat_id=-100)) is None


def test_a_button_without_its_message_answers_in_the_users_own_chat() -> None:
    incoming = incoming_from_button(9, TelegramUser(42, "", username="wf"), None, "mc:list")
    assert (incoming.kind, incoming.data, incoming.chat_id, incoming.display_name) == (
        InputKind.BUTTON,
        "mc:list",
        "42",
        "@wf",
    )


def test_long_text_is_split_at_paragraphs_within_the_limit() -> None:
    paragraph = "证明" * 1000  # 2,000 characters
    text = "\n\n".join([paragraph] * 5)
    pieces = split_text(text)
    assert all(utf16_length(piece) <= MAX_TEXT for piece in pieces)
    assert "\n\n".join(pieces) == text


def test_text_without_any_break_is_cut_hard_and_emoji_count_double() -> None:
    text = "😀" * 3000  # 6,000 UTF-16 code units
    pieces = split_text(text)
    assert [utf16_length(piece) for piece in pieces] == [4096, 6000 - 4096]
    assert "".join(pieces) == text


def test_buttons_go_on_the_last_piece_of_a_long_reply() -> None:
    reply = Reply("x " * 3000, buttons=[[Button("OK", "ok")]])
    messages = plan_reply("42", reply, EN)
    assert [message.reply_markup for message in messages] == [
        None,
        {"inline_keyboard": [[{"text": "OK", "callback_data": "ok"}]]},
    ]


def test_a_phone_question_with_buttons_gets_the_share_keyboard_in_an_extra_message() -> None:
    reply = Reply("Your phone?", buttons=[[Button("Cancel", "@ci:cancel")]], request_contact=True)
    question, share = plan_reply("42", reply, EN)
    assert question.reply_markup == {"inline_keyboard": [[{"text": "Cancel", "callback_data": "@ci:cancel"}]]}
    assert share.reply_markup is not None
    [[button]] = share.reply_markup["keyboard"]
    assert button["request_contact"] is True and "phone number" in button["text"]


def test_the_share_keyboard_is_removed_with_the_next_plain_reply_in_that_chat() -> None:
    memory = KeyboardMemory()
    memory.plan("42", Reply("Your phone?", request_contact=True), EN)
    with_buttons = memory.plan("42", Reply("Agency?", buttons=[[Button("Back", "b")]]), EN)
    plain = memory.plan("42", Reply("Noted."), EN)
    later = memory.plan("42", Reply("Next."), EN)
    other_chat = memory.plan("43", Reply("Hi."), EN)
    assert "inline_keyboard" in (with_buttons[0].reply_markup or {})
    assert plain[0].reply_markup == {"remove_keyboard": True}
    assert later[0].reply_markup is None and other_chat[0].reply_markup is None


def test_files_keep_short_captions_and_long_ones_become_text(tmp_path: Path) -> None:
    file = tmp_path / "register.xlsx"
    short = plan_reply("42", Reply("", attachment=Attachment(file, "document", "登记簿")), EN)
    long = plan_reply("42", Reply("Report", attachment=Attachment(file, "photo", "说明" * 600)), EN)
    assert [(m.method, m.text, m.file_path) for m in short] == [("sendDocument", "登记簿", str(file))]
    assert [m.method for m in long] == ["sendMessage", "sendPhoto"]
    assert long[0].text.startswith("Report\n\n说明") and long[1].text == ""


def test_callback_data_over_64_bytes_is_refused_before_telegram_does() -> None:
    with pytest.raises(ValueError, match="64 bytes"):
        plan_reply("42", Reply("x", buttons=[[Button("long", "数据" * 20)]]), EN)


def test_gone_chats_are_told_apart_from_bad_messages() -> None:
    assert is_unreachable_description("Bad Request: chat not found")
    assert is_unreachable_description("Forbidden: bot was blocked by the user")
    assert not is_unreachable_description("Bad Request: message text is empty")


def test_a_huge_text_becomes_a_bounded_number_of_messages_marked_as_cut() -> None:
    text = "★" * 10_000_000  # what a forged rating button once produced: 2,442 messages
    pieces = split_text(text)
    assert len(pieces) == MAX_PIECES and pieces[-1].endswith("…")
    assert all(utf16_length(piece) <= MAX_TEXT for piece in pieces)
    assert "".join(pieces[:-1]) == text[: sum(len(piece) for piece in pieces[:-1])]
