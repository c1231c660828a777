"""The web console in a real browser (Debian's chromium via Playwright): sign-in by link, every page renders
without console errors, register filters and paging, an accept → resolve round trip the citizen is told of
in chat, CSRF and access checks, and the public page on a phone-sized screen."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

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
from tests.e2e.web.web_browser import PHONE, browser, browser_tests, sign_in

pytestmark = browser_tests()
CITIZEN = Actor(ref="telegram:777001", role=Role.CITIZEN, name="李娜")
UNIT = "WF-SPJ"  # 潍坊市行政审批服务局 in the demo units


@pytest.fixture
async def served(tmp_path: Path) -> AsyncIterator[tuple[Application, str]]:
    settings = Settings(
        database_url=f"sqlite+aiosqlite:///{tmp_path / 'web.db'}",
        web_secret="browser-test",
        redis_url=None,
        telegram_token=None,
        max_complaints_per_day=0,  # one citizen files the many complaints the pages need
    )
    clock = FixedClock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC))
    application = await open_application(settings, clock)
    await load_demo(application)
    runner = await start_web(application, "127.0.0.1:0")
    port = runner.addresses[0][1]
    try:
        yield application, f"http://127.0.0.1:{port}"
    finally:
        await runner.cleanup()
        await application.close()


async def _citizen_complaint(app: Application, demand: str = "撤回要求提交的无犯罪记录证明") -> str:
    await ensure_account(app.uow(), app.clock, ref=CITIZEN.ref, channel="telegram", chat_id="777001")
    draft = svc.ComplaintDraft(
        complainant_name="李娜",
        complainant_phone="13905361234",
        agency_text="潍坊市行政审批服务局",
        demand=demand,
        reasons="该证明已列入免提交清单",
        facts="2026年11月24日在市政务服务中心办理食品经营许可，窗口要求开具无犯罪记录证明",
        channel=Channel.TELEGRAM,
        unit_code=UNIT,
    )
    return (await svc.register_complaint(app.uow(), app.clock, CITIZEN, draft)).number


async def test_a_supervisor_signs_in_by_link_and_every_task_force_page_renders_cleanly(
    served: tuple[Application, str],
) -> None:
    app, base = served
    async with browser(base) as b:
        await sign_in(b, app, "console:supervisor")
        assert b.page.url.endswith("/tf")
        await b.page.wait_for_selector("#trend-chart canvas")  # the chart is drawn by the vendored uPlot
        await b.shot("overview")
        for path, shot in (
            ("/tf/routing", "routing"),
            ("/tf/scorecards", "scorecards"),
            ("/register", "register"),
            ("/notices", "notices"),
            ("/verifications", "verifications"),
            ("/unit/adjustments?unit=WF-SPJ", "adjustments"),
        ):
            response = await b.go(path)
            assert response.status == 200, path
            await b.shot(shot)
        await b.page.wait_for_selector("#adjustments")
        assert not b.errors, b.errors


async def test_the_register_filters_and_pages_without_repeating_a_row(
    served: tuple[Application, str],
) -> None:
    app, base = served
    for index in range(55):
        await _citizen_complaint(app, demand=f"撤回证明要求 {index}")
    async with browser(base) as b:
        await sign_in(b, app, "console:supervisor")
        await b.go("/register")
        await b.page.select_option("#f-unit", UNIT)
        await b.page.select_option("#f-state", "registered")
        await b.page.click("#apply")
        await b.page.wait_for_load_state("load")
        assert "state=registered" in b.page.url
        first = await b.page.locator("#register tbody tr td:first-child").all_inner_texts()
        assert len(first) == 50
        await b.page.click("#next-page")
        await b.page.wait_for_load_state("load")
        second = await b.page.locator("#register tbody tr td:first-child").all_inner_texts()
        assert second and not set(first) & set(second)
        assert len(first) + len(second) >= 55
        export = await b.page.get_attribute("#export", "href")
        assert export is not None and "state=registered" in export and f"unit={UNIT}" in export
        assert not b.errors, b.errors


async def test_a_clerk_accepts_then_resolves_and_the_citizen_is_told_in_chat(
    served: tuple[Application, str],
) -> None:
    app, base = served
    number = await _citizen_complaint(app)
    async with browser(base) as b:
        await sign_in(b, app, f"console:staff-{UNIT}")
        assert b.page.url.endswith("/unit")
        await b.page.click(f"text={number}")
        await b.page.wait_for_selector("#form-accept")
        assert "139****1234" in await b.page.inner_text("#phone")
        await b.shot("complaint")
        await b.page.click("#form-accept button")
        await b.page.wait_for_selector("#form-resolve")
        await b.page.fill("#result", "已改为部门间核验，无需再交无犯罪记录证明")
        await b.page.click("#form-resolve button")
        await b.page.wait_for_selector(".flash")
        assert "已办结" in await b.page.inner_text("h1")
        assert not b.errors, b.errors
    async with app.uow() as uow:
        rows = (
            await uow.session.execute(
                select(orm.outbox.c.kind, orm.outbox.c.payload)
                .where(orm.outbox.c.recipient_ref == CITIZEN.ref)
                .order_by(orm.outbox.c.id)
            )
        ).all()
    texts = [render_message(kind, payload, translator("zh_Hans")).text for kind, payload in rows]
    assert any("已改为部门间核验" in text for text in texts), texts  # the result the citizen reads in chat


async def test_forms_need_their_csrf_token_and_a_clerk_cannot_open_task_force_pages(
    served: tuple[Application, str],
) -> None:
    app, base = served
    number = await _citizen_complaint(app)
    async with browser(base) as b:
        await sign_in(b, app, "console:staff-WF-BDC")  # another unit's clerk
        hidden = await b.go(f"/complaints/{number}")
        missing = await b.go("/complaints/TS-2026-999999")
        assert hidden.status == missing.status == 404
        overview = await b.go("/tf")
        assert overview.status == 404
        await b.go("/unit")
        await b.page.evaluate("document.querySelector('input[name=_csrf]').value = 'forged'")
        await b.page.click("header form button")  # sign out, with a forged token
        await b.page.wait_for_load_state("load")
        assert "表单已失效" in await b.page.inner_text("main")
        assert (await b.go("/unit")).status == 200  # still signed in: the forged form did nothing


async def test_the_public_page_works_on_a_phone(served: tuple[Application, str]) -> None:
    _, base = served
    async with browser(base, viewport=PHONE) as b:
        await b.go("/guide")
        await b.page.fill("#q", "办理食品经营许可还要交无犯罪记录证明吗")
        await b.page.click("#ask button")
        await b.page.wait_for_selector("#answer")
        width = await b.page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"] + 1, width  # nothing sticks out sideways
        await b.shot("guide-phone")
        await b.go("/guide/catalogue?certificate=户口")
        assert await b.page.locator("#catalogue tbody tr").count() > 0
        await b.shot("catalogue-phone")
        await b.go("/guide/changes")
        forms = b.page.locator("article form")
        if await forms.count():
            await b.page.locator("article summary").first.click()
            await forms.first.locator("textarea").fill("建议同时公布替代的核验方式")
            await forms.first.locator("button").click()
            await b.page.wait_for_selector(".flash")
        await b.shot("changes-phone")
        assert not b.errors, b.errors
