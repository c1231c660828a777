"""Issue 13, item 3 from the user's side, over aiogram and python-telegram-bot: a button press updates the
card it belongs to (editMessageText) instead of posting a new card under it, and an out-of-date card is
edited to say what became of its complaint."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import FACTS, add_units


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def test_the_back_button_of_a_step_updates_that_step(bot: BotProcess) -> None:
    user = TelegramChat(bot, 1201)
    await user.send("/complain")
    await user.send("王芳")
    [step2] = [message for message in user.last if "Step 2 of 7" in message.text]
    before = len(bot.api.messages_to(1201))
    await user.press("Back", [step2])
    assert user.edited_since(step2) and "Step 1 of 7" in step2.text and "Current answer: 王芳" in step2.text
    assert len(bot.api.messages_to(1201)) == before  # no second card under it


async def test_staff_card_is_updated_in_place_and_a_withdrawn_complaint_says_so(
    bot: BotProcess, app: Application
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    staff = TelegramChat(bot, 2201, name="李强")
    await staff.send(f"/start {invite.code}")
    citizen = TelegramChat(bot, 1202)
    await citizen.send("/complain")
    for answer in (
        "王芳",
        "13805361234",
        "奎文区行政审批服务局",
        "Accept it without the proof",
        "It is exempt",
    ):
        await citizen.send(answer)
    await citizen.send(FACTS)
    await citizen.press("For myself")
    summary = citizen.last[-1]
    await citizen.press("Submit")
    assert (
        citizen.edited_since(summary) and "TS-2026-000001" in summary.text
    )  # the summary became the receipt
    assert "Submit" not in [label for row in summary.buttons for label, _ in row]  # no second submit

    await bot.deliver_notifications()
    [assignment] = staff.inbox()
    await staff.press("Accept")
    assert staff.edited_since(assignment) and "Accepted" in assignment.text
    assert len(bot.api.messages_to(2201)) == 2  # the welcome and the card: nothing posted under it

    await citizen.send("/my")
    listing = citizen.last[-1]
    await citizen.press("TS-2026-000001")
    labels = [label for row in listing.buttons for label, _ in row]
    assert citizen.edited_since(listing) and "◀ My complaints" in labels
    await citizen.press("Withdraw")
    assert "cannot be resumed" in listing.text
    await citizen.press("Yes, end it")
    assert "has ended" in listing.text

    await staff.press("Resolve", [assignment])  # the card from before the withdrawal
    assert (
        staff.edited_since(assignment)
        and "out of date" in assignment.text
        and "Handling ended" in assignment.text
    )
