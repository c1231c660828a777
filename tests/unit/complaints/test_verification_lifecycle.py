"""The verification request state machine (R2): every legal move of the table works and is audited, every
other (state, action) pair raises IllegalTransition, only the right unit's staff act, and only the two
units' staff and the task force may see a request — each view audited."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.calendar import DayKind, WorkingDayCalendar
from nocert_core.domain.verification import (
    VERIFICATION_TRANSITIONS,
    VerificationAction,
    VerificationRequest,
    VerificationResult,
    VerificationStatus,
    format_number,
)
from nocert_core.errors import IllegalTransition, PermissionDenied, ValidationFailed

TZ = "Asia/Shanghai"
NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # Wednesday 09:30 in Weifang
REQUESTER = Actor("telegram:2", Role.STAFF, unit_code="KW-SPJ", name="奎文科员")
ISSUER = Actor("telegram:3", Role.STAFF, unit_code="KW-GAJ", name="公安科员")
THIRD_UNIT = Actor("telegram:4", Role.STAFF, unit_code="WC-SPJ", name="潍城科员")
SUPERVISOR = Actor("telegram:9", Role.SUPERVISOR, name="专班")
CITIZEN = Actor("telegram:1", Role.CITIZEN, name="王芳")
CALENDAR = WorkingDayCalendar(covered_years={2026})


def start(**fields: Any) -> VerificationRequest:
    """A request started by REQUESTER with valid fields, except those given."""
    valid: dict[str, Any] = {
        "number": format_number(2026, 1),
        "issuing_unit_code": "KW-GAJ",
        "service": "食品经营许可",
        "proof": "无犯罪记录证明",
        "applicant_name": "王芳",
        "data_to_check": "身份证号 370702199001011234，无犯罪记录",
        "working_days": 3,
        "actor": REQUESTER,
        "now": NOW,
        "calendar": CALENDAR,
        "tz": TZ,
    }
    return VerificationRequest.start(**(valid | fields))


def make(status: VerificationStatus = VerificationStatus.REQUESTED, **changes: object) -> VerificationRequest:
    request = start()
    request.status = status
    for name, value in changes.items():
        setattr(request, name, value)
    return request


# How each action is performed, by whom it may be performed.
PERFORM: dict[VerificationAction, Callable[[VerificationRequest], None]] = {
    VerificationAction.ACCEPT: lambda r: r.accept(ISSUER, NOW),
    VerificationAction.VERIFY: lambda r: r.verify(
        VerificationResult.INCONSISTENT, "户籍地址不符", ISSUER, NOW
    ),
    VerificationAction.RETURN: lambda r: r.send_back("该证明由派出所开具", ISSUER, NOW),
    VerificationAction.WITHDRAW: lambda r: r.withdraw(REQUESTER, NOW),
    VerificationAction.REQUEST_MATERIAL: lambda r: r.record_material_request("请补充户口簿", REQUESTER, NOW),
}
LEGAL = sorted(VERIFICATION_TRANSITIONS.items())
ILLEGAL = sorted(
    (state, action)
    for state in VerificationStatus
    for action in VerificationAction
    if (state, action) not in VERIFICATION_TRANSITIONS
)


def test_the_table_covers_every_action_and_every_open_state() -> None:
    assert {action for _, action in VERIFICATION_TRANSITIONS} == set(VerificationAction)
    assert set(PERFORM) == set(VerificationAction)
    assert ILLEGAL  # the closed states accept nothing but the material record


@pytest.mark.parametrize(("move", "target"), LEGAL, ids=[f"{s}-{a}" for (s, a), _ in LEGAL])
def test_a_legal_move_changes_the_state_and_writes_an_audit_row(
    move: tuple[VerificationStatus, VerificationAction], target: VerificationStatus
) -> None:
    state, action = move
    request = make(
        state, result=VerificationResult.INCONSISTENT if state == VerificationStatus.VERIFIED else None
    )
    before = len(request.audit)
    PERFORM[action](request)
    assert request.status == target
    [entry] = request.audit[before:]
    assert (entry.action, entry.from_status, entry.to_status) == (action.value, state.value, target.value)
    assert entry.at == NOW and entry.actor_ref in (ISSUER.ref, REQUESTER.ref)


@pytest.mark.parametrize(("state", "action"), ILLEGAL, ids=[f"{s}-{a}" for s, a in ILLEGAL])
def test_an_illegal_move_raises_and_changes_nothing(
    state: VerificationStatus, action: VerificationAction
) -> None:
    request = make(state, result=VerificationResult.INCONSISTENT)
    before = len(request.audit)
    with pytest.raises(IllegalTransition):
        PERFORM[action](request)
    assert request.status == state and len(request.audit) == before


def test_a_request_starts_requested_with_its_time_limit_in_working_days() -> None:
    request = make()
    assert request.status == VerificationStatus.REQUESTED
    assert request.requesting_unit_code == "KW-SPJ" and request.requested_by == REQUESTER.ref
    # Wed 25 Nov + 3 working days = Mon 30 Nov, usable until local midnight.
    assert request.deadline_at == datetime(2026, 11, 30, 15, 59, 59, 999999, tzinfo=UTC)
    assert [(e.action, e.to_status) for e in request.audit] == [("request", "requested")]
    assert not request.is_overdue(request.deadline_at)
    assert request.is_overdue(request.deadline_at + timedelta(microseconds=1))


def test_the_time_limit_skips_holidays_and_counts_make_up_working_days() -> None:
    calendar = WorkingDayCalendar.from_days(
        [(date(2026, 11, 26), DayKind.HOLIDAY), (date(2026, 11, 28), DayKind.WORKDAY)], [2026]
    )
    request = start(number="HC-2026-000009", calendar=calendar)
    # Thu 26 off; Fri 27, Sat 28 (make-up), Mon 30 count.
    assert request.deadline_at == datetime(2026, 11, 30, 15, 59, 59, 999999, tzinfo=UTC)


def test_a_time_limit_past_the_calendar_data_does_not_crash() -> None:
    late = datetime(2031, 12, 30, 1, 0, tzinfo=UTC)
    request = start(number="HC-2031-000001", now=late)
    assert request.deadline_at > late


def test_numbers_read_hc_year_and_six_digits() -> None:
    assert format_number(2026, 1) == "HC-2026-000001"
    assert format_number(2027, 123456) == "HC-2027-123456"


@pytest.mark.parametrize("actor", [SUPERVISOR, CITIZEN, Actor("telegram:5", Role.STAFF)])
def test_only_staff_of_a_unit_start_a_request(actor: Actor) -> None:
    with pytest.raises(PermissionDenied):
        start(actor=actor)


def test_a_unit_cannot_ask_itself_and_every_field_is_required() -> None:
    with pytest.raises(ValidationFailed):
        start(issuing_unit_code="KW-SPJ")
    with pytest.raises(ValidationFailed) as raised:
        start(proof="  ")
    assert raised.value.params == {"field": "Proof to verify"}


@pytest.mark.parametrize("actor", [REQUESTER, THIRD_UNIT, SUPERVISOR, CITIZEN])
def test_only_the_issuing_units_staff_accept_verify_or_return(actor: Actor) -> None:
    request = make()
    for act in (
        lambda: request.accept(actor, NOW),
        lambda: request.verify(VerificationResult.CONSISTENT, "", actor, NOW),
        lambda: request.send_back("不是我们的", actor, NOW),
    ):
        with pytest.raises(PermissionDenied):
            act()
    assert request.status == VerificationStatus.REQUESTED


@pytest.mark.parametrize("actor", [ISSUER, THIRD_UNIT, SUPERVISOR, CITIZEN])
def test_only_the_requesting_units_staff_withdraw_or_record_a_material_request(actor: Actor) -> None:
    request = make()
    with pytest.raises(PermissionDenied):
        request.withdraw(actor, NOW)
    verified = make(VerificationStatus.VERIFIED, result=VerificationResult.INCONSISTENT)
    with pytest.raises(PermissionDenied):
        verified.record_material_request("请补充", actor, NOW)


def test_an_inconsistent_result_needs_details_and_a_return_needs_a_reason() -> None:
    request = make(VerificationStatus.ACCEPTED)
    with pytest.raises(ValidationFailed):
        request.verify(VerificationResult.INCONSISTENT, "  ", ISSUER, NOW)
    with pytest.raises(ValidationFailed):
        request.send_back("", ISSUER, NOW)
    request.verify(VerificationResult.CONSISTENT, "", ISSUER, NOW)
    assert request.result == VerificationResult.CONSISTENT and request.answered_by == ISSUER.ref


def test_more_material_can_be_recorded_only_after_an_inconsistent_result() -> None:
    consistent = make(VerificationStatus.VERIFIED, result=VerificationResult.CONSISTENT)
    with pytest.raises(IllegalTransition):
        consistent.record_material_request("请补充", REQUESTER, NOW)
    assert VerificationAction.REQUEST_MATERIAL not in consistent.allowed_actions()
    inconsistent = make(VerificationStatus.VERIFIED, result=VerificationResult.INCONSISTENT)
    assert VerificationAction.REQUEST_MATERIAL in inconsistent.allowed_actions()
    inconsistent.record_material_request("请补充户口簿首页", REQUESTER, NOW)
    assert inconsistent.material_note == "请补充户口簿首页"
    assert inconsistent.audit[-1].action == "request_material"


@pytest.mark.parametrize(("actor", "visible"), [(REQUESTER, True), (ISSUER, True), (SUPERVISOR, True)])
def test_the_two_units_and_the_task_force_may_view_and_each_view_is_audited(
    actor: Actor, visible: bool
) -> None:
    request = make()
    assert request.can_view(actor) is visible
    request.record_view(actor, NOW, "chat")
    entry = request.audit[-1]
    assert (entry.action, entry.actor_ref, entry.from_status, entry.to_status, entry.note) == (
        "view",
        actor.ref,
        "requested",
        "requested",
        "chat",
    )
    assert request.status == VerificationStatus.REQUESTED


@pytest.mark.parametrize("actor", [THIRD_UNIT, CITIZEN, Actor("telegram:6", Role.STAFF)])
def test_anyone_else_may_not_view_a_request(actor: Actor) -> None:
    request = make()
    assert not request.can_view(actor)
    with pytest.raises(PermissionDenied):
        request.record_view(actor, NOW)
    assert [e.action for e in request.audit] == ["request"]
