"""Complaint intake through the dispatcher, as a chat client would drive it."""

from __future__ import annotations

import asyncio

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Actor, Role
from nocert_core.services.complaints import handling as svc
from tests.integration.chat_driver import FACTS, ChatUser, add_units, file_complaint


def citizen(app: Application, user_id: str = "1001", dispatcher: Dispatcher | None = None) -> ChatUser:
    return ChatUser(dispatcher or Dispatcher(app), user_id)


async def complaints_of(app: Application, user_id: str = "1001") -> list[svc.Complaint]:
    return list(await svc.list_complaints(app.uow(), Actor(f"telegram:{user_id}", Role.CITIZEN)))


async def test_a_complaint_goes_from_start_to_a_number_and_tells_who_handles_it_by_when(
    app: Application,
) -> None:
    await add_units(app)
    user = citizen(app)
    summary = await file_complaint(user)
    assert "Please check your complaint" in summary[0].text
    assert "奎文区行政审批服务局" in summary[0].text
    await user.press("Submit")
    assert "TS-2026-000001" in user.text
    assert "奎文区行政审批服务局" in user.text and "5 working days" in user.text
    [complaint] = await complaints_of(app)
    assert complaint.unit_code == "KW-SPJ" and complaint.complainant_phone == "13805361234"
    assert complaint.on_behalf_of is None
    async with app.uow() as uow:
        pending = await uow.outbox.pending()
    assert pending == []  # nobody of KW-SPJ is bound in chat: the task force gets it, and there is none yet


async def test_an_ambiguous_agency_is_chosen_by_button(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    await user.send("王芳")
    await user.send("13805361234")
    await user.send("行政审批服务局")
    assert "Several agencies match" in user.text
    await user.press("潍城区行政审批服务局")
    assert "Step 4 of 7" in user.text
    await user.send("Accept it without the proof")
    await user.send("It is exempt")
    await user.send(FACTS)
    await user.press("For someone else")
    await user.send("王小明")
    await user.press("Submit")
    [complaint] = await complaints_of(app)
    assert complaint.unit_code == "WC-SPJ" and complaint.on_behalf_of == "王小明"


async def test_an_agency_not_in_the_list_goes_to_the_task_force(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    await user.send("王芳")
    await user.send("13805361234")
    await user.send("某某不存在的单位")
    assert "could not find an agency" in user.text
    await user.press("Not in the list")
    assert "task force" in user.text
    await user.send("Accept it without the proof")
    await user.send("It is exempt")
    await user.send(FACTS)
    await user.press("For myself")
    await user.press("Submit")
    assert "task force will route it" in user.text
    [complaint] = await complaints_of(app)
    assert complaint.unit_code is None


async def test_wrong_input_gets_a_specific_answer_and_keeps_the_step(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    await user.send("12345678")
    assert "does not look like a name" in user.text and "Step 1 of 7" in user.text
    await user.send("王芳")
    await user.send("555-not-a-phone")
    assert "not a mainland mobile number" in user.text and "Step 2 of 7" in user.text
    await user.sticker()
    assert "only read text" in user.text and "Step 2 of 7" in user.text
    await user.send("x" * (app.settings.max_text_length + 1))
    assert "too long" in user.text and "Step 2 of 7" in user.text
    await user.send("/nonsense")
    assert "do not know the command /nonsense" in user.text and "Step 2 of 7" in user.text
    await user.send("0536-1234567")
    assert "Step 3 of 7" in user.text


async def test_vague_facts_get_concrete_follow_up_questions(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    for answer in ("王芳", "13805361234", "奎文区审批局", "Accept it without the proof", "It is exempt"):
        await user.send(answer)
    await user.send("they wanted a paper")
    assert "When did it happen" in user.text
    await user.send("2026-11-20 morning")
    assert "Where did it happen" in user.text
    await user.press("skip")
    assert "Which service" in user.text
    await user.send("food business licence")
    assert "Which certificate" in user.text
    await user.send("no-criminal-record certificate")
    assert "Step 7 of 7" in user.text
    await user.press("For myself")
    await user.press("Submit")
    [complaint] = await complaints_of(app)
    assert "When: 2026-11-20 morning" in complaint.facts
    assert "Document demanded: no-criminal-record certificate" in complaint.facts
    assert "Where" not in complaint.facts


async def test_edit_back_and_cancel_work_from_the_summary(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await file_complaint(user)
    await user.press("Edit")
    await user.press("Phone")
    assert "Current answer: 13805361234" in user.text
    await user.send("13912345678")
    assert "Please check your complaint" in user.text and "13912345678" in user.text
    await user.press("Back")
    assert "Step 7 of 7" in user.text
    await user.press("Cancel")
    assert "Nothing was submitted" in user.text
    assert await complaints_of(app) == []


async def test_cancel_in_the_middle_forgets_the_dialog(app: Application) -> None:
    user = citizen(app)
    await user.send("/complain")
    await user.send("王芳")
    await user.send("/cancel")
    assert "Nothing was submitted" in user.text
    await user.send("13805361234")  # no longer an answer to the phone step: free text outside a dialog
    assert "Step 3 of 7" not in user.text
    assert await complaints_of(app) == []


async def test_a_stale_button_is_answered_and_the_current_step_shown_again(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    first_step = list(user.last)
    await user.send("王芳")
    await user.press("Cancel", replies=first_step)  # a button of the name step, pressed at the phone step
    assert "out of date" in user.text and "Step 2 of 7" in user.text
    assert await complaints_of(app) == []


async def test_a_stale_button_after_a_restart_that_lost_the_dialog_is_answered(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    summary = await file_complaint(user)
    await user.send("/cancel")
    restarted = ChatUser(Dispatcher(app), "1001")
    await restarted.press("Submit", replies=summary)
    assert "out of date" in restarted.text
    assert await complaints_of(app) == []


async def test_a_restart_in_the_middle_of_a_dialog_resumes_it(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    await user.send("/complain")
    await user.send("王芳")
    restarted = ChatUser(Dispatcher(app), "1001")  # a new process: state comes from the database
    await restarted.send("13805361234")
    assert "Step 3 of 7" in restarted.text


async def test_a_redelivered_update_registers_nothing_twice_even_after_a_restart(app: Application) -> None:
    await add_units(app)
    user = citizen(app)
    summary = await file_complaint(user)
    data = user.button_data("Submit", summary)
    await user.press_data(data, update_id="777")
    assert "TS-2026-000001" in user.text
    assert await user.press_data(data, update_id="777") == []
    restarted = ChatUser(Dispatcher(app), "1001")
    assert await restarted.press_data(data, update_id="777") == []
    assert len(await complaints_of(app)) == 1


async def test_a_second_message_while_one_is_processed_waits_and_nothing_is_lost(app: Application) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    user = citizen(app, dispatcher=dispatcher)
    await user.send("/complain")
    other = ChatUser(dispatcher, "1001")
    await asyncio.gather(user.send("王芳"), other.send("13805361234"))
    await user.send("奎文区审批局")
    assert "Step 4 of 7" in user.text


async def test_the_language_follows_the_client_and_can_be_changed(app: Application) -> None:
    user = ChatUser(Dispatcher(app), "2002", language="zh-hans")
    await user.send("/start")
    assert "投诉" in user.text
    await user.send("/lang")
    await user.press("English")
    assert "Language set to English" in user.text
    await user.send("/help")
    assert "My complaints" in user.text
