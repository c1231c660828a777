"""Helpers for the tests that start `nocert` as a user does: a real process (runtime/test_telegram_cli.py,
web/test_web_cli.py)."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

NOCERT = shutil.which("nocert", path=str(Path(sys.executable).parent)) or "nocert"


def environment(tmp_path: Path, **values: str) -> dict[str, str]:
    """The test process's environment without any NOCERT_ setting, on a SQLite database in `tmp_path`."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("NOCERT_")}
    env["NOCERT_DATABASE_URL"] = f"sqlite+aiosqlite:///{tmp_path / 'nocert.db'}"
    env.update(values)
    return env
