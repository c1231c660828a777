"""Chat tables: dialog state (survives restarts), processed update ids (redeliveries are ignored),
staff invites. Plus the chat repository (`uow.chat`)."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import (
    JSON,
    Column,
    ForeignKey,
    Integer,
    String,
    Table,
    bindparam,
    delete,
    func,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from nocert_core.adapters.sql.direct import execute_in
from nocert_core.adapters.sql.multi_insert import multi_row_insert, row_parameters
from nocert_core.adapters.sql.orm import UtcDateTime, enum_column, metadata
from nocert_core.adapters.sql.repositories import dialect_insert
from nocert_core.domain.actors import Role
from nocert_core.domain.invites import StaffInvite

chat_dialog_states = Table(
    "chat_dialog_states",
    metadata,
    Column("user_ref", String(100), primary_key=True),
    Column("name", String(64), nullable=True),
    Column("data", JSON, nullable=False, default=dict),
    Column("updated_at", UtcDateTime, nullable=False),
    # Bumped by every save; a save names the version it read (`save_state(expected_version=...)`), so of two
    # instances that read the same step only the first writer wins (no last-writer-wins).
    Column("version", Integer, nullable=False, default=0, server_default="0"),
)

# The inbox: every update is written here before Telegram is told we have it (before the next getUpdates
# offset, or the webhook's HTTP 200), and processed from here; `processed_at` is set in the transaction that
# saves the dialog step and writes the replies to the outbox. Rows left unprocessed by a crash are processed
# at the next start, in `id` order (which keeps each user's order).
chat_inbox = Table(
    "chat_inbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("update_key", String(150), nullable=False, unique=True),
    Column("user_ref", String(100), nullable=False, index=True),
    Column("payload", JSON, nullable=False),
    Column("received_at", UtcDateTime, nullable=False),
    Column("processed_at", UtcDateTime, nullable=True, index=True),
)

chat_processed_updates = Table(
    "chat_processed_updates",
    metadata,
    Column("update_key", String(150), primary_key=True),
    Column("processed_at", UtcDateTime, nullable=False, index=True),
)

# Cards sent about a complaint (an assignment, a "route it" or "decide the extension" message, a 催办): where
# they are (chat and message id), so a later change of the complaint edits them to say so
# (nocert_core/services/complaints/cards.py). One row per card; a card edited once is forgotten.
chat_cards = Table(
    "chat_cards",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("complaint_number", String(32), nullable=False, index=True),
    Column("recipient_ref", String(100), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("message_id", String(64), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("sent_at", UtcDateTime, nullable=False),
)

staff_invites = Table(
    "staff_invites",
    metadata,
    Column("code", String(32), primary_key=True),
    Column("unit_code", String(64), ForeignKey("units.code"), nullable=True),
    Column("role", enum_column(Role), nullable=False),
    Column("display_name", String(200), nullable=True),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False),
    Column("used_at", UtcDateTime, nullable=True),
    Column("used_by_ref", String(100), nullable=True),
)

PROCESSED_UPDATES_KEPT = timedelta(days=3)  # Telegram gives up redelivering long before this
# Telegram keeps an unconfirmed update (and retries a webhook) for at most 24 hours: a row with the same
# update id received earlier than this is a different update whose id was reused.
REDELIVERY_WINDOW = timedelta(hours=25)
REUSED_KEYS_TRIED = 10  # `<key>`, `<key>#1` …: ten reuses of one id within the retention are not real


def _comparable(payload: Any) -> Any:
    """A payload as it reads back from a JSON column (tuples become lists), for comparison."""
    return json.loads(json.dumps(payload, sort_keys=True, default=str))


def map_tables(mapper_registry: registry) -> None:
    mapper_registry.map_imperatively(StaffInvite, staff_invites)


class StaleDialogState(Exception):
    """The dialog state changed since it was loaded (another process saved it first): handle again."""


class InboxAlreadyProcessed(Exception):
    """Another process marked this inbox row processed first: this handling's transaction must not commit."""


