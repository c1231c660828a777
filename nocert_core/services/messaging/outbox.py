"""Outbox delivery (the transactional outbox): enqueue in the causing transaction, claim, mark.

Rows are claimed by a lease: one atomic UPDATE moves `available_at` past now and bumps `attempts`
(PostgreSQL picks the rows with `FOR UPDATE SKIP LOCKED`; SQLite serialises writers, so the single
UPDATE is atomic there). A worker that dies after claiming leaves the row pending: it is delivered
again when the lease runs out. `attempts` doubles as a fencing token, so a late answer of a worker
whose lease was taken over cannot overwrite the newer attempt's outcome.

Per chat, only the oldest undelivered row is claimable, so messages arrive in the order written and
one chat never has two messages in flight (Telegram's 1 message/s per chat).

What the outbox holds (`nocert outbox status`, /metrics): nocert_core/services/messaging/outbox_status.py.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import bindparam, or_, select, update

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.outbox_rows import count_outbox_rows_pg
from nocert_core.adapters.sql.repositories import dialect_insert
from nocert_core.domain.accounts import Account
from nocert_core.domain.outbox import OutboxMessage, OutboxStatus
from nocert_core.domain.payload import Payload
from nocert_core.services.messaging import lease_holders
from nocert_core.services.platform.uow import AbstractUnitOfWork, UnitOfWorkFactory

PENDING, SENT, UNDELIVERABLE = OutboxStatus.PENDING, OutboxStatus.SENT, OutboxStatus.UNDELIVERABLE
BACKOFF_BASE_SECONDS = 5.0
BACKOFF_CAP_SECONDS = 15 * 60.0


async def enqueue(
    uow: AbstractUnitOfWork,
    *,
    recipient_ref: str,
    kind: str,
    payload: Payload,
    dedup_key: str,
    available_at: datetime | None = None,
) -> bool:
    """Write one message in the caller's transaction; False when `dedup_key` was already used."""
    return await _enqueue_stored(uow, Outgoing.of(recipient_ref, kind, payload, dedup_key), available_at)


async def _enqueue_stored(uow: AbstractUnitOfWork, message: Outgoing, available_at: datetime | None) -> bool:
    now = uow.clock.now()
    row = OutboxMessage(
        dedup_key=message.dedup_key[:200],
        recipient_ref=message.recipient_ref,
        kind=message.kind,
        payload=message.payload,
        created_at=now,
        available_at=available_at or now,
    )
    return bool(await uow.outbox.enqueue(row))


def stored(kind: str, payload: Payload) -> dict[str, Any]:
    """The JSON object a row keeps: a typed payload (domain/notifications.py) of its kind, never a dict."""
    if not isinstance(payload, Payload):
        raise TypeError(f"an outbox row of {kind!r} carries a typed payload, not a {type(payload).__name__}")
    if kind not in payload.KINDS:
        raise ValueError(f"a {type(payload).__name__} is no payload of {kind!r}")
    return payload.as_payload()


@dataclass(frozen=True)
class Outgoing:
    """One message to write (see `enqueue_many`); `payload` is the JSON object stored (`Outgoing.of`)."""

    recipient_ref: str
    kind: str
    payload: dict[str, Any]
    dedup_key: str

    @classmethod
    def of(cls, recipient_ref: str, kind: str, payload: Payload, dedup_key: str) -> Outgoing:
        return cls(recipient_ref, kind, stored(kind, payload), dedup_key)


def addressed(accounts: Iterable[Account], kind: str, payload: Payload, dedup_prefix: str) -> list[Outgoing]:
    """One message per account, keyed `{dedup_prefix}:{account.ref}` (the stored JSON shared)."""
    data = stored(kind, payload)
    refs = [account.ref for account in accounts]  # a mapped attribute: read once
    return [Outgoing(ref, kind, data, f"{dedup_prefix}:{ref}"[:200]) for ref in refs]


