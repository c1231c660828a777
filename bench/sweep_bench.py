"""Deadline sweep over 100k and 1M complaints on PostgreSQL.

Creates a scratch database, migrates it, bulk-loads synthetic complaints with COPY (about 5% overdue,
3% due soon, 2% waiting for acceptance, the rest closed), then times: the first sweep (which alerts
everything due), a second sweep (nothing new: the steady state every 5 minutes), and the same after
another day. Drops the database at the end.

    .venv/bin/python bench/sweep_bench.py [--sizes 100000 1000000] [--dsn postgresql://postgres@127.0.0.1:5432/test]

Loading 1M rows takes minutes: `--keep-template` keeps the loaded, not yet swept database as
`nocert_sweep_tpl_<size>_<schema head>` and later runs copy it (CREATE DATABASE … TEMPLATE, seconds);
`--drop-templates` drops every such template and exits. `--template NAME` starts from a template kept by
an earlier schema (the same rows before and after a change): opening it migrates it to head, timed.
`--statements` prints the time spent per SQL statement kind (first words of the statement) in the first
sweep. Each sweep also reports the CPU time of the bench process (the sweep's Python, the driver's work)
and of the database's server processes (read from /proc: the server must run on this machine); on a
shared machine these move less with the load than the wall time. The script also runs on code from
before migration 0015 (looks in `complaints.next_alert_at`), to compare on the same template.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import asyncpg
from sqlalchemy import event

from nocert_core.adapters.sql.migrate import head_revisions
from nocert_core.bootstrap import open_application
from nocert_core.clock import FixedClock
from nocert_core.services.oversight.sweeps import run_sweeps
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


TEMPLATE_PREFIX = "nocert_sweep_tpl_"


def template_name(size: int) -> str:
    return f"{TEMPLATE_PREFIX}{size}_{'_'.join(sorted(head_revisions()))}"[:63]


class StatementTimes:
    """Wall time per statement kind (its first words), from SQLAlchemy's cursor events."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}
        self.counts: dict[str, int] = {}
        self.on = False

    def attach(self, engine: object) -> None:
        sync_engine = engine.sync_engine  # type: ignore[attr-defined]
        event.listen(sync_engine, "before_cursor_execute", self._before)
        event.listen(sync_engine, "after_cursor_execute", self._after)

    def _before(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        conn.info["started"] = time.perf_counter()  # type: ignore[attr-defined]

    def _after(self, conn: object, cursor: object, statement: str, *args: object) -> None:
        if not self.on:
            return
        key = " ".join(statement.split()[:4])[:60]
        if "alert_marks" in statement and key.startswith("INSERT"):
            key += " (marks)"
        self.seconds[key] = self.seconds.get(key, 0.0) + time.perf_counter() - conn.info["started"]  # type: ignore[attr-defined]
        self.counts[key] = self.counts.get(key, 0) + 1


async def server_cpu(connection: asyncpg.Connection, database: str) -> dict[int, float]:
    """CPU seconds used so far by each server process of `database` (the server runs on this machine)."""
    pids = await connection.fetch("SELECT pid FROM pg_stat_activity WHERE datname = $1", database)
    ticks = os.sysconf("SC_CLK_TCK")
    used: dict[int, float] = {}
    for row in pids:
        try:
            fields = Path(f"/proc/{row['pid']}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        used[row["pid"]] = (int(fields[11]) + int(fields[12])) / ticks  # utime + stime
    return used


async def load(connection: asyncpg.Connection, size: int) -> None:
    await connection.executemany(
        "INSERT INTO units (code, name, aliases) VALUES ($1, $2, '[]')", [(code, code) for code in UNITS]
    )
    await connection.executemany(
        "INSERT INTO accounts (ref, channel, chat_id, display_name, role, unit_code, locale, reachable) "
        "VALUES ($1, 'telegram', $2, $3, $4, $5, 'zh_Hans', true)",
        [(f"telegram:{i}", str(i), f"staff{i}", "staff", code) for i, code in enumerate(UNITS, start=1)]
        + [("telegram:9001", "9001", "supervisor", "supervisor", None)],
    )
    await connection.copy_records_to_table("complaints", records=synthetic_rows(size), columns=COLUMNS)
    # As migrations 0010_sweep_due and 0015_complaint_looks leave an existing database: every open
    # complaint due for a look.
    await connection.execute(
        "INSERT INTO complaint_looks (complaint_id, next_look_at) SELECT id, registered_at FROM complaints"
        " WHERE status IN ('registered', 'transferred', 'accepted', 'extended')"
    )
    await connection.execute("VACUUM ANALYZE")


async def bench(
    size: int, admin_dsn: str, keep_template: bool, statements: bool, given_template: str | None = None
) -> dict[str, float]:
    name = f"nocert_bench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_dsn)
    base = admin_dsn.rsplit("/", 1)[0]
    template = given_template or template_name(size)
    have_template = bool(await admin.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", template))
    timings: dict[str, float] = {}
    started = time.perf_counter()
    if have_template:
        await admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
    else:
        await admin.execute(f'CREATE DATABASE "{name}"')
    url = f"postgresql+asyncpg://{base.split('://', 1)[1]}/{name}"
    times = StatementTimes()
    try:
        clock = FixedClock(NOW)
        if have_template:
            timings["copy of the loaded template s"] = time.perf_counter() - started
            started = time.perf_counter()
        app = await open_application(Settings(database_url=url), clock)
        if statements:
            times.attach(app.engine)
        connection = await asyncpg.connect(f"{base}/{name}")
        if have_template:
            timings["open (migrating the template to head) s"] = time.perf_counter() - started
            await connection.execute("VACUUM ANALYZE")  # a migration's new tables have no statistics yet
        else:
            await load(connection, size)
            timings["load (COPY + VACUUM ANALYZE) s"] = time.perf_counter() - started
            if keep_template:
                await connection.close()
                await app.close()
                await admin.execute(f'CREATE DATABASE "{template}" TEMPLATE "{name}"')
                app = await open_application(Settings(database_url=url), clock)
                if statements:
                    times.attach(app.engine)
                connection = await asyncpg.connect(f"{base}/{name}")
        for label in ("first sweep (alerts everything due)", "second sweep (nothing new)", "third sweep"):
            times.on = statements and label.startswith("first")
            server_before = await server_cpu(connection, name)
            started, cpu = time.perf_counter(), time.process_time()
            result = await run_sweeps(app.uow, clock, hotspots=False)
            times.on = False
            timings[f"{label} s"] = time.perf_counter() - started
            timings[f"{label}: bench process CPU s"] = time.process_time() - cpu
            server_after = await server_cpu(connection, name)
            timings[f"{label}: server CPU s"] = sum(
                seconds - server_before.get(pid, 0.0) for pid, seconds in server_after.items()
            )
            timings[f"{label} messages"] = result.messages
        steady = []  # the steady state every few minutes: one sweep's time moves with the load, so 9 more
        for _ in range(9):
            started = time.perf_counter()
            await run_sweeps(app.uow, clock, hotspots=False)
            steady.append(time.perf_counter() - started)
        timings["steady state, 9 more sweeps: min s"] = min(steady)
        timings["steady state, 9 more sweeps: median s"] = statistics.median(steady)
        timings["steady state, 9 more sweeps: max s"] = max(steady)
        clock.advance(timedelta(days=1))
        started = time.perf_counter()
        result = await run_sweeps(app.uow, clock, hotspots=False)
        timings["next day sweep s"] = time.perf_counter() - started
        timings["next day sweep messages"] = result.messages
        plan = await connection.fetch(
            "EXPLAIN SELECT id FROM complaints WHERE status IN ('accepted','extended') AND deadline_at < $1",
            NOW,
        )
        if await connection.fetchval("SELECT to_regclass('complaint_looks')") is not None:
            probe_sql = (
                "EXPLAIN ANALYZE SELECT complaint_id FROM complaint_looks WHERE next_look_at <= $1"
                " ORDER BY next_look_at LIMIT 1"
            )
        else:  # code from before migration 0015
            probe_sql = (
                "EXPLAIN ANALYZE SELECT id FROM complaints WHERE next_alert_at <= $1"
                " ORDER BY next_alert_at LIMIT 1"
            )
        probe = await connection.fetch(probe_sql, NOW + timedelta(days=1))
        timings["steady-state probe (server side)"] = " / ".join(  # type: ignore[assignment]
            row[0].strip() for row in probe if "Execution" in row[0] or "Index" in row[0]
        )
        timings["overdue query plan"] = " / ".join(row[0].strip() for row in plan[:2])  # type: ignore[assignment]
        for key, seconds in sorted(times.seconds.items(), key=lambda item: -item[1]):
            timings[f"first sweep: {key} ({times.counts[key]}×) s"] = seconds
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
    parser.add_argument(
        "--keep-template", action="store_true", help="keep the loaded database for later runs"
    )
    parser.add_argument("--drop-templates", action="store_true", help="drop the kept databases and exit")
    parser.add_argument("--statements", action="store_true", help="time per SQL statement kind")
    parser.add_argument(
        "--template", help="start from this kept database (an earlier schema is migrated to head, timed)"
    )
    args = parser.parse_args()
    if args.drop_templates:
        admin = await asyncpg.connect(args.dsn)
        for row in await admin.fetch(
            "SELECT datname FROM pg_database WHERE datname LIKE $1", TEMPLATE_PREFIX + "%"
        ):
            await admin.execute(f'DROP DATABASE "{row["datname"]}" WITH (FORCE)')
            print("dropped", row["datname"])
        await admin.close()
        return
    for size in args.sizes:
        print(f"## {size:,} complaints")
        for key, value in (
            await bench(size, args.dsn, args.keep_template, args.statements, args.template)
        ).items():
            print(f"- {key}: {value:.3f}" if isinstance(value, float) else f"- {key}: {value}")


if __name__ == "__main__":
    asyncio.run(main())
