"""The import commands as an operator runs them (fresh SQLite file, Chinese output by default): refusals are
one clear message and exit code 1, never a traceback; a big file does not print a line per row."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from bot.cli import app
from bot.cli.imports import SHOWN, ProgressBar
from nocert_core.i18n import translator
from nocert_core.settings import get_settings

runner = CliRunner()
HEADER = "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"


@pytest.fixture
def cli(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[CliRunner]:
    monkeypatch.setenv("NOCERT_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}")
    get_settings.cache_clear()
    yield runner
    get_settings.cache_clear()


def test_a_missing_file_is_one_chinese_message_and_exit_code_1(cli: CliRunner, tmp_path: Path) -> None:
    for command in ("units", "catalogue", "calendar", "lexicon"):
        result = cli.invoke(app, [command, "import", str(tmp_path / "nope.csv")])
        assert result.exit_code == 1, result.output
        assert "找不到文件" in result.output and "Traceback" not in result.output
        assert result.exception is None or isinstance(result.exception, SystemExit)


def test_a_big_catalogue_prints_a_summary_not_a_line_per_row(cli: CliRunner, tmp_path: Path) -> None:
    rows = "".join(f"B-{n:05d},事项{n},某单位,证明{n},部门核验,,\n" for n in range(1200))
    big = tmp_path / "big.csv"
    big.write_bytes((HEADER + rows).encode("gb18030"))
    result = cli.invoke(app, ["catalogue", "import", str(big)])
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert len(lines) <= SHOWN + 2
    assert len(result.output.splitlines()) <= 2 * SHOWN + 4  # unknown-unit warnings are capped too
    assert "另有 1180 条" in result.stdout and "新增 1200 条" in result.stdout
    header_only = tmp_path / "header.csv"
    header_only.write_text(HEADER, encoding="utf-8")
    refused = cli.invoke(app, ["catalogue", "import", str(header_only)])
    assert refused.exit_code == 1 and "1200 条清单事项中的 1200 条" in refused.output
    dry = cli.invoke(app, ["catalogue", "import", str(header_only), "--dry-run"])
    assert dry.exit_code == 0
    assert sum(line.startswith("- B-") for line in dry.stdout.splitlines()) == 1200  # every removal listed
    assert "不加 --replace 时本次导入会被拒绝" in dry.stdout


def test_the_progress_bar_draws_only_for_big_files() -> None:
    bar = ProgressBar(translator("en"))
    bar.stage("read", 10)
    assert bar.task is None
    bar.stage("write", 5000)
    assert bar.task is not None
    bar.advance(10)
    assert bar.progress.tasks[0].completed == 10 and bar.progress.tasks[0].description == "Writing"
