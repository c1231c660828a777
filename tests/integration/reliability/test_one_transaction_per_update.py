"""Issue 15 item 1: an update is one transaction — its account, dialog step, the use cases it calls, its
inbox mark and its replies commit together, or (a use case failing after it wrote) not at all and the
update is handled again the old way; the dialog step is saved only over the version it was loaded at."""

from __future__ import annotations

from collections.abc import Awaitable
from typing import Any

import pytest
from sqlalchemy import event, select

from handlers.complaints import intake as complaint_intake
from handlers.dialogs.dialog_store import DatabaseStateStorage
from handlers.dispatch.dispatcher import Dispatcher
from handlers.dispatch.routing import DialogState
from handlers.types import Incoming, InputKind
from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_chat import ChatRepository, InboxAlreadyProcessed
from nocert_core.bootstrap import Application
from nocert_core.domain.units import Unit
from nocert_core.errors import DomainError, ValidationFailed
from nocert_core.services.platform.joined_uow import UpdateTransaction
from tests.integration.chat_driver import ChatUser, add_units
from tests.integration.storage.test_group_commit import said, stored

FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"


async def commits_during(app: Application, action: Awaitable[Any]) -> int:
    commits = 0

    def count(_connection: Any) -> None:
        nonlocal commits
        commits += 1

    event.listen(app.engine.sync_engine, "commit", count)
    try:
        await action
    finally:
        event.remove(app.engine.sync_engine, "commit", count)
    return commits


async def at_the_summary(app: Application, user: ChatUser) -> None:
    await add_units(app)
    await user.send("/complain")
    for answer in ("王芳", "13805361234", "奎文区行政审批服务局", "不再要求提交证明", "已在清单内", FACTS):
        await user.send(answer)
    await user.press("For myself")
    assert "Submit" in str([b.text for r in user.last for row in r.buttons for b in row])


async def numbers(app: Application) -> list[str]:
    async with app.uow() as uow:
        return [row.number for row in await uow.session.execute(select(orm.complaints.c.number))]


async def test_a_first_contact_creates_the_account_and_answers_in_one_commit(app: Application) -> None:
    user = ChatUser(Dispatcher(app), "3001")
    assert await commits_during(app, user.send("/start", update_id="u-1")) == 1
    assert user.last
    async with app.uow() as uow:
        assert await uow.accounts.get_by_ref("telegram:3001") is not None
        assert await uow.chat.was_processed("telegram:u-1")


async def test_submitting_registers_the_complaint_in_the_same_commit_as_the_step_and_the_mark(
    app: Application,
) -> None:
    user = ChatUser(Dispatcher(app), "3002")
    await at_the_summary(app, user)
    assert await commits_during(app, user.press("Submit", update_id="u-submit")) == 1
    assert "TS-2026-000001" in user.text
    assert await numbers(app) == ["TS-2026-000001"]