async def enqueue_many(
    uow: AbstractUnitOfWork, messages: Sequence[Outgoing], available_at: datetime | None = None
) -> int:
    """Write many messages in the caller's transaction with a few multi-row
    `INSERT … ON CONFLICT (dedup_key) DO NOTHING` statements; returns how many were new."""
    seen: set[str] = set()
    unique: list[Outgoing] = []
    for message in messages:  # one statement must not carry a key twice; the first one wins
        if message.dedup_key[:200] not in seen:
            seen.add(message.dedup_key[:200])
            unique.append(message)
    if not unique:
        return 0
    session = getattr(uow, "session", None)
    if session is None:  # a unit of work without SQL (the unit tests' fake): one at a time
        return sum([await _enqueue_stored(uow, message, available_at) for message in unique])
    now = uow.clock.now()
    if session.get_bind().dialect.name == "postgresql":
        return await _enqueue_many_pg(session, unique, now, available_at or now)
    rows = [
        {
            "dedup_key": message.dedup_key[:200],
            "recipient_ref": message.recipient_ref,
            "kind": message.kind,
            "payload": message.payload,
            "created_at": now,
            "available_at": available_at or now,
            "status": PENDING,
            "attempts": 0,
            "extra": {},
        }
        for message in unique
    ]
    # One statement with many parameter sets: SQLAlchemy sends it as multi-row INSERTs
    # ("insertmanyvalues", a page of rows per statement) on both backends, compiled once.
    statement = (
        dialect_insert(session, orm.outbox)
        .on_conflict_do_nothing(index_elements=["dedup_key"])
        .returning(orm.outbox.c.id)
    )
    return len((await session.execute(statement, rows)).all())


def rows_of(messages: Sequence[Outgoing]) -> list[tuple[str, str, str, Any]]:
    """The messages as the bulk writers' rows (adapters/sql/outbox_rows.py): (dedup key, recipient, kind,
    payload)."""
    return [(m.dedup_key[:200], m.recipient_ref, m.kind, m.payload) for m in messages]


async def _enqueue_many_pg(
    session: Any, messages: Sequence[Outgoing], now: datetime, available_at: datetime
) -> int:
    return await count_outbox_rows_pg(session, rows_of(messages), now, available_at, PENDING.value)


async def notify(
    uow: AbstractUnitOfWork,
    accounts: Iterable[Account],
    kind: str,
    payload: Payload,
    dedup_prefix: str,
) -> int:
    """One message per account, keyed `{dedup_prefix}:{account.ref}`; returns how many were new."""
    return await enqueue_many(uow, addressed(accounts, kind, payload, dedup_prefix))


@dataclass(frozen=True)
class Claimed:
    id: int
    recipient_ref: str
    kind: str
    # The row's JSON as stored: an object for every row this code writes; read it with its kind's type
    # (nocert_core.domain.notifications.read_payload), which reports anything else as malformed.
    payload: object
    attempts: int  # the fencing token of this claim
    account: Account | None
    parts_sent: int = 0  # of a message sent as several Bot API calls (text + file): those already delivered


def backoff_seconds(attempts: int, base: float = BACKOFF_BASE_SECONDS) -> float:
    """5 s, 10 s, 20 s … capped at 15 minutes."""
    return float(min(BACKOFF_CAP_SECONDS, base * 2 ** max(0, attempts - 1)))


async def claim_batch(
    uow_factory: UnitOfWorkFactory,
    now: datetime,
    channels: Sequence[str],
    limit: int = 30,
    lease_seconds: float = 120.0,
) -> list[Claimed]:
    """Claim up to `limit` deliverable rows for recipients on `channels`, at most one per recipient."""
    if not channels:
        return []
    table = orm.outbox
    earlier = table.alias("earlier")
    blocked_by_earlier = (
        select(earlier.c.id)
        .where(
            earlier.c.recipient_ref == table.c.recipient_ref,
            earlier.c.status == PENDING,
            earlier.c.id < table.c.id,
            # a row waiting for a retry (or held by a worker) keeps the order; a never-tried row
            # scheduled for later does not block the ones after it
            or_(earlier.c.attempts > 0, earlier.c.available_at <= now),
        )
        .exists()
    )
    candidates = (
        select(table.c.id)
        .where(
            table.c.status == PENDING,
            table.c.available_at <= now,
            or_(*[table.c.recipient_ref.like(f"{channel}:%") for channel in channels]),
            ~blocked_by_earlier,
        )
        .order_by(table.c.id)
        .limit(limit)
    )
    async with uow_factory() as uow:
        session = uow.session
        if session.get_bind().dialect.name == "postgresql":
            candidates = candidates.with_for_update(skip_locked=True, of=table)
        claimable = candidates.cte("claimable")
        statement = (
            update(table)
            .where(table.c.id.in_(select(claimable.c.id)))
            .values(
                available_at=now + timedelta(seconds=lease_seconds),
                attempts=table.c.attempts + 1,
                leased_by=lease_holders.this_process(),
            )
            .returning(
                table.c.id,
                table.c.recipient_ref,
                table.c.kind,
                table.c.payload,
                table.c.attempts,
                table.c.extra,
            )
            .add_cte(claimable)
        )
        rows = (await session.execute(statement)).all()
        refs = {row.recipient_ref for row in rows}
        accounts: dict[str, Account] = {}
        if refs:
            found = await session.execute(select(Account).where(orm.accounts.c.ref.in_(refs)))
            accounts = {account.ref: account for account in found.scalars()}
        await session.commit()
    claimed = [
        Claimed(
            row.id,
            row.recipient_ref,
            row.kind,
            row.payload,
            row.attempts,
            accounts.get(row.recipient_ref),
            parts_sent_of(row.extra),
        )
        for row in rows
    ]
    return sorted(claimed, key=lambda item: item.id)


