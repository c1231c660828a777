"""Start and stop the HTTP server (used by `nocert web` and by `nocert run` when NOCERT_WEB_LISTEN is set)."""

from __future__ import annotations

from collections.abc import Iterable

from aiohttp import web

from bot.web.app import Mount, create_web_app
from nocert_core.bootstrap import Application


def parse_listen(listen: str) -> tuple[str, int]:
    """ "127.0.0.1:8080", ":8080" (all interfaces) or "[::1]:8080"."""
    host, _, port = listen.rpartition(":")
    if not port.isdigit():
        raise ValueError(f"listen address must be HOST:PORT, not {listen!r}")
    return (host.strip("[]") or "0.0.0.0"), int(port)


async def start_web(application: Application, listen: str, mounts: Iterable[Mount] = ()) -> web.AppRunner:
    host, port = parse_listen(listen)
    # No access log: request paths can carry one-time sign-in tokens and complaint numbers.
    runner = web.AppRunner(create_web_app(application, mounts=mounts), access_log=None)
    await runner.setup()
    await web.TCPSite(runner, host, port).start()
    return runner
