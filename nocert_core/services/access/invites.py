"""Staff invites (issue 3): `nocert staff invite` makes a one-time code; `/start <code>` binds the account."""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import timedelta

from nocert_core.clock import Clock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.invites import StaffInvite
from nocert_core.errors import DomainError, NotFound, PermissionDenied, ValidationFailed
from nocert_core.services.platform.uow import AbstractUnitOfWork

INVITE_ROLES = (Role.STAFF, Role.SUPERVISOR)
_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: codes are read aloud and typed


@dataclass(frozen=True)
class IssuedInvite:
    code: str
    link: str
    unit_code: str | None
    role: Role
    expires_at: object


def deep_link(bot_username: str, code: str) -> str:
    return f"https://t.me/{bot_username.lstrip('@')}?start={code}"


async def create_invite(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    unit_code: str | None,
    role: Role,
    display_name: str | None = None,
) -> IssuedInvite:
    if not actor.is_supervisor:
        raise PermissionDenied()
    if role not in INVITE_ROLES:
        raise ValidationFailed("An invite is for staff or supervisors.")
    if role == Role.STAFF and not unit_code:
        raise ValidationFailed("A staff invite needs a unit.")
    now = clock.now()
    async with uow:
        if unit_code is not None and await uow.units.get(unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=unit_code)
        code = "".join(secrets.choice(_ALPHABET) for _ in range(10))
        invite = StaffInvite(
            code=code,
            unit_code=unit_code,
            role=role,
            created_by=actor.ref,
            created_at=now,
            expires_at=now + timedelta(days=uow.settings.invite_valid_days),
            display_name=(display_name or "").strip() or None,
        )
        uow.chat.add_invite(invite)
        await uow.commit()
        link = deep_link(uow.settings.bot_username, code)
        return IssuedInvite(code, link, unit_code, role, invite.expires_at)


async def redeem_invite(uow: AbstractUnitOfWork, clock: Clock, account_ref: str, code: str) -> Account:
    """Bind the account to the invite's unit and role. Wrong, used and expired codes all fail."""
    async with uow:
        invite: StaffInvite | None = await uow.chat.get_invite(code.strip().upper())
        if invite is None:
            raise DomainError("This invite code is not valid. Check it or ask for a new one.")
        account: Account | None = await uow.accounts.get_by_ref(account_ref)
        if account is None:
            raise NotFound()
        invite.redeem(account_ref, clock.now())
        account.role = invite.role
        account.unit_code = invite.unit_code
        if invite.display_name:
            account.display_name = invite.display_name
        await uow.commit()
        return account
