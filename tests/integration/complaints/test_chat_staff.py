"""Staff, supervisors and the complainant around one complaint: invites, assignments, actions, rating."""

from __future__ import annotations

from datetime import timedelta

from handlers.dispatch.dispatcher import Dispatcher
from handlers.renderers import render
from handlers.types import Reply
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.outbox import OutboxMessage
from nocert_core.i18n import translator
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as svc
from tests.integration.chat_driver import ChatUser, add_units, file_complaint


async def inbox(app: Application, ref: str) -> list[Reply]:
    """Outbox messages for one account, rendered in English, oldest first."""
    async with app.uow() as uow:
        messages: list[OutboxMessage] = list(await uow.outbox.pending(limit=500))
    return [render(m.kind, m.payload, translator("en")) for m in messages if m.recipient_ref == ref]


async def bound(
    app: Application, dispatcher: Dispatcher, user_id: str, role: Role, unit: str | None
) -> ChatUser:
    invite = await create_invite(
        app.uow(), app.clock, CLI_ADMIN, unit_code=unit, role=role, display_name="李科员"
    )
    user = ChatUser(dispatcher, user_id)
    await user.send(f"/start {invite.code}")
    assert "Welcome, 李科员" in user.text
    return user


async def filed(app: Application, dispatcher: Dispatcher, agency: str = "奎文区行政审批服务局") -> ChatUser:
    citizen = ChatUser(dispatcher, "1001")
    await file_complaint(citizen, agency)
    await citizen.press("Submit")
    return citizen