async def test_a_crash_before_the_commit_leaves_no_complaint_and_the_replay_files_exactly_one(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    dispatcher = Dispatcher(app)
    user = ChatUser(dispatcher, "3003")
    await at_the_summary(app, user)
    summary = list(user.last)
    original = ChatRepository.mark_processed

    async def crash(self: ChatRepository, update_key: str, now: Any) -> None:
        raise ConnectionError("killed")

    monkeypatch.setattr(ChatRepository, "mark_processed", crash)
    with pytest.raises(ConnectionError):
        await user.press("Submit", summary, update_id="u-crash")
    assert await numbers(app) == []  # the registration went with the lost transaction
    monkeypatch.setattr(ChatRepository, "mark_processed", original)
    await user.press("Submit", summary, update_id="u-crash")  # redelivered after the restart
    assert "TS-2026-000001" in user.text
    assert await numbers(app) == ["TS-2026-000001"]
    assert await user.press("Submit", summary, update_id="u-crash") == []  # done once


async def test_a_use_case_failing_after_it_wrote_is_undone_and_the_update_handled_again(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    calls: list[str] = []

    async def writes_then_refuses(uow: Any, clock: Any, actor: Any) -> Any:
        async with uow:
            uow.units.add(Unit(code="HALF-DONE", name="half done"))
            await uow.flush()
            calls.append(type(uow).__name__)
            raise ValidationFailed("Not today.")

    monkeypatch.setattr(complaint_intake.complaint_service, "intake_start", writes_then_refuses)
    await add_units(app)
    user = ChatUser(Dispatcher(app), "3004")
    await user.send("/complain", update_id="u-refused")
    assert calls == ["JoinedUnitOfWork", "SqlAlchemyUnitOfWork"]  # spoiled, then step by step
    assert "Not today." in user.text
    async with app.uow() as uow:
        assert await uow.units.get("HALF-DONE") is None
        assert await uow.chat.was_processed("telegram:u-refused")


async def test_a_joined_use_case_refused_before_writing_leaves_the_rest_of_the_update(
    app: Application,
) -> None:
    async with app.uow() as outer:
        transaction = UpdateTransaction(outer)
        with pytest.raises(DomainError):
            async with transaction() as uow:
                uow.units.add(Unit(code="REFUSED", name="refused"))
                raise ValidationFailed("No.")
        async with transaction() as uow:
            uow.units.add(Unit(code="KEPT", name="kept"))
            await uow.commit()  # joins: nothing is committed yet
        assert not transaction.spoiled
        await outer.commit()
    async with app.uow() as uow:
        assert await uow.units.get("REFUSED") is None
        assert await uow.units.get("KEPT") is not None


async def test_a_dialog_step_saved_meanwhile_by_another_process_is_not_overwritten(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    user = ChatUser(dispatcher, "3005")
    await user.send("/complain")
    original = DatabaseStateStorage.load_in
    loads: list[int | None] = []

    async def another_process_saves_after_our_load(
        self: DatabaseStateStorage, uow: Any, user_ref: str
    ) -> DialogState:
        state = await original(self, uow, user_ref)
        loads.append(state.version)
        if len(loads) == 1:  # the other process answers between our load and our save
            async with app.uow() as other:
                newer = DialogState(state.name, {**state.data, "other": "was here"}, state.version)
                await self.save_in(other, user_ref, newer)
                await other.commit()
        return state

    monkeypatch.setattr(DatabaseStateStorage, "load_in", another_process_saves_after_our_load)
    await user.send("王芳")
    assert loads[0] is not None and loads[1] == loads[0] + 1  # handled again from the newer step
    saved = await dispatcher.storage.load("telegram:3005")
    assert saved.data.get("other") == "was here"
    assert saved.data["draft"]["name"] == "王芳"
    assert saved.version == loads[0] + 2


async def test_marking_an_inbox_row_twice_is_refused(app: Application) -> None:
    incoming = Incoming("telegram", "1", "1", InputKind.TEXT, text="hi", update_id="7")
    async with app.uow() as uow:
        inbox_id, _ = await uow.chat.receive("telegram:7", incoming.user_ref, {}, app.clock.now())
        await uow.chat.mark_inbox_processed(inbox_id, app.clock.now())
        with pytest.raises(InboxAlreadyProcessed):
            await uow.chat.mark_inbox_processed(inbox_id, app.clock.now())


async def test_an_update_handled_alone_reads_its_inbox_row_and_state_in_one_statement_and_closes_in_one(
    app: Application,
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)  # dialog states in the database
    start = said(3101, 1, "/complain")
    await dispatcher.process(await stored(app, start), start, 30)
    name = said(3101, 2, "王芳")
    row = await stored(app, name)
    seen: list[str] = []

    def note(_conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        seen.append(" ".join(statement.split()))

    event.listen(app.engine.sync_engine, "before_cursor_execute", note)
    try:
        assert await dispatcher.process(row, name, 30)
    finally:
        event.remove(app.engine.sync_engine, "before_cursor_execute", note)
    reads = [s for s in seen if s.startswith("SELECT") and ("chat_inbox" in s or "chat_dialog_states" in s)]
    assert len(reads) == 1, reads
    closing = [s for s in seen if "UPDATE chat_inbox" in s or "INSERT INTO outbox" in s]
    if app.uow.dialect == "postgresql":  # the mark and the replies in one statement
        assert len(closing) == 1 and "INSERT INTO outbox" in closing[0], closing
    else:
        assert len(closing) == 2, closing
    assert dispatcher.group.stats.alone == 2
    state = await DatabaseStateStorage(app).load(name.user_ref)
    assert (state.name, state.data["draft"]) == ("ci.phone", {"name": "王芳"})
    assert await dispatcher.process(row, name, 30) == []  # a redelivered row: nothing again
