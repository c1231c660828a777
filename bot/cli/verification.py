"""CLI commands of the verification feature (R2 部门核验): `nocert verify list|show|sweep`."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

import typer

from nocert_core.clock import local_date
from nocert_core.domain.actors import CLI_ADMIN
from nocert_core.domain.verification import VerificationRequest, VerificationStatus

if TYPE_CHECKING:
    from nocert_core.bootstrap import Application
    from nocert_core.bootstrap_read import ReadContext

verify_app = typer.Typer(no_args_is_help=True, help="Department verification requests (协查核验, R2).")


def _register_row(request: VerificationRequest, tz: str) -> dict[str, object]:
    """The register fields only: the applicant's data are shown by `show`, which is audited."""
    return {
        "number": request.number,
        "requesting_unit": request.requesting_unit_code,
        "issuing_unit": request.issuing_unit_code,
        "service": request.service,
        "proof": request.proof,
        "status": request.status.value,
        "result": request.result.value if request.result else None,
        "requested_at": request.requested_at.isoformat(),
        "deadline": local_date(request.deadline_at, tz).isoformat(),
    }


def register(app: typer.Typer) -> None:
    from bot.cli import run_or_fail, run_reading

    @verify_app.command("list")
    def list_requests(
        unit: str | None = typer.Option(None, "--unit", help="Only requests sent or received by this unit."),
        open_only: bool = typer.Option(False, "--open", help="Only requests still waiting for an answer."),
        as_json: bool = typer.Option(False, "--json", help="One JSON array instead of a table."),
    ) -> None:
        """The register of verification requests, oldest first."""

        async def work(application: ReadContext) -> str:
            from nocert_core.services.platform.reads import list_requests

            found = await list_requests(application.uow(), CLI_ADMIN, unit_code=unit, open_only=open_only)
            now = application.clock.now()
            rows = [_register_row(request, application.settings.timezone) for request in found]
            if as_json:
                return json.dumps(rows, ensure_ascii=False, indent=2)
            if not rows:
                return "no verification requests"
            from bot.cli.labels import labels
            from bot.cli.tables import table_text

            label = labels()
            return table_text(
                ("number", "requesting → issuing unit", "status", "due", "proof"),
                (
                    (
                        str(row["number"]),
                        f"{row['requesting_unit']} → {row['issuing_unit']}",
                        f"{label(request.status)}{' ' + label(request.result) if request.result else ''}",
                        f"{row['deadline']}{' OVERDUE' if request.is_overdue(now) else ''}",
                        str(row["proof"]),
                    )
                    for row, request in zip(rows, found, strict=True)
                ),
            )

        typer.echo(run_reading(work))

    @verify_app.command("show")
    def show(number: str = typer.Argument(..., help="e.g. HC-2026-000001")) -> None:
        """One request with its data and audit trail (this view is itself audited, R2 Art.10)."""

        async def work(application: Application) -> str:
            from nocert_core.services.verification import requests as svc

            tz = application.settings.timezone
            request = await svc.get_request(application.uow(), application.clock, CLI_ADMIN, number, "cli")
            from bot.cli.labels import labels

            label = labels()
            label_raw = label.raw
            row = _register_row(request, tz) | {"status": label(request.status)}
            row["result"] = label(request.result) if request.result else None
            lines = [f"{key}: {value}" for key, value in row.items() if value is not None]
            lines += [
                f"applicant: {request.applicant_name}",
                f"data to check: {request.data_to_check}",
            ]
            for name, value in (
                ("details", request.result_details),
                ("return reason", request.return_reason),
                ("material asked for", request.material_note),
            ):
                if value:
                    lines.append(f"{name}: {value}")
            lines.append("audit:")
            lines += [
                f"  {entry.at.isoformat(timespec='seconds')}\t{entry.actor_ref} ({entry.actor_role})\t"
                f"{entry.action}\t{label_raw(VerificationStatus, entry.from_status) or '-'} → "
                f"{label_raw(VerificationStatus, entry.to_status)}"
                f"{chr(9) + entry.note if entry.note else ''}"
                for entry in request.audit
            ]
            return "\n".join(lines)

        typer.echo(run_or_fail(work))

    @verify_app.command("sweep")
    def sweep() -> None:
        """Alert both units and the task force about requests past their time limit (each once)."""

        async def work(application: Application) -> str:
            from nocert_core.services.verification import requests as svc

            alerted = await svc.sweep_overdue(application.uow, application.clock)
            return f"{alerted} overdue request(s) alerted"

        typer.echo(run_or_fail(work))

    app.add_typer(verify_app, name="verify")
