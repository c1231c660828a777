"""Outbox rows written in bulk on PostgreSQL: the rows as arrays (`unnest`), one prepared statement
whatever their number — a multi-row VALUES is a new statement (parsed, planned, prepared) for every row
count and binds ten parameters per row. Used for a sweep's alerts and for an update's replies.

On SQLite, where a statement costs no round trip but each one a hand-off to the driver's thread (and
SQLite has no arrays), an update's or a batch's replies go in one multi-row INSERT, built once per row
count and kept (building it costs about as much CPU as running it; sqlite3 keeps the prepared form by its
text)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import text
from sqlalchemy.ext.asyncio import AsyncSession

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.direct import execute_in
from nocert_core.adapters.sql.multi_insert import multi_row_insert, row_parameters

# Rows go in the order given (WITH ORDINALITY … ORDER BY), so their ids ascend in that order.
_INSERT_ROWS = (
    "INSERT INTO outbox (dedup_key, recipient_ref, kind, payload, created_at, available_at, status,"
    " attempts, extra, leased_by) SELECT rows.dedup_key, rows.recipient_ref, rows.kind,"
    " CAST(rows.payload AS JSON), CAST(:created_at AS TIMESTAMP WITH TIME ZONE),"
    " CAST(:available_at AS TIMESTAMP WITH TIME ZONE), CAST(:status AS VARCHAR),"
    " CAST(:attempts AS INTEGER), CAST('{}' AS JSON), CAST(:leased_by AS VARCHAR)"
    " FROM unnest(CAST(:keys AS VARCHAR[]), CAST(:refs AS VARCHAR[]), CAST(:kinds AS VARCHAR[]),"
    " CAST(:payloads AS TEXT[])) WITH ORDINALITY AS rows(dedup_key, recipient_ref, kind, payload, n)"
    " ORDER BY rows.n"
    " ON CONFLICT (dedup_key) DO NOTHING"
)
INSERT_ROWS_PG = text(_INSERT_ROWS + " RETURNING id, dedup_key")
# An update's (or a batch's) inbox rows marked processed and its replies written in ONE statement (issue 15):
# both data-modifying parts always run; the answer lists the rows it marked (no dedup key) and the
# replies it wrote. A row another transaction marked first is missing from it, and the caller then rolls
# the whole transaction back, replies included.
MARK_AND_INSERT_ROWS_PG = text(
    "WITH marked AS (UPDATE chat_inbox SET processed_at = CAST(:now AS TIMESTAMP WITH TIME ZONE)"
    " WHERE id = ANY(CAST(:inbox_ids AS INTEGER[])) AND processed_at IS NULL RETURNING id),"
    f" written AS ({_INSERT_ROWS} RETURNING id, dedup_key)"
    " SELECT id, CAST(NULL AS VARCHAR) AS dedup_key FROM marked UNION ALL SELECT id, dedup_key FROM written"
)
# Only how many were written (a sweep's alerts: no row of ids sent back and read, one per message).
COUNT_ROWS_PG = text(f"WITH written AS ({_INSERT_ROWS} RETURNING 1) SELECT count(*) FROM written")


async def insert_outbox_rows_pg(
    session: AsyncSession,
    rows: Sequence[tuple[str, str, str, Any]],
    created_at: datetime,
    available_at: datetime,
    status: str,
    attempts: int,
    leased_by: str | None,
) -> dict[str, int]:
    """Rows (dedup key, recipient ref, kind, JSON payload), keys unique; {dedup key: new id} of the rows
    written (a key used before is skipped)."""
    parameters = _parameters(session, rows, created_at, available_at, status, attempts, leased_by)
    _, returned = await execute_in(session, INSERT_ROWS_PG, parameters)  # adapters/sql/direct.py
    return {key: int(row_id) for row_id, key in returned}


async def mark_and_insert_outbox_rows_pg(
    session: AsyncSession,
    inbox_ids: Sequence[int],
    rows: Sequence[tuple[str, str, str, Any]],
    now: datetime,
    available_at: datetime,
    status: str,
    attempts: int,
    leased_by: str | None,
) -> tuple[set[int], dict[str, int]]:
    """`MARK_AND_INSERT_ROWS_PG`: (the inbox ids this statement marked, {dedup key: new outbox id})."""
    parameters = _parameters(session, rows, now, available_at, status, attempts, leased_by)
    parameters.update(inbox_ids=list(inbox_ids), now=now)
    marked: set[int] = set()
    written: dict[str, int] = {}
    _, returned = await execute_in(session, MARK_AND_INSERT_ROWS_PG, parameters)  # adapters/sql/direct.py
    for row_id, key in returned:
        if key is None:
            marked.add(int(row_id))
        else:
            written[str(key)] = int(row_id)
    return marked, written


def _parameters(
    session: AsyncSession,
    rows: Sequence[tuple[str, str, str, Any]],
    created_at: datetime,
    available_at: datetime,
    status: str,
    attempts: int,
    leased_by: str | None,
) -> dict[str, Any]:
    serialize = session.get_bind().dialect._json_serializer or json.dumps  # as the JSON column would
    payloads: dict[int, str] = {}  # a sweep's messages share payload objects (one per subject)

    def serialized(payload: Any) -> str:
        key = id(payload)
        if key not in payloads:
            payloads[key] = serialize(payload)
        return payloads[key]

    return {
        "keys": [row[0] for row in rows],
        "refs": [row[1] for row in rows],
        "kinds": [row[2] for row in rows],
        "payloads": [serialized(row[3]) for row in rows],
        "created_at": created_at,
        "available_at": available_at,
        "status": status,
        "attempts": attempts,
        "leased_by": leased_by,
    }


async def count_outbox_rows_pg(
    session: AsyncSession,
    rows: Sequence[tuple[str, str, str, Any]],
    created_at: datetime,
    available_at: datetime,
    status: str,
) -> int:
    """As `insert_outbox_rows_pg` (no lease, no attempt yet), returning only how many rows were written."""
    parameters = _parameters(session, rows, created_at, available_at, status, 0, None)
    _, counted = await execute_in(session, COUNT_ROWS_PG, parameters)  # adapters/sql/direct.py
    return int(counted[0][0])


SQLITE_ROWS_PER_STATEMENT = 100  # 4 bound values a row, far below SQLite's 32,766
_PER_ROW = ("dedup_key", "recipient_ref", "kind", "payload")
_SHARED = ("created_at", "available_at", "status", "attempts", "extra", "leased_by")


async def insert_outbox_rows_sqlite(
    session: AsyncSession,
    rows: Sequence[tuple[str, str, str, Any]],
    created_at: datetime,
    available_at: datetime,
    status: str,
    attempts: int,
    leased_by: str | None,
) -> dict[str, int]:
    """As `insert_outbox_rows_pg`, on SQLite: {dedup key: new id} of the rows written."""
    written: dict[str, int] = {}
    for start in range(0, len(rows), SQLITE_ROWS_PER_STATEMENT):
        chunk = rows[start : start + SQLITE_ROWS_PER_STATEMENT]
        parameters: dict[str, Any] = {
            "created_at": created_at,
            "available_at": available_at,
            "status": status,
            "attempts": attempts,
            "extra": {},
            "leased_by": leased_by,
            **row_parameters(_PER_ROW, chunk),
        }
        statement = multi_row_insert(
            orm.outbox, _PER_ROW, _SHARED, "dedup_key", ("id", "dedup_key"), len(chunk)
        )
        _, returned = await execute_in(session, statement, parameters)  # adapters/sql/direct.py
        written.update({key: int(row_id) for row_id, key in returned})
    return written
