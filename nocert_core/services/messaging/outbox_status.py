"""What the outbox holds, for the operator and the HTTP side: `nocert outbox status` (`summary`) and
/metrics and /readyz (`backlog`). Writing, claiming and marking rows:
nocert_core/services/messaging/outbox.py."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select

from nocert_core.adapters.sql import orm
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.services.platform.reads import OutboxSummary as OutboxSummary
from nocert_core.services.platform.reads import outbox_summary
from nocert_core.services.platform.uow import UnitOfWorkFactory

PENDING, SENT, UNDELIVERABLE = OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE


async def summary(uow_factory: UnitOfWorkFactory, now: datetime) -> OutboxSummary:
    return await outbox_summary(uow_factory(), now)


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
