"""Issue 13 items 2, 4, 5, 8 and 9 from the user's side, over aiogram and python-telegram-bot: name and phone
offered from the last complaint, the share-contact button, a visible prefill from a guidance answer, the
complainant told of routing, return and extension (with reason and new deadline), no deadline line on an
ended complaint, English facts screened like Chinese ones, and a clerk's questions about the caller."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as complaint_service
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import FACTS, add_units
from tests.integration.guidance.test_guidance_chat import QUESTION, catalogue_with_units

ENGLISH_FACTS = (
    "On 20 November in the morning at window 3 of the Kuiwen service centre I applied for a food business "
    "licence; the clerk demanded a proof of no criminal record."
)


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def join(bot: BotProcess, user_id: int, role: Role, unit: str | None = None) -> TelegramChat:
    invite = await create_invite(bot.app.uow(), bot.app.clock, CLI_ADMIN, unit_code=unit, role=role)
    chat = TelegramChat(bot, user_id, name="李强")
    await chat.send(f"/start {invite.code}")
    return chat


async def file(user: TelegramChat, agency: str | None = "奎文区行政审批服务局", facts: str = FACTS) -> None:
    answers = ("Accept it without the proof", "The proof is on the exemption list", facts)
    for answer in (agency, *answers) if agency else answers:
        await user.send(answer)


async def test_the_second_complaint_offers_name_and_phone_and_english_facts_are_screened(
    bot: BotProcess, app: Application
) -> None:
    user = TelegramChat(bot, 1301)
    await user.send("/complain")
    await user.send("Wang Fang")
    await user.share_contact("+86 138 0536 1234")  # Telegram's share-contact button fills the phone
    assert "Step 3 of 7" in user.text
    await file(user, facts=ENGLISH_FACTS)
    assert "Step 7 of 7" in user.text  # named when, where, the service and the document: no follow-ups
    assert "Which certificate" not in user.text
    await user.press("For myself")
    await user.press("Submit")

    await user.send("/complain")
    assert "Wang Fang · 138****1234" in user.text
    await user.press("Use these")
    assert "Step 3 of 7" in user.text
    await user.send("/complain")
    await user.press("Enter new ones")
    assert "Step 1 of 7" in user.text
    complaints = await complaint_service.list_complaints(app.uow(), Actor("telegram:1301", Role.CITIZEN))
    [first] = complaints
    # a named proof demanded, the list cited only as the reason it should not have been: demanded_proof
    assert first.category == "demanded_proof" and first.screening is not None
    assert first.screening["admissible"] is True


async def test_told_of_routing_return_and_extension_and_no_deadline_once_rejected(
    bot: BotProcess, app: Application
) -> None:
    supervisor = await join(bot, 9301, Role.SUPERVISOR)
    staff = await join(bot, 2301, Role.STAFF, "KW-SPJ")
    citizen = TelegramChat(bot, 1302)
    await citizen.send("/complain")
    await citizen.send("王芳")
    await citizen.send("13805361234")
    await citizen.send("某某不存在的单位")
    await citizen.press("Not in the list")
    await file(citizen, agency=None)
    await citizen.press("For myself")
    await citizen.press("Submit")
    await bot.deliver_notifications()
    supervisor.inbox()
    await supervisor.press("Route")
    await supervisor.send("奎文区行政审批服务局")
    await supervisor.press("奎文区行政审批服务局")
    await bot.deliver_notifications()
    citizen.inbox()
    assert "The task force sent your complaint TS-2026-000001 to 奎文区行政审批服务局" in citizen.text

    staff.inbox()
    await staff.press("Not ours")
    await staff.send("This is the public security bureau's matter")
    await bot.deliver_notifications()
    citizen.inbox()
    assert (
        "not within its remit" in citizen.text
        and "task force is finding the responsible unit" in citizen.text
    )

    supervisor.inbox()
    await supervisor.press("Route")
    await supervisor.send("奎文区行政审批服务局")
    await supervisor.press("奎文区行政审批服务局")
    await bot.deliver_notifications()
    # The card they returned says where it went (edited in place); the new assignment is a new card.
    earlier, card = [message for message in staff.inbox() if "TS-2026-000001" in message.text]
    assert earlier.text.startswith("🔄 Routed by the task force to 奎文区行政审批服务局")
    assert "New complaint for your unit" in card.text
    await staff.press("Accept", [card])
    await staff.press("Request extension", [card])
    await staff.send("三")
    await staff.send("The archive must be searched by hand")
    await bot.deliver_notifications()
    supervisor.inbox()
    await supervisor.press("Approve")
    await bot.deliver_notifications()
    citizen.inbox()
    assert "extended by 3 working days" in citizen.text
    assert (
        "Reason: The archive must be searched by hand" in citizen.text
        and "new deadline is 2026-" in citizen.text
    )

    other = TelegramChat(bot, 1303)
    await other.send("/complain")
    await other.send("李雷")
    await other.send("13905361234")
    await file(other)
    await other.press("For myself")
    await other.press("Submit")
    await bot.deliver_notifications()
    [second] = [message for message in staff.inbox() if "TS-2026-000002" in message.text]
    await staff.press("Reject", [second])
    await staff.press("Not a no-proof matter")
    await staff.send("Out of our remit")
    assert "Not accepted" in staff.text and "working days after acceptance" not in staff.text


async def test_a_clerk_enters_a_callers_complaint_and_reads_about_the_caller(bot: BotProcess) -> None:
    clerk = await join(bot, 2302, Role.STAFF, "KW-SPJ")
    clerk.api.user(2302, language="zh-hans", first_name="李强")
    clerk.language = "zh-hans"
    await clerk.send("/lang")
    await clerk.press("中文")
    await clerk.send("/register")
    await clerk.press("电话")
    assert "来电人姓名" in clerk.text
    await clerk.send("王芳")
    await clerk.send("13805361234")
    assert "要求来电人提交证明" in clerk.text and "您" not in clerk.last[-1].text
    await clerk.send("奎文区行政审批服务局")
    assert "来电人的诉求" in clerk.text
    await clerk.send("不用证明直接办理")
    assert "来电人认为" in clerk.text
    await clerk.send("该证明已列入取消清单")
    assert "来电人遇到了什么情况" in clerk.text
    await clerk.send("去窗口办事被要求开证明")
    assert "来电人是什么时候遇到的" in clerk.text
    await clerk.press("跳过")
    await clerk.press("跳过")
    await clerk.press("跳过")
    assert "对方被要求提交什么证明" in clerk.text
    await clerk.send("无犯罪记录证明")
    assert "来电人是为自己投诉" in clerk.text
    await clerk.press("来电人本人")
    assert "请核对来电人的投诉" in clerk.text and "您的投诉" not in clerk.text


async def test_a_complaint_from_a_guidance_answer_shows_what_was_filled_in(
    bot: BotProcess, app: Application, tmp_path: Path
) -> None:
    await catalogue_with_units(app, tmp_path)
    user = TelegramChat(bot, 1304)
    await user.send("/start")
    await user.press("❓")
    await user.send(QUESTION)
    await user.press("file a complaint")
    assert "Already filled in from your question" in user.text
    assert "Agency: 潍坊市不动产登记中心" in user.text and "居民户口簿" in user.text
    await user.press("Change these")
    await user.send("王芳")
    await user.send("13805361234")
    assert "Step 3 of 7" in user.text  # the agency is asked again
