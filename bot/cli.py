"""The `nocert` command. Each feature adds its commands from its own module (see `FEATURE_MODULES`)."""

from __future__ import annotations

import asyncio
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import Any, TypeVar

import typer

from nocert_core.bootstrap import Application, open_application
from nocert_core.errors import DomainError

T = TypeVar("T")

app = typer.Typer(no_args_is_help=True, help="nocert: No-Proof City complaints, guidance and supervision.")

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
