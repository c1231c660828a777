"""CLI tables line up Chinese text by terminal cells, and print cell text as is."""

from __future__ import annotations

from pytest import CaptureFixture
from rich.cells import cell_len

from bot.cli_tables import print_table, table_text


def test_chinese_columns_line_up(capsys: CaptureFixture[str]) -> None:
    print_table(("unit", "agency"), [("潍坊市公安局", "x"), ("ab", "[bold]y[/bold]")])
    lines = [line for line in capsys.readouterr().out.splitlines() if line.strip() and "─" not in line]
    starts = [
        cell_len(line[: line.index(mark)]) for line, mark in zip(lines, ("agency", "x", "["), strict=True)
    ]
    assert len(set(starts)) == 1  # the second column starts at the same cell on every row
    assert "[bold]y[/bold]" in lines[2]  # no markup interpreted


def test_a_long_row_is_not_cut_when_not_on_a_terminal() -> None:
    text = table_text(("number", "facts"), [("TS-1", "窗口要求提交" * 40)])
    assert "窗口要求提交" * 40 in text
