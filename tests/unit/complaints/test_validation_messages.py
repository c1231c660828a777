"""Validation messages name the field in the reader's language, never by a raw attribute name."""

from __future__ import annotations

import pytest

from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.catalogue import make_entry
from nocert_core.errors import DomainError, ValidationFailed
from nocert_core.i18n import translator
from nocert_core.services.complaints import handling as svc
from tests.fakes import fake_uow

CITIZEN = Actor(ref="telegram:1001", role=Role.CITIZEN, name="王芳")


def rendered(error: DomainError, locale: str) -> str:
    """What the dispatcher shows: the message with its `field` parameter translated too."""
    t = translator(locale)
    params = {key: t(value) if key == "field" else value for key, value in error.params.items()}
    return t(error.msgid, **params)


def draft(**changes: str) -> svc.ComplaintDraft:
    values = dict(
        complainant_name="王芳",
        complainant_phone="13805361234",
        agency_text="奎文区审批局",
        demand="不再要求提交证明",
        reasons="已在清单内",
        facts="2026年11月20日在奎文区政务服务中心办理营业执照变更，被要求提交房产证复印件",
    )
    values.update(changes)
    return svc.ComplaintDraft(**values)


@pytest.mark.parametrize(
    ("missing", "chinese"),
    [("complainant_name", "姓名"), ("complainant_phone", "电话"), ("facts", "事实经过")],
)
async def test_a_missing_complaint_field_is_named_in_chinese(missing: str, chinese: str) -> None:
    uow = fake_uow()
    with pytest.raises(ValidationFailed) as raised:
        await svc.register_complaint(uow, FixedClock(uow.clock.now()), CITIZEN, draft(**{missing: "  "}))
    text = rendered(raised.value, "zh_Hans")
    assert chinese in text and not any(char.isascii() and char.isalpha() for char in text)
    assert rendered(raised.value, "en") == str(raised.value)


def test_an_over_long_catalogue_field_is_named_in_chinese() -> None:
    with pytest.raises(ValidationFailed) as raised:
        make_entry("370700-X-001", "事项", "某单位", "证" * 201, "关联")
    assert rendered(raised.value, "zh_Hans") == "“证明材料”超过 200 个字符。"
