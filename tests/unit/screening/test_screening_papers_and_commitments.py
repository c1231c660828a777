"""Screening, session 8 (issue 8 §7): a paper demanded by any name is a proof, the list's commitment cited is
the reason a proof was not needed (refused, it is the list not applied), more ways of saying the list is not
applied, and what is vague rather than out of scope — worded unlike any evaluation set."""

from __future__ import annotations

import pytest

from nocert_core.services.screening.advice import screen_text
from tests.unit.screening.demo_register import screen
from tests.unit.screening.test_agency_routing_kinds import UNITS as ROUTING_UNITS

# The list's commitment: cited, or refused.


def test_the_commitment_the_list_allows_cited_as_the_reason_keeps_the_proof_demanded() -> None:
    result = screen("领丧葬费要我开亲属关系证明", "清单上这项写的是告知承诺就可以", "2025年9月2日")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result
    assert "亲属关系证明" in result.cues["demanded_proof"]


@pytest.mark.parametrize(
    "reasons",
    ["清单上是告知承诺，我当场愿意签，窗口说承诺书不算", "清单列了告知承诺，请按告知承诺办理"],
)
def test_a_commitment_offered_and_refused_or_asked_for_with_the_list_named_is_the_list_not_applied(
    reasons: str,
) -> None:
    result = screen("领丧葬费要我开亲属关系证明", reasons, "2025年9月2日在奎文区民政局")
    assert result.category == "list_not_followed", result


# The list not applied, in more words.


@pytest.mark.parametrize(
    ("demand", "cue"),
    [
        ("窗口还是照以前的规矩收户口本复印件", "以前的规矩"),
        ("说清单还没下发到他们科室，户口本复印件照收", "清单还没下发"),
        ("清单出来大半年了这里也没人执行，户口本复印件照收", "没人执行"),
        ("说他们科室不适用这份清单，户口本复印件照收", "不适用"),
        ("工作人员说清单是清单，户口本复印件照收", "清单是清单"),
    ],
)
def test_more_ways_of_saying_the_list_is_not_applied_make_it_the_matter(demand: str, cue: str) -> None:
    result = screen(demand, "无证明清单上户口本免提交", "2025年10月9日在奎文区民政局")
    assert result.category == "list_not_followed", result
    assert any(cue in word for word in result.cues["list_not_followed"]), result.cues


def test_applying_by_the_list_is_not_a_request_to_apply_it() -> None:
    # 申请 holds 请: "申请按清单…" cites the list, it does not ask for it to be applied
    result = screen("要求提供户口本原件", "临时救助申请按清单户口本可以共享调取", "2025年3月3日")
    assert result.category == "demanded_proof", result


def test_not_yet_applying_the_list_is_not_a_check_that_is_late() -> None:
    result = screen(
        "低保复审的时候要我交收入证明", "窗口说区里还没有落实市里的免证明清单", "2025年11月4日在奎文区民政局"
    )
    assert result.category == "list_not_followed", result


def test_a_guide_cited_as_lacking_the_paper_too_is_not_an_old_guide_still_used() -> None:
    result = screen("开诊所要交污水检测报告", "清单和服务指南里都没有这一项", "2025年6月2日", agency="审批局")
    assert result.category == "demanded_proof", result


# A paper demanded by any name is a proof (not out of scope, not vague: the harmful kind).


@pytest.mark.parametrize(
    ("demand", "paper"),
    [
        ("办装修备案要求提交施工图纸", "施工图纸"),
        ("让我交消防验收意见", "消防验收意见"),
        ("让我提供养老院的入住协议", "入住协议"),
        ("开网店要求提供场地平面图", "场地平面图"),
        ("低保复审要求提供车辆登记信息截图", "车辆登记信息截图"),
        ("让我找单位开一份在职的介绍", "在职的介绍"),
        ("领失业金还要我的退工单", "退工单"),
        ("要我去村里开一张证明我没有再婚", "证明我没有再婚"),
        ("验车时非要纸质的交强险保单", "交强险保单"),
        ("过户要我回税务局打契税票", "契税票"),
        ("窗口要俺们村开个啥子家庭情况的条子", "家庭情况的条子"),
        ("过户非要我俩去档案馆打婚姻登记记录", "婚姻登记记录"),
        ("退休审批要我把档案里缺的招工表补上", "招工表"),
        ("年审要我回老家开一个无违章的东西", "无违章的东西"),
        ("窗口叫我回户籍地开个无犯罪纪录的单子", "无犯罪纪录的单子"),
        ("非要原单位出一份解除劳动关系的书面东西", "书面东西"),
    ],
)
def test_a_paper_demanded_is_a_proof_whatever_it_is_called(demand: str, paper: str) -> None:
    result = screen(demand, facts="2025年5月20日在窗口")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result
    assert any(paper in word for word in result.cues["document"]), result.cues


