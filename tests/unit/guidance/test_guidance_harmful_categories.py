"""Categories of harmful answers ("not needed", and wrong for what was meant) on unseen catalogues (issue 8,
session 6), and of sibling guesses.

A made-up city (云河市, with the district 西岭区) worded unlike any evaluation set. Each test is a kind of
wording or of catalogue structure: the bot answers for the service and place meant, asks, or says it does
not know.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.abroad import english_place_abroad, is_pinyin
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "云河市人民政府"),
    RegisterUnit("C-MZ", "云河市民政局", "C"),
    RegisterUnit("C-GA", "云河市公安局", "C"),
    RegisterUnit("C-SPJ", "云河市行政审批服务局", "C"),
    RegisterUnit("C-SB", "云河市社会保险事业中心", "C"),
    RegisterUnit("C-GJJ", "云河市住房公积金管理中心", "C"),
    RegisterUnit("C-WL", "云河市文化和旅游局", "C"),
    RegisterUnit("C-JT", "云河市交通运输局", "C"),
    RegisterUnit("D", "云河市西岭区人民政府", "C"),
    RegisterUnit("D-SPJ", "云河市西岭区行政审批服务局", "D"),
]
ROWS = [
    ("MZ-1", "临时救助申请", "C-MZ", "居民户口簿"),
    ("MZ-2", "内地居民结婚登记", "C-MZ", "婚姻状况证明"),
    ("MZ-3", "困难残疾人生活补贴", "C-MZ", "残疾人证"),
    ("MZ-4", "重度残疾人护理补贴", "C-MZ", "残疾人证"),
    ("GA-1", "居民身份证首次申领", "C-GA", "居民户口簿"),
    ("GA-2", "居民身份证遗失补领", "C-GA", "居民户口簿"),
    ("GA-3", "出生登记（新生儿入户）", "C-GA", "结婚证"),
    ("WL-1", "导游证核发", "C-WL", "学历证书"),
    ("SP-1", "个体工商户设立登记", "C-SPJ", "经营场所使用证明"),
    ("SP-2", "个体工商户变更登记", "C-SPJ", "经营场所使用证明"),
    ("SP-3", "个体工商户注销登记", "C-SPJ", "经营场所使用证明"),
    ("D-SP-1", "个体工商户设立登记", "D-SPJ", "居民身份证"),
    ("SB-1", "企业职工因病死亡丧葬补助金、抚恤金申领", "C-SB", "火化证明"),
    ("SB-2", "城乡居民养老保险参保人死亡丧葬补助金申领", "C-SB", "火化证明"),
    ("GJ-1", "住房公积金个人住房贷款", "C-GJJ", "居民户口簿"),
    ("GJ-2", "提取住房公积金（偿还商业性住房贷款）", "C-GJJ", "结婚证"),
    ("JT-1", "巡游出租汽车驾驶员从业资格证核发", "C-JT", "无犯罪记录证明"),
    ("JT-2", "出租汽车驾驶员从业资格证期满换发", "C-JT", "无犯罪记录证明"),
    ("JT-3", "出租汽车驾驶员从业资格证遗失补发", "C-JT", "无犯罪记录证明"),
    ("CR-1", "普通护照首次申领", "C-GA", "居民户口簿"),
    ("CR-2", "普通护照换发", "C-GA", "居民户口簿"),
    ("CR-3", "普通护照补发", "C-GA", "遗失声明"),
    ("JJ-1", "机动车驾驶证申领【遗失补证】", "C-GA", "遗失声明"),
    ("JJ-2", "机动车行驶证补领", "C-GA", "遗失声明"),
    ("JJ-3", "机动车驾驶证申领【损毁换证】", "C-GA", "居民身份证"),
    ("SP-3", "个体工商户注销登记", "C-SPJ", "清税证明"),
    ("SW-1", "清税证明开具", "C-SPJ", "居民身份证"),
    ("GL-1", "八十至八十九周岁老年人高龄津贴申领", "C-MZ", "居民户口簿"),
    ("GL-2", "九十至九十九周岁老年人高龄津贴申领", "C-MZ", "居民户口簿"),
    ("GL-2", "九十至九十九周岁老年人高龄津贴申领", "C-MZ", "社会保障卡"),
    ("YS-1", "道路货物运输经营许可", "C-JT", "机动车行驶证"),
    ("YS-1", "道路货物运输经营许可", "C-JT", "营业执照"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return register_index(ROWS, UNITS)


def test_a_licence_of_a_kind_no_service_names_is_not_a_service_found_through_that_kind(
    index: GuidanceIndex,
) -> None:
    # 临时 of 办临时身份证 found 临时救助: the temporary card is a kind of 身份证 the catalogue lacks
    assert verdict(index, "办临时身份证要带户口本吗？") == ("unknown", None, None)
    assert verdict(index, "办居民身份证要带户口本吗") != ("pair", "MZ-1", True)


def test_renewing_a_licence_whose_only_service_is_its_first_issue_is_not_that_service(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "导游证到期换发，学历证书还要交吗？") == ("unknown", None, None)
    assert verdict(index, "办导游证还要交学历证书吗") == ("pair", "WL-1", True)


def test_a_kind_named_after_the_partner_and_the_verb_is_a_kind_the_catalogue_lacks(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "跟外国人办涉外结婚登记，还要单身证明吗？") == ("unknown", None, None)
    assert verdict(index, "跟对象办结婚登记还要单身证明吗") == ("pair", "MZ-2", True)


def test_a_listed_proof_does_not_turn_a_first_registration_into_its_change(index: GuidanceIndex) -> None:
    # the district's 设立登记 does not list the proof; the city's 变更登记 does, but nobody said a change
    assert verdict(index, "在西岭区办个体户执照，还要交经营场所的使用证明吗？") == ("pair", "D-SP-1", False)


def test_a_phrase_typed_whole_inside_one_of_the_lexicons_services_is_that_service(
    index: GuidanceIndex,
) -> None:
    # 护理补贴 → 困难残疾人生活补贴 重度残疾人护理补贴: the person typed the second one's words
    assert verdict(index, "护理补贴要残疾证") == ("pair", "MZ-4", True)
    assert verdict(index, "重度残疾人护理补贴，还要交残疾证复印件吗？") == ("pair", "MZ-4", True)


def test_the_service_the_lexicon_names_beside_a_word_does_not_tell_siblings_apart(
    index: GuidanceIndex,
) -> None:
    # 丧葬费 → 丧葬补助金 抚恤金: only one sibling has 抚恤金, which the person never said
    result = answer(index, "人走了领丧葬费，还要火化证明吗？")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates} == {"SB-1", "SB-2"}


def test_a_step_of_a_service_named_in_full_is_not_another_service_with_that_word(
    index: GuidanceIndex,
) -> None:
    # 公积金贷款 names the loan; 提前还款 is a step of it the catalogue lacks, not the withdrawal for a loan
    assert verdict(index, "公积金贷款想提前还款，还要结婚证吗？") == ("unknown", None, None)


def test_a_place_right_after_a_countrys_name_is_that_countrys(index: GuidanceIndex) -> None:
    result = answer(index, "我人在美国云河，护照快过期了，换发还要户口本吗？")
    assert (result.intent, result.place) == (Intent.OUT_OF_AREA, "美国云河")


def test_an_english_place_that_does_not_read_as_pinyin_is_abroad(index: GuidanceIndex) -> None:
    result = answer(index, "I live in Austin, Texas. Do I need my hukou booklet for a passport there?")
    assert (result.intent, result.place, result.language) == (Intent.OUT_OF_AREA, "Austin, Texas", "en")
    assert english_place_abroad("I live in Yunhe. Do I need my hukou booklet?") is None
    assert english_place_abroad("I live in Xiling District now.") is None
    assert english_place_abroad("Can I ask in English?") is None


def test_pinyin_is_told_from_other_words_by_its_syllables() -> None:
    assert all(is_pinyin(word) for word in ("Dezhou", "Lanshan", "Xi'an", "Rizhao", "Zhuangzhuang"))
    assert not any(is_pinyin(word) for word in ("Austin", "Texas", "London", "Paris"))


def test_a_proof_whose_name_goes_on_past_a_service_phrase_is_the_proof(index: GuidanceIndex) -> None:
    # 出生登记结婚证: 登记结婚 (a phrase for the marriage registration) overlaps 结婚证, which ends the words
    assert verdict(index, "出生登记结婚证") == ("pair", "GA-3", True)


def test_a_first_time_is_the_licences_issue_whatever_its_name(index: GuidanceIndex) -> None:
    # 核发 has no word of 第一次, but its siblings renew and replace: the first issue is the one left
    result = answer(index, "第一次办出租车司机从业资格证，哪些证不用带？")
    assert (result.intent, result.service and result.service.code) == (Intent.SERVICE, "JT-1")


def test_what_is_done_in_the_persons_words_is_explained_by_the_services_own(index: GuidanceIndex) -> None:
    # 补办 is not in 普通护照补发, but 补发 does the same: no confidence lost, no "I do not know"
    assert verdict(index, "护照补办要登报吗") == ("pair", "CR-3", True)


def test_a_licence_inside_a_service_phrase_leaves_no_other_licence_to_ask_about(index: GuidanceIndex) -> None:
    # 补驾照: both replacements fit 补, but only one is about the 驾照
    assert verdict(index, "补驾照遗失声明") == ("pair", "JJ-1", True)


def test_one_proof_said_twice_in_a_row_is_one_mention(index: GuidanceIndex) -> None:
    # 登报 (a word of the 遗失声明 family) + 的 + 遗失声明: not a proof applied for and another asked about
    result = answer(index, "登报的遗失声明现在哪些业务取消了")
    assert (result.intent, result.certificate) == (Intent.CERTIFICATE, "遗失声明")


def test_opening_a_business_is_applying_for_its_first_registration(index: GuidanceIndex) -> None:
    # 开个体户: not a change (变更登记) of one already open, though that one lists the proof too
    assert verdict(index, "开个体户登记，经营场所使用证明还要交吗") == ("pair", "SP-1", True)


@pytest.fixture(scope="module")
def city_named_like_a_word() -> GuidanceIndex:
    # 凤城市: a city whose name ends in 城市 — the word the person uses for the urban one of two siblings
    units = [
        RegisterUnit("F", "凤城市人民政府"),
        RegisterUnit("F-MZ", "凤城市民政局", "F"),
        RegisterUnit("F-GA", "凤城市公安局", "F"),
        RegisterUnit("F-RS", "凤城市人力资源和社会保障局", "F"),
    ]
    rows = [
        ("DB-1", "最低生活保障审核确认（城市）", "F-MZ", "收入证明"),
        ("DB-1", "最低生活保障审核确认（城市）", "F-MZ", "住房情况查询证明"),
        ("DB-2", "最低生活保障审核确认（农村）", "F-MZ", "收入证明"),
        ("TK-1", "特困人员救助供养审核确认", "F-MZ", "收入证明"),
        ("GA-1", "居民身份证首次申领", "F-GA", "居民户口簿"),
        ("GA-2", "出生登记", "F-GA", "出生医学证明"),
        ("RS-1", "失业保险金申领", "F-RS", "解除劳动合同证明"),
        ("RS-2", "就业创业证申领", "F-RS", "居民户口簿"),
    ]
    names = {unit.code: unit.name for unit in units}
    entries = [
        IndexedEntry(code, name, names[unit], unit, proof, A, "依据") for code, name, unit, proof in rows
    ]
    return GuidanceIndex(entries, builtin_lexicon(), units)


def test_a_units_opening_place_is_one_word_never_its_pieces(city_named_like_a_word: GuidanceIndex) -> None:
    index = city_named_like_a_word
    identity = index.forward[index.service_by_code["GA-1"]]
    assert "城市" not in identity and "凤城" in identity  # (a place named still finds its units)
    urban, rural = (index.forward[index.service_by_code[code]] for code in ("DB-1", "DB-2"))
    assert urban["城市"] == pytest.approx(rural["农村"])  # each sibling's word weighs alike


def test_a_word_inside_the_citys_name_still_tells_siblings_apart(
    city_named_like_a_word: GuidanceIndex,
) -> None:
    # (城市 of 凤城市 was a term of every unit's name: no weight left to tell （城市） from （农村）)
    assert verdict(city_named_like_a_word, "城市低保申请还要自己开收入证明吗？") == ("pair", "DB-1", True)


def test_siblings_named_alike_are_told_apart_by_the_one_the_person_says_is_theirs(
    city_named_like_a_word: GuidanceIndex,
) -> None:
    question = "农村低保和城市低保材料不一样吧？我申请的是农村的，要开住房情况证明吗"
    assert verdict(city_named_like_a_word, question) == ("pair", "DB-2", False)  # (never DB-1's "not needed")


def test_an_alias_ending_in_a_word_that_starts_with_a_place_suffix_names_no_place() -> None:
    # 人才市场 (a job fair's name) is not the place 人才市: the city's centre is not a district's unit, so
    # a county's listing of the same service does not come first for a question naming no place
    units = [
        RegisterUnit("F", "凤城市人民政府"),
        RegisterUnit("F-JY", "凤城市公共就业和人才服务中心", "F", ("就业中心", "人才市场")),
        RegisterUnit("Q", "青禾县人民政府", "F"),
        RegisterUnit("Q-RS", "青禾县人力资源和社会保障局", "Q"),
    ]
    scope = PlaceScope.build(units)
    assert "F-JY" not in scope.local_units and "Q-RS" in scope.local_units


def test_a_terse_proof_after_an_action_done_to_words_before_it_is_asked_about(index: GuidanceIndex) -> None:
    # 个体 + 注销 + 清税证明: the business is cancelled, the tax clearance is the proof asked about (never the
    # service that issues the proof, nor "I do not know")
    assert verdict(index, "个体注销清税证明") == ("pair", "SP-3", True)


def test_the_new_card_a_renewal_gives_is_no_kind_of_renewal(index: GuidanceIndex) -> None:
    assert verdict(index, "驾驶证不小心泡水坏了，去换个新证，要不要身份证") == ("pair", "JJ-3", True)


def test_a_proof_no_list_knows_in_a_storys_question_is_the_one_asked_about(index: GuidanceIndex) -> None:
    # the list the window gave named 行驶证 and 营业执照; the question is about the drivers' 从业资格证,
    # which no list here has: never the 行驶证's "not needed"
    story = (
        "我跟两个老乡合伙搞了个小货运公司，现在要办道路货物运输经营许可，窗口给了张单子，上面有营业执照、"
        "车辆行驶证、司机从业资格证等等。我想问问司机的从业资格证在西岭区办这个还要不要交？"
    )
    result = answer(index, story)
    assert result.certificate != "机动车行驶证" and result.exempt is not True


def test_which_benefits_names_no_service_it_asks_where_a_proof_is_not_needed(index: GuidanceIndex) -> None:
    result = answer(index, "残疾证现在哪些补贴不要了？")
    assert (result.intent, result.certificate) == (Intent.CERTIFICATE, "残疾人证")


def test_a_certificates_matters_are_the_services_of_that_certificate(index: GuidanceIndex) -> None:
    # 小孩护照的事: what is done about the passport — asked which, never "I do not know"
    result = answer(index, "小孩护照的事，要不要带户口本？")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates} == {"CR-1", "CR-2", "CR-3"}


def test_a_service_for_other_ages_than_the_one_said_is_never_the_answer(index: GuidanceIndex) -> None:
    # 85岁: the 80–89 allowance, which does not list the card — never the 90–99 one's "not needed"
    assert verdict(index, "我妈今年八十五岁，领高龄津贴要社保卡吗") == ("pair", "GL-1", False)
    assert verdict(index, "我妈今年95岁，领高龄津贴要社保卡吗") == ("pair", "GL-2", True)
