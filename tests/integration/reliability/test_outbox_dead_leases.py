"""A bot killed while it held outbox leases (the staff message in flight, replies written but not sent) does
not freeze those chats for the lease at its next start: the new worker releases the leases of processes of
its host that are gone, and only those (issue 9's kill soak: a 30 s lease outlived every restart)."""

from __future__ import annotations

import os
import socket
import subprocess

import pytest
from sqlalchemy import update

from bot.jobs.outbox_worker import OutboxWorker
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.messaging import lease_holders, outbox_lease
from tests.fakebotapi import FakeBotApi
from tests.integration.oversight.test_oversight_outbox import opened_sender
from tests.integration.oversight_helpers import one_staff_alert, run_until_staff_chat_2001_has_a_message


async def leased_row(app: Application, clock: FixedClock, holder: str) -> None:
    """One staff message, leased by `holder` (as if that process took it and then died or still runs)."""
    await one_staff_alert(app, "in-flight")
    due = await outbox_lease.due_batch(app.uow, clock.now(), ["telegram"])
    assert await outbox_lease.claim_due(app.uow, due[0], clock.now(), lease_seconds=30) is not None
    async with app.uow() as uow:
        await uow.session.execute(update(orm.outbox).values(leased_by=holder))
        await uow.session.commit()


def gone_process() -> str:
    """The holder name of a process of this host that has exited."""
    child = subprocess.Popen(["true"])
    child.wait()
    return f"{socket.gethostname()}:{child.pid}:1:deadbeef"


def worker(app: Application, sender: object) -> OutboxWorker:
    return OutboxWorker(app, {"telegram": sender}, rate_per_second=0, chat_interval=0)  # type: ignore[dict-item]


async def test_a_row_leased_by_a_killed_process_is_sent_at_the_next_start_without_waiting_out_its_lease(
    app: Application, clock: FixedClock
) -> None:
    await leased_row(app, clock, gone_process())
    async with FakeBotApi() as api:
        sender = await opened_sender(app, api)
        # the clock stands still: only the release can make the row due
        await run_until_staff_chat_2001_has_a_message(worker(app, sender), sender, api)
        assert len(api.messages_to(2001)) == 1


async def test_an_earlier_process_with_this_pid_counts_as_gone(app: Application, clock: FixedClock) -> None:
    pid = os.getpid()
    await leased_row(app, clock, f"{socket.gethostname()}:{pid}:1:0ther0ne")
    assert await outbox_lease.release_dead_leases(app.uow, clock.now()) == 1


LIVE_OR_UNKNOWN = {
    "this process": lease_holders.this_process(),
    "a running process": (  # the parent: same pid, same start time
        f"{socket.gethostname()}:{os.getppid()}:{lease_holders._start_time(os.getppid()) or ''}:a11ve000"
    ),
    "another host": f"elsewhere-{socket.gethostname()}:1234567:1:faraway0",
    "no holder name": "not a holder name",
}


@pytest.mark.parametrize("holder", list(LIVE_OR_UNKNOWN.values()), ids=list(LIVE_OR_UNKNOWN))
async def test_a_lease_of_a_running_process_or_of_another_host_is_left_to_run_out(
    app: Application, clock: FixedClock, holder: str
) -> None:
    await leased_row(app, clock, holder)
    assert await outbox_lease.release_dead_leases(app.uow, clock.now()) == 0
    assert await outbox_lease.due_batch(app.uow, clock.now(), ["telegram"]) == []


def test_every_lease_names_this_process_as_its_holder() -> None:
    host, pid, _, nonce = lease_holders.this_process().rsplit(":", 3)
    assert (host, int(pid)) == (socket.gethostname(), os.getpid()) and nonce
    assert not lease_holders.is_dead(lease_holders.this_process())
