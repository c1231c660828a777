"""The `nocert` command. Each feature adds its commands from its own module (see `FEATURE_MODULES`).

Start-up matters (`nocert --help` should cost little more than importing typer): the top-level help is
printed from `COMMANDS` without importing a feature module; feature modules import the core's services,
SQLAlchemy and the like inside their commands, never at module level, and this module imports asyncio and
the bootstrap only when a command runs (bench/startup_bench.py, docs/startup.md)."""

from __future__ import annotations

import difflib
import importlib
import logging
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING, Any, TypeVar

import typer
from typer import _click as click  # typer's own click (typer ≥ 0.22 vendors it)
from typer._click.exceptions import UsageError
from typer._click.utils import make_default_short_help
from typer.core import TyperGroup

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application
    from nocert_core.bootstrap_read import ReadContext

T = TypeVar("T")

FEATURE_MODULES = (
    "bot.cli.core",
    "bot.cli.chat",
    "bot.cli.catalogue",
    "bot.cli.oversight",
    "bot.cli.run",
    "bot.cli.verification",
    "bot.cli.imports",
    "bot.cli.web",
)

# Every top-level command and its help, in the order `nocert --help` lists them. The list is printed from
# here, without importing a feature module (and with them the domain modules their options name); the
# modules are imported when a command, or a command's own --help, runs. tests/unit/cli/test_cli_commands.py
# checks this table against the commands the modules define.
COMMANDS: dict[str, str] = {
    "init": (
        "Create or upgrade the database, seed the calendar; --demo also loads the demo data (idempotent)."
    ),
    "chat": "Chat with the bot in the terminal (no Telegram token needed).",
    "ask": "Ask which certificates you no longer need to bring, in plain Chinese.",
    "report": "Per-unit report (R5 Art.12–13): PNG charts and an XLSX workbook.",
    "scorecard": (
        "Per-unit scorecard (R4 Art.11): complaints, on-time rate, satisfaction, rectifications on time."
    ),
    "sweep": "Run every sweep once now: deadline alerts, rectification reminders, hotspots, verifications.",
    "run": "Start the Telegram bot (long polling, or --webhook) with the background jobs.",
    "web": "Serve the web console (staff and task force) and the public guidance page.",
    "calendar": "The working-day calendar (official PRC schedule).",
    "units": "Units: the agencies complaints are routed to.",
    "complaints": "Complaints (R5): list, show, export, screen.",
    "staff": "Staff and supervisor accounts.",
    "catalogue": "The exemption catalogue (用证事项清单) and its adjustments.",
    "lexicon": "The guidance lexicon: colloquial names → official names.",
    "rectify": "Rectification notices (整改通知, R4 Art.8–9).",
    "outbox": "Messages the system sends on its own.",
    "verify": "Department verification requests (协查核验, R2).",
}

# The modules that define (or add subcommands to) each top-level command: running one command imports
# only these (tests/unit/cli/test_cli_commands.py checks that they build the same command as all modules do).
_CORE, _CATALOGUE, _IMPORTS = "bot.cli.core", "bot.cli.catalogue", "bot.cli.imports"
COMMAND_MODULES: dict[str, tuple[str, ...]] = {
    "init": (_CORE,),
    "chat": ("bot.cli.chat",),
    "ask": (_CATALOGUE,),
    "report": ("bot.cli.oversight",),
    "scorecard": ("bot.cli.oversight",),
    "sweep": ("bot.cli.oversight",),
    "run": ("bot.cli.run",),
    "web": ("bot.cli.web",),
    "calendar": (_CORE, _IMPORTS),
    "units": (_CORE, _IMPORTS),
    "complaints": (_CORE,),
    "staff": ("bot.cli.chat", "bot.cli.web"),
    "catalogue": (_CATALOGUE, _IMPORTS),
    "lexicon": (_CATALOGUE, _IMPORTS),
    "rectify": ("bot.cli.oversight",),
    "outbox": ("bot.cli.oversight",),
    "verify": ("bot.cli.verification",),
}

_features = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)
_registered: list[str] = []
_commands: dict[str, click.Command] = {}


