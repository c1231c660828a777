"""A lease in the database: one holder at a time for a named duty (issue 11 item 3).

`hold(uow_factory, name, holder, now, ttl)` takes the lease when it is free or expired, renews it when
`holder` has it, and otherwise leaves it alone; it answers whether `holder` holds it now. It is one
INSERT … ON CONFLICT DO UPDATE … WHERE (PostgreSQL and SQLite), so two instances asking at once cannot
both win. A holder that dies stops renewing; the lease expires after `ttl` and the next instance to ask
takes it over. `release` gives it up at a clean stop, so a successor does not wait for the expiry.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlalchemy import case, delete, or_, select

from nocert_core.adapters.sql.repositories import dialect_insert
from nocert_core.adapters.sql.tables_leases import job_leases
from nocert_core.services.platform.uow import UnitOfWorkFactory

SCHEDULER = "scheduler"  # sweeps, hotspots, digest, weekly report, retention


async def hold(uow_factory: UnitOfWorkFactory, name: str, holder: str, now: datetime, ttl: timedelta) -> bool:
    table = job_leases
    async with uow_factory() as uow:
        session = uow.session
        statement = dialect_insert(session, table).values(
            name=name, holder=holder, expires_at=now + ttl, taken_at=now
        )
        statement = statement.on_conflict_do_update(
            index_elements=["name"],
            set_={
                "holder": statement.excluded.holder,
                "expires_at": statement.excluded.expires_at,
                # a renewal keeps the time it was taken
                "taken_at": case(
                    (table.c.holder == statement.excluded.holder, table.c.taken_at),
                    else_=statement.excluded.taken_at,
                ),
            },
            where=or_(table.c.holder == holder, table.c.expires_at < now),
        )
        await session.execute(statement)
        found = await session.scalar(select(table.c.holder).where(table.c.name == name))
        await uow.commit()
    return found == holder


async def release(uow_factory: UnitOfWorkFactory, name: str, holder: str) -> None:
    table = job_leases
    async with uow_factory() as uow:
        await uow.session.execute(delete(table).where(table.c.name == name, table.c.holder == holder))
        await uow.commit()


async def holder_of(uow_factory: UnitOfWorkFactory, name: str, now: datetime) -> str | None:
    """Who holds the lease now (None when nobody does, or it expired)."""
    table = job_leases
    async with uow_factory() as uow:
        row = (
            await uow.session.execute(select(table.c.holder, table.c.expires_at).where(table.c.name == name))
        ).first()
    return row.holder if row is not None and row.expires_at >= now else None
