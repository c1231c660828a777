"""CLI commands of the chat feature: `nocert chat` (the console channel) and `nocert staff invite`."""

from __future__ import annotations

import sys
from enum import StrEnum
from typing import TYPE_CHECKING

import typer

from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import CLI_ADMIN, Role
from nocert_core.domain.complaint_lifecycle import OPEN_STATES
from nocert_core.errors import DomainError
from nocert_core.i18n import N_, translator

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


async def _ask_unit(application: Application, lang: str | None) -> str:
    """`--as staff` without `--unit`: which unit? A numbered list to choose from at a terminal; piped input
    cannot answer, so the list is printed and the command stops (nothing is picked silently)."""
    t = translator(lang or application.settings.locale)
    async with application.uow() as uow:
        open_units = {
            c.unit_code for c in await uow.complaints.list(statuses=list(OPEN_STATES)) if c.unit_code
        }
        units = sorted(await uow.units.list(), key=lambda unit: (unit.code not in open_units, unit.code))
    if not units:
        raise DomainError(N_("There is no unit yet: import units first."))
    typer.echo(t(N_("Which unit do you work for?")))
    for number, unit in enumerate(units[:30], start=1):
        busy = f" · {t(N_('has open complaints'))}" if unit.code in open_units else ""
        typer.echo(f"[{number}] {unit.name} ({unit.code}){busy}")
    if not sys.stdin.isatty():
        typer.echo(t(N_("Start again with --unit CODE.")), err=True)
        raise typer.Exit(2)
    while True:
        answer = input("> ").strip()
        if answer.isdigit() and 1 <= int(answer) <= min(len(units), 30):
            return units[int(answer) - 1].code
        found = [unit.code for unit in units if answer.upper() == unit.code.upper()]
        if found:
            return found[0]
        typer.echo(t(N_("Type the number in front of the unit, or its code.")))


async def _console_account(
    application: Application, role: ConsoleRole, user: str | None, unit: str | None, lang: str | None
) -> Account:
    from nocert_core.services.access import accounts

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
        unit = unit or await _ask_unit(application, lang)
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
            None, "--unit", help="Unit code for --as staff (without it you are asked which unit)."
        ),
        lang: str = typer.Option(None, "--lang", help="zh_Hans or en (default: the account's language)."),
    ) -> None:
        """Chat with the bot in the terminal (no Telegram token needed). Buttons: type their number."""
        from bot.console import BANNER, ROLE_NAMES, ConsoleSession

        echo = not sys.stdin.isatty()

        async def work(application: Application) -> None:
            for summary in await _ensure_demo(application):
                typer.echo(f"demo data: {summary}")
            account = await _console_account(application, as_, user, unit, lang)
            where = f" · {account.unit_code}" if account.unit_code else ""
            t = translator(account.locale)
            typer.echo(t(BANNER, account=account.ref, role=t(ROLE_NAMES[account.role]), unit=where))
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
        from nocert_core.services.access.invites import create_invite

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
        from bot.cli.labels import t

        typer.echo(t("code: {code}", code=issued.code))  # type: ignore[attr-defined]
        typer.echo(t("link: {link}", link=issued.link))  # type: ignore[attr-defined]
        valid_until = f"{issued.expires_at:%Y-%m-%d %H:%M}"  # type: ignore[attr-defined]
        typer.echo(t("valid until: {moment} UTC; works once", moment=valid_until))

    app.add_typer(staff_app, name="staff")
