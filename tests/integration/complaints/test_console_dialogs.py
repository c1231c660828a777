"""Issue 13 item 13 from the console user's side: notifications appear while the user waits (no keystroke
needed), their buttons continue the numbers on screen, the Chinese console has no English, and
`--as staff` without `--unit` asks which unit."""

from __future__ import annotations

import asyncio
import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

from bot.console import ConsoleSession
from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Button, Reply
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.services.access import accounts
from tests.integration.chat_driver import ChatUser, add_units, file_complaint

WAIT_LIMIT = 60.0  # seconds a step may take on a loaded machine before the test reports what it saw


class GatedLines(io.StringIO):
    """Piped lines that arrive one by one, each once its gate opens (a person reading, then typing). The
    test opens a gate when what the person waits for is on screen, so a slow machine only makes it slower."""

    def __init__(self, lines: list[tuple[threading.Event | None, str]]) -> None:
        super().__init__()
        self.lines = list(lines)

    def readline(self, size: int | None = -1) -> str:  # called in a worker thread
        if not self.lines:
            return ""
        gate, line = self.lines.pop(0)
        if gate is not None:
            gate.wait(WAIT_LIMIT)
        return line + "\n"


async def shown_within(out: io.StringIO, pattern: str) -> str:
    """The console's output once it holds `pattern` (or as it stands after WAIT_LIMIT seconds)."""
    for _ in range(int(WAIT_LIMIT / 0.05)):
        if re.search(pattern, out.getvalue()):
            break
        await asyncio.sleep(0.05)
    return out.getvalue()


async def staff_console(app: Application, out: io.StringIO) -> ConsoleSession:
    account = await accounts.bind_console_account(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        user="staff-KW-SPJ",
        role=Role.STAFF,
        unit_code="KW-SPJ",
        locale="zh_Hans",
    )
    return ConsoleSession(app, account, out=out, poll_seconds=0.05)


async def test_a_notification_appears_while_the_console_waits_and_keeps_the_numbers_above(
    app: Application,
) -> None:
    await add_units(app)
    out = io.StringIO()
    session = await staff_console(app, out)
    done_reading = threading.Event()
    lines = GatedLines([(None, "/menu"), (done_reading, "/quit")])  # the clerk looks at the menu and waits
    running = asyncio.create_task(session.run(lines, echo=False, poll=True))
    menu_numbers = re.findall(r"\[(\d+)\]", await shown_within(out, r"\[1\]"))
    assert menu_numbers  # the staff menu, numbered from 1
    citizen = ChatUser(Dispatcher(app), "4001")
    await file_complaint(citizen)
    await citizen.press("Submit")
    shown = await shown_within(out, "TS-2026-000001")  # the assignment arrives with no line typed
    assert "🔔（通知）" in shown and "TS-2026-000001" in shown
    notification = shown[shown.index("🔔（通知）") :]
    numbers = [int(number) for number in re.findall(r"\[(\d+)\]", notification)]
    assert numbers and min(numbers) == len(menu_numbers) + 1  # continues after the menu's buttons
    assert session.buttons[0].startswith("st:queue")  # "1" still presses the menu's first button
    done_reading.set()
    await running


def test_the_chinese_console_speaks_chinese(tmp_path: Path) -> None:
    environment = {**os.environ, "NOCERT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'zh.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--lang", "zh_Hans"],
        input="/start\n1\n王芳\n/quit\n",
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    output = result.stdout.split("nocert 控制台", 1)[1]  # after the demo-data summary
    assert "输入按钮前的数字" in output and "市民" in output
    assert "在 Telegram 上可以用按钮一键分享手机号" in output
    for english in ("share-phone", "notification", "Type a button", "citizen)"):
        assert english not in output


def test_staff_without_a_unit_are_asked_which_unit(tmp_path: Path) -> None:
    environment = {**os.environ, "NOCERT_DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path / 'staff.db'}"}
    result = subprocess.run(
        [sys.executable, "-m", "bot.cli", "chat", "--as", "staff", "--lang", "zh_Hans"],
        input="/quit\n",
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert result.returncode == 2
    assert "您在哪个单位工作？" in result.stdout and "[1] " in result.stdout
    assert "--unit" in result.stderr
    assert "nocert 控制台" not in result.stdout  # no unit was picked silently


def test_an_updated_card_is_printed_again_with_a_mark() -> None:
    from bot.console import format_reply
    from nocert_core.i18n import translator

    text, data = format_reply(
        Reply("卡片", [[Button("受理", "st:acc")]], edit=True), 3, translator("zh_Hans")
    )
    assert text.startswith("↻（已更新） 卡片") and "[3] 受理" in text and data == ["st:acc"]
