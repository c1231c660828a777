"""The guidance conversation through the dispatcher (R1 questions, R3 Art.10 opinions, R3 Art.8 filings):
menu → question → follow-up buttons → a complaint pre-filled from the answer; recent changes and opinions
reaching the task force; staff filing an adjustment for their own unit only."""

from __future__ import annotations

from pathlib import Path

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.adjustments import AdjustmentType
from nocert_core.domain.outbox import OutboxMessage
from nocert_core.domain.units import Unit
from nocert_core.services.access.invites import create_invite
from nocert_core.services.catalogue import adjustments as catalogue_service
from nocert_core.services.catalogue.filing import KIND_FILED, KIND_OPINION
from nocert_core.services.catalogue.imports import import_catalogue
from nocert_core.services.complaints import handling as complaint_service
from tests.integration.chat_driver import ChatUser

QUESTION = "二手房过户还要带户口本吗"
CATALOGUE = (
    "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"
    "B-1,存量房转移登记,潍坊市不动产登记中心,居民户口簿,关联,R1第四条,\n"
    "B-1,存量房转移登记,潍坊市不动产登记中心,结婚证,电子证照关联,R1第四条,\n"
    "G-1,住房公积金提取,潍坊市住房公积金管理中心,居民户口簿,核验,R2第三条,\n"
    "S-1,食品经营许可,潍坊市行政审批服务局,从业人员健康证明,核验,R2第三条,\n"
)
SUPERVISORS = ("console:sv1", "console:sv2")


async def catalogue_with_units(app: Application, tmp_path: Path) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit("WF-BDC", "潍坊市不动产登记中心", aliases=["不动产中心"]))
        uow.units.add(Unit("WF-GJJ", "潍坊市住房公积金管理中心"))
        uow.units.add(Unit("WF-SPJ", "潍坊市行政审批服务局"))
        await uow.commit()
    path = tmp_path / "catalogue.csv"
    path.write_text(CATALOGUE, encoding="utf-8")
    await import_catalogue(app.uow(), app.clock, CLI_ADMIN, path, notify=False)
    async with app.uow() as uow:
        for ref in SUPERVISORS:
            uow.accounts.add(Account(ref, "console", ref.split(":")[1], "专班", role=Role.SUPERVISOR))
        await uow.commit()


async def outbox(app: Application, kind: str) -> list[OutboxMessage]:
    async with app.uow() as uow:
        return [message for message in await uow.outbox.pending(limit=500) if message.kind == kind]


async def asking(app: Application, tmp_path: Path, user_id: str = "1001", language: str = "en") -> ChatUser:
    await catalogue_with_units(app, tmp_path)
    user = ChatUser(Dispatcher(app), user_id, language=language)
    await user.send("/start")
    await user.press("❓")
    assert "二手房过户还要带户口本吗" in user.text  # the example question of the prompt
    return user


async def staff_of(app: Application, dispatcher: Dispatcher, user_id: str, unit: str) -> ChatUser:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=unit, role=Role.STAFF)
    user = ChatUser(dispatcher, user_id)
    await user.send(f"/start {invite.code}")
    assert "You are now staff" in user.text
    return user


async def test_a_question_from_the_menu_is_answered_with_follow_up_buttons(
    app: Application, tmp_path: Path
) -> None:
    user = await asking(app, tmp_path)
    await user.send(QUESTION)
    assert "no longer need to bring 居民户口簿" in user.text and "存量房转移登记" in user.text
    await user.press("Other documents for this service")
    assert "存量房转移登记" in user.text and "结婚证" in user.text and "居民户口簿" in user.text
    assert "住房公积金提取" not in user.text
    await user.send(QUESTION)
    await user.press("Other services accepting this certificate")
    assert "住房公积金提取" in user.text and "存量房转移登记" in user.text
    assert "食品经营许可" not in user.text


async def test_they_still_asked_me_for_it_starts_a_complaint_pre_filled_from_the_answer(
    app: Application, tmp_path: Path
) -> None:
    user = await asking(app, tmp_path)
    await user.send(QUESTION)
    await user.press("file a complaint")
    assert "Step 1 of 7" in user.text
    await user.send("王芳")
    await user.send("13805361234")
    assert "Step 5 of 7" in user.text  # agency and demand came from the answer
    await user.send("The catalogue exempts it")
    await user.send("2026年11月20日上午在不动产登记中心3号窗口办理存量房转移登记，被要求提交居民户口簿原件")
    await user.press("For myself")
    assert "Agency: 潍坊市不动产登记中心" in user.text and "submit 居民户口簿" in user.text
    await user.press("Submit")
    assert "TS-2026-000001" in user.text
    [complaint] = await complaint_service.list_complaints(app.uow(), Actor("telegram:1001", Role.CITIZEN))
    assert complaint.unit_code == "WF-BDC" and "居民户口簿" in complaint.demand


