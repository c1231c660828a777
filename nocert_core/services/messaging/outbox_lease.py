"""Leasing outbox rows only when they can be sent, and rows written already leased by their writer.

- The worker first lists the rows due now (`due_batch`, one per recipient, no lease), waits for the
  chat's send slot, and only then leases the row (`claim_due`): a lease never runs out while a row waits
  in the rate limiter, so it can be short and a crash blocks a chat for at most that long.
- A process answering a user writes its replies already leased to itself (`write_leased`) in the
  update's transaction and delivers them right after the commit; if it dies, the worker takes over when
  the lease ends.
- Every lease names its holder (`leased_by`, nocert_core/services/messaging/lease_holders.py); a
  starting worker releases the leases of processes of its host that are gone (`release_dead_leases`)
  instead of waiting.
- A message sent as several Bot API calls records how many went out (`record_parts_sent`), so a retry
  repeats only the part that failed. Telegram cannot deduplicate a send: a crash between a call that
  succeeded and its record repeats that one call — at most one message per chat, the one in flight.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import bindparam, or_, select, update

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.outbox_rows import (
    insert_outbox_rows_pg,
    insert_outbox_rows_sqlite,
    mark_and_insert_outbox_rows_pg,
)
from nocert_core.domain.accounts import Account
from nocert_core.services.messaging import lease_holders
from nocert_core.services.messaging.outbox import PENDING, Claimed, Outgoing, parts_sent_of, rows_of
from nocert_core.services.platform.uow import AbstractUnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True)
class Due:
    """A row that may be claimed now (the oldest undelivered one of its recipient)."""

    id: int
    recipient_ref: str
    attempts: int
    account: Account | None


async def due_batch(
    uow_factory: UnitOfWorkFactory, now: datetime, channels: Sequence[str], limit: int = 30
) -> list[Due]:
    """Rows deliverable now, at most one per recipient, WITHOUT a lease: the worker waits for the chat's
    send slot first and then claims the row with `claim_due`, so a lease never runs while a row waits."""
    if not channels:
        return []
    async with uow_factory() as uow:
        session = uow.session
        rows = (await session.execute(_deliverable(now, channels).limit(limit))).all()
        refs = {row.recipient_ref for row in rows}
        accounts: dict[str, Account] = {}
        if refs:
            found = await session.execute(select(Account).where(orm.accounts.c.ref.in_(refs)))
            accounts = {account.ref: account for account in found.scalars()}
    return [Due(row.id, row.recipient_ref, row.attempts, accounts.get(row.recipient_ref)) for row in rows]


def _deliverable(now: datetime, channels: Sequence[str]) -> Any:
    table = orm.outbox
    earlier = table.alias("earlier")
    blocked_by_earlier = (
        select(earlier.c.id)
        .where(
            earlier.c.recipient_ref == table.c.recipient_ref,
            earlier.c.status == PENDING,
            earlier.c.id < table.c.id,
            or_(earlier.c.attempts > 0, earlier.c.available_at <= now),
        )
        .exists()
    )
    return (
        select(table.c.id, table.c.recipient_ref, table.c.attempts)
        .where(
            table.c.status == PENDING,
            table.c.available_at <= now,
            or_(*[table.c.recipient_ref.like(f"{channel}:%") for channel in channels]),
            ~blocked_by_earlier,
        )
        .order_by(table.c.id)
    )


async def claim_due(
    uow_factory: UnitOfWorkFactory, due: Due, now: datetime, lease_seconds: float
) -> Claimed | None:
    """Lease one due row if nobody else took it meanwhile (same attempts, still due); None otherwise."""
    table = orm.outbox
    async with uow_factory() as uow:
        result = await uow.session.execute(
            update(table)
            .where(
                table.c.id == due.id,
                table.c.status == PENDING,
                table.c.attempts == due.attempts,
                table.c.available_at <= now,
            )
            .values(
                available_at=now + timedelta(seconds=lease_seconds),
                attempts=table.c.attempts + 1,
                leased_by=lease_holders.this_process(),
            )
            .returning(table.c.kind, table.c.payload, table.c.attempts, table.c.extra)
        )
        row = result.first()
        await uow.session.commit()
    if row is None:
        return None
    return Claimed(
        due.id,
        due.recipient_ref,
        row.kind,
        row.payload,
        row.attempts,
        due.account,
        parts_sent_of(row.extra),
    )


async def write_leased(
    uow: AbstractUnitOfWork, messages: Sequence[Outgoing], lease_seconds: float
) -> list[int]:
    """Write messages already leased by the writer (attempts 1, due when the lease ends), in the caller's
    transaction: the writing process delivers them right after its commit; if it dies first, the worker
    delivers them when the lease ends. Returns the new rows' ids in order (a used dedup key is skipped)."""
    return ids_in_order(messages, await write_leased_keyed(uow, messages, lease_seconds))


