"""The web console as a user starts it: `nocert web --listen`, and `nocert run` with NOCERT_WEB_LISTEN serving
the same application next to the bot; both stop cleanly on SIGTERM."""

from __future__ import annotations

import asyncio
import signal
import socket
from pathlib import Path

from aiohttp import ClientSession

from tests.e2e.cli_helpers import NOCERT, environment
from tests.fakebotapi import FakeBotApi


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


async def _get_when_up(url: str, timeout: float = 60) -> tuple[int, str]:
    deadline = asyncio.get_running_loop().time() + timeout
    async with ClientSession() as session:
        while True:
            try:
                async with session.get(url) as response:
                    return response.status, await response.text()
            except OSError:
                if asyncio.get_running_loop().time() > deadline:
                    raise
                await asyncio.sleep(0.3)


async def test_nocert_web_serves_the_public_page_and_stops_on_sigterm(tmp_path: Path) -> None:
    port = free_port()
    process = await asyncio.create_subprocess_exec(
        NOCERT, "web", "--listen", f"127.0.0.1:{port}",
        env=environment(tmp_path), cwd=tmp_path,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    try:
        status, body = await _get_when_up(f"http://127.0.0.1:{port}/guide")
        assert status == 200 and "无证明城市" in body
    finally:
        process.send_signal(signal.SIGTERM)
        _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


async def test_nocert_run_mounts_the_web_console_when_web_listen_is_set(tmp_path: Path) -> None:
    port = free_port()
    async with FakeBotApi() as api:
        env = environment(
            tmp_path,
            NOCERT_TELEGRAM_TOKEN=api.token,
            NOCERT_TELEGRAM_API_URL=api.base_url,
            NOCERT_WEB_LISTEN=f"127.0.0.1:{port}",
        )
        process = await asyncio.create_subprocess_exec(
            NOCERT, "run", "--polling-timeout", "1",
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            status, _ = await _get_when_up(f"http://127.0.0.1:{port}/guide")
            assert status == 200
            api.push_command(1001, "/start", language="en")
            [welcome] = await api.wait_for_messages(1001, 1, timeout=60)
            assert "No-Proof City" in welcome.text
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()
