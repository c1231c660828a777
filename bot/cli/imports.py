"""The four import commands (units, catalogue, calendar, lexicon), sharing one reader, one safety rule and one
way of talking to the operator: in the configured language (Chinese by default), a progress bar for a big
file instead of a line per row, a diff with `--dry-run`, and a refusal — nothing written — when the file
would remove or replace more than a small share of what exists without `--replace` / `--replace-year`."""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from datetime import date
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any, TypeVar

import typer

from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.labels import error_text
from nocert_core.errors import DomainError, ImportFailed, ImportNeedsConfirmation, Problem
from nocert_core.i18n import N_, Translator, translator

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application
    from nocert_core.services.catalogue import guidance as guidance_service
    from nocert_core.services.catalogue import imports as catalogue_service
    from nocert_core.services.platform import calendar as calendar_service
    from nocert_core.services.units import tree as unit_service

T = TypeVar("T")
BIG = 1000  # rows: from here on a progress bar is drawn (on a terminal)
SHOWN = 20  # diff lines per kind printed by a real import; --dry-run prints them all
STAGES = {
    "read": N_("Reading the file"),
    "write": N_("Writing"),
    "deadlines": N_("Checking running deadlines"),
}

REPLACE = typer.Option(
    False, "--replace", help="Allow removing or replacing more than a small share of what exists."
)
DRY_RUN = typer.Option(False, "--dry-run", help="Only show what would change; write nothing.")


def _t() -> Translator:
    from nocert_core.settings import get_settings

    return translator(get_settings().locale)


class ProgressBar:
    """A rich progress bar on stderr for big files; silent for small files and when stderr is no terminal."""

    def __init__(self, t: Translator) -> None:
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        self.t = t
        console = Console(stderr=True)
        self.progress = Progress(
            TextColumn("{task.description}"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeRemainingColumn(),
            console=console,
            transient=True,
            disable=not console.is_terminal,
        )
        self.task: Any = None

    def __enter__(self) -> ProgressBar:
        self.progress.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None
    ) -> None:
        self.progress.stop()

    def stage(self, label: str, total: int | None) -> None:
        if self.task is not None:
            self.progress.remove_task(self.task)
            self.task = None
        if total is not None and total >= BIG:
            self.task = self.progress.add_task(self.t(STAGES.get(label, label)), total=total)

    def advance(self, count: int = 1) -> None:
        if self.task is not None:
            self.progress.advance(self.task, count)


def _translated(params: dict[str, Any], t: Translator) -> dict[str, Any]:
    """`what` and `field` parameters are msgids themselves (N_("units"), N_("Phone"))."""
    return {key: t(value) if key in ("what", "field") else value for key, value in params.items()}


def failure_text(error: DomainError, t: Translator) -> str:
    """A refused import in the operator's language: the headline, then each problem with its line."""
    if "what" in error.params:  # ImportNeedsConfirmation names the items by a msgid
        lines = [t(error.msgid, **_translated(error.params, t))]
    else:
        lines = [error_text(error, t)]
    for line, message in getattr(error, "problems", []):
        text = t(message.msgid, **_translated(message.params, t)) if isinstance(message, Problem) else message
        lines.append(t(N_("line {line}: {problem}"), line=line, problem=text) if line > 0 else text)
    return "\n".join(lines)


def run_import(work: Callable[[Application, ProgressBar], Awaitable[T]]) -> T:
    from bot.cli import run_with_app

    t = _t()
    try:
        with ProgressBar(t) as bar:
            return run_with_app(lambda application: work(application, bar))
    except (ImportFailed, ImportNeedsConfirmation, DomainError) as error:
        typer.echo(failure_text(error, t), err=True)
        raise typer.Exit(1) from error


def _some(lines: Sequence[str], dry_run: bool, t: Translator) -> None:
    shown = lines if dry_run else lines[:SHOWN]
    for line in shown:
        typer.echo(line)
    if len(lines) > len(shown):
        typer.echo(t(N_("  … and {count} more (--dry-run lists them all)"), count=len(lines) - len(shown)))


def _outcome(dry_run: bool, needs_flag: bool, flag: str, t: Translator) -> None:
    if dry_run:
        typer.echo(t(N_("Dry run: nothing was written.")))
    if needs_flag:
        typer.echo(
            t(
                N_(
                    "Without {flag} this import is refused: it removes or replaces more than a small share "
                    "of what exists."
                ),
                flag=flag,
            )
        )


