"""SQLite rows as domain objects, for the read-only unit of work (`adapters/sqlite/sqlite_reader.py`): a row
to its dataclass by the dataclass's own field annotations (UTC datetimes, dates, booleans, enums, JSON), an
aggregate's child rows in order, and the few SQL pieces the readers' queries share."""

from __future__ import annotations

import dataclasses
import json
import sqlite3
import sys
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any, TypeVar

T = TypeVar("T")


def utc(value: str) -> datetime:
    """SQLAlchemy stores UTC as naive text on SQLite (`adapters.sql.orm.UtcDateTime`)."""
    parsed = datetime.fromisoformat(value)
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _enum_named(cls: type, name: str) -> type[Enum] | None:
    for klass in cls.__mro__:
        found = vars(sys.modules[klass.__module__]).get(name)
        if isinstance(found, type) and issubclass(found, Enum):
            return found
    return None


_CONVERTERS: dict[type, dict[str, Any]] = {}


def _converters(cls: type) -> dict[str, Any]:
    """A converter per dataclass field, chosen by its annotation (the text of it, under
    `from __future__ import annotations`): UTC datetimes, dates, booleans, the module's enums, JSON."""
    if cls in _CONVERTERS:
        return _CONVERTERS[cls]
    converters: dict[str, Any] = _CONVERTERS.setdefault(cls, {})
    for item in dataclasses.fields(cls):
        annotation = item.type if isinstance(item.type, str) else getattr(item.type, "__name__", "")
        kind = annotation.replace(" | None", "").strip()
        if kind == "datetime":
            converters[item.name] = utc
        elif kind == "date":
            converters[item.name] = date.fromisoformat
        elif kind == "bool":
            converters[item.name] = bool
        elif kind.startswith(("dict", "list")):
            converters[item.name] = json.loads
        else:
            converters[item.name] = _enum_named(cls, kind)
    return converters


def from_row(cls: type[T], row: sqlite3.Row, **extra: Any) -> T:
    """A domain object of dataclass `cls` from a row: the columns named like its fields (others, such
    as bookkeeping columns the domain does not know, are left out); `extra` sets related objects."""
    converters = _converters(cls)
    values: dict[str, Any] = {}
    for name in row.keys():  # noqa: SIM118 (a sqlite3.Row iterates over its values, not its names)
        if name not in converters:
            continue
        value = row[name]
        convert = converters[name]
        values[name] = value if value is None or convert is None else convert(value)
    return cls(**values, **extra)


def children_of(
    connection: sqlite3.Connection, cls: type[T], table: str, owner: str, ids: Sequence[int]
) -> dict[int, list[T]]:
    """Rows of `table` belonging to the owners `ids` (column `owner`), in order, by owner."""
    found: dict[int, list[T]] = {}
    marks = ", ".join("?" * len(ids))
    for row in connection.execute(f"SELECT * FROM {table} WHERE {owner} IN ({marks}) ORDER BY id", ids):
        found.setdefault(row[owner], []).append(from_row(cls, row))
    return found


def audited(
    connection: sqlite3.Connection,
    cls: type[T],
    audit_cls: type[Any],
    audit_table: str,
    owner: str,
    query: str,
    parameters: Sequence[Any],
) -> list[T]:
    """A lifecycle's aggregates with their audit rows in order (`orm.map_audited`'s loading)."""
    rows = connection.execute(query, parameters).fetchall()
    if not rows:
        return []
    audit = children_of(connection, audit_cls, audit_table, owner, [row["id"] for row in rows])
    return [from_row(cls, row, audit=audit.get(row["id"], [])) for row in rows]


def where_clause(conditions: Sequence[tuple[str, Sequence[Any]]]) -> tuple[str, list[Any]]:
    """` WHERE a AND b` and the parameters, from (condition, its parameters) pairs."""
    if not conditions:
        return "", []
    return " WHERE " + " AND ".join(text for text, _ in conditions), [p for _, ps in conditions for p in ps]


def column_in(column: str, values: Iterable[Any]) -> tuple[str, list[Any]]:
    wanted = [getattr(value, "value", value) for value in values]
    return (f"{column} IN ({', '.join('?' * len(wanted))})" if wanted else "0"), wanted


def stored(moment: datetime) -> str:
    """A UTC instant as SQLAlchemy stores it on SQLite (naive text with microseconds)."""
    return moment.astimezone(UTC).replace(tzinfo=None).strftime("%Y-%m-%d %H:%M:%S.%f")
