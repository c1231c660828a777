"""A deadline that runs into a year without official calendar data is shown as provisional wherever it is
told: the complainant's acceptance message and the staff case card."""

from __future__ import annotations

from datetime import UTC, datetime

from handlers.complaints.case_card import render_case
from handlers.renderers import render
from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import Channel, Complaint
from nocert_core.i18n import translator


def accepted(provisional: bool) -> Complaint:
    complaint = Complaint(
        "TS-2026-000001",
        Channel.TELEGRAM,
        "王芳",
        "13805361234",
        "奎文区审批局",
        "撤回",
        "已免提交",
        "事实",
        registered_at=datetime(2026, 12, 28, 2, tzinfo=UTC),
        status=ComplaintStatus.ACCEPTED,
        unit_code="KW-SPJ",
    )
    complaint.deadline_at = datetime(2027, 1, 4, 15, 59, tzinfo=UTC)
    complaint.deadline_provisional = provisional
    return complaint


def test_the_staff_card_marks_a_provisional_deadline() -> None:
    zh = translator("zh_Hans")
    card = render_case(
        CaseCard.of(accepted(True), "奎文区行政审批服务局", "Asia/Shanghai"), zh, supervisor=False
    )
    assert "2027-01-04（暂定）" in card.text.replace(" ", "")
    plain = render_case(
        CaseCard.of(accepted(False), "奎文区行政审批服务局", "Asia/Shanghai"), zh, supervisor=False
    )
    assert "2027-01-04" in plain.text and "暂定" not in plain.text


def test_the_acceptance_message_says_the_date_is_provisional_only_when_it_is() -> None:
    payload = {
        "number": "TS-2026-000001",
        "change": "accepted",
        "unit_name": "奎文区行政审批服务局",
        "deadline": "2027-01-04",
        "provisional": True,
    }
    assert "暂定" in render("complaint.status", payload, translator("zh_Hans")).text
    assert "provisional" in render("complaint.status", payload, translator("en")).text
    payload["provisional"] = False
    assert "暂定" not in render("complaint.status", payload, translator("zh_Hans")).text
