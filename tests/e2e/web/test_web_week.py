"""Issue 14's "done when", in a real browser (Debian's chromium via Playwright) over the demo data: a
supervisor runs a week from the browser alone — routes a complaint, decides an extension, presses the late
unit, issues a rectification notice, exports the register — and a unit clerk handles complaints from it;
after each step the citizen's chat message is in the outbox, read here through the chat's own renderer."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook
from sqlalchemy import func, select

from bot.web.server import start_web
from handlers.renderers import render as render_message
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application, load_demo, open_application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaints import Channel
from nocert_core.i18n import translator
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.complaints import handling as svc
from nocert_core.settings import Settings
from tests.e2e.web.web_browser import Browsing, browser, browser_tests, sign_in

pytestmark = browser_tests()
CITIZEN = Actor(ref="telegram:778001", role=Role.CITIZEN, name="赵敏")
UNIT = "WF-SPJ"  # 潍坊市行政审批服务局 in the demo units
CLERK = f"console:staff-{UNIT}"
MONDAY = datetime(2026, 11, 23, 1, 30, tzinfo=UTC)  # 09:30 in Weifang
NEXT_TUESDAY = datetime(2026, 12, 1, 1, 30, tzinfo=UTC)  # the first complaint's deadline (Mon 11-30) passed


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Application, FixedClock, str]]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'week.db'}",
        web_secret="browser-week",
        redis_url=None,
        telegram_token=None,
        max_complaints_per_day=0,
    )
    clock = FixedClock(MONDAY)
    application = await open_application(settings, clock)
    await load_demo(application)
    runner = await start_web(application, "127.0.0.1:0")
    try:
        yield application, clock, f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()
        await application.close()


async def _file(app: Application, agency: str, unit_code: str | None, facts: str) -> str:
    """The citizen files in chat (not the browser's part): the same service the intake ends in."""
    draft = svc.ComplaintDraft(
        complainant_name="赵敏",
        complainant_phone="13705361234",
        agency_text=agency,
        demand="撤回要求提交的证明",
        reasons="该证明已列入免提交清单，可部门核验",
        facts=facts,
        channel=Channel.TELEGRAM,
        unit_code=unit_code,
    )
    return (await svc.register_complaint(app.uow(), app.clock, CITIZEN, draft)).number


class Chat:
    """What the citizen has been sent in chat since the last look, rendered as the bot renders it."""

    def __init__(self, app: Application) -> None:
        self.app = app
        self.seen = 0

    async def news(self) -> list[str]:
        async with self.app.uow() as uow:
            rows = (
                await uow.session.execute(
                    select(orm.outbox.c.id, orm.outbox.c.kind, orm.outbox.c.payload)
                    .where(orm.outbox.c.recipient_ref == CITIZEN.ref, orm.outbox.c.id > self.seen)
                    .order_by(orm.outbox.c.id)
                )
            ).all()
        if rows:
            self.seen = rows[-1].id
        zh = translator("zh_Hans")
        return [render_message(row.kind, row.payload, zh).text for row in rows]


async def _messages_to(app: Application, ref: str, kind: str) -> int:
    async with app.uow() as uow:
        found = await uow.session.execute(
            select(func.count()).where(orm.outbox.c.recipient_ref == ref, orm.outbox.c.kind == kind)
        )
        return int(found.scalar_one())


async def _submit(b: Browsing, selector: str) -> str:
    """Press a form's button and return the confirmation the next page shows."""
    await b.page.click(selector)
    await b.page.wait_for_selector(".flash")
    return await b.page.inner_text(".flash")


async def test_a_supervisor_runs_a_week_from_the_browser_and_the_citizen_is_told_each_step(
    served: tuple[Application, FixedClock, str], tmp_path: Path
) -> None:
    app, clock, base = served
    await ensure_account(app.uow(), clock, ref=CITIZEN.ref, channel="telegram", chat_id="778001")
    chat = Chat(app)
    late = await _file(app, "潍坊市行政审批服务局", UNIT, "11月20日办理食品经营许可，被要求开无犯罪记录证明")
    unrouted = await _file(app, "那个办证的地方", None, "11月21日办理时被要求提供居住证明")
    extended = await _file(app, "潍坊市行政审批服务局", UNIT, "11月22日办理时被要求提供婚姻状况证明")
    await chat.news()  # the registration receipts are the chat's, before the week starts

    # Monday, the supervisor: route the complaint no unit was found for.
    async with browser(base) as b:
        await sign_in(b, app, "console:supervisor")
        await b.go("/tf/routing")
        await b.page.click(f"#to-route >> text={unrouted}")
        await b.page.select_option("#unit", UNIT)
        await _submit(b, "#form-route button")
        assert not b.errors, b.errors
    assert any(unrouted in text and "潍坊市行政审批服务局" in text for text in await chat.news())

    # Monday, the unit clerk: accept all three; ask for more time on one.
    async with browser(base) as b:
        await sign_in(b, app, CLERK)
        for number in (late, unrouted, extended):
            await b.go(f"/complaints/{number}")
            await _submit(b, "#form-accept button")
        await b.go(f"/complaints/{extended}")
        await b.page.fill("#days", "3")
        await b.page.fill("#ext-reason", "需向省厅调取档案核验")
        await _submit(b, "#form-extend button")
        assert not b.errors, b.errors
    accepted = await chat.news()
    for number in (late, unrouted, extended):
        assert any(number in text and "受理" in text and "2026-11-30" in text for text in accepted), accepted

    # Monday, the supervisor: decide the extension.
    async with browser(base) as b:
        await sign_in(b, app, "console:supervisor")
        await b.go("/tf/routing")
        await b.page.click(f"#extensions >> text={extended}")
        await _submit(b, "#form-decide button[value='1']")
        assert not b.errors, b.errors
    told = await chat.news()
    assert any(extended in text and "延长" in text for text in told), told

    # Next Tuesday: the first complaint is past its deadline. Press the unit, issue a rectification
    # notice, export the register.
    clock.set(NEXT_TUESDAY)
    async with browser(base) as b:
        await sign_in(b, app, "console:supervisor")
        await b.page.click(f"text={late}")  # from the overview's overdue list
        await b.page.fill("#press-note", "请今天内办结并答复投诉人")
        await b.shot("press")
        flash = await _submit(b, "#form-press button")
        assert "已催办" in flash, flash
        assert "专班催办" in await b.page.inner_text("#timeline")
        await b.go("/notices")
        await b.page.select_option("#n-unit", UNIT)
        await b.page.fill("#n-issue", "投诉办理超期")
        await b.page.fill("#n-req", "五个工作日内整改并报告")
        await b.page.fill("#n-complaints", late)
        await _submit(b, "#form-issue button")
        await b.go(f"/register?unit={UNIT}")
        async with b.page.expect_download() as download_info:
            await b.page.click("#export")
        download = await download_info.value
        saved = tmp_path / "register.xlsx"
        await download.save_as(saved)
        assert not b.errors, b.errors
    pressed = await chat.news()
    assert any(late in text and "督促" in text for text in pressed), pressed
    assert await _messages_to(app, CLERK, "complaint.pressed") == 1
    assert await _messages_to(app, CLERK, "rectification.issued") >= 1
    cells = {str(cell) for row in load_workbook(saved).active.iter_rows(values_only=True) for cell in row}
    assert {late, unrouted, extended} <= cells

    # The clerk resolves the pressed complaint; the citizen reads the result and is asked to rate it.
    async with browser(base) as b:
        await sign_in(b, app, CLERK)
        await b.go(f"/complaints/{late}")
        await b.page.fill("#result", "已改为部门核验，无需再交无犯罪记录证明")
        await _submit(b, "#form-resolve button")
        assert not b.errors, b.errors
    resolved = await chat.news()
    assert any("已改为部门核验" in text for text in resolved), resolved
