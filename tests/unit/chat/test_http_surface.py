"""The webhook route and the health routes on a bare aiohttp application (no Telegram, no database)."""

from __future__ import annotations

from typing import Any

from aiohttp import web
from aiohttp.test_utils import TestClient, TestServer

from bot.http.metrics import Metrics
from bot.http.surface import SECRET_HEADER, Health, webhook_mount
from bot.web.app import CSRF_EXEMPT_KEY


class StubRuntime:
    def __init__(self, fail: bool = False) -> None:
        self.fed: list[dict[str, Any]] = []
        self.fail = fail

    async def feed(self, update: dict[str, Any]) -> None:
        if self.fail:
            raise RuntimeError("database down")
        self.fed.append(update)


def app_with(runtime: StubRuntime, metrics: Metrics) -> web.Application:
    app = web.Application()
    app[CSRF_EXEMPT_KEY] = []
    webhook_mount(runtime, "/hook", "right-secret", metrics)(app)  # type: ignore[arg-type]
    return app


async def test_the_webhook_refuses_a_missing_or_wrong_secret_and_counts_it() -> None:
    runtime, metrics = StubRuntime(), Metrics()
    async with TestClient(TestServer(app_with(runtime, metrics))) as client:
        missing = await client.post("/hook", json={"update_id": 1})
        wrong = await client.post("/hook", json={"update_id": 2}, headers={SECRET_HEADER: "right-secreT"})
        right = await client.post("/hook", json={"update_id": 3}, headers={SECRET_HEADER: "right-secret"})
    assert (missing.status, wrong.status, right.status) == (401, 401, 200)
    assert runtime.fed == [{"update_id": 3}]
    assert metrics.registry.get_sample_value("nocert_webhook_rejections_total") == 2.0


async def test_an_update_that_cannot_be_stored_is_not_acknowledged() -> None:
    runtime, metrics = StubRuntime(fail=True), Metrics()
    async with TestClient(TestServer(app_with(runtime, metrics))) as client:
        response = await client.post("/hook", json={"update_id": 1}, headers={SECRET_HEADER: "right-secret"})
        not_json = await client.post("/hook", data=b"{", headers={SECRET_HEADER: "right-secret"})
    assert response.status == 500  # Telegram sends it again
    assert not_json.status == 400


async def test_readyz_fails_when_one_check_fails_and_healthz_stays_alive() -> None:
    metrics = Metrics()

    async def ok() -> bool:
        return True

    async def broken() -> bool:
        raise ConnectionError("redis gone")

    health = Health(application=None, metrics=metrics)  # type: ignore[arg-type]
    health.probes = {"database": ok, "redis": broken}
    app = web.Application()
    health.mount(app)
    async with TestClient(TestServer(app)) as client:
        alive = await client.get("/healthz")
        ready = await client.get("/readyz")
        body = await ready.json()
    assert alive.status == 200
    assert ready.status == 503 and body == {"ready": False, "checks": {"database": True, "redis": False}}
