"""Scorecards (R4 Art.11): per unit per period — complaints, on-time rate, satisfaction, rectifications
on time — feeding the government-service assessment. The composite score is indicative only: a
weighted mean of the shares the unit controls (on-time 50%, satisfaction 30%, rectifications 20%),
over the parts that have data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import or_, select

from nocert_core.adapters.sql.tables_oversight import rectification_notices
from nocert_core.clock import Clock, local_midnight
from nocert_core.services.oversight.reports import Period, build_report
from nocert_core.services.platform.uow import UnitOfWorkFactory

WEIGHTS = {"on_time": 0.5, "satisfaction": 0.3, "rectification": 0.2}


@dataclass
class ScorecardRow:
    code: str
    name: str
    complaints: int
    resolved: int
    on_time_rate: float | None
    average_rating: float | None
    ratings: int
    rectifications_due: int
    rectifications_on_time: int
    overdue_now: int

    @property
    def rectification_rate(self) -> float | None:
        return self.rectifications_on_time / self.rectifications_due if self.rectifications_due else None

    @property
    def score(self) -> float | None:
        parts = {
            "on_time": self.on_time_rate,
            "satisfaction": (self.average_rating - 1) / 4 if self.average_rating is not None else None,
            "rectification": self.rectification_rate,
        }
        known = {key: value for key, value in parts.items() if value is not None}
        if not known:
            return None
        weight = sum(WEIGHTS[key] for key in known)
        return round(100 * sum(WEIGHTS[key] * value for key, value in known.items()) / weight, 1)


async def build_scorecard(uow_factory: UnitOfWorkFactory, clock: Clock, period: Period) -> list[ScorecardRow]:
    report = await build_report(uow_factory, clock, period)
    tz = uow_factory.settings.timezone
    start, end = local_midnight(period.start, tz), local_midnight(period.end, tz)
    end += timedelta(days=1)
    r = rectification_notices
    now = clock.now()
    async with uow_factory() as uow:
        # due in the period: a report came in it, or the deadline passed in it with no report
        rows = (
            await uow.session.execute(
                select(
                    r.c.unit_code, r.c.reported_at, r.c.reported_on_time, r.c.deadline_at, r.c.status
                ).where(or_(r.c.reported_at.between(start, end), r.c.deadline_at.between(start, end)))
            )
        ).all()
        names = {unit.code: unit.name for unit in await uow.units.list()}
    due: dict[str, int] = {}
    on_time: dict[str, int] = {}
    for row in rows:
        reported_in_period = row.reported_at is not None and start <= row.reported_at < end
        missed = row.reported_at is None and row.deadline_at < min(now, end)
        if reported_in_period or missed:
            due[row.unit_code] = due.get(row.unit_code, 0) + 1
            if reported_in_period and row.reported_on_time:
                on_time[row.unit_code] = on_time.get(row.unit_code, 0) + 1
    stats = {unit.code: unit for unit in report.units}
    codes = [code for code in stats if code in names] + sorted(code for code in due if code not in stats)
    result = []
    for code in codes:
        unit = stats.get(code)
        result.append(
            ScorecardRow(
                code=code,
                name=names.get(code, code),
                complaints=unit.received if unit else 0,
                resolved=unit.resolved if unit else 0,
                on_time_rate=unit.on_time_rate if unit else None,
                average_rating=unit.average_rating if unit else None,
                ratings=len(unit.ratings) if unit else 0,
                rectifications_due=due.get(code, 0),
                rectifications_on_time=on_time.get(code, 0),
                overdue_now=unit.overdue_now if unit else 0,
            )
        )
    return sorted(result, key=lambda row: (row.score is None, -(row.score or 0), row.code))
