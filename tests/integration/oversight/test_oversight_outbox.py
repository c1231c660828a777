"""Outbox delivery through a real Telegram runtime's sender (the one `nocert run` and `nocert outbox deliver`
use) over HTTP to the loopback fake Bot API."""

from __future__ import annotations

import asyncio
from collections import defaultdict
from datetime import timedelta

import pytest
from sqlalchemy import select

from bot.jobs.outbox_worker import OutboxWorker
from bot.telegram.base import FRAMEWORKS, TelegramRuntime
from bot.telegram.runtimes import create_runtime
from handlers.dispatch.dispatcher import Dispatcher
from handlers.types import Reply
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock, SystemClock
from nocert_core.domain import notifications as notes
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.messaging import outbox, outbox_status
from tests.fakebotapi import FakeBotApi, FaultPlan
from tests.integration.oversight_helpers import one_staff_alert, seed

RECIPIENTS = ["telegram:2001", "telegram:2002", "telegram:2003", "telegram:9001", "telegram:9002"]


async def enqueue_numbered(app: Application, per_recipient: int) -> None:
    """Messages "n" for n = 0.. to every recipient, interleaved, in one transaction each."""
    for n in range(per_recipient):
        async with app.uow() as uow:
            for ref in RECIPIENTS:
                await outbox.enqueue(
                    uow,
                    recipient_ref=ref,
                    kind=notes.OVERDUE,
                    payload=notes.ComplaintAlert(f"TS-2026-{n:06d}", deadline="2026-11-20", unit_name="测试"),
                    dedup_key=f"test:{ref}:{n}",
                )
            await uow.commit()


async def statuses(app: Application) -> dict[str, int]:
    async with app.uow() as uow:
        rows = (await uow.session.execute(select(orm.outbox.c.status))).scalars().all()
    counts: dict[str, int] = defaultdict(int)
    for status in rows:
        counts[str(status)] += 1
    return dict(counts)


async def opened_sender(app: Application, api: FakeBotApi, framework: str = "aiogram") -> TelegramRuntime:
    """A runtime opened only to send, as `nocert outbox deliver` opens it (no polling); `close()` it."""
    runtime = create_runtime(framework, app, Dispatcher(app), token=api.token, api_url=api.base_url)
    await runtime.open_for_sending()
    return runtime


def fast_worker(app: Application, sender: TelegramRuntime) -> OutboxWorker:
    # Real time (the retries wait for it), quick backoff, no pacing: the test is about correctness.
    return OutboxWorker(
        app, {"telegram": sender}, clock=SystemClock(), backoff_base=0.05, rate_per_second=0, chat_interval=0
    )


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_every_row_is_delivered_exactly_once_in_order_despite_429_500_and_dropped_connections(
    app: Application, framework: str
) -> None:
    await seed(app, supervisors=2)
    await enqueue_numbered(app, per_recipient=8)
    faults = FaultPlan(rate_429=0.15, retry_after=0, rate_500=0.15, rate_drop=0.15, seed=7)
    async with FakeBotApi(faults=faults) as api:
        sender = await opened_sender(app, api, framework)
        worker = fast_worker(app, sender)
        for _ in range(200):
            await worker.run_until_idle()
            if (await statuses(app)).get(OutboxStatus.SENT.value) == 40:
                break
            await asyncio.sleep(0.06)  # wait for the backoff of rows that failed
        await sender.close()
        assert {kind for _, kind in api.fault_log} == {"429", "500", "drop"}
        assert await statuses(app) == {OutboxStatus.SENT.value: 40}
        for ref in RECIPIENTS:
            chat_id = int(ref.split(":")[1])
            texts = [message.text for message in api.messages_to(chat_id)]
            numbers = [f"TS-2026-{n:06d}" for n in range(8)]
            assert len(texts) == 8, texts
            assert [next(num for num in numbers if num in text) for text in texts] == numbers


async def test_two_workers_never_send_the_same_row_twice(app: Application) -> None:
    await seed(app, supervisors=2)
    await enqueue_numbered(app, per_recipient=6)
    async with FakeBotApi(faults=FaultPlan(rate_500=0.2, seed=3)) as api:
        sender = await opened_sender(app, api)
        workers = [fast_worker(app, sender), fast_worker(app, sender)]
        for _ in range(200):
            await asyncio.gather(*(worker.run_until_idle() for worker in workers))
            if (await statuses(app)).get(OutboxStatus.SENT.value) == 30:
                break
            await asyncio.sleep(0.06)
        await sender.close()
        assert len(api.sent) == 30
        assert len({(m.chat_id, m.text) for m in api.sent}) == 30


