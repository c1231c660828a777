"""Web console response times on PostgreSQL with many complaints (issue 14: overview and a filtered register
page under 200 ms p95 at 1 M complaints).

Creates a scratch database, migrates it, bulk-loads synthetic complaints with COPY (the same mix as
bench/sweep_bench.py: a year of complaints, ~5 % overdue, ~3 % due soon, the rest mostly closed), starts the
real aiohttp application on a loopback port, signs a supervisor in by a one-time link and times HTTP
requests end to end (query + rendering + HTTP): the overview page, its JSON, and register pages filtered by
unit + state, by number prefix, by text, and the next keyset page. Drops the database at the end.

    .venv/bin/python bench/web_bench.py [--sizes 100000 1000000] [--runs 40] [--dsn postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import re
import statistics
import time
import uuid
from pathlib import Path

import asyncpg
from aiohttp import ClientSession, CookieJar

from bot.web.server import start_web
from nocert_core.bootstrap import open_application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.services.web_access import issue_web_link
from nocert_core.settings import Settings

_spec = importlib.util.spec_from_file_location("sweep_bench", Path(__file__).with_name("sweep_bench.py"))
assert _spec and _spec.loader
sweep_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep_bench)
NOW, UNITS = sweep_bench.NOW, sweep_bench.UNITS


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def _timed(session: ClientSession, url: str, runs: int) -> dict[str, float]:
    first_started = time.perf_counter()
    async with session.get(url) as response:
        body = await response.read()
        assert response.status == 200, (url, response.status, body[:300])
    first = (time.perf_counter() - first_started) * 1000
    samples = []
    for _ in range(runs):
        started = time.perf_counter()
        async with session.get(url) as response:
            await response.read()
        samples.append((time.perf_counter() - started) * 1000)
    return {"first ms": first, "p50 ms": statistics.median(samples), "p95 ms": p95(samples)}


async def bench(size: int, runs: int, admin_dsn: str) -> dict[str, dict[str, float]]:
    name = f"nocert_webbench_{uuid.uuid4().hex[:8]}"
    admin = await asyncpg.connect(admin_dsn)
    await admin.execute(f'CREATE DATABASE "{name}"')
    base = admin_dsn.rsplit("/", 1)[0]
    url = f"postgresql+asyncpg://{base.split('://', 1)[1]}/{name}"
    results: dict[str, dict[str, float]] = {}
    try:
        clock = FixedClock(NOW)
        app = await open_application(Settings(database_url=url, web_secret="bench"), clock)
        connection = await asyncpg.connect(f"{base}/{name}")
        await connection.executemany(
            "INSERT INTO units (code, name, aliases) VALUES ($1, $2, '[]')", [(code, code) for code in UNITS]
        )
        await connection.execute(
            "INSERT INTO accounts (ref, channel, chat_id, display_name, role, locale, reachable) "
            "VALUES ('telegram:9001', 'telegram', '9001', 'supervisor', 'supervisor', 'zh_Hans', true)"
        )
        started = time.perf_counter()
        rows = sweep_bench.synthetic_rows(size)
        await connection.copy_records_to_table("complaints", records=rows, columns=sweep_bench.COLUMNS)
        await connection.execute("VACUUM ANALYZE complaints")
        results["load"] = {"COPY + VACUUM ANALYZE s": time.perf_counter() - started}
        runner = await start_web(app, "127.0.0.1:0")
        port = runner.addresses[0][1]
        root = f"http://127.0.0.1:{port}"
        async with ClientSession(cookie_jar=CookieJar(unsafe=True)) as session:
            link = await issue_web_link(app.uow(), clock, CLI_ADMIN, "telegram:9001")
            token = link.url.rsplit("/", 1)[1]
            async with session.get(f"{root}/login/{token}") as page:
                csrf = re.search(r'name="_csrf" value="([^"]+)"', await page.text())
            assert csrf
            async with session.post(f"{root}/login", data={"_csrf": csrf.group(1), "token": token}) as signed:
                assert signed.status == 200 and signed.url.path == "/tf"
            results["overview page /tf"] = await _timed(session, f"{root}/tf", runs)
            results["overview JSON"] = await _timed(session, f"{root}/tf/overview.json", runs)
            filtered = f"{root}/register?unit={UNITS[7]}&state=resolved"
            results["register: unit + state"] = await _timed(session, filtered, runs)
            async with session.get(filtered) as page:
                after = re.search(r"after=(\d+)", await page.text())
            if after:
                results["register: unit + state, next page"] = await _timed(
                    session, f"{filtered}&after={after.group(1)}", runs
                )
            results["register: number prefix"] = await _timed(
                session, f"{root}/register?number=TS-2026-00012", runs
            )
            results["register: state + dates"] = await _timed(
                session, f"{root}/register?state=accepted&date_from=2026-11-01&date_to=2026-11-20", runs
            )
            results["register: text (no trigram index)"] = await _timed(
                session, f"{root}/register?text=%E8%AF%81%E6%98%8E%E8%A6%81%E6%B1%82", max(5, runs // 4)
            )
        await runner.cleanup()
        await connection.close()
        await app.close()
    finally:
        await admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        await admin.close()
    return results


async def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--dsn", default="postgresql://postgres@127.0.0.1:5432/test")
    args = parser.parse_args()
    for size in args.sizes:
        load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
        print(f"## {size:,} complaints (load average before: {load} on {os.cpu_count()} CPUs)")
        for label, numbers in (await bench(size, args.runs, args.dsn)).items():
            print(f"- {label}: " + ", ".join(f"{key} {value:.1f}" for key, value in numbers.items()))


if __name__ == "__main__":
    asyncio.run(main())
