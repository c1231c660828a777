"""Text refused at the edge: control characters, direction overrides, invisible-only answers."""

from __future__ import annotations

import pytest

from nocert_core.domain.fields import checked_length
from nocert_core.domain.text_safety import (
    CONTROL_MSGID,
    DIRECTION_MSGID,
    INVISIBLE_MSGID,
    unsafe_reason,
)
from nocert_core.errors import ValidationFailed


@pytest.mark.parametrize(
    ("text", "reason"),
    [
        ("王\x00芳", CONTROL_MSGID),
        ("bell\x07", CONTROL_MSGID),
        ("esc\x1b[31m", CONTROL_MSGID),
        ("c1\x85", CONTROL_MSGID),
        ("lone \ud800 surrogate", CONTROL_MSGID),
        ("invoice\u202egpj.exe", DIRECTION_MSGID),
        ("\u2066isolate\u2069", DIRECTION_MSGID),
        ("\u200b\u200b", INVISIBLE_MSGID),
        ("\u3164", INVISIBLE_MSGID),
        (" \u00a0\ufeff\u2800 ", INVISIBLE_MSGID),
        ("\u0301\u0301", INVISIBLE_MSGID),
    ],
)
def test_unsafe_text_is_refused_with_its_reason(text: str, reason: str) -> None:
    assert unsafe_reason(text) == reason


@pytest.mark.parametrize(
    "text",
    ["王芳", "line one\nline two\ttabbed\r\n", "مرحبا", "emoji 😀", "é", "0536-1234567", "a\u200bb", ""],
)
def test_ordinary_text_passes(text: str) -> None:
    assert unsafe_reason(text) is None


def test_every_service_field_check_refuses_a_nul() -> None:
    with pytest.raises(ValidationFailed) as refused:
        checked_length("facts\x00", "Facts", 100)
    assert refused.value.msgid == CONTROL_MSGID
