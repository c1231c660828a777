"""Web console response times on PostgreSQL with many complaints (issue 14: overview and a filtered register
page under 200 ms p95 at 1 M complaints).

Creates a scratch database, migrates it, bulk-loads synthetic complaints with COPY (the same mix as
bench/sweep_bench.py: a year of complaints, ~5 % overdue, ~3 % due soon, the rest mostly closed), starts the
real aiohttp application on a loopback port, signs a supervisor in by a one-time link and times HTTP
requests end to end (query + rendering + HTTP): the overview page, its JSON, and register pages filtered by
unit + state, by number prefix, by text (common, rare, no match), and the next keyset page. Drops the
database at the end. The overview is a per-process snapshot refreshed in the background every 30 s
(bot/web/taskforce.py); the timed requests include the ones that run next to such a refresh.

    .venv/bin/python bench/web_bench.py [--sizes 100000 1000000] [--runs 40] [--dsn postgresql://postgres@127.0.0.1:5432/test]
"""

from __future__ import annotations

import argparse
import asyncio
import importlib.util
import os
import random
import re
import statistics
import time
import uuid
from pathlib import Path
from urllib.parse import urlencode

import asyncpg
from aiohttp import ClientSession, CookieJar

from bot.web.server import start_web
from bot.web.taskforce import _refresh
from nocert_core.bootstrap import open_application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.services.access.web_access import issue_web_link
from nocert_core.settings import Settings

_spec = importlib.util.spec_from_file_location("sweep_bench", Path(__file__).with_name("sweep_bench.py"))
assert _spec and _spec.loader
sweep_bench = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(sweep_bench)
NOW, UNITS = sweep_bench.NOW, sweep_bench.UNITS


DEMANDS = [
    "撤回要求提交的无犯罪记录证明",
    "不再要求提供户口簿复印件",
    "取消居住证明",
    "不要求开具婚姻状况证明",
    "改为部门核验收入证明",
]
FACTS = [
    "在政务服务中心{n}号窗口办理营业执照变更，工作人员要求提供证明",
    "办理不动产登记时被要求回户籍地开具亲属关系证明{n}份",
    "社保窗口要求出具在职证明，编号{n}",
]
AGENCIES = ["奎文区行政审批服务局", "潍城区不动产登记中心", "高新区公安分局", "市人社局社保中心", "民政局"]


def varied(rows: list[tuple[object, ...]], seed: int = 7) -> list[tuple[object, ...]]:
    """sweep_bench's rows carry one fixed text; give demand, facts and agency a mix of wordings and numbers,
    so a text search has common words (亲属关系: about a third of the rows) and rare ones (编号31415)."""
    rng = random.Random(seed)
    out = []
    for row in rows:
        values = list(row)
        values[7] = rng.choice(AGENCIES)
        values[9] = rng.choice(DEMANDS)
        values[11] = rng.choice(FACTS).format(n=rng.randint(1, 99999))
        out.append(tuple(values))
    return out


def p95(samples: list[float]) -> float:
    ordered = sorted(samples)
    return ordered[max(0, round(0.95 * len(ordered)) - 1)]


async def _timed(session: ClientSession, url: str, runs: int, pause: float = 0.0) -> dict[str, float]:
    """`pause` seconds between requests: the overview's are spread over several background refreshes."""
    first_started = time.perf_counter()
    async with session.get(url) as response:
        body = await response.read()
        assert response.status == 200, (url, response.status, body[:300])
    first = (time.perf_counter() - first_started) * 1000
    samples = []
    for _ in range(runs):
        await asyncio.sleep(pause)
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
        rows = varied(sweep_bench.synthetic_rows(size))
        # Loading is faster into a bare table: the migrated secondary indexes are dropped and built again
        # after the COPY, from their own definitions (what is measured below is the migrated schema).
        indexes = await connection.fetch(
            "SELECT indexname, indexdef FROM pg_indexes WHERE tablename = 'complaints' "
            "AND indexname NOT IN (SELECT conname FROM pg_constraint)"
        )
        for index in indexes:
            await connection.execute(f'DROP INDEX "{index["indexname"]}"')
        await connection.copy_records_to_table("complaints", records=rows, columns=sweep_bench.COLUMNS)
        await connection.execute("SET maintenance_work_mem = '256MB'")
        for index in indexes:
            await connection.execute(index["indexdef"])
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
            spread = max(runs, 60)  # one a second: spans two snapshot refreshes (every 30 s)
            results["overview page /tf"] = await _timed(session, f"{root}/tf", spread, pause=1.0)
            results["overview JSON"] = await _timed(session, f"{root}/tf/overview.json", spread, pause=1.0)
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
            for label, words in (("common", "亲属关系"), ("rare", "编号31415"), ("no match", "证明要求")):
                results[f"register: text, {label} ({words})"] = await _timed(
                    session, f"{root}/register?{urlencode({'text': words})}", runs
                )
        # What the background refresh costs (off the request path): a full one (rates and closed-state
        # counts included, every five minutes) and a live-only one (every 30 s).
        supervisor = Actor(ref="telegram:9001", role=Role.SUPERVISOR)
        started = time.perf_counter()
        full = await _refresh(app, supervisor, None)
        results["overview refresh (background)"] = {"full ms": (time.perf_counter() - started) * 1000}
        started = time.perf_counter()
        await _refresh(app, supervisor, full)
        results["overview refresh (background)"]["live parts ms"] = (time.perf_counter() - started) * 1000
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
