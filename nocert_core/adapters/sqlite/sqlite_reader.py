"""A read-only unit of work on the embedded SQLite database, with the standard library's `sqlite3`.

Read-only CLI commands (`nocert complaints list`, `units list`, ...) would spend most of their time
importing SQLAlchemy and configuring its mappers (several times `python -c "import typer"`,
docs/startup.md). When the database is a SQLite file already at the schema's head revision (one query on
`alembic_version`), they read through this instead: the same read methods as the SQLAlchemy repositories
(`nocert_core.services.platform.reads` names them), returning the same domain objects, built from the rows by
the dataclasses' own fields (`adapters/sqlite/sqlite_rows.py`; tests/integration/cli/test_sqlite_reader.py
compares both on the demo data). Anything else — PostgreSQL, a database to create or migrate, any write — goes
through `bootstrap.open_application`.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from pathlib import Path
from types import TracebackType
from typing import Any, Self, TypeVar

from nocert_core.adapters.sql.revisions import head_revisions
from nocert_core.adapters.sqlite.sqlite_rows import (
    audited,
    children_of,
    column_in,
    from_row,
    stored,
    utc,
    where_clause,
)
from nocert_core.domain.accounts import Account
from nocert_core.domain.adjustments import Adjustment
from nocert_core.domain.catalogue import CatalogueEntry
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import AuditEntry, Complaint, Rating
from nocert_core.domain.lexicon import LexiconTerm
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.domain.rectification import RectificationAudit, RectificationNotice, RectificationStatus
from nocert_core.domain.units import Unit
from nocert_core.domain.verification import VerificationAudit, VerificationRequest, VerificationStatus

T = TypeVar("T")

_SCHEMES = ("sqlite:///", "sqlite+aiosqlite:///", "sqlite+pysqlite:///")


def sqlite_file(url: str) -> Path | None:
    """The file of a SQLite URL (`sqlite+aiosqlite:///data/nocert.db`); None for another database, an
    in-memory one or a URL with options (those take the full path)."""
    for scheme in _SCHEMES:
        if url.startswith(scheme):
            path = url.removeprefix(scheme)
            if not path or path == ":memory:" or any(mark in path for mark in "?%#"):
                return None
            return Path(path).expanduser()
    return None


def connect_at_head(path: Path) -> sqlite3.Connection | None:
    """A read-only connection to `path` if the file exists and its schema is at the head revision."""
    if not path.is_file():
        return None
    try:
        connection = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True, timeout=10)
    except sqlite3.Error:
        return None
    try:
        connection.row_factory = sqlite3.Row
        rows = connection.execute("SELECT version_num FROM alembic_version").fetchall()
        if frozenset(str(row[0]) for row in rows) == head_revisions():
            return connection
    except sqlite3.Error:
        pass
    connection.close()
    return None


# ---- readers: the SQLAlchemy repositories' read methods, same signatures ------------------------------


class UnitReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def get(self, code: str) -> Unit | None:
        row = self.connection.execute("SELECT * FROM units WHERE code = ?", (code,)).fetchone()
        return None if row is None else from_row(Unit, row)

    async def list(self) -> Sequence[Unit]:
        rows = self.connection.execute("SELECT * FROM units ORDER BY code").fetchall()
        return [from_row(Unit, row) for row in rows]


class ComplaintReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def get_by_number(self, number: str) -> Complaint | None:
        query = "SELECT * FROM complaints WHERE number = ?"
        found = _complaints(self.connection, query, [number.strip().upper()])
        return found[0] if found else None

    async def list(
        self,
        *,
        statuses: Iterable[ComplaintStatus] | None = None,
        unit_code: str | None = None,
        complainant_ref: str | None = None,
        unrouted: bool = False,
        limit: int | None = None,
        order_by_deadline: bool = False,
    ) -> Sequence[Complaint]:
        conditions: list[str] = []
        parameters: list[Any] = []
        if statuses is not None:
            wanted = [ComplaintStatus(status).value for status in statuses]
            conditions.append(f"status IN ({', '.join('?' * len(wanted))})" if wanted else "0")
            parameters += wanted
        if unit_code is not None:
            conditions.append("unit_code = ?")
            parameters.append(unit_code)
        if unrouted:
            conditions.append("unit_code IS NULL")
        if complainant_ref is not None:
            conditions.append("complainant_ref = ?")
            parameters.append(complainant_ref)
        query = "SELECT * FROM complaints"
        if conditions:
            query += " WHERE " + " AND ".join(conditions)
        if order_by_deadline:
            query += " ORDER BY deadline_at IS NULL, deadline_at, id"
        else:
            query += " ORDER BY id"
        if limit is not None:
            query += " LIMIT ?"
            parameters.append(limit)
        return _complaints(self.connection, query, parameters)


def _complaints(connection: sqlite3.Connection, query: str, parameters: Sequence[Any]) -> list[Complaint]:
    """The complaints with their audit rows (in order) and rating, as the ORM's selectin loads do."""
    rows = connection.execute(query, parameters).fetchall()
    if not rows:
        return []
    ids = [row["id"] for row in rows]
    audit = children_of(connection, AuditEntry, "complaint_audit", "complaint_id", ids)
    ratings = children_of(connection, Rating, "complaint_ratings", "complaint_id", ids)
    return [
        from_row(Complaint, row, audit=audit.get(row["id"], []), ratings=ratings.get(row["id"], []))
        for row in rows
    ]


class AccountReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def unreachable(self) -> Sequence[Account]:
        rows = self.connection.execute("SELECT * FROM accounts WHERE reachable = 0").fetchall()
        return [from_row(Account, row) for row in rows]


class OutboxReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def counts_by_status(self) -> dict[OutboxStatus, int]:
        rows = self.connection.execute("SELECT status, COUNT(*) FROM outbox GROUP BY status").fetchall()
        return {OutboxStatus(row[0]): int(row[1]) for row in rows}

    async def due_count(self, now: datetime) -> int:
        query = "SELECT COUNT(*) FROM outbox WHERE status = ? AND available_at <= ?"
        return int(self.connection.execute(query, (OutboxStatus.PENDING.value, stored(now))).fetchone()[0])

    async def oldest_pending_at(self) -> datetime | None:
        query = "SELECT MIN(created_at) FROM outbox WHERE status = ?"
        oldest = self.connection.execute(query, (OutboxStatus.PENDING.value,)).fetchone()[0]
        return None if oldest is None else utc(oldest)

    async def recent_failures(self, limit: int) -> list[tuple[str, str, str]]:
        query = "SELECT recipient_ref, kind, last_error FROM outbox WHERE status = ? ORDER BY id DESC LIMIT ?"
        rows = self.connection.execute(query, (OutboxStatus.UNDELIVERABLE.value, limit)).fetchall()
        return [(row[0], row[1], row[2] or "") for row in rows]


class VerificationReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def list(
        self,
        *,
        unit_code: str | None = None,
        statuses: Iterable[VerificationStatus] | None = None,
        limit: int | None = None,
    ) -> Sequence[VerificationRequest]:
        conditions: list[tuple[str, Sequence[Any]]] = []
        if unit_code is not None:
            conditions.append(("(requesting_unit_code = ? OR issuing_unit_code = ?)", [unit_code, unit_code]))
        if statuses is not None:
            conditions.append(column_in("status", statuses))
        where, parameters = where_clause(conditions)
        query = f"SELECT * FROM verification_requests{where} ORDER BY id"
        if limit is not None:
            query += " LIMIT ?"
            parameters.append(limit)
        return audited(
            self.connection,
            VerificationRequest,
            VerificationAudit,
            "verification_audit",
            "request_id",
            query,
            parameters,
        )


class RectificationReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def list(
        self, *, unit_code: str | None = None, statuses: Iterable[RectificationStatus] | None = None
    ) -> Sequence[RectificationNotice]:
        conditions: list[tuple[str, Sequence[Any]]] = []
        if unit_code is not None:
            conditions.append(("unit_code = ?", [unit_code]))
        if statuses is not None:
            conditions.append(column_in("status", statuses))
        where, parameters = where_clause(conditions)
        query = f"SELECT * FROM rectification_notices{where} ORDER BY id"
        return audited(
            self.connection,
            RectificationNotice,
            RectificationAudit,
            "rectification_audit",
            "notice_id",
            query,
            parameters,
        )


class CalendarReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def covered_years(self) -> dict[int, str]:
        rows = self.connection.execute("SELECT year, source FROM calendar_years").fetchall()
        return {int(row["year"]): str(row["source"]) for row in rows}


class CatalogueReader:
    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    async def adjustments(
        self,
        *,
        since: date | None = None,
        until: date | None = None,
        unit_code: str | None = None,
        limit: int | None = None,
        newest_first: bool = False,
    ) -> Sequence[Adjustment]:
        conditions: list[tuple[str, Sequence[Any]]] = []
        if since is not None:
            conditions.append(("event_date >= ?", [since.isoformat()]))
        if until is not None:
            conditions.append(("event_date <= ?", [until.isoformat()]))
        if unit_code is not None:
            conditions.append(("unit_code = ?", [unit_code]))
        where, parameters = where_clause(conditions)
        query = f"SELECT * FROM catalogue_adjustments{where} ORDER BY id{' DESC' if newest_first else ''}"
        if limit is not None:
            query += " LIMIT ?"
            parameters.append(limit)
        return [from_row(Adjustment, row) for row in self.connection.execute(query, parameters)]

    async def lexicon_terms(self) -> Sequence[LexiconTerm]:
        query = "SELECT * FROM guidance_lexicon ORDER BY kind, colloquial"
        return [from_row(LexiconTerm, row) for row in self.connection.execute(query)]

    async def at(self, instant: datetime) -> list[CatalogueEntry]:
        """The entries in force at `instant`: recorded before it and not yet replaced or cancelled."""
        query = (
            "SELECT * FROM catalogue_entries WHERE valid_from <= ? AND (valid_to IS NULL OR valid_to > ?) "
            "ORDER BY service_code, id"
        )
        moment = stored(instant)
        return [from_row(CatalogueEntry, row) for row in self.connection.execute(query, (moment, moment))]


class SqliteReadUnitOfWork:
    """Read-only: one connection's snapshot per use; nothing to commit (it has no `commit`)."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection
        self.units = UnitReader(connection)
        self.complaints = ComplaintReader(connection)
        self.calendar = CalendarReader(connection)
        self.accounts = AccountReader(connection)
        self.outbox = OutboxReader(connection)
        self.verifications = VerificationReader(connection)
        self.rectifications = RectificationReader(connection)
        self.catalogue = CatalogueReader(connection)
        self._began = False

    async def __aenter__(self) -> Self:
        if not self.connection.in_transaction:  # one consistent snapshot for every read of the use case
            self.connection.execute("BEGIN")
            self._began = True
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        if self._began:
            self._began = False
            self.connection.rollback()