# The update path's statements, built once: building a statement (coercing its clauses, computing its cache
# key) cost about as much CPU as executing it (issue 15); the values come as bound parameters.
_LOAD_VERSIONED = select(
    chat_dialog_states.c.name, chat_dialog_states.c.data, chat_dialog_states.c.version
).where(chat_dialog_states.c.user_ref == bindparam("user_ref"))
_EXPECTED = bindparam("expected", type_=Integer)
_END_AT_VERSION = delete(chat_dialog_states).where(
    chat_dialog_states.c.user_ref == bindparam("ref"), chat_dialog_states.c.version == _EXPECTED
)


@cache
def _first_state(dialect: str) -> Any:
    """A user's first stored state, unless another writer stored one first (one per dialect)."""
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    return (
        insert(chat_dialog_states)
        .values(
            user_ref=bindparam("ref"),
            name=bindparam("new_name"),
            data=bindparam("new_data"),
            updated_at=bindparam("now"),
            version=1,
        )
        .on_conflict_do_nothing(index_elements=["user_ref"])
    )


_SAVE_OVER_VERSION = (
    update(chat_dialog_states)
    .where(
        chat_dialog_states.c.user_ref == bindparam("ref"),
        chat_dialog_states.c.version == _EXPECTED,
    )
    .values(
        name=bindparam("new_name"),
        data=bindparam("new_data"),
        updated_at=bindparam("now"),
        version=_EXPECTED + 1,
    )
)
_INBOX_ROW = ("update_key", "user_ref", "payload")  # receive_many's columns per row
_INBOX_PROCESSED_AT = select(chat_inbox.c.processed_at).where(chat_inbox.c.id == bindparam("inbox_id"))
_INBOX_PROCESSED_AT_LOCKED = _INBOX_PROCESSED_AT.with_for_update()  # built once: see adapters/sql/prebuilt.py
_MARK_INBOX_PROCESSED = (
    update(chat_inbox)
    .where(chat_inbox.c.id == bindparam("inbox_id"), chat_inbox.c.processed_at.is_(None))
    .values(processed_at=bindparam("now"))
)


class ChatRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def load_state(self, user_ref: str) -> tuple[str | None, dict[str, Any]] | None:
        table = chat_dialog_states
        row = (
            await self.session.execute(select(table.c.name, table.c.data).where(table.c.user_ref == user_ref))
        ).first()
        return None if row is None else (row.name, dict(row.data or {}))

    async def load_versioned(self, user_ref: str) -> tuple[str | None, dict[str, Any], int] | None:
        row = (await self.session.execute(_LOAD_VERSIONED, {"user_ref": user_ref})).first()
        return None if row is None else (row.name, dict(row.data or {}), int(row.version or 0))

    async def state_version(self, user_ref: str) -> int:
        """The stored version (0: nothing stored)."""
        table = chat_dialog_states
        found = await self.session.scalar(select(table.c.version).where(table.c.user_ref == user_ref))
        return int(found or 0)

    async def save_state(
        self,
        user_ref: str,
        name: str | None,
        data: dict[str, Any],
        now: datetime,
        expected_version: int | None = None,
    ) -> int | None:
        """Save a dialog step. With `expected_version` (0: nothing stored) the write happens only if the
        stored version is still that one, else StaleDialogState; returns the new version (None: deleted)."""
        table = chat_dialog_states
        if expected_version is not None:
            return await self._save_checked(user_ref, name, data, now, expected_version)
        if name is None and not data:
            await self.session.execute(delete(table).where(table.c.user_ref == user_ref))
            return None
        statement = dialect_insert(self.session, table).values(
            user_ref=user_ref, name=name, data=data, updated_at=now, version=1
        )
        await self.session.execute(
            statement.on_conflict_do_update(
                index_elements=["user_ref"],
                set_={"name": name, "data": data, "updated_at": now, "version": table.c.version + 1},
            )
        )
        return None

    async def _save_checked(
        self, user_ref: str, name: str | None, data: dict[str, Any], now: datetime, expected: int
    ) -> int | None:
        empty = name is None and not data
        if expected == 0:
            if empty:
                return None  # nothing stored, nothing to store
            statement = _first_state(self.session.get_bind().dialect.name)
            parameters = {"ref": user_ref, "new_name": name, "new_data": data, "now": now}
            written = await self.session.execute(statement, parameters)
            new_version: int | None = 1
        else:
            if empty:
                written = await self.session.execute(_END_AT_VERSION, {"ref": user_ref, "expected": expected})
                new_version = None
            else:
                written = await self.session.execute(
                    _SAVE_OVER_VERSION,
                    {"ref": user_ref, "expected": expected, "new_name": name, "new_data": data, "now": now},
                )
                new_version = expected + 1
        if int(getattr(written, "rowcount", 0) or 0) != 1:
            raise StaleDialogState(user_ref)
        return new_version

    async def was_processed(self, update_key: str) -> bool:
        table = chat_processed_updates
        found = await self.session.execute(select(table.c.update_key).where(table.c.update_key == update_key))
        return found.first() is not None

    async def mark_processed(self, update_key: str, now: datetime) -> None:
        table = chat_processed_updates
        statement = dialect_insert(self.session, table).values(update_key=update_key, processed_at=now)
        await self.session.execute(statement.on_conflict_do_nothing(index_elements=["update_key"]))

    async def forget_processed_before(self, cutoff: datetime) -> None:
        table = chat_processed_updates
        await self.session.execute(delete(table).where(table.c.processed_at < cutoff))

    async def forget_dialogs_before(self, cutoff: datetime) -> int:
        """Delete dialog drafts untouched since `cutoff` (retention: abandoned forms hold names, phones)."""
        table = chat_dialog_states
        result = await self.session.execute(delete(table).where(table.c.updated_at < cutoff))
        return int(getattr(result, "rowcount", 0) or 0)

    # ---- the inbox ----------------------------------------------------------------------------------
    async def receive(
        self, update_key: str, user_ref: str, payload: dict[str, Any], now: datetime
    ) -> tuple[int, bool]:
        """Insert-or-get an inbox row; (its id, whether it was already processed).

        A row with the same key is the same update only if it was received within Telegram's redelivery
        window and carries the same content. Telegram keeps an unconfirmed update at most 24 hours, and after
        a week without updates it picks the next update id at random, so an old id can come back for a new
        message: that one is stored under `<key>#<n>` instead of being mistaken for a redelivery (and lost).
        """
        table = chat_inbox
        inserted = await self._insert_inbox_row(update_key, user_ref, payload, now)
        if inserted is not None:  # the usual case: one statement
            return inserted, False
        content = _comparable(payload)
        keys = [update_key, *(f"{update_key}#{n}" for n in range(1, REUSED_KEYS_TRIED))]
        for _attempt in range(3):  # another process may take the same `#n` first: look again
            rows = (
                await self.session.execute(
                    select(table.c.id, table.c.payload, table.c.received_at, table.c.processed_at)
                    .where(table.c.update_key.in_(keys))
                    .order_by(table.c.id)
                )
            ).all()
            for row in rows:
                if now - row.received_at <= REDELIVERY_WINDOW and _comparable(row.payload) == content:
                    return int(row.id), row.processed_at is not None
            inserted = await self._insert_inbox_row(f"{update_key}#{len(rows)}", user_ref, payload, now)
            if inserted is not None:
                return inserted, False
        raise RuntimeError(f"could not store update {update_key}")

    async def receive_many(
        self, rows: list[tuple[str, str, dict[str, Any]]], now: datetime
    ) -> list[tuple[int, bool]]:
        """`receive` for a fetched batch of (update key, user ref, payload), in ONE statement when every key
        is new — the usual case, and what keeps a flood of hundreds cheap for the users behind it. A key
        already stored (or repeated within the batch) takes `receive`'s own path for that row."""
        if not rows:
            return []
        statement = multi_row_insert(
            chat_inbox, _INBOX_ROW, ("received_at",), "update_key", ("id", "update_key"), len(rows)
        )
        parameters = {"received_at": now, **row_parameters(_INBOX_ROW, rows)}
        _, returned = await execute_in(self.session, statement, parameters)  # adapters/sql/direct.py
        inserted = {str(key): int(inbox_id) for inbox_id, key in returned}  # RETURNING id, update_key
        received: list[tuple[int, bool]] = []
        for key, user_ref, payload in rows:
            new_id = inserted.pop(key, None)
            if new_id is not None:
                received.append((new_id, False))
            else:
                received.append(await self.receive(key, user_ref, payload, now))
        return received

    async def _insert_inbox_row(
        self, key: str, user_ref: str, payload: dict[str, Any], now: datetime
    ) -> int | None:
        table = chat_inbox
        statement = (
            dialect_insert(self.session, table)
            .values(update_key=key, user_ref=user_ref, payload=payload, received_at=now)
            .on_conflict_do_nothing(index_elements=["update_key"])
            .returning(table.c.id)
        )
        new_id = (await self.session.execute(statement)).scalar()
        return None if new_id is None else int(new_id)

    async def inbox_processed(self, inbox_id: int, *, claim: bool = False) -> bool:
        """Whether the row is processed. `claim`: lock the row for the rest of this transaction (PostgreSQL
        `FOR UPDATE`; SQLite has one writer anyway), so a second handling of the same row by another
        instance (its user lock expired) waits here until the first one commits, then finds it processed —
        instead of handling it alongside and saving a dialog state to Redis that no rollback undoes."""
        statement = _INBOX_PROCESSED_AT_LOCKED if claim else _INBOX_PROCESSED_AT
        _, rows = await execute_in(self.session, statement, {"inbox_id": inbox_id})  # adapters/sql/direct.py
        return bool(rows) and rows[0][0] is not None

    async def mark_inbox_processed(self, inbox_id: int, now: datetime) -> None:
        """Mark a row processed; InboxAlreadyProcessed when another process did first (two instances may
        pick the same row: after a crash, or one's recovery racing the other's queue)."""
        marked = await self.session.execute(_MARK_INBOX_PROCESSED, {"inbox_id": inbox_id, "now": now})
        if int(getattr(marked, "rowcount", 0) or 0) != 1:
            raise InboxAlreadyProcessed(inbox_id)

    async def unprocessed_of(self, user_ref: str, limit: int = 100) -> list[tuple[int, dict[str, Any]]]:
        """One user's rows not processed yet, oldest first (handled in this order under the user's lock)."""
        table = chat_inbox
        rows = await self.session.execute(
            select(table.c.id, table.c.payload)
            .where(table.c.user_ref == user_ref, table.c.processed_at.is_(None))
            .order_by(table.c.id)
            .limit(limit)
        )
        return [(int(row.id), dict(row.payload)) for row in rows]

    async def waiting_users(self, key_prefix: str, received_before: datetime, limit: int = 500) -> list[str]:
        """Users with a row unprocessed since before `received_before` (its process may have died)."""
        table = chat_inbox
        rows = await self.session.execute(
            select(table.c.user_ref)
            .where(
                table.c.processed_at.is_(None),
                table.c.received_at < received_before,
                table.c.update_key.like(f"{key_prefix}%"),
            )
            .group_by(table.c.user_ref)
            .order_by(func.min(table.c.id))
            .limit(limit)
        )
        return [str(row.user_ref) for row in rows]

    async def unprocessed(self, key_prefix: str, limit: int = 10_000) -> list[tuple[int, dict[str, Any]]]:
        """Rows a crash left unprocessed, oldest first."""
        table = chat_inbox
        rows = await self.session.execute(
            select(table.c.id, table.c.payload)
            .where(table.c.processed_at.is_(None), table.c.update_key.like(f"{key_prefix}%"))
            .order_by(table.c.id)
            .limit(limit)
        )
        return [(int(row.id), dict(row.payload)) for row in rows]

    async def forget_inbox_before(self, cutoff: datetime) -> None:
        table = chat_inbox
        await self.session.execute(
            delete(table).where(table.c.processed_at.is_not(None), table.c.processed_at < cutoff)
        )

    async def get_invite(self, code: str) -> StaffInvite | None:
        return await self.session.get(StaffInvite, code)

    def add_invite(self, invite: StaffInvite) -> None:
        self.session.add(invite)