def feature_commands(*names: str) -> dict[str, click.Command]:
    """The click commands of the feature modules that define `names` (all modules when none is given),
    by name. Each module registers its commands once per process, on first use."""
    wanted = [module for name in names for module in COMMAND_MODULES.get(name, ())] if names else []
    modules = dict.fromkeys(wanted or FEATURE_MODULES)
    new = [module for module in modules if module not in _registered]
    if new:
        for module_name in new:
            module: Any = importlib.import_module(module_name)
            module.register(_features)
            _registered.append(module_name)
        from bot.cli.startup import translate_help_when_shown

        commands = typer.main.get_group(_features).commands
        for command in commands.values():
            translate_help_when_shown(command, help_translator)
        _commands.clear()
        _commands.update(commands)
    return _commands


def help_locale() -> str | None:
    """NOCERT_LOCALE as the settings read it (the environment, else ./.env), without importing them: help
    must stay cheap. None means the default locale (zh_Hans)."""
    from nocert_core.env import setting

    return setting("locale")


def help_translator() -> Callable[[str], str]:
    """The help texts' translation (locales/*/LC_MESSAGES/cli.po: msgids are the English texts)."""
    from nocert_core.i18n import domain_translator

    return domain_translator("cli", help_locale())


class FeatureGroup(TyperGroup):
    """The top-level group: its commands are built on first use, from the modules `COMMANDS` names."""

    def list_commands(self, ctx: click.Context) -> list[str]:
        return list(COMMANDS)

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        return feature_commands(cmd_name).get(cmd_name)

    def parse_args(self, ctx: click.Context, args: list[str]) -> list[str]:
        from bot.cli.startup import defer_coercion

        defer_coercion()
        return super().parse_args(ctx, args)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        from bot.cli.startup import translate_tree

        translate = help_translator()
        if not self.__dict__.get("translated"):
            translate_tree(self, translate)
            self.__dict__["translated"] = True
        super().format_help(ctx, formatter)

    def format_commands(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        translate = help_translator()
        limit = formatter.width - 6 - max(len(name) for name in COMMANDS)
        rows = [(name, make_default_short_help(translate(text), limit)) for name, text in COMMANDS.items()]
        with formatter.section(translate("Commands")):
            formatter.write_dl(rows)

    def resolve_command(
        self, ctx: click.Context, args: list[str]
    ) -> tuple[str | None, click.Command | None, list[str]]:
        try:
            return super().resolve_command(ctx, args)
        except UsageError as error:
            matches = difflib.get_close_matches(args[0], COMMANDS) if args else []
            if matches:
                error.message = f"{error.message.rstrip('.')}. Did you mean {', '.join(map(repr, matches))}?"
            raise


app = typer.Typer(
    cls=FeatureGroup,
    no_args_is_help=True,
    help="nocert: No-Proof City complaints, guidance and supervision.",
    pretty_exceptions_enable=False,  # a crash prints a plain traceback (and rich's traceback is not imported)
    rich_markup_mode=None,  # plain help text: formatting it with rich costs more than importing typer
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
    from nocert_core.errors import DomainError

    try:
        return run_with_app(work)
    except DomainError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


def run_reading(work: Callable[[ReadContext], Awaitable[T]]) -> T:
    """Read-only work: on an up-to-date SQLite file it reads with the standard library (no SQLAlchemy, no
    migration check beyond one query: `bootstrap_read.open_reader`), otherwise on the full application.
    A DomainError (a complaint not found) ends the command like `run_or_fail`."""
    from nocert_core.bootstrap_read import open_reader
    from nocert_core.errors import DomainError

    try:
        reader = open_reader()
        if reader is None:
            return run_with_app(work)
        try:
            return reader.run(work)
        finally:
            reader.close()
    except DomainError as error:
        typer.echo(str(error), err=True)
        raise typer.Exit(1) from error


@app.callback()
def configure(verbose: bool = typer.Option(False, "--verbose", "-v", help="Log more.")) -> None:
    logging.basicConfig(
        level=logging.INFO if verbose else logging.WARNING, format="%(levelname)s %(name)s: %(message)s"
    )


def main() -> None:
    app()