def ids_in_order(messages: Sequence[Outgoing], written: dict[str, int]) -> list[int]:
    """The ids of those of `messages` that were written ({dedup key: new id}), in the messages' order."""
    return [written[key] for key in (message.dedup_key[:200] for message in messages) if key in written]


async def mark_inbox_and_write_leased(
    uow: AbstractUnitOfWork, inbox_ids: Sequence[int], messages: Sequence[Outgoing], lease_seconds: float
) -> tuple[set[int], dict[str, int]] | None:
    """PostgreSQL: the inbox rows marked processed and `messages` written as `write_leased_keyed` writes
    them, in one statement (was two round trips per update, or per batch: issue 15); (the inbox ids it
    marked — not those another transaction marked first —, {dedup key: new id}). None on SQLite, where
    the caller marks and writes with a statement each."""
    session = uow.session  # type: ignore[attr-defined]
    if session.get_bind().dialect.name != "postgresql":
        return None
    return await mark_and_insert_outbox_rows_pg(
        session, inbox_ids, *_leased_rows(uow, messages, lease_seconds)
    )


async def write_leased_keyed(
    uow: AbstractUnitOfWork, messages: Sequence[Outgoing], lease_seconds: float
) -> dict[str, int]:
    """`write_leased` for the replies of several updates at once (group commit): {dedup key: new id}."""
    session = uow.session  # type: ignore[attr-defined]
    pg = session.get_bind().dialect.name == "postgresql"  # all of them in one statement (arrays)
    insert = insert_outbox_rows_pg if pg else insert_outbox_rows_sqlite
    return await insert(session, *_leased_rows(uow, messages, lease_seconds))


def _leased_rows(
    uow: AbstractUnitOfWork, messages: Sequence[Outgoing], lease_seconds: float
) -> tuple[list[tuple[str, str, str, Any]], datetime, datetime, str, int, str]:
    """The bulk writers' arguments after the session: rows, created at, available at (the lease's end),
    status, attempts (1), leased by this process."""
    now = uow.clock.now()
    available_at = now + timedelta(seconds=lease_seconds)
    return rows_of(messages), now, available_at, PENDING.value, 1, lease_holders.this_process()


async def release_dead_leases(uow_factory: UnitOfWorkFactory, now: datetime) -> int:
    """Make due now the pending rows leased by processes of this host that are gone (killed, crashed):
    they need not wait out the lease (`lease_holders`). Returns how many rows were released."""
    table = orm.outbox
    async with uow_factory() as uow:
        holders = (
            await uow.session.execute(
                select(table.c.leased_by)
                .where(
                    table.c.status == PENDING,
                    table.c.available_at > now,
                    table.c.leased_by.like(f"{lease_holders.host_prefix()}%"),
                )
                .distinct()
            )
        ).scalars()
        dead = [holder for holder in holders if holder and lease_holders.is_dead(holder)]
        if not dead:
            return 0
        result = await uow.session.execute(
            update(table)
            .where(table.c.status == PENDING, table.c.available_at > now, table.c.leased_by.in_(dead))
            .values(available_at=now)
        )
        await uow.session.commit()
    return int(getattr(result, "rowcount", 0) or 0)


async def record_parts_sent(uow_factory: UnitOfWorkFactory, claim: Claimed, parts_sent: int) -> None:
    """A multi-part message: remember how many parts went out, so a retry sends only the rest. One
    statement that is its own transaction (on PostgreSQL in autocommit: no BEGIN and COMMIT round trips;
    the phone question, text plus a "share my phone" keyboard, records one after every send)."""
    parameters = {
        "row_id": claim.id,
        "claimed_attempts": claim.attempts,
        "parts_extra": {"parts_sent": parts_sent},
    }
    await uow_factory.execute_alone(_RECORD_PARTS_SENT, parameters)


_RECORD_PARTS_SENT = (
    update(orm.outbox)
    .where(
        orm.outbox.c.id == bindparam("row_id"),
        orm.outbox.c.attempts == bindparam("claimed_attempts"),
        orm.outbox.c.status == PENDING,
    )
    .values(extra=bindparam("parts_extra"))
)
