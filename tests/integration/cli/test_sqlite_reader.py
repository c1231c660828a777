"""Read-only commands read an up-to-date SQLite file with the standard library
(adapters/sqlite/sqlite_reader.py): what they get is what the SQLAlchemy repositories give on the same data,
anything else (a database to create or migrate, PostgreSQL) takes the full path, and the commands import no
heavy library."""

from __future__ import annotations

import asyncio
import dataclasses
import os
import sqlite3
import subprocess
import sys
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from bot.cli import app
from nocert_core.bootstrap import Application, open_application
from nocert_core.bootstrap_read import ReadApplication, open_reader
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.rectification import RectificationStatus
from nocert_core.env import ReadSettings
from nocert_core.guidance.search.lexicon import LexiconEntry
from nocert_core.services.catalogue import guidance as guidance_service
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.platform.reads import (
    catalogue_at,
    get_complaint,
    lexicon_additions,
    list_adjustments,
    list_complaints,
    list_notices,
    list_requests,
    list_units,
    outbox_summary,
)
from nocert_core.services.verification import requests as verification_service
from nocert_core.settings import Settings, get_settings
from tests.integration.complaints.test_verification_service import ISSUER, new_request
from tests.integration.oversight_helpers import SUPERVISOR, seed

ROOT = Path(__file__).resolve().parents[3]
HEAVY = (
    "sqlalchemy",
    "alembic",
    "pydantic",
    "pydantic_settings",
    "matplotlib",
    "jieba",
    "pypinyin",
    "openpyxl",
    "aiogram",
    "telegram",
)
READ_COMMANDS = (
    ("complaints", "list"),
    ("complaints", "list", "--status", "accepted"),
    ("complaints", "show", "1"),
    ("units", "list"),
    ("calendar", "years"),
    ("outbox", "status"),
    ("verify", "list"),
    ("rectify", "list"),
    ("catalogue", "changes"),
    ("catalogue", "at", "2026-11-01"),
    ("lexicon", "list"),
)
CLOCK = FixedClock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC))


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Path]:
    path = tmp_path_factory.mktemp("reader") / "demo.db"
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("NOCERT_DATABASE_URL", f"sqlite+aiosqlite:///{path}")
        get_settings.cache_clear()
        result = CliRunner().invoke(app, ["init", "--demo"])
        assert result.exit_code == 0, result.output
    get_settings.cache_clear()
    yield path


@pytest.fixture
async def full(demo_file: Path) -> AsyncIterator[Application]:
    application = await open_application(Settings(database_url=f"sqlite+aiosqlite:///{demo_file}"))
    try:
        yield application
    finally:
        await application.close()


@pytest.fixture
def light(demo_file: Path) -> Iterator[ReadApplication]:
    reader = open_reader(ReadSettings(database_url=f"sqlite+aiosqlite:///{demo_file}"))
    assert reader is not None
    try:
        yield reader
    finally:
        reader.close()


async def oversight_rows(url: str) -> None:
    """Verification requests, rectification notices, an unreachable account and undeliverable messages."""
    app = await open_application(Settings(database_url=url), CLOCK)
    try:
        await seed(app)
        returned = await new_request(app, CLOCK)
        await verification_service.return_request(app.uow(), CLOCK, ISSUER, returned, "不属于本单位职责")
        await new_request(app, CLOCK)
        for unit in ("KW-SPJ", "WC-BDC"):
            notice = await rect.issue_notice(app.uow(), CLOCK, SUPERVISOR, unit, "问题", "要求", 3)
        await rect.report_rectification(app.uow(), CLOCK, CLI_ADMIN, notice.number, "已整改")
        terms = [
            LexiconEntry("certificate", "户口本本", "居民户口簿"),
            LexiconEntry("service", "办暂住", "居住证办理"),
        ]
        await guidance_service.add_lexicon_terms(app.uow(), CLI_ADMIN, terms)
    finally:
        await app.close()
    path = url.removeprefix("sqlite+aiosqlite:///")
    with sqlite3.connect(path) as connection:
        connection.execute(
            "UPDATE outbox SET status = 'undeliverable', last_error = 'blocked' "
            "WHERE id IN (SELECT id FROM outbox ORDER BY id LIMIT 2)"
        )
        connection.execute("UPDATE accounts SET reachable = 0, unreachable_reason = 'blocked' WHERE id = 1")


