"""Deadline sweep over 100k and 1M complaints on PostgreSQL.

Creates a scratch database, migrates it, bulk-loads synthetic complaints with COPY (about 5% overdue,
3% due soon, 2% waiting for acceptance, the rest closed), then times: the first sweep (which alerts
everything due), a second sweep (nothing new: the steady state every 5 minutes), and the same after
another day. Drops the database at the end.

    .venv/bin/python bench/sweep_bench.py [--sizes 100000 1000000] [--dsn postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import random
import time
import uuid
from datetime import UTC, datetime, timedelta

import asyncpg

from nocert_core.bootstrap import open_application
from nocert_core.clock import FixedClock
from nocert_core.services.sweeps import run_sweeps
from nocert_core.settings import Settings

NOW = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)
UNITS = [f"U{index:03d}" for index in range(60)]


def synthetic_rows(count: int, seed: int = 1) -> list[tuple[object, ...]]:
    rng = random.Random(seed)
    rows = []
    for index in range(1, count + 1):
        roll = rng.random()
        registered = NOW - timedelta(days=rng.uniform(0, 365))
        accepted = deadline = closed = None
        if roll < 0.05:  # overdue
            status, accepted = "accepted", NOW - timedelta(days=rng.uniform(8, 40))
            deadline = NOW - timedelta(days=rng.uniform(0.1, 30))
        elif roll < 0.08:  # due within a day or so
            status, accepted = "accepted", NOW - timedelta(days=5)
            deadline = NOW + timedelta(hours=rng.uniform(1, 40))
        elif roll < 0.10:  # waiting for acceptance
            status = "registered"
        elif roll < 0.20:  # handling, far from its deadline
            status, accepted = "accepted", NOW - timedelta(days=1)
            deadline = NOW + timedelta(days=rng.uniform(3, 10))
        else:
            status, accepted = "resolved", registered + timedelta(days=1)
            deadline, closed = registered + timedelta(days=8), registered + timedelta(days=4)
        if status == "registered":
            registered = NOW - timedelta(days=rng.uniform(0, 6))
        rows.append(
            (
                index,
                f"TS-2026-{index:07d}",
                "telegram",
                status,
                "demanded_proof",
                "测试",
                "13800000000",
                "某单位",
                rng.choice(UNITS),
                "要求提交证明",
                "理由",
                "事实",
                registered,
                accepted,
                deadline,
                closed,
                False,
                "none",
                0,
            )
        )
    return rows


COLUMNS = [
    "id",
    "number",
    "channel",
    "status",
    "category",
    "complainant_name",
    "complainant_phone",
    "agency_text",
    "unit_code",
    "demand",
    "reasons",
    "facts",
    "registered_at",
    "accepted_at",
    "deadline_at",
    "closed_at",
    "deadline_provisional",
    "extension_state",
    "version",
]


async def bench(size: int, admin_dsn: str) -> dict[str, float]:
    name = f"nocert_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = admin_dsn.rsplit("/", 1)[0]
    url = f"postgresql+asyncpg://{base.split('://', 1)[1]}/{name}"
    timings: dict[str, float] = {}
    try:
        clock = FixedClock(NOW)
        app = await open_application(Settings(database_url=url), clock)
        connection = await asyncpg.connect(f"{base}/{name}")
        await connection.executemany(
            "INSERT INTO units (code, name, aliases) VALUES ($1, $2, '[]')", [(code, code) for code in UNITS]
        )
        await connection.executemany(
            "INSERT INTO accounts (ref, channel, chat_id, display_name, role, unit_code, locale, reachable) "
            "VALUES ($1, 'telegram', $2, $3, $4, $5, 'zh_Hans', true)",
            [(f"telegram:{i}", str(i), f"staff{i}", "staff", code) for i, code in enumerate(UNITS, start=1)]
            + [("telegram:9001", "9001", "supervisor", "supervisor", None)],
        )
        started = time.perf_counter()
        await connection.copy_records_to_table("complaints", records=synthetic_rows(size), columns=COLUMNS)
        # As migration 0010_sweep_due leaves an existing database: every open complaint due for a look.
        await connection.execute(
            "UPDATE complaints SET next_alert_at = registered_at "
            "WHERE status IN ('registered', 'transferred', 'accepted', 'extended')"
        )
        await connection.execute("ANALYZE")
        timings["load (COPY + ANALYZE) s"] = time.perf_counter() - started
        for label in ("first sweep (alerts everything due)", "second sweep (nothing new)", "third sweep"):
            started = time.perf_counter()
            result = await run_sweeps(app.uow, clock, hotspots=False)
            timings[f"{label} s"] = time.perf_counter() - started
            timings[f"{label} messages"] = result.messages
        clock.advance(timedelta(days=1))
        started = time.perf_counter()
        result = await run_sweeps(app.uow, clock, hotspots=False)
        timings["next day sweep s"] = time.perf_counter() - started
        timings["next day sweep messages"] = result.messages
        plan = await connection.fetch(
            "EXPLAIN SELECT id FROM complaints WHERE status IN ('accepted','extended') AND deadline_at < $1",
            NOW,
        )
        probe = await connection.fetch(
            "EXPLAIN ANALYZE SELECT id FROM complaints WHERE next_alert_at <= $1 "
            "ORDER BY next_alert_at LIMIT 1",
            NOW + timedelta(days=1),
        )
        timings["steady-state probe (server side)"] = " / ".join(  # type: ignore[assignment]
            row[0].strip() for row in probe if "Execution" in row[0] or "Index" in row[0]
        )
        timings["overdue query plan"] = " / ".join(row[0].strip() for row in plan[:2])  # type: ignore[assignment]
        await connection.close()
        await app.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return timings


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    for size in args.sizes:
        print(f"## {size:,} complaints")
        for key, value in (await bench(size, args.dsn)).items():
            print(f"- {key}: {value:.3f}" if isinstance(value, float) else f"- {key}: {value}")


if __name__ == "__main__":
    asyncio.run(main())
