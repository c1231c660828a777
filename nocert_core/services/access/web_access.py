"""Web console sign-in without passwords (issue 14): a staff member or supervisor asks the bot for `/web`
(or an admin runs `nocert staff web-link USER`) and gets a one-time link valid for minutes; opening it
starts a browser session. Only SHA-256 hashes of link and session secrets are stored. Each request asks
`session_account` again, so a role or unit changed in chat takes effect in the browser at once."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from nocert_core.clock import Clock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.errors import DomainError, NotFound, PermissionDenied
from nocert_core.services.platform.uow import AbstractUnitOfWork

WEB_ROLES = frozenset({Role.STAFF, Role.SUPERVISOR, Role.ADMIN})


def secret_hash(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class WebLink:
    url: str
    expires_at: datetime
    minutes: int


@dataclass(frozen=True)
class WebSession:
    token: str  # the raw session secret: goes into the signed cookie, never into the database
    account: Account
    expires_at: datetime


def _may_use_web(account: Account | None) -> bool:
    return (
        account is not None
        and account.role in WEB_ROLES
        and (account.role != Role.STAFF or account.unit_code is not None)
    )


async def issue_web_link(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, account_ref: str | None = None
) -> WebLink:
    """A link for the actor's own account (chat `/web`) or, for an admin, for any staff account."""
    target = account_ref or actor.ref
    if target != actor.ref and actor.role not in (Role.ADMIN, Role.SYSTEM):
        raise PermissionDenied()
    now = clock.now()
    async with uow:
        account: Account | None = await uow.accounts.get_by_ref(target)
        if not _may_use_web(account):
            # A citizen and an unknown account look the same: the console is for staff and the task force.
            raise NotFound("No staff account {ref}.", ref=target)
        token = secrets.token_urlsafe(32)
        minutes = uow.settings.web_link_valid_minutes
        expires = now + timedelta(minutes=minutes)
        repo = uow.web
        await repo.forget_expired(now)
        await repo.add_link(secret_hash(token), target, actor.ref, now, expires)
        await uow.commit()
        base = uow.settings.web_base_url.rstrip("/")
        return WebLink(f"{base}/login/{token}", expires, minutes)


async def open_session(uow: AbstractUnitOfWork, clock: Clock, token: str) -> WebSession:
    """Spend a sign-in link: used, expired and unknown links all fail the same way."""
    now = clock.now()
    async with uow:
        repo = uow.web
        link = await repo.claim_link(secret_hash(token), now)
        account: Account | None = None
        if link is not None and link.expires_at > now:
            account = await uow.accounts.get_by_ref(link.account_ref)
        if account is None or not _may_use_web(account):
            await uow.commit()  # a presented link is spent even when it no longer opens anything
            raise DomainError("This sign-in link is not valid any more. Send /web to the bot for a new one.")
        session_token = secrets.token_urlsafe(32)
        expires = now + timedelta(hours=uow.settings.web_session_hours)
        await repo.add_session(secret_hash(session_token), account.ref, now, expires)
        await uow.commit()
        return WebSession(session_token, account, expires)


async def session_account(uow: AbstractUnitOfWork, clock: Clock, token: str) -> Account | None:
    """The account of a live session, or None (expired, signed out, or no longer staff)."""
    async with uow:
        row = await uow.web.get_session(secret_hash(token))
        if row is None or row.revoked_at is not None or row.expires_at <= clock.now():
            return None
        account: Account | None = await uow.accounts.get_by_ref(row.account_ref)
        return account if _may_use_web(account) else None


async def close_session(uow: AbstractUnitOfWork, clock: Clock, token: str) -> None:
    async with uow:
        await uow.web.revoke_session(secret_hash(token), clock.now())
        await uow.commit()
