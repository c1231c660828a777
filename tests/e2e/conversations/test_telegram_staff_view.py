"""Issue 13 items 6, 7, 10 and 14 (/case) from the staff side, over aiogram and python-telegram-bot: relative
dates shown as dates next to the citizen's own words, the citizen's text shown exactly as written, the
to-do list sorted by deadline with overdue / due-today marks, /case with a short number."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from pathlib import Path

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import add_units
from tests.integration.guidance.test_guidance_chat import (
    KIND_OPINION,
    SUPERVISORS,
    catalogue_with_units,
    outbox,
)

RELATIVE_FACTS = (
    "前天上午在奎文区政务服务中心３号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明；上周三也去过一次"
)


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def file(bot: BotProcess, user_id: int, facts: str) -> None:
    citizen = TelegramChat(bot, user_id)
    await citizen.send("/complain")
    for answer in (
        "王芳",
        "13805361234",
        "奎文区行政审批服务局",
        "不用证明直接办理",
        "该证明已列入取消清单",
        facts,
    ):
        await citizen.send(answer)
    await citizen.press("For myself")
    await citizen.press("Submit")


async def test_staff_read_dates_and_the_citizens_own_words(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2401, name="李强")
    await staff.send(f"/start {invite.code}")
    await file(bot, 1401, RELATIVE_FACTS)
    await bot.deliver_notifications()
    [card] = staff.inbox()
    assert RELATIVE_FACTS in card.text  # full-width "，" and "３" exactly as the citizen wrote them
    today = clock.now().date()  # the test clock's day is the registration day (Shanghai = UTC day here)
    two_days_ago = (today - timedelta(days=2)).isoformat()
    assert f"“前天上午” = {two_days_ago}" in card.text
    assert "“上周三” = 20" in card.text

    await staff.send("/case 1")  # the short number
    assert "Complaint TS-2026-000001" in staff.text


async def test_the_to_do_list_is_sorted_by_deadline_with_marks(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2402, name="李强")
    await staff.send(f"/start {invite.code}")
    facts = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
    await file(bot, 1402, facts)
    await bot.deliver_notifications()
    [first] = staff.inbox()
    await staff.press("Accept", [first])
    clock.advance(timedelta(days=3))
    await file(bot, 1403, facts)
    await bot.deliver_notifications()
    [second] = staff.inbox()
    await staff.press("Accept", [second])
    await file(bot, 1404, facts)  # not accepted yet: no deadline
    clock.advance(timedelta(days=5))  # the first is now late, the second due about now
    await staff.send("/queue")
    rows = [label for message in staff.last for row in message.buttons for label, _ in row if "TS-" in label]
    assert [row.split(" · ")[0] for row in rows] == ["TS-2026-000001", "TS-2026-000002", "TS-2026-000003"]
    assert "working days overdue" in rows[0] and "⛔" in rows[0]
    assert "overdue" not in rows[2] and "due" not in rows[2]


async def test_an_opinion_reaches_the_task_force_exactly_as_written(app: Application, tmp_path: Path) -> None:
    await catalogue_with_units(app, tmp_path)
    async with FakeBotApi() as api:
        for framework, user_id in zip(FRAMEWORKS, (1405, 1406), strict=True):
            async with BotProcess(framework, app, api) as bot:
                user = TelegramChat(bot, user_id)
                await user.send("/start")
                await user.press("❓")
                await user.press("What changed recently")
                await user.press("Opinion on change 2")
                await user.send(f"户口簿取消后，窗口还在要（{framework}）")
                assert "passed to the task force" in user.text
    texts = {message.payload["text"] for message in await outbox(app, KIND_OPINION)}
    assert texts == {"户口簿取消后，窗口还在要（aiogram）", "户口簿取消后，窗口还在要（ptb）"}
    assert len(SUPERVISORS) == 2
