"""A complaint the session already holds is not read again by number (issue 15): registering one used to
read it back — a SELECT and two selectin loads — to notify its unit. One whose loaded values may be out of
date (expired) is still read from the database. The daily cap and the contact details offered again are
read as a count and two columns in one statement, not as the citizen's complaints with their audit trails
and ratings; registering reads its checks in one statement; a complaint's number is drawn in one."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta
from typing import Any

from sqlalchemy import event, update

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.units import Unit
from nocert_core.services.complaints import handling as svc
from tests.integration.complaints.test_complaint_flow import CITIZEN, add_unit, draft


@contextmanager
def statements(app: Application) -> Iterator[list[str]]:
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(app.engine.sync_engine, "before_cursor_execute", note)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", note)


def reads_by_number(seen: list[str]) -> list[str]:
    return [s for s in seen if s.startswith("SELECT complaints.id") and "complaints.number =" in s]


async def test_registering_a_complaint_notifies_its_unit_without_reading_it_back(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    async with app.uow() as uow:
        uow.accounts.add(
            Account("telegram:2001", "telegram", "2001", "李科员", role=Role.STAFF, unit_code="KW-SPJ")
        )
        await uow.commit()
    with statements(app) as seen:
        complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    assert reads_by_number(seen) == []
    async with app.uow() as uow:
        keys = [message.dedup_key for message in await uow.outbox.pending()]
    assert keys == [f"assign:{complaint.number}:KW-SPJ:1:telegram:2001"]


async def test_a_complaint_held_by_the_session_is_found_by_number_without_a_query(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    async with app.uow() as uow:
        loaded = await uow.complaints.get_by_number(complaint.number)
        with statements(app) as seen:
            again = await uow.complaints.get_by_number(complaint.number.lower())
        assert again is loaded
        assert seen == []


async def test_a_complaint_whose_values_were_expired_is_read_again_by_number(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    async with app.uow() as uow:
        loaded = await uow.complaints.get_by_number(complaint.number)
        assert loaded is not None
        table = orm.complaints
        await uow.session.execute(
            update(table).where(table.c.number == complaint.number).values(complainant_name="李雷")
        )
        uow.session.expire(loaded, ["complainant_name"])
        with statements(app) as seen:
            again = await uow.complaints.get_by_number(complaint.number)
        assert again is loaded
        assert again.complainant_name == "李雷"
        assert len(reads_by_number(seen)) == 1


async def test_opening_an_intake_reads_the_daily_cap_and_the_last_contact_in_one_statement(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    clock.advance(timedelta(hours=1))
    await svc.register_complaint(app.uow(), clock, CITIZEN, draft(complainant_name="王小芳"))
    with statements(app) as seen:
        assert await filed_today(app, clock) == (2, ("王小芳", "13805361234"))
    assert len(seen) == 1 and "FROM complaint_audit" not in seen[0]
    assert not seen[0].startswith("SELECT complaints.id")  # counted and two columns, no complaint loaded
    clock.advance(timedelta(days=1))  # the next local day
    assert await filed_today(app, clock) == (0, ("王小芳", "13805361234"))
    opening = await svc.intake_start(app.uow(), clock, CITIZEN)
    assert opening.may_file and opening.last_contact == ("王小芳", "13805361234")
    newcomer = Actor(ref="telegram:1999", role=Role.CITIZEN, name="李雷")
    assert await svc.intake_start(app.uow(), clock, newcomer) == svc.IntakeStart(True, None)


async def filed_today(app: Application, clock: FixedClock) -> tuple[int, tuple[str, str] | None]:
    async with app.uow() as uow:
        return await uow.complaints.intake_checks(CITIZEN.ref, svc._local_midnight_now(uow, clock))


async def test_complaints_registered_at_once_are_numbered_one_after_another_in_one_statement_each(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    citizens = [Actor(ref=f"telegram:{3000 + n}", role=Role.CITIZEN, name="王芳") for n in range(6)]
    with statements(app) as seen:
        registered = await asyncio.gather(
            *(svc.register_complaint(app.uow(), clock, citizen, draft()) for citizen in citizens)
        )
    assert sorted(complaint.number for complaint in registered) == [f"TS-2026-{n:06d}" for n in range(1, 7)]
    assert len([s for s in seen if "complaint_sequences" in s]) == 6


async def test_registering_reads_the_dedup_ref_the_days_count_and_the_phones_open_complaints_at_once(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    first = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(), dedup_ref="intake:1")
    with statements(app) as seen:
        second = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(), dedup_ref="intake:2")
    numbering = next(n for n, s in enumerate(seen) if "complaint_sequences" in s)
    assert len([s for s in seen[:numbering] if "complaints" in s]) == 1
    assert second.screening is not None and second.screening["repeat_of"] == first.number
    with statements(app) as seen:
        again = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(), dedup_ref="intake:2")
    assert again.number == second.number
    assert not [s for s in seen if "complaint_sequences" in s]


async def test_an_open_complaint_from_the_same_phone_about_another_unit_is_no_repeat(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    async with app.uow() as uow:
        uow.units.add(Unit(code="WF-GAJ", name="潍坊市公安局", aliases=[]))
        await uow.commit()
    first = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(unit_code="WF-GAJ"))
    second = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    third = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    assert (first.unit_code, second.unit_code) == ("WF-GAJ", "KW-SPJ")
    assert second.screening is not None and second.screening["repeat_of"] is None
    assert third.screening is not None and third.screening["repeat_of"] == second.number
