"""Issue 13 items 3, 10 and 12 from the user's side, over aiogram and python-telegram-bot: a card already
delivered is edited when its complaint changes (a colleague accepted it, the complainant withdrew it, the task
force reassigned it), and a reminder about a complaint that moved on before it went out is never sent."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import select

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.sweep import sweep_complaints
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, draft, register_at, seed, staff_actor


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await seed(app, staff=False, supervisors=0)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def bound(
    bot: BotProcess, app: Application, user_id: int, unit: str | None, role: Role
) -> TelegramChat:
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=unit, role=role)
    chat = TelegramChat(bot, user_id, name=f"user{user_id}")
    await chat.send(f"/start {invite.code}")
    return chat


async def test_an_assignment_card_says_when_a_colleague_accepted_it_and_when_the_complainant_withdrew_it(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    citizen = TelegramChat(bot, 1001, language="zh-hans", name="王芳")  # CITIZEN's chat: telegram:1001
    await citizen.send("你好")
    li = await bound(bot, app, 9501, "KW-SPJ", Role.STAFF)
    zhao = await bound(bot, app, 9502, "KW-SPJ", Role.STAFF)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft("KW-SPJ"))
    await bot.deliver_notifications()
    li_card = [m for m in li.inbox() if f"Complaint {complaint.number}" in m.text][-1]
    zhao_card = [m for m in zhao.inbox() if f"Complaint {complaint.number}" in m.text][-1]
    assert "New complaint for your unit" in zhao_card.text

    await li.press("Accept", [li_card])  # 李 accepts on his card: it is updated in place (his own press)
    assert li.edited_since(li_card) and "Resolve" in str(li_card.buttons)
    await bot.deliver_notifications()
    zhao.inbox()
    assert zhao.edited_since(zhao_card)  # 赵's copy no longer offers Accept / Reject
    assert "Changed since this message" in zhao_card.text and "Accepted, being handled" in zhao_card.text
    assert [label for row in zhao_card.buttons for label, _ in row] == ["Open the current case"]
    assert "New complaint for your unit" not in zhao_card.text

    def edits_of_li() -> int:
        return bot.api.edit_log.count((9501, li_card.message_id))

    before = edits_of_li()

    # The complainant withdraws it by words and buttons; 李's card (the one he worked on) says so.
    await citizen.send("我的投诉")
    await citizen.press(complaint.number)
    await citizen.press("撤回")
    await citizen.press("是")
    assert "已撤回" in citizen.text or "终止" in citizen.text
    await bot.deliver_notifications()
    li.inbox()
    assert edits_of_li() == before + 1
    assert li_card.text.startswith("🔄 Withdrawn: the complainant withdrew this complaint")
    assert "Resolve" not in str(li_card.buttons)
    assert f"Complaint {complaint.number} has ended" in li.text  # the message telling him, as before
    await li.press("Open the current case", [li_card])
    assert "Status: Handling ended" in li.text


async def test_a_reassigned_case_edits_the_old_units_card_and_nothing_opens_there(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    li = await bound(bot, app, 9501, "KW-SPJ", Role.STAFF)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft("KW-SPJ"))
    await bot.deliver_notifications()
    card = [m for m in li.inbox() if f"Complaint {complaint.number}" in m.text][-1]
    await svc.route_complaint(app.uow(), clock, SUPERVISOR, complaint.number, "WC-BDC")
    await bot.deliver_notifications()
    li.inbox()
    assert li.edited_since(card)
    assert "Reassigned by the task force to 潍城区不动产登记中心" in card.text and card.buttons == []


def shanghai(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, 0, tzinfo=UTC)


async def test_a_reminder_about_a_complaint_that_moved_on_before_it_was_sent_is_not_sent(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    li = await bound(bot, app, 9501, "KW-SPJ", Role.STAFF)
    chief = await bound(bot, app, 9601, None, Role.SUPERVISOR)
    late = await register_at(app, clock, shanghai(11, 9), "KW-SPJ", accept=True)  # overdue since the 16th
    waiting = await register_at(app, clock, shanghai(11, 20), "KW-SPJ", accept=True)
    clock.set(shanghai(11, 23))
    await svc.request_extension(app.uow(), clock, staff_actor("KW-SPJ", 1), waiting.number, 3, "需调取档案")
    await bot.deliver_notifications()
    li.inbox(), chief.inbox()
    clock.set(shanghai(11, 25, 11))
    result = await sweep_complaints(app.uow, clock)
    assert result.marked.get("overdue") == 1 and result.marked.get("extension") == 1
    # Before the outbox goes out: the late one is resolved, the extension decided.
    await svc.resolve_complaint(app.uow(), clock, staff_actor("KW-SPJ", 1), late.number, "已改为部门核验")
    await svc.decide_extension(app.uow(), clock, SUPERVISOR, waiting.number, True)
    await bot.deliver_notifications()
    seen = li.inbox() + chief.inbox()
    text = "\n".join(m.text for m in seen)
    assert f"Complaint {late.number} is overdue" not in text
    assert waiting.number not in text or "undecided" not in text.lower()
    async with app.uow() as uow:
        rows = (
            await uow.session.execute(
                select(orm.outbox.c.kind, orm.outbox.c.status).where(orm.outbox.c.kind.like("alert.%"))
            )
        ).all()
    assert {(kind, str(status)) for kind, status in rows} >= {
        ("alert.overdue", "superseded"),
        ("alert.extension_undecided", "superseded"),
    }
