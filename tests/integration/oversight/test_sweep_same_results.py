"""The deadline sweep over a mixed set of complaints (every status, routed and not, deadlines on either
side of weekends and holidays, extension requests) writes exactly the alerts, marks and next looks it
wrote before it was made set-based (recorded in tests/data/sweep_same_results.txt with the earlier
code), on both backends; sweeping again at the same moment writes nothing."""

from __future__ import annotations

import json
import os
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import insert, literal, select

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_oversight import alert_marks
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.services.complaints import sweep as complaint_sweep
from nocert_core.services.oversight import alerts
from nocert_core.services.oversight.sweeps import run_sweeps
from tests.integration.oversight_helpers import UNITS, seed

RECORDED = Path(__file__).parents[2] / "data" / "sweep_same_results.txt"
START = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)  # Wednesday 09:30 Shanghai
SWEEPS = [START + timedelta(hours=hours) for hours in (0, 7, 24.5, 120, 190, 215, 360, 600)]
STATUSES = ["registered", "transferred", "accepted", "extended", "resolved", "rejected"]


def complaints(count: int = 120, seed: int = 7) -> list[dict[str, object]]:
    rng = random.Random(seed)
    rows: list[dict[str, object]] = []
    for index in range(1, count + 1):
        status = rng.choice(STATUSES)
        registered = START - timedelta(hours=rng.uniform(0, 24 * 12))
        deadline = requested = None
        extension = "none"
        if status in ("accepted", "extended", "resolved"):
            deadline = START + timedelta(hours=rng.uniform(-24 * 15, 24 * 12))
        if status == "accepted" and rng.random() < 0.3:
            extension, requested = "requested", START - timedelta(hours=rng.uniform(0, 24 * 8))
        rows.append(
            {
                "number": f"TS-2026-{index:05d}",
                "channel": "telegram",
                "status": status,
                "category": "demanded_proof",
                "complainant_name": "测试",
                "complainant_phone": "13800000000",
                "agency_text": "某单位",
                "unit_code": rng.choice([code for code, _ in UNITS] + [None]),
                "demand": "要求提交证明",
                "reasons": "理由",
                "facts": "事实",
                "registered_at": registered,
                "deadline_at": deadline,
                "extension_state": extension,
                "extension_days": 10 if requested else None,
                "extension_requested_at": requested,
            }
        )
    return rows


async def outcome(app: Application) -> list[str]:
    """The alerts, marks and next looks, one line each, in an order that does not depend on row ids."""
    c, o = orm.complaints, orm.outbox
    async with app.uow() as uow:
        session = uow.session
        numbers = dict((await session.execute(select(c.c.id, c.c.number))).all())
        lines = [
            f"outbox {key} {kind} {ref} {json.dumps(payload, ensure_ascii=False, sort_keys=True)}"
            for key, kind, ref, payload in await session.execute(
                select(o.c.dedup_key, o.c.kind, o.c.recipient_ref, o.c.payload)
            )
        ]
        marks = select(alert_marks.c.stage, alert_marks.c.subject_id, alert_marks.c.ref_at)
        lines += [
            f"mark {stage} {numbers[subject]} {ref.isoformat()}"
            for stage, subject, ref in await session.execute(marks)
        ]
        looks = select(c.c.number, orm.complaint_looks.c.next_look_at).join_from(
            orm.complaint_looks, c, c.c.id == orm.complaint_looks.c.complaint_id
        )
        lines += [
            f"look {number} {at.isoformat() if at else None}" for number, at in await session.execute(looks)
        ]
    return sorted(lines)


async def test_the_sweep_writes_the_same_alerts_marks_and_next_looks_as_before(
    app: Application, clock: FixedClock, monkeypatch: object
) -> None:
    for module in (alerts, complaint_sweep):  # many batches, ragged ends
        monkeypatch.setattr(module, "BATCH", 7)  # type: ignore[attr-defined]
    await seed(app, supervisors=2)
    async with app.uow() as uow:
        await uow.session.execute(insert(orm.complaints), complaints())
        # Written without the ORM: every complaint due for a look, as a change through the ORM leaves it.
        ids = select(orm.complaints.c.id, literal(orm.CHECK_AT_NEXT_SWEEP, orm.UtcDateTime()))
        await uow.session.execute(
            insert(orm.complaint_looks).from_select(["complaint_id", "next_look_at"], ids)
        )
        await uow.commit()
    lines: list[str] = []
    before: set[str] = set()
    for at in SWEEPS:  # after each sweep: what it changed (new alerts and marks, changed next looks)
        clock.set(at)
        await run_sweeps(app.uow, clock, hotspots=False)
        after = await outcome(app)
        lines += [f"{at.isoformat()} {line}" for line in after if line not in before]
        await run_sweeps(app.uow, clock, hotspots=False)
        assert await outcome(app) == after  # a second sweep at the same moment changes nothing
        before = set(after)
    text = "\n".join(lines) + "\n"
    if os.environ.get("NOCERT_RECORD_SWEEP") == "1":  # to record anew after an intended change
        RECORDED.write_text(text, encoding="utf-8")
    assert text == RECORDED.read_text(encoding="utf-8")