def parts_sent_of(extra: Any) -> int:
    return int((extra or {}).get("parts_sent", 0)) if isinstance(extra, dict) else 0


async def _finish(uow_factory: UnitOfWorkFactory, claim: Claimed, **values: Any) -> bool:
    parameters = {"claim_id": claim.id, "claim_attempts": claim.attempts}
    parameters.update({f"set_{column}": value for column, value in values.items()})
    changed, _ = await uow_factory.execute_alone(_finishing(tuple(sorted(values))), parameters)
    return bool(changed)


@cache
def _finishing(columns: tuple[str, ...]) -> Any:
    """`_finish`'s statement for these columns, built once: on PostgreSQL `execute_alone` compiles each
    statement object once and keeps it (adapters/sql/direct.py), so one built per call was compiled anew
    every time and kept for good."""
    table = orm.outbox
    return (
        update(table)
        .where(
            table.c.id == bindparam("claim_id"),
            table.c.attempts == bindparam("claim_attempts"),
            table.c.status == PENDING,
        )
        .values({column: bindparam(f"set_{column}", type_=table.c[column].type) for column in columns})
    )


# Marking a reply sent follows every reply of every update: built once (building it cost as much CPU as
# running it), the values bound.
_MARK_SENT = (
    update(orm.outbox)
    .where(
        orm.outbox.c.id == bindparam("claim_id"),
        orm.outbox.c.attempts == bindparam("claim_attempts"),
        orm.outbox.c.status == PENDING,
    )
    .values(status=SENT, sent_at=bindparam("sent_now"), last_error=None)
)


async def mark_sent(uow_factory: UnitOfWorkFactory, claim: Claimed, now: datetime) -> bool:
    parameters = {"claim_id": claim.id, "claim_attempts": claim.attempts, "sent_now": now}
    changed, _ = await uow_factory.execute_alone(_MARK_SENT, parameters)
    return bool(changed)


async def mark_retry(
    uow_factory: UnitOfWorkFactory, claim: Claimed, available_at: datetime, error: str, max_attempts: int
) -> bool:
    """Try again at `available_at`; after `max_attempts` give up on this row (the chat stays reachable)."""
    if claim.attempts >= max_attempts:
        return await mark_undeliverable(
            uow_factory, claim, f"gave up after {claim.attempts} attempts: {error}"
        )
    return await _finish(uow_factory, claim, available_at=available_at, last_error=error[:500])


async def release(uow_factory: UnitOfWorkFactory, claim: Claimed, now: datetime) -> bool:
    """Give a claim back unsent (the worker is stopping): deliverable again at once, attempt not counted."""
    return await _finish(uow_factory, claim, available_at=now, attempts=claim.attempts - 1)


async def mark_undeliverable(uow_factory: UnitOfWorkFactory, claim: Claimed, error: str) -> bool:
    return await _finish(uow_factory, claim, status=UNDELIVERABLE, last_error=error[:500])


async def mark_superseded(uow_factory: UnitOfWorkFactory, claim: Claimed) -> bool:
    """Not sent because it no longer holds (services/complaints/cards.py `is_stale`)."""
    return await _finish(uow_factory, claim, status=OutboxStatus.SUPERSEDED, last_error="superseded")


async def mark_unreachable(uow_factory: UnitOfWorkFactory, claim: Claimed, reason: str) -> None:
    """The recipient blocked the bot or the chat is gone: flag the account (the task force lists who
    cannot be reached) and stop trying its other pending messages."""
    table, accounts = orm.outbox, orm.accounts
    async with uow_factory() as uow:
        session = uow.session
        await session.execute(
            update(accounts)
            .where(accounts.c.ref == claim.recipient_ref)
            .values(reachable=False, unreachable_reason=reason[:500])
        )
        await session.execute(
            update(table)
            .where(
                table.c.recipient_ref == claim.recipient_ref,
                table.c.status == PENDING,
                or_(table.c.id != claim.id, table.c.attempts == claim.attempts),
            )
            .values(status=UNDELIVERABLE, last_error=f"recipient unreachable: {reason}"[:500])
        )
        await session.commit()
        uow.account_cache.forget([claim.recipient_ref])
