"""Catalogue adjustments filed from the browser (R3 Art.8–9): the same service as the chat's /adjust — staff
for their own unit's entries, the task force for any; every filing reaches the task force (outbox)."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from nocert_core.adapters.sql.orm import outbox
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.domain.adjustments import AdjustmentType
from nocert_core.services.catalogue import adjustments as service
from nocert_core.services.catalogue import imports as importing
from nocert_core.services.catalogue.imports import current_catalogue
from tests.integration.guidance.test_catalogue_adjustments import ROWS, add_units_and_supervisor, write
from tests.integration.web_helpers import form_token, sign_in, web_client

CLERK = "console:clerk-bdc"


async def _setup(app: Application, tmp_path: Path) -> None:
    await add_units_and_supervisor(app)
    async with app.uow() as uow:
        uow.accounts.add(
            Account(CLERK, "console", "clerk-bdc", "登记员", role=Role.STAFF, unit_code="WF-BDC")
        )
        await uow.commit()
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))


async def _filed_notices(app: Application) -> int:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(outbox.c.id).where(outbox.c.kind == "catalogue.adjustment_filed")
        )
        return len(rows.all())


async def test_a_clerk_files_a_cancellation_of_an_own_entry_and_the_task_force_is_told(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await _setup(app, tmp_path)
    async with web_client(app) as client:
        await sign_in(client, app, CLERK)
        page = await (await client.get("/unit/adjustments")).text()
        assert 'id="form-adjust"' in page and "结婚证" in page
        response = await client.post(
            "/unit/adjustments",
            data={
                "_csrf": await form_token(client, "/unit/adjustments"),
                "kind": "cancel",
                "service_code": "B-1",
                "certificate": "结婚证",
                "basis": "省政府决定取消",
                "event_date": clock.now().date().isoformat(),
            },
        )
        html = await response.text()
        assert response.status == 200 and "已报备并通知专班" in html
    assert await _filed_notices(app) == 2  # both supervisors
    certificates = {e.certificate for e in await current_catalogue(app.uow()) if e.service_code == "B-1"}
    assert certificates == {"居民户口簿"}
    filed = await service.list_adjustments(app.uow(), unit_code="WF-BDC", newest_first=True)
    assert filed[0].kind == AdjustmentType.CANCEL and filed[0].filed_by == CLERK


async def test_a_clerk_cannot_file_for_another_units_entry_and_nothing_changes(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await _setup(app, tmp_path)
    before = await current_catalogue(app.uow())
    async with web_client(app) as client:
        await sign_in(client, app, CLERK)
        response = await client.post(
            "/unit/adjustments",
            data={
                "_csrf": await form_token(client, "/unit/adjustments"),
                "kind": "cancel",
                "service_code": "S-1",
                "certificate": "从业人员健康证明",
                "basis": "取消",
                "event_date": clock.now().date().isoformat(),
            },
        )
        assert response.status in (403, 404)
    assert len(await current_catalogue(app.uow())) == len(before)
    assert await _filed_notices(app) == 0


async def test_the_task_force_adds_an_entry_for_a_unit_from_the_browser(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await _setup(app, tmp_path)
    async with web_client(app) as client:
        await sign_in(client, app, "console:sv1")
        response = await client.post(
            "/unit/adjustments",
            data={
                "_csrf": await form_token(client, "/unit/adjustments"),
                "kind": "add",
                "service_code": "S-1",
                "certificate": "营业执照",
                "mode": "电子证照关联",
                "unit": "WF-SPJ",
                "basis": "专班决定",
                "event_date": clock.now().date().isoformat(),
            },
        )
        assert response.status == 200 and response.url.query.get("unit") == "WF-SPJ"
        assert "营业执照" in await response.text()
    added = [e for e in await current_catalogue(app.uow()) if e.certificate == "营业执照"]
    assert [(e.unit_code, str(e.mode)) for e in added] == [("WF-SPJ", "电子证照关联")]
