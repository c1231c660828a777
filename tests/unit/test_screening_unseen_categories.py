"""Screening categories of complaints written by others (issue 8, session 4): the same certificate families
as guidance, a notarial deed demanded, 核对 as a check, English registrations and dates, a list cited."""

from __future__ import annotations

from nocert_core.services.screening import screen_text
from tests.unit.test_screening_rules import UNITS


def screen(demand: str, reasons: str = "", facts: str = "", agency: str = "奎文区民政局"):
    return screen_text(UNITS, agency, demand, reasons, facts)


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
    assert (result.admissible, result.category) == (True, "list_not_followed"), result


def test_saying_the_complaint_was_already_accepted_and_filing_again_is_a_repeat() -> None:
    result = screen(
        "把窗口的人处理了", "我就天天投", "3月份办个体户让交租房合同，你们已经受理了说在调查，我就再投"
    )
    assert "repeat" in result.grounds


def test_a_reconsideration_already_accepted_is_litigation_not_a_repeat() -> None:
    result = screen("重新认定", "要我提供诊断证明原件", "2024年5月不予认定，我已申请行政复议，已经受理")
    assert result.grounds == ["litigation"]
