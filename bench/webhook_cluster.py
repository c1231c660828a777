"""Several `nocert run --webhook` processes behind the tests' round-robin balancer (issue 11 items 4–5),
for bench/soak.py --instances N and bench/webhook_throughput.py.

The fake Bot API posts every update to the balancer; the balancer hands each request to the next instance
and skips one that refuses the connection (a killed instance), as a reverse proxy with passive health
checks does. `killer` SIGKILLs a random instance every few seconds (counted from when it was ready) and
starts it again at once, as a supervisor would.
"""

from __future__ import annotations

import asyncio
import random
import signal
import socket
import sys
import time
from pathlib import Path

import aiohttp

from tests.balancer import RoundRobinBalancer

ROOT = Path(__file__).resolve().parents[1]
HOOK = "/telegram/webhook"
SECRET = "soak-webhook-secret"


def _die_with_parent() -> None:
    """Linux: the instance gets SIGKILL when the bench process dies (no orphans after a Ctrl+C)."""
    try:
        import ctypes

        ctypes.CDLL("libc.so.6").prctl(1, signal.SIGKILL)  # PR_SET_PDEATHSIG
    except OSError:
        pass


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class Instance:
    def __init__(self, index: int, env: dict[str, str], framework: str, webhook: str, log: Path) -> None:
        self.index, self.env, self.framework, self.webhook, self.log = index, env, framework, webhook, log
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: asyncio.subprocess.Process | None = None
        self.started_at: list[float] = []
        self.ready_after: list[float] = []  # seconds from exec to /readyz 200

    async def start(self) -> None:
        if self.alive:
            raise RuntimeError(f"instance {self.index} is already running")
        self.started_at.append(time.monotonic())
        with self.log.open("ab") as out:
            self.process = await asyncio.create_subprocess_exec(
                sys.executable,
                *("-m", "bot.cli", "run", "--framework", self.framework),
                *("--webhook", self.webhook, "--listen", f"127.0.0.1:{self.port}"),
                env={**self.env, "NOCERT_WEBHOOK_SECRET": SECRET, "NOCERT_WEB_SECRET": SECRET + "-web"},
                cwd=str(ROOT),
                stdout=out,
                stderr=out,
                preexec_fn=_die_with_parent,
            )

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.returncode is None

    async def wait_ready(self, timeout: float = 300.0) -> bool:
        deadline = time.monotonic() + timeout
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=5)) as http:
            while time.monotonic() < deadline and self.alive:
                try:
                    async with http.get(self.url + "/readyz") as response:
                        if response.status == 200:
                            self.ready_after.append(time.monotonic() - self.started_at[-1])
                            return True
                except (aiohttp.ClientError, OSError, TimeoutError):
                    pass
                await asyncio.sleep(0.3)
        return False

    async def kill(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGKILL)
            await self.process.wait()

    async def stop(self) -> None:
        if self.alive:
            assert self.process is not None
            self.process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.process.wait(), 60)
            except TimeoutError:
                await self.kill()


class Cluster:
    def __init__(self, count: int, env: dict[str, str], framework: str, workdir: Path) -> None:
        self.count, self.env, self.framework, self.workdir = count, env, framework, workdir
        self.instances: list[Instance] = []
        self.balancer: RoundRobinBalancer | None = None
        self.kills = 0
        self.crashes = 0
        self.kill_times: list[float] = []  # time.monotonic() of each SIGKILL (bench/soak.py: doubles)

    async def __aenter__(self) -> Cluster:
        ports = [free_port() for _ in range(self.count)]
        self.balancer = RoundRobinBalancer([f"http://127.0.0.1:{port}" for port in ports])
        await self.balancer.__aenter__()
        webhook = self.balancer.base_url + HOOK
        for index, port in enumerate(ports):
            instance = Instance(index, self.env, self.framework, webhook, self.workdir / f"bot{index}.log")
            instance.port, instance.url = port, f"http://127.0.0.1:{port}"
            self.instances.append(instance)
        for instance in self.instances:
            await instance.start()
        for instance, ready in zip(
            self.instances, await asyncio.gather(*(i.wait_ready() for i in self.instances)), strict=True
        ):
            if not ready:
                raise RuntimeError(f"instance {instance.index} did not become ready (see {instance.log})")
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await asyncio.gather(*(instance.stop() for instance in self.instances))
        if self.balancer is not None:
            await self.balancer.__aexit__(*exc_info)

    def move(self, instance: Instance) -> None:
        assert self.balancer is not None
        old = instance.url
        instance.port = free_port()
        instance.url = f"http://127.0.0.1:{instance.port}"
        self.balancer.upstreams[self.balancer.upstreams.index(old)] = instance.url

    async def metrics(self) -> list[str]:
        texts = []
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=10)) as http:
            for instance in self.instances:
                try:
                    async with http.get(instance.url + "/metrics") as response:
                        texts.append(await response.text())
                except (aiohttp.ClientError, OSError, TimeoutError):
                    texts.append("")
        return texts

    async def killer(self, low: float, high: float, stop: asyncio.Event, seed: int = 7) -> None:
        """Every low–high s SIGKILL a random ready instance and start it again at once (it becomes ready
        in the background); one that died by itself is started again too (a supervisor would)."""
        rng = random.Random(seed)
        ready = {instance.index: True for instance in self.instances}
        starting: set[asyncio.Task[None]] = set()

        async def restart(instance: Instance) -> None:
            ready[instance.index] = False
            for _ in range(3):
                await instance.start()
                if await instance.wait_ready():
                    ready[instance.index] = True
                    return
                await instance.kill()  # e.g. its port was taken meanwhile by an outgoing connection:
                self.move(instance)  # listen on another one, and tell the balancer

        while not stop.is_set():
            for instance in self.instances:
                if not instance.alive and ready[instance.index]:
                    self.crashes += 1
                    ready[instance.index] = False  # now, not when the task runs: one restart only
                    starting.add(asyncio.create_task(restart(instance)))
            try:
                await asyncio.wait_for(stop.wait(), rng.uniform(low, high))
                break
            except TimeoutError:
                pass
            victims = [instance for instance in self.instances if ready[instance.index] and instance.alive]
            if len(victims) < 2:  # never the last one standing: the balancer needs somebody
                continue
            victim = rng.choice(victims)
            # Not ready from now on: the look for crashed instances above (before the restart task has
            # run) counted each kill as a crash too and started the instance twice — the second start
            # could not bind the port and the first process ran on untracked, never killed again.
            ready[victim.index] = False
            self.kill_times.append(time.monotonic())
            await victim.kill()
            self.kills += 1
            starting.add(asyncio.create_task(restart(victim)))
        await asyncio.gather(*starting, return_exceptions=True)
