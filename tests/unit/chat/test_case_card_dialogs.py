"""The case card staff and the task force read: no stale "matches several units" once routed, no deadline
line once ended (issue 13 items 5 and 12)."""

from __future__ import annotations

from typing import Any

from handlers.complaints.case_card import render_case
from nocert_core.domain.case_card import CaseCard
from nocert_core.i18n import translator
from nocert_core.services.screening.advice import NOTE_AMBIGUOUS_UNIT


def payload(**changes: Any) -> CaseCard:
    base: dict[str, Any] = {
        "number": "TS-2026-000001",
        "status": "registered",
        "category": "demanded_proof",
        "channel": "telegram",
        "agency_text": "行政审批服务局",
        "unit_code": None,
        "unit_name": None,
        "name": "王芳",
        "on_behalf_of": None,
        "phone_masked": "138****1234",
        "demand": "不用证明直接办理",
        "reasons": "已列入清单",
        "facts": "前天在窗口被要求开证明",
        "registered": "2026-11-25",
        "deadline": None,
        "extension_state": "none",
        "admissible": True,
        "grounds": [],
        "notes": [NOTE_AMBIGUOUS_UNIT],
        "allowed": [],
    }
    return CaseCard(**{**base, **changes})


def test_the_several_units_note_goes_once_routed() -> None:
    t = translator("zh_Hans")
    assert "对应多个单位" in render_case(payload(), t, supervisor=True).text
    routed = render_case(payload(unit_code="KW-SPJ", unit_name="奎文区行政审批服务局"), t, supervisor=True)
    assert "对应多个单位" not in routed.text


def test_an_ended_complaint_has_no_deadline_line() -> None:
    t = translator("zh_Hans")
    assert "受理后 5 个工作日" in render_case(payload(handling_days=5), t, supervisor=False).text
    for status in ("rejected", "terminated", "resolved", "duplicate"):
        assert "办理期限" not in render_case(payload(status=status), t, supervisor=False).text


def test_relative_dates_are_shown_next_to_the_words() -> None:
    text = render_case(payload(), translator("zh_Hans"), supervisor=False).text
    assert "前天在窗口被要求开证明" in text and "“前天” = 2026-11-23" in text
