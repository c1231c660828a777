"""The unit register kept per process for the complaint path (issue 15): read from memory while the
database's unit register version is unchanged, and never stale — a change committed by anyone (another
process's import, an admin's SQL) counts at the next read, and a change rolled back never reaches the copy."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import event, text

from nocert_core.bootstrap import Application, open_application
from nocert_core.domain.units import Unit
from nocert_core.services.complaints.intake import find_units, unit_name
from tests.integration.chat_driver import add_units


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


def reads_units(seen: list[str]) -> bool:
    return any("FROM units" in statement for statement in seen)


async def names(app: Application) -> dict[str, str]:
    async with app.uow() as uow:
        return {unit.code: unit.name for unit in await uow.units.register()}


async def test_a_second_read_of_an_unchanged_register_does_not_load_the_units_again(app: Application) -> None:
    await add_units(app)
    assert (await names(app))["KW-GAJ"] == "奎文公安分局"
    with statements(app) as seen:
        assert (await names(app))["KW-GAJ"] == "奎文公安分局"
        assert await unit_name(app.uow(), "WC-SPJ") == "潍城区行政审批服务局"
    assert not reads_units(seen)
    assert any("FROM unit_register" in statement for statement in seen)


async def test_a_rename_by_plain_sql_elsewhere_routes_the_next_complaint_by_the_new_name(
    app: Application,
) -> None:
    await add_units(app)
    assert [match.code for match in await find_units(app.uow(), "奎文公安分局")] == ["KW-GAJ"]
    async with app.engine.begin() as connection:  # as another process or an administrator would
        await connection.execute(text("UPDATE units SET name = '奎文区消防救援大队' WHERE code = 'KW-GAJ'"))
    assert [match.code for match in await find_units(app.uow(), "奎文区消防救援大队")] == ["KW-GAJ"]
    assert await unit_name(app.uow(), "KW-GAJ") == "奎文区消防救援大队"


async def test_a_unit_imported_by_another_instance_is_known_at_the_next_read(app: Application) -> None:
    await add_units(app)
    assert await unit_name(app.uow(), "KW-JYJ") is None
    other = await open_application(app.settings, app.clock, migrate=False)
    try:
        async with other.uow() as uow:
            uow.units.add(Unit(code="KW-JYJ", name="奎文区教育和体育局"))
            await uow.commit()
    finally:
        await other.close()
    assert await unit_name(app.uow(), "KW-JYJ") == "奎文区教育和体育局"
    assert [match.code for match in await find_units(app.uow(), "奎文区教育和体育局")] == ["KW-JYJ"]


async def test_a_rename_rolled_back_is_seen_by_its_own_transaction_only(app: Application) -> None:
    await add_units(app)
    assert (await names(app))["KW-GAJ"] == "奎文公安分局"
    async with app.uow() as uow:
        unit = await uow.units.get("KW-GAJ")
        assert unit is not None
        unit.name = "改名未提交"
        assert {u.code: u.name for u in await uow.units.register()}["KW-GAJ"] == "改名未提交"
    # left without commit: rolled back
    assert (await names(app))["KW-GAJ"] == "奎文公安分局"
    async with app.uow() as uow:
        uow.units.add(Unit(code="KW-WC", name="奎文区卫生健康局"))
        await uow.commit()
    assert (await names(app))["KW-WC"] == "奎文区卫生健康局"


def test_importing_the_unit_register_installs_nothing_until_a_cache_needs_it() -> None:
    import subprocess
    import sys

    probe = (
        "from sqlalchemy import event; from sqlalchemy.orm import Session;"
        "from nocert_core.adapters.sql import unit_register as r;"
        "print(event.contains(Session, 'after_flush', r._note_changed_units));"
        "r.UnitRegisterCache();"
        "print(event.contains(Session, 'after_flush', r._note_changed_units))"
    )
    shown = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, check=True)
    assert shown.stdout.split() == ["False", "True"]
