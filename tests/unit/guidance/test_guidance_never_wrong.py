"""Categories of confident wrong "not needed" answers on unseen catalogues (issue 8, session 5).

A made-up city (临河市, with the district 东湖区) worded on purpose unlike any evaluation set. Each test is a
category: the bot answers for the place and service meant, or asks, or says it does not know.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, Intent, answer, builtin_lexicon
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import verdict

A = ExemptionMode.ASSOCIATION
UNITS = [
    RegisterUnit("C", "临河市人民政府"),
    RegisterUnit("C-SPJ", "临河市行政审批服务局", "C"),
    RegisterUnit("C-ZJ", "临河市住房和城乡建设局", "C"),
    RegisterUnit("D", "临河市东湖区人民政府", "C"),
    RegisterUnit("D-SPJ", "临河市东湖区行政审批服务局", "D"),
    RegisterUnit("C-JY", "临河市教育和体育局", "C"),
    RegisterUnit("C-JT", "临河市交通运输局", "C"),
    RegisterUnit("C-MZ", "临河市民政局", "C"),
    RegisterUnit("C-GJJ", "临河市住房公积金中心", "C"),
]
SPJ, ZJ, D_SPJ = "临河市行政审批服务局", "临河市住房和城乡建设局", "临河市东湖区行政审批服务局"
JY, JT, MZ, GJJ = "临河市教育和体育局", "临河市交通运输局", "临河市民政局", "临河市住房公积金中心"


def entry(code: str, service: str, unit: str, unit_code: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, unit_code, certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    rows = [
        ("HZ-1", "农民专业合作社设立登记", SPJ, "C-SPJ", "经营场所使用证明"),
        ("HZ-1", "农民专业合作社设立登记", SPJ, "C-SPJ", "居民户口簿"),
        ("HZ-2", "农民专业合作社变更登记", SPJ, "C-SPJ", "经营场所使用证明"),
        ("HZ-3", "农民专业合作社注销登记", SPJ, "C-SPJ", "清税证明"),
        ("HZ-3", "农民专业合作社注销登记", SPJ, "C-SPJ", "成员大会决议"),
        ("D-HZ-1", "农民专业合作社设立登记", D_SPJ, "D-SPJ", "经营场所使用证明"),
        ("ZJ-1", "保障性租赁住房资格申请", ZJ, "C-ZJ", "个人收入证明"),
        ("ZJ-1", "保障性租赁住房资格申请", ZJ, "C-ZJ", "居民户口簿"),
        ("ZJ-1", "保障性租赁住房资格申请", ZJ, "C-ZJ", "房屋租赁登记备案证明"),
        ("ZJ-2", "房屋租赁登记备案", ZJ, "C-ZJ", "居民身份证"),
        ("ZJ-3", "注册建造师延续注册", ZJ, "C-ZJ", "继续教育合格证明"),
        ("JY-1", "义务教育阶段学生学籍转接", JY, "C-JY", "居民户口簿"),
        ("JY-2", "小学新生入学登记", JY, "C-JY", "出生医学证明"),
        ("JT-1", "危险货物运输驾驶员资格考试", JT, "C-JT", "安全驾驶经历证明"),
        ("JT-1", "危险货物运输驾驶员资格考试", JT, "C-JT", "机动车驾驶证"),
        ("JT-2", "危险货物运输押运人员从业资格证核发", JT, "C-JT", "无犯罪记录证明"),
        ("JT-3", "网络预约出租汽车驾驶员证核发", JT, "C-JT", "无犯罪记录证明"),
        ("JT-3", "网络预约出租汽车驾驶员证核发", JT, "C-JT", "从业资格证"),  # (a name ending the licence's)
        ("WS-1", "公共场所卫生许可（新办）", SPJ, "C-SPJ", "从业人员健康证明"),
        ("WS-2", "公共场所卫生许可（延续）", SPJ, "C-SPJ", "从业人员健康证明"),
        ("QY-1", "合伙企业设立登记", SPJ, "C-SPJ", "经营场所使用证明"),
        ("QY-2", "个人独资企业设立登记", SPJ, "C-SPJ", "经营场所使用证明"),
        ("MZ-1", "最低生活保障待遇申请", MZ, "C-MZ", "居民户口簿"),
        ("GJJ-1", "住房公积金提取（最低生活保障家庭）", GJJ, "C-GJJ", "居民户口簿"),
        ("HY-1", "内地居民结婚登记", MZ, "C-MZ", "居民户口簿"),
        ("CS-1", "百岁老人长寿补贴申领", MZ, "C-MZ", "生存状况证明"),
        ("YS-1", "执业药师变更注册", SPJ, "C-SPJ", "解除或终止劳动合同证明"),
        ("BDC-1", "不动产抵押权设立登记", SPJ, "C-SPJ", "不动产权证书"),
        ("CRJ-1", "普通护照签发", MZ, "C-MZ", "居民户口簿"),
        ("CJ-2", "残疾人证换领", MZ, "C-MZ", "居民户口簿"),
        ("BDC-2", "夫妻共有不动产变更登记", SPJ, "C-SPJ", "不动产权证书"),
        ("JZ-1", "机动车驾驶证期满换证", JT, "C-JT", "身体条件证明"),
        ("JZ-2", "机动车驾驶证损毁换证", JT, "C-JT", "居民身份证"),
        ("JZ-3", "机动车驾驶证遗失补证", JT, "C-JT", "居民身份证"),
        ("YS-2", "执业药师延续注册", SPJ, "C-SPJ", "继续教育合格证明"),
        ("CS-2", "长寿补贴领取资格年度认证", MZ, "C-MZ", "生存状况证明"),
        ("YD-1", "退役军人优待证申领", MZ, "C-MZ", "居民户口簿"),
    ]
    return GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)


def test_a_bare_registration_whose_siblings_change_or_cancel_it_is_asked_about(index: GuidanceIndex) -> None:
    result = answer(index, "农民专业合作社登记要经营场所使用证明吗")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates[:2]} == {"HZ-1", "HZ-2"}  # those listing the proof first
    assert {c.code for c in result.candidates} == {"HZ-1", "HZ-2", "HZ-3"}


def test_applying_is_the_first_registration_as_listed_for_the_place_named(index: GuidanceIndex) -> None:
    assert verdict(index, "办农民专业合作社登记要户口本吗") == ("pair", "HZ-1", True)
    # the district's listing of the same service has no 户口本: never the city's rule for 东湖区
    assert verdict(index, "在东湖区办农民专业合作社登记要户口本吗") == ("pair", "D-HZ-1", False)


def test_a_city_bureau_is_not_another_districts_unit(index: GuidanceIndex) -> None:
    # (住房和城乡建设局 was read as a place, 住房和城乡: its services were out of area for a named district)
    assert verdict(index, "在东湖区申请保障性租赁住房要收入证明吗") == ("pair", "ZJ-1", True)


def test_the_lexicons_guess_beside_a_phrase_typed_short_does_not_choose(index: GuidanceIndex) -> None:
    # 小学报名 → 义务教育 小学入学报名: 小学报名 is 小学入学报名 said short; 义务教育 is only the guess, and a
    # service with 义务教育 in its name (a transfer) is another service whose rule would be wrong
    assert verdict(index, "小学报名要户口本吗") == ("pair", "JY-2", False)
    result = answer(index, "孩子上小学一年级报名，哪些证明不用交了")  # (上小学 shares 小学 with 小学入学报名)
    assert (result.intent, result.service and result.service.code) == (Intent.SERVICE, "JY-2")


def test_a_proof_whose_name_runs_past_a_certificates_is_not_that_certificate(index: GuidanceIndex) -> None:
    result = answer(index, "危险货物运输驾驶员资格考试还要开安全驾驶证明吗")
    assert (result.certificate, result.exempt) == ("安全驾驶经历证明", True)  # not 机动车驾驶证 (驾驶证+明)


def test_services_the_lexicons_words_fit_alike_are_asked_about(index: GuidanceIndex) -> None:
    # 办营业执照 → 企业设立登记: both registrations have those words; the person said nothing else
    result = answer(index, "办营业执照还要经营场所证明吗")
    assert result.intent == Intent.CLARIFY
    assert {c.code for c in result.candidates} == {"QY-1", "QY-2"}


def test_another_procedure_about_the_same_thing_is_no_sibling(index: GuidanceIndex) -> None:
    # 低保 is the benefit; a withdrawal for 低保 families is another procedure nobody mentioned
    assert verdict(index, "低保还要户口本吗") == ("pair", "MZ-1", True)
    assert verdict(index, "低保家庭提取公积金还要户口本吗") == ("pair", "GJJ-1", True)


def test_with_whom_a_service_is_done_can_name_a_kind_the_catalogue_lacks(index: GuidanceIndex) -> None:
    assert verdict(index, "跟外国人结婚登记还要户口本吗") == ("unknown", None, None)
    assert verdict(index, "我和对象办结婚登记还要户口本吗") == ("pair", "HY-1", True)  # (who, not a kind)


def test_a_licence_applied_for_with_a_qualifier_no_service_has_is_not_another_licence(
    index: GuidanceIndex,
) -> None:
    assert verdict(index, "办老年人优待证要户口本吗") == ("unknown", None, None)
    assert verdict(index, "办退役军人优待证要户口本吗") == ("pair", "YD-1", True)


def test_a_terse_question_ending_in_a_service_asks_about_its_proof(index: GuidanceIndex) -> None:
    # 租房备案 is a service, but after another one in "A B?" it is the proof of it (…备案证明), never the
    # list of the filing service (which would say "not needed" for documents of another service)
    result = answer(index, "保障性租赁住房 租房备案?")
    assert (result.intent, result.certificate) == (Intent.PAIR, "房屋租赁登记备案证明")
    assert (result.service and result.service.code, result.exempt) == ("ZJ-1", True)


def test_a_benefit_named_alone_is_its_application_not_its_annual_check(index: GuidanceIndex) -> None:
    # both list the proof: "exempt" is true either way, but for the service the person did not mean
    assert verdict(index, "长寿补贴 活着证明?") == ("pair", "CS-1", True)
    assert verdict(index, "长寿补贴年度认证 活着证明?") == ("pair", "CS-2", True)


def test_a_licence_right_before_which_proofs_is_what_they_are_for(index: GuidanceIndex) -> None:
    result = answer(index, "押运人员从业资格证哪些证明能免？")
    assert (result.intent, result.service and result.service.code) == (Intent.SERVICE, "JT-2")


def test_an_action_before_the_words_qualifying_a_licence_applies_to_the_licence(index: GuidanceIndex) -> None:
    assert verdict(index, "考押运人员从业资格证，要开无犯罪记录证明吗") == ("pair", "JT-2", True)


def test_which_licences_names_no_service(index: GuidanceIndex) -> None:
    result = answer(index, "健康证哪些许可不用交了")
    assert (result.intent, result.certificate) == (Intent.CERTIFICATE, "从业人员健康证明")


def test_a_has_to_before_a_service_word_is_no_pair_verb(index: GuidanceIndex) -> None:
    # 换药店要变更执业注册: 要 says "has to"; 药店 is context, not a kind of registration no service has
    assert verdict(index, "药师换药店要变更执业注册，原单位离职证明还要吗") == ("pair", "YS-1", True)


def test_what_changes_is_the_object_of_a_change_not_a_kind_of_it(index: GuidanceIndex) -> None:
    assert verdict(index, "合作社搬了新场地做变更，经营场所证明还要吗") == ("pair", "HZ-2", True)


def test_a_licence_said_in_full_is_the_licence(index: GuidanceIndex) -> None:
    # 二建证 + 书 到期: the licence that expires is what is renewed, not a proof asked about
    result = answer(index, "二建证书到期延续注册，继续教育证明还用交吗")
    assert (result.service and result.service.code, result.exempt) == ("ZJ-3", True)


def test_a_licence_broken_in_everyday_words_is_renewed_for_damage(index: GuidanceIndex) -> None:
    assert verdict(index, "驾照弄坏了要换个新的，还要身体条件证明吗") == ("pair", "JZ-2", False)


def test_a_terse_proof_word_is_the_one_listed_proof_that_contains_it(index: GuidanceIndex) -> None:
    result = answer(index, "合作社注销 决议?")
    assert (result.service and result.service.code, result.certificate, result.exempt) == (
        "HZ-3",
        "成员大会决议",
        True,
    )


def test_what_a_change_registration_changes_names_it(index: GuidanceIndex) -> None:
    # 抵押权 + 变更登记: neither listed service is a change of a mortgage (never another 变更登记's rule)
    assert verdict(index, "不动产抵押权变更登记要房产证吗") == ("unknown", None, None)


def test_replacing_a_licence_is_not_the_service_that_first_issues_it(index: GuidanceIndex) -> None:
    # the list has the marriage registration (which issues 结婚证) but no replacement of 结婚证
    assert verdict(index, "结婚证补办要户口本吗") == ("unknown", None, None)
    assert verdict(index, "办结婚登记要户口本吗") == ("pair", "HY-1", True)


def test_a_subsidy_is_no_replacement() -> None:
    from nocert_core.guidance.siblings.kinds import classes_of

    assert "replace" not in classes_of("长寿补贴年度认证")  # (补 … 证 within five characters)
    assert "replace" in classes_of("补个身份证")


def test_what_is_done_alone_never_picks_another_licences_service(index: GuidanceIndex) -> None:
    # the list has the passport's first issue only; 残疾人证换领 renews too and lists 户口本 — another licence
    assert verdict(index, "护照过期换发要户口本吗") == ("unknown", None, None)


def test_a_service_about_another_licence_is_not_the_one_applied_for(index: GuidanceIndex) -> None:
    assert verdict(index, "行驶证补办要身份证吗") == ("unknown", None, None)  # (驾驶证 is not 行驶证)
    assert verdict(index, "补办驾照要身份证吗") == ("pair", "JZ-3", True)


def test_a_service_named_for_someone_else_of_the_same_group_is_not_answered() -> None:
    rows = [
        ("YB-1", "城乡居民基本医疗保险参保登记", MZ, "C-MZ", "居民身份证"),
        ("HZ-1", "农民专业合作社设立登记", SPJ, "C-SPJ", "经营场所使用证明"),
        ("GS-1", "有限责任公司设立登记", SPJ, "C-SPJ", "经营场所使用证明"),
    ]
    index = GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)
    assert verdict(index, "城镇职工医保参保要身份证吗") == ("unknown", None, None)  # (residents')
    assert verdict(index, "城乡居民医保参保要身份证吗") == ("pair", "YB-1", True)
    assert verdict(index, "民办学校设立登记要经营场所证明吗") == ("unknown", None, None)
    assert verdict(index, "合作社设立登记要经营场所证明吗") == ("pair", "HZ-1", True)


def test_the_kind_of_a_benefit_before_apply_names_it() -> None:
    rows = [
        ("JZ-9", "临时救助申请", MZ, "C-MZ", "最低生活保障证"),
        ("YB-9", "城乡居民基本医疗保险参保登记", MZ, "C-MZ", "居民身份证"),  # (医疗 is a known word)
    ]
    index = GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)
    assert verdict(index, "医疗救助申请要低保证吗") == ("unknown", None, None)  # (医疗 + 救助, not 临时)
    assert verdict(index, "临时救助申请要低保证吗") == ("pair", "JZ-9", True)


def test_a_word_no_service_knows_right_before_the_word_asked_about_qualifies_it() -> None:
    rows = [("FZ-1", "计生家庭特别扶助金发放", MZ, "C-MZ", "独生子女父母光荣证")]
    index = GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)
    assert verdict(index, "计生家庭奖励扶助要独生子女证吗") == ("unknown", None, None)  # (奖励 ≠ 特别)
    assert verdict(index, "计生家庭特别扶助要独生子女证吗") == ("pair", "FZ-1", True)


def test_the_last_word_of_a_terse_question_is_the_proof_asked(index: GuidanceIndex) -> None:
    result = answer(index, "低保 档案?")  # (a proof no list knows: not 低保's list of proofs not needed)
    assert (result.intent, result.certificate, result.matches) == (Intent.UNKNOWN, "档案", [])


def test_a_card_for_the_elderly_is_not_the_veterans_card() -> None:
    rows = [
        ("YD-9", "退役军人优待证申领", MZ, "C-MZ", "居民户口簿"),
        ("GL-9", "老年人高龄津贴申领", MZ, "C-MZ", "居民户口簿"),  # (老年人 is a known word)
    ]
    index = GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)
    assert verdict(index, "我妈七十多了办老年证要户口本吗") == ("unknown", None, None)
    assert verdict(index, "办退役军人优待证要户口本吗") == ("pair", "YD-9", True)
