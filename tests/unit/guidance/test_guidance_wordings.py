"""Wordings of unseen writers: Taiwan words for homes and contracts, a proof's own certificate said as
"X的Y证明", ages beside a service, a one-syllable county in English, and a unit alias with 市场 in it."""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import PlaceScope, RegisterUnit
from nocert_core.textnorm import compact
from tests.unit.guidance.made_up import verdict

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


@pytest.fixture(scope="module")
def stories() -> GuidanceIndex:
    mz, ty, rs, jy = "日照市民政局", "日照市退役军人事务局", "日照市社会保险事业中心", "日照市教育局"
    return GuidanceIndex(
        [
            entry("YB-8", "医疗救助申请", mz, "C-MZ", "最低生活保障证"),
            entry("MZ-5", "最低生活保障审核确认（城市）", mz, "C-MZ", "最低生活保障证"),
            entry("MZ-6", "最低生活保障审核确认（农村）", mz, "C-MZ", "最低生活保障证"),
            entry("TY-1", "退役军人优待证申领", ty, "C", "退出现役证"),
            entry("RS-70", "城乡居民基本养老保险待遇领取", rs, "C", "退出现役证"),
            entry("JY-6", "中等职业学校国家助学金申请", jy, "C", "居住证"),
        ],
        builtin_lexicon(),
        UNITS,
    )


def test_a_remark_after_a_storys_question_does_not_take_its_place(stories: GuidanceIndex) -> None:
    question = (
        "我爸去年住院花了很多钱，家里是低保户，亲戚都借遍了。听说能申请医疗救助，"
        "申请医疗救助还要交低保证吗？低保证在我弟弟那儿放着呢。"
    )
    assert verdict(stories, question) == ("pair", "YB-8", True)


def test_an_ellipsis_ends_a_sentence_of_the_story(stories: GuidanceIndex) -> None:
    question = (
        "我当过兵，退伍好多年了，一直在老家住，听说现在退役的都能办一张优待证，坐公交逛公园都有优惠。"
        "听村里说要先去补个退伍证……办优待证还要交退伍证吗？"
    )
    assert verdict(stories, question)[:2] == ("pair", "TY-1")


def test_an_office_over_there_is_who_said_it_not_the_service_asked_about(stories: GuidanceIndex) -> None:
    question = "孩子今年该上初中了，学校那边给了一长串清单，我看得头都大了，想问一下，居住证还要交吗？"
    assert verdict(stories, question)[1] != "JY-6"


def test_a_medical_check_proof_is_the_one_the_service_lists() -> None:
    checks = GuidanceIndex(
        [
            entry("GA-1", "机动车驾驶证有效期满换证", "日照市公安局", "C-GA", "机动车驾驶人身体条件证明"),
            entry("WJ-6", "护士执业变更注册", "日照市民政局", "C-MZ", "护士执业证书"),
            entry("WJ-7", "医师执业注册", "日照市民政局", "C-MZ", "健康体检证明"),
        ],
        builtin_lexicon(),
        UNITS,
    )
    nurse = answer(checks, "护士执业变更注册，体检证明还要交吗")
    assert (nurse.certificate, nurse.exempt) == ("健康体检证明", False)  # (a check, not a driver's proof)
    driver = answer(checks, "驾驶证到期换证，体检证明还要交吗")
    assert (driver.certificate, driver.exempt) == ("机动车驾驶人身体条件证明", True)


def test_a_babys_hukou_in_everyday_words_is_its_birth_registration_not_a_spouse_joining() -> None:
    hukou = GuidanceIndex(
        [
            entry("GA-5", "出生登记（新生儿落户）", "日照市公安局", "C-GA", "结婚证"),
            entry("GA-6", "户口迁入（夫妻投靠）", "日照市公安局", "C-GA", "结婚证"),
        ],
        builtin_lexicon(),
        UNITS,
    )
    assert verdict(hukou, "娃落户要结婚证吗")[:2] == ("pair", "GA-5")
    assert verdict(hukou, "小孩落户要结婚证吗")[:2] == ("pair", "GA-5")


def test_a_lexicon_phrase_that_is_a_listed_services_whole_name_names_that_service() -> None:
    jobs = GuidanceIndex(
        [
            entry("RS-1", "就业创业证申领", "日照市公共就业和人才服务中心", "C-JY", "解除劳动合同证明"),
            entry("RS-2", "失业登记", "日照市公共就业和人才服务中心", "C-JY", "解除劳动合同证明"),
        ],
        builtin_lexicon(),
        UNITS,
    )
    assert verdict(jobs, "失业登记要原单位离职证明吗")[:2] == ("pair", "RS-2")  # (the lexicon said RS-1's)
