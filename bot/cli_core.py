"""CLI commands of the foundation: init, calendar, units, complaints."""

from __future__ import annotations

from pathlib import Path

import typer

from nocert_core.bootstrap import Application
from nocert_core.errors import DomainError
from nocert_core.services import calendar as calendar_service

calendar_app = typer.Typer(no_args_is_help=True, help="The working-day calendar (official PRC schedule).")


def register(app: typer.Typer) -> None:
    from bot.cli import run_with_app

    @app.command()
    def init(demo: bool = typer.Option(False, "--demo", help="Also load the demo data set.")) -> None:
        """Create or upgrade the database and seed the calendar."""

        async def work(application: Application) -> None:
            typer.echo(f"database ready: {application.settings.database_url}")

        run_with_app(work)

    @calendar_app.command("import")
    def calendar_import(file: Path) -> None:
        """Import a year's official schedule: CSV `date,kind` with kind holiday|workday."""

        async def work(application: Application) -> dict[int, int]:
            return await calendar_service.import_schedule(application.uow(), application.clock, file)

        try:
            counts = run_with_app(work)
        except DomainError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from error
        for year, count in counts.items():
            typer.echo(f"{year}: {count} exception day(s) imported")

    @calendar_app.command("years")
    def calendar_years() -> None:
        """Which years have official data (others fall back to Monday–Friday, provisionally)."""

        async def work(application: Application) -> dict[int, str]:
            async with application.uow() as uow:
                return dict(await uow.calendar.covered_years())

        for year, source in sorted(run_with_app(work).items()):
            typer.echo(f"{year}\t{source}")

    app.add_typer(calendar_app, name="calendar")
