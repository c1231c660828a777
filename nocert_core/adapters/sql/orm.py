"""Tables and the imperative mapping of domain classes onto them (the domain stays plain Python).

Feature modules (`tables_*.py`) define their own tables on the same `metadata` and a `map_tables`
function; `nocert_core.adapters.sql.schema` lists them all explicitly and maps everything once.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from enum import Enum as PyEnum
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    event,
)
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, registry, relationship
from sqlalchemy.types import TypeDecorator

from nocert_core.clock import ensure_utc
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.calendar import DayKind
from nocert_core.domain.complaint_lifecycle import (
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
    TerminationGround,
)
from nocert_core.domain.complaints import AuditEntry, Category, Channel, Complaint, Rating
from nocert_core.domain.outbox import OutboxMessage, OutboxStatus
from nocert_core.domain.units import Unit

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}
metadata = MetaData(naming_convention=NAMING)
mapper_registry = registry(metadata=metadata)


class UtcDateTime(TypeDecorator[datetime]):
    """Timezone-aware UTC in Python on every backend (SQLite stores naive text)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given to a UTC column")
        value = ensure_utc(value)
        return value.replace(tzinfo=None) if dialect.name == "sqlite" else value

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        return None if value is None else ensure_utc(value)


def enum_column(enum: type[PyEnum], **kwargs: Any) -> Enum:
    return Enum(enum, native_enum=False, length=32, values_callable=lambda e: [m.value for m in e], **kwargs)


units = Table(
    "units",
    metadata,
    Column("code", String(64), primary_key=True),
    Column("name", String(200), nullable=False, index=True),
    Column("parent_code", String(64), ForeignKey("units.code"), nullable=True),
    Column("aliases", JSON, nullable=False, default=list),
)

# One row (id 1): bumped in the transaction of every change to `units` (adapters/sql/unit_register.py), so a
# process's copy of the unit register is checked against it with one small SELECT instead of reloading.
unit_register = Table(
    "unit_register",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=False),
    Column("version", Integer, nullable=False),
)


def counter_table(name: str) -> Table:
    """A per-year number counter (year, last_value); `repositories.next_in_sequence` draws from it."""
    return Table(
        name,
        metadata,
        Column("year", Integer, primary_key=True),
        Column("last_value", Integer, nullable=False),
    )


def audit_table(name: str, owner_id: str, owner_table: str) -> Table:
    """A lifecycle's audit rows (who, when, action, from, to, why), deleted with their owner row."""
    return Table(
        name,
        metadata,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column(
            owner_id,
            Integer,
            ForeignKey(f"{owner_table}.id", ondelete="CASCADE"),
            nullable=False,
            index=True,
        ),
        Column("at", UtcDateTime, nullable=False),
        Column("actor_ref", String(100), nullable=False),
        Column("actor_role", String(32), nullable=False),
        Column("action", String(32), nullable=False),
        Column("from_status", String(32), nullable=False),
        Column("to_status", String(32), nullable=False),
        Column("note", Text, nullable=False, default=""),
    )


complaint_sequences = counter_table("complaint_sequences")

CHECK_AT_NEXT_SWEEP = datetime(2000, 1, 1, tzinfo=UTC)  # a change's look when the session has no clock

POSTGRESQL_ONLY = {"dialects": ("postgresql",)}  # schema objects other databases do not have
TEXT_SEARCH_COLUMNS = ("demand", "facts", "agency_text")  # the register's free-text search


def include_object_for(dialect: str) -> Any:
    """An Alembic `include_object` hook: leave out indexes meant for other databases (`POSTGRESQL_ONLY`)."""

    def include(obj: Any, name: str | None, type_: str, reflected: bool, compare_to: Any) -> bool:
        dialects = (getattr(obj, "info", None) or {}).get("dialects")
        return not (type_ == "index" and dialects and dialect not in dialects)

    return include


