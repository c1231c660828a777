"""The demo catalogue (nocert_core/demo/catalogue.csv): loaded by `nocert init --demo` after the units, then a
short change history (R3 Art.5–7) so "what changed recently" has real content: the list was published about
three months ago, and since then the task force filed a mode change, an added proof, a cancelled one, a
rename and a service taken over — each dated on its own day, filed through the same service as in chat."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import delete, func, select

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_catalogue import catalogue_adjustments
from nocert_core.clock import FixedClock, end_of_local_day, local_date
from nocert_core.domain.actors import SYSTEM_ACTOR, Actor, Role
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.services.catalogue.adjustments import AdjustmentRequest, file_adjustment
from nocert_core.services.catalogue.filing import KIND_FILED
from nocert_core.services.catalogue.imports import import_catalogue
from nocert_core.services.platform.uow import AppContext

DEMO_CATALOGUE = Path(__file__).resolve().parents[2] / "demo" / "catalogue.csv"
PUBLISHED_DAYS_AGO = 90
DEMO_TASK_FORCE = Actor(ref="demo:task-force", role=Role.SUPERVISOR, name="专班（演示）")
A, T = AdjustmentType, AdjustmentTrigger


@dataclass(frozen=True)
class DemoChange:
    days_ago: int
    kind: AdjustmentType
    trigger: AdjustmentTrigger
    service_code: str
    certificate: str
    basis: str
    mode: str | None = None
    new_certificate: str | None = None
    unit: str | None = None  # an added entry's implementing unit


HISTORY: tuple[DemoChange, ...] = (
    DemoChange(
        62,
        A.CHANGE,
        T.LAW_AMENDED,
        "370700-HZ-004",
        "居民死亡医学证明(推断)书",
        "省卫生健康委居民死亡医学证明电子证照上线，改为电子证照关联",
        mode="电子证照关联",
    ),
    DemoChange(
        41,
        A.CHANGE,
        T.LAW_AMENDED,
        "370700-BDC-004",
        "亲属关系证明",
        "亲属关系信息由民政、公安部门共享，改为部门核验，不再要求申请人承诺",
        mode="部门核验",
    ),
    DemoChange(
        23,
        A.CANCEL,
        T.GOVERNMENT_DECISION,
        "370700-BDC-004",
        "火化证明",
        "市政府决定取消火化证明，改由殡葬管理信息系统直接比对",
    ),
    DemoChange(
        9,
        A.CHANGE,
        T.PROOF_RENAMED,
        "370705-PCS-001",
        "劳动合同",
        "证明名称规范为“劳动合同或聘用证明”",
        new_certificate="劳动合同或聘用证明",
    ),
    DemoChange(
        3,
        A.ADD,
        T.LAW_ENACTED,
        "370783-CGS-001",
        "机动车交通事故责任强制保险凭证",
        "交强险信息由保险行业信息平台核验，申请人不再提交纸质保单",
        mode="部门核验",
        unit="寿光市公安局交通警察大队车辆管理所",
    ),
)


async def load_demo_catalogue(app: AppContext) -> str:
    """Idempotent (a second run changes nothing). A seed, not a filing: the task force is not notified."""
    tz = app.uow.settings.timezone
    today = local_date(app.clock.now(), tz)
    published = today - timedelta(days=PUBLISHED_DAYS_AGO)
    if await _history_loaded(app):  # importing the file again would undo the later changes
        return "catalogue: already loaded with its change history"
    report = await import_catalogue(
        app.uow(),
        FixedClock(end_of_local_day(published, tz) - timedelta(hours=8)),
        SYSTEM_ACTOR,
        DEMO_CATALOGUE,
        event_date=published,
        basis="演示清单",
        notify=False,
    )
    rows = len(report.added) + len(report.changed) + report.unchanged
    changes = await _load_history(app, today)
    return (
        f"catalogue: {rows} rows ({len(report.added)} added, {len(report.changed)} changed), "
        f"{changes} later adjustments; {len(report.unknown_units)} rows name a unit not in the register"
    )


async def _history_loaded(app: AppContext) -> bool:
    async with app.uow() as uow:
        table = catalogue_adjustments
        filed = select(func.count()).where(table.c.filed_by == DEMO_TASK_FORCE.ref)
        return bool((await uow.session.execute(filed)).scalar_one())


async def _load_history(app: AppContext, today: date) -> int:
    tz = app.uow.settings.timezone
    for change in HISTORY:
        day = today - timedelta(days=change.days_ago)
        clock = FixedClock(end_of_local_day(day, tz) - timedelta(hours=6))  # filed that afternoon
        request = AdjustmentRequest(
            kind=change.kind,
            service_code=change.service_code,
            certificate=change.certificate,
            basis=change.basis,
            event_date=day,
            trigger=change.trigger,
            mode=change.mode,
            new_certificate=change.new_certificate,
            unit=change.unit,
        )
        await file_adjustment(app.uow(), clock, DEMO_TASK_FORCE, request)
    async with app.uow() as uow:  # a seed: nobody is told about these filings
        outbox = orm.outbox
        await uow.session.execute(delete(outbox).where(outbox.c.kind == KIND_FILED))
        await uow.commit()
    return len(HISTORY)
