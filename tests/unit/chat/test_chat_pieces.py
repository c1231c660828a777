"""Small pure pieces of the chat feature: stamped buttons, command lists, vague facts, renderers, console."""

from __future__ import annotations

import pytest

from bot.console import format_reply
from handlers.dialogs.steps import split_stamp, stamp_replies
from handlers.renderers import render
from handlers.start.commands import bot_commands
from handlers.types import Button, Reply
from nocert_core.domain.actors import Role
from nocert_core.i18n import translator
from nocert_core.services.complaints import notify as kinds
from nocert_core.services.complaints.intake import missing_specifics


def test_dialog_buttons_are_stamped_with_the_step_token_and_others_are_not() -> None:
    replies = [Reply("q", [[Button("ok", "@ci:confirm"), Button("menu", "menu:show")]])]
    stamp_replies(replies, "3fa2")
    assert [b.data for b in replies[0].buttons[0]] == ["@ci:confirm~3fa2", "menu:show"]
    assert split_stamp("@ci:confirm~3fa2") == ("ci:confirm", "3fa2")
    assert split_stamp("menu:show") == ("menu:show", None)


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
@pytest.mark.parametrize("role", [Role.CITIZEN, Role.STAFF, Role.SUPERVISOR])
def test_every_role_has_translated_commands_for_telegram(locale: str, role: Role) -> None:
    commands = bot_commands(locale, role)
    assert ("cancel" in dict(commands)) and ("help" in dict(commands))
    assert all(1 <= len(description) <= 256 and command.islower() for command, description in commands)
    if locale == "zh_Hans":
        assert any("\u4e00" <= char <= "\u9fff" for char in dict(commands)["help"])


def test_facts_that_say_nothing_concrete_need_all_four_follow_ups() -> None:
    assert missing_specifics("要证明") == ["when", "where", "service", "document"]


def test_specific_facts_need_no_follow_up_and_partial_ones_get_only_the_missing_questions() -> None:
    full = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，被要求开无犯罪记录证明"
    assert missing_specifics(full) == []
    assert missing_specifics("在政务服务中心办理营业执照时被要求交房产证复印件") == ["when"]


CARD = {
    "number": "TS-2026-000001",
    "status": "registered",
    "category": "demanded_proof",
    "channel": "telegram",
    "agency_text": "奎文区审批局",
    "unit_code": "KW-SPJ",
    "unit_name": "奎文区行政审批服务局",
    "name": "王芳",
    "on_behalf_of": None,
    "phone_masked": "138****1234",
    "demand": "d",
    "reasons": "r",
    "facts": "f",
    "registered": "2026-11-25",
    "deadline": None,
    "extension_state": "none",
    "extension_days": None,
    "extension_reason": None,
    "status_reason": None,
    "admissible": True,
    "grounds": [],
    "notes": [],
    "repeat_of": None,
    "allowed": ["accept", "reject", "return_misrouted", "mark_duplicate", "terminate"],
}


@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_every_complaint_notification_renders_in_both_languages(locale: str) -> None:
    t = translator(locale)
    assigned = render(kinds.ASSIGNED, CARD, t)
    assert "138****1234" in assigned.text and any(
        b.data == "st:acc:TS-2026-000001" for r in assigned.buttons for b in r
    )
    assert (
        "TS-2026-000001" in render(kinds.UNROUTED, {**CARD, "unit_code": None, "allowed": ["route"]}, t).text
    )
    assert "TS-2026-000001" in render(kinds.EXTENSION_REQUESTED, CARD, t).text
    for change in ("accepted", "rejected", "resolved", "terminated", "duplicate", "extended"):
        reply = render(kinds.STATUS_CHANGED, {"number": "TS-2026-000001", "change": change, "rate": True}, t)
        assert "TS-2026-000001" in reply.text and reply.buttons[0][4].data == "rt:TS-2026-000001:5"
    for change in ("terminated", "extension_approved", "extension_denied"):
        assert (
            "TS-2026-000001"
            in render(kinds.STAFF_UPDATE, {"number": "TS-2026-000001", "change": change}, t).text
        )


def test_the_console_numbers_buttons_across_rows() -> None:
    text, data = format_reply(Reply("Pick", [[Button("A", "a"), Button("B", "b")], [Button("C", "c")]]), 4)
    assert "[4] A   [5] B" in text and "[6] C" in text and data == ["a", "b", "c"]
