"""The complaint state machine: every legal move of TRANSITIONS works and is audited, every other
(state, action) pair raises IllegalTransition, and the guards of R5 hold."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta

import pytest

from nocert_core.domain import events as ev
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.complaint_lifecycle import (
    TRANSITIONS,
    Action,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
    TerminationGround,
)
from nocert_core.domain.complaints import Category, Channel, Complaint
from nocert_core.errors import DomainError, IllegalTransition, PermissionDenied, ValidationFailed

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # Wednesday 09:30 in Weifang
CITIZEN = Actor("telegram:1", Role.CITIZEN, name="王芳")
STAFF = Actor("telegram:2", Role.STAFF, unit_code="KW-SPJ", name="李科员")
OTHER_STAFF = Actor("telegram:3", Role.STAFF, unit_code="WC-SPJ", name="潍城科员")
SUPERVISOR = Actor("telegram:4", Role.SUPERVISOR, name="专班")
CALENDAR = WorkingDayCalendar(covered_years={2026})


def make(status: ComplaintStatus = ComplaintStatus.REGISTERED, unit_code: str | None = "KW-SPJ") -> Complaint:
    complaint = Complaint(
        number="TS-2026-000002",
        channel=Channel.TELEGRAM,
        complainant_name="王芳",
        complainant_phone="13805361234",
        agency_text="奎文区审批局",
        demand="撤回无犯罪记录证明要求",
        reasons="已列入免提交清单",
        facts="11月20日在3号窗口办理食品经营许可被要求开无犯罪记录证明",
        registered_at=NOW - timedelta(days=1),
        category=Category.LIST_NOT_FOLLOWED,
        status=status,
        complainant_ref=CITIZEN.ref,
        unit_code=unit_code,
        id=2,
    )
    return complaint


def original() -> Complaint:
    first = make()
    first.number, first.id, first.registered_at = "TS-2026-000001", 1, NOW - timedelta(days=3)
    return first


def prepare(complaint: Complaint, action: Action) -> None:
    """Set what a legal action needs besides the state (a pending request for a decision)."""
    if action in (Action.APPROVE_EXTENSION, Action.DENY_EXTENSION):
        complaint.extension_state = ExtensionState.REQUESTED
        complaint.extension_days = 3
        complaint.deadline_at = NOW + timedelta(days=7)


PERFORM: dict[Action, Callable[[Complaint], None]] = {
    Action.ROUTE: lambda c: c.route("WC-SPJ", SUPERVISOR, NOW),
    Action.ACCEPT: lambda c: c.accept(STAFF, NOW, CALENDAR, TZ, 5),
    Action.REJECT: lambda c: c.reject(RejectionGround.VAGUE, "没有时间地点", STAFF, NOW),
    Action.REQUEST_EXTENSION: lambda c: c.request_extension(5, "需调取档案", STAFF, NOW, 10),
    Action.APPROVE_EXTENSION: lambda c: c.decide_extension(True, SUPERVISOR, NOW, CALENDAR, TZ),
    Action.DENY_EXTENSION: lambda c: c.decide_extension(False, SUPERVISOR, NOW, CALENDAR, TZ),
    Action.RESOLVE: lambda c: c.resolve("已改为部门核验", STAFF, NOW),
    Action.TERMINATE: lambda c: c.terminate(TerminationGround.WITHDRAWN, "已解决", CITIZEN, NOW),
    Action.RETURN_MISROUTED: lambda c: c.return_misrouted("不属于本单位职责", STAFF, NOW),
    Action.MARK_DUPLICATE: lambda c: c.mark_duplicate(original(), SUPERVISOR, NOW),
    Action.RATE: lambda c: c.rate(4, "还行", CITIZEN, NOW),
}

LEGAL = sorted(TRANSITIONS.items())
ILLEGAL = sorted(
    (state, action) for state in ComplaintStatus for action in Action if (state, action) not in TRANSITIONS
)


def test_every_action_has_a_way_to_perform_it_in_these_tests() -> None:
    assert set(PERFORM) == set(Action)
    assert len(LEGAL) + len(ILLEGAL) == len(ComplaintStatus) * len(Action)


@pytest.mark.parametrize(("move", "target"), LEGAL, ids=[f"{s.value}-{a.value}" for (s, a), _ in LEGAL])
def test_a_legal_move_reaches_its_target_and_writes_one_audit_row(
    move: tuple[ComplaintStatus, Action], target: ComplaintStatus
) -> None:
    state, action = move
    complaint = make(state)
    prepare(complaint, action)
    PERFORM[action](complaint)
    assert complaint.status == target
    assert len(complaint.audit) == 1
    row = complaint.audit[0]
    assert (row.action, row.from_status, row.to_status, row.at) == (
        action.value,
        state.value,
        target.value,
        NOW,
    )
    assert row.actor_ref in {CITIZEN.ref, STAFF.ref, SUPERVISOR.ref}
    assert len(complaint.events) == 1


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s.value}-{a.value}" for s, a in ILLEGAL])
def test_an_illegal_move_raises_and_changes_nothing(state: ComplaintStatus, action: Action) -> None:
    complaint = make(state)  # nothing prepared: the table must refuse before any other guard
    with pytest.raises(IllegalTransition) as raised:
        PERFORM[action](complaint)
    assert raised.value.params == {"status": state.value, "action": action.value}
    assert complaint.status == state
    assert complaint.audit == [] and complaint.events == []


def test_accepting_sets_the_deadline_to_the_end_of_the_fifth_working_day() -> None:
    complaint = make()
    complaint.accept(STAFF, NOW, CALENDAR, TZ, 5)
    # Wed 2026-11-25 + 5 working days = Wed 2026-12-02, usable until local midnight.
    assert complaint.deadline_at == datetime(2026, 12, 2, 15, 59, 59, 999999, tzinfo=UTC)
    assert complaint.accepted_at == NOW and not complaint.deadline_provisional
    assert complaint.events == [ev.ComplaintAccepted(complaint.number)]


def test_a_complaint_without_a_unit_cannot_be_accepted_before_routing() -> None:
    complaint = make(unit_code=None)
    with pytest.raises(DomainError, match="route it first"):
        complaint.accept(SUPERVISOR, NOW, CALENDAR, TZ, 5)


def test_only_one_extension_can_be_requested_even_after_a_denial() -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    complaint.deadline_at = NOW + timedelta(days=7)
    complaint.request_extension(5, "需调取档案", STAFF, NOW, 10)
    complaint.decide_extension(False, SUPERVISOR, NOW, CALENDAR, TZ, "理由不充分")
    assert complaint.status == ComplaintStatus.ACCEPTED and complaint.extension_state == ExtensionState.DENIED
    with pytest.raises(DomainError, match="Only one extension"):
        complaint.request_extension(3, "再次申请", STAFF, NOW, 10)


def test_an_approved_extension_moves_the_deadline_and_a_second_request_is_illegal() -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    complaint.deadline_at = datetime(2026, 12, 2, 15, 59, 59, 999999, tzinfo=UTC)
    complaint.request_extension(10, "涉及跨省核查", STAFF, NOW, 10)
    complaint.decide_extension(True, SUPERVISOR, NOW, CALENDAR, TZ)
    assert complaint.status == ComplaintStatus.EXTENDED
    # Wed 2026-12-02 + 10 working days = Wed 2026-12-16.
    assert complaint.deadline_at == datetime(2026, 12, 16, 15, 59, 59, 999999, tzinfo=UTC)
    with pytest.raises(IllegalTransition):
        complaint.request_extension(1, "再延", STAFF, NOW, 10)


@pytest.mark.parametrize("days", [0, 11, -1])
def test_an_extension_outside_one_to_ten_working_days_is_refused(days: int) -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    with pytest.raises(ValidationFailed):
        complaint.request_extension(days, "需调取档案", STAFF, NOW, 10)
    assert complaint.extension_state == ExtensionState.NONE and complaint.audit == []


@pytest.mark.parametrize(
    "act",
    [
        lambda c: c.request_extension(5, "  ", STAFF, NOW, 10),
        lambda c: c.reject(RejectionGround.VAGUE, "", STAFF, NOW),
        lambda c: c.return_misrouted(" ", STAFF, NOW),
        lambda c: c.resolve("", STAFF, NOW),
    ],
    ids=["extension", "rejection", "return", "result"],
)
def test_a_reason_or_result_is_required(act: Callable[[Complaint], None]) -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    with pytest.raises(ValidationFailed):
        act(complaint)
    assert complaint.audit == []


def test_only_supervisors_decide_extensions() -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    complaint.request_extension(5, "需调取档案", STAFF, NOW, 10)
    for actor in (STAFF, CITIZEN):
        with pytest.raises(PermissionDenied):
            complaint.decide_extension(True, actor, NOW, CALENDAR, TZ)
    assert complaint.extension_state == ExtensionState.REQUESTED


@pytest.mark.parametrize(
    "act",
    [
        lambda c: c.accept(OTHER_STAFF, NOW, CALENDAR, TZ, 5),
        lambda c: c.reject(RejectionGround.VAGUE, "不具体", OTHER_STAFF, NOW),
        lambda c: c.return_misrouted("不是我们", OTHER_STAFF, NOW),
        lambda c: c.terminate(TerminationGround.OTHER, "", OTHER_STAFF, NOW),
        lambda c: c.route("WC-SPJ", OTHER_STAFF, NOW),
        lambda c: c.mark_duplicate(original(), OTHER_STAFF, NOW),
    ],
    ids=["accept", "reject", "return", "terminate", "route", "duplicate"],
)
def test_staff_of_another_unit_are_refused(act: Callable[[Complaint], None]) -> None:
    complaint = make()
    with pytest.raises(PermissionDenied):
        act(complaint)
    assert complaint.status == ComplaintStatus.REGISTERED and complaint.audit == []


def test_staff_of_another_unit_cannot_resolve_or_extend() -> None:
    complaint = make(ComplaintStatus.ACCEPTED)
    with pytest.raises(PermissionDenied):
        complaint.resolve("已办结", OTHER_STAFF, NOW)
    with pytest.raises(PermissionDenied):
        complaint.request_extension(3, "需调档", OTHER_STAFF, NOW, 10)


def test_only_the_complainant_rates_and_only_once() -> None:
    complaint = make(ComplaintStatus.RESOLVED)
    for actor in (STAFF, SUPERVISOR, Actor("telegram:99", Role.CITIZEN)):
        with pytest.raises(PermissionDenied):
            complaint.rate(5, "", actor, NOW)
    with pytest.raises(ValidationFailed):
        complaint.rate(6, "", CITIZEN, NOW)
    complaint.rate(2, " 太慢了 ", CITIZEN, NOW)
    assert complaint.rating is not None and (complaint.rating.score, complaint.rating.comment) == (
        2,
        "太慢了",
    )
    with pytest.raises(DomainError, match="already been rated"):
        complaint.rate(5, "改评", CITIZEN, NOW)
    assert complaint.rating.score == 2 and [row.action for row in complaint.audit] == ["rate"]


def test_returning_a_misrouted_complaint_clears_the_unit_and_its_deadline() -> None:
    complaint = make()
    complaint.accept(STAFF, NOW, CALENDAR, TZ, 5)
    complaint.return_misrouted("应由社保中心办理", STAFF, NOW)
    assert complaint.status == ComplaintStatus.TRANSFERRED
    assert (complaint.unit_code, complaint.deadline_at, complaint.accepted_at) == (None, None, None)
    assert complaint.events[-1] == ev.ComplaintReturned(complaint.number, "KW-SPJ", "应由社保中心办理")
    complaint.route("KW-SBZX", SUPERVISOR, NOW)
    assert complaint.status == ComplaintStatus.REGISTERED and complaint.unit_code == "KW-SBZX"


def test_a_duplicate_links_to_the_earlier_complaint_only() -> None:
    first, second = original(), make()
    with pytest.raises(DomainError, match="received first"):
        first.mark_duplicate(second, SUPERVISOR, NOW)
    with pytest.raises(DomainError, match="itself"):
        second.mark_duplicate(second, SUPERVISOR, NOW)
    second.mark_duplicate(first, SUPERVISOR, NOW)
    assert second.duplicate_of_id == first.id and second.status == ComplaintStatus.DUPLICATE
    assert second.audit[-1].note == first.number


def test_a_complainant_may_end_their_own_open_complaint_but_not_someone_elses() -> None:
    complaint = make(ComplaintStatus.TRANSFERRED, unit_code=None)
    with pytest.raises(PermissionDenied):
        complaint.terminate(TerminationGround.WITHDRAWN, "", Actor("telegram:77", Role.CITIZEN), NOW)
    complaint.terminate(TerminationGround.OTHER_PROCEEDINGS, "已申请仲裁", CITIZEN, NOW)
    assert complaint.termination_ground == TerminationGround.OTHER_PROCEEDINGS
    assert complaint.closed_at == NOW and not complaint.is_open


def test_the_audit_trail_records_each_step_of_a_full_lifecycle_in_order() -> None:
    complaint = make()
    complaint.record_registration(CITIZEN)
    complaint.accept(STAFF, NOW, CALENDAR, TZ, 5)
    complaint.request_extension(4, "需调取档案", STAFF, NOW + timedelta(hours=1), 10)
    complaint.decide_extension(True, SUPERVISOR, NOW + timedelta(hours=2), CALENDAR, TZ, "同意")
    complaint.resolve("已办结", STAFF, NOW + timedelta(days=3))
    complaint.rate(5, "", CITIZEN, NOW + timedelta(days=4))
    trail = [(row.action, row.from_status, row.to_status, row.actor_ref) for row in complaint.audit]
    assert trail == [
        ("register", "", "registered", CITIZEN.ref),
        ("accept", "registered", "accepted", STAFF.ref),
        ("request_extension", "accepted", "accepted", STAFF.ref),
        ("approve_extension", "accepted", "extended", SUPERVISOR.ref),
        ("resolve", "extended", "resolved", STAFF.ref),
        ("rate", "resolved", "resolved", CITIZEN.ref),
    ]
    assert complaint.audit[2].note == "4: 需调取档案"
    assert complaint.deadline_at is not None and complaint.deadline_at.date() > date(2026, 12, 2)


def test_the_documented_state_diagram_matches_the_table() -> None:
    from pathlib import Path

    doc = (Path(__file__).resolve().parents[3] / "docs" / "foundation.md").read_text(encoding="utf-8")
    diagram = doc.split("stateDiagram-v2", 1)[1].split("```", 1)[0]
    documented = {line.strip() for line in diagram.splitlines() if " --> " in line and "[*]" not in line}
    expected = {
        f"{state.value} --> {target.value} : {action.value}"
        for (state, action), target in TRANSITIONS.items()
    }
    assert documented == expected
