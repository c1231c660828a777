"""CLI tables with rich: columns measured in terminal cells, so Chinese text (two cells a character) lines up.

Cell text is printed as is (no rich markup, no emoji codes): complaint texts may contain "[...]".
`--json` output never goes through here."""

from __future__ import annotations

import io
import sys
from collections.abc import Iterable, Sequence


def table_text(headers: Sequence[str], rows: Iterable[Sequence[str]], width: int | None = None) -> str:
    """The table as text, `width` cells wide at most (None: as wide as the rows need)."""
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
