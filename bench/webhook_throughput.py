"""Updates per second through `nocert run --webhook` with 1 and with N instances on PostgreSQL + Redis
(issue 11 item 5: the scaling curve).

    PYTHONPATH=. python bench/webhook_throughput.py --instances 1 3 --users 300

Each of `--users` citizens sends the first four steps of a complaint (/complain, name, phone, agency) at
once; the fake Bot API posts them to the balancer with `--connections` requests in flight (each chat's in
order, as Telegram does). The clock runs from the first update to the last expected reply; updates/s =
updates / seconds. Nothing is killed and no faults are injected: this measures capacity, not resilience.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.soak import REDIS_URL, TimedBotApi  # noqa: E402
from bench.soak_setup import UNIT_NAME, database, prepare  # noqa: E402
from bench.webhook_cluster import Cluster  # noqa: E402

STEPS = ("/complain", "{name}", "{phone}", UNIT_NAME)  # each answered by the next question
LAST_ANSWER = "Step 4 of 7"  # what the agency (the last step) is answered with


def fully_answered(texts: list[str]) -> bool:
    """A citizen's last step is answered. Counting messages is not enough: /complain and the phone step
    are answered with two messages each, so four messages arrive after two steps — the bench stopped
    there once and read the instances' `nocert_updates_handled_total` while a fifth of the updates were
    still being handled (it looked like the metric undercounted: 986 of 1,200)."""
    return any(LAST_ANSWER in text for text in texts)


TICK = os.sysconf("SC_CLK_TCK")


def process_cpu(pid: int | None) -> float:
    """CPU seconds (user + system) a process has used (Linux /proc); 0 when it is gone."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (OSError, IndexError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK


def machine_busy() -> float:
    """CPU seconds the whole machine spent not idle (all processes: ours, PostgreSQL, Redis, others')."""
    values = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(values) - values[3] - values[4]) / TICK  # minus idle and iowait


def texts_to(api: TimedBotApi, chat: int) -> list[str]:
    return [message.text or "" for message in api.messages_to(chat)]


async def run_once(instances: int, users: int, connections: int, framework: str) -> dict[str, object]:
    workdir = Path(tempfile.mkdtemp(prefix="nocert-throughput-"))
    url, pg_name = await database("postgres", workdir)
    await prepare(url)
    try:
        async with TimedBotApi() as api:
            api.webhook_connections = connections
            env = {
                **os.environ,
                "PYTHONPATH": str(ROOT),
                "NOCERT_DATABASE_URL": url,
                "NOCERT_REDIS_URL": REDIS_URL,
                "NOCERT_TELEGRAM_TOKEN": api.token,
                "NOCERT_TELEGRAM_API_URL": api.base_url,
                "NOCERT_LOCALE": "en",
                "NOCERT_RATE_LIMIT_PER_MINUTE": "1000",
                "NOCERT_RATE_LIMIT_BURST": "1000",
            }
            async with Cluster(instances, env, framework, workdir) as cluster:
                # This run's own users: no FLUSHDB of the shared Redis database (bench/soak.py), so a dialog
                # left there by an earlier run must not be theirs.
                first_user = 10_000_000 + random.SystemRandom().randrange(100_000) * 10_000
                chats = [first_user + n for n in range(users)]
                pids = [instance.process.pid if instance.process else None for instance in cluster.instances]
                cpu_before = [process_cpu(pid) for pid in pids]
                busy_before, load_before = machine_busy(), os.getloadavg()
                started = time.monotonic()
                for step in STEPS:  # every user's step n before anyone's step n+1 (each chat in order)
                    for n, chat in enumerate(chats):
                        text = step.format(name=f"市民{n}", phone=f"139{n:08d}")
                        if text.startswith("/"):
                            api.push_command(chat, text, language="en")
                        else:
                            api.push_text(chat, text, language="en")
                deadline = started + 900
                while time.monotonic() < deadline:
                    if all(fully_answered(texts_to(api, chat)) for chat in chats):
                        break
                    await asyncio.sleep(0.2)
                elapsed = time.monotonic() - started
                instance_cpu = sum(process_cpu(pid) for pid in pids) - sum(cpu_before)
                busy = machine_busy() - busy_before
                answered = sum(1 for chat in chats if fully_answered(texts_to(api, chat)))
                settled = time.monotonic() + 10  # a handling counts itself just after its reply is sent
                while True:
                    per_instance = [
                        sum(
                            float(line.rsplit(" ", 1)[1])
                            for line in text.splitlines()
                            if line.startswith("nocert_updates_handled_total")
                        )
                        for text in await cluster.metrics()
                    ]
                    if sum(per_instance) >= users * len(STEPS) or time.monotonic() > settled:
                        break
                    await asyncio.sleep(0.2)
    finally:
        if pg_name is not None:
            import asyncpg

            from bench.soak_setup import PG_ADMIN

            connection = await asyncpg.connect(PG_ADMIN)
            await connection.execute(f'DROP DATABASE IF EXISTS "{pg_name}" WITH (FORCE)')
            await connection.close()
    updates = users * len(STEPS)
    return {
        "instances": instances,
        "framework": framework,
        "users": users,
        "updates": updates,
        "users_fully_answered": answered,
        "seconds": round(elapsed, 1),
        "updates_per_second": round(updates / elapsed, 1),
        "handled_per_instance": per_instance,
        "instance_cpu_seconds": round(instance_cpu, 1),
        "instance_cpu_ms_per_update": round(1000 * instance_cpu / updates, 1),
        "machine_busy_cpu_seconds": round(busy, 1),  # includes PostgreSQL, Redis, the fake, other work
        "machine_cpu_ms_per_update": round(1000 * busy / updates, 1),
        "cores": os.cpu_count(),
        "load_average_before": load_before,
        "load_average_after": os.getloadavg(),
    }


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--instances", type=int, nargs="+", default=[1, 3])
    parser.add_argument("--users", type=int, default=300)
    parser.add_argument("--connections", type=int, default=16)
    parser.add_argument("--framework", choices=("aiogram", "ptb"), default="aiogram")
    args = parser.parse_args()
    for count in args.instances:
        result = asyncio.run(run_once(count, args.users, args.connections, args.framework))
        print(json.dumps(result), flush=True)


if __name__ == "__main__":
    main()
