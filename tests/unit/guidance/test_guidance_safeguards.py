"""Safeguards on "not needed" (issue 8, session 7): when the decision itself was unsure, the bot asks.

A made-up city (松陵市) worded unlike any evaluation set. Each test is a harmful answer's class seen on
catalogues nobody had tuned on: the service chosen lacks a word the person typed that a service ranked at
least as high has — the bot offers both rather than say "not needed" for one.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.answering.safeguard import overruled_asking
from nocert_core.guidance.geo.places import RegisterUnit

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("S", "松陵市人民政府"),
    RegisterUnit("S-YB", "松陵市医疗保障局", "S"),
    RegisterUnit("S-RS", "松陵市社会保险事业中心", "S"),
    RegisterUnit("S-MZ", "松陵市民政局", "S"),
]
ROWS = [
    ("YB-1", "城乡居民基本医疗保险参保登记", "松陵市医疗保障局", "S-YB", "居民户口簿"),
    ("RS-1", "城乡居民基本养老保险待遇申领", "松陵市社会保险事业中心", "S-RS", "居民户口簿"),
    ("RS-1", "城乡居民基本养老保险待遇申领", "松陵市社会保险事业中心", "S-RS", "居民身份证"),
    ("MZ-1", "困难群众殡葬费用减免", "松陵市民政局", "S-MZ", "火化证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [IndexedEntry(code, name, unit, uc, cert, A, "依据") for code, name, unit, uc, cert in ROWS]
    return GuidanceIndex(entries, builtin_lexicon(), UNITS)


def test_a_question_whose_words_two_services_split_is_answered_for_neither(index: GuidanceIndex) -> None:
    # 养老 is only in the pension's name, 参保登记 only in the medical insurance's: the pension's 参保登记
    # is a service the catalogue lacks (session 8: it was asked between the two before)
    result = answer(index, "城乡居民养老保险参保登记要户口本吗")
    assert result.intent == Intent.UNKNOWN and not result.matches


def test_a_question_the_chosen_service_explains_whole_is_answered(index: GuidanceIndex) -> None:
    result = answer(index, "城乡居民医疗保险参保登记要户口本吗")
    assert result.intent == Intent.PAIR and result.exempt
    assert result.service is not None and result.service.code == "YB-1"


def test_a_proof_asked_about_that_no_list_names_gets_no_services_whole_list(index: GuidanceIndex) -> None:
    # one proof is asked about ("那个证明还要交不"): the list would say "not needed" for other proofs
    result = answer(index, "城乡居民医疗保险参保登记，村里开的那个证明还要交不？")
    assert result.intent == Intent.UNKNOWN and not result.matches


def test_a_question_asking_which_proofs_gets_the_services_list(index: GuidanceIndex) -> None:
    result = answer(index, "城乡居民医疗保险参保登记现在能少带什么？")
    assert result.intent == Intent.SERVICE
    assert result.service is not None and result.service.code == "YB-1"


@pytest.fixture(scope="module")
def benefits() -> GuidanceIndex:
    rows = [
        ("WJ-1", "农村部分计划生育家庭奖励扶助金申领", "松陵市民政局", "S-MZ", "独生子女父母光荣证"),
        ("WJ-2", "计划生育家庭特别扶助金申领", "松陵市民政局", "S-MZ", "独生子女父母光荣证"),
    ]
    entries = [IndexedEntry(code, name, unit, uc, cert, A, "依据") for code, name, unit, uc, cert in rows]
    return GuidanceIndex(entries, builtin_lexicon(), UNITS)


STORY = (
    "我们家就一个儿子 前几年生病走了 老伴身体也不好 社区的人说计划生育有扶助金可以领 让我们准备材料"
    " 请问申请特别扶助金    还得交吗"
)


def test_a_word_of_a_storys_asking_clauses_that_the_chosen_service_lacks_leaves_it_unsure(
    benefits: GuidanceIndex,
) -> None:
    # the ranking weighed the whole story; the clause that asks says 特别 (the other service's word)
    rural, special = benefits.service_by_code["WJ-1"], benefits.service_by_code["WJ-2"]
    own = {"计划": 1.0, "生育": 1.0, "特别": 1.0, "扶助": 1.0}
    assert overruled_asking(benefits, [(rural, 10.0), (special, 9.0)], rural, STORY, own) == [special]
    # not a service far below, nor a word only the story's background says
    assert overruled_asking(benefits, [(rural, 10.0), (special, 5.0)], rural, STORY, own) == []
    background = STORY.replace("请问申请特别扶助金", "请问申请扶助金").replace("有扶助金", "有特别扶助金")
    assert overruled_asking(benefits, [(rural, 10.0), (special, 9.0)], rural, background, own) == []


@pytest.fixture(scope="module")
def fund() -> GuidanceIndex:
    rows = [
        ("GJ-1", "个人住房公积金缴存登记", "松陵市住房公积金中心", "S", "劳动合同"),
        ("GJ-2", "住房公积金个人住房贷款申请", "松陵市住房公积金中心", "S", "收入证明"),
        ("GJ-3", "住房公积金贷款抵押注销", "松陵市住房公积金中心", "S", "不动产权证书"),
        ("GJ-4", "职工死亡提取住房公积金", "松陵市住房公积金中心", "S", "居民死亡医学证明"),
        ("YB-1", "城乡居民基本医疗保险参保登记", "松陵市医疗保障局", "S-YB", "居民户口簿"),
        ("MZ-2", "最低生活保障申请", "松陵市民政局", "S-MZ", "收入证明"),
        ("MZ-3", "内地居民结婚登记", "松陵市民政局", "S-MZ", "居民户口簿"),
    ]
    entries = [IndexedEntry(code, name, unit, uc, cert, A, "依据") for code, name, unit, uc, cert in rows]
    return GuidanceIndex(entries, builtin_lexicon(), UNITS)


def test_services_the_words_fit_exactly_alike_are_never_answered_for_the_first_one(
    fund: GuidanceIndex,
) -> None:
    # (session 8) 公积金 alone fits four fund services alike; what is done (转到老家) no name has
    result = answer(fund, "公积金转到老家去，要带啥证明？")
    assert result.intent == Intent.UNKNOWN and not result.matches


def test_a_word_that_tells_them_apart_is_answered(fund: GuidanceIndex) -> None:
    result = answer(fund, "公积金贷款要带啥证明？")
    assert result.intent == Intent.SERVICE
    assert result.service is not None and result.service.code == "GJ-2"
