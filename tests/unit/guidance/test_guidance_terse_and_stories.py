"""Terse questions and long stories over an unseen catalogue (issue 8, session 8: mechanisms behind the
rambling, terse and simplified misses of the luoyang, yichang and mianyang sets, each a general rule).

A made-up city (澄川市) worded unlike any evaluation set.
"""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

MZ, CG, SJ = "澄川市民政局", "澄川市公安局车辆管理所", "澄川市市场监督管理局"
UNITS = [
    RegisterUnit("C", "澄川市人民政府"),
    RegisterUnit("C-MZ", MZ, "C"),
    RegisterUnit("C-CG", CG, "C"),
    RegisterUnit("C-SJ", SJ, "C"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    rows = [
        ("MZ-1", "最低生活保障申请", "C-MZ", "不动产权证书"),
        ("MZ-1", "最低生活保障申请", "C-MZ", "居民户口簿"),
        ("MZ-2", "最低生活保障家庭成员增减变更", "C-MZ", "居民户口簿"),
        ("SJ-1", "食品经营许可（新办）", "C-SJ", "健康证明"),
        ("SJ-2", "食品经营许可（延续）", "C-SJ", "营业执照"),
        ("SJ-3", "食品经营许可（注销）", "C-SJ", "营业执照"),
        ("SJ-4", "个体工商户设立登记", "C-SJ", "房屋租赁合同"),
        ("SJ-5", "个体工商户变更登记", "C-SJ", "房屋租赁合同"),
    ]
    return register_index(rows, UNITS)


def test_a_benefit_named_alone_is_its_application_not_a_change_made_to_it(index: GuidanceIndex) -> None:
    assert verdict(index, "低保要房本吗") == ("pair", "MZ-1", True)


def test_a_licence_named_alone_may_still_be_any_of_its_registrations(index: GuidanceIndex) -> None:
    assert verdict(index, "个体户营业执照的事，租房合同还要交吗")[0] == "clarify"


def test_opening_a_shop_is_the_first_issue_of_its_licence(index: GuidanceIndex) -> None:
    assert verdict(index, "准备开个小饭馆，办食品经营许可，员工健康证要交吗") == ("pair", "SJ-1", True)
    # (applying alone does not say which one: the first issue, its renewal or its cancellation)
    assert verdict(index, "办食品经营许可证还要健康证吗")[0] == "clarify"
