"""Issue 13 items 11 and 12 from the task force's side, over aiogram and python-telegram-bot: overdue,
statistics, the report and notices are menu items; the overdue list puts the latest first with unit names,
working days late and a button to each late case; /stats labels every row; a routed complaint's card no
longer says the agency name matched several units."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access.invites import create_invite
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight_helpers import register_at, seed


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await seed(app, staff=False, supervisors=0)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


def shanghai(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, 0, tzinfo=UTC)


async def test_the_task_force_finds_late_cases_and_statistics_in_its_menu(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    later = await register_at(app, clock, shanghai(11, 16), "KW-SPJ", accept=True)  # due Mon 23rd
    latest = await register_at(app, clock, shanghai(11, 9), "WC-BDC", accept=True)  # due Mon 16th
    from dataclasses import replace

    from nocert_core.services.complaints import handling as svc
    from tests.integration.oversight_helpers import CITIZEN, draft

    unrouted = replace(draft("KW-SPJ"), agency_text="某个找不到的窗口", unit_code=None)
    await svc.register_complaint(app.uow(), clock, CITIZEN, unrouted)  # not routed yet
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=None, role=Role.SUPERVISOR)
    supervisor = TelegramChat(bot, 9401, name="专班王主任")
    await supervisor.send(f"/start {invite.code}")
    await supervisor.send("/menu")
    assert "⛔ 2 overdue · ⏰ 0 due by the next working day" in supervisor.text  # at a glance
    for item in ("Overdue", "Statistics", "Report", "Rectification notices"):
        supervisor.find_button(item)

    await supervisor.press("Overdue")
    text = supervisor.text
    assert "Most overdue first" in text
    assert text.index(f"{latest.number} · 潍城区不动产登记中心") < text.index(
        f"{later.number} · 奎文区行政审批服务局"
    )
    assert "working days late" in text
    await supervisor.press(latest.number)
    assert f"Complaint {latest.number}" in supervisor.text

    await supervisor.send("/menu")
    await supervisor.press("Statistics")
    assert "not yet routed 1" in supervisor.text
    assert "— 1" not in supervisor.text and "— 1" not in supervisor.text


async def test_from_a_late_case_the_task_force_presses_the_unit_issues_a_notice_and_reassigns_it(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    late = await register_at(app, clock, shanghai(11, 9), "KW-SPJ", accept=True)  # due Mon 16th: 7 late
    staff_invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code="KW-SPJ", role=Role.STAFF)
    new_unit_invite = await create_invite(
        app.uow(), app.clock, CLI_ADMIN, unit_code="WC-BDC", role=Role.STAFF
    )
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=None, role=Role.SUPERVISOR)
    clerk = TelegramChat(bot, 9402, name="奎文李科员")
    await clerk.send(f"/start {staff_invite.code}")
    other_clerk = TelegramChat(bot, 9403, name="潍城赵科员")
    await other_clerk.send(f"/start {new_unit_invite.code}")
    supervisor = TelegramChat(bot, 9401, name="专班王主任")
    await supervisor.send(f"/start {invite.code}")

    # The unit's own /case marks the case late.
    await clerk.send(f"/case {late.number}")
    assert "7 working days overdue" in clerk.text
    for absent in ("Press the unit", "Reassign"):
        assert absent not in str([m.buttons for m in clerk.last])

    # The task force opens it from the overdue list and presses the unit (催办).
    await supervisor.send("/menu")
    await supervisor.press("Overdue")
    await supervisor.press(late.number)
    assert "⛔ 7 working days overdue" in supervisor.text
    card = supervisor.last[-1]
    await supervisor.press("Press the unit")
    assert supervisor.edited_since(card)
    assert "Pressed 奎文区行政审批服务局" in supervisor.text and "recorded" in supervisor.text
    await bot.deliver_notifications()
    clerk.inbox()
    assert f"The task force presses your unit: complaint {late.number} is 7 working days late" in clerk.text
    assert clerk.find_button("Resolve")  # the pressed unit can act on it from the message
    async with app.uow() as uow:
        stored = await uow.complaints.get_by_number(late.number)
        assert stored is not None and [row.action for row in stored.audit].count("press") == 1
    await supervisor.press("Press the unit", [card])
    assert "already pressed" in supervisor.text  # once a day: the unit is not flooded

    # A rectification notice for the late unit: the unit and the complaint are already known.
    await supervisor.send(f"/case {late.number}")
    await supervisor.press("Rectification notice")
    assert "What is the issue" in supervisor.text
    await supervisor.send("投诉逾期未办结")
    await supervisor.send("三个工作日内办结并说明原因")
    await supervisor.send("3")
    assert "issued to KW-SPJ" in supervisor.text
    async with app.uow() as uow:
        notices = await uow.rectifications.list()
        assert [n.complaint_numbers for n in notices] == [[late.number]]

    # Reassign it to another unit: that unit's staff get it, the late unit is told it is no longer theirs.
    await supervisor.send(f"/case {late.number}")
    await supervisor.press("Reassign")
    assert "Reassign complaint" in supervisor.text
    await supervisor.send("潍城区不动产登记中心")
    await supervisor.press("潍城区不动产登记中心")
    assert "Routed to 潍城区不动产登记中心" in supervisor.text
    await bot.deliver_notifications()
    clerk.inbox()
    assert f"reassigned complaint {late.number} to 潍城区不动产登记中心" in clerk.text
    other_clerk.inbox()
    assert f"Complaint {late.number}" in other_clerk.text and other_clerk.find_button("Accept")
