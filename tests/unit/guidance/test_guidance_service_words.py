"""Which words name the service and which proof is asked, over an unseen catalogue (issue 8, session 7:
mechanisms behind the misses of the dongying, xuzhou and baoding sets, each fixed by a general rule).

A made-up city (岚溪市) worded unlike any evaluation set.
"""

from __future__ import annotations

import pytest

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.guidance import GuidanceIndex, IndexedEntry, answer, builtin_lexicon
from nocert_core.guidance.answering.typed import typed_no_tie
from nocert_core.guidance.geo.places import RegisterUnit

A = ExemptionMode.ASSOCIATION
SP, YB, GA = "岚溪市市场监督管理局", "岚溪市医疗保障局", "岚溪市公安局"
CRJ, GJJ, RS = "岚溪市公安局出入境管理支队", "岚溪市住房公积金中心", "岚溪市人力资源和社会保障局"
WJ = "岚溪市卫生健康委员会"
JT, JY = "岚溪市交通运输局", "岚溪市教育局"
UNITS = [
    RegisterUnit("L", "岚溪市人民政府"),
    RegisterUnit("L-SP", SP, "L"),
    RegisterUnit("L-YB", YB, "L"),
    RegisterUnit("L-GA", GA, "L"),
    RegisterUnit("L-CRJ", CRJ, "L-GA"),
    RegisterUnit("L-GJJ", GJJ, "L"),
    RegisterUnit("L-RS", RS, "L"),
    RegisterUnit("L-WJ", WJ, "L"),
    RegisterUnit("L-JT", JT, "L"),
    RegisterUnit("L-JY", JY, "L"),
]


def entry(code: str, service: str, unit: str, certificate: str) -> IndexedEntry:
    return IndexedEntry(code, service, unit, "L-" + code.split("-")[0], certificate, A, "依据")


@pytest.fixture(scope="module")
def index() -> GuidanceIndex:
    rows = [
        ("SP-1", "食品经营许可（首次申请）", SP, "营业执照"),
        ("SP-1", "食品经营许可（首次申请）", SP, "不动产权证书"),
        ("SP-2", "食品经营许可（变更）", SP, "营业执照"),
        ("SP-2", "食品经营许可（变更）", SP, "不动产权证书"),
        ("SP-3", "食品经营许可（延续）", SP, "营业执照"),
        ("SP-1", "食品经营许可（首次申请）", SP, "健康证明"),
        ("JT-1", "道路运输从业人员从业资格认定", JT, "健康证明"),
        ("JY-1", "义务教育小学一年级入学登记", JY, "学籍证明"),
        ("JY-2", "义务教育初中一年级入学登记", JY, "学籍证明"),
        ("JY-3", "民办学校办学许可", JY, "学籍证明"),
        ("JY-4", "随迁子女义务教育入学申请", JY, "房屋租赁合同"),
        ("YB-1", "异地就医登记（长期异地居住）", YB, "居住证"),
        ("YB-1", "异地就医登记（长期异地居住）", YB, "房屋租赁合同"),
        ("YB-2", "异地就医登记（外地工作）", YB, "劳动合同"),
        ("CRJ-1", "普通护照首次办理", CRJ, "居民户口簿"),
        ("CRJ-2", "普通护照到期换发", CRJ, "居民户口簿"),
        ("CRJ-3", "普通护照遗失补发", CRJ, "居民户口簿"),
        ("CRJ-3", "普通护照遗失补发", CRJ, "报失证明"),
        ("GA-1", "居民身份证遗失补领", GA, "报失证明"),
        ("GA-1", "居民身份证遗失补领", GA, "居民户口簿"),
        ("RS-1", "社会保障卡遗失补办", RS, "报失证明"),
        ("GJJ-1", "租房提取住房公积金", GJJ, "住房情况证明"),
        ("GJJ-2", "购房提取住房公积金", GJJ, "不动产权证书"),
        ("WJ-1", "出生医学证明补发", WJ, "居民户口簿"),
        ("WJ-2", "出生医学证明首次签发", WJ, "结婚证"),
        ("WJ-3", "护士执业注册", WJ, "体检合格证明"),
        ("WJ-4", "护士变更执业注册", WJ, "劳动合同"),
        ("YB-3", "职工医保关系转出", YB, "社会保险参保缴费证明"),
        ("RS-2", "社会保障卡首次申领", RS, "数码照片回执"),
    ]
    return GuidanceIndex([entry(*row) for row in rows], builtin_lexicon(), UNITS)


def test_what_a_change_is_made_to_is_not_a_kind_of_the_service(index: GuidanceIndex) -> None:
    # (场地 right before the pair verb is what changes — not a service the catalogue lacks)
    result = answer(index, "食品经营许可变更经营场地，要交房产证吗")
    assert (result.intent, result.service and result.service.code) == ("pair", "SP-2")
    assert result.exempt is True


def test_going_to_apply_is_not_the_pair_verb(index: GuidanceIndex) -> None:
    # (外省 before 要办 is where the person lives, not a kind of the registration)
    result = answer(index, "长期住在外省要办异地就医登记，居住证还用提供吗")
    assert (result.intent, result.service and result.service.code) == ("pair", "YB-1")


