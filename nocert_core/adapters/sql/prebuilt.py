"""Statements of the chat update path, built once and run with parameters (issue 15): building a SELECT
and computing its cache key cost about as much CPU as running it — a statement built afresh for every call
took ~2× the CPU of the same one built once. ORM statements are built on first use (the mappers are
configured by then)."""

from __future__ import annotations

from functools import cache
from typing import Any

from sqlalchemy import Table, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from nocert_core.adapters.sql import orm
from nocert_core.domain.accounts import Account


@cache
def account_by_ref() -> Any:
    return select(Account).where(orm.accounts.c.ref == bindparam("ref"))


@cache
def accounts_of_unit() -> Any:
    """A unit's accounts of the given roles, by id (parameters: unit_code, roles)."""
    table = orm.accounts
    return (
        select(Account)
        .where(
            table.c.unit_code == bindparam("unit_code"), table.c.role.in_(bindparam("roles", expanding=True))
        )
        .order_by(table.c.id)
    )


@cache
def next_in_sequence(dialect: str, table: Table) -> Any:
    """The upsert that draws a year's next number (parameter: year); see `repositories.next_in_sequence`."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(table)
        .values(year=bindparam("year"), last_value=1)
        .on_conflict_do_update(index_elements=["year"], set_={"last_value": table.c.last_value + 1})
        .returning(table.c.last_value)
    )
