"""Guidance over a catalogue worded unlike the lexicon: certificate resolution, pair shape, siblings, typos.

One made-up catalogue of another city, worded on purpose differently from the lexicon's official names.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from nocert_core.guidance.search.fuzzy import NameSimilarity, TypoCorrector
from tests.unit.guidance.made_up import register_index
from tests.unit.guidance.made_up import verdict_naming_proof as verdict

A = ExemptionMode.ASSOCIATION


def entry(code: str, service: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, "某市某局", None, certificate, A, "依据")


ROWS = [
    ("EDU-1", "教师资格认定", "学历学位证书"),
    ("EDU-1", "教师资格认定", "居民身份证"),
    ("FOOD-1", "小餐饮经营登记", "食品从业人员健康体检证明"),
    ("FOOD-1", "小餐饮经营登记", "营业执照"),
    ("AID-1", "临时救助申请", "低保证"),
    ("AID-1", "临时救助申请", "居民户口簿"),
    ("GUIDE-1", "导游人员资格证书核发", "学历学位证书"),
    ("GUIDE-1", "导游人员资格证书核发", "无犯罪记录证明"),
    ("MED-R", "城乡居民基本医疗保险参保登记", "居民户口簿"),
    ("MED-W", "职工基本医疗保险参保登记", "居民户口簿"),
    ("MED-W", "职工基本医疗保险参保登记", "劳动合同"),
    ("CAR-1", "机动车驾驶证期满换证", "机动车驾驶人身体条件证明"),
    ("CAR-1", "机动车驾驶证期满换证", "居民身份证"),
    ("KID-1", "幼儿园入园登记", "儿童预防接种证明"),
    ("KID-1", "幼儿园入园登记", "出生医学证明"),
    ("DOG-1", "犬只登记", "狂犬疫苗接种证明"),
    ("HOME-1", "公租房资格申请", "婚姻登记记录证明"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    return GuidanceIndex([entry(*row) for row in ROWS], builtin_lexicon())


# (a) the catalogue's own wording of a proof wins, found through the lexicon's alternatives and similarity
def test_a_certificate_is_resolved_to_the_wording_the_service_lists(index: GuidanceIndex) -> None:
    # 学位证 → lexicon 毕业证书; this catalogue says 学历学位证书
    assert verdict(index, "教师资格认定还要学位证吗") == ("pair", "EDU-1", "学历学位证书", True)
    # 健康证 → lexicon 从业人员健康证明; this catalogue says 食品从业人员健康体检证明
    assert verdict(index, "小餐饮经营登记要健康证吗") == ("pair", "FOOD-1", "食品从业人员健康体检证明", True)


def test_a_name_the_catalogue_lists_itself_is_not_replaced_by_the_lexicon(index: GuidanceIndex) -> None:
    # the lexicon maps 低保证 → 最低生活保障证, but this catalogue lists 低保证 itself
    assert verdict(index, "临时救助申请还要低保证吗") == ("pair", "AID-1", "低保证", True)


def test_a_certificate_question_reports_the_catalogues_name(index: GuidanceIndex) -> None:
    result = answer(index, "学位证在哪些地方可以不用带")
    assert result.intent == Intent.CERTIFICATE and result.certificate == "学历学位证书"
    assert {m.entry.service_code for m in result.matches} == {"EDU-1", "GUIDE-1"}


def test_a_service_phrase_followed_by_a_proof_word_names_a_proof(index: GuidanceIndex) -> None:
    # 结婚登记 is a service phrase; 结婚登记证明 is a proof, matched to the catalogue's 婚姻登记记录证明
    assert verdict(index, "公租房资格申请要结婚登记证明吗") == ("pair", "HOME-1", "婚姻登记记录证明", True)


# (b) "not exempt" only when nothing the service lists is a plausible match
def test_a_service_without_a_plausible_match_is_answered_not_exempt(index: GuidanceIndex) -> None:
    assert verdict(index, "小餐饮经营登记要户口本吗")[3] is False
    assert verdict(index, "幼儿园入园登记要疫苗本吗") == ("pair", "KID-1", "儿童预防接种证明", True)


def test_similar_looking_but_different_proofs_stay_apart() -> None:
    similarity = NameSimilarity(
        ["结婚证", "离婚证", "居民身份证", "居民户口簿", "出生医学证明", "死亡医学证明"]
    )
    assert similarity("结婚证", "离婚证") < 0.72
    assert similarity("居民身份证", "居民户口簿") < 0.72
    assert similarity("出生医学证明", "死亡医学证明") < 0.72


# (c) a pair-shaped question with a service phrase nobody wrote down still finds its service
def test_a_pair_shaped_question_looks_harder_for_an_unknown_service_phrase(index: GuidanceIndex) -> None:
    assert verdict(index, "考导游资格要无犯罪证明吗") == ("pair", "GUIDE-1", "无犯罪记录证明", True)


def test_a_question_without_the_pair_shape_stays_a_certificate_question(index: GuidanceIndex) -> None:
    assert verdict(index, "无犯罪证明在哪里可以免交")[0] == "certificate"


# (d) sibling services are told apart by the words only one of them has
def test_sibling_services_are_told_apart_by_their_distinguishing_words(index: GuidanceIndex) -> None:
    assert verdict(index, "村里人参加医保要户口本吗")[:2] == ("pair", "MED-R")
    assert verdict(index, "单位上班的职工参加医保要户口本吗")[:2] == ("pair", "MED-W")


# (e) everyday typos: one near-homophone character
def test_a_near_homophone_typo_is_corrected(index: GuidanceIndex) -> None:
    assert verdict(index, "教师资格认定要生份证吗") == ("pair", "EDU-1", "居民身份证", True)
    assert verdict(index, "驾照期满换证要身体条件正明吗") == (
        "pair",
        "CAR-1",
        "机动车驾驶人身体条件证明",
        True,
    )


def test_a_typo_corrector_leaves_real_words_alone() -> None:
    corrector = TypoCorrector(["身份证", "到期"], lambda word: word in {"其他", "申请"})
    assert corrector.correct("生份证到其") == "身份证到期"
    assert corrector.correct("其他申请") == "其他申请"


def test_a_proofs_last_character_typed_by_its_sound_is_fixed_though_the_verb_after_it_took_it() -> None:
    segment = {"认正要生存证明": ["认", "正要", "生存证明"], "身份正在审核": ["身份", "正在", "审核"]}
    corrector = TypoCorrector(
        ["认证", "身份证", "生存证明"], lambda word: word in {"正要", "正在", "审核"}, segment.get
    )
    assert corrector.correct("认正要生存证明") == "认证要生存证明"  # (jieba reads 正要 "about to")
    assert corrector.correct("身份正在审核") == "身份正在审核"  # (正在 is not the question's verb)


# (f) descriptions of a proof
def test_a_described_proof_is_recognised(index: GuidanceIndex) -> None:
    assert verdict(index, "上幼儿园入园登记要孩子打预防针的那个小本吗") == (
        "pair",
        "KID-1",
        "儿童预防接种证明",
        True,
    )


def test_a_name_inside_a_description_wins(index: GuidanceIndex) -> None:
    # "开车…小本" describes a driving licence, but a named proof inside the words is what is asked about
    assert verdict(index, "开车换证要身体条件证明吗")[2] == "机动车驾驶人身体条件证明"


# (g) interrogative placeholders are not certificates
def test_asking_which_proofs_can_be_skipped_is_a_service_question(index: GuidanceIndex) -> None:
    for question in ("小餐饮经营登记能少交哪几样材料", "小餐饮经营登记可以不带什么东西"):
        result = answer(index, question)
        assert (result.intent, result.service and result.service.code) == (Intent.SERVICE, "FOOD-1")


def test_a_fragment_jieba_holds_only_rarely_is_no_word_a_typo_means() -> None:
    fragments = register_index(
        [
            ("GA-9", "出生医学证明补发", "C-GA", "居民户口簿"),
            ("GA-8", "机动车驾驶证遗失补证", "C-GA", "居住证"),
        ],
        [RegisterUnit("C", "溪山市人民政府"), RegisterUnit("C-GA", "溪山市公安局", "C")],
    )
    # (证明补发's index terms include 明补, a word jieba's table holds with frequency 3)
    assert fragments.typos.correct("还要开无房证明不") == "还要开无房证明不"
    assert fragments.typos.correct("驾照丢了不领要带居住证吗") == "驾照丢了补领要带居住证吗"


def test_a_place_written_in_full_is_never_a_typo_of_another_place() -> None:
    corrector = TypoCorrector(["临沂县", "海洋"], lambda word: False, written_right=["临邑县", "海阳市"])
    assert corrector.correct("我在临邑县办低保") == "我在临邑县办低保"  # (not the catalogue's 临沂县)
    assert corrector.correct("烟台海阳市办渔业船员证") == "烟台海阳市办渔业船员证"
    assert TypoCorrector(["临沂县"], lambda word: False).correct("我在临邑县办低保") == "我在临沂县办低保"


def test_a_word_of_one_character_written_beside_a_word_is_no_slip_of_a_longer_name() -> None:
    corrector = TypoCorrector(["户口页", "毕业"], lambda word: word == "户口")
    assert corrector.correct("户口也在这边") == "户口也在这边"  # (户口 + 也, not 户口页)
    assert corrector.correct("要毕也证书吗") == "要毕业证书吗"  # (毕 is no word alone: a slip)


def test_a_syllable_typed_one_key_off_is_fixed_only_into_a_longer_name() -> None:
    corrector = TypoCorrector(["清税证明", "契税", "开出租车"], lambda word: word in {"听说", "出租车"})
    assert corrector.correct("注销要清说证明吗") == "注销要清税证明吗"  # (shuo typed for shui: o beside i)
    assert corrector.correct("听说要契说") == "听说要契说"  # (two characters: too short to tell a slip)
    assert corrector.correct("注销要清算证明吗") == "注销要清算证明吗"  # (suan is no key slip of shui)
    assert corrector.correct("考出租车从业资格证") == "考出租车从业资格证"  # (kao/kai, but 出租车 is a word)
    segment = {"二手房去过户": ["二手房", "去", "过户"]}.get
    words = TypoCorrector(["房屋过户"], lambda word: word in {"二手房", "过户"}, segment)
    assert words.correct("二手房去过户") == "二手房去过户"  # (qu/wu: the window cuts 二手房)


def test_an_annual_review_alone_is_the_review_of_what_the_question_names_not_a_cars() -> None:
    reviews = register_index(
        [
            ("ZJ-2", "公共租赁住房资格年审", "C-ZJ", "家庭收入证明"),
            ("CG-6", "机动车检验合格标志核发", "C-GA", "机动车行驶证"),
            ("MZ-9", "高龄津贴申领", "C-MZ", "生存证明"),
        ],
        [
            RegisterUnit("C", "溪山市人民政府"),
            RegisterUnit("C-ZJ", "溪山市住房和城乡建设局", "C"),
            RegisterUnit("C-GA", "溪山市公安局", "C"),
            RegisterUnit("C-MZ", "溪山市民政局", "C"),
        ],
    )
    assert verdict(reviews, "公租房年审要收入证明吗") == ("pair", "ZJ-2", "家庭收入证明", True)
    assert verdict(reviews, "车子年审要行驶证吗") == ("pair", "CG-6", "机动车行驶证", True)


def test_buying_is_never_a_typo_of_selling_though_they_sound_the_same() -> None:
    corrector = TypoCorrector(["卖房子", "二手房"], lambda word: False)
    assert corrector.correct("买房子提公积金") == "买房子提公积金"  # (mai3/mai4: the other service)
    assert corrector.correct("卖二手方") == "卖二手房"  # (other slips beside it still fixed)


def test_a_window_of_two_that_cuts_a_word_of_the_text_in_two_is_no_typo() -> None:
    segment = {"家里是低保户": ["家里", "是", "低保", "户"], "社宝卡丢了": ["社", "宝卡", "丢", "了"]}.get
    corrector = TypoCorrector(["保护", "社保卡"], lambda word: word in {"家里", "低保"}, segment)
    assert corrector.correct("家里是低保户") == "家里是低保户"  # (保户 ↛ 保护: 保 is 低保's)
    assert corrector.correct("社宝卡丢了") == "社保卡丢了"
