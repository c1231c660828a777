"""Sibling services told apart by a bracketed qualifier of their official name (（城市）/（农村）, 【补发】),
the same service listed by another place's unit, and opening a business as applying for its registration."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import verdict

A = ExemptionMode.ASSOCIATION
UNITS = [  # (a city whose every unit name holds 城市: 临河城市…)
    RegisterUnit("C", "临河城市人民政府"),
    RegisterUnit("C-MZ", "临河城市民政局", "C"),
    RegisterUnit("C-SP", "临河城市行政审批服务局", "C"),
    RegisterUnit("D", "东湖区人民政府", "C"),
    RegisterUnit("D-MZ", "东湖区民政局", "D"),
]


def entry(code: str, service: str, unit: str, unit_code: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, unit_code, certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    mz, sp = "临河城市民政局", "临河城市行政审批服务局"
    return GuidanceIndex(
        [
            entry("MZ-5", "最低生活保障审核确认【城市】", mz, "C-MZ", "收入证明"),
            entry("MZ-6", "最低生活保障审核确认【农村】", mz, "C-MZ", "收入证明"),
            entry("MZ-6", "最低生活保障审核确认【农村】", mz, "C-MZ", "土地承包经营权证"),
            entry("MZ-5D", "最低生活保障审核确认【城市】", "东湖区民政局", "D-MZ", "居民户口簿"),
            entry("MZ-6D", "最低生活保障审核确认【农村】", "东湖区民政局", "D-MZ", "收入证明"),
            entry("SP-1", "个体工商户设立登记", sp, "C-SP", "住所（经营场所）使用证明"),
            entry("SP-2", "个体工商户变更登记", sp, "C-SP", "住所（经营场所）使用证明"),
            entry("SP-3", "个体工商户注销登记", sp, "C-SP", "清税证明"),
        ],
        builtin_lexicon(),
        UNITS,
    )


def test_a_word_only_one_siblings_bracketed_qualifier_holds_decides_between_them(
    index: GuidanceIndex,
) -> None:
    # (城市 is in every unit's name too, so it scores alike for both: the qualifier decides)
    assert verdict(index, "城市低保还要开收入证明吗") == ("pair", "MZ-5", True)
    assert verdict(index, "农村低保收入证明") == ("pair", "MZ-6", True)


def test_without_a_qualifiers_word_the_siblings_are_asked_about(index: GuidanceIndex) -> None:
    result = answer(index, "低保还要开收入证明吗")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates} == {"MZ-5", "MZ-6"}


def test_the_place_named_chooses_its_own_listing_of_the_qualified_service(index: GuidanceIndex) -> None:
    # (东湖区's listing has no 收入证明: never the city listing's "not needed")
    assert verdict(index, "在东湖区申请城市低保，收入证明还要交吗") == ("pair", "MZ-5D", False)


def test_opening_a_business_is_applying_for_its_setting_up_not_changing_or_closing_it(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "开个体户登记，经营场所的证明材料还要交吗") == ("pair", "SP-1", True)
    assert answer(index, "个体户登记，经营场所证明还要交吗").intent == Intent.CLARIFY  # (which one: asked)


@pytest.fixture(scope="module")
def ages() -> GuidanceIndex:
    mz = "临河城市民政局"
    return GuidanceIndex(
        [
            entry("A-80", "八十至八十九周岁老年人高龄津贴申领", mz, "C-MZ", "居民户口簿"),
            entry("A-90", "九十至九十九周岁老年人高龄津贴申领", mz, "C-MZ", "居民户口簿"),
            entry("A-100", "100周岁以上老年人长寿补贴申领", mz, "C-MZ", "居民户口簿"),
        ],
        builtin_lexicon(),
        UNITS,
    )


def test_the_age_the_person_says_picks_the_sibling_for_that_age(ages: GuidanceIndex) -> None:
    assert verdict(ages, "家母九十二歲，申請高齡津貼，戶口本要帶嗎？")[:2] == ("pair", "A-90")
    assert verdict(ages, "我妈83岁了，领高龄津贴要户口本吗")[:2] == ("pair", "A-80")


def test_without_an_age_the_age_siblings_are_asked_about(ages: GuidanceIndex) -> None:
    result = answer(ages, "老人领高龄津贴要户口本吗")
    assert result.intent == Intent.CLARIFY and {"A-80", "A-90"} <= {c.code for c in result.candidates}
