"""`nocert run`: the Telegram bot by long polling or a webhook, on aiogram (default) or python-telegram-bot.

Next to polling it runs the background jobs (bot/jobs/scheduler.py: deadline sweeps, digests, reports, and the
outbox worker that delivers notifications through the same runtime). Ctrl+C or SIGTERM stops it cleanly:
polling stops, updates already fetched are answered, background jobs finish, the database is closed.
"""

from __future__ import annotations

import logging
from datetime import timedelta
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

if TYPE_CHECKING:
    import asyncio
    from collections.abc import Awaitable, Callable

    from bot.telegram.base import TelegramRuntime
    from bot.telegram.redis_storage import RedisStateStorage
    from nocert_core.bootstrap import Application
    from nocert_core.settings import Settings

from nocert_core.i18n import N_

log = logging.getLogger(__name__)

NO_TOKEN = N_(
    "No Telegram bot token: set NOCERT_TELEGRAM_TOKEN (from @BotFather) in the environment or in .env.\n"
    "To try the same conversations without Telegram, run `nocert chat`."
)


WEBHOOK_NEEDS_SECRET = N_(
    "Webhook mode needs NOCERT_WEBHOOK_SECRET (1-256 characters A-Z a-z 0-9 _ -): Telegram sends it back "
    "with every update and other requests are refused."
)


class Framework(StrEnum):
    AIOGRAM = "aiogram"
    PTB = "ptb"


class StartupError(Exception):
    """The bot cannot start; the message says what to fix (an English msgid and its parameters, shown in the
    CLI's language by `explain`)."""

    def __init__(self, msgid: str, **params: object) -> None:
        super().__init__(msgid.format(**params))
        self.msgid = msgid
        self.params = params

    def explain(self) -> str:
        from bot.cli.labels import t

        return t(self.msgid, **self.params)


