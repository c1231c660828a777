"""The proof a "not needed" is about is the one the person meant, never a look-alike or another one named.

A made-up catalogue (another city's wording); each test is a failure category seen on catalogues the system
had never seen, not one evaluation question.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, answer, builtin_lexicon
from nocert_core.guidance.search.fuzzy import TypoCorrector
from tests.unit.guidance.made_up import verdict_naming_proof as verdict

A = ExemptionMode.ASSOCIATION

ROWS = [
    ("RS-1", "失业保险金申领", "解除劳动合同证明"),
    ("RS-1", "失业保险金申领", "就业失业登记证"),
    ("YB-1", "异地就医备案", "异地居住证明"),
    ("YB-1", "异地就医备案", "居住证"),
    ("HY-1", "渔业捕捞许可证换发", "渔业船舶登记证书"),
    ("HY-2", "渔业船员证书核发", "渔业船员证书"),
    ("YB-2", "生育津贴申领", "出生医学证明"),
    ("YB-2", "生育津贴申领", "结婚证"),
    ("CL-1", "残疾人证新办", "居住证"),
    ("BDC-5", "不动产权证书遗失补证", "遗失声明登报证明"),
    ("WJ-3", "出生医学证明补发", "出生医学证明遗失声明"),
    ("SW-1", "个人住房转让契税申报", "结婚证"),
    ("BDC-2", "存量房转移登记", "结婚证"),
    ("TY-1", "退役军人优待证申领", "退出现役证"),
    ("GA-11", "无犯罪记录证明开具", "单位介绍信"),
    ("CG-1", "机动车驾驶证初次申领", "机动车驾驶人身体条件证明"),
    ("GA-7", "居民身份证首次申领", "居民户口簿"),
    ("GJJ-5", "重大疾病医疗提取住房公积金", "诊断证明书"),
    ("GJJ-6", "职工死亡提取住房公积金（继承）", "诊断证明书"),
    ("GJJ-3", "租赁住房提取住房公积金", "诊断证明书"),
    ("RS-9", "青年人才购房补贴申领", "婚姻状况证明"),
    ("RS-8", "青年人才生活补贴申领", "劳动合同"),
    ("YB-5", "生育津贴申领", "结婚证"),
    ("MZ-9", "惠民殡葬补助申领", "居民死亡医学证明"),
    ("GA-5", "购买商品房落户", "商品房买卖合同"),
    ("CG-3", "机动车驾驶证遗失补领", "居民身份证"),
    ("SP-6", "食品经营许可（延续）", "从业人员健康证明"),
    ("SP-5", "食品经营许可（新办）", "从业人员健康证明"),
    ("GA-8", "居民身份证到期换领", "居民户口簿"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    entries = [IndexedEntry(code, service, "某市某局", None, cert, A, "依据") for code, service, cert in ROWS]
    return GuidanceIndex(entries, builtin_lexicon())


def test_a_proof_is_matched_through_the_persons_words_not_the_lexicons_other_names(
    index: GuidanceIndex,
) -> None:
    # 离职证明 → 解除劳动合同证明; the lexicon also calls it 失业证明, whose family holds 就业失业登记证
    assert verdict(index, "领失业金还要交单位的离职证明吗") == ("pair", "RS-1", "解除劳动合同证明", True)


def test_a_residence_proof_is_not_a_residence_permit(index: GuidanceIndex) -> None:
    assert verdict(index, "办理异地就医备案需要居住证明吗") == ("pair", "YB-1", "异地居住证明", True)


def test_a_proof_the_catalogue_lists_by_its_own_name_is_not_a_look_alike(index: GuidanceIndex) -> None:
    # 渔业船员证书 is listed (elsewhere) by that very name: 渔业船舶登记证书 is another proof
    assert verdict(index, "捕捞许可证到期换证要渔业船员证书吗") == ("pair", "HY-1", "渔业船员证书", False)


def test_the_proof_right_before_the_pair_verb_is_the_one_asked(index: GuidanceIndex) -> None:
    question = "想申领生育津贴，单位让准备结婚证、出生证，还有住院押金条，住院押金条还要交吗"
    intent, _service, certificate, exempt = verdict(index, question)
    assert certificate not in ("出生医学证明", "结婚证") and exempt is not True, (intent, certificate)


def test_a_typo_fix_never_breaks_a_real_word_of_the_question() -> None:
    corrector = TypoCorrector(
        ["自住", "贷款"],
        lambda word: word in {"孩子", "住院", "金代"},
        lambda text: ["孩子", "住院", "公积金", "代款"],
    )
    assert corrector.correct("孩子住院") == "孩子住院"  # not 孩自住 (自住 is a known word)


def test_a_name_written_right_may_end_in_a_typo_but_its_own_characters_stay() -> None:
    corrector = TypoCorrector(
        ["残疾人", "残疾人证"],
        lambda word: word in {"正在"},
        lambda text: [text] if "正在" not in text else ["残疾人", "正在", text[5:]],
    )
    assert corrector.correct("要残疾人正吗") == "要残疾人证吗"  # (残疾人 is right, 正 is the typo)
    assert corrector.correct("残疾人正在办") == "残疾人正在办"  # (正在 is a word of its own)


def test_what_is_done_is_open_to_typo_repair(index: GuidanceIndex) -> None:
    assert verdict(index, "残疾人证新半要居住正吗") == ("pair", "CL-1", "居住证", True)


def test_a_longer_catalogue_name_is_the_proof_only_when_the_question_says_the_rest(
    index: GuidanceIndex,
) -> None:
    # 登报的遗失声明 → 遗失声明登报证明; 出生医学证明遗失声明 is the notice of another proof
    result = answer(index, "登报的遗失声明哪些地方不要了")
    assert result.certificate == "遗失声明登报证明"
    assert {m.entry.service_code for m in result.matches} == {"BDC-5"}


def test_of_two_service_phrases_in_a_row_the_last_names_the_service(index: GuidanceIndex) -> None:
    # 二手房 (a lexicon phrase for the transfer) + 契税申报: the tax return is the service
    assert verdict(index, "二手房契税申报 结婚证？") == ("pair", "SW-1", "结婚证", True)


def test_a_licence_named_with_its_apply_word_is_the_service_not_a_proof_asked(index: GuidanceIndex) -> None:
    # 优待证 is in no list: "优待证申领" names what is applied for
    result = answer(index, "退役军人优待证申领可以不交什么")
    assert (result.intent.value, result.service and result.service.code) == ("service", "TY-1")


def test_the_first_of_two_proofs_after_an_issuing_verb_is_what_is_applied_for(index: GuidanceIndex) -> None:
    assert verdict(index, "开无犯罪记录证明要单位介绍信吗") == ("pair", "GA-11", "单位介绍信", True)


def test_a_registrations_card_is_a_proof(index: GuidanceIndex) -> None:
    assert verdict(index, "失业金 失业登记证？") == ("pair", "RS-1", "就业失业登记证", True)


def test_a_licence_after_first_time_is_what_is_applied_for(index: GuidanceIndex) -> None:
    # (the English "First time driving licence application, …" reads 首次驾驶证 in Chinese)
    assert verdict(index, "首次驾驶证还要带体检证明吗")[:2] == ("pair", "CG-1")


def test_everyday_words_for_an_illness_or_a_death_tell_siblings_apart(index: GuidanceIndex) -> None:
    assert verdict(index, "家里人得了大病想取公积金，要医院诊断证明吗")[:2] == ("pair", "GJJ-5")
    assert verdict(index, "我爸过世了，想取他的公积金，要诊断证明吗")[:2] == ("pair", "GJJ-6")


def test_word_synonyms_count_once_in_how_much_of_the_question_a_service_explains(
    index: GuidanceIndex,
) -> None:
    # 补贴 is looked up as 补贴/津贴/补助 and 购房 as 购房/购买: one word each, not five the service lacks
    assert verdict(index, "人才购房补贴还要婚姻状况证明吗") == ("pair", "RS-9", "婚姻状况证明", True)


def test_a_bare_medical_check_in_a_terse_question_is_the_proof_asked(index: GuidanceIndex) -> None:
    # (not the replacement's list of other proofs: the person asks about the medical check)
    assert verdict(index, "补领驾照 体检?") == ("pair", "CG-3", "机动车驾驶人身体条件证明", False)


def test_a_licence_that_expires_is_what_is_renewed_not_a_proof_asked(index: GuidanceIndex) -> None:
    question = "我开了个小超市，食品经营许可证快到期了要续，店员的健康证上次交过了，这回续证还要再交吗"
    assert verdict(index, question) == ("pair", "SP-6", "从业人员健康证明", True)
