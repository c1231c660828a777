"""The same service listed by the city and by districts: the place decides which list answers, never a proof.

A made-up register and catalogue (a city unit serving every covered place, two district branches listing
slightly different proofs); each test is a failure category seen on catalogues the system had never seen.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.reading.english import to_chinese
from tests.unit.guidance.made_up import verdict_naming_proof as verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "临河市人民政府"),
    RegisterUnit("C-GA", "临河市公安局", "C"),
    RegisterUnit("C-MZ", "临河市民政局", "C"),
    RegisterUnit("C-SC", "临河市市场监督管理局", "C"),
    RegisterUnit("D", "东湖区人民政府", "C"),
    RegisterUnit("D-GA", "东湖区公安分局", "D"),
    RegisterUnit("D-MZ", "东湖区民政局", "D"),
    RegisterUnit("D-JD", "东湖区竹林街道办事处", "D"),
    RegisterUnit("W", "西岭区人民政府", "C"),
    RegisterUnit("W-MZ", "西岭区民政局", "W"),
]
ROWS = [
    ("C-GA-1", "居住证申领", "临河市公安局", "C-GA", "居民身份证"),
    ("D-GA-1", "居住证申领", "东湖区公安分局", "D-GA", "居民身份证"),
    ("D-GA-1", "居住证申领", "东湖区公安分局", "D-GA", "房屋租赁登记备案证明"),
    ("C-MZ-7", "高龄津贴申领", "临河市民政局", "C-MZ", "社会保障卡"),
    ("W-MZ-7", "高龄津贴申领", "西岭区民政局", "W-MZ", "居民户口簿"),
    ("C-SC-1", "个体工商户设立登记", "临河市市场监督管理局", "C-SC", "经营场所使用证明"),
    ("C-SC-1", "个体工商户设立登记", "临河市市场监督管理局", "C-SC", "村（居）委会住所证明"),
    ("C-GA-9", "居住证签注", "临河市公安局", "C-GA", "房屋租赁登记备案证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [
        IndexedEntry(code, service, unit, uc, cert, A, "依据") for code, service, unit, uc, cert in ROWS
    ]
    return GuidanceIndex(entries, builtin_lexicon(), UNITS)


def test_a_district_twin_listing_the_proof_does_not_answer_when_no_place_is_named(
    index: GuidanceIndex,
) -> None:
    # only 东湖区's list has the lease registration: with no place named the city's list answers (not exempt)
    assert verdict(index, "办居住证要不要交房屋租赁登记备案证明")[1:] == (
        "C-GA-1",
        "房屋租赁登记备案证明",
        False,
    )
    assert verdict(index, "在东湖区办居住证要不要交房屋租赁登记备案证明")[1:] == (
        "D-GA-1",
        "房屋租赁登记备案证明",
        True,
    )


def test_a_covered_district_without_its_own_listing_gets_the_city_unit_not_another_district(
    index: GuidanceIndex,
) -> None:
    # 东湖区 lists no 高龄津贴: the city bureau serves it (西岭区's branch is another place's rule)
    assert verdict(index, "我爸住在东湖区，想领高龄津贴，社保卡要带吗") == (
        "pair",
        "C-MZ-7",
        "社会保障卡",
        True,
    )
    assert verdict(index, "竹林街道办个体户营业执照要住所证明吗")[:2] == ("pair", "C-SC-1")


def test_the_persons_own_proof_name_wins_over_its_family(index: GuidanceIndex) -> None:
    # 住所证明 is the end of the listed 村（居）委会住所证明; its family's 经营场所使用证明 is another row
    assert verdict(index, "办个体户营业执照要社区开住所证明吗")[2:] == ("村（居）委会住所证明", True)


def test_a_rent_contract_is_the_lease_registration_where_a_residence_is_proved(index: GuidanceIndex) -> None:
    assert verdict(index, "在东湖区办居住证要交租房合同吗")[1:] == ("D-GA-1", "房屋租赁登记备案证明", True)


def test_english_needs_asked_for_are_proofs_and_the_glossary_knows_newborns_and_employers_letters() -> None:
    assert to_chinese("Applying for my pension, do they still ask for my army discharge papers?") == (
        "办申领养老金还要带退伍证吗"
    )
    assert "出生登记" in (
        to_chinese("Registering my newborn's hukou, do I need the birth certificate?") or ""
    )
    assert "单位证明" in (
        to_chinese("First passport application, do I need a letter from my employer?") or ""
    )


def test_a_question_naming_an_uncovered_place_is_still_out_of_area(index: GuidanceIndex) -> None:
    assert answer(index, "在北湖区办居住证要身份证吗").intent in (Intent.OUT_OF_AREA, Intent.UNKNOWN)