async def serve(
    settings: Settings,
    framework: str,
    *,
    stop: asyncio.Event | None = None,
    polling_timeout: int = 30,
    announce: bool = True,
    webhook_url: str | None = None,
    listen: str | None = None,
    health_listen: str | None = None,
    started: Callable[[TelegramRuntime], None] | None = None,
    freeze_heap: bool = False,
) -> None:
    """Run the bot until `stop` is set (or SIGINT/SIGTERM when `stop` is not given).

    With `webhook_url` Telegram posts the updates (setWebhook at start) to the route of that URL's path
    on the web console's server (`listen`, else NOCERT_WEB_LISTEN, else 0.0.0.0:8080), next to
    /healthz, /readyz and /metrics. In polling mode those three are served with the web console
    (NOCERT_WEB_LISTEN) and/or alone on `health_listen`. `freeze_heap` (the process of `nocert run`, not
    a test's): once the start-up work is done, the garbage collector leaves what exists then alone
    (`_freeze_heap`)."""
    from urllib.parse import urlsplit

    from aiohttp import web

    from bot.http.metrics import Metrics
    from bot.http.surface import Health, health_app, webhook_mount
    from bot.jobs.loop_watch import LoopWatch
    from bot.jobs.scheduler import start_background_jobs
    from bot.telegram.base import Webhook
    from bot.telegram.runtimes import create_runtime
    from bot.web.app import Mount
    from handlers.dispatch.dispatcher import Dispatcher, StateStorage
    from nocert_core.bootstrap import open_application

    if not settings.telegram_token:
        raise StartupError(NO_TOKEN)
    if webhook_url is not None:
        if not settings.webhook_secret or not settings.webhook_secret.get_secret_value():
            raise StartupError(WEBHOOK_NEEDS_SECRET)
        if urlsplit(webhook_url).scheme not in ("https", "http"):
            raise StartupError(
                N_("--webhook must be an https:// address, not {address}"), address=repr(webhook_url)
            )
    stop = stop or _stop_on_signals()
    metrics = Metrics()
    watch = LoopWatch(metrics)  # from the start on: what blocks the loop while users are being answered
    watch.start()
    try:
        application = await open_application(settings)
    except BaseException:
        await watch.stop()
        raise
    redis_storage = None
    runners: list[web.AppRunner] = []
    closing: list[Callable[[], None]] = []  # after the runtime stopped
    try:
        await _warn_if_the_pool_does_not_fit(application)
        storage: StateStorage | None = None
        if settings.redis_url:
            from bot.telegram.redis_storage import RedisStateStorage

            redis_storage = RedisStateStorage.from_url(
                settings.redis_url, ttl=timedelta(days=settings.draft_retention_days)
            )
            try:
                await redis_storage.ping()
            except Exception as error:
                raise StartupError(
                    N_("Redis at NOCERT_REDIS_URL is not reachable: {error}"), error=error
                ) from error
            storage = redis_storage
        runtime = create_runtime(
            framework,
            application,
            Dispatcher(application, storage=storage),
            token=settings.telegram_token.get_secret_value(),
            api_url=settings.telegram_api_url,
            polling_timeout=polling_timeout,
        )
        runtime.metrics = metrics
        health = Health(application, metrics)
        mounts: list[Mount] = [health.mount]
        web_listen = settings.web_listen
        if webhook_url is not None:
            assert settings.webhook_secret is not None
            secret = settings.webhook_secret.get_secret_value()
            runtime.webhook = Webhook(webhook_url, secret)
            mounts.append(webhook_mount(runtime, urlsplit(webhook_url).path or "/", secret, metrics))
            web_listen = listen or web_listen or "0.0.0.0:8080"
        if webhook_url is not None and redis_storage is not None:  # several instances: a user's turn
            from bot.telegram.turns import Turns
            from bot.telegram.user_lock import LockKeeper, RedisUserLock

            assert settings.redis_url is not None
            lock = RedisUserLock(
                redis_storage.client,
                ttl=settings.user_lock_seconds,
                wait=settings.user_lock_wait_seconds,
                keeper=LockKeeper.from_url(settings.redis_url, settings.user_lock_seconds),
            )
            closing.append(lock.close)
            runtime.turns = Turns(runtime, lock)
        elif webhook_url is not None:
            log.warning("webhook mode without NOCERT_REDIS_URL: run one instance only (no per-user lock)")
        if webhook_url is not None:  # posts may come as soon as the server listens (a balancer's retries)
            await runtime.prepare()
        try:  # the server first: Telegram may post as soon as setWebhook answers
            if web_listen:
                from bot.web.server import start_web

                runners.append(await start_web(application, web_listen, mounts=mounts))
            if health_listen:
                from bot.web.server import parse_listen

                runner = web.AppRunner(health_app(health), access_log=None)
                await runner.setup()
                runners.append(runner)
                await web.TCPSite(runner, *parse_listen(health_listen)).start()
        except OSError as error:
            raise StartupError(N_("Could not listen for HTTP: {error}"), error=error) from error
        try:
            await runtime.start()
        except Exception as error:
            raise StartupError(
                N_(
                    "Could not start the bot at {address}: {error}\n"
                    "Check NOCERT_TELEGRAM_TOKEN and NOCERT_TELEGRAM_API_URL."
                ),
                address=settings.telegram_api_url,
                error=f"{type(error).__name__}: {error}",
            ) from error
        try:
            if runtime.username and runtime.username.lower() != settings.bot_username.lower():
                log.warning(
                    "NOCERT_BOT_USERNAME is %s but the token belongs to @%s: invite links point elsewhere",
                    settings.bot_username,
                    runtime.username,
                )
            elect = settings.elect_scheduler
            jobs = start_background_jobs(
                application, {"telegram": runtime}, elect=webhook_url is not None if elect is None else elect
            )
            if freeze_heap and jobs.warm_up is not None:
                jobs.warm_up.add_done_callback(_freeze_heap)
            if jobs.worker is not None:  # a reply that failed now is retried by the worker without delay
                runtime.outbox_wake = jobs.worker.wake
            health.add_defaults(jobs, _ping(redis_storage) if redis_storage is not None else None)
            if started is not None:  # tests: which runtime this instance runs
                started(runtime)
            if announce:
                storage_name = "Redis" if redis_storage else "the database"
                how = f"webhook {webhook_url}" if webhook_url else "polling"
                typer.echo(
                    f"@{runtime.username} is running on {framework} ({how}; dialog state in {storage_name}). "
                    "Ctrl+C stops it."
                )
            try:
                await stop.wait()
            finally:
                for runner in runners:  # no new webhook updates while the queued ones finish
                    await runner.cleanup()
                runners.clear()
                await jobs.stop()
        finally:
            await runtime.stop()
    finally:
        for runner in runners:
            await runner.cleanup()
        for close in closing:
            close()
        if redis_storage is not None:
            await redis_storage.close()
        await application.close()
        await watch.stop()


