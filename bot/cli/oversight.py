"""CLI commands of the oversight feature: report, scorecard, rectify, sweep, outbox."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from nocert_core.clock import local_date
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.rectification import (
    DEFAULT_RETURN_WORKING_DAYS,
    RectificationNotice,
    RectificationStatus,
)

if TYPE_CHECKING:
    from bot.cli.labels import Labels
    from nocert_core.bootstrap import Application
    from nocert_core.bootstrap_read import ReadContext
    from nocert_core.services.oversight.reports import Period
    from nocert_core.services.platform.reads import OutboxSummary

rectify_app = typer.Typer(no_args_is_help=True, help="Rectification notices (整改通知, R4 Art.8–9).")
outbox_app = typer.Typer(no_args_is_help=True, help="Messages the system sends on its own.")

PERIOD_HELP = "week or month (the current one so far), or last-week / last-month."


def _covers(name: str, chosen: Period) -> str:
    """Which dates a report covers, in words (the current period runs to today; last-… is a full one)."""
    span = f"{chosen.start.isoformat()} to {chosen.end.isoformat()} (both included)"
    if name.startswith("last-"):
        return f"covers the whole previous {name.removeprefix('last-')}: {span}"
    return f"covers this {name} so far: {span}; for the whole previous {name} use --period last-{name}"


def _period(application: Application, name: str) -> Period:
    from nocert_core.services.oversight.reports import period_for

    today = local_date(application.clock.now(), application.settings.timezone)
    previous = name.startswith("last-")
    try:
        return period_for(name.removeprefix("last-"), today, previous=previous)
    except ValueError as error:
        raise typer.BadParameter(PERIOD_HELP) from error


def _show(notice: RectificationNotice, tz: str) -> str:
    from bot.cli.labels import labels

    label = labels()
    deadline = local_date(notice.deadline_at, tz).isoformat()
    follow = f"  回头看 {local_date(notice.follow_up_at, tz).isoformat()}" if notice.follow_up_at else ""
    status = label(notice.status)
    return f"{notice.number}\t{notice.unit_code}\t{status}\t{deadline}{follow}\t{notice.issue[:40]}"


def _row(notice: RectificationNotice, tz: str, label: Labels) -> tuple[str, ...]:
    follow = local_date(notice.follow_up_at, tz).isoformat() if notice.follow_up_at else ""
    deadline = local_date(notice.deadline_at, tz).isoformat()
    return (notice.number, notice.unit_code, label(notice.status), deadline, follow, notice.issue[:40])


def register(app: typer.Typer) -> None:
    from bot.cli import run_or_fail, run_reading, run_with_app

    @app.command()
    def report(
        period: str = typer.Option("month", "--period", help=PERIOD_HELP),
        unit: str | None = typer.Option(None, "--unit", help="Only this unit (code)."),
        out: Path = typer.Option(Path("reports"), "--out", help="Directory for the charts and workbook."),
    ) -> None:
        """Per-unit report (R5 Art.12–13): PNG charts and an XLSX workbook."""

        async def work(application: Application) -> list[str]:
            from nocert_core.services.oversight.report_export import export_report
            from nocert_core.services.oversight.reports import build_report, percent

            chosen = _period(application, period)
            built = await build_report(application.uow, application.clock, chosen, unit_code=unit)
            files = export_report(built, out, application.settings.locale)
            total = built.total()
            lines = [
                _covers(period, chosen),
                f"period {chosen.label()}: {total.received} received, {total.accepted} accepted, "
                f"{total.rejected_total} rejected, {total.resolved} resolved, "
                f"on time {percent(total.on_time_rate)}, {total.overdue_now} overdue now",
            ]
            for stats in built.units:
                lines.append(
                    f"  {stats.code}\t{stats.name}\treceived {stats.received}\tresolved {stats.resolved}\t"
                    f"on time {percent(stats.on_time_rate)}\toverdue {stats.overdue_now}"
                )
            lines += [f"wrote {path}" for path in files.all()]
            return lines

        typer.echo("\n".join(run_with_app(work)))

    @app.command()
    def scorecard(
        period: str = typer.Option("month", "--period", help=PERIOD_HELP),
        out: Path = typer.Option(..., "--out", help="The XLSX file to write."),
    ) -> None:
        """Per-unit scorecard (R4 Art.11): complaints, on-time rate, satisfaction, rectifications on time."""

        async def work(application: Application) -> list[str]:
            from nocert_core.services.oversight.report_export import export_scorecard
            from nocert_core.services.oversight.reports import percent
            from nocert_core.services.oversight.scorecard import build_scorecard

            chosen = _period(application, period)
            rows = await build_scorecard(application.uow, application.clock, chosen)
            export_scorecard(rows, out, chosen.label(), application.settings.locale)
            lines = [
                f"{row.code}\t{row.name}\tscore {'—' if row.score is None else row.score}\t"
                f"complaints {row.complaints}\ton time {percent(row.on_time_rate)}\t"
                f"rating {'—' if row.average_rating is None else f'{row.average_rating:.1f}'}\t"
                f"rectifications on time {row.rectifications_on_time}/{row.rectifications_due}"
                for row in rows
            ]
            return [*lines, f"wrote {out}"]

        typer.echo("\n".join(run_with_app(work)))

    @app.command()
    def sweep() -> None:
        """Run every sweep once now: deadline alerts, rectification reminders, hotspots, verifications."""

        async def work(application: Application) -> str:
            from nocert_core.services.oversight.sweeps import run_sweeps
            from nocert_core.services.verification.requests import sweep_overdue

            result = await run_sweeps(application.uow, application.clock)
            overdue_verifications = await sweep_overdue(application.uow, application.clock)
            marked = {**result.marked, "verification_overdue": overdue_verifications}
            stages = ", ".join(f"{stage} {count}" for stage, count in sorted(marked.items()) if count)
            return f"{result.messages} message(s) queued" + (f" ({stages})" if stages else "")

        typer.echo(run_with_app(work))

    @outbox_app.command("status")
    def outbox_status() -> None:
        """Pending, sent and undeliverable messages; who cannot be reached."""

        async def work(application: ReadContext) -> OutboxSummary:
            from nocert_core.services.platform.reads import outbox_summary

            return await outbox_summary(application.uow(), application.clock.now())

        summary = run_reading(work)
        oldest = summary.oldest_pending_at.isoformat(timespec="seconds") if summary.oldest_pending_at else "—"
        from bot.cli.labels import labels

        label = labels()
        t = label.text
        typer.echo(
            t(
                "pending {pending} (due now {due_now}, oldest {oldest})\n"
                "sent {sent}\nundeliverable {undeliverable}",
                pending=summary.pending,
                due_now=summary.due_now,
                oldest=oldest,
                sent=summary.sent,
                undeliverable=summary.undeliverable,
            )
        )
        typer.echo(t("unreachable recipients: {count}", count=len(summary.unreachable)))
        for account in summary.unreachable:
            typer.echo(
                f"  {account.display_name}\t{label(account.role)}\t{account.unit_code or ''}\t"
                f"{account.unreachable_reason or ''}"
            )
        for recipient, kind, error in summary.recent_failures:
            typer.echo(
                "  " + t("failed: {recipient}\t{kind}\t{error}", recipient=recipient, kind=kind, error=error)
            )

    @outbox_app.command("deliver")
    def outbox_deliver(
        framework: str = typer.Option(
            "aiogram", "--framework", "-f", help="Which Telegram library sends (aiogram or ptb)."
        ),
    ) -> None:
        """Deliver what is due now over the Bot API (needs NOCERT_TELEGRAM_TOKEN), then exit.

        Sends exactly as `nocert run` does: through the chosen runtime's own sender (message splitting,
        captions, rate limits and "chat gone" handling are the runtime's), without polling for updates."""
        from bot.jobs.outbox_worker import OutboxWorker
        from bot.telegram.runtimes import create_runtime
        from handlers.dispatch.dispatcher import Dispatcher

        async def work(application: Application) -> int:
            token = application.settings.telegram_token
            if not token:
                typer.echo(
                    "NOCERT_TELEGRAM_TOKEN is not set: nothing can be delivered to Telegram.", err=True
                )
                raise typer.Exit(1)
            runtime = create_runtime(
                framework,
                application,
                Dispatcher(application),  # never used: the runtime does not poll here
                token=token.get_secret_value(),
                api_url=application.settings.telegram_api_url,
            )
            await runtime.open_for_sending()
            try:
                return await OutboxWorker(application, {"telegram": runtime}).run_until_idle()
            finally:
                await runtime.close()

        attempted = run_with_app(work)
        from bot.cli.labels import ngettext

        typer.echo(
            ngettext("{count} message attempted", "{count} messages attempted", attempted, count=attempted)
        )

    def echo_notice(change: Callable[[Application], Awaitable[RectificationNotice]]) -> None:
        """Run one notice use case and print the notice; a DomainError ends the command (exit 1)."""

        async def work(application: Application) -> str:
            return _show(await change(application), application.settings.timezone)

        typer.echo(run_or_fail(work))

    @rectify_app.command("issue")
    def rectify_issue(
        unit: str = typer.Option(..., "--unit", help="Unit code."),
        issue: str = typer.Option(..., "--issue", help="What is wrong."),
        requirement: str = typer.Option(..., "--requirement", help="What the unit must do."),
        days: int = typer.Option(10, "--days", help="Deadline in working days."),
        complaint: list[str] = typer.Option([], "--complaint", help="A complaint behind it (repeatable)."),
    ) -> None:
        """Issue a rectification notice to a unit; its staff are notified."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(
            lambda a: rect.issue_notice(
                a.uow(), a.clock, CLI_ADMIN, unit, issue, requirement, days, complaint
            )
        )

    @rectify_app.command("list")
    def rectify_list(
        unit: str | None = typer.Option(None, "--unit"),
        status: list[RectificationStatus] = typer.Option([], "--status"),
    ) -> None:
        """List notices: number, unit, state, deadline, issue."""

        async def work(application: ReadContext) -> list[tuple[str, ...]]:
            from bot.cli.labels import labels
            from nocert_core.services.platform.reads import list_notices

            notices = await list_notices(application.uow(), CLI_ADMIN, status or None, unit)
            label = labels()
            return [_row(notice, application.settings.timezone, label) for notice in notices]

        rows = run_reading(work)
        from bot.cli.labels import t

        if not rows:
            typer.echo(t("no rectification notices"))
            return
        from bot.cli.tables import print_table

        print_table(
            (
                t("column: number"),
                t("column: unit"),
                t("column: status"),
                t("column: deadline"),
                t("column: review"),
                t("column: issue"),
            ),
            rows,
        )

    @rectify_app.command("report")
    def rectify_report(number: str, text: str = typer.Option(..., "--text")) -> None:
        """Enter a unit's rectification report received on paper (administrators)."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(lambda a: rect.report_rectification(a.uow(), a.clock, CLI_ADMIN, number, text))

    @rectify_app.command("accept")
    def rectify_accept(number: str, note: str = typer.Option("", "--note")) -> None:
        """Accept the unit's rectification; the follow-up check (回头看) is scheduled."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(lambda a: rect.accept_rectification(a.uow(), a.clock, CLI_ADMIN, number, note))

    @rectify_app.command("return")
    def rectify_return(
        number: str,
        reason: str = typer.Option(..., "--reason"),
        days: int = typer.Option(DEFAULT_RETURN_WORKING_DAYS, "--days", help="New deadline in working days."),
    ) -> None:
        """Send the rectification back with a reason and a new deadline."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(lambda a: rect.return_rectification(a.uow(), a.clock, CLI_ADMIN, number, reason, days))

    @rectify_app.command("confirm")
    def rectify_confirm(number: str, note: str = typer.Option("", "--note")) -> None:
        """Record the follow-up check (回头看): the fix holds, the notice is closed."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(lambda a: rect.confirm_follow_up(a.uow(), a.clock, CLI_ADMIN, number, note))

    @rectify_app.command("reopen")
    def rectify_reopen(
        number: str,
        reason: str = typer.Option(..., "--reason", help="What the follow-up check found."),
        days: int = typer.Option(DEFAULT_RETURN_WORKING_DAYS, "--days", help="New deadline in working days."),
    ) -> None:
        """Record a failed follow-up check (回头看): the unit must rectify again by a new deadline."""
        from nocert_core.services.oversight import rectification as rect

        echo_notice(lambda a: rect.reopen_rectification(a.uow(), a.clock, CLI_ADMIN, number, reason, days))

    app.add_typer(rectify_app, name="rectify")
    app.add_typer(outbox_app, name="outbox")