def register(app: typer.Typer) -> None:
    from bot.cli.catalogue import catalogue_app, lexicon_app
    from bot.cli.core import calendar_app, units_app

    @units_app.command("import")
    def units_import(file: Path, replace: bool = REPLACE, dry_run: bool = DRY_RUN) -> None:
        """Import units from CSV/TXT/XLSX: 单位编码,单位名称,上级单位编码,别名 (aliases ';'-separated)."""
        t = _t()

        async def work(application: Application, bar: ProgressBar) -> unit_service.UnitImportReport:
            from nocert_core.services.units import tree as unit_service

            return await unit_service.import_units(
                application.uow(), file, replace=replace, dry_run=dry_run, progress=bar
            )

        report = run_import(work)
        lines = [f"+ {code}" for code in report.created]
        for code, changes in report.changes.items():
            lines.append(f"~ {code}")
            lines += [f"    {name}: {before} → {after}" for name, before, after in changes]
        _some(lines, dry_run, t)
        typer.echo(
            t(
                N_("{total} unit(s): {created} created, {updated} updated, {unchanged} unchanged"),
                total=report.total,
                created=len(report.created),
                updated=len(report.updated),
                unchanged=len(report.unchanged),
            )
        )
        _outcome(dry_run, report.needs_flag, "--replace", t)

    @catalogue_app.command("import")
    def catalogue_import(
        file: Path,
        event_date: str | None = typer.Option(
            None, "--event-date", help="The triggering event (default today)."
        ),
        basis: str = typer.Option("", "--basis", help="The basis of this update (law, decision)."),
        replace: bool = REPLACE,
        dry_run: bool = DRY_RUN,
    ) -> None:
        """Import a list (CSV/TXT/XLSX) as the current catalogue; prints what is added, changed, removed."""
        t = _t()
        try:
            day = date.fromisoformat(event_date) if event_date else None
        except ValueError as error:
            raise typer.BadParameter(
                f"not a date (YYYY-MM-DD): {event_date}", param_hint="--event-date"
            ) from error

        async def work(application: Application, bar: ProgressBar) -> catalogue_service.ImportReport:
            from nocert_core.services.catalogue import imports as catalogue_service

            return await catalogue_service.import_catalogue(
                application.uow(),
                application.clock,
                CLI_ADMIN,
                file,
                event_date=day,
                basis=basis,
                dry_run=dry_run,
                replace=replace,
                progress=bar,
            )

        report = run_import(work)
        lines = [f"+ {e.service_code} {e.service} | {e.certificate} | {e.mode.value}" for e in report.added]
        for old, new, fields in report.changed:
            lines.append(f"~ {new.service_code} {new.service} | {new.certificate}")
            for name, before, after in zip(
                ("service_code", "service", "unit", "certificate", "mode", "basis", "notes"),
                old.content(),
                new.content(),
                strict=True,
            ):
                if name in fields:
                    lines.append(f"    {name}: {before} → {after}")
        lines += [f"- {e.service_code} {e.service} | {e.certificate}" for e in report.removed]
        _some(lines, dry_run, t)
        unknown = report.unknown_units if dry_run else report.unknown_units[:SHOWN]
        for line, unit in unknown:
            warning = N_("warning: line {line}: unit {unit} is not in the unit register")
            typer.echo(t(warning, line=line, unit=unit), err=True)
        if len(report.unknown_units) > len(unknown):
            more = N_("warning: {count} more rows name a unit not in the unit register")
            typer.echo(t(more, count=len(report.unknown_units) - len(unknown)), err=True)
        typer.echo(
            t(
                N_("{added} added, {changed} changed, {removed} removed, {unchanged} unchanged"),
                added=len(report.added),
                changed=len(report.changed),
                removed=len(report.removed),
                unchanged=report.unchanged,
            )
            + (t(N_("; filed late")) if report.late else "")
        )
        _outcome(dry_run, report.needs_flag, "--replace", t)

    @calendar_app.command("import")
    def calendar_import(
        file: Path,
        replace_year: bool = typer.Option(
            False, "--replace-year", help="The file is the whole schedule of each year it names (not merged)."
        ),
        dry_run: bool = DRY_RUN,
    ) -> None:
        """Merge a year's official schedule (CSV `date,kind`, kind holiday|workday|休|班) into the calendar;
        running deadlines are recomputed and the people told of a moved date are notified."""
        t = _t()

        async def work(application: Application, bar: ProgressBar) -> calendar_service.CalendarImportReport:
            from nocert_core.services.platform import calendar as calendar_service

            return await calendar_service.import_schedule(
                application.uow(),
                application.clock,
                file,
                replace_year=replace_year,
                dry_run=dry_run,
                progress=bar,
            )

        report = run_import(work)
        from bot.cli.labels import labels

        label = labels()
        lines: list[str] = []
        for change in report.years:
            lines += [f"+ {day} {label(kind)}" for day, kind in change.added]
            lines += [f"~ {day} {label(before)} → {label(after)}" for day, before, after in change.changed]
            lines += [f"- {day} {label(kind)}" for day, kind in change.removed]
        _some(lines, dry_run, t)
        for change in report.years:
            typer.echo(
                t(
                    N_(
                        "{year}: {days} exception day(s) "
                        "({added} added, {changed} changed, {removed} removed)"
                    ),
                    year=change.year,
                    days=len(change.days),
                    added=len(change.added),
                    changed=len(change.changed),
                    removed=len(change.removed),
                )
            )
        if report.deadlines:
            typer.echo(t(N_("{count} running deadline(s) recomputed:"), count=len(report.deadlines)))
            _some([f"  {d.number}: {d.before}" for d in report.deadlines], dry_run, t)
        _outcome(dry_run, report.needs_flag, "--replace-year", t)

    @lexicon_app.command("import")
    def lexicon_import(file: Path, replace: bool = REPLACE, dry_run: bool = DRY_RUN) -> None:
        """Add terms from a CSV/TXT/XLSX `kind,colloquial,official`; all or nothing."""
        t = _t()

        async def work(application: Application, bar: ProgressBar) -> guidance_service.LexiconImportReport:
            from nocert_core.services.catalogue import guidance as guidance_service

            return await guidance_service.import_lexicon(
                application.uow(), CLI_ADMIN, file, replace=replace, dry_run=dry_run, progress=bar
            )

        report = run_import(work)
        lines = [f"+ {e.kind} {e.colloquial} → {e.official}" for e in report.added]
        lines += [f"~ {e.kind} {e.colloquial}: {before} → {e.official}" for e, before in report.replaced]
        _some(lines, dry_run, t)
        typer.echo(
            t(
                N_("{added} term(s) added, {replaced} replaced, {unchanged} unchanged"),
                added=len(report.added),
                replaced=len(report.replaced),
                unchanged=report.unchanged,
            )
        )
        _outcome(dry_run, report.needs_flag, "--replace", t)
