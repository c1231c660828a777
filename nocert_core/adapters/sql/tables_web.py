"""Web console tables: one-time sign-in links and browser sessions. Only SHA-256 hashes of the secrets
are stored, so a database dump opens no session. The repository is attached to every unit of work as
`uow.web`."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Column, String, Table, delete, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import registry

from nocert_core.adapters.sql.orm import UtcDateTime, metadata

web_login_links = Table(
    "web_login_links",
    metadata,
    Column("token_hash", String(64), primary_key=True),
    Column("account_ref", String(100), nullable=False),
    Column("created_by", String(100), nullable=False),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("used_at", UtcDateTime, nullable=True),
)

web_sessions = Table(
    "web_sessions",
    metadata,
    Column("session_hash", String(64), primary_key=True),
    Column("account_ref", String(100), nullable=False, index=True),
    Column("created_at", UtcDateTime, nullable=False),
    Column("expires_at", UtcDateTime, nullable=False, index=True),
    Column("revoked_at", UtcDateTime, nullable=True),
)


def map_tables(mapper_registry: registry) -> None:
    """Nothing to map: the repository reads and writes these rows with Core statements."""


@dataclass(frozen=True)
class LoginLinkRow:
    account_ref: str
    expires_at: datetime
    used_at: datetime | None


@dataclass(frozen=True)
class SessionRow:
    account_ref: str
    expires_at: datetime
    revoked_at: datetime | None


class WebRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def add_link(
        self, token_hash: str, account_ref: str, created_by: str, now: datetime, expires_at: datetime
    ) -> None:
        await self.session.execute(
            web_login_links.insert().values(
                token_hash=token_hash,
                account_ref=account_ref,
                created_by=created_by,
                created_at=now,
                expires_at=expires_at,
            )
        )

    async def claim_link(self, token_hash: str, now: datetime) -> LoginLinkRow | None:
        """Mark an unused link used and return it; a second claim (or a race) gets None."""
        table = web_login_links
        row = (
            await self.session.execute(
                select(table.c.account_ref, table.c.expires_at, table.c.used_at).where(
                    table.c.token_hash == token_hash
                )
            )
        ).first()
        if row is None or row.used_at is not None:
            return None
        claimed = await self.session.execute(
            update(table)
            .where(table.c.token_hash == token_hash, table.c.used_at.is_(None))
            .values(used_at=now)
        )
        if getattr(claimed, "rowcount", 1) != 1:
            return None
        return LoginLinkRow(row.account_ref, row.expires_at, None)

    async def add_session(
        self, session_hash: str, account_ref: str, now: datetime, expires_at: datetime
    ) -> None:
        await self.session.execute(
            web_sessions.insert().values(
                session_hash=session_hash, account_ref=account_ref, created_at=now, expires_at=expires_at
            )
        )

    async def get_session(self, session_hash: str) -> SessionRow | None:
        table = web_sessions
        row = (
            await self.session.execute(
                select(table.c.account_ref, table.c.expires_at, table.c.revoked_at).where(
                    table.c.session_hash == session_hash
                )
            )
        ).first()
        return None if row is None else SessionRow(row.account_ref, row.expires_at, row.revoked_at)

    async def revoke_session(self, session_hash: str, now: datetime) -> None:
        table = web_sessions
        await self.session.execute(
            update(table).where(table.c.session_hash == session_hash).values(revoked_at=now)
        )

    async def forget_expired(self, now: datetime) -> None:
        await self.session.execute(delete(web_login_links).where(web_login_links.c.expires_at < now))
        await self.session.execute(delete(web_sessions).where(web_sessions.c.expires_at < now))
