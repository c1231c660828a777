"""Issue 13 item 14 as an administrator types it: `complaints show 1` with the short number, times with their
zone, `report --period month` saying which dates it covers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from nocert_core.settings import get_settings

runner = CliRunner()


@pytest.fixture
def demo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NOCERT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'demo.db'}")
    get_settings.cache_clear()
    result = runner.invoke(app, ["init", "--demo"])
    assert result.exit_code == 0, result.output
    yield runner
    get_settings.cache_clear()


def test_show_accepts_the_short_number_and_times_carry_their_zone(demo: CliRunner) -> None:
    listing = demo.invoke(app, ["complaints", "list"])
    assert listing.exit_code == 0, listing.output
    first = re.search(r"TS-(\d{4})-000001", listing.output)
    assert first is not None
    assert "时间按 Asia/Shanghai 显示" in listing.output and "+08:00" in listing.output
    shown = demo.invoke(app, ["complaints", "show", "1"])
    assert shown.exit_code == 0, shown.output
    assert shown.output.startswith(first.group(0))
    assert re.search(r"收到： +\d{4}-\d{2}-\d{2} \d{2}:\d{2}\+08:00", shown.output)
    missing = demo.invoke(app, ["complaints", "show", "999999"])
    assert missing.exit_code != 0


def test_a_report_says_which_dates_it_covers(demo: CliRunner, tmp_path: Path) -> None:
    result = demo.invoke(app, ["report", "--period", "month", "--out", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    assert re.search(
        r"covers this month so far: \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2} \(both included\)", result.output
    )
    assert "--period last-month" in result.output
    previous = demo.invoke(app, ["report", "--period", "last-month", "--out", str(tmp_path / "prev")])
    assert "covers the whole previous month" in previous.output


def test_the_readme_names_last_month() -> None:
    readme = (Path(__file__).resolve().parents[3] / "README.md").read_text(encoding="utf-8")
    assert "last-month" in readme
