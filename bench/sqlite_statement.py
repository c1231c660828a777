"""What one SQLite statement costs through SQLAlchemy + aiosqlite: SQLAlchemy's own cursor (four hand-offs
to aiosqlite's thread per statement: open, execute, fetch, close) against nocert's one-hand-off cursor
(nocert_core/adapters/sqlite/sqlite_cursor.py) and against nocert's engines since session 8, with no thread
at all (nocert_core/adapters/sqlite/sqlite_inline.py). CPU and wall µs per `SELECT … WHERE id = ?`,
interleaved runs.

    PYTHONPATH=. /work/venv/bin/python bench/sqlite_statement.py [--statements 3000] [--rounds 2]
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine

ROOT = Path(__file__).resolve().parents[1]


async def measure(cursor: str, statements: int) -> tuple[float, float]:
    if cursor != "sqlalchemy":
        sys.path.insert(0, str(ROOT))
        from nocert_core.adapters.sqlite import sqlite_cursor

        sqlite_cursor.install()
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite+aiosqlite:///{folder}/bench.db"
        if cursor == "inline":
            from nocert_core.adapters.sql import db

            engine = db.create_engine(url)
        else:
            engine = create_async_engine(url)
        async with engine.begin() as connection:
            await connection.execute(text("CREATE TABLE t (id INTEGER PRIMARY KEY, v TEXT)"))
            await connection.execute(text("INSERT INTO t VALUES (1, 'a')"))
        query = text("SELECT v FROM t WHERE id = :id")
        async with engine.connect() as connection:
            for _ in range(200):  # warm-up: compiled statement cache, thread
                (await connection.execute(query, {"id": 1})).all()
            cpu, wall = time.process_time(), time.perf_counter()
            for _ in range(statements):
                (await connection.execute(query, {"id": 1})).all()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        await engine.dispose()
    return 1e6 * cpu / statements, 1e6 * wall / statements


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--statements", type=int, default=3000)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--one", choices=["sqlalchemy", "nocert", "inline"], help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.one:  # a fresh process per measurement: the cursor is installed process-wide
        cpu, wall = asyncio.run(measure(args.one, args.statements))
        print(f"{args.one:10} CPU {cpu:6.0f} µs/statement, wall {wall:6.0f} µs/statement")
        return
    print(subprocess.run(["uptime"], capture_output=True, text=True).stdout.strip())
    for _ in range(args.rounds):
        for cursor in ("sqlalchemy", "nocert", "inline"):
            command = [sys.executable, __file__, "--one", cursor, "--statements", str(args.statements)]
            subprocess.run(command, check=True)


if __name__ == "__main__":
    main()
