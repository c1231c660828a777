"""Migration 0015_complaint_looks moves each complaint's next look (`complaints.next_alert_at`) into
`complaint_looks` and back on downgrade, and leaves the complaints and their ratings as they were."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from nocert_core.adapters.sql.db import create_engine
from nocert_core.adapters.sql.migrate import downgrade, upgrade
from nocert_core.adapters.sql.orm import UtcDateTime
from tests.integration.storage.test_migrations import empty_database_url  # noqa: F401  # the fixture

BEFORE = "0014_outbox_leased_by"
LOOKS = {
    "TS-1": datetime(2026, 11, 25, 1, 30, tzinfo=UTC),
    "TS-2": None,  # closed: no look
    "TS-3": datetime(2000, 1, 1, tzinfo=UTC),
}
complaints = sa.table(
    "complaints",
    *(sa.column(name) for name in ("id", "number", "channel", "status", "category", "complainant_name")),
    *(sa.column(name) for name in ("complainant_phone", "agency_text", "demand", "reasons", "facts")),
    *(sa.column(name) for name in ("deadline_provisional", "extension_state", "version")),
    sa.column("registered_at", UtcDateTime()),
    sa.column("next_alert_at", UtcDateTime()),
)
looks = sa.table("complaint_looks", sa.column("complaint_id"), sa.column("next_look_at", UtcDateTime()))
ratings = sa.table(
    "complaint_ratings",
    sa.column("complaint_id"),
    sa.column("score"),
    sa.column("comment"),
    sa.column("rated_at", UtcDateTime()),
)


@pytest.fixture
async def engine(empty_database_url: str) -> AsyncIterator[sa.ext.asyncio.AsyncEngine]:  # noqa: F811
    engine = create_engine(empty_database_url)
    yield engine
    await engine.dispose()


async def test_the_next_looks_move_to_their_own_table_and_back(engine: sa.ext.asyncio.AsyncEngine) -> None:
    await upgrade(engine, BEFORE)
    registered = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    async with engine.begin() as connection:
        await connection.execute(
            complaints.insert(),
            [
                {
                    "id": index,
                    "number": number,
                    "channel": "telegram",
                    "status": "accepted",
                    "category": "demanded_proof",
                    "complainant_name": "测试",
                    "complainant_phone": "138",
                    "agency_text": "某单位",
                    "demand": "证明",
                    "reasons": "理由",
                    "facts": "事实",
                    "deadline_provisional": False,
                    "extension_state": "none",
                    "version": 1,
                    "registered_at": registered,
                    "next_alert_at": at,
                }
                for index, (number, at) in enumerate(LOOKS.items(), start=1)
            ],
        )
        await connection.execute(
            ratings.insert().values(complaint_id=2, score=5, comment="", rated_at=registered)
        )
    await upgrade(engine)
    async with engine.connect() as connection:
        moved = dict((await connection.execute(sa.select(looks.c.complaint_id, looks.c.next_look_at))).all())
        assert moved == {1: LOOKS["TS-1"], 3: LOOKS["TS-3"]}
        assert (await connection.execute(sa.select(sa.func.count()).select_from(complaints))).scalar() == 3
        assert (await connection.execute(sa.select(ratings.c.complaint_id))).scalars().all() == [2]
    await downgrade(engine, BEFORE)
    async with engine.connect() as connection:
        back = dict(
            (await connection.execute(sa.select(complaints.c.number, complaints.c.next_alert_at))).all()
        )
        assert back == LOOKS
        assert (await connection.execute(sa.select(ratings.c.complaint_id))).scalars().all() == [2]


async def test_a_downgrade_that_rebuilds_the_complaints_table_keeps_their_ratings(
    engine: sa.ext.asyncio.AsyncEngine,
) -> None:
    # SQLite's batch mode copies a table and drops the old one; with foreign keys on, that drop would delete
    # every row that cascades from it (ratings, looks).
    await upgrade(engine, BEFORE)
    registered = datetime(2026, 11, 20, 2, 0, tzinfo=UTC)
    async with engine.begin() as connection:
        await connection.execute(
            complaints.insert().values(
                id=1,
                number="TS-1",
                channel="telegram",
                status="resolved",
                category="demanded_proof",
                complainant_name="测试",
                complainant_phone="138",
                agency_text="某单位",
                demand="证明",
                reasons="理由",
                facts="事实",
                deadline_provisional=False,
                extension_state="none",
                version=1,
                registered_at=registered,
                next_alert_at=None,
            )
        )
        await connection.execute(
            ratings.insert().values(complaint_id=1, score=4, comment="好", rated_at=registered)
        )
    await upgrade(engine)
    await downgrade(engine, "0009_inbox")
    async with engine.connect() as connection:
        assert (await connection.execute(sa.select(ratings.c.complaint_id, ratings.c.score))).all() == [
            (1, 4)
        ]
    await upgrade(engine)
    async with engine.connect() as connection:
        assert (await connection.execute(sa.select(ratings.c.complaint_id, ratings.c.score))).all() == [
            (1, 4)
        ]
        foreign_key_errors = (
            (await connection.exec_driver_sql("PRAGMA foreign_key_check")).all()
            if engine.dialect.name == "sqlite"
            else []
        )
        assert foreign_key_errors == []