complaints = Table(
    "complaints",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("channel", enum_column(Channel), nullable=False),
    Column("status", enum_column(ComplaintStatus), nullable=False),
    Column("category", enum_column(Category), nullable=False),
    Column("complainant_name", String(100), nullable=False),
    Column("complainant_phone", String(32), nullable=False),
    Column("complainant_ref", String(100), nullable=True, index=True),
    Column("on_behalf_of", String(100), nullable=True),
    Column("agency_text", String(300), nullable=False),
    Column("unit_code", String(64), ForeignKey("units.code"), nullable=True, index=True),
    Column("receiving_unit_code", String(64), ForeignKey("units.code"), nullable=True),
    Column("registered_by", String(100), nullable=True),
    Column("demand", Text, nullable=False),
    Column("reasons", Text, nullable=False),
    Column("facts", Text, nullable=False),
    Column("screening", JSON, nullable=True),
    Column("dedup_ref", String(100), nullable=True, unique=True),
    Column("registered_at", UtcDateTime, nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("deadline_at", UtcDateTime, nullable=True),
    Column("deadline_provisional", Boolean, nullable=False, default=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("result", Text, nullable=True),
    Column("rejection_ground", enum_column(RejectionGround), nullable=True),
    Column("termination_ground", enum_column(TerminationGround), nullable=True),
    Column("status_reason", Text, nullable=True),
    Column("duplicate_of_id", Integer, ForeignKey("complaints.id"), nullable=True),
    Column("extension_state", enum_column(ExtensionState), nullable=False, default=ExtensionState.NONE),
    Column("extension_days", Integer, nullable=True),
    Column("extension_reason", Text, nullable=True),
    Column("extension_requested_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Index("ix_complaints_status_deadline", "status", "deadline_at"),
    Index("ix_complaints_phone_unit", "complainant_phone", "unit_code"),
    # The web register pages newest first by id within a filter (keyset paging), and filters by day.
    Index("ix_complaints_unit_status_id", "unit_code", "status", "id"),
    Index("ix_complaints_status_id", "status", "id"),
    Index("ix_complaints_registered_at", "registered_at"),
    # PostgreSQL only (migration 0011_register_search): the register's number-prefix search by a pattern
    # index, and its free-text search (LIKE '%…%') by pg_trgm trigram indexes. SQLite scans (small data).
    Index(
        "ix_complaints_number_pattern",
        "number",
        postgresql_ops={"number": "varchar_pattern_ops"},
        info=POSTGRESQL_ONLY,
    ),
    *(
        Index(
            f"ix_complaints_{name}_trgm",
            name,
            postgresql_using="gin",
            postgresql_ops={name: "gin_trgm_ops"},
            info=POSTGRESQL_ONLY,
        )
        for name in TEXT_SEARCH_COLUMNS
    ),
)

# When the deadline sweep must look at a complaint again (nocert_core/services/complaints/sweep.py): any
# change to the complaint sets it to the time of the change, the sweep to the next moment an alert can
# fall due; NULL (or no row): not until the complaint changes. A table of its own (migration
# 0015_complaint_looks): the sweep rewrites a backlog's looks, and a complaints row carries many indexes
# (text search among them), each rewritten with every updated row; this one has two.
complaint_looks = Table(
    "complaint_looks",
    metadata,
    Column(
        "complaint_id",
        Integer,
        ForeignKey("complaints.id", ondelete="CASCADE"),
        primary_key=True,
        autoincrement=False,
    ),
    Column("next_look_at", UtcDateTime, nullable=True),
    Index("ix_complaint_looks_next_look_at", "next_look_at"),
)

complaint_audit = audit_table("complaint_audit", "complaint_id", "complaints")

complaint_ratings = Table(
    "complaint_ratings",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column(
        "complaint_id", Integer, ForeignKey("complaints.id", ondelete="CASCADE"), nullable=False, unique=True
    ),
    Column("score", Integer, nullable=False),
    Column("comment", Text, nullable=False, default=""),
    Column("rated_at", UtcDateTime, nullable=False),
)

calendar_days = Table(
    "calendar_days",
    metadata,
    Column("day", Date, primary_key=True),
    Column("kind", enum_column(DayKind), nullable=False),
)

calendar_years = Table(
    "calendar_years",
    metadata,
    Column("year", Integer, primary_key=True),
    Column("source", String(200), nullable=False),
    Column("imported_at", UtcDateTime, nullable=False),
)

accounts = Table(
    "accounts",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("ref", String(100), nullable=False, unique=True),
    Column("channel", String(32), nullable=False),
    Column("chat_id", String(64), nullable=False),
    Column("display_name", String(200), nullable=False),
    Column("role", enum_column(Role), nullable=False),
    Column("unit_code", String(64), ForeignKey("units.code"), nullable=True, index=True),
    Column("locale", String(16), nullable=False, default="zh_Hans"),
    Column("reachable", Boolean, nullable=False, default=True),
    Column("unreachable_reason", Text, nullable=True),
    Column("created_at", UtcDateTime, nullable=True),
)

outbox = Table(
    "outbox",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("dedup_key", String(200), nullable=False, unique=True),
    Column("recipient_ref", String(100), nullable=False),
    Column("kind", String(64), nullable=False),
    Column("payload", JSON, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("available_at", UtcDateTime, nullable=False),
    Column("status", enum_column(OutboxStatus), nullable=False),
    Column("attempts", Integer, nullable=False, default=0),
    Column("sent_at", UtcDateTime, nullable=True),
    Column("last_error", Text, nullable=True),
    Column("extra", JSON, nullable=False, default=dict),
    Column("leased_by", String(120), nullable=True),  # host:pid:start:nonce of the lease's holder
    Index("ix_outbox_status_available", "status", "available_at"),
)

MapperFunction = Callable[[registry], None]


def map_audited(
    mapper_registry: registry,
    aggregate: type,
    table: Table,
    audit_class: type,
    audit_rows: Table,
    **properties: Any,
) -> None:
    """Map a versioned lifecycle aggregate and its audit rows (`aggregate.audit`: loaded with it in
    order, saved and deleted with it)."""
    mapper_registry.map_imperatively(audit_class, audit_rows)
    mapper_registry.map_imperatively(
        aggregate,
        table,
        version_id_col=table.c.version,
        properties={
            "audit": relationship(audit_class, lazy="selectin", order_by=audit_rows.c.id, cascade="all"),
            **properties,
        },
    )


def _upsert_looks(dialect: str) -> Any:
    statement = (pg_insert if dialect == "postgresql" else sqlite_insert)(complaint_looks)
    return statement.on_conflict_do_update(
        index_elements=[complaint_looks.c.complaint_id],
        set_={"next_look_at": statement.excluded.next_look_at},
    )


_UPSERT_LOOKS = {dialect: _upsert_looks(dialect) for dialect in ("postgresql", "sqlite")}


def _complaints_changed(session: Session, _context: object) -> None:
    """A complaint written in this flush is due for the deadline sweep's next look, at the change's time
    (so a sweep already running, which looks at `next_look_at <= its start`, does not overwrite it); in
    the flush's transaction, ids ascending (concurrent writers lock the looks in one order)."""
    changed: set[int] = {
        item.id
        for item in (*session.new, *session.dirty)
        if isinstance(item, Complaint) and item.id is not None
    }
    if changed:
        clock = session.info.get("clock")
        at = clock.now() if clock is not None else CHECK_AT_NEXT_SWEEP
        looks = [{"complaint_id": complaint_id, "next_look_at": at} for complaint_id in sorted(changed)]
        connection = session.connection()
        connection.execute(_UPSERT_LOOKS[connection.dialect.name], looks)


def _init_events(complaint: Complaint, _context: object) -> None:
    complaint.events = []


def map_tables(mapper_registry: registry) -> None:
    """Map the core domain classes (units, complaints, accounts, outbox) onto the core tables."""
    mapper_registry.map_imperatively(Unit, units)
    mapper_registry.map_imperatively(Rating, complaint_ratings)
    map_audited(
        mapper_registry,
        Complaint,
        complaints,
        AuditEntry,
        complaint_audit,
        ratings=relationship(Rating, lazy="selectin", cascade="all"),
    )
    event.listen(Complaint, "load", _init_events)
    if not event.contains(Session, "after_flush", _complaints_changed):
        event.listen(Session, "after_flush", _complaints_changed)
    mapper_registry.map_imperatively(Account, accounts)
    mapper_registry.map_imperatively(OutboxMessage, outbox)
