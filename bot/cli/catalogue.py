"""CLI commands of the catalogue feature: catalogue import/export/changes/adjust/at, lexicon, ask."""

from __future__ import annotations

import json
import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.adjustments import Adjustment, AdjustmentTrigger, AdjustmentType, adjustment_as_dict
from nocert_core.domain.catalogue import entry_as_dict
from nocert_core.errors import DomainError

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application
    from nocert_core.bootstrap_read import ReadContext

catalogue_app = typer.Typer(
    no_args_is_help=True, help="The exemption catalogue (用证事项清单) and its adjustments."
)
modes_app = typer.Typer(
    help="Exemption-mode wordings (免提交方式): the shipped synonym table and administrators' additions."
)
lexicon_app = typer.Typer(
    no_args_is_help=True, help="The guidance lexicon: colloquial names → official names."
)


def _day(value: str | None, option: str) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise typer.BadParameter(f"not a date (YYYY-MM-DD): {value}", param_hint=option) from error


def adjustment_json(adjustment: Adjustment) -> dict[str, Any]:
    data = adjustment_as_dict(adjustment)
    return {"id": data.pop("id"), "type": data.pop("kind"), **data}


def register(app: typer.Typer) -> None:
    from bot.cli import run_or_fail, run_reading, run_with_app

    @catalogue_app.command("export")
    def catalogue_export(
        file: Path,
        at: str | None = typer.Option(None, "--at", help="Export the catalogue as it was on this date."),
        english: bool = typer.Option(False, "--english-header", help="Write the English header."),
    ) -> None:
        """Write the catalogue (CSV or XLSX by the file's suffix) in the import format."""
        day = _day(at, "--at")

        async def work(application: Application) -> int:
            from nocert_core.services.catalogue import imports as import_service

            return await import_service.export_catalogue(
                application.uow(), file, day=day, english_header=english
            )

        written = run_with_app(work)
        from bot.cli.labels import ngettext

        typer.echo(
            ngettext(
                "{count} row written to {file}",
                "{count} rows written to {file}",
                written,
                count=written,
                file=file,
            )
        )

    @catalogue_app.command("at")
    def catalogue_at(day: str, as_json: bool = typer.Option(False, "--json")) -> None:
        """What the catalogue said on a date (from the version history)."""
        when = _day(day, "DAY")
        assert when is not None

        async def work(application: ReadContext) -> list[Any]:
            from nocert_core.services.platform.reads import catalogue_at

            return await catalogue_at(application.uow(), when, application.settings.timezone)

        entries = run_reading(work)
        for entry in entries:
            row = {key: value for key, value in entry_as_dict(entry).items() if key != "notes"}
            typer.echo(json.dumps(row, ensure_ascii=False) if as_json else "\t".join(row.values()))
        if not as_json:
            typer.echo(f"{len(entries)} rows in force on {when.isoformat()}", err=True)

    @catalogue_app.command("changes")
    def catalogue_changes(
        since: str | None = typer.Option(None, "--since", help="Events on or after this date."),
        unit: str | None = typer.Option(None, "--unit", help="Only this unit's adjustments (unit code)."),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
    ) -> None:
        """List the adjustments (R3), oldest first."""
        day = _day(since, "--since")

        async def work(application: ReadContext) -> list[Adjustment]:
            from nocert_core.services.platform.reads import list_adjustments

            return await list_adjustments(application.uow(), since=day, unit_code=unit)

        adjustments = run_reading(work)
        if as_json:
            for adjustment in adjustments:
                typer.echo(json.dumps(adjustment_json(adjustment), ensure_ascii=False))
            return
        from bot.cli.labels import labels
        from bot.cli.tables import print_table

        label = labels()
        t = label.text
        print_table(
            (
                "#",
                t("column: event"),
                t("column: kind"),
                t("column: unit"),
                t("column: service"),
                t("column: certificate"),
                t("column: trigger: basis"),
                t("column: due"),
            ),
            (
                (
                    str(a.id),
                    str(a.event_date),
                    label(a.kind),
                    a.unit_name,
                    a.service,
                    a.certificate,
                    f"{label(a.trigger)}: {a.basis}",
                    f"{a.due_date}{' ' + t('LATE') if a.late else ''}",
                )
                for a in adjustments
            ),
        )

    @catalogue_app.command("adjust")
    def catalogue_adjust(
        kind: str = typer.Argument(..., help="add | change | cancel"),
        service_code: str = typer.Option(..., "--service-code"),
        certificate: str = typer.Option(..., "--certificate"),
        basis: str = typer.Option(
            ..., "--basis", help="The basis of the adjustment (law, decision, reason)."
        ),
        event_date: str = typer.Option(..., "--event-date", help="When the triggering event happened."),
        trigger: str = typer.Option("other", "--trigger", help=", ".join(t.value for t in AdjustmentTrigger)),
        service: str | None = typer.Option(None, "--service", help="Service name (add; change renames)."),
        unit: str | None = typer.Option(None, "--unit", help="Unit code or name (add; change moves)."),
        mode: str | None = typer.Option(
            None, "--mode", help="Exemption mode, e.g. 关联, 下载上传, 核验, 承诺, 取消."
        ),
        notes: str | None = typer.Option(None, "--notes"),
        new_certificate: str | None = typer.Option(
            None, "--new-certificate", help="change: the proof's new name."
        ),
        entry_basis: str | None = typer.Option(
            None, "--entry-basis", help="The entry's own basis, if different."
        ),
    ) -> None:
        """File an adjustment (R3 Art.8): add, change or cancel one entry; the task force is notified."""
        from nocert_core.services.catalogue import adjustments as catalogue_service

        try:
            request = catalogue_service.AdjustmentRequest(
                kind=AdjustmentType.parse(kind),
                trigger=AdjustmentTrigger(trigger),
                service_code=service_code,
                certificate=certificate,
                basis=basis,
                event_date=_day(event_date, "--event-date") or date.fromisoformat(event_date),
                service=service,
                unit=unit,
                mode=mode,
                notes=notes,
                new_certificate=new_certificate,
                entry_basis=entry_basis,
            )
        except (DomainError, ValueError) as error:
            raise typer.BadParameter(str(error)) from error

        async def work(application: Application) -> Adjustment:
            from nocert_core.services.catalogue import adjustments as catalogue_service

            return await catalogue_service.file_adjustment(
                application.uow(), application.clock, CLI_ADMIN, request
            )

        adjustment = run_or_fail(work)
        from bot.cli.labels import labels

        late = "; filed LATE" if adjustment.late else ""
        typer.echo(
            f"adjustment #{adjustment.id} filed: {labels()(adjustment.kind)} {adjustment.service} | "
            f"{adjustment.certificate} (due {adjustment.due_date}{late})"
        )

    @lexicon_app.command("list")
    def lexicon_list(
        builtin: bool = typer.Option(False, "--builtin", help="Also list the built-in entries."),
    ) -> None:
        """The administrator's additions (and, with --builtin, the built-in lexicon)."""
        if builtin:
            from nocert_core.guidance import builtin_lexicon

            lexicon = builtin_lexicon()
            for kind, mapping in (("certificate", lexicon.certificates), ("service", lexicon.services)):
                for colloquial, official in sorted(mapping.items()):
                    typer.echo(f"{kind}\t{colloquial}\t{official}\tbuilt-in")

        async def work(application: ReadContext) -> list[Any]:
            from nocert_core.services.platform.reads import lexicon_additions

            return await lexicon_additions(application.uow())

        for term in run_reading(work):
            typer.echo(f"{term.kind}\t{term.colloquial}\t{term.official}\t{term.added_by}")

    @lexicon_app.command("add")
    def lexicon_add(kind: str, colloquial: str, official: str) -> None:
        """Add (or replace) one term: KIND is certificate or service."""

        async def work(application: Application) -> int:
            from nocert_core.guidance import LexiconEntry
            from nocert_core.services.catalogue import guidance as guidance_service

            return await guidance_service.add_lexicon_terms(
                application.uow(), CLI_ADMIN, [LexiconEntry(kind, colloquial, official)]
            )

        run_or_fail(work)
        typer.echo(f"{kind}: {colloquial} → {official}")

    @lexicon_app.command("remove")
    def lexicon_remove(kind: str, colloquial: str) -> None:
        """Remove an administrator's term (built-in entries are changed by editing the data file)."""

        async def work(application: Application) -> None:
            from nocert_core.services.catalogue import guidance as guidance_service

            await guidance_service.remove_lexicon_term(application.uow(), CLI_ADMIN, kind, colloquial)

        run_or_fail(work)
        from bot.cli.labels import t

        typer.echo(t("removed {kind}: {colloquial}", kind=kind, colloquial=colloquial))

    @app.command("ask")
    def ask(
        question: str = typer.Argument(
            ..., help='The question, or "-" to read one question per line from stdin.'
        ),
        as_json: bool = typer.Option(False, "--json", help="One JSON object per question."),
    ) -> None:
        """Ask which certificates you no longer need to bring, in plain Chinese."""
        from handlers.guidance.text import render_answer

        async def work(application: Application) -> None:
            from nocert_core.guidance import answer
            from nocert_core.i18n import translator
            from nocert_core.services.catalogue import guidance as guidance_service

            index = await guidance_service.load_index(application.uow())  # loaded once for every question
            t = translator(application.settings.locale)
            lines = sys.stdin if question == "-" else [question]
            for line in lines:
                text = line.strip()
                if not text:
                    continue
                result = answer(index, text)
                if as_json:
                    typer.echo(json.dumps(result.as_json(), ensure_ascii=False))
                else:
                    shown = translator("en") if result.language == "en" else t  # English in, English out
                    typer.echo(("" if question != "-" else f"? {text}\n") + render_answer(result, shown))
                    if question == "-":
                        typer.echo("")
                sys.stdout.flush()

        run_with_app(work)

    @modes_app.callback(invoke_without_command=True)
    def modes_list(ctx: typer.Context) -> None:
        """Every known wording and the mode it means (shipped, or added by an administrator)."""
        from nocert_core.services.catalogue import modes as modes_service

        if ctx.invoked_subcommand is not None:
            return

        async def work(application: Application) -> list[modes_service.ModeWording]:
            return await modes_service.list_modes(application.uow())

        for wording in run_with_app(work):
            typer.echo(f"{wording.mode.value}\t{wording.wording}\t{wording.source}")

    @modes_app.command("add")
    def modes_add(wording: str, mode: str) -> None:
        """Map a wording your lists use to one of the six modes (by its name or a known wording)."""
        from nocert_core.services.catalogue import modes as modes_service

        async def work(application: Application) -> str:
            found = await modes_service.add_mode(application.uow(), CLI_ADMIN, wording, mode)
            return found.value

        typer.echo(f"{wording} → {run_or_fail(work)}")

    @modes_app.command("remove")
    def modes_remove(wording: str) -> None:
        """Remove an administrator's wording (shipped wordings are changed by editing the data file)."""
        from nocert_core.services.catalogue import modes as modes_service

        async def work(application: Application) -> None:
            await modes_service.remove_mode(application.uow(), CLI_ADMIN, wording)

        run_or_fail(work)
        from bot.cli.labels import t

        typer.echo(t("removed {wording}", wording=wording))

    catalogue_app.add_typer(modes_app, name="modes")
    app.add_typer(catalogue_app, name="catalogue")
    app.add_typer(lexicon_app, name="lexicon")
