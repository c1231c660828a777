"""Multi-row `INSERT … ON CONFLICT DO NOTHING RETURNING` as text, one statement per row count.

SQLAlchemy does not cache a Core insert with several VALUES rows (its cache key is None), so the ones built
with `insert().values([...])` — a fetched batch's inbox rows, a transaction's reply rows on SQLite — were
compiled anew for every batch: ~12 % of the bot's CPU on SQLite (issue 15). The same statement as text is
compiled once per row count. Binds carry their column's type (JSON, UTC times, enums are converted as the
column would)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import lru_cache
from typing import Any

from sqlalchemy import Table, bindparam, text
from sqlalchemy.sql.elements import TextClause


@lru_cache(maxsize=512)
def multi_row_insert(
    table: Table,
    per_row: tuple[str, ...],
    shared: tuple[str, ...],
    conflict: str,
    returning: tuple[str, ...],
    count: int,
) -> TextClause:
    """`count` rows of the `per_row` columns (bound as `<column>_<n>`, see `row_parameters`) and the
    `shared` ones (bound once, by their names); a row whose `conflict` column exists already is skipped."""
    rows = ", ".join(
        "("
        + ", ".join([*(f":{column}_{n}" for column in per_row), *(f":{column}" for column in shared)])
        + ")"
        for n in range(count)
    )
    binds = [
        bindparam(f"{column}_{n}", type_=table.c[column].type) for n in range(count) for column in per_row
    ] + [bindparam(column, type_=table.c[column].type) for column in shared]
    return text(
        f"INSERT INTO {table.name} ({', '.join([*per_row, *shared])}) VALUES {rows}"
        f" ON CONFLICT ({conflict}) DO NOTHING RETURNING {', '.join(returning)}"
    ).bindparams(*binds)


def row_parameters(per_row: Sequence[str], rows: Iterable[Sequence[Any]]) -> dict[str, Any]:
    """The per-row binds of `multi_row_insert` for these rows (values in `per_row` order)."""
    return {
        f"{column}_{n}": value
        for n, row in enumerate(rows)
        for column, value in zip(per_row, row, strict=True)
    }