async def test_an_invite_binds_once_and_expires(app: Application, clock: FixedClock) -> None:
    await add_units(app)
    invite = await create_invite(app.uow(), clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    assert invite.link == f"https://t.me/{app.settings.bot_username}?start={invite.code}"
    dispatcher = Dispatcher(app)
    first, second = ChatUser(dispatcher, "2001"), ChatUser(dispatcher, "2002")
    await first.send(f"/start {invite.code}")
    assert "You are now staff of 奎文区行政审批服务局" in first.text
    await second.send(f"/start {invite.code}")
    assert "already been used" in second.text
    late = await create_invite(app.uow(), clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    clock.advance(timedelta(days=app.settings.invite_valid_days, seconds=1))
    await second.send(f"/start {late.code}")
    assert "expired" in second.text
    await second.send("/queue")
    assert "not available to you" in second.text


async def test_staff_accept_and_resolve_and_the_citizen_rates(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    citizen = await filed(app, dispatcher)
    [assignment] = await inbox(app, "telegram:2001")
    assert "New complaint for your unit" in assignment.text and "TS-2026-000001" in assignment.text
    assert "138****1234" in assignment.text and "13805361234" not in assignment.text
    await staff.press("View phone", [assignment])
    assert "13805361234" in staff.text
    await staff.press("Accept", [assignment])
    assert "Accepted" in staff.text and "2026-12-02" in staff.text
    [accepted] = await inbox(app, "telegram:1001")
    assert "was accepted by 奎文区行政审批服务局" in accepted.text and "2026-12-02" in accepted.text
    await staff.press("Accept", [assignment])  # a colleague's second press
    assert "out of date" in staff.text
    await staff.send("/queue")
    await staff.press("TS-2026-000001")
    await staff.press("Resolve")
    await staff.send("已改为部门核验，当场办结")
    assert "Resolved" in staff.text
    resolved = (await inbox(app, "telegram:1001"))[-1]
    assert "is resolved" in resolved.text and "已改为部门核验" in resolved.text
    await citizen.press("★★★★", [resolved])
    await citizen.send("很快，谢谢")
    assert "Thank you for rating" in citizen.text
    complaint = await svc.get_complaint(app.uow(), Actor("telegram:1001", Role.CITIZEN), "TS-2026-000001")
    assert (
        complaint.rating is not None
        and complaint.rating.score == 4
        and complaint.rating.comment == "很快，谢谢"
    )
    actions = [entry.action for entry in complaint.audit]
    assert actions == ["register", "view_phone", "accept", "resolve", "rate"]
    await citizen.press("★★★★★", [resolved])
    assert "already been rated" in citizen.text


async def test_staff_reject_on_an_art8_ground_with_a_reason(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await filed(app, dispatcher)
    [assignment] = await inbox(app, "telegram:2001")
    await staff.press("Reject", [assignment])
    await staff.send("anything")
    assert "choose one of the buttons" in staff.text
    await staff.press("litigation")
    await staff.send("已进入行政复议程序")
    assert "Not accepted" in staff.text
    [told] = await inbox(app, "telegram:1001")
    assert (
        "not accepted" in told.text and "已进入行政复议程序" in told.text and "★" in told.buttons[0][0].text
    )


async def test_an_extension_is_requested_by_staff_and_approved_by_the_task_force(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    supervisor = await bound(app, dispatcher, "3001", Role.SUPERVISOR, None)
    await filed(app, dispatcher)
    [assignment] = await inbox(app, "telegram:2001")
    await staff.press("Accept", [assignment])
    await staff.press("Request extension")
    await staff.send("11")
    assert "1 to 10 working days" in staff.text
    await staff.send("3")
    await staff.send("需要现场核查")
    assert "Extension requested" in staff.text
    [request] = await inbox(app, "telegram:3001")
    assert "需要现场核查" in request.text
    await supervisor.press("Approve extension", [request])
    assert "New deadline: 2026-12-07" in supervisor.text
    told = await inbox(app, "telegram:1001")
    assert any("extended" in reply.text and "2026-12-07" in reply.text for reply in told)
    await supervisor.press("Approve extension", [request])
    assert "out of date" in supervisor.text


async def test_the_task_force_routes_a_complaint_no_unit_was_found_for(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    supervisor = await bound(app, dispatcher, "3001", Role.SUPERVISOR, None)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-GAJ")
    citizen = ChatUser(dispatcher, "1001")
    await citizen.send("/complain")
    for answer in ("王芳", "13805361234", "某某物业公司"):
        await citizen.send(answer)
    await citizen.press("Not in the list")
    for answer in (
        "Accept it without the proof",
        "It is exempt",
        "2026年11月20日在奎文区某派出所窗口办理户口迁移，被要求开具无犯罪记录证明",
    ):
        await citizen.send(answer)
    await citizen.press("For myself")
    await citizen.press("Submit")
    [to_route] = await inbox(app, "telegram:3001")
    assert "please route it" in to_route.text
    await supervisor.press("Route to a unit", [to_route])
    await supervisor.send("公安")
    await supervisor.press("奎文公安分局")
    assert "Routed to 奎文公安分局" in supervisor.text
    [assignment] = await inbox(app, "telegram:2001")
    assert "TS-2026-000001" in assignment.text
    await staff.press("Not ours", [assignment])
    await staff.send("应由派出所所在区分局办理")
    assert "Returned to the task force" in staff.text
    _routed, returned = await inbox(app, "telegram:3001")
    assert "Returned as misrouted by 奎文公安分局" in returned.text  # the unit's name, not its code


async def test_a_citizen_withdraws_after_confirming_and_cannot_open_other_complaints(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    citizen = await filed(app, dispatcher)
    await citizen.send("/my")
    await citizen.press("TS-2026-000001")
    assert "Timeline" in citizen.text and "registered" in citizen.text
    await citizen.press("Withdraw")
    assert "cannot be resumed" in citizen.text
    await citizen.press("Yes, end it")
    assert "has ended" in citizen.text
    complaint = await svc.get_complaint(app.uow(), Actor("telegram:1001", Role.CITIZEN), "TS-2026-000001")
    assert complaint.status == ComplaintStatus.TERMINATED
    stranger = ChatUser(dispatcher, "9999")
    await stranger.press_data("mc:open:TS-2026-000001")
    guessed = stranger.text
    await stranger.press_data("mc:open:TS-2026-000999")
    assert guessed.replace("000001", "N") == stranger.text.replace("000999", "N")


async def test_staff_register_a_complaint_received_by_the_hotline(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await staff.send("/register")
    await staff.press("hotline")
    assert "caller's name" in staff.text
    for answer in (
        "张伟",
        "0536-8881234",
        "奎文区审批局",
        "不再要求提交证明",
        "已在清单内",
        "2026年11月24日在奎文区政务服务中心办理营业执照变更，被要求提交房产证复印件",
    ):
        await staff.send(answer)
    await staff.press("For the caller")
    assert "Received by: 12345 hotline" in staff.text
    await staff.press("Submit")
    assert "Give the caller this number" in staff.text
    complaint = await svc.get_complaint(
        app.uow(), Actor("telegram:2001", Role.STAFF, "KW-SPJ"), "TS-2026-000001"
    )
    assert complaint.channel.value == "hotline" and complaint.registered_by == "telegram:2001"
