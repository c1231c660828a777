"""Start-up and housekeeping (SQLite and PostgreSQL): a start does not rebuild a weekly report that was
already sent, and old dialog drafts and delivered outbox rows are deleted after their retention."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from bot.jobs.scheduler import catch_up
from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_chat import chat_dialog_states
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.notifications import CHAT_REPLY, ChatReply
from nocert_core.domain.outbox import OutboxStatus
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight import digest
from nocert_core.services.platform.retention import purge_expired

from ..oversight_helpers import seed


async def test_a_second_start_does_not_rebuild_the_weekly_report_already_sent(
    app: Application, clock: FixedClock, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app.settings.reports_dir = str(tmp_path)
    await seed(app)
    builds: list[Any] = []
    real_export = digest.export_report_in_worker

    async def counting_export(*args: Any) -> Any:
        builds.append(args)
        return await real_export(*args)

    monkeypatch.setattr(digest, "export_report_in_worker", counting_export)
    clock.set(datetime(2026, 11, 30, 3, tzinfo=UTC))  # Monday 11:00: after the report's time
    await catch_up(app)
    await catch_up(app)  # the bot restarted the same morning
    assert len(builds) == 1
    async with app.uow() as uow:
        summaries = await uow.session.execute(
            select(func.count()).select_from(orm.outbox).where(orm.outbox.c.kind == digest.WEEKLY)
        )
    assert summaries.scalar_one() == 1


async def test_old_drafts_and_delivered_outbox_rows_are_purged_and_recent_ones_kept(
    app: Application, clock: FixedClock
) -> None:
    now = clock.now()
    old, recent = now - timedelta(days=31), now - timedelta(days=29)
    async with app.uow() as uow:
        await uow.chat.save_state("telegram:1", "intake", {"name": "王芳", "phone": "13805361234"}, old)
        await uow.chat.save_state("telegram:2", "intake", {"name": "李雷"}, recent)
        for key, status, sent_at in (
            ("old-sent", OutboxStatus.SENT, old),
            ("recent-sent", OutboxStatus.SENT, recent),
            ("old-pending", OutboxStatus.PENDING, None),
            ("old-undeliverable", OutboxStatus.UNDELIVERABLE, None),
        ):
            reply = ChatReply(text="x")
            await outbox.enqueue(
                uow, recipient_ref="telegram:1", kind=CHAT_REPLY, payload=reply, dedup_key=key
            )
            await uow.session.execute(
                orm.outbox.update()
                .where(orm.outbox.c.dedup_key == key)
                .values(status=status, sent_at=sent_at, created_at=old)
            )
        await uow.commit()
    purged = await purge_expired(app.uow, clock)
    assert (purged.drafts, purged.outbox) == (1, 1)
    async with app.uow() as uow:
        drafts = (await uow.session.execute(select(chat_dialog_states.c.user_ref))).scalars().all()
        keys = (await uow.session.execute(select(orm.outbox.c.dedup_key))).scalars().all()
    assert drafts == ["telegram:2"]
    assert sorted(keys) == ["old-pending", "old-undeliverable", "recent-sent"]


def test_the_outbox_is_kept_long_enough_for_the_weekly_report_check() -> None:
    from pydantic import ValidationError

    from nocert_core.settings import Settings

    with pytest.raises(ValidationError, match="at least 8"):
        Settings(outbox_retention_days=3)