async def test_a_blocked_recipient_is_marked_unreachable_and_others_still_get_theirs(
    app: Application,
) -> None:
    await seed(app, supervisors=2)
    await enqueue_numbered(app, per_recipient=2)
    async with FakeBotApi() as api:
        api.blocked_chats.add(2002)
        api.missing_chats.add(2003)
        sender = await opened_sender(app, api)
        await fast_worker(app, sender).run_until_idle()
        await sender.close()
        assert len(api.messages_to(2001)) == 2
        assert api.messages_to(2002) == [] and api.messages_to(2003) == []
    summary = await outbox_status.summary(app.uow, app.clock.now())
    assert summary.undeliverable == 4
    assert {account.ref for account in summary.unreachable} == {"telegram:2002", "telegram:2003"}
    reasons = {account.ref: account.unreachable_reason or "" for account in summary.unreachable}
    assert "blocked" in reasons["telegram:2002"] and "chat not found" in reasons["telegram:2003"]


async def test_a_crash_after_claiming_delivers_the_row_when_the_lease_runs_out(
    app: Application, clock: FixedClock
) -> None:
    await one_staff_alert(app, "crash")
    # A worker claims the row and dies before sending.
    claimed = await outbox.claim_batch(app.uow, clock.now(), ["telegram"], lease_seconds=120)
    assert [claim.recipient_ref for claim in claimed] == ["telegram:2001"]
    async with FakeBotApi() as api:
        sender = await opened_sender(app, api)
        worker = OutboxWorker(app, {"telegram": sender}, rate_per_second=0, chat_interval=0)
        assert await worker.run_until_idle() == 0  # still leased
        clock.advance(timedelta(seconds=121))
        assert await worker.run_until_idle() == 1
        await sender.close()
        assert len(api.messages_to(2001)) == 1
    # the dead worker's late answer cannot overwrite the newer outcome
    assert not await outbox.mark_sent(app.uow, claimed[0], clock.now())


async def test_429_retry_after_pauses_all_sending(app: Application) -> None:
    await seed(app, supervisors=2)
    await enqueue_numbered(app, per_recipient=1)
    async with FakeBotApi(faults=FaultPlan(rate_429=1.0, retry_after=1)) as api:
        sender = await opened_sender(app, api)
        worker = fast_worker(app, sender)
        pauses: list[float] = []
        pause = worker.limiter.pause

        def recorded_pause(seconds: float) -> None:
            pauses.append(seconds)
            pause(seconds)

        worker.limiter.pause = recorded_pause  # type: ignore[method-assign]
        await worker.run_once()
        api.faults = FaultPlan()
        assert pauses and all(seconds == 1 for seconds in pauses)  # everything waits about a second
        async with app.uow() as uow:
            rows = (await uow.session.execute(select(orm.outbox.c.available_at))).scalars().all()
        assert all(at > SystemClock().now() + timedelta(seconds=0.5) for at in rows)
        await sender.close()


async def test_a_row_waiting_for_its_chats_send_slot_is_not_leased_meanwhile(
    app: Application, clock: FixedClock
) -> None:
    """A lease taken before the wait froze a busy chat for the whole lease after a kill (issue 9 item 4)."""
    await ensure_account(app.uow(), clock, ref="telegram:5001", channel="telegram", chat_id="5001")
    async with app.uow() as uow:
        await outbox.enqueue(
            uow,
            recipient_ref="telegram:5001",
            kind=notes.CHAT_REPLY,
            payload=notes.ChatReply("x"),
            dedup_key="k1",
        )
        await uow.commit()
    sent: list[str] = []

    class Recording:
        async def send(self, chat_id: str, reply: Reply) -> None:
            sent.append(reply.text)

    worker = OutboxWorker(app, {"telegram": Recording()}, rate_per_second=0, chat_interval=60)
    await worker.limiter.acquire("telegram:5001")  # the chat was just written to: its next slot is 60 s away
    delivering = asyncio.create_task(worker.run_once())
    await asyncio.sleep(0.3)
    async with app.uow() as uow:
        [row] = await uow.outbox.pending()
    assert row.attempts == 0 and row.available_at <= clock.now()  # nobody holds it while it waits
    delivering.cancel()
    assert sent == []
