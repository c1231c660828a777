"""CLI commands of the foundation: init, calendar, units, complaints (for staff and administrators)."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from zoneinfo import ZoneInfo

import typer

from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.complaint_lifecycle import Action, ComplaintStatus
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.phones import mask_phone
from nocert_core.domain.units import Unit

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application
    from nocert_core.bootstrap_read import ReadContext
    from nocert_core.services.screening.advice import ScreeningResult

calendar_app = typer.Typer(no_args_is_help=True, help="The working-day calendar (official PRC schedule).")
units_app = typer.Typer(no_args_is_help=True, help="Units: the agencies complaints are routed to.")
complaints_app = typer.Typer(no_args_is_help=True, help="Complaints (R5): list, show, export, screen.")


def _local(complaint_time: Any, timezone: str) -> str:
    """Local time with its UTC offset, so a reader elsewhere knows the zone (2026-11-25 10:00+08:00)."""
    if not complaint_time:
        return "-"
    local = complaint_time.astimezone(ZoneInfo(timezone))
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M}{offset[:3]}:{offset[3:]}"


def _complaint_json(complaint: Complaint, timezone: str) -> dict[str, Any]:
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "category": complaint.category.value,
        "channel": complaint.channel.value,
        "complainant": complaint.complainant_name,
        "phone": mask_phone(complaint.complainant_phone),
        "agency": complaint.agency_text,
        "unit": complaint.unit_code,
        "registered_at": complaint.registered_at.isoformat(),
        "deadline_at": complaint.deadline_at.isoformat() if complaint.deadline_at else None,
        "deadline_local": _local(complaint.deadline_at, timezone) if complaint.deadline_at else None,
        "deadline_provisional": complaint.deadline_provisional,
    }


def screening_json(result: ScreeningResult) -> dict[str, Any]:
    """The `complaints screen --json` contract, plus notes and the words that triggered each rule."""
    unit = {"code": result.unit.code, "name": result.unit.name} if result.unit else None
    return {
        "admissible": result.admissible,
        "grounds": result.grounds,
        "category": result.category,
        "unit": unit,
        "unit_candidates": [
            {"code": c.code, "name": c.name, "score": c.score} for c in result.unit_candidates
        ],
        "missing": result.missing,
        "notes": result.notes,
        "cues": result.cues,
    }


def _print_units(units: Sequence[Unit]) -> None:
    """A tree: children indented under their parent, in code order."""
    children: dict[str | None, list[Unit]] = {}
    codes = {unit.code for unit in units}
    for unit in units:
        parent = unit.parent_code if unit.parent_code in codes else None
        children.setdefault(parent, []).append(unit)

    def show(parent: str | None, depth: int) -> None:
        for unit in children.get(parent, []):
            aliases = f"  ({'; '.join(unit.aliases)})" if unit.aliases else ""
            typer.echo(f"{'  ' * depth}{unit.code:<12} {unit.name}{aliases}")
            show(unit.code, depth + 1)

    show(None, 0)


def register(app: typer.Typer) -> None:
    from bot.cli import run_or_fail, run_reading, run_with_app

    @app.command()
    def init(demo: bool = typer.Option(False, "--demo", help="Also load the demo data set.")) -> None:
        """Create or upgrade the database, seed the calendar; --demo also loads the demo data (idempotent)."""

        async def work(application: Application) -> tuple[str, list[str]]:
            from sqlalchemy.engine import make_url

            url = make_url(application.settings.database_url).render_as_string(hide_password=True)
            if not demo:
                return url, []
            from nocert_core.bootstrap import load_demo

            return url, await load_demo(application)

        url, summaries = run_or_fail(work)
        from bot.cli.labels import t

        typer.echo(t("database ready: {url}", url=url))
        for summary in summaries:
            typer.echo(f"demo {summary}")

    # ---- calendar ----------------------------------------------------------------------------------
    @calendar_app.command("years")
    def calendar_years() -> None:
        """Which years have official data (others fall back to Monday–Friday, provisionally)."""

        async def work(application: ReadContext) -> dict[int, str]:
            async with application.uow() as uow:
                return dict(await uow.calendar.covered_years())

        for year, source in sorted(run_reading(work).items()):
            typer.echo(f"{year}\t{source}")

    # ---- units -------------------------------------------------------------------------------------
    @units_app.command("list")
    def units_list(as_json: bool = typer.Option(False, "--json", help="One JSON array.")) -> None:
        """All units as a tree (or JSON)."""

        async def work(application: ReadContext) -> Sequence[Unit]:
            from nocert_core.services.platform.reads import list_units

            return await list_units(application.uow())

        units = run_reading(work)
        if as_json:
            rows = [
                {"code": u.code, "name": u.name, "parent_code": u.parent_code, "aliases": u.aliases}
                for u in units
            ]
            typer.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        elif not units:
            from bot.cli.labels import t

            typer.echo(t("no units yet: `nocert units import FILE` or `nocert init --demo`"))
        else:
            _print_units(units)

    # ---- complaints --------------------------------------------------------------------------------
    @complaints_app.command("list")
    def complaints_list(
        as_json: bool = typer.Option(False, "--json", help="One JSON object per line."),
        status: list[ComplaintStatus] | None = typer.Option(
            None, "--status", "-s", help="Only these states."
        ),
    ) -> None:
        """The register: every complaint (phones masked)."""

        async def work(application: ReadContext) -> tuple[Sequence[Complaint], str]:
            from nocert_core.services.platform.reads import list_complaints

            found = await list_complaints(application.uow(), CLI_ADMIN, statuses=status or None)
            return found, application.settings.timezone

        complaints, timezone = run_reading(work)
        if as_json:
            for complaint in complaints:
                typer.echo(json.dumps(_complaint_json(complaint, timezone), ensure_ascii=False))
            return
        from bot.cli.labels import labels

        label = labels()
        t = label.text
        if not complaints:
            typer.echo(t("no complaints"))
            return
        typer.echo(t("times in {timezone}", timezone=timezone))
        from bot.cli.tables import print_table

        print_table(
            (
                t("column: number"),
                t("column: status"),
                t("column: registered"),
                t("column: deadline"),
                t("column: unit"),
                t("column: agency"),
            ),
            (
                (
                    c.number,
                    label(c.status),
                    _local(c.registered_at, timezone),
                    _local(c.deadline_at, timezone) + ("*" if c.deadline_provisional else ""),
                    c.unit_code or "-",
                    c.agency_text,
                )
                for c in complaints
            ),
        )
        if any(c.deadline_provisional for c in complaints):
            typer.echo(t("* provisional: the deadline runs into a year without official calendar data"))

    @complaints_app.command("show")
    def complaints_show(number: str) -> None:
        """One complaint with its screening advice and audit timeline (phone masked). The number may be
        short: 11 is this year's TS-YYYY-000011, 2025-11 is TS-2025-000011."""

        async def work(application: ReadContext) -> tuple[Complaint, dict[str, str], str]:
            from nocert_core.clock import local_date
            from nocert_core.numbers import complaint_number
            from nocert_core.services.platform.reads import get_complaint, unit_names

            year = local_date(application.clock.now(), application.settings.timezone).year
            full = complaint_number(number, year) or number
            complaint = await get_complaint(application.uow(), CLI_ADMIN, full)
            names = await unit_names(application.uow())
            return complaint, names, application.settings.timezone

        complaint, names, timezone = run_reading(work)
        _show(complaint, names, timezone)

    @complaints_app.command("export")
    def complaints_export(file: Path) -> None:
        """The R5 Art.7 register book as .xlsx (Chinese headers by default; phones masked)."""
        if file.suffix.lower() != ".xlsx":
            from bot.cli.labels import t

            typer.echo(t("the register is written as .xlsx: give a file name ending in .xlsx"), err=True)
            raise typer.Exit(1)

        async def work(application: Application) -> int:
            from nocert_core.services.complaints.register_book import export_register

            return await export_register(application.uow(), CLI_ADMIN, file)

        count = run_with_app(work)
        typer.echo(f"{count} complaint(s) written to {file}")

    @complaints_app.command("screen")
    def complaints_screen(
        as_json: bool = typer.Option(True, "--json/--text", help="JSON lines out (the default)."),
    ) -> None:
        """Screen JSON lines {"agency","demand","reasons","facts"} on stdin: one JSON line out per line in."""

        async def work(application: Application) -> list[dict[str, Any]]:
            from nocert_core.services.screening.advice import screen_draft

            results: list[dict[str, Any]] = []
            async with application.uow() as uow:
                for line_number, line in enumerate(sys.stdin, start=1):
                    if not line.strip():
                        continue
                    try:
                        item = json.loads(line)
                        if not isinstance(item, dict):
                            raise ValueError("not a JSON object")
                        fields = [
                            str(item.get(key) or "") for key in ("agency", "demand", "reasons", "facts")
                        ]
                    except ValueError as error:
                        results.append({"error": f"line {line_number}: {error}"})
                        continue
                    result = await screen_draft(uow, *fields, phone=item.get("phone"))
                    results.append(screening_json(result))
            return results

        for result in run_with_app(work):
            if as_json:
                typer.echo(json.dumps(result, ensure_ascii=False))
            else:
                unit = (result.get("unit") or {}).get("code", "-")
                typer.echo(f"{result.get('admissible')}\t{','.join(result.get('grounds', []))}\t{unit}")

    app.add_typer(calendar_app, name="calendar")
    app.add_typer(units_app, name="units")
    app.add_typer(complaints_app, name="complaints")


