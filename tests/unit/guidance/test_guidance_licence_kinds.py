"""A licence applied for with words saying which kind it is — words the chosen service's name lacks — is a
kind the catalogue has not (issue 8, session 8): never the rule of another licence that shares the rest of
its name. A made-up city (云岭市); the kinds and services are not any evaluation set's."""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

UNITS = [
    RegisterUnit("Y", "云岭市人民政府"),
    RegisterUnit("Y-SP", "云岭市行政审批服务局", "Y"),
    RegisterUnit("Y-WL", "云岭市文化和旅游局", "Y"),
]
ROWS = [
    ("SP-1", "药品零售企业经营许可", "Y-SP", "营业执照"),
    ("WL-1", "歌舞娱乐场所营业许可", "Y-WL", "不动产权证书"),
    ("SP-2", "个体工商户开业登记", "Y-SP", "不动产权证书"),
    ("SP-3", "个体工商户歇业登记", "Y-SP", "营业执照"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


@pytest.mark.parametrize(
    "question",
    [
        "彩票专营零售许可证办理还要营业执照吗",  # a word no service knows before the licence's known words
        "个体户执照办理要房本吗",  # it opens with the kind of 执照 (营业执照), in no 营业 service's name
    ],
)
def test_a_licence_of_a_kind_no_service_names_is_not_another_licences_rule(
    index: GuidanceIndex, question: str
) -> None:
    assert verdict(index, question)[0] == "unknown"


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("药品零售许可证办理还要营业执照吗", "SP-1"),
        ("歌舞娱乐场所营业许可办理要房本吗", "WL-1"),
    ],
)
def test_the_licence_the_service_issues_is_still_answered(
    index: GuidanceIndex, question: str, code: str
) -> None:
    assert verdict(index, question) == ("pair", code, True)
