"""Three `nocert run --webhook` instances (the real `serve`) behind a loopback round-robin balancer, with
the fake Bot API posting each update to the balancer: complaints are filed through whichever instance
gets each update, and every instance serves /healthz, /readyz and /metrics on the same server."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass, field

import aiohttp
import pytest
from pydantic import SecretStr

from bot.cli.run import serve
from bot.telegram.base import FRAMEWORKS, TelegramRuntime
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Actor, Role
from nocert_core.services.complaints import handling as complaint_service
from nocert_core.settings import Settings
from tests.balancer import RoundRobinBalancer
from tests.e2e.telegram_helpers import TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import FACTS, add_units

SECRET = "s3cret-for-tests_only"
HOOK = "/telegram/webhook"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class AnyInstance:
    """`wait_processed` over every instance: an update counts as handled wherever it was handled."""

    def __init__(self, runtimes: list[TelegramRuntime]) -> None:
        self.runtimes = runtimes

    async def wait_processed(self, update_id: int | str, times: int = 1, timeout: float = 20.0) -> None:
        key = str(update_id)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + timeout
        while sum(runtime.progress.count(key) for runtime in self.runtimes) < times:
            if loop.time() > deadline:
                raise TimeoutError(f"update {update_id} was not handled by any instance")
            await asyncio.sleep(0.02)


@dataclass
class Cluster:
    api: FakeBotApi
    urls: list[str]
    runtimes: list[TelegramRuntime] = field(default_factory=list)

    @property
    def runtime(self) -> AnyInstance:
        return AnyInstance(self.runtimes)


@asynccontextmanager
async def three_instances(
    framework: str, settings: Settings, api: FakeBotApi
) -> AsyncIterator[tuple[Cluster, RoundRobinBalancer]]:
    ports = [free_port() for _ in range(3)]
    urls = [f"http://127.0.0.1:{port}" for port in ports]
    instance_settings = settings.model_copy(
        update={
            "telegram_token": SecretStr(api.token),
            "telegram_api_url": api.base_url,
            "webhook_secret": SecretStr(SECRET),
            "web_secret": "one-secret-for-every-instance",
            "web_listen": None,
        }
    )
    stop = asyncio.Event()
    tasks: list[asyncio.Task[None]] = []
    async with RoundRobinBalancer(urls) as balancer:
        cluster = Cluster(api, urls)
        try:
            for port in ports:  # one after the other, as a rolling start would
                task = asyncio.create_task(
                    serve(
                        instance_settings,
                        framework,
                        stop=stop,
                        polling_timeout=1,
                        announce=False,
                        webhook_url=balancer.base_url + HOOK,
                        listen=f"127.0.0.1:{port}",
                        started=cluster.runtimes.append,
                    )
                )
                tasks.append(task)
                count = len(cluster.runtimes)
                for _ in range(600):
                    if len(cluster.runtimes) > count or task.done():
                        break
                    await asyncio.sleep(0.05)
                if task.done():
                    task.result()  # raise what stopped it
                assert len(cluster.runtimes) == count + 1, "an instance did not start"
            yield cluster, balancer
        finally:
            stop.set()
            await asyncio.gather(*tasks, return_exceptions=True)


async def file_complaint(user: TelegramChat) -> None:
    await user.send("/start")
    await user.press("Complain")
    await user.send("王芳")
    await user.send("13805361234")
    for answer in (
        "奎文区行政审批服务局",
        "Accept my application without the certificate",
        "The certificate is in the exemption catalogue",
        FACTS,
    ):
        await user.send(answer)
    await user.press("For myself")
    assert "Please check your complaint" in user.text
    await user.press("Submit")
    assert "TS-" in user.text and "working days" in user.text


def metric(text: str, name: str) -> float:
    """The sum of every sample of `name` (all label values)."""
    total = 0.0
    for line in text.splitlines():
        if line.startswith(name) and line[len(name)] in " {":
            total += float(line.rsplit(" ", 1)[1])
    return total


@pytest.mark.parametrize("framework", FRAMEWORKS)
async def test_complaints_through_three_webhook_instances_behind_a_balancer(
    framework: str, app: Application, settings: Settings
) -> None:
    await add_units(app)
    async with asyncio.timeout(180):
        await _drive(framework, app, settings)


async def _drive(framework: str, app: Application, settings: Settings) -> None:
    async with FakeBotApi() as api, three_instances(framework, settings, api) as (cluster, balancer):
        assert len(api.webhook_calls) == 3
        for call in api.webhook_calls:
            assert call["url"] == balancer.base_url + HOOK and call["secret_token"] == SECRET
            assert str(call.get("drop_pending_updates", "false")).lower() == "false"
        users = [TelegramChat(cluster, user_id) for user_id in (1001, 1002, 1003)]  # type: ignore[arg-type]
        for user in users:
            await file_complaint(user)
        for user_id in (1001, 1002, 1003):
            mine = await complaint_service.list_complaints(
                app.uow(), Actor(f"telegram:{user_id}", Role.CITIZEN)
            )
            assert len(list(mine)) == 1
        assert sorted(balancer.hits) == sorted(cluster.urls)  # every instance took updates
        assert min(balancer.hits.values()) >= 5
        assert set(api.webhook_statuses) == {200}
        pushed = len(api._by_id)

        async with aiohttp.ClientSession() as http:
            refused = await http.post(cluster.urls[0] + HOOK, json={"update_id": 999999})
            wrong = await http.post(
                cluster.urls[0] + HOOK,
                json={"update_id": 999998},
                headers={"X-Telegram-Bot-Api-Secret-Token": "guess"},
            )
            assert (refused.status, wrong.status) == (401, 401)
            handled = leaders = 0.0
            for index, url in enumerate(cluster.urls):
                alive = await http.get(url + "/healthz")
                assert alive.status == 200 and (await alive.json())["status"] == "alive"
                ready = await http.get(url + "/readyz")
                body = await ready.json()
                assert ready.status == 200, body
                assert body["checks"] == {
                    "database": True,
                    "scheduler": True,
                    "scheduler_lease": True,
                    "outbox_worker": True,
                }
                scraped = await http.get(url + "/metrics")
                assert scraped.status == 200
                text = await scraped.text()
                assert metric(text, "nocert_webhook_rejections_total") == (2.0 if index == 0 else 0.0)
                assert metric(text, "nocert_update_latency_seconds_count") > 0
                assert metric(text, "nocert_sends_total") > 0
                assert metric(text, "nocert_dialog_errors_total") == 0.0
                assert "nocert_outbox_backlog" in text and "nocert_outbox_oldest_pending_age_seconds" in text
                handled += metric(text, "nocert_updates_handled_total")
                leaders += metric(text, "nocert_scheduler_leader")
            assert handled == pushed  # each update handled exactly once, somewhere
            assert leaders == 1.0  # one instance runs the sweeps, digest and reports
