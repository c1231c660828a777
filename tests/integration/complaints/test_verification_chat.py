"""Department verification (R2) in chat, through the Dispatcher on both backends: a requesting unit's
staff file a request with /verify, the issuing unit's staff register and answer it from the message they
get, the requesting unit hears the result; other units' staff and citizens learn nothing."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Reply
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.verification import VerificationResult, VerificationStatus
from nocert_core.services.verification import requests as svc
from tests.integration.chat_driver import ChatUser, add_units
from tests.integration.complaints.test_chat_staff import bound, inbox

NUMBER = "HC-2026-000001"
DATA = "身份证号 370702199001011234；本人填报：无犯罪记录"
SUPERVISOR = Actor("telegram:9001", Role.SUPERVISOR)


async def file_request(requester: ChatUser, unit_text: str = "奎文公安分局") -> list[Reply]:
    """From /verify to submit; returns the summary (with its now stale Submit button)."""
    await requester.send("/verify")
    assert "5 short questions" in requester.text and "Which unit issues the proof" in requester.text
    await requester.send(unit_text)
    assert "Noted: 奎文公安分局" in requester.text and "Which government service" in requester.text
    await requester.send("食品经营许可")
    await requester.send("无犯罪记录证明")
    await requester.send("王芳")
    await requester.send(DATA)
    assert "Please check the request" in requester.text and DATA in requester.text
    summary = requester.last
    await requester.press("Submit")
    return summary


async def test_a_request_is_filed_answered_inconsistent_and_the_material_request_recorded(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    requester = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    issuer = await bound(app, dispatcher, "3001", Role.STAFF, "KW-GAJ")
    summary = await file_request(requester)
    assert f"Verification request {NUMBER} sent to 奎文公安分局" in requester.text
    assert "Time limit: 2026-11-30" in requester.text  # 3 working days from Wed 25 Nov
    await requester.press("Submit", summary)  # a second press of the old summary files nothing
    assert "out of date" in requester.text

    [received] = await inbox(app, "telegram:3001")
    assert "New verification request for your unit" in received.text
    assert "王芳" in received.text and DATA in received.text and "From: 奎文区行政审批服务局" in received.text
    await issuer.press("Register and accept", [received])
    assert f"Request {NUMBER} is registered and accepted" in issuer.text
    await issuer.press("Register and accept", [received])  # a colleague's second press
    assert "is now: Registered, being verified. Nothing was changed." in issuer.text
    await issuer.press("Inconsistent", [received])
    assert "What does not match?" in issuer.text
    await issuer.sticker()
    assert "I can only read text here" in issuer.text and "What does not match?" in issuer.text
    await issuer.send("户籍地址与填报不符")
    assert "is not consistent. The requesting unit is told." in issuer.text
    await issuer.press("Consistent", [received])  # too late: already answered
    assert "is now: Verified. Nothing was changed." in issuer.text

    [answered] = await inbox(app, "telegram:2001")
    assert "奎文公安分局 verified request" in answered.text and "not consistent" in answered.text
    assert "户籍地址与填报不符" in answered.text
    await requester.press("asked the applicant for more", [answered])
    await requester.send("请补充户口簿首页")
    assert "the applicant was asked for more material" in requester.text
    await requester.send("/requests")
    assert "No open verification requests." in requester.text

    request = await svc.get_request(app.uow(), app.clock, SUPERVISOR, NUMBER)
    assert request.status == VerificationStatus.VERIFIED
    assert request.result == VerificationResult.INCONSISTENT and request.material_note == "请补充户口簿首页"
    changes = [e.action for e in request.audit if e.action != "view"]
    assert changes == ["request", "accept", "verify", "request_material"]
    viewers = {e.actor_ref for e in request.audit if e.action == "view"}
    assert {"telegram:3001", SUPERVISOR.ref} <= viewers  # the chat's look-ups and this one are kept


async def test_other_units_and_citizens_learn_nothing_and_each_look_is_audited(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    requester = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    outsider = await bound(app, dispatcher, "4001", Role.STAFF, "WC-SPJ")
    await file_request(requester)
    await outsider.press_data(f"vr:open:{NUMBER}")
    refused = outsider.text
    await outsider.press_data("vr:open:HC-2026-000099")
    assert refused.replace(NUMBER, "X") == outsider.text.replace("HC-2026-000099", "X")
    assert "No verification request" in refused and "王芳" not in refused
    await outsider.press_data(f"vr:acc:{NUMBER}")
    assert "No verification request" in outsider.text
    await outsider.send("/requests")
    assert "No open verification requests." in outsider.text
    citizen = ChatUser(dispatcher, "1001")
    await citizen.send("/verify")
    assert "not available to you" in citizen.text
    await citizen.press_data(f"vr:open:{NUMBER}")
    assert "out of date" in citizen.text and "王芳" not in citizen.text

    await requester.send("/requests")
    assert "Open verification requests (1)" in requester.text
    await requester.press(NUMBER)
    assert DATA in requester.text and "State: Requested, not yet registered" in requester.text
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.recipient_ref).where(orm.outbox.c.kind.like("verification.%"))
        )
        assert set(rows.scalars()) == set()  # nobody of KW-GAJ (nor of the task force) is bound
    request = await svc.get_request(app.uow(), app.clock, SUPERVISOR, NUMBER)
    views = [(e.actor_ref, e.note) for e in request.audit if e.action == "view"]
    assert ("telegram:2001", "chat") in views and all(ref != "telegram:4001" for ref, _ in views)


async def test_the_issuing_unit_returns_a_request_outside_its_duty_and_a_unit_may_withdraw(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    requester = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    issuer = await bound(app, dispatcher, "3001", Role.STAFF, "KW-GAJ")
    await file_request(requester)
    [received] = await inbox(app, "telegram:3001")
    await requester.press_data(f"vr:acc:{NUMBER}")  # the requesting side cannot answer its own request
    assert "not allowed" in requester.text
    await issuer.press("Return", [received])
    assert "outside your unit's duty" in issuer.text
    await issuer.send("该证明由户籍所在地派出所开具")
    assert "returned with your reason" in issuer.text
    [answered] = await inbox(app, "telegram:2001")
    assert "returned request" in answered.text and "户籍所在地派出所" in answered.text

    # A second request, withdrawn before the issuing unit answers; the issuing unit is told.
    await file_request(requester)
    second = "HC-2026-000002"
    assert second in requester.text
    await requester.send("/requests")
    await requester.press(second)
    await requester.press("Withdraw")
    assert f"Request {second} is withdrawn" in requester.text
    told = (await inbox(app, "telegram:3001"))[-1]
    assert "withdrew verification request" in told.text and second in told.text
    await issuer.press("Consistent", (await inbox(app, "telegram:3001"))[1:2])
    assert "is now: Withdrawn" in issuer.text


async def test_a_unit_name_that_fits_several_units_offers_a_choice_and_cancel_keeps_nothing(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    issuer = await bound(app, dispatcher, "3001", Role.STAFF, "KW-GAJ")
    await issuer.send("/verify")
    await issuer.send("不存在的单位")
    assert "No unit matches" in issuer.text
    await issuer.send("行政审批服务局")
    assert "Please pick the unit" in issuer.text
    await issuer.press("潍城区行政审批服务局")
    assert "Noted: 潍城区行政审批服务局" in issuer.text
    await issuer.press("Cancel")
    assert "Cancelled. Nothing was changed." in issuer.text
    assert await svc.list_requests(app.uow(), SUPERVISOR) == []
    supervisor = await bound(app, dispatcher, "9001", Role.SUPERVISOR, None)
    await supervisor.send("/verify")
    assert "Only staff of a unit" in supervisor.text


async def test_an_overdue_request_alerts_both_units_and_the_task_force_once(
    app: Application, clock: FixedClock
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    requester = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await bound(app, dispatcher, "3001", Role.STAFF, "KW-GAJ")
    await bound(app, dispatcher, "9001", Role.SUPERVISOR, None)
    await file_request(requester)
    assert await svc.sweep_overdue(app.uow, clock) == 0
    clock.advance(timedelta(days=6))  # Tue 1 Dec 09:30: the time limit ended with Mon 30 Nov
    assert await svc.sweep_overdue(app.uow, clock) == 1
    assert await svc.sweep_overdue(app.uow, clock) == 0
    for ref in ("telegram:2001", "telegram:3001", "telegram:9001"):
        alerts = [r for r in await inbox(app, ref) if "past its time limit" in r.text]
        assert len(alerts) == 1, ref
        assert "2026-11-30" in alerts[0].text and "王芳" not in alerts[0].text
    supervisor = ChatUser(dispatcher, "9001")
    await supervisor.send("/requests")
    assert "Open verification requests (1):" in supervisor.text
    listed = supervisor.last[0].buttons[0][0].text
    assert listed.startswith(f"{NUMBER} KW-SPJ → KW-GAJ") and listed.endswith("🔴")


async def test_the_staff_menu_starts_a_request_and_lists_the_units_requests(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    requester = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await requester.send("/menu")
    await requester.press("Ask another unit to verify a proof")
    assert "5 short questions" in requester.text
    await requester.send("/cancel")
    await file_request(requester)
    await requester.send("/menu")
    await requester.press("Verification requests")
    assert NUMBER in requester.text or any(
        NUMBER in b.text for r in requester.last for row in r.buttons for b in row
    )
