"""What the outbox holds, for the operator and the HTTP side: `nocert outbox status` (`summary`) and
/metrics and /readyz (`backlog`). Writing, claiming and marking rows: nocert_core/services/outbox.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, func, select

from nocert_core.adapters import orm
from nocert_core.domain.accounts import Account
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.services.uow import UnitOfWorkFactory

PENDING, SENT, UNDELIVERABLE = OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE


@dataclass(frozen=True)
class OutboxSummary:
    pending: int
    due_now: int
    sent: int
    undeliverable: int
    oldest_pending_at: datetime | None
    unreachable: list[Account]
    recent_failures: list[tuple[str, str, str]]  # (recipient, kind, error)


async def summary(uow_factory: UnitOfWorkFactory, now: datetime) -> OutboxSummary:
    table = orm.outbox
    async with uow_factory() as uow:
        session = uow.session
        counts: dict[Any, int] = dict(
            (await session.execute(select(table.c.status, func.count()).group_by(table.c.status))).all()
        )
        due = await session.execute(
            select(func.count()).where(and_(table.c.status == PENDING, table.c.available_at <= now))
        )
        oldest = await session.execute(select(func.min(table.c.created_at)).where(table.c.status == PENDING))
        failures = await session.execute(
            select(table.c.recipient_ref, table.c.kind, table.c.last_error)
            .where(table.c.status == UNDELIVERABLE)
            .order_by(table.c.id.desc())
            .limit(10)
        )
        unreachable = list(await uow.accounts.unreachable())
        return OutboxSummary(
            pending=int(counts.get(PENDING, 0)),
            due_now=int(due.scalar_one()),
            sent=int(counts.get(SENT, 0)),
            undeliverable=int(counts.get(UNDELIVERABLE, 0)),
            oldest_pending_at=oldest.scalar(),
            unreachable=unreachable,
            recent_failures=[(r, k, e or "") for r, k, e in failures.all()],
        )


@dataclass(frozen=True)
class Backlog:
    """What /metrics and /readyz report about the outbox."""

    pending: int
    oldest_pending_at: datetime | None
    alerts_sent: int


async def backlog(uow_factory: UnitOfWorkFactory) -> Backlog:
    """Pending rows, the oldest pending row's creation time, and alert messages sent (all instances)."""
    table = orm.outbox
    async with uow_factory() as uow:
        pending, oldest = (
            await uow.session.execute(
                select(func.count(), func.min(table.c.created_at)).where(table.c.status == PENDING)
            )
        ).one()
        alerts = await uow.session.scalar(
            select(func.count()).where(table.c.status == SENT, table.c.kind.like("alert.%"))
        )
    return Backlog(int(pending or 0), oldest, int(alerts or 0))
