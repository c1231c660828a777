"""The catalogue: import, adjustments (R3), history, export round trip, notifications, opinions."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from nocert_core.adapters.sql.orm import outbox
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.domain.units import Unit
from nocert_core.errors import ImportFailed, PermissionDenied
from nocert_core.services.catalogue import adjustments as service
from nocert_core.services.catalogue import filing
from nocert_core.services.catalogue import imports as importing
from nocert_core.services.catalogue.demo import DEMO_CATALOGUE

HEADER = "事项编码,事项名称,实施主体,证照证明名称,免提交方式,依据,备注\n"


async def add_units_and_supervisor(app: Application) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit("WF-BDC", "潍坊市不动产登记中心", aliases=["不动产中心"]))
        uow.units.add(Unit("WF-SPJ", "潍坊市行政审批服务局"))
        uow.accounts.add(Account("console:sv1", "console", "sv1", "专班一", role=Role.SUPERVISOR))
        uow.accounts.add(Account("console:sv2", "console", "sv2", "专班二", role=Role.SUPERVISOR))
        await uow.commit()


def write(tmp_path: Path, text: str, name: str = "list.csv") -> Path:
    path = tmp_path / name
    path.write_text(HEADER + text, encoding="utf-8")
    return path


ROWS = (
    "B-1,存量房转移登记,潍坊市不动产登记中心,居民户口簿,关联,R1第四条,\n"
    "B-1,存量房转移登记,不动产中心,结婚证,电子证照关联,R1第四条,\n"
    "S-1,食品经营许可,潍坊市行政审批服务局,从业人员健康证明,核验,R2第三条,\n"
)


def staff(unit: str) -> Actor:
    return Actor(ref=f"console:staff-{unit}", role=Role.STAFF, unit_code=unit)


def request(kind: AdjustmentType, event: date, **extra: object) -> service.AdjustmentRequest:
    values: dict[str, object] = {"service_code": "B-1", "certificate": "居民户口簿", "basis": "省政府决定"}
    values.update(extra)
    return service.AdjustmentRequest(kind=kind, event_date=event, **values)  # type: ignore[arg-type]


async def test_an_import_reports_added_rows_resolves_units_and_a_second_import_changes_nothing(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    path = write(tmp_path, ROWS)
    first = await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, path)
    assert len(first.added) == 3 and not first.changed and not first.removed
    assert {e.unit_code for e in first.added} == {"WF-BDC", "WF-SPJ"}  # a unit alias resolves too
    second = await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, path)
    assert (second.added, second.changed, second.removed, second.unchanged) == ([], [], [], 3)


async def test_an_import_reports_changed_and_removed_rows_against_the_current_version(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))
    changed = ROWS.replace("结婚证,电子证照关联", "结婚证,部门核验").replace(
        "S-1,食品经营许可,潍坊市行政审批服务局,从业人员健康证明,核验,R2第三条,\n", ""
    )
    report = await importing.import_catalogue(  # 2 of 3 entries touched: more than a small share
        app.uow(), app.clock, CLI_ADMIN, write(tmp_path, changed, "b.csv"), replace=True
    )
    assert [(old.certificate, fields) for old, _new, fields in report.changed] == [("结婚证", ["mode"])]
    assert [entry.certificate for entry in report.removed] == ["从业人员健康证明"]
    current = await importing.current_catalogue(app.uow())
    assert sorted((e.certificate, e.mode) for e in current) == [
        ("居民户口簿", ExemptionMode.ASSOCIATION),
        ("结婚证", ExemptionMode.VERIFICATION),
    ]


async def test_bad_rows_are_reported_by_line_and_nothing_is_imported(
    app: Application, tmp_path: Path
) -> None:
    bad = (
        ROWS
        + "B-2,,潍坊市不动产登记中心,居民身份证,关联,,\nB-3,抵押,不动产中心,营业执照,飞鸽传书,,\n"
        + ("B-1,存量房转移登记,潍坊市不动产登记中心,居民户口簿,关联,重复,\n")
    )
    with pytest.raises(ImportFailed) as raised:
        await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, bad))
    assert [line for line, _ in raised.value.problems] == [5, 6, 7]
    assert await importing.current_catalogue(app.uow()) == []


async def test_import_adjust_export_round_trips(app: Application, tmp_path: Path) -> None:
    await add_units_and_supervisor(app)
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))
    today = date(2026, 11, 25)
    await service.file_adjustment(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        request(
            AdjustmentType.ADD,
            today,
            certificate="不动产权证书",
            mode="关联",
            unit="WF-BDC",
            trigger=AdjustmentTrigger.LAW_ENACTED,
        ),
    )
    await service.file_adjustment(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        request(
            AdjustmentType.CHANGE,
            today,
            certificate="结婚证",
            mode="承诺",
            trigger=AdjustmentTrigger.LAW_AMENDED,
        ),
    )
    await service.file_adjustment(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        request(AdjustmentType.CANCEL, today, trigger=AdjustmentTrigger.GOVERNMENT_DECISION),
    )
    exported = tmp_path / "out.xlsx"
    assert await importing.export_catalogue(app.uow(), exported) == 3
    again = await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, exported, dry_run=True)
    assert (again.added, again.changed, again.removed, again.unchanged) == ([], [], [], 3)
    rows = {(e.certificate, e.mode.value) for e in await importing.current_catalogue(app.uow())}
    assert rows == {
        ("不动产权证书", "电子证照关联"),
        ("结婚证", "告知承诺"),
        ("从业人员健康证明", "部门核验"),
    }


async def test_the_history_answers_what_the_catalogue_said_on_a_past_date(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    clock.set(clock.now() - timedelta(days=30))  # 2026-10-26
    await importing.import_catalogue(app.uow(), clock, CLI_ADMIN, write(tmp_path, ROWS))
    clock.advance(timedelta(days=30))  # 2026-11-25
    await service.file_adjustment(
        app.uow(),
        clock,
        CLI_ADMIN,
        request(AdjustmentType.CANCEL, date(2026, 11, 24), trigger=AdjustmentTrigger.LAW_REPEALED),
    )
    before = await importing.catalogue_at(app.uow(), date(2026, 11, 1))
    after = await importing.catalogue_at(app.uow(), date(2026, 11, 25))
    earlier = await importing.catalogue_at(app.uow(), date(2026, 10, 1))
    assert "居民户口簿" in {e.certificate for e in before}
    assert "居民户口簿" not in {e.certificate for e in after}
    assert len(before) == 3 and len(after) == 2 and earlier == []


async def test_a_filing_more_than_two_working_days_after_the_event_is_marked_late(app: Application) -> None:
    await add_units_and_supervisor(app)
    async with app.uow() as uow:
        uow.units.add(Unit("X", "某单位"))
        await uow.commit()
    # Today is Wednesday 2026-11-25. An event on Friday 11-20 was due on Tuesday 11-24: late.
    late = await service.file_adjustment(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        request(
            AdjustmentType.ADD,
            date(2026, 11, 20),
            service_code="N-1",
            service="新事项",
            certificate="证A",
            mode="关联",
            unit="X",
        ),
    )
    on_time = await service.file_adjustment(
        app.uow(),
        app.clock,
        CLI_ADMIN,
        request(
            AdjustmentType.ADD,
            date(2026, 11, 23),
            service_code="N-1",
            certificate="证B",
            mode="关联",
            unit="X",
        ),
    )
    assert (late.due_date, late.late) == (date(2026, 11, 24), True)
    assert (on_time.due_date, on_time.late) == (date(2026, 11, 25), False)


async def test_every_filing_notifies_each_supervisor_through_the_outbox(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))
    adjustment = await service.file_adjustment(
        app.uow(), app.clock, CLI_ADMIN, request(AdjustmentType.CANCEL, date(2026, 11, 25))
    )
    async with app.engine.connect() as connection:
        rows = (
            await connection.execute(select(outbox.c.recipient_ref, outbox.c.kind, outbox.c.payload))
        ).all()
    kinds = sorted((row.kind, row.recipient_ref) for row in rows)
    assert kinds == sorted(
        [
            (filing.KIND_IMPORTED, "console:sv1"),
            (filing.KIND_IMPORTED, "console:sv2"),
            (filing.KIND_FILED, "console:sv1"),
            (filing.KIND_FILED, "console:sv2"),
        ]
    )
    filed = next(row.payload for row in rows if row.kind == filing.KIND_FILED)
    assert filed["id"] == adjustment.id and filed["kind"] == "cancel" and filed["certificate"] == "居民户口簿"


async def test_staff_adjust_only_their_own_units_entries_and_citizens_none(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))
    with pytest.raises(PermissionDenied):
        await service.file_adjustment(
            app.uow(), app.clock, staff("WF-SPJ"), request(AdjustmentType.CANCEL, date(2026, 11, 25))
        )
    with pytest.raises(PermissionDenied):
        await service.file_adjustment(
            app.uow(),
            app.clock,
            Actor("console:c", Role.CITIZEN),
            request(AdjustmentType.CANCEL, date(2026, 11, 25)),
        )
    own = await service.file_adjustment(
        app.uow(), app.clock, staff("WF-BDC"), request(AdjustmentType.CANCEL, date(2026, 11, 25))
    )
    assert own.filed_by_role == "staff" and own.unit_code == "WF-BDC"


async def test_a_staff_import_is_refused_when_it_touches_another_units_entries(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    with pytest.raises(ImportFailed) as raised:
        await importing.import_catalogue(app.uow(), app.clock, staff("WF-SPJ"), write(tmp_path, ROWS))
    assert [line for line, _ in raised.value.problems] == [2, 3]


async def test_a_public_opinion_on_an_adjustment_reaches_the_task_force(
    app: Application, tmp_path: Path
) -> None:
    await add_units_and_supervisor(app)
    await importing.import_catalogue(app.uow(), app.clock, CLI_ADMIN, write(tmp_path, ROWS))
    adjustment = await service.file_adjustment(
        app.uow(), app.clock, CLI_ADMIN, request(AdjustmentType.CANCEL, date(2026, 11, 25))
    )
    citizen = Actor("console:zhang", Role.CITIZEN)
    await service.give_opinion(app.uow(), app.clock, citizen, adjustment.id or 0, "取消后窗口还在要户口本")
    async with app.engine.connect() as connection:
        rows = (
            await connection.execute(
                select(outbox.c.recipient_ref, outbox.c.payload).where(outbox.c.kind == filing.KIND_OPINION)
            )
        ).all()
    assert {row.recipient_ref for row in rows} == {"console:sv1", "console:sv2"}
    assert rows[0].payload["text"] == "取消后窗口还在要户口本" and "console:zhang" not in str(rows[0].payload)


async def test_the_demo_catalogue_is_large_and_every_unit_resolves(app: Application) -> None:
    from nocert_core.bootstrap import load_demo

    summaries = await load_demo(app)
    current = await importing.current_catalogue(app.uow())
    assert len(current) >= 150
    assert len({e.service_code for e in current}) >= 40 and len({e.unit_code for e in current}) >= 15
    assert all(e.unit_code for e in current), summaries
    assert DEMO_CATALOGUE.exists()


async def test_the_demo_has_a_catalogue_change_history_spread_over_months_and_loads_once(
    app: Application,
) -> None:
    from nocert_core.bootstrap import load_demo

    await load_demo(app)
    await load_demo(app)  # a second run neither repeats nor undoes the history
    latest = await service.list_adjustments(app.uow(), limit=5, newest_first=True)
    assert {a.kind.value for a in latest} == {"add", "change", "cancel"}
    assert "import" not in {a.trigger.value for a in latest}
    days = [a.event_date for a in latest]
    assert days == sorted(days, reverse=True) and len(set(days)) == 5 and (days[0] - days[-1]).days > 30
    current = {(e.service_code, e.certificate) for e in await importing.current_catalogue(app.uow())}
    assert ("370700-BDC-004", "火化证明") not in current  # the cancelled proof is gone
    assert ("370705-PCS-001", "劳动合同或聘用证明") in current  # the renamed one has its new name
    everything = await service.list_adjustments(app.uow())
    assert sum(1 for a in everything if a.trigger.value != "import") == 5
    async with app.uow() as uow:  # a seed: the task force was not sent 5 "filed" notices
        kinds = (await uow.session.execute(select(outbox.c.kind))).scalars().all()
    assert filing.KIND_FILED not in kinds
