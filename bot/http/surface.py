"""The bot's own HTTP routes, mounted on the web console's aiohttp application (one server): the
Telegram webhook, `/healthz`, `/readyz` and `/metrics`. In polling mode the health routes can also run
alone on a side port (`health_app`).

The webhook answers 200 only after the update is in the inbox (`TelegramRuntime.feed` → `accept`), so a
crash after the 200 loses nothing; a wrong or missing secret is answered 401 and counted; a failure to
store the update is a 500, which makes Telegram send it again.
"""

from __future__ import annotations

import asyncio
import hmac
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from aiohttp import web
from sqlalchemy import text

from bot.http.metrics import Metrics
from nocert_core.services.messaging import outbox_status

if TYPE_CHECKING:
    from bot.jobs.scheduler import BackgroundJobs
    from bot.telegram.base import TelegramRuntime
    from bot.web.app import Mount
    from nocert_core.bootstrap import Application

log = logging.getLogger(__name__)

SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token"
Probe = Callable[[], Awaitable[bool]]


def webhook_mount(runtime: TelegramRuntime, path: str, secret: str, metrics: Metrics) -> Mount:
    async def receive(request: web.Request) -> web.Response:
        given = request.headers.get(SECRET_HEADER, "")
        if not hmac.compare_digest(given.encode(), secret.encode()):
            metrics.webhook_rejections.inc()
            return web.Response(status=401, text="unauthorized")
        try:
            update = await request.json()
        except ValueError:
            return web.Response(status=400, text="not JSON")
        if not isinstance(update, dict):
            return web.Response(status=400, text="not an update")
        await runtime.feed(update)  # in the inbox when this returns; an error here is a 500 (resent)
        return web.Response(text="ok")

    def mount(app: web.Application) -> None:
        from bot.web.app import csrf_exempt

        app.router.add_post(path, receive)
        csrf_exempt(app, path)

    return mount


@dataclass
class Health:
    """What /readyz checks. Probes answer True when ready; a probe that raises or hangs counts as not."""

    application: Application
    metrics: Metrics
    probes: dict[str, Probe] = field(default_factory=dict)
    timeout: float = 3.0

    def add_defaults(self, jobs: BackgroundJobs | None, redis_ping: Probe | None = None) -> None:
        self.probes["database"] = self._database
        if redis_ping is not None:
            self.probes["redis"] = redis_ping
        if jobs is not None:
            self.probes["scheduler"] = _async(lambda: jobs.scheduler is not None and jobs.scheduler.running)
            leadership = jobs.leadership
            if leadership is not None:  # the lease can be asked for (held here or elsewhere)
                self.probes["scheduler_lease"] = _async(lambda: leadership.healthy)
                self.metrics.leader = leadership
            self.probes["outbox_worker"] = _async(
                lambda: (
                    jobs.worker is not None
                    and any(task.get_name() == "nocert-outbox" and not task.done() for task in jobs.tasks)
                )
            )

    async def _database(self) -> bool:
        async with self.application.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))
        return True

    async def ready(self) -> dict[str, bool]:
        results: dict[str, bool] = {}
        for name, probe in self.probes.items():
            try:
                results[name] = bool(await asyncio.wait_for(probe(), self.timeout))
            except Exception as error:
                log.warning("readiness check %s failed: %s", name, type(error).__name__)
                results[name] = False
        return results

    def mount(self, app: web.Application) -> None:
        app.router.add_get("/healthz", self._healthz)
        app.router.add_get("/readyz", self._readyz)
        app.router.add_get("/metrics", self._metrics)

    async def _healthz(self, request: web.Request) -> web.Response:
        return web.json_response({"status": "alive"})

    async def _readyz(self, request: web.Request) -> web.Response:
        checks = await self.ready()
        ok = all(checks.values())
        return web.json_response({"ready": ok, "checks": checks}, status=200 if ok else 503)

    async def _metrics(self, request: web.Request) -> web.Response:
        from prometheus_client import CONTENT_TYPE_LATEST, generate_latest

        try:
            self.metrics.backlog = await outbox_status.backlog(self.application.uow)
            self.metrics.clock = self.application.clock
        except Exception as error:  # the counters are still worth serving
            log.warning("could not read the outbox backlog: %s", type(error).__name__)
            self.metrics.backlog = None
        body = generate_latest(self.metrics.registry)
        return web.Response(body=body, headers={"Content-Type": CONTENT_TYPE_LATEST})


def health_app(health: Health) -> web.Application:
    """The health routes alone (polling mode's side port)."""
    app = web.Application()
    health.mount(app)
    return app


def _async(check: Callable[[], bool]) -> Probe:
    async def probe() -> bool:
        return check()

    return probe
