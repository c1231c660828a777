"""Screening categories of complaints written by others (issue 8, session 4): the same certificate families
as guidance, a notarial deed demanded, 核对 as a check, English registrations and dates, a list cited."""

from __future__ import annotations

import pytest

from tests.unit.screening.demo_register import screen


def test_a_proof_named_by_any_name_of_its_family_is_a_document_demanded() -> None:
    result = screen("领养老金资格认证让我去社区开健在证明", facts="2024年4月我去问养老金的事")
    assert result.admissible and result.category == "demanded_proof", result


def test_a_notarial_deed_demanded_is_a_proof_even_when_the_matter_is_in_court() -> None:
    result = screen("继承登记要求先办继承权公证", "已经起诉，法院已立案", "2024年1月申请被拒")
    assert (result.grounds, result.category) == (["litigation"], "demanded_proof")


def test_a_check_still_shown_in_progress_is_late_verification() -> None:
    result = screen(
        "低保申请的家庭经济状况核对一直没有结果", facts="2024年8月5日提交申请，到9月底仍显示核对中"
    )
    assert result.category == "verification_late"


def test_an_english_complaint_with_a_registration_and_a_plain_date_is_concrete() -> None:
    result = screen(
        "For marriage registration they required a certificate of single status",
        "The published no-proof list says a signed declaration is enough",
        "On 20 May 2024 we were refused at the registry",
        agency="Kuiwen civil affairs bureau",
    )
    # the list cited for the declaration it allows is the reason the certificate was not needed (session 8)
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


def test_saying_the_complaint_was_already_accepted_and_filing_again_is_a_repeat() -> None:
    result = screen(
        "把窗口的人处理了", "我就天天投", "3月份办个体户让交租房合同，你们已经受理了说在调查，我就再投"
    )
    assert "repeat" in result.grounds


def test_a_reconsideration_already_accepted_is_litigation_not_a_repeat() -> None:
    result = screen("重新认定", "要我提供诊断证明原件", "2024年5月不予认定，我已申请行政复议，已经受理")
    assert result.grounds == ["litigation"]


# Session 5: vague vs out of scope, statements that nothing was demanded, late checks told as spans,
# the catalogue named vs a proof said to be abolished, English agencies written "Bureau of …".


def test_a_complaint_about_queues_that_says_no_proof_was_demanded_is_out_of_scope() -> None:
    result = screen(
        "缩短排队时间", "叫号太慢", "2024年10月8日在大厅等了三个小时，窗口并没有要求我提交什么证明"
    )
    assert (result.grounds, result.category) == (["out_of_scope"], "other"), result
    assert result.cues["out_of_scope"][0] == "并没有要求我提交什么证明"  # then what it is about: 排队 …


def test_materials_said_to_be_complete_do_not_make_a_complaint_about_manners_a_proof_complaint() -> None:
    result = screen("处分那个工作人员", "说话很冲", "11月2日办理低保年审，材料都齐全，她一直在打电话不理人")
    assert (result.admissible, result.grounds) == (False, ["out_of_scope"]), result


@pytest.mark.parametrize(
    "facts",
    [
        "11月2日办理低保年审，开始没有要求提交证明，结果第二次去还是要我开证明",
        "11月2日办理低保年审，材料都齐全，但还是让我回社区补一份",
        "On 2 November 2024 no document was required at first, later they asked for a paper copy",
    ],
)
def test_saying_no_proof_was_demanded_and_then_that_one_was_is_still_a_demand(facts: str) -> None:
    result = screen("别再要证明", "", facts)
    assert result.admissible and "out_of_scope" not in result.cues, result


def test_the_programmes_own_name_is_not_a_proof_demanded() -> None:
    result = screen("降低收费", "无证明城市搞得挺好，就是收费太贵", "2024年6月办理抵押登记，收了五百多")
    assert result.grounds == ["out_of_scope"], result


def test_an_english_complaint_saying_no_certificate_was_asked_for_is_out_of_scope() -> None:
    result = screen(
        "Open more counters",
        "No document was required, the queue is the problem",
        "On 3 March 2024 I went to renew my medical insurance card and queued for four hours",
        agency="Kuiwen civil affairs bureau",
    )
    assert (result.grounds, result.category) == (["out_of_scope"], "other"), result


