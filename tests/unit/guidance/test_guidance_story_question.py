"""A story's last sentence answers on its own only when it names a service (issue 8, session 8): one whose
only service words are the proof's own (毕业 of 毕业证) asks about the service the story told. A made-up
city (石湾市)."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

UNITS = [
    RegisterUnit("W", "石湾市人民政府"),
    RegisterUnit("W-GA", "石湾市公安局", "W"),
    RegisterUnit("W-RS", "石湾市人力资源和社会保障局", "W"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(
        [
            ("GA-1", "户口迁入（人才引进）", "W-GA", "毕业证书"),
            ("GA-2", "居民身份证换领", "W-GA", "居民户口簿"),
            ("RS-1", "高校毕业生就业见习补贴申领", "W-RS", "毕业证书"),
            ("RS-2", "失业保险金申领", "W-RS", "解除劳动合同证明"),
        ],
        UNITS,
    )


def test_a_last_sentence_naming_only_the_proof_asks_about_the_storys_service(index: GuidanceIndex) -> None:
    story = (
        "我去年从外省调到石湾来工作，单位在市区，想把户口迁过来，单位说能走人才引进。"
        "我本科毕业，毕业证学位证一直带着，就是不知道毕业证还要不要交？"
    )
    assert verdict(index, story) == ("pair", "GA-1", True)


def test_a_last_sentence_naming_its_service_is_still_answered_on_its_own(index: GuidanceIndex) -> None:
    story = (
        "我去年户口迁过来了，一直没找到工作，也没上过班，家里人都着急。"
        "今年刚毕业，申请高校毕业生就业见习补贴，毕业证还要交吗？"
    )
    assert verdict(index, story) == ("pair", "RS-1", True)
