"""The inbox statements of a batch of updates handled in ONE transaction (group commit,
handlers/dispatch/update_batch.py): one statement for all of the batch's rows instead of one per update.

- `look`: whether each row is processed already, locking the rows for the transaction (PostgreSQL
  `FOR UPDATE`, in id order so two batches lock in the same order), and — when dialog states live in the
  database — each row's user's state in the same statement;
- `mark_processed`: the rows' processed marks; the rows another transaction marked first are not
  returned (that update's handling must not commit);
- `save_states`: the dialog states of the batch's users saved in one UPDATE, each only over the version it
  was read at (the users whose stored version differs are not returned: StaleDialogState for them);
- `RECEIVE_NEW_PG`: a fetched batch of updates written to the inbox by one statement that is a whole
  transaction (run in autocommit: no BEGIN and COMMIT round trips) when their keys are new — the usual
  case; a key stored already is left to `ChatRepository.receive_many`, which tells a redelivery from an
  update id Telegram reused.

The IN lists are padded to a power of two (the last id repeated, which changes nothing): the list's
length is part of the SQL text, and asyncpg prepares each text anew.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ARRAY, ColumnElement, Integer, Select, any_, bindparam, select, text, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import BindParameter

from nocert_core.adapters.sql.direct import execute_in
from nocert_core.adapters.sql.tables_chat import chat_dialog_states, chat_inbox

_IDS: BindParameter[Any] = bindparam("ids", expanding=True)
# PostgreSQL: the ids as one array (a single prepared statement for any batch size, run straight on the
# driver by adapters/sql/direct.py), not an IN list whose length is part of the SQL text.
_ID_ARRAY: BindParameter[Any] = bindparam("id_array", type_=ARRAY(Integer))


def _look(selected_ids: ColumnElement[bool], *, with_states: bool) -> Select[Any]:
    if not with_states:
        return (
            select(chat_inbox.c.id, chat_inbox.c.processed_at)
            .where(selected_ids)
            .order_by(chat_inbox.c.id)
            .with_for_update()
        )
    return (
        select(
            chat_inbox.c.id,
            chat_inbox.c.processed_at,
            chat_dialog_states.c.name,
            chat_dialog_states.c.data,
            chat_dialog_states.c.version,
        )
        .select_from(
            chat_inbox.outerjoin(chat_dialog_states, chat_dialog_states.c.user_ref == chat_inbox.c.user_ref)
        )
        .where(selected_ids)
        .order_by(chat_inbox.c.id)
        .with_for_update(of=chat_inbox)  # the state is read, not locked: its save checks its version
    )


_LOOK = _look(chat_inbox.c.id.in_(_IDS), with_states=False)
_LOOK_WITH_STATES = _look(chat_inbox.c.id.in_(_IDS), with_states=True)
_LOOK_PG = _look(chat_inbox.c.id == any_(_ID_ARRAY), with_states=False)
_LOOK_WITH_STATES_PG = _look(chat_inbox.c.id == any_(_ID_ARRAY), with_states=True)
_MARK = (
    update(chat_inbox)
    .where(chat_inbox.c.id.in_(_IDS), chat_inbox.c.processed_at.is_(None))
    .values(processed_at=bindparam("now"))
    .returning(chat_inbox.c.id)
)

# Rows go in the order given (WITH ORDINALITY … ORDER BY), so their ids ascend in arrival order, which is
# the order recovery handles them in.
RECEIVE_NEW_PG = text(
    "INSERT INTO chat_inbox (update_key, user_ref, payload, received_at)"
    " SELECT rows.update_key, rows.user_ref, CAST(rows.payload AS JSON),"
    " CAST(:received_at AS TIMESTAMP WITH TIME ZONE)"
    " FROM unnest(CAST(:keys AS VARCHAR[]), CAST(:refs AS VARCHAR[]), CAST(:payloads AS TEXT[]))"
    " WITH ORDINALITY AS rows(update_key, user_ref, payload, n)"
    " ORDER BY rows.n ON CONFLICT (update_key) DO NOTHING RETURNING id, update_key"
)


def receive_parameters(
    rows: Sequence[tuple[str, str, dict[str, Any]]], now: datetime, serialize: Callable[[Any], str]
) -> dict[str, Any]:
    """`RECEIVE_NEW_PG`'s parameters for (update key, user ref, payload) rows."""
    return {
        "keys": [row[0] for row in rows],
        "refs": [row[1] for row in rows],
        "payloads": [serialize(row[2]) for row in rows],
        "received_at": now,
    }


