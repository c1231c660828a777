"""CLI tables: columns measured in terminal cells, so Chinese text (two cells a character) lines up.

Cell text is printed as is (no rich markup, no emoji codes): complaint texts may contain "[...]".
`--json` output never goes through here.

A table that fits (always, in a pipe or a test) is laid out here, cell widths by rich's `cell_len`, the
way rich's table lays it out (tests/unit/cli/test_cli_tables.py compares them); rendering a few hundred rows
with rich's Table costs seconds of CPU on a busy machine (`nocert catalogue changes`, docs/startup.md).
A table wider than the terminal, or with line breaks or tabs in a cell, is rendered by rich (it folds).
"""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Sequence

GAP = "   "  # between columns, as rich's SIMPLE_HEAD box without edges pads them


def table_text(headers: Sequence[str], rows: Iterable[Sequence[str]], width: int | None = None) -> str:
    """The table as text, `width` cells wide at most (None: as wide as the rows need)."""
    materialised = [list(row) for row in rows]
    aligned = _aligned(headers, materialised, width)
    return aligned if aligned is not None else _rich_table(headers, materialised, width)


def _aligned(headers: Sequence[str], rows: list[list[str]], width: int | None) -> str | None:
    """The table laid out here; None when rich must lay it out (too wide, or breaks inside a cell)."""
    from rich.cells import cell_len

    table = [list(headers), *rows]
    if any(mark in cell for row in table for cell in row for mark in "\n\r\t"):
        return None
    widths = [max(cell_len(row[column]) for row in table) for column in range(len(headers))]
    total = sum(widths) + len(GAP) * (len(widths) - 1)
    if width is not None and total > width:
        return None

    def line(cells: Sequence[str]) -> str:
        padded = (cell + " " * (size - cell_len(cell)) for cell, size in zip(cells, widths, strict=True))
        return GAP.join(padded).rstrip()

    return "\n".join([line(headers), "─" * total, *(line(row) for row in rows)])


def _rich_table(headers: Sequence[str], rows: Iterable[Sequence[str]], width: int | None) -> str:
    from rich import box
    from rich.console import Console
    from rich.table import Table

    table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, highlight=False)
    for header in headers:
        table.add_column(header, no_wrap=True, overflow="fold")
    for row in rows:
        table.add_row(*row)
    out = io.StringIO()
    console = Console(
        file=out, width=width or 10_000, markup=False, emoji=False, highlight=False, color_system=None
    )
    console.print(table)
    return "\n".join(line.rstrip() for line in out.getvalue().splitlines())


def print_table(headers: Sequence[str], rows: Iterable[Sequence[str]]) -> None:
    """Print the table; on a terminal no wider than it, in a pipe or a test as wide as the rows need."""
    import shutil

    width = shutil.get_terminal_size().columns if sys.stdout.isatty() else None
    print(table_text(headers, rows, width))
