"""The account of a chat user is read once and then served from the cache, until this process changes it
(language, role, reachability) or, for changes made elsewhere, until the entry expires."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from sqlalchemy import event, text

from nocert_core.adapters.sql.account_cache import AccountCache
from nocert_core.bootstrap import Application
from nocert_core.domain.accounts import Account
from nocert_core.services.access import accounts as account_service
from nocert_core.services.messaging import outbox
from nocert_core.services.platform.joined_uow import UpdateTransaction
from nocert_core.services.platform.uow import UnitOfWorkFactory


async def ensure(app: Application, user: str = "7", chat_id: str = "7") -> Account:
    return await account_service.ensure_account(
        app.uow(), app.clock, ref=f"telegram:{user}", channel="telegram", chat_id=chat_id, language="en"
    )


@contextmanager
def statements(app: Application) -> Iterator[list[str]]:
    seen: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        seen.append(statement)

    event.listen(app.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield seen
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", record)


async def test_a_known_users_next_updates_need_no_database_round_trip(app: Application) -> None:
    first = await ensure(app)
    with statements(app) as seen:
        again = await ensure(app)
        third = await ensure(app)
    assert seen == []
    assert again.ref == third.ref == first.ref == "telegram:7"


async def test_a_language_change_is_seen_at_once(app: Application) -> None:
    await ensure(app)
    await account_service.set_locale(app.uow(), "telegram:7", "zh_Hans")
    assert (await ensure(app)).locale == "zh_Hans"


async def test_an_account_marked_unreachable_becomes_reachable_when_the_user_writes_again(
    app: Application,
) -> None:
    account = await ensure(app)
    claim = outbox.Claimed(id=0, recipient_ref=account.ref, kind="x", payload={}, attempts=1, account=account)
    await outbox.mark_unreachable(app.uow, claim, "Forbidden: bot was blocked by the user")
    await ensure(app)  # the user unblocked the bot and writes again
    async with app.uow() as uow:
        stored = await uow.accounts.get_by_ref(account.ref)
    assert stored is not None and stored.reachable


async def test_a_change_made_by_another_process_is_seen_once_the_entry_expires(app: Application) -> None:
    now = [0.0]
    factory = UnitOfWorkFactory(
        app.uow.session_factory,
        app.clock,
        app.settings,
        app.uow.event_handlers,
        AccountCache(ttl_seconds=30, monotonic=lambda: now[0]),
    )
    app.uow = factory
    await ensure(app)
    async with app.engine.begin() as connection:  # e.g. `nocert staff` run elsewhere
        await connection.execute(text("UPDATE accounts SET locale = 'zh_Hans' WHERE ref = 'telegram:7'"))
    assert (await ensure(app)).locale == "en"  # within the cache's 30 s
    now[0] = 31.0
    assert (await ensure(app)).locale == "zh_Hans"


async def first_contact_in_an_update(app: Application, *, commit: bool) -> None:
    """A first contact inside an update's one transaction (handlers/dispatch/dispatcher.py)."""
    async with app.uow() as outer:
        await account_service.ensure_account(
            UpdateTransaction(outer)(),
            app.clock,
            ref="telegram:8",
            channel="telegram",
            chat_id="8",
            language="en",
        )
        if commit:
            await outer.commit()
        else:
            raise RuntimeError("the update failed")


async def test_a_first_contact_is_served_from_the_cache_once_its_updates_transaction_commits(
    app: Application,
) -> None:
    await first_contact_in_an_update(app, commit=True)
    with statements(app) as seen:
        account = await ensure(app, user="8", chat_id="8")
    assert seen == []
    assert account.ref == "telegram:8" and account.id is not None


async def test_a_first_contact_whose_updates_transaction_rolls_back_is_not_cached(app: Application) -> None:
    with pytest.raises(RuntimeError):
        await first_contact_in_an_update(app, commit=False)
    with statements(app) as seen:
        account = await ensure(app, user="8", chat_id="8")
    assert any(statement.startswith("INSERT INTO accounts") for statement in seen)  # created anew
    async with app.uow() as uow:
        assert await uow.accounts.get_by_ref(account.ref) is not None
