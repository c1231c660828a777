"""Screening rules and the unit resolver without a database (units from the demo CSV, fakes)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.units import Unit
from nocert_core.services.complaints import handling as svc
from nocert_core.services.screening.advice import NOTE_NO_TIME, screen_text, text_similarity
from nocert_core.services.units.resolver import index_for, resolve_agency
from tests.fakes import FakeUnitOfWork
from tests.unit.screening.demo_register import UNITS


def screen(demand: str, reasons: str = "", facts: str = "", agency: str = "奎文区审批局"):
    return screen_text(UNITS, agency, demand, reasons, facts)


def test_a_concrete_complaint_about_a_demanded_proof_is_admissible() -> None:
    result = screen("不要无犯罪记录证明", "可以核验", "11月20日上午办理食品经营许可被要求开无犯罪记录证明")
    assert (result.admissible, result.grounds, result.category) == (True, [], "demanded_proof")
    assert result.missing == [] and result.unit is not None and result.unit.code == "KW-SPJ"
    assert "无犯罪记录证明" in result.cues["document"]


@pytest.mark.parametrize("cue", ["起诉", "行政诉讼", "劳动仲裁", "行政复议", "向法院"])
def test_litigation_arbitration_and_reconsideration_cues_give_the_litigation_ground(cue: str) -> None:
    result = screen("撤销决定", "", f"11月3日办理许可被要求营业执照复印件，我已经{cue}")
    assert "litigation" in result.grounds and not result.admissible


def test_a_negated_litigation_cue_does_not_count() -> None:
    result = screen(
        "不要房产证复印件", "我不想打官司，也没有起诉", "11月18日办理个体户注册，要求房产证复印件"
    )
    assert result.grounds == [] and result.admissible


def test_a_complaint_missing_time_service_and_document_is_vague_and_says_what_is_missing() -> None:
    result = screen("别刁难人", "太麻烦", "总让我开各种证明")
    assert result.grounds == ["vague"] and result.missing == ["time", "service", "document"]
    assert NOTE_NO_TIME in result.notes


def test_one_missing_detail_is_noted_but_not_a_ground() -> None:
    result = screen("不要户口本复印件", "", "办理结婚登记时被要求户口本复印件")
    assert result.grounds == [] and result.missing == ["time"]


@pytest.mark.parametrize(
    "facts",
    [
        "同一事项2025年3月已投诉，中心已于3月20日答复并为我办结，我没有新的情况，只是觉得应该道歉",
        "上回投诉过了，处理结果也告诉我了，我还是不服，5月再投一次结婚证原件那个事",
    ],
)
def test_a_complaint_saying_it_was_already_complained_about_gets_the_repeat_ground(facts: str) -> None:
    result = screen("上次要结婚证原件一事", "我对答复不满意，再次投诉", facts)
    assert "repeat" in result.grounds and not result.admissible and result.category == "demanded_proof"


def test_a_complaint_not_about_proofs_at_all_is_out_of_scope() -> None:
    result = screen("批评窗口人员", "态度差", "11月20日上午排队两个小时，工作人员玩手机")
    assert result.grounds == ["out_of_scope"] and result.category == "other"


def test_categories_follow_r5_article_4_most_specific_first() -> None:
    late = screen("尽快核验", "", "10月28日申请抵押登记，协查核验至今没有结果")
    listed = screen("按清单办", "用证事项清单里写着免提交", "11月9日办理变更登记要求住所证明")
    refused = screen("接受电子驾驶证", "", "11月13日办理过户，电子驾驶证窗口说不行")
    other = screen("一次性告知", "材料说不清楚", "11月20日办理开办企业跑了三趟")
    assert [r.category for r in (late, listed, refused, other)] == [
        "verification_late",
        "list_not_followed",
        "demanded_proof",
        "other",
    ]


def test_the_resolver_index_is_built_once_per_unit_set() -> None:
    assert index_for(UNITS) is index_for(list(UNITS))
    changed = [*UNITS, Unit("CL-SPJ", "昌乐县行政审批服务局", "WF", ["昌乐审批局"])]
    assert index_for(changed) is not index_for(UNITS)
    assert resolve_agency(changed, "昌乐审批局").unit is not None


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("奎文区审批局", "KW-SPJ"),
        ("潍坊市不动产中心", "WF-BDC"),
        ("潍坊市公安局交警支队车管所", "WF-GAJ-CGS"),
        ("高新区社保", "GX-SBZX"),
        ("市社保", "WF-SBZX"),
        ("青州市车管所", "QZ-CGS"),
        ("奎文区 审批局", "KW-SPJ"),
        ("奎文区审批局。", "KW-SPJ"),
        ("奎文区ＳＰＪ审批局", "KW-SPJ"),
    ],
)
def test_the_resolver_prefers_the_named_district_and_exact_aliases(text: str, code: str | None) -> None:
    resolution = resolve_agency(UNITS, text)
    assert (resolution.unit.code if resolution.unit else None) == code


@pytest.mark.parametrize("text", ["车管所", "社保中心", "婚姻登记处", "审批局", "不动产中心"])
def test_a_name_found_in_several_districts_is_ambiguous(text: str) -> None:
    # (不动产中心 is also an alias of the city's centre, but 寿光 has one too: a name without a place is
    # not the resolver's to decide — issue 8)
    resolution = resolve_agency(UNITS, text)
    assert resolution.unit is None and len(resolution.candidates) >= 2
    assert resolution.candidates == sorted(resolution.candidates, key=lambda c: (-c.score, c.code))


def test_nonsense_and_empty_text_resolve_to_nothing() -> None:
    assert resolve_agency(UNITS, "").candidates == []
    assert resolve_agency(UNITS, "？？？").unit is None
    assert resolve_agency(UNITS, "潍坊银行").candidates == []


def test_text_similarity_is_high_for_small_edits_and_low_for_different_texts() -> None:
    assert text_similarity("11月20日办理许可被要求开无犯罪证明", "11月20日办理许可被要求开无犯罪证明。") > 0.9
    assert text_similarity("11月20日办理许可被要求开无犯罪证明", "社保待遇太低") < 0.2


async def test_registering_through_fakes_stores_the_screening_and_routes_a_clear_unit() -> None:
    uow = FakeUnitOfWork(units=UNITS, clock=FixedClock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC)))
    citizen = Actor("console:citizen", Role.CITIZEN)
    draft = svc.ComplaintDraft(
        "王芳", "13805361234", "车管所", "接受电子驾驶证", "同等效力", "11月12日办理换证被拒"
    )
    complaint = await svc.register_complaint(uow, uow.clock, citizen, draft)
    assert complaint.unit_code is None, "an ambiguous name waits for a choice or the task force"
    assert complaint.screening is not None and len(complaint.screening["unit_candidates"]) == 4
    routed = await svc.register_complaint(
        uow, uow.clock, citizen, svc.ComplaintDraft(**{**draft.__dict__, "agency_text": "寿光车管所"})
    )
    assert routed.unit_code == "SG-CGS" and routed.number == "TS-2026-000002"
    assert [type(event).__name__ for event in uow.published] == ["ComplaintRegistered", "ComplaintRegistered"]
