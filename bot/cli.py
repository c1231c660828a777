"""The `nocert` command. Each feature adds its commands from its own module (see `FEATURE_MODULES`).

Start-up matters (`nocert --help` should cost little more than importing typer): feature modules import
the core's services, SQLAlchemy and the like inside their commands, never at module level, and this module
imports asyncio and the bootstrap only when a command runs (bench/startup_bench.py, docs/startup.md)."""

from __future__ import annotations

import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from nocert_core.errors import DomainError

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application

T = TypeVar("T")

app = typer.Typer(
    no_args_is_help=True,
    help="nocert: No-Proof City complaints, guidance and supervision.",
    pretty_exceptions_enable=False,  # a crash prints a plain traceback (and rich's traceback is not imported)
    rich_markup_mode=None,  # plain help text: formatting it with rich costs more than importing typer
)

FEATURE_MODULES = (
    "bot.cli_core",
    "bot.cli_chat",
    "bot.cli_catalogue",
    "bot.cli_oversight",
    "bot.cli_run",
    "bot.cli_verification",
    "bot.cli_imports",
    "bot.cli_web",
)


def run_with_app(work: Callable[[Application], Awaitable[T]]) -> T:
    """Open the application (migrated, calendar seeded), run one piece of async work, close."""

    import asyncio

    from nocert_core.bootstrap import open_application

    async def runner() -> T:
        application = await open_application()
        try:
            return await work(application)
        finally:
            await application.close()

    return asyncio.run(runner())


def run_or_fail(work: Callable[[Application], Awaitable[T]]) -> T:
    """`run_with_app`, but a DomainError ends the command: its message on stderr, exit code 1."""
    try:
        return run_with_app(work)
    except DomainError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


@app.callback()
def configure(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more.")) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def _register_features() -> None:
    for module_name in FEATURE_MODULES:
        module: Any = importlib.import_module(module_name)
        module.register(app)


_register_features()


def main() -> None:
    app()


if __name__ == "__main__":
    main()
