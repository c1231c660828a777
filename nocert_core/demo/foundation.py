"""Demo loaders of the foundation: the Weifang units (order 10) and complaints in every state (order 30).

Idempotent: units are upserted by code; each demo complaint carries `dedup_ref = "demo:<key>"` and is
skipped when it exists. The complaints (complaints.json) are played through the real services on a clock
set in the past, so their audit trails, deadlines and numbers are what the product itself would produce.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaint_lifecycle import RejectionGround, TerminationGround
from nocert_core.domain.complaints import Channel
from nocert_core.services.complaints import handling as svc
from nocert_core.services.platform.uow import AppContext
from nocert_core.services.units.tree import import_units

UNITS_FILE = Path(__file__).with_name("units.csv")
COMPLAINTS_FILE = Path(__file__).with_name("complaints.json")
# The chat's demo accounts (order 20) use these refs, so the console shows the same people.
SUPERVISOR = Actor(ref="console:supervisor", role=Role.SUPERVISOR, name="supervisor")


async def load_demo_units(app: AppContext) -> str:
    report = await import_units(app.uow(), UNITS_FILE)
    return (
        f"units: {len(report.created)} created, {len(report.updated)} updated, "
        f"{len(report.unchanged)} unchanged"
    )


@dataclass(frozen=True)
class DemoComplaint:
    key: str
    citizen: str  # console user name; the console's default citizen is "citizen"
    name: str
    phone: str
    agency: str
    demand: str
    reasons: str
    facts: str
    days_ago: int  # registered this many days before now
    steps: list[list[str]] = field(default_factory=list)  # played in order, three hours apart
    channel: str = Channel.CONSOLE.value
    on_behalf_of: str | None = None


def demo_complaints() -> list[DemoComplaint]:
    data: list[dict[str, Any]] = json.loads(COMPLAINTS_FILE.read_text(encoding="utf-8"))
    return [DemoComplaint(**item) for item in data]


def _staff(unit_code: str | None) -> Actor:
    ref = f"console:staff-{unit_code}"
    return Actor(ref=ref, role=Role.STAFF, unit_code=unit_code, name=f"staff-{unit_code}")


async def _play(app: AppContext, case: DemoComplaint) -> bool:
    dedup_ref = f"demo:{case.key}"
    async with app.uow() as uow:
        if await uow.complaints.find_by_dedup_ref(dedup_ref) is not None:
            return False
    clock = FixedClock(app.clock.now() - timedelta(days=case.days_ago, hours=2))
    citizen = Actor(ref=f"console:{case.citizen}", role=Role.CITIZEN, name=case.name)
    channel = Channel(case.channel)
    draft = svc.ComplaintDraft(
        complainant_name=case.name,
        complainant_phone=case.phone,
        agency_text=case.agency,
        demand=case.demand,
        reasons=case.reasons,
        facts=case.facts,
        channel=channel,
        on_behalf_of=case.on_behalf_of,
    )
    registrar = citizen if channel == Channel.CONSOLE else SUPERVISOR  # staff enter phone/letter complaints
    complaint = await svc.register_complaint(app.uow(), clock, registrar, draft, dedup_ref=dedup_ref)
    number, staff = complaint.number, _staff(complaint.unit_code)
    for kind, *args in case.steps:
        clock.advance(timedelta(hours=3))
        if kind == "accept":
            await svc.accept_complaint(app.uow(), clock, staff, number)
        elif kind == "resolve":
            await svc.resolve_complaint(app.uow(), clock, staff, number, args[0])
        elif kind == "rate":
            await svc.rate_complaint(app.uow(), clock, citizen, number, int(args[0]), args[1])
        elif kind == "reject":
            await svc.reject_complaint(app.uow(), clock, staff, number, RejectionGround(args[0]), args[1])
        elif kind == "extend":
            await svc.request_extension(app.uow(), clock, staff, number, int(args[0]), args[1])
        elif kind == "approve":
            await svc.decide_extension(app.uow(), clock, SUPERVISOR, number, True, args[0] if args else "")
        elif kind == "terminate":
            ground = TerminationGround(args[0])
            await svc.terminate_complaint(app.uow(), clock, citizen, number, ground, args[1])
        elif kind == "return":
            await svc.return_misrouted(app.uow(), clock, staff, number, args[0])
        else:  # a typo in complaints.json must not pass silently
            raise ValueError(f"unknown demo step {kind!r} in {case.key}")
    return True


async def load_demo_complaints(app: AppContext) -> str:
    cases = demo_complaints()
    created = 0
    for case in cases:
        created += await _play(app, case)
    return f"complaints: {created} created, {len(cases) - created} already present"