StoredState = tuple[str | None, dict[str, Any], int]  # name, data, version


@dataclass(frozen=True)
class Looked:
    processed: bool
    state: StoredState | None  # None: nothing stored (or states are not read here)


async def look(session: AsyncSession, ids: Sequence[int], *, with_states: bool) -> dict[int, Looked]:
    """The batch's rows, locked: {inbox id: processed already?, its user's stored dialog state}. A row
    missing from the answer does not exist."""
    if session.get_bind().dialect.name == "postgresql":
        statement = _LOOK_WITH_STATES_PG if with_states else _LOOK_PG
        parameters: dict[str, Any] = {"id_array": list(ids)}
    else:
        statement = _LOOK_WITH_STATES if with_states else _LOOK
        parameters = {"ids": _padded(ids)}
    found: dict[int, Looked] = {}
    _, rows = await execute_in(session, statement, parameters)
    for row in rows:  # id, processed_at[, name, data, version]
        state: StoredState | None = None
        if with_states and row[4] is not None:
            state = (row[2], dict(row[3] or {}), int(row[4]))
        found[int(row[0])] = Looked(row[1] is not None, state)
    return found


async def mark_processed(session: AsyncSession, ids: Sequence[int], now: datetime) -> set[int]:
    """Mark the rows processed; the ids this statement marked (not those another transaction marked)."""
    if not ids:
        return set()
    return {
        int(row_id) for row_id in (await session.execute(_MARK, {"ids": _padded(ids), "now": now})).scalars()
    }


def _padded(ids: Sequence[int]) -> list[int]:
    values = list(ids)
    size = 1
    while size < len(values):
        size *= 2
    return values + values[-1:] * (size - len(values))


_STATE_NOW = bindparam("state_now", type_=chat_dialog_states.c.updated_at.type)
# PostgreSQL: the rows as arrays (one prepared statement whatever their number).
_SAVE_STATES_PG = text(
    "UPDATE chat_dialog_states AS s SET name = v.name, data = CAST(v.data AS JSON), updated_at = :state_now,"
    " version = s.version + 1"
    " FROM unnest(CAST(:refs AS VARCHAR[]), CAST(:names AS VARCHAR[]), CAST(:datas AS TEXT[]),"
    " CAST(:expected AS INTEGER[])) AS v(user_ref, name, data, expected)"
    " WHERE s.user_ref = v.user_ref AND s.version = v.expected RETURNING s.user_ref"
).bindparams(_STATE_NOW)


async def save_states(
    session: AsyncSession, saves: Sequence[tuple[str, str | None, dict[str, Any], int]], now: datetime
) -> set[str]:
    """(user ref, name, data, expected version ≥ 1) of users with a state stored: each saved only if its
    stored version is still the expected one (and bumped). The users whose state was saved."""
    if not saves:
        return set()
    dialect = session.get_bind().dialect
    serialize = dialect._json_serializer or json.dumps  # as the JSON column would
    if dialect.name == "postgresql":
        parameters = {
            "refs": [save[0] for save in saves],
            "names": [save[1] for save in saves],
            "datas": [serialize(save[2]) for save in saves],
            "expected": [save[3] for save in saves],
            "state_now": now,
        }
        return {str(ref) for ref in (await session.execute(_SAVE_STATES_PG, parameters)).scalars()}
    # SQLite (3.33+: UPDATE … FROM, 3.35+: RETURNING): the rows as a VALUES list (columns column1 …). Not
    # a CTE: Python's sqlite3 opens its implicit transaction only before a statement that starts with
    # INSERT, UPDATE, DELETE or REPLACE — a `WITH … UPDATE` would run, and commit, outside the batch's.
    rows = ", ".join(f"(:r{n}, :n{n}, :d{n}, :e{n})" for n in range(len(saves)))
    statement = text(
        "UPDATE chat_dialog_states SET name = v.column2, data = v.column3, updated_at = :state_now,"
        f" version = chat_dialog_states.version + 1 FROM (VALUES {rows}) AS v"
        " WHERE chat_dialog_states.user_ref = v.column1 AND chat_dialog_states.version = v.column4"
        " RETURNING chat_dialog_states.user_ref"
    ).bindparams(_STATE_NOW)
    values: dict[str, Any] = {"state_now": now}
    for n, (ref, name, data, expected) in enumerate(saves):
        values.update({f"r{n}": ref, f"n{n}": name, f"d{n}": serialize(data), f"e{n}": expected})
    return {str(ref) for ref in (await session.execute(statement, values)).scalars()}