def test_a_slip_someone_was_sent_to_get_is_a_proof_demanded() -> None:
    result = screen("给我爹办丧葬补助，窗口非叫俺去火葬场开个单子", "这个不是能查吗", "上礼拜三")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


@pytest.mark.parametrize(
    "demand",
    [
        "让我交工本费50元",
        "要求提供银行卡号",
        "要求交一张照片",
        "拍证件照收了30元",
        "要我打电话给房东",
        "收了工本费也不开发票",  # an invoice not given is the fee's matter
        "让我填一张满意度调查表",  # a survey of the service, no proof of the person's
    ],
)
def test_a_fee_a_number_or_a_photo_is_not_a_paper_demanded(demand: str) -> None:
    result = screen(demand, "太贵了，态度还差", "2025年6月5日")
    assert result.grounds == ["out_of_scope"], result


def test_english_papers_demanded_are_proofs() -> None:
    declaration = screen("She was told to bring a notarised declaration that she is unmarried", "", "12 Oct")
    permit = screen("they asked for my residence permit for a job subsidy", "the list says no need", "3 Aug")
    sheet = screen("Told me to get a physical exam sheet from their hospital", "", "10 April 2025")
    paper = screen("They would not process my subsidy until I got a paper from the village", "", "3 March")
    assert (sheet.admissible, sheet.category) == (True, "demanded_proof"), sheet
    assert (paper.admissible, paper.category) == (True, "demanded_proof"), paper
    assert (declaration.admissible, declaration.category) == (True, "demanded_proof"), declaration
    assert (permit.admissible, permit.category) == (True, "demanded_proof"), permit


# Vague or out of scope.


@pytest.mark.parametrize(
    ("demand", "reasons", "facts"),
    [
        ("让我开个东西", "不合理", "前段时间"),
        ("不记得了", "感觉一直被刁难", "去年的事"),  # a "when" alone names no matter
        ("你们那儿的人不行", "换人", ""),  # a grumble with nothing in it
        ("叫俺回去开东西", "不方便", "大概是去年"),  # something to issue, no measure word, a when alone
    ],
)
def test_nothing_concrete_is_vague_not_out_of_scope(demand: str, reasons: str, facts: str) -> None:
    result = screen(demand, reasons, facts, agency="那个部门")
    assert result.grounds == ["vague"], result


def test_a_licence_asked_about_and_a_rude_clerk_with_nothing_demanded_is_out_of_scope() -> None:
    result = screen("不涉及证明材料", "工作人员呵斥我", "2025年5月6日咨询食品经营许可证办理", agency="审批局")
    assert (result.grounds, result.category) == (["out_of_scope"], "other"), result


def test_a_check_told_as_checking_once_with_no_word_since_is_late() -> None:
    result = screen(
        "说要跟不动产中心核一下我名下的房子", "到现在都没信儿", "4月初交的材料", agency="潍坊市公积金中心"
    )
    assert (result.admissible, result.category) == (True, "verification_late"), result


def test_an_english_housing_fund_branch_is_routed_to_the_funds_branch_in_that_place() -> None:
    result = screen(
        "they wanted my marriage certificate for a rent withdrawal",
        "it is shared data",
        "2 June 2025",
        agency="the housing fund branch in Shouguang",
    )
    assert result.unit is not None and result.unit.code == "WF-GJJ-SG", result


@pytest.mark.parametrize(
    "agency", ["Qinglan Medical Security Service Centre", "Qinglan medical insurance centre"]
)
def test_an_english_medical_security_centre_is_the_centre_not_the_bureau(agency: str) -> None:
    result = screen_text(ROUTING_UNITS, agency, "they wanted the birth certificate", "", "2 June 2025")
    assert result.unit is not None and result.unit.code == "QL-YB-FW", result


