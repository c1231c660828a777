"""What a soak run (bench/soak.py) runs against: a database (a SQLite file, or a fresh PostgreSQL database),
the unit and its two bound staff accounts, complaints seeded 10 days old for the alert checks, and `nocert
run` as a subprocess that is SIGKILLed and started again."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
import time
import uuid
from pathlib import Path
from typing import Any

from bench.soak_results import FACTS, STAFF_IDS
from nocert_core.bootstrap import open_application
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Role
from nocert_core.domain.units import Unit
from nocert_core.settings import Settings

ROOT = Path(__file__).resolve().parents[1]
PG_ADMIN = os.environ.get("NOCERT_TEST_PG_DSN", "postgresql://postgres@127.0.0.1:5432/test")
UNIT_CODE, UNIT_NAME = "KW-SPJ", "奎文区行政审批服务局"


async def prepare(url: str, seed_alerts: int = 0) -> list[str]:
    """The unit and its two bound staff; with `seed_alerts`, that many complaints filed 10 days ago and
    never accepted, so the elected instance's first sweep alerts the staff about each (and every later
    sweep — after a kill, by the next elected instance — must not alert again). Their numbers."""
    app = await open_application(Settings(database_url=url, redis_url=None, telegram_token=None))
    try:
        async with app.uow() as uow:
            uow.units.add(Unit(code=UNIT_CODE, name=UNIT_NAME, aliases=["奎文区审批局"]))
            await uow.commit()
        async with app.uow() as uow:
            for staff_id in STAFF_IDS:
                uow.accounts.add(
                    Account(
                        ref=f"telegram:{staff_id}",
                        channel="telegram",
                        chat_id=str(staff_id),
                        display_name=f"staff {staff_id}",
                        role=Role.STAFF,
                        unit_code=UNIT_CODE,
                        locale="en",
                        created_at=app.clock.now(),
                    )
                )
            await uow.commit()
        return [await _old_complaint(app, n) for n in range(seed_alerts)]
    finally:
        await app.close()


async def _old_complaint(app: Any, n: int) -> str:
    from datetime import timedelta

    from nocert_core.clock import FixedClock
    from nocert_core.domain.actors import Actor
    from nocert_core.services.complaints import handling as complaint_service

    clock = FixedClock(app.clock.now() - timedelta(days=10))
    draft = complaint_service.ComplaintDraft(
        complainant_name=f"旧投诉{n}",
        complainant_phone=f"137{n:08d}",
        agency_text=UNIT_NAME,
        demand="不再要求提交证明",
        reasons="已在清单内",
        facts=FACTS,
        unit_code=UNIT_CODE,
    )
    citizen = Actor(ref=f"telegram:{80_000 + n}", role=Role.CITIZEN, name=f"旧投诉{n}")
    complaint = await complaint_service.register_complaint(
        app.uow(), clock, citizen, draft, dedup_ref=f"soak-old:{n}"
    )
    return complaint.number


async def database(kind: str, workdir: Path) -> tuple[str, str | None]:
    if kind == "sqlite":
        return f"sqlite+aiosqlite:///{workdir / 'soak.db'}", None
    import asyncpg

    name = f"nocert_soak_{uuid.uuid4().hex[:10]}"
    connection = await asyncpg.connect(PG_ADMIN)
    await connection.execute(f'CREATE DATABASE "{name}"')
    await connection.close()
    return f"postgresql+asyncpg://postgres@127.0.0.1:5432/{name}", name


class BotProcess:
    """`nocert run` as a subprocess, killed with SIGKILL and restarted."""

    def __init__(self, env: dict[str, str], framework: str, log: Path) -> None:
        self.env, self.framework, self.log = env, framework, log
        self.process: asyncio.subprocess.Process | None = None
        self.kills = 0
        self.crashes = 0
        self.started_at: list[float] = []

    async def start(self) -> None:
        self.started_at.append(time.monotonic())
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                "-m",
                "bot.cli",
                "run",
                "--framework",
                self.framework,
                "--polling-timeout",
                "2",
                env=self.env,
                cwd=str(ROOT),
                stdout=out,
                stderr=out,
            )

    async def kill(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()
            self.kills += 1

    async def stop(self) -> None:
        if self.process is not None and self.process.returncode is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 60)
            except TimeoutError:
                await self.kill()
