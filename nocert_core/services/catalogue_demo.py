"""The demo catalogue (nocert_core/demo/catalogue.csv): loaded by `nocert init --demo` after the units."""

from __future__ import annotations

from pathlib import Path

from nocert_core.domain.actors import SYSTEM_ACTOR
from nocert_core.services.catalogue_import import import_catalogue
from nocert_core.services.uow import AppContext

DEMO_CATALOGUE = Path(__file__).resolve().parent.parent / "demo" / "catalogue.csv"


async def load_demo_catalogue(app: AppContext) -> str:
    """Idempotent (a second run changes nothing). A seed, not a filing: the task force is not notified."""
    report = await import_catalogue(
        app.uow(), app.clock, SYSTEM_ACTOR, DEMO_CATALOGUE, basis="演示清单", notify=False
    )
    rows = len(report.added) + len(report.changed) + report.unchanged
    return (
        f"catalogue: {rows} rows ({len(report.added)} added, {len(report.changed)} changed); "
        f"{len(report.unknown_units)} rows name a unit not in the register"
    )
