"""Terse questions and long stories over an unseen catalogue (issue 8, session 8: mechanisms behind the
rambling, terse and simplified misses of the luoyang, yichang and mianyang sets, each a general rule).

A made-up city (澄川市) worded unlike any evaluation set.
"""

from __future__ import annotations

import pytest

from nocert_core.guidance import GuidanceIndex
from nocert_core.guidance.geo.places import RegisterUnit
from tests.unit.guidance.made_up import register_index, verdict, verdict_naming_proof

UNITS = [
    RegisterUnit("C", "澄川市人民政府"),
    RegisterUnit("C-MZ", "澄川市民政局", "C"),
    RegisterUnit("C-GA", "澄川市公安局", "C"),
    RegisterUnit("C-CG", "澄川市公安局车辆管理所", "C-GA"),
    RegisterUnit("C-SJ", "澄川市市场监督管理局", "C"),
    RegisterUnit("C-JY", "澄川市教育局", "C"),
    RegisterUnit("C-GJ", "澄川市住房公积金中心", "C"),
    RegisterUnit("C-BD", "澄川市不动产登记中心", "C"),
    RegisterUnit("C-JT", "澄川市交通运输局", "C"),
    RegisterUnit("C-RS", "澄川市社会保险事业中心", "C"),
]


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    rows = [
        ("MZ-1", "最低生活保障申请", "C-MZ", "不动产权证书"),
        ("MZ-1", "最低生活保障申请", "C-MZ", "居民户口簿"),
        ("MZ-2", "最低生活保障家庭成员增减变更", "C-MZ", "居民户口簿"),
        ("SJ-1", "食品经营许可（新办）", "C-SJ", "健康证明"),
        ("SJ-2", "食品经营许可（延续）", "C-SJ", "营业执照"),
        ("SJ-3", "食品经营许可（注销）", "C-SJ", "营业执照"),
        ("SJ-4", "个体工商户设立登记", "C-SJ", "房屋租赁合同"),
        ("SJ-5", "个体工商户变更登记", "C-SJ", "房屋租赁合同"),
        ("GA-1", "普通护照遗失补发", "C-GA", "遗失声明"),
        ("GA-2", "居民身份证丢失补领", "C-GA", "报失证明"),
        ("GA-3", "居住证签注", "C-GA", "社会保险参保缴费证明"),
        ("CG-1", "机动车检验合格标志核发", "C-CG", "车船税完税证明"),
        ("JY-1", "随迁子女入学申请", "C-JY", "社会保险缴费证明"),
        ("MZ-3", "内地居民结婚登记", "C-MZ", "婚姻状况证明"),
        ("MZ-4", "内地居民离婚登记", "C-MZ", "结婚证"),
        ("GJ-1", "住房公积金个人住房贷款", "C-GJ", "婚姻状况证明"),
        ("BD-1", "不动产转移登记（离婚析产）", "C-BD", "离婚协议书"),
        ("BD-2", "不动产转移登记（买卖）", "C-BD", "结婚证"),
        ("JY-2", "义务教育小学一年级新生入学报名", "C-JY", "出生医学证明"),
        ("GJ-2", "职工死亡提取住房公积金", "C-GJ", "亲属关系证明"),
        ("MZ-5", "高龄津贴申领", "C-MZ", "生存证明"),
        ("JT-1", "网络预约出租汽车驾驶员证申请", "C-JT", "居住证"),
        ("GA-4", "居住证申领", "C-GA", "房屋租赁合同"),
        ("JT-2", "网络预约出租汽车运输证核发", "C-JT", "机动车登记证书"),
        ("MZ-6", "高龄津贴年度资格确认", "C-MZ", "居民身份证"),
        ("MZ-7", "基本殡葬服务费用减免", "C-MZ", "火化证明"),
        ("RS-1", "企业职工丧葬补助金和抚恤金申领", "C-RS", "火化证明"),
        ("RS-2", "失业人员丧葬补助金和抚恤金申领", "C-RS", "火化证明"),
        ("MZ-8", "特困人员救助供养申请", "C-MZ", "土地承包经营权证"),
        ("GJ-2", "职工死亡提取住房公积金", "C-GJ", "火化证明"),
        ("GJ-3", "与单位解除劳动关系提取住房公积金", "C-GJ", "火化证明"),
        ("GJ-4", "租赁住房提取住房公积金", "C-GJ", "亲属关系证明"),
    ]
    return register_index(rows, UNITS)


def test_a_benefit_named_alone_is_its_application_not_a_change_made_to_it(index: GuidanceIndex) -> None:
    assert verdict(index, "低保要房本吗") == ("pair", "MZ-1", True)


def test_a_licence_named_alone_may_still_be_any_of_its_registrations(index: GuidanceIndex) -> None:
    assert verdict(index, "个体户营业执照的事，租房合同还要交吗")[0] == "clarify"


def test_opening_a_shop_is_the_first_issue_of_its_licence(index: GuidanceIndex) -> None:
    assert verdict(index, "准备开个小饭馆，办食品经营许可，员工健康证要交吗") == ("pair", "SJ-1", True)
    # (applying alone does not say which one: the first issue, its renewal or its cancellation)
    assert verdict(index, "办食品经营许可证还要健康证吗")[0] == "clarify"


