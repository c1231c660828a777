"""The issue's scripted conversations over real HTTP: once with aiogram, once with python-telegram-bot,
each on SQLite and PostgreSQL. A Telegram user types, presses buttons of the messages they received,
shares a contact or sends a sticker through the fake Bot API; the bot runs as `nocert run` runs it."""

from __future__ import annotations

import os
import uuid
from collections.abc import AsyncIterator

import pytest

from bot.telegram.redis_storage import RedisStateStorage
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as complaint_service
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import FACTS, add_units

REDIS_URL = os.environ.get("NOCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def complaints_of(app: Application, user_id: int) -> list[complaint_service.Complaint]:
    return list(
        await complaint_service.list_complaints(app.uow(), Actor(f"telegram:{user_id}", Role.CITIZEN))
    )


def staff_menu(bot: BotProcess, chat_id: int) -> list[str]:
    """The commands last set for this one chat (setMyCommands with a chat scope)."""
    chat_scoped = [entry for entry in bot.api.commands if (entry["scope"] or {}).get("chat_id") == chat_id]
    return [command["command"] for command in chat_scoped[-1]["commands"]] if chat_scoped else []


async def fill_in_complaint(user: TelegramChat, agency: str = "奎文区行政审批服务局") -> None:
    """From /start to the summary, answering every question well."""
    await user.send("/start")
    await user.press("Complain")
    await user.send("王芳")
    await user.send("13805361234")
    await user.send(agency)
    await user.send("Accept my application without the certificate")
    await user.send("The certificate is in the exemption catalogue")
    await user.send(FACTS)
    await user.press("For myself")
    assert "Please check your complaint" in user.text


async def test_a_complaint_goes_from_start_to_its_number(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1001)
    await user.send("/start")
    assert "No-Proof City" in user.text
    await user.press("Complain")
    assert "Step 1 of 7" in user.text
    await user.send("王芳")
    assert "Step 2 of 7" in user.text
    share = [message for message in user.last if message.reply_markup and "keyboard" in message.reply_markup]
    assert share and share[0].reply_markup is not None
    assert share[0].reply_markup["keyboard"][0][0]["request_contact"] is True
    await user.share_contact("+86 138 0536 1234")
    assert "Step 3 of 7" in user.text
    for answer in (
        "奎文区行政审批服务局",
        "Accept my application without the certificate",
        "The certificate is in the exemption catalogue",
        FACTS,
    ):
        await user.send(answer)
    await user.press("For myself")
    assert "Please check your complaint" in user.text and "奎文区行政审批服务局" in user.text
    await user.press("Submit")
    assert "TS-2026-000001" in user.text and "5 working days" in user.text
    [complaint] = await complaints_of(app, 1001)
    assert complaint.number == "TS-2026-000001"
    assert complaint.complainant_phone == "13805361234" and complaint.unit_code == "KW-SPJ"


async def test_staff_accept_and_resolve_it_and_the_citizen_rates_it(
    bot: BotProcess, app: Application
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2001, name="李强")
    await staff.send(f"/start {invite.code}")
    assert "You are now staff" in staff.text
    assert "queue" in staff_menu(bot, 2001)  # the staff member's own command menu

    citizen = TelegramChat(bot, 1001)
    await fill_in_complaint(citizen)
    await citizen.press("Submit")
    assert "TS-2026-000001" in citizen.text

    await bot.deliver_notifications()
    [assignment] = staff.inbox()
    assert "New complaint for your unit" in assignment.text and "TS-2026-000001" in assignment.text
    assert "13805361234" not in assignment.text  # masked until "view phone"
    await staff.press("Accept")
    assert "Accepted" in staff.text
    await bot.deliver_notifications()
    citizen.inbox()
    assert "was accepted" in citizen.text

    await staff.press("Resolve")
    assert "What is the result" in staff.text
    await staff.send("The hall now fetches the record itself; your licence was issued on 26 November.")
    assert "Resolved" in staff.text
    await bot.deliver_notifications()
    citizen.inbox()
    assert "is resolved" in citizen.text and "licence was issued" in citizen.text

    await citizen.press("★★★★★")
    assert "Anything you want to add" in citizen.text
    await citizen.press("Skip")
    assert "Thank you for rating" in citizen.text
    [complaint] = await complaints_of(app, 1001)
    assert complaint.status == ComplaintStatus.RESOLVED
    assert complaint.rating is not None and complaint.rating.score == 5


async def test_a_citizen_withdraws_a_complaint_after_confirming(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1001)
    await fill_in_complaint(user)
    await user.press("Submit")
    await user.send("/my")
    await user.press("TS-2026-000001")
    await user.press("Withdraw")
    assert "cannot be resumed" in user.text
    await user.press("Yes, end it")
    assert "has ended" in user.text
    [complaint] = await complaints_of(app, 1001)
    assert complaint.status == ComplaintStatus.TERMINATED


async def test_an_ambiguous_agency_is_chosen_by_button(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1001)
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
    await user.press("For myself")
    await user.press("Submit")
    [complaint] = await complaints_of(app, 1001)
    assert complaint.unit_code == "WC-SPJ"


async def test_bad_input_gets_a_specific_answer_and_keeps_the_step(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1001)
    await user.send("/complain")
    await user.send("王芳")
    await user.send("555-not-a-phone")
    assert "not a mainland mobile number" in user.text and "Step 2 of 7" in user.text
    await user.sticker()
    assert "only read text" in user.text and "sticker" in user.text and "Step 2 of 7" in user.text
    await user.send("1" * (app.settings.max_text_length + 1))
    assert "too long" in user.text and "Step 2 of 7" in user.text
    await user.send("0536-1234567")
    assert "Step 3 of 7" in user.text


async def test_cancel_in_the_middle_forgets_the_dialog(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1001)
    await user.send("/complain")
    await user.send("王芳")
    await user.press("Cancel")
    assert "Nothing was submitted" in user.text
    await user.send("13805361234")
    assert "Step" not in user.text  # not taken as the answer to the phone question
    assert await complaints_of(app, 1001) == []


async def test_a_restart_in_the_middle_of_a_dialog_resumes_it(bot: BotProcess) -> None:
    user = TelegramChat(bot, 1001)
    await user.send("/complain")
    await user.send("王芳")
    await bot.restart()
    await user.send("13805361234")
    assert "Step 3 of 7" in user.text


async def test_a_button_from_an_earlier_step_pressed_after_a_restart_is_out_of_date(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1001)
    await user.send("/complain")
    name_step = list(user.last)
    await user.send("王芳")
    await user.send("13805361234")
    await bot.restart()
    await user.press("Cancel", messages=name_step)
    assert "out of date" in user.text and "Step 3 of 7" in user.text
    await user.send("奎文区行政审批服务局")
    assert "Step 4 of 7" in user.text  # the dialog went on where it was


async def test_the_summary_button_of_a_cancelled_dialog_registers_nothing_after_a_restart(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1001)
    await fill_in_complaint(user)
    summary = list(user.last)
    await user.send("/cancel")
    await bot.restart()
    await user.press("Submit", messages=summary)
    assert "out of date" in user.text
    assert await complaints_of(app, 1001) == []


async def test_the_same_update_delivered_twice_registers_one_complaint(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1001)
    await fill_in_complaint(user)
    submit = await user.press_update("Submit")
    await user.settle(submit)
    assert "TS-2026-000001" in user.text
    assert await user.redeliver(submit, times=2) == []
    await bot.restart()
    assert await user.redeliver(submit, times=1) == []  # a new process: counted from its own start
    [complaint] = await complaints_of(app, 1001)
    assert complaint.number == "TS-2026-000001"


@pytest.mark.redis
@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_with_redis_the_dialog_lives_in_redis_and_survives_a_restart(
    framework: str, app: Application
) -> None:
    storage = await redis_storage_or_skip()
    try:
        async with FakeBotApi() as api, BotProcess(framework, app, api, storage) as process:
            user = TelegramChat(process, 1001)
            await user.send("/complain")
            await user.send("王芳")
            assert await storage.client.exists(storage.key("telegram:1001")) == 1
            await process.restart()
            await user.send("13805361234")
            assert "Step 3 of 7" in user.text
        async with app.uow() as uow:
            assert await uow.chat.load_state("telegram:1001") is None  # nothing of it in the database
    finally:
        await storage.client.delete(storage.key("telegram:1001"))
        await storage.close()


async def redis_storage_or_skip() -> RedisStateStorage:
    storage = RedisStateStorage.from_url(REDIS_URL, prefix=f"nocert-test:{uuid.uuid4().hex[:8]}:")
    try:
        await storage.ping()
    except Exception as error:  # any connection failure means: no Redis on this machine
        await storage.close()
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    return storage


async def test_bound_staff_get_their_command_menu_again_when_the_bot_starts(bot: BotProcess) -> None:
    invite = await create_invite(bot.app.uow(), bot.app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2001)
    await staff.send(f"/start {invite.code}")
    bot.api.commands.clear()
    await bot.restart()
    assert {"queue", "case", "register"} <= set(staff_menu(bot, 2001))
    assert staff_menu(bot, 1001) == []  # citizens keep the general menu


async def test_a_chinese_client_is_answered_in_chinese_with_chinese_buttons(bot: BotProcess) -> None:
    user = TelegramChat(bot, 1001, language="zh-hans")
    await user.send("/start")
    assert "无证明城市" in user.text and "No-Proof City" not in user.text
    await user.press("投诉")
    await user.send("王芳")
    share = [message for message in user.last if message.reply_markup and "keyboard" in message.reply_markup]
    assert share and share[0].reply_markup is not None
    assert share[0].reply_markup["keyboard"][0][0]["text"] == "📱 分享我的手机号码"
