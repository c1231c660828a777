"""CLI tables line up Chinese text by terminal cells, and print cell text as is."""

from __future__ import annotations

from pytest import CaptureFixture
from rich.cells import cell_len

from bot.cli.tables import print_table, table_text


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


def test_a_table_that_fits_is_laid_out_exactly_as_rich_lays_it_out() -> None:
    from bot.cli.tables import _aligned, _rich_table

    headers = ("number", "状态", "unit", "agency")
    rows = [
        ["TS-2026-000001", "已受理，办理中", "KW-SPJ", "奎文区审批局"],
        ["TS-2026-000002", "", "-", "[bold]市社保[/bold] ✓"],
        ["TS-2026-000003", "Registered, awaiting acceptance", "", "车管所（寿光）"],
    ]
    for table in (rows, [], rows[:1]):
        assert _aligned(headers, table, None) == _rich_table(headers, table, None)
        assert _aligned(headers, table, 200) == _rich_table(headers, table, 200)


def test_a_table_wider_than_the_terminal_or_with_a_line_break_is_left_to_rich() -> None:
    from bot.cli.tables import _aligned

    assert _aligned(("a", "b"), [["x" * 50, "y" * 50]], 60) is None
    assert _aligned(("a", "b"), [["two\nlines", "y"]], None) is None
    folded = table_text(("a", "b"), [["x" * 50, "y" * 50]], 60)
    assert max(len(line) for line in folded.splitlines()) <= 60 and "x" * 20 in folded
