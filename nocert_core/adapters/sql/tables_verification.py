"""Verification request tables (R2 部门核验), their mapping and repository."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Column, ForeignKey, Index, Integer, String, Table, Text, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.orm import UtcDateTime, audit_table, counter_table, enum_column, metadata
from nocert_core.adapters.sql.repositories import next_in_sequence
from nocert_core.domain.verification import (
    OPEN_STATES,
    VerificationAudit,
    VerificationRequest,
    VerificationResult,
    VerificationStatus,
)

verification_sequences = counter_table("verification_sequences")

verification_requests = Table(
    "verification_requests",
    metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("number", String(32), nullable=False, unique=True),
    Column("requesting_unit_code", String(64), ForeignKey("units.code"), nullable=False, index=True),
    Column("issuing_unit_code", String(64), ForeignKey("units.code"), nullable=False, index=True),
    Column("service", String(200), nullable=False),
    Column("proof", String(200), nullable=False),
    Column("applicant_name", String(200), nullable=False),
    Column("data_to_check", Text, nullable=False),
    Column("requested_by", String(100), nullable=False),
    Column("requested_at", UtcDateTime, nullable=False),
    Column("working_days", Integer, nullable=False),
    Column("deadline_at", UtcDateTime, nullable=False),
    Column("status", enum_column(VerificationStatus), nullable=False),
    Column("accepted_at", UtcDateTime, nullable=True),
    Column("accepted_by", String(100), nullable=True),
    Column("result", enum_column(VerificationResult), nullable=True),
    Column("result_details", Text, nullable=True),
    Column("answered_at", UtcDateTime, nullable=True),
    Column("answered_by", String(100), nullable=True),
    Column("return_reason", Text, nullable=True),
    Column("withdrawn_at", UtcDateTime, nullable=True),
    Column("material_requested_at", UtcDateTime, nullable=True),
    Column("material_note", Text, nullable=True),
    Column("overdue_alerted_at", UtcDateTime, nullable=True),
    Column("version", Integer, nullable=False, default=0),
    Index("ix_verification_requests_status_deadline", "status", "deadline_at"),
)

verification_audit = audit_table("verification_audit", "request_id", "verification_requests")


def map_tables(mapper_registry: registry) -> None:
    orm.map_audited(
        mapper_registry, VerificationRequest, verification_requests, VerificationAudit, verification_audit
    )


class VerificationRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    def add(self, request: VerificationRequest) -> None:
        self.session.add(request)

    async def get_by_number(self, number: str) -> VerificationRequest | None:
        result = await self.session.execute(
            select(VerificationRequest).where(verification_requests.c.number == number)
        )
        return result.scalar_one_or_none()

    async def list(
        self,
        *,
        unit_code: str | None = None,
        statuses: Iterable[VerificationStatus] | None = None,
        limit: int | None = None,
    ) -> Sequence[VerificationRequest]:
        """Requests sent or received by `unit_code` (all when None), oldest first."""
        table = verification_requests
        query = select(VerificationRequest).order_by(table.c.id)
        if unit_code is not None:
            query = query.where(
                or_(table.c.requesting_unit_code == unit_code, table.c.issuing_unit_code == unit_code)
            )
        if statuses is not None:
            query = query.where(table.c.status.in_(list(statuses)))
        if limit is not None:
            query = query.limit(limit)
        return (await self.session.execute(query)).scalars().all()

    async def next_number_sequence(self, year: int) -> int:
        return await next_in_sequence(self.session, verification_sequences, year)

    async def overdue_not_alerted(self, now: datetime, limit: int = 500) -> Sequence[Any]:
        table = verification_requests
        query = (
            select(table)
            .where(
                table.c.status.in_(list(OPEN_STATES)),
                table.c.deadline_at < now,
                table.c.overdue_alerted_at.is_(None),
            )
            .order_by(table.c.deadline_at, table.c.id)
            .limit(limit)
        )
        return (await self.session.execute(query)).all()

    async def mark_overdue_alerted(self, request_id: int, now: datetime) -> bool:
        """True for the one sweeper that marks it (a concurrent one finds it marked)."""
        table = verification_requests
        result = await self.session.execute(
            update(table)
            .where(table.c.id == request_id, table.c.overdue_alerted_at.is_(None))
            .values(overdue_alerted_at=now)
            .execution_options(synchronize_session=False)
        )
        return bool(getattr(result, "rowcount", 0))
