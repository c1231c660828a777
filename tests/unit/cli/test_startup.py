"""Start-up stays light: `nocert --help` imports no heavy library, and an up-to-date database is recognised
without loading Alembic. (How fast it is, is measured by bench/startup_bench.py, not asserted here.)"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from alembic.script import ScriptDirectory

from nocert_core.adapters.sql.migrate import alembic_config, head_revisions

ROOT = Path(__file__).resolve().parents[3]
HEAVY = ("matplotlib", "jieba", "pypinyin", "openpyxl", "sqlalchemy", "alembic", "aiogram", "telegram")


def imported_by(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    finished = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "bot.cli", *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return {line.rsplit("|", 1)[-1].strip() for line in finished.stderr.splitlines() if "|" in line}


def test_nocert_help_imports_no_heavy_library() -> None:
    modules = imported_by("--help")
    assert "typer" in modules  # the measurement sees imports at all
    assert {module for module in modules if module.split(".")[0] in HEAVY} == set()


def test_nocert_help_imports_no_feature_or_domain_module_only_the_translations() -> None:
    modules = imported_by("--help")
    ours = {module for module in modules if module.startswith(("bot.cli.", "nocert_core.", "handlers"))}
    # bot.cli.startup: typer hooks; env: NOCERT_LOCALE read as the settings read it. No feature, no domain.
    assert ours == {"nocert_core.i18n", "nocert_core.env", "bot.cli.startup"}


def test_a_command_group_help_imports_no_heavy_library_either() -> None:
    modules = imported_by("complaints", "--help")
    assert {module for module in modules if module.split(".")[0] in HEAVY} == set()


def test_the_head_revision_read_from_the_files_is_alembics() -> None:
    assert head_revisions() == set(ScriptDirectory.from_config(alembic_config()).get_heads())
