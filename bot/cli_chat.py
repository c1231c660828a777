"""CLI commands of the chat feature: `nocert chat` (the console channel) and `nocert staff invite`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.domain.complaints import OPEN_STATES
from nocert_core.errors import DomainError

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application

staff_app = typer.Typer(no_args_is_help=True, help="Staff and supervisor accounts.")


class ConsoleRole(StrEnum):
    citizen = "citizen"
    staff = "staff"
    supervisor = "supervisor"


class InviteRole(StrEnum):
    staff = "staff"
    supervisor = "supervisor"


async def _ensure_demo(application: Application) -> list[str]:
    from nocert_core.bootstrap import load_demo

    async with application.uow() as uow:
        empty = not await uow.units.list()
    return await load_demo(application) if empty else []


async def _default_unit(application: Application) -> str | None:
    """The unit of the newest open routed complaint (what was just filed), else the first unit."""
    async with application.uow() as uow:
        open_routed = [c for c in await uow.complaints.list(statuses=list(OPEN_STATES)) if c.unit_code]
        if open_routed:
            return str(open_routed[-1].unit_code)
        units = await uow.units.list()
        return units[0].code if units else None


async def _console_account(
    application: Application, role: ConsoleRole, user: str | None, unit: str | None, lang: str | None
) -> Account:
    from nocert_core.services import accounts

    if role == ConsoleRole.citizen:
        name = user or "citizen"
        account = await accounts.ensure_account(
            application.uow(),
            application.clock,
            ref=f"console:{name}",
            channel="console",
            chat_id=name,
            display_name=name,
            language=lang,
        )
        if lang:
            account = await accounts.set_locale(
                application.uow(), account.ref, "en" if lang.startswith("en") else "zh_Hans"
            )
        return account
    if role == ConsoleRole.staff:
        unit = unit or await _default_unit(application)
        if unit is None:
            raise DomainError("There is no unit yet: import units first.")
        name = user or f"staff-{unit}"
        return await accounts.bind_console_account(
            application.uow(),
            application.clock,
            CLI_ADMIN,
            user=name,
            role=Role.STAFF,
            unit_code=unit,
            locale=lang,
        )
    return await accounts.bind_console_account(
        application.uow(),
        application.clock,
        CLI_ADMIN,
        user=user or "supervisor",
        role=Role.SUPERVISOR,
        unit_code=unit,
        locale=lang,
    )


def register(app: typer.Typer) -> None:
    """Add this feature's commands to `app`."""
    from bot.cli import run_with_app

    @app.command()
    def chat(
        as_: ConsoleRole = typer.Option(ConsoleRole.citizen, "--as", help="Whom to chat as."),
        user: str = typer.Option(
            None, "--user", help="Console user name (default: citizen / staff-UNIT / supervisor)."
        ),
        unit: str = typer.Option(
            None, "--unit", help="Unit code for --as staff (default: the newest case's unit)."
        ),
        lang: str = typer.Option(None, "--lang", help="zh_Hans or en (default: the account's language)."),
    ) -> None:
        """Chat with the bot in the terminal (no Telegram token needed). Buttons: type their number."""
        from bot.console import ConsoleSession

        echo = not sys.stdin.isatty()

        async def work(application: Application) -> None:
            for summary in await _ensure_demo(application):
                typer.echo(f"demo data: {summary}")
            account = await _console_account(application, as_, user, unit, lang)
            where = f" · {account.unit_code}" if account.unit_code else ""
            typer.echo(
                f"nocert console — {account.ref} ({account.role.value}{where}). "
                "Type a button's number to press it ('text to send a number as text), /quit to leave."
            )
            session = ConsoleSession(application, account)
            if not echo:
                await session.handle_line("/start")
            await session.run(sys.stdin, echo=echo)

        try:
            run_with_app(work)
        except DomainError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from error

    @staff_app.command("invite")
    def invite(
        unit: str = typer.Option(None, "--unit", help="The unit code (required for staff)."),
        role: InviteRole = typer.Option(InviteRole.staff, "--role"),
        name: str = typer.Option(None, "--name", help="The person's name, shown to colleagues."),
    ) -> None:
        """Make a one-time invite: prints a code and a t.me deep link; `/start CODE` binds the account."""
        from nocert_core.services.invites import create_invite

        async def work(application: Application) -> object:
            return await create_invite(
                application.uow(),
                application.clock,
                CLI_ADMIN,
                unit_code=unit,
                role=Role(role.value),
                display_name=name,
            )

        try:
            issued = run_with_app(work)
        except DomainError as error:
            typer.echo(str(error), err=True)
            raise typer.Exit(1) from error
        typer.echo(f"code: {issued.code}")  # type: ignore[attr-defined]
        typer.echo(f"link: {issued.link}")  # type: ignore[attr-defined]
        typer.echo(f"valid until: {issued.expires_at:%Y-%m-%d %H:%M} UTC; works once")  # type: ignore[attr-defined]

    app.add_typer(staff_app, name="staff")
