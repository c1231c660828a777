"""Periodic reports (R5 Art.12–13): per unit for a period — received, accepted, rejected by ground,
resolved, on-time rate, average handling time in working days, overdue now, average rating, and who
cannot be reached — plus a weekly trend. Reads only the period's rows and the open ones."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select

from nocert_core.adapters.sql import orm
from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain.actors import Role
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, ComplaintStatus
from nocert_core.services.platform.uow import UnitOfWorkFactory

S = ComplaintStatus
UNROUTED = "—"


@dataclass(frozen=True)
class Period:
    start: date  # first local day
    end: date  # last local day (inclusive)
    name: str  # "week" | "month" | "custom"

    def label(self) -> str:
        return f"{self.start.isoformat()}–{self.end.isoformat()}"


def period_for(name: str, today: date, previous: bool = False) -> Period:
    """This week (Mon–today) / this month, or the previous complete one."""
    if name == "week":
        start = today - timedelta(days=today.weekday())
        if previous:
            return Period(start - timedelta(days=7), start - timedelta(days=1), name)
        return Period(start, today, name)
    if name == "month":
        start = today.replace(day=1)
        if previous:
            last = start - timedelta(days=1)
            return Period(last.replace(day=1), last, name)
        return Period(start, today, name)
    raise ValueError("period must be week or month")


@dataclass
class UnitStats:
    code: str
    name: str
    received: int = 0
    accepted: int = 0
    rejected: Counter[str] = field(default_factory=Counter)
    resolved: int = 0
    due: int = 0  # resolved in the period or fell overdue in it: the on-time denominator
    on_time: int = 0
    handling_days: list[int] = field(default_factory=list)
    overdue_now: int = 0
    ratings: list[int] = field(default_factory=list)
    unreachable: list[str] = field(default_factory=list)

    @property
    def rejected_total(self) -> int:
        return sum(self.rejected.values())

    @property
    def on_time_rate(self) -> float | None:
        return self.on_time / self.due if self.due else None

    @property
    def average_handling_days(self) -> float | None:
        return sum(self.handling_days) / len(self.handling_days) if self.handling_days else None

    @property
    def average_rating(self) -> float | None:
        return sum(self.ratings) / len(self.ratings) if self.ratings else None


@dataclass
class Report:
    period: Period
    generated_at: datetime
    units: list[UnitStats]
    trend: list[tuple[date, int]]  # (Monday of the week, complaints received)
    unreachable: list[str]  # "name (role, unit): reason"

    def total(self) -> UnitStats:
        total = UnitStats("*", "合计")
        for unit in self.units:
            total.received += unit.received
            total.accepted += unit.accepted
            total.rejected.update(unit.rejected)
            total.resolved += unit.resolved
            total.due += unit.due
            total.on_time += unit.on_time
            total.handling_days += unit.handling_days
            total.overdue_now += unit.overdue_now
            total.ratings += unit.ratings
        return total


def _window(column: Any, start: datetime, end: datetime) -> Any:
    return and_(column >= start, column < end)


def _unit_totals(start: datetime, end: datetime, now: datetime) -> Any:
    """Per unit, counted by the database (one pass, nothing per row in Python): received, accepted,
    resolved (and on time) in the period, overdue now and fallen overdue in the period."""
    c = orm.complaints
    closed_in = _window(c.c.closed_at, start, end)
    resolved = and_(c.c.status == S.RESOLVED, closed_in, c.c.accepted_at.is_not(None))
    overdue = and_(c.c.status.in_(HANDLING_STATES), c.c.deadline_at < now)
    return select(
        c.c.unit_code,
        func.count().filter(_window(c.c.registered_at, start, end)).label("received"),
        func.count().filter(_window(c.c.accepted_at, start, end)).label("accepted"),
        func.count().filter(resolved).label("resolved"),
        func.count()
        .filter(and_(resolved, or_(c.c.deadline_at.is_(None), c.c.closed_at <= c.c.deadline_at)))
        .label("on_time"),
        func.count().filter(overdue).label("overdue_now"),
        func.count().filter(and_(overdue, _window(c.c.deadline_at, start, end))).label("fell_overdue"),
    ).group_by(c.c.unit_code)


async def build_report(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    period: Period,
    unit_code: str | None = None,
    trend_weeks: int = 8,
    handling_days: bool = True,
) -> Report:
    """`handling_days=False` leaves out the average handling time (the only figure that needs the rows in
    Python, with the working-day calendar): the web overview does not show it."""
    settings = uow_factory.settings
    tz = settings.timezone
    now = clock.now()
    start = local_midnight(period.start, tz)
    end = local_midnight(period.end + timedelta(days=1), tz)
    c, r, a = orm.complaints, orm.complaint_ratings, orm.accounts
    trend_start_day = period.end - timedelta(days=period.end.weekday()) - timedelta(weeks=trend_weeks - 1)
    mondays = [trend_start_day + timedelta(weeks=week) for week in range(trend_weeks)]
    bounds = [local_midnight(day, tz) for day in mondays] + [end]

    def scoped(query: Any) -> Any:
        return query.where(c.c.unit_code == unit_code) if unit_code else query

    window = or_(
        _window(c.c.registered_at, start, end),
        _window(c.c.accepted_at, start, end),
        _window(c.c.closed_at, start, end),
        c.c.status.in_(HANDLING_STATES),
    )
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        units = {unit.code: unit.name for unit in await uow.units.list()}
        totals = (await uow.session.execute(scoped(_unit_totals(start, end, now).where(window)))).all()
        rejected = (
            await uow.session.execute(
                scoped(
                    select(c.c.unit_code, c.c.rejection_ground, func.count())
                    .where(c.c.status == S.REJECTED, _window(c.c.closed_at, start, end))
                    .group_by(c.c.unit_code, c.c.rejection_ground)
                )
            )
        ).all()
        handled: Sequence[Any] = []
        if handling_days:
            handled = (
                await uow.session.execute(
                    scoped(
                        select(c.c.unit_code, c.c.accepted_at, c.c.closed_at).where(
                            c.c.status == S.RESOLVED,
                            _window(c.c.closed_at, start, end),
                            c.c.accepted_at.is_not(None),
                        )
                    )
                )
            ).all()
        rating_query = (
            select(c.c.unit_code, r.c.score)
            .join(r, r.c.complaint_id == c.c.id)
            .where(r.c.rated_at >= start, r.c.rated_at < end)
        )
        ratings = (await uow.session.execute(scoped(rating_query))).all()
        weekly = (
            await uow.session.execute(
                scoped(
                    select(
                        *(
                            func.count().filter(_window(c.c.registered_at, bounds[i], bounds[i + 1]))
                            for i in range(trend_weeks)
                        )
                    ).where(_window(c.c.registered_at, bounds[0], end))
                )
            )
        ).one()
        unreachable_rows = (
            await uow.session.execute(
                select(a.c.display_name, a.c.role, a.c.unit_code, a.c.unreachable_reason).where(
                    a.c.reachable.is_(False), a.c.role.in_([Role.STAFF, Role.SUPERVISOR, Role.ADMIN])
                )
            )
        ).all()

    stats: dict[str, UnitStats] = {}

    def unit(code: str | None) -> UnitStats:
        key = code or UNROUTED
        if key not in stats:
            stats[key] = UnitStats(key, units.get(key, "未分派" if key == UNROUTED else key))
        return stats[key]

    if unit_code:
        unit(unit_code)
    else:
        for code in units:
            unit(code)

    for row in totals:
        stat = unit(row.unit_code)
        stat.received += row.received
        stat.accepted += row.accepted
        stat.resolved += row.resolved
        stat.due += row.resolved + row.fell_overdue  # fell overdue in the period: against the on-time rate
        stat.on_time += row.on_time
        stat.overdue_now += row.overdue_now
    for code, ground, count in rejected:
        unit(code).rejected[str(ground or "other")] += int(count)
    for code, accepted_at, closed_at in handled:
        unit(code).handling_days.append(
            calendar.working_days_between(local_date(accepted_at, tz), local_date(closed_at, tz))
        )
    for code, score in ratings:
        unit(code).ratings.append(int(score))
    unreachable: list[str] = []
    for name, role, code, reason in unreachable_rows:
        unreachable.append(
            f"{name} ({role}{', ' + units.get(code, code) if code else ''}): {reason or ''}".strip()
        )
        if code and code in stats:
            stats[code].unreachable.append(name)
    trend = [(monday, int(count or 0)) for monday, count in zip(mondays, weekly, strict=True)]
    ordered = sorted(stats.values(), key=lambda s: (s.code == UNROUTED, -s.received, s.code))
    if not unit_code:  # an empty unit adds nothing to a city-wide report except noise
        ordered = [
            s for s in ordered if s.received or s.overdue_now or s.resolved or s.accepted or s.rejected
        ]
    return Report(period, now, ordered, trend, unreachable)


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value * 100:.0f}%"


@dataclass
class Counts:
    by_unit: Counter[str]
    by_category: Counter[str]
    by_status: Counter[str]

    @property
    def total(self) -> int:
        return sum(self.by_status.values())


async def counts_since(uow_factory: UnitOfWorkFactory, day: date) -> Counts:
    """Complaints registered since local `day`, counted by unit (name), category and current state."""
    c = orm.complaints
    since = local_midnight(day, uow_factory.settings.timezone)
    async with uow_factory() as uow:
        names = {unit.code: unit.name for unit in await uow.units.list()}
        rows = (
            await uow.session.execute(
                select(c.c.unit_code, c.c.category, c.c.status).where(c.c.registered_at >= since)
            )
        ).all()
    counts = Counts(Counter(), Counter(), Counter())
    for unit_code, category, status in rows:
        counts.by_unit[names.get(unit_code or "", UNROUTED)] += 1
        counts.by_category[str(category)] += 1
        counts.by_status[str(status)] += 1
    return counts