@pytest.mark.parametrize(
    ("demand", "service"), [("低保要求村里写个情况", "低保"), ("转学要原学校出个证", "转学")]
)
def test_a_statement_or_a_certificate_to_be_issued_by_someone_is_a_proof_demanded(
    demand: str, service: str
) -> None:
    result = screen(demand, facts="2025年4月")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result
    assert service in result.cues["service"]


@pytest.mark.parametrize(
    ("demand", "reasons", "facts"),
    [
        ("婚姻状况要跨省协查，说要等", "等到现在", "去年12月"),
        (
            "They said they would contact my hometown to confirm my marital status",
            "It's been a month.",
            "2 Feb",
        ),
    ],
)
def test_a_check_waited_on_until_now_is_late(demand: str, reasons: str, facts: str) -> None:
    result = screen(demand, reasons, facts)
    assert (result.admissible, result.category) == (True, "verification_late"), result


@pytest.mark.parametrize(
    ("demand", "reasons"),
    [
        (
            "劳动仲裁结束后申领失业金，还要我交仲裁裁决书的复印件盖章",
            "",
        ),  # an arbitration over: its award a paper
        ("Asked me for the court's mediation paper to register the transfer", "the court already sent it"),
        ("上次投诉的那个证明问题，这次是另一个事：低保又要收入证明", ""),  # another matter, no repeat
    ],
)
def test_a_finished_case_a_court_as_a_papers_issuer_or_another_matter_is_no_ground(
    demand: str, reasons: str
) -> None:
    result = screen(demand, reasons, "2025年6月")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_a_lawsuit_started_still_is_litigation_with_a_court_paper_demanded() -> None:
    result = screen("要求提供法院判决书", "我已经向法院起诉了", "2025年4月")
    assert result.grounds == ["litigation"], result


# Papers named by what they prove, by a title, by a certificate's common name, in Hong Kong wording
# (earlier sessions' tests, moved here from test_screening_list_or_proof.py).


def test_a_proof_named_by_what_it_proves_is_a_document_but_a_bare_proof_is_not() -> None:
    named = screen("", "窗口让我再去开一张印鉴证明", "2025年3月3日", agency="有个窗口")
    bare = screen("", "窗口让我再去开一堆证明", "2025年3月3日", agency="有个窗口")
    assert (named.admissible, named.cues["document"]) == (True, ["印鉴证明"]), named
    assert bare.grounds == ["vague"], bare


@pytest.mark.parametrize(
    ("reasons", "named"),
    [
        ("申请公租房要单位填一张《职工住房情况审核表》", "审核表"),
        ("非要我先写一份保证书才肯受理", "保证书"),
        ("落户时让我手写申请书再按手印", "申请书"),
        ("评职称要原单位开介绍信", "介绍信"),
    ],
)
def test_a_form_letter_or_paper_in_title_marks_demanded_is_a_document(reasons: str, named: str) -> None:
    result = screen("", reasons, "2025年3月3日", agency="有个窗口")
    assert result.admissible and any(named in word for word in result.cues["document"]), result


@pytest.mark.parametrize("named", ["房本", "结婚本", "土地证", "船员证", "教师资格证", "老年证"])
def test_any_certificate_someone_was_told_to_bring_is_a_document(named: str) -> None:
    result = screen("", f"窗口非要我带{named}原本才给办", "2025年3月3日", agency="有个窗口")
    assert result.admissible and any(named in word for word in result.cues["document"]), result


@pytest.mark.parametrize(
    ("reasons", "vague"),
    [
        ("申請綜援時要我交銀行月結單同僱主信", False),
        ("攞返舊嘅行車證正本先俾辦", False),
        ("成日要人交呢樣交嗰樣", True),
    ],
)
def test_hong_kong_wordings_of_papers_and_demands_are_read(reasons: str, vague: bool) -> None:
    result = screen(
        "", reasons, "" if vague else "2025年3月3日", agency="有个窗口" if vague else "奎文区民政局"
    )
    assert result.grounds == (["vague"] if vague else []), result


def test_a_papers_name_is_shown_without_the_words_before_it() -> None:
    result = screen("", "窗口还要存折复印件和医院出具的体检报告", "2025年3月3日")
    assert {"存折复印件", "体检报告"} <= set(result.cues["demanded_proof"]), result.cues
