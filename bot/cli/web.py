"""`nocert web` (the web console and public guidance page) and `nocert staff web-link USER`."""

from __future__ import annotations

from typing import TYPE_CHECKING

import typer

from nocert_core.domain.actors import CLI_ADMIN

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application


def account_ref(user: str) -> str:
    """`telegram:123`, `console:alice` as given; a bare number is a Telegram user, a name a console user."""
    if ":" in user:
        return user
    return f"telegram:{user}" if user.isdigit() else f"console:{user}"


def register(app: typer.Typer) -> None:
    from bot.cli import run_or_fail
    from bot.cli.chat import staff_app

    @app.command("web")
    def web(
        listen: str = typer.Option("127.0.0.1:8080", "--listen", help="HOST:PORT to serve on."),
    ) -> None:
        """Serve the web console (staff and task force) and the public guidance page. Ctrl+C stops it."""
        from bot.cli.run import _stop_on_signals
        from bot.web.server import start_web

        async def work(application: Application) -> None:
            stop = _stop_on_signals()
            runner = await start_web(application, listen)
            from bot.cli.labels import t

            typer.echo(
                t(
                    "web console on http://{listen} (sign in with /web in the bot). Ctrl+C stops it.",
                    listen=listen,
                )
            )
            try:
                await stop.wait()
            finally:
                await runner.cleanup()

        try:
            run_or_fail(work)
        except KeyboardInterrupt:
            raise typer.Exit(130) from None

    @staff_app.command("web-link")
    def web_link(
        user: str = typer.Argument(..., help="telegram:ID, console:NAME, a Telegram id or a name."),
    ) -> None:
        """A one-time sign-in link to the web console for a staff member or supervisor (valid minutes)."""
        from nocert_core.services.access.web_access import WebLink, issue_web_link

        async def work(application: Application) -> WebLink:
            return await issue_web_link(application.uow(), application.clock, CLI_ADMIN, account_ref(user))

        link = run_or_fail(work)
        typer.echo(f"{link.url}\n(valid {link.minutes} minutes, once)")