@pytest.fixture(scope="module")
def oversight_file(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("oversight") / "nocert.db"
    asyncio.run(oversight_rows(f"sqlite+aiosqlite:///{path}"))
    return path


def plain(value: Any) -> Any:
    """A domain object as nested dicts (the classes compare by identity)."""
    if isinstance(value, list | tuple):
        return [plain(item) for item in value]
    return dataclasses.asdict(value)


async def test_the_reader_gives_the_complaints_the_repositories_give(
    full: Application, light: ReadApplication
) -> None:
    staff = Actor(ref="console:staff", role=Role.STAFF, unit_code="KW-SPJ")
    for actor, statuses in (
        (CLI_ADMIN, None),
        (CLI_ADMIN, [ComplaintStatus.ACCEPTED, ComplaintStatus.RESOLVED]),
        (CLI_ADMIN, []),
        (staff, None),
    ):
        expected = await list_complaints(full.uow(), actor, statuses)
        assert plain(await list_complaints(light.uow(), actor, statuses)) == plain(expected)
    everything = await list_complaints(full.uow(), CLI_ADMIN)
    assert len(everything) >= 8
    assert any(c.audit for c in everything) and any(c.ratings for c in everything)
    assert any(c.screening for c in everything) and any(c.deadline_at for c in everything)
    for complaint in everything:
        found = await get_complaint(light.uow(), CLI_ADMIN, complaint.number.lower())
        assert plain(found) == plain(complaint)
        assert found.deadline_at is None or found.deadline_at.utcoffset() is not None


async def test_the_reader_gives_the_units_and_calendar_years_the_repositories_give(
    full: Application, light: ReadApplication
) -> None:
    units = await list_units(full.uow())
    assert len(units) >= 40 and any(unit.aliases for unit in units)
    assert plain(await list_units(light.uow())) == plain(units)
    async with full.uow() as uow:
        years = await uow.calendar.covered_years()
    async with light.uow() as reading:
        assert await reading.calendar.covered_years() == years != {}


async def test_the_reader_gives_the_catalogue_adjustments_the_repositories_give(
    full: Application, light: ReadApplication
) -> None:
    everything = await list_adjustments(full.uow())
    assert len(everything) >= 5 and any(a.before for a in everything) and any(a.after for a in everything)
    some = everything[len(everything) // 2]
    for query in (
        {},
        {"since": some.event_date},
        {"until": some.event_date, "newest_first": True, "limit": 3},
        {"unit_code": some.unit_code},
    ):
        expected = await list_adjustments(full.uow(), **query)
        assert plain(await list_adjustments(light.uow(), **query)) == plain(expected)


async def test_the_reader_gives_the_catalogue_in_force_on_a_day_as_the_repositories_do(
    full: Application, light: ReadApplication
) -> None:
    """The demo catalogue has versions from 2026-09-02 on, some replaced by later adjustments; a version's
    times are the end of a local day, the very instant `catalogue at` asks about."""
    sizes = []
    for day in (
        "2026-09-01",
        "2026-09-02",
        "2026-09-30",
        "2026-10-15",
        "2026-11-22",
        "2026-11-28",
        "2027-01-01",
    ):
        expected = await catalogue_at(full.uow(), date.fromisoformat(day), "Asia/Shanghai")
        assert plain(await catalogue_at(light.uow(), date.fromisoformat(day), "Asia/Shanghai")) == plain(
            expected
        )
        sizes.append(len(expected))
    assert sizes[0] == 0 and len(set(sizes)) > 2


async def test_the_reader_gives_the_verification_rectification_and_outbox_rows_the_repositories_give(
    oversight_file: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{oversight_file}"
    full = await open_application(Settings(database_url=url), CLOCK)
    light = open_reader(ReadSettings(database_url=url), CLOCK)
    assert light is not None
    try:
        for open_only, unit in ((False, None), (True, None), (False, "WC-BDC")):
            expected = await list_requests(full.uow(), CLI_ADMIN, unit, open_only)
            assert plain(await list_requests(light.uow(), CLI_ADMIN, unit, open_only)) == plain(expected)
        assert len(await list_requests(full.uow(), CLI_ADMIN)) == 2
        for statuses, unit in ((None, None), ([RectificationStatus.REPORTED], None), (None, "KW-SPJ")):
            notices = await list_notices(full.uow(), CLI_ADMIN, statuses, unit)
            assert plain(await list_notices(light.uow(), CLI_ADMIN, statuses, unit)) == plain(notices)
        assert {n.status for n in await list_notices(full.uow(), CLI_ADMIN)} == {
            RectificationStatus.ISSUED,
            RectificationStatus.REPORTED,
        }
        summary = await outbox_summary(full.uow(), CLOCK.now())
        assert summary.undeliverable == 2 and summary.pending > 0 and len(summary.unreachable) == 1
        read = await outbox_summary(light.uow(), CLOCK.now())
        assert dataclasses.replace(read, unreachable=[]) == dataclasses.replace(summary, unreachable=[])
        assert plain(read.unreachable) == plain(summary.unreachable)
        terms = await lexicon_additions(full.uow())
        assert len(terms) == 2 and plain(await lexicon_additions(light.uow())) == plain(terms)
        later = await outbox_summary(light.uow(), datetime(2000, 1, 1, tzinfo=UTC))
        assert later.due_now == (await outbox_summary(full.uow(), datetime(2000, 1, 1, tzinfo=UTC))).due_now
    finally:
        light.close()
        await full.close()


def test_a_database_behind_the_head_revision_or_missing_is_left_to_the_full_path(
    demo_file: Path, tmp_path: Path
) -> None:
    older = tmp_path / "older.db"
    older.write_bytes(demo_file.read_bytes())
    with sqlite3.connect(older) as connection:
        connection.execute("UPDATE alembic_version SET version_num = '0001_initial'")
    assert open_reader(ReadSettings(database_url=f"sqlite+aiosqlite:///{older}")) is None
    assert open_reader(ReadSettings(database_url=f"sqlite+aiosqlite:///{tmp_path / 'none.db'}")) is None
    assert open_reader(ReadSettings(database_url="postgresql+asyncpg://u@127.0.0.1/x")) is None
    assert open_reader(ReadSettings(database_url="sqlite+aiosqlite:///:memory:")) is None


def test_a_read_command_on_a_database_not_yet_created_creates_it_through_the_full_path(
    demo_file: Path, tmp_path: Path
) -> None:
    with sqlite3.connect(demo_file) as connection:
        head = connection.execute("SELECT version_num FROM alembic_version").fetchall()
    fresh = run_cli(tmp_path / "new.db", "complaints", "list")
    assert fresh.returncode == 0, fresh.stderr[-2000:]
    assert "没有投诉" in fresh.stdout
    with sqlite3.connect(tmp_path / "new.db") as connection:
        assert connection.execute("SELECT version_num FROM alembic_version").fetchall() == head


def run_cli(database: Path, *args: str, importtime: bool = False) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("NOCERT_")}
    env.update(PYTHONPATH=str(ROOT), NOCERT_DATABASE_URL=f"sqlite+aiosqlite:///{database}")
    flags = ["-X", "importtime"] if importtime else []
    return subprocess.run(
        [sys.executable, *flags, "-m", "bot.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )


@pytest.mark.parametrize("command", READ_COMMANDS, ids=" ".join)
def test_a_read_command_imports_no_heavy_library(
    demo_file: Path, oversight_file: Path, command: tuple[str, ...]
) -> None:
    database = oversight_file if command[0] in ("outbox", "verify", "rectify", "lexicon") else demo_file
    result = run_cli(database, *command, importtime=True)
    assert result.returncode == 0, result.stderr[-2000:]
    modules = {line.rsplit("|", 1)[-1].strip() for line in result.stderr.splitlines() if "|" in line}
    assert "nocert_core.domain.complaints" in modules  # the measurement sees the command's imports
    assert sorted(module for module in modules if module.split(".")[0] in HEAVY) == []


def test_roles_and_adjustment_triggers_are_printed_by_their_labels(
    demo_file: Path, oversight_file: Path
) -> None:
    status = run_cli(oversight_file, "outbox", "status")
    assert status.returncode == 0 and "无法联系的收件人：1" in status.stdout
    lines = status.stdout.splitlines()
    (unreachable,) = [line for line in lines if line.startswith("  ") and "失败：" not in line]
    assert unreachable.split("\t")[1] in {"市民", "承办单位工作人员", "专班", "管理员", "系统"}
    changes = run_cli(demo_file, "catalogue", "changes")
    assert changes.returncode == 0 and "法律法规新设证明要求: " in changes.stdout
    assert "law_enacted" not in changes.stdout


class Pending:
    """An awaitable that does not complete at once (as a network round trip would not)."""

    def __await__(self) -> Iterator[None]:
        yield None


def test_read_work_runs_to_its_end_without_an_event_loop_and_refuses_work_that_would_wait(
    light: ReadApplication,
) -> None:
    async def count(application: Any) -> int:
        return len(await list_units(application.uow()))

    async def waits(application: Any) -> int:
        await Pending()
        return 1

    assert light.run(count) >= 40
    with pytest.raises(RuntimeError, match="does not complete at once"):
        light.run(waits)
