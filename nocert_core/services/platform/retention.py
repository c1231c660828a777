"""Retention: what is kept only for a while (applied by the scheduler once a day and at start-up).

- Dialog drafts in the database (`chat_dialog_states`): an abandoned complaint form keeps a name and a phone
  number; after `draft_retention_days` without a change it is deleted — the same 30 days by default that the
  Redis store gives its keys as TTL.
- Delivered outbox rows (`status = sent`): the payload of a delivered message is no longer needed after
  `outbox_retention_days`. Pending and undeliverable rows are kept (one is still to be sent, the other is an
  operator's to-do). The retention is at least 8 days because the weekly report and the daily digest find
  out whether they were already sent by their outbox rows.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from nocert_core.clock import Clock
from nocert_core.services.platform.uow import UnitOfWorkFactory


@dataclass(frozen=True)
class Purged:
    drafts: int
    outbox: int


async def purge_expired(uow_factory: UnitOfWorkFactory, clock: Clock) -> Purged:
    settings = uow_factory.settings
    now = clock.now()
    async with uow_factory() as uow:
        drafts = await uow.chat.forget_dialogs_before(now - timedelta(days=settings.draft_retention_days))
        outbox = await uow.outbox.purge_sent_before(now - timedelta(days=settings.outbox_retention_days))
        await uow.commit()
    return Purged(drafts, outbox)
