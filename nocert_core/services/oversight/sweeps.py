"""All sweeps at once: complaint and rectification alerts, then hotspot detection."""

from __future__ import annotations

import asyncio

from nocert_core.clock import Clock
from nocert_core.services.complaints.sweep import sweep_complaints
from nocert_core.services.oversight import hotspots as hotspot_service
from nocert_core.services.oversight.alerts import SweepResult, sweep_rectifications
from nocert_core.services.platform.uow import UnitOfWorkFactory


async def run_sweeps(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    *,
    hotspots: bool = True,
    stop: asyncio.Event | None = None,
) -> SweepResult:
    """Every sweep once, now (the scheduler's job, `nocert sweep`, and the catch-up at start-up).

    Hotspot detection reads the window's texts, so the scheduler runs it hourly, not every few minutes.
    `stop` set (the bot shuts down): the sweep ends after the batch in hand; each batch committed on
    its own, so the next sweep simply goes on."""
    result = await sweep_complaints(uow_factory, clock, stop)
    result.merge(await sweep_rectifications(uow_factory, clock, stop))
    if hotspots and not (stop and stop.is_set()):
        result.merge(await hotspot_service.sweep_hotspots(uow_factory, clock))
    return result
