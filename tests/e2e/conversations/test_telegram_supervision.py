"""The task force's side over real HTTP, once with aiogram and once with python-telegram-bot, each on SQLite
and PostgreSQL: a supervisor bound by an invite asks for /overdue, /stats and /report (photos and the
workbook arrive as files), issues a rectification notice in chat that reaches a staff member, who reports
on it; the supervisor accepts it, and when the follow-up check finds the problem back, reopens it with a
deadline of their choosing."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, date, datetime, timedelta

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock, local_date
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.rectification import RectificationStatus
from nocert_core.services.access.invites import create_invite
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.oversight.sweeps import run_sweeps
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight_helpers import SUPERVISOR, register_at, seed

SUPERVISOR_ID, STAFF_ID = 9101, 2101


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await seed(app, staff=False, supervisors=0)  # units only: people join by invite, in chat
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def join(bot: BotProcess, user_id: int, role: Role, unit_code: str | None = None) -> TelegramChat:
    invite = await create_invite(bot.app.uow(), bot.app.clock, CLI_ADMIN, unit_code=unit_code, role=role)
    chat = TelegramChat(bot, user_id, name="专班王主任" if role == Role.SUPERVISOR else "李强")
    await chat.send(f"/start {invite.code}")
    assert "You are now" in chat.text
    return chat


def shanghai(month: int, day: int, hour: int = 10) -> datetime:
    return datetime(2026, month, day, hour - 8, 0, tzinfo=UTC)


async def test_a_supervisor_sees_what_is_overdue_the_statistics_and_the_report_with_its_files(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    late = await register_at(app, clock, shanghai(11, 16), "KW-SPJ", accept=True)  # due Mon 23rd
    soon = await register_at(app, clock, shanghai(11, 19), "WC-BDC", accept=True)  # due Thu 26th
    waiting = await register_at(app, clock, shanghai(11, 25, 9), "GX-GAJ")
    supervisor = await join(bot, SUPERVISOR_ID, Role.SUPERVISOR)

    await supervisor.send("/overdue")
    overdue, _, tomorrow = supervisor.text.partition("Due on the next working day")
    assert "Overdue" in overdue and f"奎文区行政审批服务局: {late.number} (2026-11-23)" in overdue
    assert f"潍城区不动产登记中心: {soon.number} (2026-11-26)" in tomorrow
    assert waiting.number not in supervisor.text  # not accepted yet: no deadline running

    await supervisor.send("/stats")
    assert "This week (since 2026-11-23): 1" in supervisor.text  # from Monday 23rd: today's only
    assert "This month (since 2026-11-01): 3" in supervisor.text
    assert "奎文区行政审批服务局 1" in supervisor.text and "高新区公安分局 1" in supervisor.text
    assert "Accepted, being handled 2" in supervisor.text

    await supervisor.send("/report month")
    methods = [message.method for message in supervisor.last]
    assert methods == ["sendMessage", "sendPhoto", "sendPhoto", "sendPhoto", "sendDocument"]
    summary = supervisor.last[0].text
    assert "Report 2026-11-01–2026-11-25" in summary and "3 received" in summary
    for message in supervisor.last[1:]:
        assert message.file_name and message.file_bytes > 1000 and message.caption
    assert all(str(message.file_name).endswith(".png") for message in supervisor.last[1:4])
    workbook = supervisor.last[4]
    assert workbook.file_name is not None and workbook.file_name.endswith(".xlsx")


async def test_a_rectification_notice_issued_in_chat_is_reported_accepted_and_reopened(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    supervisor = await join(bot, SUPERVISOR_ID, Role.SUPERVISOR)
    staff = await join(bot, STAFF_ID, Role.STAFF, "KW-SPJ")

    await supervisor.send("/rectify")
    assert "Which unit" in supervisor.text
    await supervisor.send("奎文区行政审批服务局")
    assert "What is the issue" in supervisor.text
    await supervisor.send("窗口仍要求提交无犯罪记录证明")
    await supervisor.send("改为部门核验并公示")
    assert "Deadline in working days" in supervisor.text
    await supervisor.send("5")
    assert "issued to KW-SPJ, due 2026-12-02" in supervisor.text
    [notice] = await rect.list_notices(app.uow(), SUPERVISOR)

    await bot.deliver_notifications()
    [notified] = staff.inbox()
    assert notice.number in notified.text and "窗口仍要求提交无犯罪记录证明" in notified.text
    await staff.press("Report rectification")
    assert "rectification report" in staff.text
    await staff.send("已改为部门核验，窗口已培训并公示免提交清单")
    assert "Report sent to the task force (on time)" in staff.text

    await bot.deliver_notifications()
    [report] = supervisor.inbox()
    assert "KW-SPJ" in report.text or "奎文区" in report.text
    assert "窗口已培训" in report.text
    await supervisor.press("Accept")
    assert "Accepted" in supervisor.text
    await bot.deliver_notifications()
    [accepted] = staff.inbox()
    assert "accepted your rectification" in accepted.text and notice.number in accepted.text

    # The follow-up check (回头看) falls due; the problem is back: reopened with 8 working days, not 5.
    clock.set(clock.now() + timedelta(days=app.settings.rectification_follow_up_days, hours=1))
    await run_sweeps(app.uow, clock, hotspots=False)
    await bot.deliver_notifications()
    [follow_up] = supervisor.inbox()
    assert "Follow-up check" in follow_up.text
    await supervisor.press("Problem is back")
    await supervisor.send("抽查发现3号窗口又要求提交该证明")
    assert "Usually 5" in supervisor.text
    supervisor.find_button("5 working days")  # the default is one press away
    await supervisor.send("8")
    assert "Reopened. New deadline" in supervisor.text
    reopened = await rect.get_notice(app.uow(), SUPERVISOR, notice.number)
    assert reopened.status == RectificationStatus.RETURNED and reopened.working_days == 8
    calendar = await _calendar(app)
    today = local_date(clock.now(), app.settings.timezone)
    expected = calendar.deadline(today, 8).day
    assert local_date(reopened.deadline_at, app.settings.timezone) == expected
    assert expected.isoformat() in supervisor.text

    await bot.deliver_notifications()
    [sent_back] = staff.inbox()
    assert "sent back" in sent_back.text and expected.isoformat() in sent_back.text


async def test_reopening_takes_five_working_days_when_the_supervisor_presses_the_default(
    bot: BotProcess, app: Application, clock: FixedClock
) -> None:
    supervisor = await join(bot, SUPERVISOR_ID, Role.SUPERVISOR)
    notice = await rect.issue_notice(app.uow(), clock, SUPERVISOR, "KW-SPJ", "问题", "要求", 3)
    await rect.report_rectification(app.uow(), clock, CLI_ADMIN, notice.number, "已整改")
    await rect.accept_rectification(app.uow(), clock, SUPERVISOR, notice.number)
    clock.set(clock.now() + timedelta(days=app.settings.rectification_follow_up_days, hours=1))
    await run_sweeps(app.uow, clock, hotspots=False)
    await bot.deliver_notifications()
    supervisor.inbox()
    await supervisor.press("Problem is back")
    await supervisor.send("又出现了")
    await supervisor.press("5 working days")
    assert "Reopened. New deadline" in supervisor.text
    reopened = await rect.get_notice(app.uow(), SUPERVISOR, notice.number)
    assert reopened.working_days == 5
    calendar = await _calendar(app)
    today: date = local_date(clock.now(), app.settings.timezone)
    assert local_date(reopened.deadline_at, app.settings.timezone) == calendar.deadline(today, 5).day


async def _calendar(app: Application) -> WorkingDayCalendar:
    async with app.uow() as uow:
        return await uow.calendar.load()
