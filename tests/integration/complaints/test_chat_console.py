"""The console channel: numbered buttons, piped input, outbox messages printed for the console user."""

from __future__ import annotations

import io
import os
import subprocess
import sys
from pathlib import Path

from bot.console import ConsoleSession
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access import accounts
from tests.integration.chat_driver import FACTS, add_units

CITIZEN_SCRIPT = "\n".join(
    [
        "/start",
        "1",
        "王芳",
        "13805361234",
        "奎文区行政审批服务局",
        "不再要求提交证明",
        "该证明已在免提交清单内",
        FACTS,
        "1",
        "1",
        "",
    ]
)


async def run_console(app: Application, account_ref: str, script: str) -> str:
    async with app.uow() as uow:
        account = await uow.accounts.get_by_ref(account_ref)
    out = io.StringIO()
    await ConsoleSession(app, account, out=out).run(io.StringIO(script), echo=True)
    return out.getvalue()


async def test_a_piped_console_session_files_a_complaint_and_staff_get_it_in_their_console(
    app: Application,
) -> None:
    await add_units(app)
    await accounts.ensure_account(
        app.uow(), app.clock, ref="console:citizen", channel="console", chat_id="citizen", language="en"
    )
    await accounts.bind_console_account(
        app.uow(), app.clock, CLI_ADMIN, user="staff-KW-SPJ", role=Role.STAFF, unit_code="KW-SPJ", locale="en"
    )
    transcript = await run_console(app, "console:citizen", CITIZEN_SCRIPT)
    assert "[1] 📝 Complain" in transcript
    assert "Your complaint is registered as TS-2026-000001" in transcript
    staff_view = await run_console(app, "console:staff-KW-SPJ", "1\n")
    assert "New complaint for your unit" in staff_view and "TS-2026-000001" in staff_view
    assert "Accepted. The complainant is told." in staff_view
    citizen_again = await run_console(app, "console:citizen", "")
    assert "was accepted by 奎文区行政审批服务局" in citizen_again


def test_nocert_chat_reads_piped_input_on_a_fresh_database(tmp_path: Path) -> None:
    environment = {**os.environ, "NOCERT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'fresh.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--lang", "en"],
        input="/start\n3\n/frobnicate\n/quit\n",
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "No-Proof City" in result.stdout
    assert "Your complaints" in result.stdout or "You have not filed any complaint yet." in result.stdout
    assert "do not know the command /frobnicate" in result.stdout
