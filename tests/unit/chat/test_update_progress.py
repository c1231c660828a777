"""`wait_processed` / `finished`: who waits for an update can never stop the bot noting handled updates.

Regression for the fuzz stall (docs/security.md, "Measured: the nightly-size fuzz"): a waiter whose
`wait_processed` timed out and whose caller then gave up too (two cancellations, as `bench/fuzz.py` does at
70 s) left the runtime's progress lock taken for good; every later `finished()` — the end of every update's
handling — then waited forever, and the bot answered nobody."""

from __future__ import annotations

import asyncio
from types import SimpleNamespace
from typing import Any

import pytest

from bot.telegram.base import TelegramRuntime
from bot.telegram.runtimes import create_runtime

HANG_GUARD = 5.0  # seconds; only a hang reaches it


def _runtime() -> TelegramRuntime:  # what is tested here is the same for both frameworks
    app: Any = SimpleNamespace(settings=SimpleNamespace(db_pool_size=2))
    return create_runtime("aiogram", app, dispatcher=None, token="123456:TEST-TOKEN")  # type: ignore[arg-type]


async def _steps(count: int) -> None:
    for _ in range(count):
        await asyncio.sleep(0)


@pytest.mark.parametrize("gap", range(6))
async def test_a_waiter_given_up_twice_does_not_stop_later_updates_being_noted(gap: int) -> None:
    runtime = _runtime()
    other = asyncio.create_task(runtime.wait_processed("1", timeout=60))
    given_up = asyncio.create_task(runtime.wait_processed("2", timeout=60))
    await _steps(5)  # both are waiting
    await runtime.finished("1")  # wakes every waiter
    given_up.cancel()  # its wait ends (as at its timeout) …
    await _steps(gap)
    given_up.cancel()  # … and its caller gives up as well
    await _steps(10)

    await asyncio.wait_for(runtime.finished("3"), HANG_GUARD)
    await asyncio.wait_for(runtime.wait_processed("3"), HANG_GUARD)
    await asyncio.wait_for(other, HANG_GUARD)  # the other waiter saw its update, with no error
    with pytest.raises(asyncio.CancelledError):
        await given_up


async def test_a_redelivered_update_counts_again_and_a_wait_for_the_second_time_ends_then() -> None:
    runtime = _runtime()
    await runtime.finished("7")
    await runtime.wait_processed("7")  # already handled: returns at once
    second = asyncio.create_task(runtime.wait_processed("7", times=2))
    await _steps(3)
    assert not second.done()
    await runtime.finished("7")
    await asyncio.wait_for(second, HANG_GUARD)


async def test_a_wait_for_an_update_never_handled_times_out() -> None:
    runtime = _runtime()
    with pytest.raises(TimeoutError):
        await runtime.wait_processed("9", timeout=0.01)
    await runtime.finished("9")  # nobody waits any more: nothing breaks
    await runtime.wait_processed("9")
