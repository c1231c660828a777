"""Group commit (issue 15): updates of different users that wait at the same time are handled in one
transaction — and still each user's order holds, an update that fails is handled again alone without
taking the others' answers with it, and a kill before the batch's commit leaves every update of it to be
answered once, from its own step."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from sqlalchemy import event, select

from handlers.complaints import intake as complaint_intake
from handlers.dialogs.dialog_store import DatabaseStateStorage, StateStorage
from handlers.dispatch.dispatcher import Dispatcher
from handlers.dispatch.routing import DialogState
from handlers.types import Incoming, InputKind
from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_chat import chat_inbox
from nocert_core.bootstrap import Application
from nocert_core.domain.units import Unit
from nocert_core.errors import ValidationFailed
from nocert_core.services.messaging import outbox, outbox_lease
from tests.integration.chat_driver import add_units
from tests.integration.reliability.test_instances_dialog_state import open_redis_storage


@pytest.fixture(params=["database", pytest.param("redis", marks=pytest.mark.redis)])
async def storage(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[StateStorage]:
    if request.param == "database":
        yield DatabaseStateStorage(app)
        return
    async with open_redis_storage() as store:
        yield store


def said(user: int, update_id: int, words: str) -> Incoming:
    kind = InputKind.COMMAND if words.startswith("/") else InputKind.TEXT
    return Incoming(
        "telegram",
        str(user),
        str(user),
        kind,
        text=words,
        command=words[1:] if kind == InputKind.COMMAND else "",
        language="en",
        update_id=str(update_id),
    )


async def stored(app: Application, incoming: Incoming) -> int:
    async with app.uow() as uow:
        inbox_id, _ = await uow.chat.receive(
            f"telegram:{incoming.update_id}", incoming.user_ref, {"incoming": {}}, app.clock.now()
        )
        await uow.commit()
    return inbox_id


def draft(state: DialogState) -> dict[str, Any]:
    return dict(state.data.get("draft") or {})


def texts(claims: list[outbox.Claimed]) -> str:
    return " ".join(str(claim.payload.get("text")) for claim in claims)  # type: ignore[attr-defined]


async def all_at_once(
    dispatcher: Dispatcher, updates: list[Incoming], rows: list[int] | None = None
) -> list[list[outbox.Claimed] | BaseException]:
    """Every update given to the dispatcher at the same moment, in this order (as the runtime's user
    queues do when many users write at once)."""
    if rows is None:
        rows = [await stored(dispatcher.app, incoming) for incoming in updates]
    tasks = [
        asyncio.create_task(dispatcher.process(row, incoming, 30))
        for row, incoming in zip(rows, updates, strict=True)
    ]
    return list(await asyncio.gather(*tasks, return_exceptions=True))


async def commits_during(app: Application, action: Any) -> tuple[Any, int]:
    commits = 0

    def count(_connection: Any) -> None:
        nonlocal commits
        commits += 1

    event.listen(app.engine.sync_engine, "commit", count)
    try:
        result = await action
    finally:
        event.remove(app.engine.sync_engine, "commit", count)
    return result, commits


async def test_updates_of_users_writing_at_once_share_one_transaction_and_each_gets_its_own_answer(
    app: Application, storage: StateStorage
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app, storage)
    users = range(2001, 2009)
    await all_at_once(dispatcher, [said(user, user * 10, "/complain") for user in users])
    names = [said(user, user * 10 + 1, f"王{user}") for user in users]
    rows = [await stored(app, incoming) for incoming in names]
    answers, commits = await commits_during(app, all_at_once(dispatcher, names, rows))
    assert commits <= 3  # one for the first (alone: nothing waited yet), one or two for the rest
    assert dispatcher.group.stats.batches >= 1 and max(dispatcher.group.stats.sizes) >= 3
    for user, answer in zip(users, answers, strict=True):
        assert isinstance(answer, list) and "phone" in texts(answer).lower(), answer
        assert all(claim.recipient_ref == f"telegram:{user}" for claim in answer)
        state = await storage.load(f"telegram:{user}")
        assert state.name == "ci.phone" and draft(state).get("name") == f"王{user}"
    async with app.uow() as uow:
        waiting = await uow.session.execute(
            select(chat_inbox.c.id).where(chat_inbox.c.processed_at.is_(None))
        )
        assert waiting.all() == []


async def test_a_users_updates_given_together_are_answered_in_their_order_between_other_users(
    app: Application, storage: StateStorage
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app, storage)
    updates = [
        said(3001, 1, "/complain"),
        said(3002, 2, "/complain"),
        said(3001, 3, "王芳"),
        said(3003, 4, "/complain"),
        said(3001, 5, "13805361234"),
        said(3002, 6, "李雷"),
    ]
    answers = await all_at_once(dispatcher, updates)
    assert all(isinstance(answer, list) and answer for answer in answers), answers
    first = await storage.load("telegram:3001")
    assert draft(first).get("name") == "王芳" and draft(first).get("phone") == "13805361234"
    assert draft(await storage.load("telegram:3002")).get("name") == "李雷"
    assert (await storage.load("telegram:3003")).name == "ci.name"


async def test_an_update_that_fails_in_a_batch_is_handled_alone_and_the_others_are_answered(
    app: Application, storage: StateStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_units(app)
    original = complaint_intake.complaint_service.intake_start
    tried: list[str] = []

    async def spoils_for_one_user(uow: Any, clock: Any, actor: Any) -> Any:
        if actor.ref != "telegram:4003":
            return await original(uow, clock, actor)
        async with uow:
            uow.units.add(Unit(code="HALF-DONE", name="half done"))
            await uow.flush()  # written, then refused: only a rollback of the transaction undoes it
            tried.append(type(uow).__name__)
            raise ValidationFailed("Not today.")

    monkeypatch.setattr(complaint_intake.complaint_service, "intake_start", spoils_for_one_user)
    dispatcher = Dispatcher(app, storage)
    users = range(4001, 4007)
    answers = await all_at_once(dispatcher, [said(user, user, "/complain") for user in users])
    assert dispatcher.group.stats.failed >= 1 and dispatcher.group.stats.batches >= 1
    assert tried[0] == "JoinedUnitOfWork" and tried[-1] == "SqlAlchemyUnitOfWork"  # batch, then alone
    for user, answer in zip(users, answers, strict=True):
        assert isinstance(answer, list), answer
        if user == 4003:
            assert "Not today." in texts(answer)
        else:
            assert "Not today." not in texts(answer) and answer
            assert (await storage.load(f"telegram:{user}")).name == "ci.name"
    async with app.uow() as uow:
        assert await uow.units.get("HALF-DONE") is None
        assert (
            await uow.session.execute(select(chat_inbox.c.id).where(chat_inbox.c.processed_at.is_(None)))
        ).all() == []
        keys = [row.dedup_key for row in await uow.session.execute(select(orm.outbox.c.dedup_key))]
    assert len(keys) == len(set(keys))  # every reply written once


async def test_a_kill_before_a_batch_commits_leaves_each_of_its_updates_answered_once_from_its_own_step(
    app: Application, storage: StateStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app, storage)
    users = range(5001, 5007)
    await all_at_once(dispatcher, [said(user, user * 10, "/complain") for user in [*users, 5999]])
    (control,) = await all_at_once(dispatcher, [said(5999, 59991, "王5999")])  # the answer to a name
    assert isinstance(control, list)
    killed = asyncio.Event()
    original = outbox_lease.mark_inbox_and_write_leased  # a batch's marks (and replies), both backends

    async def dies_before_the_commit(*args: Any) -> Any:
        if len(args[1]) > 1:  # a batch's inbox rows (an update alone is marked the same way)
            killed.set()
            await asyncio.Event().wait()  # the process is killed here: nothing after it happens
        return await original(*args)

    monkeypatch.setattr(outbox_lease, "mark_inbox_and_write_leased", dies_before_the_commit)
    names = [said(user, user * 10 + 1, f"王{user}") for user in users]
    rows = [await stored(app, incoming) for incoming in names]
    callers = [
        asyncio.create_task(dispatcher.process(row, incoming, 30))
        for row, incoming in zip(rows, names, strict=True)
    ]
    await asyncio.wait_for(killed.wait(), 10)
    doomed = [task for task in asyncio.all_tasks() if task.get_name() == "nocert-group-commit"]
    for task in [*callers, *doomed]:
        task.cancel()
    await asyncio.gather(*callers, *doomed, return_exceptions=True)
    monkeypatch.setattr(outbox_lease, "mark_inbox_and_write_leased", original)

    restarted = Dispatcher(app, storage)  # recovery: the unprocessed rows, oldest first
    async with app.uow() as uow:
        left = await uow.chat.unprocessed("telegram:")
    again = {row_id: incoming for row_id, incoming in zip(rows, names, strict=True)}
    assert {row_id for row_id, _ in left} <= set(again) and left
    replayed = await asyncio.gather(*(restarted.process(row_id, again[row_id], 30) for row_id, _ in left))
    for (row_id, _), answer in zip(left, replayed, strict=True):
        who = again[row_id].user_id  # the name was taken as the name (not as the phone), once
        assert texts(answer) == texts(control).replace("王5999", f"王{who}")
    for user in users:
        state = await storage.load(f"telegram:{user}")
        assert state.name == "ci.phone" and draft(state).get("name") == f"王{user}"
    async with app.uow() as uow:
        keys = [row.dedup_key for row in await uow.session.execute(select(orm.outbox.c.dedup_key))]
    assert len(keys) == len(set(keys))


async def test_a_state_saved_meanwhile_by_another_instance_sends_only_that_update_alone(
    app: Application, storage: StateStorage, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_units(app)
    one, other = Dispatcher(app, storage), Dispatcher(app, storage)
    users = range(6001, 6006)
    await all_at_once(one, [said(user, user * 10, "/complain") for user in users])
    original = one.handle_in
    raced: list[str] = []

    async def another_instance_answers_first(incoming: Incoming, *args: Any) -> Any:
        outcome = await original(incoming, *args)
        if incoming.user_ref == "telegram:6004" and not raced:
            # Meanwhile another instance (its user lock had expired) answers this user's next update.
            raced.append(incoming.user_ref)
            elsewhere = said(6004, 60042, "李四")
            await other.process_alone(await stored(app, elsewhere), elsewhere, 30, False)
        return outcome

    monkeypatch.setattr(one, "handle_in", another_instance_answers_first)
    answers = await all_at_once(one, [said(user, user * 10 + 1, "王五") for user in users])
    assert raced and one.group.stats.failed >= 1
    assert all(isinstance(answer, list) and answer for answer in answers), answers
    mine = await storage.load("telegram:6004")
    # The batch's answer (from the step the other instance moved on from) was not committed; handled
    # again alone, "王五" was read as the answer to the step it now reached (the phone: refused).
    assert mine.name == "ci.phone" and draft(mine).get("name") == "李四"
    answered = answers[users.index(6004)]
    assert isinstance(answered, list) and "phone" in texts(answered).lower()
    for user in users:
        if user != 6004:
            state = await storage.load(f"telegram:{user}")
            assert state.name == "ci.phone" and draft(state).get("name") == "王五"


async def test_on_postgresql_a_batch_marks_its_inbox_rows_and_writes_its_replies_in_one_statement(
    app: Application,
) -> None:
    if app.uow.dialect != "postgresql":
        pytest.skip("SQLite has no data-modifying WITH: a statement each")
    await add_units(app)
    dispatcher = Dispatcher(app)
    users = range(2101, 2107)
    await all_at_once(dispatcher, [said(user, user * 10, "/complain") for user in users])
    names = [said(user, user * 10 + 1, f"王{user}") for user in users]
    rows = [await stored(app, incoming) for incoming in names]
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(app.engine.sync_engine, "before_cursor_execute", note)
    try:
        answers = await all_at_once(dispatcher, names, rows)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", note)
    assert all(isinstance(answer, list) and "Step 2 of 7" in texts(answer) for answer in answers)
    closings = [s for s in seen if "UPDATE chat_inbox" in s or "INSERT INTO outbox" in s]
    assert closings and all("UPDATE chat_inbox" in s and "INSERT INTO outbox" in s for s in closings)
    assert dispatcher.group.stats.batches >= 1
