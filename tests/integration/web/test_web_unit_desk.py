"""A unit clerk handles a complaint from the browser: the same services as the chat buttons, so the citizen
is told in chat (an outbox row per step), phones stay masked until an audited view."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.complaints import handling as svc
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, register_at, seed, staff_actor
from tests.integration.web_helpers import form_token, sign_in, web_client


async def _citizen_messages(app: Application) -> list[str]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.kind)
            .where(orm.outbox.c.recipient_ref == CITIZEN.ref)
            .order_by(orm.outbox.c.id)
        )
        return list(rows.scalars().all())


async def test_a_clerk_accepts_and_resolves_in_the_browser_and_the_citizen_is_told_each_time(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    await ensure_account(app.uow(), clock, ref=CITIZEN.ref, channel="telegram", chat_id="1001")
    complaint = await register_at(app, clock, datetime(2026, 11, 24, 2, tzinfo=UTC), "KW-SPJ")
    before = await _citizen_messages(app)
    async with web_client(app) as client:
        await sign_in(client, app, staff_actor("KW-SPJ", 1).ref)
        queue = await (await client.get("/unit")).text()
        assert complaint.number in queue
        page = f"/complaints/{complaint.number}"
        html = await (await client.get(page)).text()
        assert "138****1234" in html and "13805361234" not in html
        assert "发生时间" in html and "2026年11月20日" in html  # a screening cue, named in words
        assert 'id="form-accept"' in html and 'id="form-resolve"' not in html
        accepted = await client.post(f"{page}/accept", data={"_csrf": await form_token(client, page)})
        assert accepted.status == 200 and accepted.url.path == page
        html = await accepted.text()
        assert 'id="form-resolve"' in html and 'id="form-accept"' not in html
        resolved = await client.post(
            f"{page}/resolve",
            data={"_csrf": await form_token(client, page), "result": "已改为部门核验，无需证明"},
        )
        assert "已改为部门核验" in await resolved.text()
        shown = await client.post(f"{page}/phone", data={"_csrf": await form_token(client, page)})
        assert "13805361234" in await shown.text()
    stored = await svc.get_complaint(app.uow(), SUPERVISOR, complaint.number)
    assert stored.status == ComplaintStatus.RESOLVED
    assert [row.action for row in stored.audit][-1] == "view_phone"
    told = (await _citizen_messages(app))[len(before) :]
    assert len(told) == 2, told  # accepted, then resolved (asked to rate)


async def test_a_clerk_of_another_unit_gets_not_found_for_page_and_actions(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    complaint = await register_at(app, clock, datetime(2026, 11, 24, 2, tzinfo=UTC), "KW-SPJ")
    async with web_client(app) as client:
        await sign_in(client, app, staff_actor("WC-BDC", 2).ref)
        token = await form_token(client, "/unit")
        page = await client.get(f"/complaints/{complaint.number}")
        missing = await client.get("/complaints/TS-2026-999999")
        assert page.status == missing.status == 404 and await page.text() == await missing.text()
        for action in ("accept", "phone", "resolve"):
            response = await client.post(f"/complaints/{complaint.number}/{action}", data={"_csrf": token})
            assert response.status == 404
    stored = await svc.get_complaint(app.uow(), SUPERVISOR, complaint.number)
    assert stored.status == ComplaintStatus.REGISTERED
    assert [row.action for row in stored.audit] == ["register"]
