"""Issue 13, "Done when": a fresh person files, follows, withdraws and rates a complaint, and a window clerk
enters one for a caller, by typing only natural words — no slash command, no number of a button, no help
read — in Chinese and in English, over aiogram and python-telegram-bot."""

from __future__ import annotations

from collections.abc import AsyncIterator
from dataclasses import dataclass

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as svc
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight_helpers import seed, staff_actor


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await seed(app, staff=False, supervisors=0)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


@dataclass(frozen=True)
class Words:
    """What a person types at each point, and a few words of what they must read back."""

    language: str
    hello: str
    complain: str
    name: str
    phone: str
    agency: str
    demand: str
    reasons: str
    facts: str
    for_myself: str
    submit: str
    registered: str
    follow: str
    withdraw: str
    yes: str
    ended: str
    reuse: str
    rate: str
    comment: str
    thanked: str
    clerk_register: str
    clerk_channel: str
    clerk_for_caller: str
    clerk_done: str


ZH = Words(
    "zh-hans",
    "你好",
    "我要投诉",
    "李丽",
    "１３８ ０５３６ ５６７８",
    "奎文区行政审批服务局",
    "不再要求我提交无犯罪记录证明",
    "无犯罪记录证明已列入免提交清单",
    "前天上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我先去派出所开无犯罪记录证明",
    "自己",
    "提交",
    "您的投诉已登记",
    "投诉进度",
    "撤回",
    "是",
    "已终止",
    "用这些",
    "五星",
    "办得很快，谢谢",
    "感谢您对投诉",
    "登记来电投诉",
    "电话",
    "来电人本人",
    "请把编号告知来电人",
)
EN = Words(
    "en",
    "hello",
    "I want to complain",
    "John Smith",
    "138 0536 5678",
    "Kuiwen District Administrative Approval Bureau",
    "Stop asking me for the no-criminal-record certificate",
    "The certificate is on the exemption list",
    "The day before yesterday at window 3 of the Kuiwen service centre, applying for a food business "
    "licence, the clerk asked me for a no-criminal-record certificate from the police station",
    "myself",
    "submit",
    "Your complaint is registered",
    "my complaints",
    "withdraw",
    "yes",
    "has ended",
    "use these",
    "5 stars",
    "quick, thanks",
    "Thank you for rating",
    "register a complaint for a caller",
    "phone",
    "for the caller",
    "Give the caller this number",
)


async def file_a_complaint(person: TelegramChat, words: Words, reuse: bool = False) -> str:
    await person.send(words.complain)
    if reuse:
        await person.send(words.reuse)
    else:
        await person.send(words.name)
        await person.send(words.phone)
    for answer in (words.agency, words.demand, words.reasons, words.facts, words.for_myself, words.submit):
        await person.send(answer)
    assert words.registered in person.text, person.text
    number = next(part for part in person.text.replace("。", " ").split() if part.startswith("TS-"))
    return number.rstrip(".,，")


@pytest.mark.parametrize("words", [ZH, EN], ids=["zh", "en"])
async def test_a_fresh_person_files_follows_withdraws_and_rates_by_typing_words(
    bot: BotProcess, app: Application, clock: FixedClock, words: Words
) -> None:
    person = TelegramChat(bot, 7001, language=words.language, name=words.name)
    first = await file_a_complaint(person, words)

    await person.send(words.follow)  # "投诉进度" / "my complaints": the list
    assert first in person.text or any(first in str(m.buttons) for m in person.last)
    await person.send(first)  # the number typed: its details
    await person.send(words.withdraw)
    await person.send(words.yes)
    assert words.ended in person.text
    async with app.uow() as uow:
        withdrawn = await uow.complaints.get_by_number(first)
        assert withdrawn is not None and withdrawn.status.value == "terminated"

    second = await file_a_complaint(person, words, reuse=True)  # name and phone offered again
    clerk = staff_actor("KW-SPJ", 1)
    await svc.accept_complaint(app.uow(), clock, clerk, second)
    await svc.resolve_complaint(app.uow(), clock, clerk, second, "已改为部门核验，申请已受理")
    await bot.deliver_notifications()
    person.inbox()
    await person.send(words.rate)  # "五星" / "5 stars" rates the complaint that waits for it
    await person.send(words.comment)
    assert words.thanked in person.text
    async with app.uow() as uow:
        rated = await uow.complaints.get_by_number(second)
        assert rated is not None and rated.rating is not None
        assert (rated.rating.score, rated.rating.comment) == (5, words.comment)


@pytest.mark.parametrize("words", [ZH, EN], ids=["zh", "en"])
async def test_a_window_clerk_enters_a_callers_complaint_by_typing_words(
    bot: BotProcess, app: Application, words: Words
) -> None:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    clerk = TelegramChat(bot, 7101, language=words.language, name="窗口王")
    await clerk.send(f"/start {invite.code}")  # the invite link opens the chat with this; nothing typed
    await clerk.send(words.clerk_register)
    await clerk.send(words.clerk_channel)
    await clerk.send("张伟")
    await clerk.send("0536-8881234")
    for answer in (
        words.agency,
        words.demand,
        words.reasons,
        words.facts,
        words.clerk_for_caller,
        words.submit,
    ):
        await clerk.send(answer)
    assert words.clerk_done in clerk.text, clerk.text
    async with app.uow() as uow:
        entered = await uow.complaints.list(statuses=None)
    assert [(c.complainant_name, c.channel.value, c.registered_by) for c in entered] == [
        ("张伟", "hotline", "telegram:7101")
    ]
