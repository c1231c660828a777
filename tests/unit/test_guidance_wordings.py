"""Wordings of unseen writers: Taiwan words for homes and contracts, a proof's own certificate said as
"X的Y证明", ages beside a service, a one-syllable county in English, and a unit alias with 市场 in it."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.places import PlaceScope, RegisterUnit
from nocert_core.textnorm import compact

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "日照市人民政府"),
    RegisterUnit("C-GA", "日照市公安局", "C"),
    RegisterUnit("C-MZ", "日照市民政局", "C"),
    RegisterUnit("C-JY", "日照市公共就业和人才服务中心", "C", ("人才市场", "就业中心")),
    RegisterUnit("C-SJ", "日照市市场监督管理局", "C"),
    RegisterUnit("C-SW", "国家税务总局日照市税务局", "C"),
    RegisterUnit("J", "莒县人民政府", "C"),
    RegisterUnit("J-RS", "莒县人力资源和社会保障局", "J"),
]


def entry(code: str, service: str, unit: str, unit_code: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, unit_code, certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex(
        [
            entry("GA-5", "户口迁入登记（购买住房落户）", "日照市公安局", "C-GA", "商品房买卖合同备案证明"),
            entry("GA-6", "户口迁入登记（投靠直系亲属）", "日照市公安局", "C-GA", "结婚证"),
            entry("MZ-9", "80周岁以上老年人高龄津贴申领", "日照市民政局", "C-MZ", "生存证明"),
            entry("SJ-6", "有限责任公司注销登记", "日照市市场监督管理局", "C-SJ", "清税证明"),
            entry("SJ-7", "有限责任公司设立登记", "日照市市场监督管理局", "C-SJ", "住所（经营场所）使用证明"),
            entry("SW-1", "税务注销清税证明开具", "国家税务总局日照市税务局", "C-SW", "营业执照"),
            entry("RS-3", "一次性创业补贴申领", "日照市公共就业和人才服务中心", "C-JY", "营业执照"),
            entry("J-RS-3", "一次性创业补贴申领", "莒县人力资源和社会保障局", "J-RS", "居民户口簿"),
        ],
        builtin_lexicon(),
        UNITS,
    )


def test_taiwan_words_for_a_home_bought_or_rented_and_a_contract_become_the_mainland_words() -> None:
    assert compact("購屋合約") == "购房合同" and compact("租屋") == "租房"


def test_a_proofs_own_certificate_said_after_it_is_one_mention_not_a_service_word(
    index: GuidanceIndex,
) -> None:
    result = answer(index, "辦購屋落戶，購屋合約的備案證明還要交嗎？")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "GA-5",
        True,
    )


def test_an_age_before_the_service_is_no_kind_of_it(index: GuidanceIndex) -> None:
    result = answer(index, "家母今年八十五歲，申請高齡津貼需要生存證明嗎？")
    assert (result.intent, result.service and result.service.code) == (Intent.PAIR, "MZ-9")


def test_an_alias_with_a_market_in_it_names_no_place() -> None:
    scope = PlaceScope.build(UNITS)
    assert "C-JY" not in scope.local_units  # (人才市场 is no place 人才市)


def test_a_one_syllable_county_in_english_is_found_by_its_suffix(index: GuidanceIndex) -> None:
    result = answer(
        index, "In Ju County, for the one-time start-up subsidy, do they still need my hukou booklet?"
    )
    assert (result.intent, result.service and result.service.code) == (Intent.PAIR, "J-RS-3")


def test_the_office_a_proof_is_got_from_is_not_a_word_of_the_service(index: GuidanceIndex) -> None:
    result = answer(index, "公司要办注销，清税证明还要自己跑税务局开吗？")
    assert (result.intent, result.service and result.service.code, result.exempt) == (
        Intent.PAIR,
        "SJ-6",
        True,
    )