def test_apply_before_a_service_name_is_the_verb_not_its_end(index: GuidanceIndex) -> None:
    # (申请 + 食品经营许可: the words before 申请 — 一家面馆 — are the story, not the service's kind)
    result = answer(index, "新开一家面馆申请食品经营许可，营业执照还要复印件吗")
    assert (result.intent, result.service and result.service.code) == ("pair", "SP-1")


def test_a_lexicon_name_around_the_typed_word_does_not_make_the_service_less_sure(
    index: GuidanceIndex,
) -> None:
    # (办护照 → the lexicon's 内地居民普通护照签发; this city says 普通护照首次办理)
    assert answer(index, "第一次办护照要户口本吗").service.code == "CRJ-1"  # type: ignore[union-attr]
    result = answer(index, "办护照还用拿户口本不")
    assert result.intent == "clarify"
    assert {c.code for c in result.candidates} >= {"CRJ-1", "CRJ-2", "CRJ-3"}


def test_the_action_done_to_the_licence_before_is_not_done_to_the_proof_after_it(
    index: GuidanceIndex,
) -> None:
    for question in ("护照补发报失证明?", "身份证补领报失证明?", "社保卡补办报失证?"):
        result = answer(index, question)
        assert (result.intent, result.certificate, result.exempt) == ("pair", "报失证明", True), question


def test_a_licence_right_after_reissue_is_what_is_applied_for(index: GuidanceIndex) -> None:
    result = answer(index, "孩子出生证明弄丢了，医院说能补发，补发出生证明还要户口本吗")
    assert (result.service and result.service.code, result.certificate) == ("WJ-1", "居民户口簿")


def test_the_loss_report_and_the_no_home_proof_go_by_their_common_names(index: GuidanceIndex) -> None:
    result = answer(index, "身份证丢了补办，挂失证明还用去开吗")
    assert (result.service and result.service.code, result.certificate) == ("GA-1", "报失证明")
    result = answer(index, "租房提取公积金，要附无自有住房证明吗")
    assert (result.intent, result.certificate, result.exempt) == ("pair", "住房情况证明", True)


def test_a_service_whose_whole_name_is_typed_is_not_asked_about(index: GuidanceIndex) -> None:
    first, change = index.service_by_code["WJ-3"], index.service_by_code["WJ-4"]
    ranked = [(first, 10.0), (change, 8.0)]
    assert typed_no_tie(index, "护士执业注册免提交哪些材料", ranked, [first, change]) == []
    # (no whole name typed, or both: the siblings are asked about)
    assert typed_no_tie(index, "护士注册免提交哪些材料", ranked, [first, change]) == [first, change]
    both = "护士执业注册还是护士变更执业注册"
    assert typed_no_tie(index, both, ranked, [first, change]) == [first, change]


def test_a_payment_slip_and_a_photo_receipt_go_by_their_common_names(index: GuidanceIndex) -> None:
    result = answer(index, "医保转出要缴费单吗")
    assert (result.intent, result.certificate, result.exempt) == ("pair", "社会保险参保缴费证明", True)
    result = answer(index, "第一次办社保卡要交像片回执吗")
    assert (result.intent, result.certificate, result.exempt) == ("pair", "数码照片回执", True)


def test_a_province_and_city_told_as_home_are_the_story_s_background(index: GuidanceIndex) -> None:
    story = (
        "我是湖南邵阳人，在岚溪打工快八年了，一直租房子住。现在想把公积金取出来付房租，还要住房情况证明吗？"
    )
    result = answer(index, story)
    assert (result.intent, result.service and result.service.code) == ("pair", "GJJ-1")
    story = "我和老婆都是甘肃天水的，在岚溪做小生意好几年了。现在租房提取公积金，住房情况证明还要开吗？"
    assert answer(index, story).intent == "pair"


def test_a_town_of_an_outside_county_where_the_household_is_registered_is_out_of_area(
    index: GuidanceIndex,
) -> None:
    assert answer(index, "俺户口在衡山县白果镇，换身份证要带户口本不").intent == "out_of_area"


def test_a_proof_got_earlier_in_the_story_and_asked_about_is_not_what_the_service_issues(
    index: GuidanceIndex,
) -> None:
    # (办健康证 there is getting the proof: never the rule of a service whose name has 健康证明's words)
    result = answer(index, "听人说员工都得先办健康证交上去，新办的话健康证还要交吗？")
    assert result.intent == "unknown"
    story = "打算新开个小面馆，要办食品经营许可。听人说员工都得先办健康证交上去，新办的话健康证还要交吗？"
    result = answer(index, story)
    assert (result.intent, result.service and result.service.code) == ("pair", "SP-1")


def test_the_school_that_told_or_issues_a_proof_names_no_service(index: GuidanceIndex) -> None:
    story = "孩子九月要报名上初中了。学校群里说要准备户口本、学籍证明，那学籍证明还得回原来小学去开吗？"
    result = answer(index, story)
    assert (result.intent, result.service and result.service.code) == ("pair", "JY-2")


def test_going_to_school_is_the_enrolment(index: GuidanceIndex) -> None:
    result = answer(index, "随迁子女上学还要租房合同吗")
    assert (result.intent, result.service and result.service.code, result.exempt) == ("pair", "JY-4", True)
