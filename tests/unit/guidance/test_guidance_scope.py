"""Place, ambiguity, families and English: the answer holds for the place and service meant, or asks."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "临河市人民政府"),
    RegisterUnit("C-GJJ", "临河市住房公积金管理中心", "C", ("公积金中心",)),
    RegisterUnit("C-SPJ", "临河市行政审批服务局", "C"),
    RegisterUnit("D", "东湖区人民政府", "C"),
    RegisterUnit("D-JY", "东湖区教育和体育局", "D", ("东湖教体局",)),
    RegisterUnit("D-SPJ", "东湖区行政审批服务局", "D"),
]


def entry(code: str, service: str, unit: str, unit_code: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, unit_code, certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex(
        [
            entry("G-1", "住房公积金提取（购房）", "临河市住房公积金管理中心", "C-GJJ", "不动产权证书"),
            entry("G-1", "住房公积金提取（购房）", "临河市住房公积金管理中心", "C-GJJ", "结婚证"),
            entry("G-2", "住房公积金提取（租房）", "临河市住房公积金管理中心", "C-GJJ", "结婚证"),
            entry("G-3", "住房公积金提取（退休）", "临河市住房公积金管理中心", "C-GJJ", "退休证"),
            entry("E-1", "小学入学报名", "东湖区教育和体育局", "D-JY", "不动产权证书"),
            entry("B-1", "企业设立登记", "临河市行政审批服务局", "C-SPJ", "住所（经营场所）使用证明"),
            entry("B-2", "企业设立登记", "东湖区行政审批服务局", "D-SPJ", "住所（经营场所）使用证明"),
            entry("B-1", "企业设立登记", "临河市行政审批服务局", "C-SPJ", "居民身份证"),
        ],
        builtin_lexicon(),
        UNITS,
    )


def test_a_place_outside_the_register_is_not_answered_with_another_places_rule(index: GuidanceIndex) -> None:
    result = answer(index, "在寿光给孩子报名上小学要房产证吗")
    assert (result.intent, result.place, result.matches) == (Intent.OUT_OF_AREA, "寿光", [])


def test_a_covered_place_whose_units_do_not_offer_the_service_is_not_answered(index: GuidanceIndex) -> None:
    assert answer(index, "东湖区上小学要房产证吗").exempt is True
    assert answer(index, "我在临河市西岭镇上小学要房产证吗").intent == Intent.OUT_OF_AREA


def test_the_named_district_gets_its_own_branch_and_no_place_the_city_unit(index: GuidanceIndex) -> None:
    district = answer(index, "在东湖区办企业设立登记要身份证吗")
    assert district.service is not None and district.service.code == "B-2"
    assert district.exempt is False  # the district branch lists no 身份证: never the city's rule
    city = answer(index, "办企业设立登记要身份证吗")
    assert (city.service and city.service.code, city.exempt) == ("B-1", True)


def test_a_district_only_service_asked_without_a_place_says_whose_rule_it_is(index: GuidanceIndex) -> None:
    unplaced = answer(index, "上小学报名要房产证吗")
    assert (unplaced.exempt, unplaced.local_place) == (True, "东湖区")
    assert answer(index, "东湖区上小学要房产证吗").local_place is None  # the place was named: its own rule
    assert answer(index, "办企业设立登记要身份证吗").local_place is None  # the city's own service


def test_the_district_note_is_shown_in_the_answer_text(index: GuidanceIndex) -> None:
    from handlers.guidance.text import render_answer

    def english(message: str, **values: object) -> str:
        return message.format(**values)

    text = render_answer(answer(index, "上小学报名要房产证吗"), english)
    assert "This entry is 东湖区's" in text
    city = render_answer(answer(index, "办企业设立登记要身份证吗"), english)
    assert "This entry is" not in city


def test_siblings_the_words_do_not_tell_apart_are_asked_about(index: GuidanceIndex) -> None:
    result = answer(index, "公积金提取要带结婚证吗")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates} >= {"G-1", "G-2"}
    decided = answer(index, "租房提取公积金要带结婚证吗")
    assert (decided.intent, decided.service and decided.service.code) == (Intent.PAIR, "G-2")


def test_a_certificate_family_resolves_to_the_catalogues_own_name(index: GuidanceIndex) -> None:
    result = answer(index, "办营业执照还要不要租房合同")
    expected = (Intent.PAIR, "住所（经营场所）使用证明", True)
    assert (result.intent, result.certificate, result.exempt) == expected


def test_words_no_list_knows_are_never_presented_as_an_official_name(index: GuidanceIndex) -> None:
    result = answer(index, "办企业设立登记要开那个啥邻居担保书吗")
    assert result.exempt is False and not result.certificate_official


def test_english_questions_are_answered_and_unmapped_ones_say_so(index: GuidanceIndex) -> None:
    result = answer(index, "Do I need a rental contract to register a company?")
    assert (result.language, result.intent, result.exempt) == ("en", Intent.PAIR, True)
    assert answer(index, "Is it sunny tomorrow in the park?").intent == Intent.UNKNOWN


def test_traditional_characters_are_answered_like_simplified(index: GuidanceIndex) -> None:
    result = answer(index, "辦企業設立登記要帶身份證嗎")
    assert (result.service and result.service.code, result.exempt) == ("B-1", True)
