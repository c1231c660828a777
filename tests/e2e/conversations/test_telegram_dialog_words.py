"""Issue 13, items 1–2 from the user's side, over aiogram and python-telegram-bot: the words people type
(取消, 返回, 菜单, 重新开始 and cancel/back/menu/restart) at any step of any dialog, phone numbers typed with
full-width digits and spaces, Chinese numerals where a number is asked, and drafts kept on /menu or /start."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as complaint_service
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import FACTS, add_units


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def filed(app: Application, user_id: int) -> list[complaint_service.Complaint]:
    return list(
        await complaint_service.list_complaints(app.uow(), Actor(f"telegram:{user_id}", Role.CITIZEN))
    )


async def test_chinese_words_cancel_go_back_restart_and_open_the_menu(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1101, language="zh-hans")
    await user.send("/start")
    await user.press("投诉")
    assert "第 1/7 步" in user.text
    await user.send("取消")  # not taken as the complainant's name
    assert "已取消" in user.text and "第 2/7 步" not in user.text

    await user.press("投诉")
    await user.send("王芳")
    assert "第 2/7 步" in user.text
    await user.send("返回")  # not "too short" for a phone number
    assert "第 1/7 步" in user.text and "太短" not in user.text
    await user.send("王芳")
    await user.send("１３８ ０５３６ １２３４")  # full-width digits and spaces
    assert "第 3/7 步" in user.text
    await user.send("上一步")
    assert "第 2/7 步" in user.text
    await user.send("138 0536 1234")
    await user.send("奎文区行政审批服务局")
    assert "第 4/7 步" in user.text
    await user.send("重新开始")
    assert "从头重新开始" in user.text and "第 1/7 步" in user.text

    await user.send("王芳")
    await user.send("菜单")  # a draft is not dropped silently
    assert "还没有填完" in user.text
    await user.press("继续填写")
    assert "第 2/7 步" in user.text
    await user.send("/menu")
    assert "还没有填完" in user.text
    await user.press("放弃")
    assert "已放弃" in user.text
    user.find_button("投诉")  # the menu
    await user.press("投诉")
    assert "第 1/7 步" in user.text and "当前填写" not in user.text  # the discarded draft is gone
    await user.send("王芳")
    await user.send("不投诉了")
    assert "已取消" in user.text
    assert await filed(app, 1101) == []


async def test_english_words_and_start_in_the_middle_keep_the_draft(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1102)
    await user.send("/start")
    await user.press("Complain")
    await user.send("Wang Fang")
    await user.send("back")
    assert "Step 1 of 7" in user.text and "too short" not in user.text
    await user.send("Wang Fang")
    await user.send("/start")
    assert "not finished" in user.text
    await user.press("Continue")
    assert "Step 2 of 7" in user.text
    await user.send("13805361234")
    await user.send("restart")
    assert "Step 1 of 7" in user.text
    await user.send("Menu")
    assert "What would you like to do" in user.text  # nothing answered since the restart: just the menu
    await user.press("Complain")
    await user.send("Cancel.")
    assert "Cancelled" in user.text and "Nothing was submitted" in user.text
    assert await filed(app, 1102) == []


async def test_staff_words_and_a_chinese_numeral_for_the_extension_days(
    bot: BotProcess, app: Application
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2101, language="zh-hans", name="李强")
    await staff.send(f"/start {invite.code}")
    citizen = TelegramChat(bot, 1103, language="zh-hans")
    await citizen.send("/complain")
    for answer in (
        "王芳",
        "13805361234",
        "奎文区行政审批服务局",
        "不用证明直接办理",
        "该证明已列入取消清单",
        FACTS,
    ):
        await citizen.send(answer)
    await citizen.press("为自己投诉")
    await citizen.press("提交")
    await bot.deliver_notifications()
    staff.inbox()
    await staff.press("受理")
    await staff.press("延期")
    await staff.send("返回")  # leaves the extension request, nothing asked for
    assert "这已经是第一步了" in staff.text
    await staff.press("延期", [m for m in bot.api.messages_to(2101) if m.buttons])
    await staff.send("五")  # a Chinese numeral where a number is asked
    assert "为什么需要再延长 5 个工作日" in staff.text
    await staff.send("取消")
    assert "已取消" in staff.text
    [complaint] = await filed(app, 1103)
    assert complaint.extension_days is None  # cancelled: nothing was requested


async def test_typing_the_words_of_a_button_presses_it(bot: BotProcess, app: Application) -> None:
    user = TelegramChat(bot, 1104, language="zh-hans")
    await user.send("/complain")
    for answer in (
        "王芳",
        "13805361234",
        "奎文区行政审批服务局",
        "不用证明直接办理",
        "该证明已列入取消清单",
        FACTS,
    ):
        await user.send(answer)
    await user.send("为自己投诉")  # the whole label of a button in the step
    assert "请核对您的投诉" in user.text
    await user.send("提交")
    assert "TS-2026-000001" in user.text
    await user.send("我的投诉")
    assert "您的投诉（最新的在前）" in user.text
    await user.send("TS-2026-000001")
    await user.send("撤回")
    assert "确定撤回投诉 TS-2026-000001 吗" in user.text
    await user.send("是")
    [complaint] = await filed(app, 1104)
    assert complaint.status == "terminated"
