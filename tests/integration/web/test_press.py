"""Pressing the late unit (催办): one rule (services/complaints/press.py) for the web console and the chat —
only the task force, only an overdue complaint in handling, once a day; the unit's staff and the complainant
are told through the outbox, and the press is in the audit trail."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from handlers.renderers import render
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.errors import DomainError, PermissionDenied
from nocert_core.i18n import translator
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.press import PRESSED, press_late_unit
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, register_at, seed, staff_actor
from tests.integration.web_helpers import form_token, sign_in, web_client

MONDAY_BEFORE = datetime(2026, 11, 16, 2, tzinfo=UTC)  # accepted then: due Mon 2026-11-23, clock is Wed 11-25


async def _messages(app: Application, after_id: int = 0) -> list[tuple[str, str, dict[str, Any]]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.id, orm.outbox.c.recipient_ref, orm.outbox.c.kind, orm.outbox.c.payload)
            .where(orm.outbox.c.id > after_id)
            .order_by(orm.outbox.c.id)
        )
        return [(row.recipient_ref, row.kind, row.payload) for row in rows]


async def _last_id(app: Application) -> int:
    async with app.uow() as uow:
        found = await uow.session.execute(select(orm.outbox.c.id).order_by(orm.outbox.c.id.desc()).limit(1))
        return int(found.scalar() or 0)


async def test_the_task_force_presses_an_overdue_unit_and_the_unit_and_the_citizen_are_told(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    await ensure_account(app.uow(), clock, ref=CITIZEN.ref, channel="telegram", chat_id="1001")
    complaint = await register_at(app, clock, MONDAY_BEFORE, "KW-SPJ", accept=True)
    before = await _last_id(app)
    pressed = await press_late_unit(app.uow(), clock, SUPERVISOR, complaint.number, "请今天内答复")
    assert (pressed.unit_code, pressed.working_days_late, pressed.staff_told) == ("KW-SPJ", 2, 1)
    sent = await _messages(app, before)
    assert {(ref, kind) for ref, kind, _ in sent} == {
        (staff_actor("KW-SPJ", 1).ref, PRESSED),
        (CITIZEN.ref, "complaint.status"),
    }
    zh = translator("zh_Hans")
    for _, kind, payload in sent:
        text = render(kind, payload, zh).text
        assert complaint.number in text and "13805361234" not in text
        if kind == PRESSED:
            assert "2" in text and "请今天内答复" in text
        else:
            assert "奎文区行政审批服务局" in text
    stored = await svc.get_complaint(app.uow(), SUPERVISOR, complaint.number)
    assert (stored.audit[-1].action, stored.audit[-1].note) == ("press", "请今天内答复")


async def test_a_unit_is_pressed_at_most_once_a_day_about_one_complaint(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, MONDAY_BEFORE, "KW-SPJ", accept=True)
    await press_late_unit(app.uow(), clock, SUPERVISOR, complaint.number)
    before = await _last_id(app)
    with pytest.raises(DomainError, match="already pressed"):
        await press_late_unit(app.uow(), clock, SUPERVISOR, complaint.number)
    assert await _messages(app, before) == []
    clock.set(clock.now() + timedelta(days=1))
    again = await press_late_unit(app.uow(), clock, SUPERVISOR, complaint.number)
    assert again.working_days_late == 3


async def test_staff_cannot_press_and_a_complaint_within_its_deadline_cannot_be_pressed(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    late = await register_at(app, clock, MONDAY_BEFORE, "KW-SPJ", accept=True)
    on_time = await register_at(app, clock, clock.now(), "KW-SPJ", accept=True)
    not_accepted = await register_at(app, clock, MONDAY_BEFORE, "KW-SPJ")
    with pytest.raises(PermissionDenied):
        await press_late_unit(app.uow(), clock, staff_actor("WC-BDC", 2), late.number)
    for complaint in (on_time, not_accepted):
        with pytest.raises(DomainError, match="not past its deadline"):
            await press_late_unit(app.uow(), clock, SUPERVISOR, complaint.number)
    stored = await svc.get_complaint(app.uow(), SUPERVISOR, late.number)
    assert "press" not in [row.action for row in stored.audit]


async def test_a_supervisor_presses_from_the_complaint_page_and_a_clerk_sees_no_press_button(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, MONDAY_BEFORE, "KW-SPJ", accept=True)
    page = f"/complaints/{complaint.number}"
    async with web_client(app) as client:
        await sign_in(client, app, staff_actor("KW-SPJ", 1).ref)
        assert 'id="form-press"' not in await (await client.get(page)).text()
        refused = await client.post(f"{page}/press", data={"_csrf": await form_token(client, page)})
        assert refused.status in (403, 404)
    async with web_client(app) as client:
        await sign_in(client, app, SUPERVISOR.ref)
        assert 'id="form-press"' in await (await client.get(page)).text()
        before = await _last_id(app)
        response = await client.post(
            f"{page}/press", data={"_csrf": await form_token(client, page), "note": "请尽快办结"}
        )
        html = await response.text()
        assert response.status == 200 and "2" in html and "专班催办" in html
        assert 'id="pressed-today"' in html and 'id="form-press"' not in html
        assert PRESSED in {kind for _, kind, _ in await _messages(app, before)}
        again = await client.post(f"{page}/press", data={"_csrf": await form_token(client, page)})
        assert "今天已催办" in await again.text()
