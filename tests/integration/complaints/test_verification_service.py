"""Verification request use cases on both backends (numbering, confidentiality, who hears what) and the
`nocert verify` CLI."""

from __future__ import annotations

import asyncio
import json
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select
from typer.testing import CliRunner

from bot.cli import app as cli_app
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application, open_application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor
from nocert_core.domain.verification import VerificationResult, VerificationStatus
from nocert_core.errors import NotFound, PermissionDenied
from nocert_core.services.verification import requests as svc
from nocert_core.settings import Settings, get_settings
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, seed, staff_actor

REQUESTER = staff_actor("KW-SPJ", 1)  # telegram:2001
ISSUER = staff_actor("WC-BDC", 2)  # telegram:2002
OUTSIDER = staff_actor("GX-GAJ", 3)  # telegram:2003


async def new_request(app: Application, clock: FixedClock, actor: Actor = REQUESTER) -> str:
    request = await svc.create_request(
        app.uow(),
        clock,
        actor,
        "WC-BDC",
        "二手房转移登记",
        "不动产权属证明",
        "王芳",
        "房产坐落：潍城区XX路1号",
    )
    return request.number


async def outbox_by_kind(app: Application) -> Counter[tuple[str, str]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.kind, orm.outbox.c.recipient_ref).where(
                orm.outbox.c.kind.like("verification.%")
            )
        )
        return Counter((kind, ref) for kind, ref in rows)


async def test_numbers_are_sequential_per_year(app: Application, clock: FixedClock) -> None:
    await seed(app)
    assert [await new_request(app, clock) for _ in range(2)] == ["HC-2026-000001", "HC-2026-000002"]
    clock.set(datetime(2027, 1, 4, 2, 0, tzinfo=UTC))
    assert await new_request(app, clock) == "HC-2027-000001"


async def test_an_outsider_gets_the_answer_of_a_missing_number_and_views_are_audited(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    number = await new_request(app, clock)
    for actor in (OUTSIDER, CITIZEN):
        with pytest.raises(NotFound) as hidden:
            await svc.get_request(app.uow(), clock, actor, number)
        with pytest.raises(NotFound) as missing:
            await svc.get_request(app.uow(), clock, actor, "HC-2026-000999")
        assert hidden.value.msgid == missing.value.msgid
        assert list(await svc.list_requests(app.uow(), actor)) == []
    with pytest.raises(NotFound):
        await svc.accept_request(app.uow(), clock, OUTSIDER, number)
    with pytest.raises(PermissionDenied):  # the requesting side may see it, not answer it
        await svc.accept_request(app.uow(), clock, REQUESTER, number)
    await svc.get_request(app.uow(), clock, ISSUER, number, "check")
    seen = await svc.get_request(app.uow(), clock, SUPERVISOR, number.lower())
    assert [(e.action, e.actor_ref) for e in seen.audit] == [
        ("request", REQUESTER.ref),
        ("view", ISSUER.ref),
        ("view", SUPERVISOR.ref),
    ]
    assert [r.number for r in await svc.list_requests(app.uow(), ISSUER)] == [number]
    assert [r.number for r in await svc.list_requests(app.uow(), SUPERVISOR, unit_code="GX-GAJ")] == []


async def test_verifying_at_once_registers_it_too_and_each_side_hears_once(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    number = await new_request(app, clock)
    done = await svc.verify_request(app.uow(), clock, ISSUER, number, VerificationResult.CONSISTENT)
    assert done.status == VerificationStatus.VERIFIED and done.accepted_at == clock.now()
    assert [e.action for e in done.audit] == ["request", "accept", "verify"]
    sent = await outbox_by_kind(app)
    assert sent == Counter(
        {("verification.requested", ISSUER.ref): 1, ("verification.answered", REQUESTER.ref): 1}
    )


async def test_with_nobody_of_the_issuing_unit_bound_the_task_force_hears(
    app: Application, clock: FixedClock
) -> None:
    await seed(app, staff=False)
    await new_request(app, clock)
    assert await outbox_by_kind(app) == Counter({("verification.requested", SUPERVISOR.ref): 1})


async def test_the_time_limit_is_a_setting(app: Application, clock: FixedClock) -> None:
    await seed(app)
    app.settings.verification_working_days = 1
    number = await new_request(app, clock)
    request = await svc.get_request(app.uow(), clock, SUPERVISOR, number)
    assert request.working_days == 1
    assert request.deadline_at == datetime(2026, 11, 26, 15, 59, 59, 999999, tzinfo=UTC)


runner = CliRunner()


async def _filed(url: str) -> str:
    clock = FixedClock(datetime(2026, 11, 25, 1, 30, tzinfo=UTC))
    app = await open_application(Settings(database_url=url), clock)
    try:
        await seed(app)
        number = await new_request(app, clock)
        await svc.return_request(app.uow(), clock, ISSUER, number, "不属于本单位职责")
        await new_request(app, clock)
        return number
    finally:
        await app.close()


@pytest.fixture
def cli_url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A file database the CLI opens; the settings are read once per process, so forget them around it."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'nocert.db'}"
    monkeypatch.setenv("NOCERT_DATABASE_URL", url)
    get_settings.cache_clear()
    yield url
    get_settings.cache_clear()


def test_the_cli_lists_the_register_and_shows_one_request_with_its_audit(cli_url: str) -> None:
    returned = asyncio.run(_filed(cli_url))
    env = {"NOCERT_DATABASE_URL": cli_url}
    listed = runner.invoke(cli_app, ["verify", "list"], env=env)
    assert listed.exit_code == 0, listed.output
    row = next(line for line in listed.output.splitlines() if line.startswith(returned))
    assert row.split()[1:5] == ["KW-SPJ", "→", "WC-BDC", "已退回"]  # states by their labels (zh_Hans)
    assert "王芳" not in listed.output  # the register, not the applicant's data
    as_json = runner.invoke(cli_app, ["verify", "list", "--unit", "WC-BDC", "--open", "--json"], env=env)
    rows = json.loads(as_json.output)
    assert [row["number"] for row in rows] == ["HC-2026-000002"] and rows[0]["status"] == "requested"
    assert (
        json.loads(runner.invoke(cli_app, ["verify", "list", "--unit", "GX-GAJ", "--json"], env=env).output)
        == []
    )
    shown = runner.invoke(cli_app, ["verify", "show", returned.lower()], env=env)
    assert shown.exit_code == 0, shown.output
    assert "applicant: 王芳" in shown.output and "return reason: 不属于本单位职责" in shown.output
    assert "\treturn\t已申请，待登记受理 → 已退回" in shown.output
    again = runner.invoke(cli_app, ["verify", "show", returned], env=env)
    assert again.output.count("\tview\t") == 2  # the first show is itself on record
    missing = runner.invoke(cli_app, ["verify", "show", "HC-2026-000404"], env=env)
    assert missing.exit_code == 1 and "No verification request HC-2026-000404." in missing.output