def _show(complaint: Complaint, names: dict[str, str], timezone: str) -> None:
    from bot.cli.labels import labels

    label = labels()
    label_raw = label.raw
    t = label.text
    unit = (
        f"{complaint.unit_code} {names.get(complaint.unit_code, '')}"
        if complaint.unit_code
        else t("- (to route)")
    )

    def field(name: str, value: str) -> str:
        return f"{t(name)} {value}"

    complainant = f"{complaint.complainant_name}  {mask_phone(complaint.complainant_phone)}"
    if complaint.on_behalf_of:
        complainant += "  " + t("on behalf of {whom}", whom=complaint.on_behalf_of)
    lines = [
        f"{complaint.number}  [{label(complaint.status)}]  "
        + field("field: category", label(complaint.category)),
        field(
            "field: received",
            t(
                "{moment} via {channel}",
                moment=_local(complaint.registered_at, timezone),
                channel=label(complaint.channel),
            ),
        ),
        field("field: complainant", complainant),
        field("field: agency", complaint.agency_text),
        field("field: unit", unit),
        field("field: demand", complaint.demand),
        field("field: reasons", complaint.reasons),
        field("field: facts", complaint.facts),
    ]
    if complaint.deadline_at:
        provisional = " " + t("(provisional)") if complaint.deadline_provisional else ""
        lines.append(field("field: deadline", f"{_local(complaint.deadline_at, timezone)}{provisional}"))
    if complaint.extension_state.value != "none":
        days = label.plural(
            "{count} working day",
            "{count} working days",
            complaint.extension_days or 0,
            count=complaint.extension_days or 0,
        )
        lines.append(
            field(
                "field: extension",
                f"{label(complaint.extension_state)}, {days}: {complaint.extension_reason}",
            )
        )
    if complaint.result:
        lines.append(field("field: result", complaint.result))
    ground = complaint.rejection_ground or complaint.termination_ground
    if ground is not None:
        lines.append(field("field: ground", f"{label(ground)}: {complaint.status_reason or ''}"))
    if complaint.rating is not None:
        lines.append(field("field: rating", f"{complaint.rating.score}/5 {complaint.rating.comment}"))
    screening: dict[str, Any] = complaint.screening or {}
    if screening:
        grounds = ", ".join(screening.get("grounds") or []) or "none"
        lines.append(f"{t('field: screening')} admissible={screening.get('admissible')} grounds={grounds}")
    lines.append(t("field: timeline"))
    for entry in complaint.audit:
        before = label_raw(ComplaintStatus, entry.from_status) or "·"
        moved = f"{before} → {label_raw(ComplaintStatus, entry.to_status)}"
        note = f"  {entry.note}" if entry.note else ""
        action = label_raw(Action, entry.action)
        lines.append(f"  {_local(entry.at, timezone)}  {action}  {moved}  {entry.actor_ref}{note}")
    typer.echo("\n".join(lines))
