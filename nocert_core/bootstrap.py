"""Wiring: settings → engine → unit-of-work factory. Channels, the scheduler and the CLI start here."""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from nocert_core.adapters.db import create_engine, session_factory
from nocert_core.adapters.migrate import upgrade
from nocert_core.clock import Clock, SystemClock
from nocert_core.logging import install_privacy_filter
from nocert_core.services.calendar import seed_calendar
from nocert_core.services.uow import UnitOfWorkFactory
from nocert_core.settings import Settings, get_settings

log = logging.getLogger(__name__)


@dataclass
class Application:
    settings: Settings
    clock: Clock
    engine: AsyncEngine
    uow: UnitOfWorkFactory

    async def close(self) -> None:
        await self.engine.dispose()


async def open_application(
    settings: Settings | None = None, clock: Clock | None = None, *, migrate: bool = True
) -> Application:
    """Connect, bring the schema to head and make sure calendar data is present."""
    import nocert_core.services.subscribers  # noqa: F401 - event handlers subscribe on import

    install_privacy_filter()
    settings = settings or get_settings()
    clock = clock or SystemClock()
    engine = create_engine(settings.database_url)
    if migrate:
        await upgrade(engine)
    app = Application(settings, clock, engine, UnitOfWorkFactory(session_factory(engine), clock, settings))
    if migrate:
        added = await seed_calendar(app.uow(), clock)
        if added:
            log.info("calendar seeded for %s-%s", added[0], added[-1])
    return app
