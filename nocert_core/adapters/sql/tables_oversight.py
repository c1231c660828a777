"""Oversight tables (rectification notices, hotspots), extra indexes for the sweeps, and repositories."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import (
    JSON,
    Boolean,
    Column,
    ForeignKey,
    Index,
    Integer,
    String,
    Table,
    Text,
    UniqueConstraint,
    select,
)
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.orm import UtcDateTime, audit_table, enum_column, metadata
from nocert_core.adapters.sql.repositories import dialect_insert
from nocert_core.domain.rectification import RectificationAudit, RectificationNotice, RectificationStatus

rectification_notices = Table(
    "rectification_notices",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("unit_code", String(64), ForeignKey("units.code"), nullable=False, index=True),
    Column("issue", Text, nullable=False),
    Column("requirement", Text, nullable=False),
    Column("issued_by", String(100), nullable=False),
    Column("issued_at", UtcDateTime, nullable=False),
    Column("deadline_at", UtcDateTime, nullable=False),
    Column("working_days", Integer, nullable=False),
    Column("status", enum_column(RectificationStatus), nullable=False),
    Column("report", Text, nullable=True),
    Column("reported_at", UtcDateTime, nullable=True),
    Column("reported_by", String(100), nullable=True),
    Column("reported_on_time", Boolean, nullable=True),
    Column("decision_note", Text, nullable=True),
    Column("decided_at", UtcDateTime, nullable=True),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("follow_up_at", UtcDateTime, nullable=True),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("complaint_numbers", JSON, nullable=False, default=list),
    Column("version", Integer, nullable=False, default=0),
    Index("ix_rectification_notices_status_deadline", "status", "deadline_at"),
)

rectification_audit = audit_table("rectification_audit", "notice_id", "rectification_notices")

# One row per hotspot episode (R5 Art.12): opened when the condition first holds, closed when it no
# longer does; supervisors are alerted once per episode.
hotspots = Table(
    "hotspots",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("kind", String(16), nullable=False),  # "unit" | "topic"
    Column("subject", String(200), nullable=False),  # unit code or keyword
    Column("first_number", String(32), nullable=False),  # the earliest complaint when it opened
    Column("opened_at", UtcDateTime, nullable=False),
    Column("last_seen_at", UtcDateTime, nullable=False),
    Column("closed_at", UtcDateTime, nullable=True),
    Column("complaint_numbers", JSON, nullable=False, default=list),
    UniqueConstraint("kind", "subject", "first_number", name="uq_hotspots_episode"),
    Index("ix_hotspots_open", "kind", "subject", "closed_at"),
)

# One row per alert stage reached by a subject (a complaint or a rectification notice), for the deadline
# or start time it was reached for (`ref_at`): sweeps skip marked subjects with an indexed anti-join, and
# the unique key decides which of two concurrent sweepers sends the alert.
alert_marks = Table(
    "alert_marks",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("stage", String(32), nullable=False),
    Column("subject_id", Integer, nullable=False),
    Column("ref_at", UtcDateTime, nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    UniqueConstraint("stage", "subject_id", "ref_at", name="uq_alert_marks_stage"),
)

# Sweep indexes on foundation tables (created by migration 0004_oversight): acceptance-pending sweeps
# range over registration time, and the outbox claim looks up each recipient's oldest pending row.
Index("ix_complaints_status_registered", orm.complaints.c.status, orm.complaints.c.registered_at)
Index(
    "ix_outbox_status_recipient",
    orm.outbox.c.status,
    orm.outbox.c.recipient_ref,
    orm.outbox.c.id,
)


def map_tables(mapper_registry: registry) -> None:
    orm.map_audited(
        mapper_registry, RectificationNotice, rectification_notices, RectificationAudit, rectification_audit
    )


class RectificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, notice: RectificationNotice) -> None:
        self.session.add(notice)

    async def flush(self) -> None:
        await self.session.flush()

    async def get(self, notice_id: int) -> RectificationNotice | None:
        return await self.session.get(RectificationNotice, notice_id)

    async def list(
        self,
        *,
        unit_code: str | None = None,
        statuses: Iterable[RectificationStatus] | None = None,
    ) -> Sequence[RectificationNotice]:
        table = rectification_notices
        query = select(RectificationNotice).order_by(table.c.id)
        if unit_code is not None:
            query = query.where(table.c.unit_code == unit_code)
        if statuses is not None:
            query = query.where(table.c.status.in_(list(statuses)))
        return (await self.session.execute(query)).scalars().all()


class HotspotRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def open_episodes(self, kind: str) -> dict[str, dict[str, Any]]:
        table = hotspots
        rows = await self.session.execute(
            select(table).where(table.c.kind == kind, table.c.closed_at.is_(None)).order_by(table.c.id)
        )
        return {row.subject: dict(row._mapping) for row in rows}

    async def open_episode(
        self, kind: str, subject: str, first_number: str, numbers: list[str], now: datetime
    ) -> bool:
        """True when this call opened it (a concurrent sweep that lost the race gets False)."""
        statement = dialect_insert(self.session, hotspots).values(
            kind=kind,
            subject=subject,
            first_number=first_number,
            opened_at=now,
            last_seen_at=now,
            complaint_numbers=numbers,
        )
        result = await self.session.execute(
            statement.on_conflict_do_nothing(index_elements=["kind", "subject", "first_number"])
        )
        return bool(getattr(result, "rowcount", 0))

    async def touch(self, episode_id: int, numbers: list[str], now: datetime) -> None:
        await self.session.execute(
            hotspots.update()
            .where(hotspots.c.id == episode_id)
            .values(last_seen_at=now, complaint_numbers=numbers)
        )

    async def close(self, episode_id: int, now: datetime) -> None:
        await self.session.execute(
            hotspots.update()
            .where(hotspots.c.id == episode_id, hotspots.c.closed_at.is_(None))
            .values(closed_at=now)
        )
