"""Mechanisms behind confident wrong "not needed" answers on unseen catalogues (issue 8, session 7).

A made-up city (青岚市, with the district 松溪区 and its town 马村镇) worded unlike any evaluation set. Each
test is a mechanism: the bot answers for the service and place meant, or says it does not know.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, Intent, answer
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.reading.mentions import joined_proof
from tests.unit.guidance.made_up import register_index, verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("Q", "青岚市人民政府"),
    RegisterUnit("Q-GA", "青岚市公安局", "Q"),
    RegisterUnit("Q-CGS", "青岚市公安局交通警察支队车辆管理所", "Q-GA"),
    RegisterUnit("Q-MZ", "青岚市民政局", "Q"),
    RegisterUnit("Q-TY", "青岚市退役军人事务局", "Q"),
    RegisterUnit("Q-NY", "青岚市农业农村局", "Q"),
    RegisterUnit("Q-GZ", "青岚市云岫公证处", "Q"),
    RegisterUnit("S", "青岚市松溪区人民政府", "Q"),
    RegisterUnit("S-MZ", "青岚市松溪区民政局", "S"),
    RegisterUnit("S-MC", "青岚市松溪区马村镇人民政府", "S", ("马村镇政府",)),
]
ROWS = [
    ("GA-1", "出生登记（新生儿入户）", "Q-GA", "出生医学证明"),
    ("GA-1", "出生登记（新生儿入户）", "Q-GA", "结婚证"),
    ("GA-2", "户口登记项目出生日期更正", "Q-GA", "出生医学证明"),
    ("GA-3", "死亡注销户口", "Q-GA", "亲属关系证明"),
    ("GZ-1", "亲属关系公证", "Q-GZ", "居民户口簿"),
    ("MZ-1", "重度残疾人护理补贴申领", "Q-MZ", "残疾人证"),
    ("MZ-1", "重度残疾人护理补贴申领", "Q-MZ", "生存证明"),
    ("S-MZ-1", "重度残疾人护理补贴申领", "S-MZ", "残疾人证"),
    ("MZ-2", "农村最低生活保障审核确认", "Q-MZ", "居民户口簿"),
    ("TY-1", "带病回乡退伍军人定期生活补助", "Q-TY", "退伍证"),
    ("NY-1", "农机购置补贴申领", "Q-NY", "居民身份证"),
    ("CG-1", "机动车检验合格标志核发", "Q-CGS", "机动车行驶证"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


def test_a_colloquial_phrase_does_not_turn_a_birth_registration_into_a_correction(
    index: GuidanceIndex,
) -> None:
    # 上户口's 户口 is in the correction's name, but nobody said anything is corrected
    assert verdict(index, "上户口要出生证吗") == ("pair", "GA-1", True)
    assert verdict(index, "刚生了娃去上户口，出生证要带原件吗")[1] == "GA-1"


def test_a_correction_asked_for_is_still_the_correction(index: GuidanceIndex) -> None:
    assert verdict(index, "户口本上出生日期写错了要更正，要出生证吗")[1] == "GA-2"


def test_a_town_whose_name_ends_like_a_word_is_a_covered_place(index: GuidanceIndex) -> None:
    # 马村镇 ends in 村镇 (an ordinary word) but the register has its government: the district's rule,
    # whose list does not have the proof
    assert verdict(index, "在马村镇给老人办重度残疾人护理补贴，还要开生存证明吗") == ("pair", "S-MZ-1", False)


def test_a_one_off_payment_is_never_answered_with_a_periodic_allowance(index: GuidanceIndex) -> None:
    intent, service, _exempt = verdict(index, "退伍军人一次性补助要退伍证吗")
    assert service != "TY-1" and intent == "unknown"
    assert verdict(index, "退伍军人定期生活补助要退伍证吗")[1] == "TY-1"


def test_a_lexicon_phrase_is_not_explained_by_one_word_of_its_official_wording(index: GuidanceIndex) -> None:
    # 宅基地审批's official words include 农村, which 农村低保's name has: still another service
    assert verdict(index, "农村宅基地审批要户口本吗")[0] == "unknown"


def test_another_thing_of_the_kind_before_a_lexicon_word_is_not_the_lexicons_guess(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "农机年检要带行驶证吗")[0] == "unknown"
    assert verdict(index, "年检要带行驶证吗") == ("pair", "CG-1", True)
    assert verdict(index, "农村低保要户口本吗") == ("pair", "MZ-2", True)  # (an attribute, not a thing)


def test_a_proof_named_with_de_inside_is_the_proof(index: GuidanceIndex) -> None:
    result = answer(
        index, "家里老人去世了要去派出所销户，听人说还得开个亲属关系的证明，证明我是她儿子，这个还用开吗"
    )
    assert result.intent == Intent.PAIR
    assert result.service is not None and result.service.code == "GA-3"
    assert result.certificate == "亲属关系证明"
    # …but not after another verb: 查房产的证明 is the proof of a search, not 房产证明
    assert joined_proof(index, "还要交查房产的证明吗") == "还要交查房产的证明吗"
    assert joined_proof(index, "还要交个房产的证明吗") == "还要交个房产证明吗"


def test_a_place_in_pinyin_whose_chinese_bare_name_is_a_word_is_out_of_area(index: GuidanceIndex) -> None:
    # 开封 ("unseal") is no place in Chinese text, but "Kaifeng" can only be the city
    result = answer(index, "How about Kaifeng? Do I need a hukou booklet to register a birth there?")
    assert (result.intent, result.place) == (Intent.OUT_OF_AREA, "开封市")
    assert answer(
        index, "I live in Kaifeng City. Do I need my marriage certificate for a birth registration?"
    ).intent == (Intent.OUT_OF_AREA)


def test_a_namesake_in_another_province_written_in_english_is_out_of_area(index: GuidanceIndex) -> None:
    # "Qinglan" reads as the covered city, but the province named says it is another one
    result = answer(index, "Qinglan, Inner Mongolia: do I need my hukou booklet to register a birth?")
    assert result.intent == Intent.OUT_OF_AREA
    assert (
        answer(index, "In Qinglan, do I need my marriage certificate to register a birth?").intent
        == Intent.PAIR
    )


@pytest.mark.parametrize(
    "question",
    [
        "定州市办结婚登记要户口本吗",
        "满城区出生登记要结婚证吗",
        "易县上户口要出生证吗",
        "唐縣上戶口要出生證嗎",
    ],
)
def test_a_county_of_any_province_named_in_full_is_out_of_area(index: GuidanceIndex, question: str) -> None:
    # (counties far from the shipped list, a district whose name ends like a word, one-character counties)
    assert answer(index, question).intent == Intent.OUT_OF_AREA
