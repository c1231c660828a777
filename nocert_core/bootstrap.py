"""Wiring: settings → engine → unit-of-work factory. Channels, the scheduler and the CLI start here.

Everything that used to register itself on import is listed here explicitly: which in-transaction handlers
each domain event has (`EVENT_HANDLERS`: every lifecycle's notifications — complaints, verification
requests, rectification notices, catalogue filings — are written to the outbox by these) and which demo
loaders run, in order (`DEMO_LOADERS`). The tables
and their mappers are listed in `nocert_core.adapters.sql.schema`, the repositories are typed attributes of
the unit of work (`nocert_core.services.platform.uow`), the chat's routers and outbox renderers in
`handlers/registry.py` and `handlers/renderers.py`.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncEngine

from nocert_core.adapters.sql.db import create_engine, session_factory
from nocert_core.adapters.sql.migrate import upgrade
from nocert_core.clock import Clock, SystemClock
from nocert_core.demo import foundation as demo_foundation
from nocert_core.domain import events as ev
from nocert_core.logging import install_privacy_filter
from nocert_core.services.access import accounts
from nocert_core.services.catalogue import demo as catalogue_demo
from nocert_core.services.catalogue import filing as catalogue_filing
from nocert_core.services.complaints import cards, press
from nocert_core.services.complaints import notify as notify_complaints
from nocert_core.services.oversight import notify_rectification
from nocert_core.services.platform.calendar import seed_calendar
from nocert_core.services.platform.demo import DemoLoader
from nocert_core.services.platform.demo import load_demo as run_demo_loaders
from nocert_core.services.platform.messagebus import EventHandlers
from nocert_core.services.platform.uow import UnitOfWorkFactory
from nocert_core.services.verification import notify as notify_verification
from nocert_core.settings import Settings, get_settings

log = logging.getLogger(__name__)

# In-transaction handlers per event class (handlers of a base class also run for its subclasses).
# cards.on_complaint_changed edits the cards already sent about the complaint (cards.CHANGING_EVENTS).
EVENT_HANDLERS: EventHandlers = {
    ev.ComplaintRegistered: [notify_complaints.on_registered],
    ev.ComplaintRouted: [notify_complaints.on_routed, cards.on_complaint_changed],
    ev.ComplaintReturned: [notify_complaints.on_returned, cards.on_complaint_changed],
    ev.ExtensionRequested: [notify_complaints.on_extension_requested],
    ev.ComplaintAccepted: [notify_complaints.on_accepted, cards.on_complaint_changed],
    ev.ComplaintRejected: [notify_complaints.on_rejected, cards.on_complaint_changed],
    ev.ComplaintResolved: [notify_complaints.on_resolved, cards.on_complaint_changed],
    ev.ComplaintTerminated: [notify_complaints.on_terminated, cards.on_complaint_changed],
    ev.ComplaintMarkedDuplicate: [notify_complaints.on_duplicate, cards.on_complaint_changed],
    ev.ExtensionDecided: [notify_complaints.on_extension_decided, cards.on_complaint_changed],
    ev.DeadlineCorrected: [notify_complaints.on_deadline_corrected],
    ev.ComplaintPressed: [press.on_pressed],
    ev.VerificationRequested: [notify_verification.on_requested],
    ev.VerificationAnswered: [notify_verification.on_answered],
    ev.VerificationWithdrawn: [notify_verification.on_withdrawn],
    ev.RectificationIssued: [notify_rectification.on_issued],
    ev.RectificationReported: [notify_rectification.on_reported],
    ev.RectificationAccepted: [notify_rectification.on_accepted],
    ev.RectificationReturned: [notify_rectification.on_returned],
    ev.CatalogueFiled: [catalogue_filing.on_filed],
}

# The demo data set, in the order it loads: units, console staff accounts, complaints, catalogue.
DEMO_LOADERS: tuple[DemoLoader, ...] = (
    demo_foundation.load_demo_units,
    accounts.load_demo_accounts,
    demo_foundation.load_demo_complaints,
    catalogue_demo.load_demo_catalogue,
)


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
    settings = settings or get_settings()
    token = settings.telegram_token
    install_privacy_filter([token.get_secret_value() if token is not None else None])
    clock = clock or SystemClock()
    engine = create_engine(
        settings.database_url, pool_size=settings.db_pool_size, max_overflow=settings.db_max_overflow
    )
    if migrate:
        await upgrade(engine)
    uow = UnitOfWorkFactory(session_factory(engine), clock, settings, EVENT_HANDLERS)
    app = Application(settings, clock, engine, uow)
    if migrate:
        added = await seed_calendar(app.uow(), clock)
        if added:
            log.info("calendar seeded for %s-%s", added[0], added[-1])
    return app


async def load_demo(app: Application) -> list[str]:
    """Load the demo data set (idempotent); one summary line per loader."""
    return await run_demo_loaders(app, DEMO_LOADERS)
