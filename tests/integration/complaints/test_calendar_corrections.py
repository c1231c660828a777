"""Deadlines past the calendar data (SQLite and PostgreSQL): a provisional deadline is told as provisional;
the official schedule's import recomputes it (audited, same transaction), tells the complainant and the unit
what changed, and the sweeps then go by the corrected date."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select

from handlers.renderers import render
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.i18n import translator
from nocert_core.services.complaints import handling as svc
from nocert_core.services.oversight.sweeps import run_sweeps
from nocert_core.services.platform.calendar import import_schedule
from nocert_core.services.verification import requests as verification

from ..oversight_helpers import CITIZEN, register_at, seed, staff_actor

SCHEDULE_2027 = Path(__file__).resolve().parents[2] / "data" / "calendar-2027-test-fixture.csv"
ACCEPTED_AT = datetime(2026, 12, 28, 2, 0, tzinfo=UTC)  # Monday 10:00 in Weifang


async def outbox_rows(app: Application, kind: str) -> list[tuple[str, dict[str, object]]]:
    async with app.engine.connect() as connection:
        rows = await connection.execute(
            select(orm.outbox.c.recipient_ref, orm.outbox.c.payload)
            .where(orm.outbox.c.kind == kind)
            .order_by(orm.outbox.c.id)
        )
        return [(row.recipient_ref, dict(row.payload)) for row in rows]


async def accepted_before_2027_is_known(app: Application, clock: FixedClock) -> str:
    await seed(app)
    async with app.uow() as uow:
        uow.accounts.add(
            Account(CITIZEN.ref, "telegram", "1001", "王芳", role=Role.CITIZEN, locale="zh_Hans")
        )
        await uow.commit()
    complaint = await register_at(app, clock, ACCEPTED_AT, "KW-SPJ", accept=True)
    assert complaint.deadline_provisional
    return complaint.number


async def test_the_citizen_is_told_a_provisional_deadline_is_provisional(
    app: Application, clock: FixedClock
) -> None:
    number = await accepted_before_2027_is_known(app, clock)
    status_rows = await outbox_rows(app, "complaint.status")
    [(_ref, payload)] = [row for row in status_rows if row[1]["change"] == "accepted"]
    assert payload["number"] == number and payload["deadline"] == "2027-01-04" and payload["provisional"]
    text = render("complaint.status", payload, translator("zh_Hans")).text
    assert "2027-01-04" in text and "暂定" in text


async def test_importing_the_official_year_corrects_tells_and_the_sweep_follows(
    app: Application, clock: FixedClock
) -> None:
    number = await accepted_before_2027_is_known(app, clock)
    clock.set(datetime(2026, 12, 30, 2, 0, tzinfo=UTC))
    report = await import_schedule(app.uow(), clock, SCHEDULE_2027)
    assert [(change.number, change.moved) for change in report.deadlines] == [(number, True)]

    complaint = await svc.get_complaint(app.uow(), CITIZEN, number)
    assert complaint.deadline_at == datetime(2027, 1, 5, 15, 59, 59, 999999, tzinfo=UTC)
    assert not complaint.deadline_provisional
    assert complaint.audit[-1].action == "correct_deadline"
    status_rows = await outbox_rows(app, "complaint.status")
    told = [row for row in status_rows if row[1]["change"] == "deadline_corrected"]
    assert [(ref, payload["deadline"], payload["previous"]) for ref, payload in told] == [
        (CITIZEN.ref, "2027-01-05", "2027-01-04")
    ]
    staff = await outbox_rows(app, "complaint.staff_update")
    assert [(ref, payload["deadline"]) for ref, payload in staff] == [("telegram:2001", "2027-01-05")]
    assert "2027-01-05" in render("complaint.status", told[0][1], translator("zh_Hans")).text

    # 2027-01-05 at 10:00: the provisional date has passed, the official one has not — nothing is overdue.
    clock.set(datetime(2027, 1, 5, 2, 0, tzinfo=UTC))
    result = await run_sweeps(app.uow, clock, hotspots=False)
    assert result.marked.get("overdue", 0) == 0
    again = await import_schedule(app.uow(), clock, SCHEDULE_2027)  # the same schedule again: nothing moves
    assert again.deadlines == []


async def test_an_open_verification_request_gets_the_official_time_limit(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    clock.set(datetime(2026, 12, 30, 2, 0, tzinfo=UTC))  # Wednesday; 3 working days run into 2027
    request = await verification.create_request(
        app.uow(),
        clock,
        staff_actor("KW-SPJ", 1),
        "WC-BDC",
        "二手房转移登记",
        "不动产权属证明",
        "王芳",
        "房产坐落",
    )
    assert request.deadline_at == datetime(
        2027, 1, 4, 15, 59, 59, 999999, tzinfo=UTC
    )  # 01-01 counted (fallback)
    report = await import_schedule(app.uow(), clock, SCHEDULE_2027)
    assert request.number in [change.number for change in report.deadlines]
    async with app.uow() as uow:
        stored = await uow.verifications.get_by_number(request.number)
    assert stored is not None and stored.deadline_at == datetime(2027, 1, 5, 15, 59, 59, 999999, tzinfo=UTC)
    assert stored.audit[-1].action == "correct_deadline"
