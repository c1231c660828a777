"""Every complaint enum value has a label, and every foundation msgid is translated in core.po."""

from __future__ import annotations

from enum import StrEnum

import pytest

from nocert_core.domain.actors import Role
from nocert_core.domain.adjustments import AdjustmentTrigger
from nocert_core.domain.calendar import DayKind
from nocert_core.domain.complaint_lifecycle import (
    Action,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
    TerminationGround,
)
from nocert_core.domain.complaints import Category, Channel
from nocert_core.domain.labels import label_for, label_msgid
from nocert_core.domain.rectification import RectificationStatus
from nocert_core.domain.verification import VerificationStatus
from nocert_core.i18n import translator


@pytest.mark.parametrize(
    "enum",
    [
        ComplaintStatus,
        Category,
        RejectionGround,
        TerminationGround,
        Channel,
        ExtensionState,
        Action,
        AdjustmentTrigger,
        DayKind,
        RectificationStatus,
        VerificationStatus,
    ],
)
def test_every_value_has_a_label_translated_in_both_languages(enum: type[StrEnum]) -> None:
    zh, en = translator("zh_Hans"), translator("en")
    for value in enum:
        msgid = label_msgid(value)
        assert msgid != value.value, f"{enum.__name__}.{value.name} has no label"
        assert zh.has(msgid) and en.has(msgid), msgid
    assert len({label_msgid(value) for value in enum}) == len(enum), "labels must tell values apart"


def test_every_role_has_a_name_in_both_languages() -> None:
    """Role labels are the console's lower-case msgids (the same as the values), so checked by language."""
    zh, en = translator("zh_Hans"), translator("en")
    assert [label_for(role, zh) for role in Role] == ["市民", "承办单位工作人员", "专班", "管理员", "系统"]
    assert all(en.has(label_msgid(role)) for role in Role)


def test_labels_read_naturally_in_chinese() -> None:
    zh = translator("zh_Hans")
    assert label_for(ComplaintStatus.RESOLVED, zh) == "已办结"
    assert label_for(RejectionGround.LITIGATION, zh) == "应通过诉讼、仲裁、复议途径解决"
    assert label_for(None, zh) == ""
