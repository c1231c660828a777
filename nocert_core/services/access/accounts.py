"""Chat accounts: created on first contact (a citizen), language changes, console staff accounts."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError

from nocert_core.clock import Clock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.errors import NotFound, PermissionDenied
from nocert_core.i18n import SUPPORTED_LOCALES, normalise_locale
from nocert_core.services.platform.uow import AbstractUnitOfWork, AppContext


async def ensure_account(
    uow: AbstractUnitOfWork,
    clock: Clock,
    *,
    ref: str,
    channel: str,
    chat_id: str,
    display_name: str = "",
    language: str | None = None,
) -> Account:
    """The account behind a chat identity; a first contact becomes a citizen in the client's language.
    Served from the unit of work's account cache while nothing about it changes."""
    cached = uow.account_cache.get(ref)
    if cached is not None and cached.chat_id == chat_id and cached.reachable:
        return cached
    async with uow:
        account: Account | None = await uow.accounts.get_by_ref(ref)
        if account is None:
            account = Account(
                ref=ref,
                channel=channel,
                chat_id=chat_id,
                display_name=display_name or ref,
                role=Role.CITIZEN,
                locale=normalise_locale(language),
                created_at=clock.now(),
            )
            uow.accounts.add(account)
            try:
                await uow.commit()
            except IntegrityError:
                # Insert-or-get: another handler (or process) created this account meanwhile.
                await uow.rollback()
                account = await uow.accounts.get_by_ref(ref)
                if account is None:
                    raise
        elif account.chat_id != chat_id or not account.reachable:
            # Writing to us again means the chat works (again): deliver there.
            account.chat_id = chat_id
            account.reachable = True
            account.unreachable_reason = None
            await uow.commit()
    uow.account_cache.put(account)
    return account


async def set_locale(uow: AbstractUnitOfWork, ref: str, locale: str) -> Account:
    if locale not in SUPPORTED_LOCALES:
        raise NotFound("Unknown language {code}.", code=locale)
    async with uow:
        account: Account | None = await uow.accounts.get_by_ref(ref)
        if account is None:
            raise NotFound()
        account.locale = locale
        await uow.commit()
        return account


async def bind_console_account(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    *,
    user: str,
    role: Role,
    unit_code: str | None,
    locale: str | None = None,
) -> Account:
    """A local console identity with a role (the console is an operator's tool: no invite needed)."""
    if actor.role not in (Role.ADMIN, Role.SYSTEM):
        raise PermissionDenied()
    ref = f"console:{user}"
    async with uow:
        if unit_code is not None and await uow.units.get(unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=unit_code)
        account: Account | None = await uow.accounts.get_by_ref(ref)
        if account is None:
            account = Account(
                ref=ref, channel="console", chat_id=user, display_name=user, created_at=clock.now()
            )
            account.locale = normalise_locale(locale)
            uow.accounts.add(account)
        elif locale:
            account.locale = normalise_locale(locale)
        account.role = role
        account.unit_code = unit_code if role == Role.STAFF or unit_code else None
        await uow.commit()
        return account


async def load_demo_accounts(app: AppContext) -> str:
    """Console accounts for the demo: `console:staff-<UNIT>` for every unit and `console:supervisor`."""
    created = 0
    async with app.uow() as uow:
        for unit in await uow.units.list():
            ref = f"console:staff-{unit.code}"
            if await uow.accounts.get_by_ref(ref) is None:
                uow.accounts.add(
                    Account(
                        ref=ref,
                        channel="console",
                        chat_id=f"staff-{unit.code}",
                        display_name=f"staff-{unit.code}",
                        role=Role.STAFF,
                        unit_code=unit.code,
                        created_at=app.clock.now(),
                    )
                )
                created += 1
        if await uow.accounts.get_by_ref("console:supervisor") is None:
            uow.accounts.add(
                Account(
                    ref="console:supervisor",
                    channel="console",
                    chat_id="supervisor",
                    display_name="supervisor",
                    role=Role.SUPERVISOR,
                    created_at=app.clock.now(),
                )
            )
            created += 1
        await uow.commit()
    return f"console accounts: {created} created"
