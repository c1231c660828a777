"""`nocert run`: the Telegram bot with long polling, on aiogram (default) or python-telegram-bot.

Next to polling it runs the background jobs (bot/scheduler.py: deadline sweeps, digests, reports, and the
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

    from nocert_core.settings import Settings

log = logging.getLogger(__name__)

NO_TOKEN = (
    "No Telegram bot token: set NOCERT_TELEGRAM_TOKEN (from @BotFather) in the environment or in .env.\n"
    "To try the same conversations without Telegram, run `nocert chat`."
)


class Framework(StrEnum):
    AIOGRAM = "aiogram"
    PTB = "ptb"


class StartupError(Exception):
    """The bot cannot start; the message says what to fix."""


async def serve(
    settings: Settings,
    framework: str,
    *,
    stop: asyncio.Event | None = None,
    polling_timeout: int = 30,
    announce: bool = True,
) -> None:
    """Run the bot until `stop` is set (or SIGINT/SIGTERM when `stop` is not given)."""
    from bot.runtimes import create_runtime
    from bot.scheduler import start_background_jobs
    from handlers.dispatcher import Dispatcher, StateStorage
    from nocert_core.bootstrap import open_application

    if not settings.telegram_token:
        raise StartupError(NO_TOKEN)
    stop = stop or _stop_on_signals()
    application = await open_application(settings)
    redis_storage = None
    try:
        storage: StateStorage | None = None
        if settings.redis_url:
            from bot.redis_storage import RedisStateStorage

            redis_storage = RedisStateStorage.from_url(
                settings.redis_url, ttl=timedelta(days=settings.draft_retention_days)
            )
            try:
                await redis_storage.ping()
            except Exception as error:
                raise StartupError(f"Redis at NOCERT_REDIS_URL is not reachable: {error}") from error
            storage = redis_storage
        runtime = create_runtime(
            framework,
            application,
            Dispatcher(application, storage=storage),
            token=settings.telegram_token.get_secret_value(),
            api_url=settings.telegram_api_url,
            polling_timeout=polling_timeout,
        )
        try:
            await runtime.start()
        except Exception as error:
            raise StartupError(
                f"Could not start the bot at {settings.telegram_api_url}: {type(error).__name__}: {error}\n"
                "Check NOCERT_TELEGRAM_TOKEN and NOCERT_TELEGRAM_API_URL."
            ) from error
        try:
            if runtime.username and runtime.username.lower() != settings.bot_username.lower():
                log.warning(
                    "NOCERT_BOT_USERNAME is %s but the token belongs to @%s: invite links point elsewhere",
                    settings.bot_username,
                    runtime.username,
                )
            jobs = start_background_jobs(application, {"telegram": runtime})
            if jobs.worker is not None:  # a reply that failed now is retried by the worker without delay
                runtime.outbox_wake = jobs.worker.wake
            web_runner = None
            if settings.web_listen:
                from bot.web.server import start_web

                web_runner = await start_web(application, settings.web_listen)
            if announce:
                storage_name = "Redis" if redis_storage else "the database"
                typer.echo(
                    f"@{runtime.username} is running on {framework} (dialog state in {storage_name}). "
                    "Ctrl+C stops it."
                )
            try:
                await stop.wait()
            finally:
                if web_runner is not None:
                    await web_runner.cleanup()
                await jobs.stop()
        finally:
            await runtime.stop()
    finally:
        if redis_storage is not None:
            await redis_storage.close()
        await application.close()


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
    ) -> None:
        """Start the Telegram bot (long polling) with the background jobs. Needs NOCERT_TELEGRAM_TOKEN."""
        from nocert_core.settings import get_settings

        settings = get_settings()
        if not settings.telegram_token:
            typer.echo(NO_TOKEN, err=True)
            raise typer.Exit(2)
        try:
            import asyncio

            asyncio.run(serve(settings, framework.value, polling_timeout=polling_timeout))
        except StartupError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from error
        except KeyboardInterrupt:  # a second Ctrl+C while stopping
            raise typer.Exit(130) from None


register_run = register  # the name the team brief uses
