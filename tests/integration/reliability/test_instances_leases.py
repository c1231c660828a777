"""Issue 11 item 3: the scheduled jobs (sweeps, digest, weekly report …) run on one elected instance, the
holder of a lease in the database, and another instance takes over within a minute when the holder dies."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from bot.jobs.leadership import Leadership
from bot.jobs.scheduler import BackgroundJobs
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.platform import leases


async def test_one_instance_holds_the_lease_and_another_takes_over_within_a_minute_when_it_dies(
    app: Application, clock: FixedClock
) -> None:
    assert app.settings.leader_lease_seconds == 45
    one, two, three = (Leadership(app, holder=name) for name in ("one", "two", "three"))
    assert await one.step() and not await two.step() and not await three.step()
    for _ in range(8):  # the holder renews every 15 s: it keeps the lease for as long as it lives
        clock.advance(timedelta(seconds=15))
        assert await one.step() and not await two.step()
    # "one" is killed: it renews no more. The others keep asking every 15 s.
    waited = 0
    while not (await two.step() or await three.step()):
        clock.advance(timedelta(seconds=15))
        waited += 15
    assert 45 <= waited <= 60
    new_holder = two if two.leading else three
    assert await leases.holder_of(app.uow, leases.SCHEDULER, clock.now()) == new_holder.holder
    assert not await one.step()  # the old holder, come back, is not a second leader
    assert one.leading is False and new_holder.gained == 1


async def test_a_clean_stop_hands_the_lease_over_at_once(app: Application) -> None:
    one, two = Leadership(app, holder="one"), Leadership(app, holder="two")
    assert await one.step() and not await two.step()
    await one.release()
    assert await two.step()


async def test_only_the_lease_holder_runs_the_scheduled_jobs(app: Application, clock: FixedClock) -> None:
    ran: list[str] = []

    async def sweep(app: Application, stop: asyncio.Event | None = None) -> None:
        ran.append("sweep")

    holder, other = BackgroundJobs(app, None), BackgroundJobs(app, None)
    holder.leadership, other.leadership = Leadership(app, holder="a"), Leadership(app, holder="b")
    await holder.leadership.step()
    await other.leadership.step()
    await holder.run_job(sweep)
    await other.run_job(sweep)
    assert ran == ["sweep"]
    clock.advance(timedelta(seconds=61))  # the holder died a minute ago
    assert await other.leadership.step()
    await other.run_job(sweep)
    assert ran == ["sweep", "sweep"]


async def test_the_new_holder_catches_up_on_what_was_missed(app: Application, clock: FixedClock) -> None:
    caught_up: list[str] = []

    async def catch_up() -> None:
        caught_up.append("catch-up")

    one = Leadership(app, holder="one", on_gain=catch_up)
    two = Leadership(app, holder="two", on_gain=catch_up)
    await one.step()
    await one.step()  # a renewal is not a new gain
    assert caught_up == ["catch-up"]
    clock.advance(timedelta(seconds=46))
    await two.step()
    assert caught_up == ["catch-up", "catch-up"]
