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
from nocert_core.services.invites import create_invite
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

    from nocert_core.services import complaints as svc
    from tests.integration.oversight_helpers import CITIZEN, draft

    unrouted = replace(draft("KW-SPJ"), agency_text="某个找不到的窗口", unit_code=None)
    await svc.register_complaint(app.uow(), clock, CITIZEN, unrouted)  # not routed yet
    invite = await create_invite(app.uow(), app.clock, CLI_ADMIN, unit_code=None, role=Role.SUPERVISOR)
    supervisor = TelegramChat(bot, 9401, name="专班王主任")
    await supervisor.send(f"/start {invite.code}")
    await supervisor.send("/menu")
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
