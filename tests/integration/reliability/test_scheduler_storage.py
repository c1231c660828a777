"""A scheduled job that hits a busy database (SQLite "database is locked" under load — each restart of a
kill soak runs the sweeps at once) is a warning with its message, not an ERROR traceback; it runs again at
its next time. Any other failure keeps its traceback."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from sqlalchemy.exc import OperationalError

from bot.jobs import scheduler
from nocert_core.bootstrap import Application
from nocert_core.services.oversight import sweeps


async def test_a_sweep_that_found_the_database_locked_is_a_warning_without_a_traceback(
    app: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def locked(*args: Any, **kwargs: Any) -> Any:
        raise OperationalError("UPDATE complaints", {}, Exception("database is locked"))

    monkeypatch.setattr(sweeps, "run_sweeps", locked)
    caplog.set_level(logging.WARNING, logger="bot.jobs.scheduler")
    await scheduler.sweep_job(app)
    (record,) = [r for r in caplog.records if "deadline sweep failed" in r.getMessage()]
    assert record.levelno == logging.WARNING and record.exc_info is None
    assert "database is locked" in record.getMessage()


async def test_a_sweep_that_failed_otherwise_keeps_its_traceback(
    app: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    async def broken(*args: Any, **kwargs: Any) -> Any:
        raise ValueError("a bug")

    monkeypatch.setattr(sweeps, "run_sweeps", broken)
    caplog.set_level(logging.WARNING, logger="bot.jobs.scheduler")
    await scheduler.sweep_job(app)
    (record,) = [r for r in caplog.records if "deadline sweep failed" in r.getMessage()]
    assert record.levelno == logging.ERROR and record.exc_info is not None
