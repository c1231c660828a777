"""`nocert run` imports before its first getUpdates only what answering needs: a library used later (a chart,
a workbook, the text tools warmed up in the background, Chinese numerals) is imported when first used. A kill
soak restarts the bot every few seconds; what it imports at start it pays again (docs/startup.md)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
LATER = ("matplotlib", "openpyxl", "jieba", "pypinyin", "cn2an", "alembic", "rich")
RUN_PATH = (
    "bot.cli.run",
    "bot.telegram.runtimes",
    "bot.telegram.aiogram_runtime",
    "bot.telegram.ptb_runtime",
    "bot.jobs.scheduler",
    "bot.http.surface",
    "bot.web.app",
    "handlers.dispatch.dispatcher",
    "nocert_core.bootstrap",
)


def test_the_run_path_imports_no_library_it_needs_only_later() -> None:
    code = f"import sys\nfor name in {RUN_PATH!r}:\n    __import__(name)\nprint(*sorted(sys.modules))"
    finished = subprocess.run(
        [sys.executable, "-c", code],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    modules = set(finished.stdout.split())
    assert "aiogram" in modules  # the measurement sees imports at all
    assert {module for module in modules if module.split(".")[0] in LATER} == set()