@pytest.mark.parametrize(
    ("question", "code", "proof"),
    [
        ("护照补办要声明吗", "GA-1", "遗失声明"),  # (the one listed proof holding the word)
        ("身份证补办要报失吗", "GA-2", "报失证明"),
        ("年检要车船税票吗", "CG-1", "车船税完税证明"),  # (a tax's slip: that tax's payment proof)
        ("随迁入学要社保吗", "JY-1", "社会保险缴费证明"),  # (a service word after the pair verb: its proof)
        ("居住证签注要社保?", "GA-3", "社会保险参保缴费证明"),
    ],
)
def test_a_terse_questions_word_after_the_pair_verb_is_the_listed_proof_holding_it(
    index: GuidanceIndex, question: str, code: str, proof: str
) -> None:
    assert verdict_naming_proof(index, question) == ("pair", code, proof, True)


def test_a_service_told_as_long_past_is_the_storys_background_not_what_is_applied_for(
    index: GuidanceIndex,
) -> None:
    story = "我跟老公结婚十年了，准备买套房，贷款想用公积金，中介说要先去民政局开个婚姻状况证明，还要开吗？"
    assert verdict(index, story) == ("pair", "GJ-1", True)  # (not 结婚登记's "not needed")
    # (a house "moved to my name" is a transfer; the divorce told as past says which one)
    story = "我跟前夫离婚两年了，现在要把房子过到我一个人名下，离婚协议书原件找不到了，还必须交吗？"
    assert verdict(index, story) == ("pair", "BD-1", True)
    assert verdict(index, "我们还没结婚，婚姻状况证明要开吗，想用公积金贷款")[1] == "GJ-1"
    # (a benefit received that long is still the one asked about)
    assert verdict(index, "我领低保两年了，今年户口本还要交吗") == ("pair", "MZ-1", True)


@pytest.mark.parametrize(
    ("question", "code", "exempt"),
    [
        ("娃儿读小学一年级报名，要不要带出生证？", "JY-2", True),  # (娃儿: whose enrolment, not a kind)
        ("伢儿报名上学，要不要带出生证？", "JY-2", True),  # (伢儿, as 娃儿 in Hunan and Hubei)
        ("我们两口子要去办离婚，结婚证是不是还得带上？", "MZ-4", True),
    ],
)
def test_how_people_name_their_family_is_who_not_a_kind_of_service(
    index: GuidanceIndex, question: str, code: str, exempt: bool
) -> None:
    assert verdict(index, question) == ("pair", code, exempt)


@pytest.mark.parametrize(
    "story",
    [
        "俺爹去年冬天走了，在油田干了一辈子，公积金里还剩点钱，想提出来，亲属关系证明还要我们自己去开吗？",
        "我老公去年在工地上出了事走了，他单位一直给他交公积金，我想取出来，是不是还要那张火化证明？",
    ],
)
def test_a_relative_who_went_died_however_the_person_names_them(index: GuidanceIndex, story: str) -> None:
    assert verdict(index, story) == ("pair", "GJ-2", True)


def test_a_proof_described_after_its_word_is_that_proof(index: GuidanceIndex) -> None:
    story = "我妈九十一了，每个月有个高龄津贴，以前每年都要让社区开个证明证明她还活着，今年还要不要搞这个？"
    assert verdict_naming_proof(index, story) == ("pair", "MZ-5", "生存证明", True)


def test_a_storys_last_sentence_naming_only_the_proof_is_not_a_question_on_its_own(
    index: GuidanceIndex,
) -> None:
    story = (
        "我户口在外地，在这边定居好几年了，想跑网约车，平台让先办网约车驾驶员证。我在这边办过居住证，"
        "但卡不知道放哪了，申请的时候还得交居住证吗？"
    )
    assert verdict(index, story) == ("pair", "JT-1", True)  # (not 居住证申领's rule)
    story = (
        "我是做外卖的，车是我自己的，挂在我名下，平台说要办网约车运输证。我就想确认一下，"
        "机动车登记证书那个绿本还用带过去吗？在银行押着呢。"
    )
    assert verdict(index, story) == ("pair", "JT-2", True)  # (确认 is every check's word: not 资格确认)


@pytest.mark.parametrize(
    ("question", "code"),
    [
        ("我老婆说现在很多证明都不用交了，你帮我查查办个体户营业执照哪些东西现在可以不用交了？", "SJ-4"),
        ("听说要开一大堆证明，办食品经营许可（新办）哪些材料不用交", "SJ-1"),
    ],
)
def test_how_many_proofs_is_no_proof_named(index: GuidanceIndex, question: str, code: str) -> None:
    assert verdict(index, question) == ("service", code, None)


@pytest.mark.parametrize(
    ("question", "code", "proof"),
    [
        ("给老人申请丧葬费减免，火化证明还要拿过去吗？", "MZ-7", "火化证明"),  # (the fee waived, not a grant)
        ("申请特困供养，家里承包地的证还要交吗", "MZ-8", "土地承包经营权证"),
    ],
)
def test_a_funeral_fee_waiver_and_the_contracted_land_s_paper_are_read_as_their_catalogue_names(
    index: GuidanceIndex, question: str, code: str, proof: str
) -> None:
    assert verdict_naming_proof(index, question) == ("pair", code, proof, True)


def test_a_relative_who_went_somewhere_did_not_die() -> None:
    from nocert_core.guidance.answering.ask_words import PASSED_AWAY

    assert PASSED_AWAY.search("我老公去年在工地上出了事走了")
    assert not PASSED_AWAY.search("孩子去外地上学走了")
    assert not PASSED_AWAY.search("我老公出差走了")
