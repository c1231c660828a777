"""`nocert rectify reopen`: a failed follow-up check sends the notice back with a deadline the supervisor
chooses (5 working days unless told otherwise)."""

from __future__ import annotations

import asyncio
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import app as cli_app
from nocert_core.bootstrap import open_application
from nocert_core.clock import SystemClock
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.rectification import RectificationNotice, RectificationStatus
from nocert_core.services.oversight import rectification as rect
from nocert_core.settings import Settings
from tests.integration.oversight_helpers import SUPERVISOR, seed

runner = CliRunner()


async def accepted_notices(url: str, count: int) -> list[str]:
    app = await open_application(Settings(database_url=url), SystemClock())
    try:
        await seed(app, staff=False)
        numbers = []
        for _ in range(count):
            notice = await rect.issue_notice(app.uow(), app.clock, SUPERVISOR, "KW-SPJ", "问题", "要求", 3)
            await rect.report_rectification(app.uow(), app.clock, CLI_ADMIN, notice.number, "已整改")
            await rect.accept_rectification(app.uow(), app.clock, SUPERVISOR, notice.number)
            numbers.append(notice.number)
        return numbers
    finally:
        await app.close()


async def notice(url: str, number: str) -> RectificationNotice:
    app = await open_application(Settings(database_url=url), SystemClock())
    try:
        return await rect.get_notice(app.uow(), SUPERVISOR, number)
    finally:
        await app.close()


def test_reopen_takes_the_working_days_given_and_five_by_default(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nocert.db'}"
    chosen, default = asyncio.run(accepted_notices(url, 2))
    env = {"NOCERT_DATABASE_URL": url}

    result = runner.invoke(
        cli_app, ["rectify", "reopen", chosen, "--reason", "回头看发现问题", "--days", "8"], env=env
    )
    assert result.exit_code == 0, result.output
    assert f"{chosen}\tKW-SPJ\t已退回，需重新报告" in result.output  # the state's label (zh_Hans)
    result = runner.invoke(cli_app, ["rectify", "reopen", default, "--reason", "回头看发现问题"], env=env)
    assert result.exit_code == 0, result.output

    reopened = asyncio.run(notice(url, chosen))
    assert reopened.status == RectificationStatus.RETURNED and reopened.working_days == 8
    assert asyncio.run(notice(url, default)).working_days == 5
    refused = runner.invoke(cli_app, ["rectify", "reopen", chosen, "--reason", "再次"], env=env)
    assert refused.exit_code != 0  # only an accepted notice can be reopened


def test_reopen_refuses_a_deadline_outside_one_to_sixty_working_days_and_changes_nothing(
    tmp_path: Path,
) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'nocert.db'}"
    [number] = asyncio.run(accepted_notices(url, 1))
    env = {"NOCERT_DATABASE_URL": url}

    for days in ("0", "61"):
        refused = runner.invoke(
            cli_app, ["rectify", "reopen", number, "--reason", "回头看发现问题", "--days", days], env=env
        )
        assert refused.exit_code == 1
        assert "1 to 60 working days" in refused.output
    assert asyncio.run(notice(url, number)).status == RectificationStatus.ACCEPTED