async def test_an_opinion_on_a_recent_change_reaches_every_supervisor(
    app: Application, tmp_path: Path
) -> None:
    user = await asking(app, tmp_path)
    await user.press("What changed recently")
    assert "Recent changes to the catalogue" in user.text and "存量房转移登记 — 结婚证" in user.text
    await user.press("Opinion on change 2")
    await user.send("x")
    assert "The field Opinion is required." in user.text and "Type your opinion" in user.text
    await user.send("户口簿取消后窗口还在要")
    assert "passed to the task force" in user.text
    messages = await outbox(app, KIND_OPINION)
    assert sorted(m.recipient_ref for m in messages) == sorted(SUPERVISORS)
    assert {m.payload["text"] for m in messages} == {"户口簿取消后窗口还在要"}
    assert all("telegram:1001" not in str(m.payload) for m in messages)  # the author stays private


async def test_a_chinese_user_reads_the_opinion_field_in_chinese(app: Application, tmp_path: Path) -> None:
    user = await asking(app, tmp_path, language="zh_Hans")
    await user.press("🆕")
    await user.press("💬")
    await user.send("x")
    assert "“意见”为必填项。" in user.text and "opinion" not in user.text.lower()


async def test_staff_file_an_adjustment_for_their_own_unit_and_not_for_another(
    app: Application, tmp_path: Path
) -> None:
    await catalogue_with_units(app, tmp_path)
    dispatcher = Dispatcher(app)
    own = await staff_of(app, dispatcher, "2001", "WF-BDC")
    other = await staff_of(app, dispatcher, "2002", "WF-GJJ")
    for staff, certificate in ((own, "结婚证"), (other, "居民户口簿")):
        await staff.send("/adjust")
        await staff.press("Cancel an entry")
        await staff.send("B-1")
        await staff.send(certificate)
        await staff.send("省政府决定取消")
        await staff.press("Today")
        assert f"Certificate: {certificate}" in staff.text
        await staff.press("File it")
    assert "filed and the task force notified" in own.text
    assert "You are not allowed to do that." in other.text and "File this adjustment?" in other.text
    filed = [
        a for a in await catalogue_service.list_adjustments(app.uow()) if a.kind == AdjustmentType.CANCEL
    ]
    assert [(a.certificate, a.filed_by, a.unit_code) for a in filed] == [
        ("结婚证", "telegram:2001", "WF-BDC")
    ]
    notices = await outbox(app, KIND_FILED)
    assert sorted(m.recipient_ref for m in notices) == sorted(SUPERVISORS)
    assert {m.payload["certificate"] for m in notices} == {"结婚证"}


async def test_a_citizen_cannot_file_an_adjustment(app: Application, tmp_path: Path) -> None:
    user = await asking(app, tmp_path)
    await user.send("/adjust")
    assert "The command /adjust is not available to you." in user.text


async def test_sibling_services_are_asked_about_with_buttons_and_none_of_these(
    app: Application, tmp_path: Path
) -> None:
    await catalogue_with_units(app, tmp_path)
    path = tmp_path / "siblings.csv"
    path.write_text(
        CATALOGUE
        + "G-2,住房公积金提取（租房）,潍坊市住房公积金管理中心,结婚证,核验,R2第三条,\n"
        + "G-3,住房公积金提取（购房）,潍坊市住房公积金管理中心,结婚证,核验,R2第三条,\n",
        encoding="utf-8",
    )
    await import_catalogue(app.uow(), app.clock, CLI_ADMIN, path, notify=False)
    user = ChatUser(Dispatcher(app), "1002", language="en")
    await user.send("/start")
    await user.press("❓")
    await user.send("公积金提取要带结婚证吗")
    assert "Which one do you mean?" in user.text and "(租房)" in user.text and "(购房)" in user.text
    await user.press("住房公积金提取(租房)")
    assert "no longer need to bring 结婚证" in user.text and "住房公积金提取(租房)" in user.text
    await user.send("公积金提取要带结婚证吗")
    await user.press("None of these")
    assert "in other words" in user.text
    await user.send("Do I need a marriage certificate to withdraw my housing provident fund for renting?")
    assert "no longer need to bring 结婚证" in user.text  # asked in English, answered in English