def test_a_grumble_about_running_back_and_forth_with_nothing_concrete_is_vague_not_out_of_scope() -> None:
    result = screen("", "窗口老是踢皮球", "来回跑了好多次")
    assert result.grounds == ["vague"] and "踢皮球" in result.cues["vague"], result


def test_a_concrete_grievance_with_no_proof_and_no_date_is_out_of_scope() -> None:
    result = screen("", "路灯坏了没人修", "家门口的路灯一直不亮")
    assert result.grounds == ["out_of_scope"], result


def test_a_vague_complaint_that_only_says_proofs_are_demanded_everywhere_is_category_other() -> None:
    # R5 Art.8(1): too vague to verify means no Art.4 matter is established; its words stay as cues
    result = screen("老让开证明", "不合理", "一直这样", agency="有关部门")
    assert (result.grounds, result.category) == (["vague"], "other"), result


def test_a_seal_demanded_without_naming_the_paper_is_about_proofs() -> None:
    result = screen("记不清了", "反正要盖个章", "大厅里")
    assert result.grounds == ["vague"], result


def test_a_department_check_done_on_the_applicants_behalf_and_still_unfinished_is_late_verification() -> None:
    result = screen(
        "快点办",
        "说是由他们代查学历，不用我自己开，可是1个月了还没查完",
        "2024年9月2日申请，10月8日问还在代查",
    )
    assert (result.admissible, result.category) == (True, "verification_late"), result


def test_a_check_shown_in_progress_for_months_is_late_verification() -> None:
    result = screen("尽快审完", "", "2024年1月5日交了廉租房申请，过去两个多月了，系统还显示收入核查中")
    assert result.category == "verification_late", result


def test_a_reply_promised_within_some_working_days_is_not_a_delay() -> None:
    result = screen("道歉", "我已经投诉过一次", "说已受理正在调查，5个工作日内答复，3月办个体户要租房合同")
    assert result.category == "demanded_proof", result


def test_a_proof_said_to_be_abolished_without_the_list_named_is_a_demanded_proof() -> None:
    result = screen("不要再交户口本复印件", "户口本复印件早就已经取消了", "2024年5月办理居住证")
    assert result.category == "demanded_proof", result


def test_a_medicine_catalogue_is_not_the_exemption_list() -> None:
    result = screen("把这个药纳入报销目录", "", "2024年9月住院结算，进口药不在目录里")
    assert result.grounds == ["out_of_scope"], result


def test_a_revoked_licence_is_the_matter_of_a_court_case_not_a_proof_demanded() -> None:
    result = screen("撤销吊销营业执照的决定", "", "2024年8月申请延续，营业执照反而被吊销，我已经起诉")
    assert (result.grounds, result.category) == (["litigation"], "other"), result


def test_an_english_agency_written_bureau_of_is_routed_like_its_usual_order() -> None:
    result = screen(
        "a paper copy of my hukou", "", "On 2 May 2024", agency="Kuiwen District Bureau of Civil Affairs"
    )
    assert result.unit is not None and result.unit.code == "KW-MZJ", result


def test_a_city_named_without_its_suffix_routes_to_the_city_level_unit() -> None:
    result = screen("结婚证原件", "", "2024年5月提取公积金", agency="Weifang Housing Provident Fund Center")
    assert result.unit is not None and result.unit.code == "WF-GJJ", result


@pytest.mark.parametrize("paper", ["纸质的车辆保险保单", "购房发票原件", "契税完税凭证", "医疗费用收据"])
def test_a_policy_a_receipt_or_an_invoice_demanded_is_a_proof(paper: str) -> None:
    # (session 8: a paper handed in is a proof whatever it ends with — 保单, 凭证, 发票, 收据, 票据)
    result = screen(f"窗口要求提供{paper}", "这些信息部门之间能查到，清单上写了", "2025年5月6日在窗口")
    assert (result.admissible, result.category) == (True, "demanded_proof"), result


@pytest.mark.parametrize(
    ("demand", "reasons"), [("叫我交个啥材料", "没道理"), ("非让我开个东西", "太离谱了")]
)
def test_something_demanded_with_nothing_concrete_is_vague_not_out_of_scope(
    demand: str, reasons: str
) -> None:
    # (session 8: a demand with no what, no when and no service may be about proofs: ask, Art.8(1))
    result = screen(demand, reasons, "之前", agency="有个部门")
    assert result.grounds == ["vague"], result
