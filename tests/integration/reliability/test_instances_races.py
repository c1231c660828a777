"""Issue 11: what the 3-instance soak showed when two instances answered one user at once (a user lock that
expired while its holder's event loop was blocked): each race ends as if one instance had answered, with
no error logged and nothing raised to the runtime."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy import text as sql_text

from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Incoming, InputKind, reply_from_payload
from nocert_core.adapters import text
from nocert_core.adapters.sql import db, orm
from nocert_core.adapters.sql.repositories import ComplaintRepository
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Actor, Role
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.services.complaints.handling import ComplaintDraft
from nocert_core.services.messaging import outbox_lease
from tests.integration.chat_driver import FACTS, ChatUser, add_units
from tests.integration.reliability.test_one_transaction_per_update import at_the_summary


async def test_a_submit_another_instance_registered_meanwhile_answers_with_that_number_without_an_error(
    app: Application, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    dispatcher = Dispatcher(app)
    user = ChatUser(dispatcher, "3101")
    await at_the_summary(app, user)
    state = await dispatcher.storage.load("telegram:3101")
    draft = state.data["draft"]
    dedup_ref = f"intake:{state.data['draft_id']}"
    original = ComplaintRepository.register_checks
    raced: list[str] = []

    async def another_instance_registers_it_after_our_check(self: ComplaintRepository, **given: Any) -> Any:
        found = await original(self, **given)
        ref = given["dedup_ref"]
        if not found.registered and not raced:  # between our look-up and our insert, the other one commits
            raced.append(ref)
            other = await complaint_service.register_complaint(
                app.uow(),
                app.clock,
                Actor(ref="telegram:3101", role=Role.CITIZEN),
                ComplaintDraft(
                    complainant_name=draft["name"],
                    complainant_phone=draft["phone"],
                    agency_text=draft["agency"],
                    demand=draft["demand"],
                    reasons=draft["reasons"],
                    facts=draft["facts"],
                    unit_code=draft.get("unit_code"),
                ),
                dedup_ref=ref,
            )
            raced.append(other.number)
        return found

    monkeypatch.setattr(ComplaintRepository, "register_checks", another_instance_registers_it_after_our_check)
    await user.press("Submit")
    assert raced == [dedup_ref, "TS-2026-000001"]
    assert "registered as TS-2026-000001" in user.text
    async with app.uow() as uow:
        stored = list(await uow.session.execute(select(orm.complaints.c.number)))
    assert [row.number for row in stored] == ["TS-2026-000001"]
    assert not [record.getMessage() for record in caplog.records if record.levelno >= logging.ERROR]


async def test_an_update_that_needs_the_dictionary_while_start_up_loads_it_leaves_the_event_loop_running(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The start-up thread loads jieba's dictionary (seconds of CPU on a loaded machine) when a citizen
    names the agency; waiting for it on the event loop froze the whole instance, so its per-user locks
    were not renewed, expired, and another instance answered the same users at the same time."""
    await add_units(app)
    user = ChatUser(Dispatcher(app), "3102")
    for answer in ("/complain", "王芳", "13805361234"):
        await user.send(answer)
    loading, release = threading.Event(), threading.Event()
    froze: list[str] = []
    real = text.private_tokenizer

    def slow_dictionary() -> Any:
        loading.set()
        if not release.wait(timeout=20):  # released by the event loop below, if it still runs
            froze.append("the event loop stopped while the dictionary loaded")
        return real()

    monkeypatch.setattr(text, "private_tokenizer", slow_dictionary)
    monkeypatch.setattr(text, "_shared", text.Segmenter())  # this process has not loaded it yet
    start_up = threading.Thread(target=lambda: text.segmenter().cut("营业执照"), daemon=True)
    start_up.start()
    assert await asyncio.to_thread(loading.wait, 10)
    answer = asyncio.create_task(user.send("奎文区行政审批服务局"))
    for _ in range(5):  # other coroutines (lock renewals, webhook answers) run meanwhile
        await asyncio.sleep(0.01)
    release.set()
    await answer
    await asyncio.to_thread(start_up.join, 10)
    assert froze == []
    assert "Step 4 of 7" in user.text


@pytest.mark.redis
async def test_a_second_handling_of_an_update_being_answered_waits_and_leaves_the_step_and_its_buttons_alone(
    app: Application, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Two instances handle the same update (the user's lock had expired). Instance two's reply, with
    buttons, goes out. Instance one must not save a step of its own to Redis (which no rollback undoes):
    the 1,000-conversation soak showed the citizen's next press answered "This button is out of date"
    (6 Submits registered nothing, steps asked again)."""
    if db.is_sqlite(app.settings.database_url):
        pytest.skip("needs PostgreSQL row locks (SQLite has one writer at a time)")
    from tests.integration.reliability.test_instances_dialog_state import open_redis_storage
    from tests.integration.reliability.test_reliability_inbox import received, text

    await add_units(app)
    async with open_redis_storage() as shared:
        one, two = Dispatcher(app, shared), Dispatcher(app, shared)
        answers = (
            "/complain",
            "王芳",
            "13805361234",
            "奎文区行政审批服务局",
            "不再要求提交证明",
            "已在清单内",
        )
        for update_id, words in enumerate(answers, 1):
            incoming = text(update_id, words)
            await two.process(await received(app, incoming), incoming, 30)
        facts = text(7, FACTS)
        row = await received(app, facts)
        version = (await shared.load("telegram:1001")).version or 0
        original = outbox_lease.mark_inbox_and_write_leased
        racing: list[asyncio.Task[Any]] = []

        async def one_too(*args: Any) -> Any:  # one handles the update too, before two commits
            marked = await original(*args)  # two's mark (and replies), not committed yet
            if not racing:
                racing.append(asyncio.create_task(one.process(row, facts, 30)))
                while not await waiting_on_a_row_lock(app):  # one got as far as it can before two commits
                    await asyncio.sleep(0.01)
            return marked

        monkeypatch.setattr(outbox_lease, "mark_inbox_and_write_leased", one_too)
        claims = await two.process(row, facts, 30)
        assert await racing[0] == []  # nothing of one's handling went out
        monkeypatch.setattr(outbox_lease, "mark_inbox_and_write_leased", original)
        assert (await shared.load("telegram:1001")).version == version + 1  # two's step, saved once
        shown = [reply_from_payload(claim.payload) for claim in claims]
        myself = next(b.data for r in shown for line in r.buttons for b in line if "For myself" in b.text)
        press = Incoming(
            "telegram", "1001", "1001", InputKind.BUTTON, data=myself, language="en", update_id="8"
        )
        answer = await two.process(await received(app, press), press, 30)
        said = " ".join(str(claim.payload.get("text")) for claim in answer)
        assert "out of date" not in said
        assert "Please check your complaint" in said


async def waiting_on_a_row_lock(app: Application) -> bool:
    async with app.engine.connect() as connection:
        waiting = await connection.execute(
            sql_text(
                "SELECT count(*) FROM pg_stat_activity "
                "WHERE datname = current_database() AND wait_event_type = 'Lock'"
            )
        )
        return bool(waiting.scalar())