def _freeze_heap(_: object) -> None:
    """After the start-up work (the guidance index, jieba's dictionary, the libraries' models) ~280 000
    objects live as long as the process, and each full pass of the garbage collector went over all of
    them: 0.26–0.5 s with the event loop stopped, in one 8-s bench run in three at 100 updates/s — the
    slowest replies (docs/performance.md, session 7). Frozen, they are never scanned again; later passes
    see only what came after. (They are still freed by reference counting; only cycles among them stay.)"""
    import gc

    gc.freeze()


async def _warn_if_the_pool_does_not_fit(application: Application) -> None:
    """Several instances × (pool + overflow) must fit in PostgreSQL's max_connections (issue 11)."""
    from nocert_core.adapters.sql.db import connection_budget_warning

    try:
        warning = await connection_budget_warning(application.engine)
    except Exception as error:  # only advice: the start goes on
        log.info("could not compare the pool with max_connections: %s", type(error).__name__)
        return
    if warning is not None:
        log.warning(warning)


def _ping(redis_storage: RedisStateStorage) -> Callable[[], Awaitable[bool]]:
    async def ping() -> bool:
        await redis_storage.ping()
        return True

    return ping


def _stop_on_signals() -> asyncio.Event:
    import asyncio
    import contextlib
    import signal

    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):  # Windows: Ctrl+C raises KeyboardInterrupt instead
            loop.add_signal_handler(signum, stop.set)
    return stop


def register(app: typer.Typer) -> None:
    @app.command()
    def run(
        framework: Framework = typer.Option(
            Framework.AIOGRAM, "--framework", "-f", help="Which Telegram library carries the conversations."
        ),
        polling_timeout: int = typer.Option(30, help="Long-polling wait in seconds."),
        webhook: str | None = typer.Option(
            None, "--webhook", help="Receive updates at this public https:// URL instead of polling."
        ),
        listen: str | None = typer.Option(
            None, "--listen", help="HOST:PORT of the HTTP server in webhook mode (default 0.0.0.0:8080)."
        ),
        health_listen: str | None = typer.Option(
            None, "--health-listen", help="HOST:PORT for /healthz, /readyz, /metrics alone (polling mode)."
        ),
    ) -> None:
        """Start the Telegram bot (long polling, or --webhook) with the background jobs.
        Needs NOCERT_TELEGRAM_TOKEN (and NOCERT_WEBHOOK_SECRET with --webhook)."""
        from nocert_core.settings import get_settings

        settings = get_settings()
        if not settings.telegram_token:
            from bot.cli.labels import t

            typer.echo(t(NO_TOKEN), err=True)
            raise typer.Exit(2)
        try:
            import asyncio

            asyncio.run(
                serve(
                    settings,
                    framework.value,
                    polling_timeout=polling_timeout,
                    webhook_url=webhook,
                    listen=listen,
                    health_listen=health_listen,
                    freeze_heap=True,
                )
            )
        except StartupError as error:
            typer.echo(error.explain(), err=True)
            raise typer.Exit(1) from error
        except KeyboardInterrupt:  # a second Ctrl+C while stopping
            raise typer.Exit(130) from None


register_run = register  # the name the team brief uses
