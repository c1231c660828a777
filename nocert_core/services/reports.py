"""Periodic reports (R5 Art.12–13): per unit for a period — received, accepted, rejected by ground,
resolved, on-time rate, average handling time in working days, overdue now, average rating, and who
cannot be reached — plus a weekly trend. Reads only the period's rows and the open ones."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from sqlalchemy import or_, select

from nocert_core.adapters import orm
from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain.actors import Role
from nocert_core.domain.complaints import HANDLING_STATES, ComplaintStatus
from nocert_core.services.uow import UnitOfWorkFactory

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


async def build_report(
    uow_factory: UnitOfWorkFactory,
    clock: Clock,
    period: Period,
    unit_code: str | None = None,
    trend_weeks: int = 8,
) -> Report:
    settings = uow_factory.settings
    tz = settings.timezone
    now = clock.now()
    start = local_midnight(period.start, tz)
    end = local_midnight(period.end + timedelta(days=1), tz)
    c, r, a = orm.complaints, orm.complaint_ratings, orm.accounts
    trend_start_day = period.end - timedelta(days=period.end.weekday()) - timedelta(weeks=trend_weeks - 1)
    trend_start = local_midnight(trend_start_day, tz)
    async with uow_factory() as uow:
        calendar = await uow.calendar.load()
        units = {unit.code: unit.name for unit in await uow.units.list()}
        window = or_(
            c.c.registered_at.between(start, end),
            c.c.accepted_at.between(start, end),
            c.c.closed_at.between(start, end),
            c.c.status.in_(HANDLING_STATES),
        )
        query = select(
            c.c.id,
            c.c.unit_code,
            c.c.status,
            c.c.registered_at,
            c.c.accepted_at,
            c.c.closed_at,
            c.c.deadline_at,
            c.c.rejection_ground,
        ).where(window)
        if unit_code:
            query = query.where(c.c.unit_code == unit_code)
        rows = (await uow.session.execute(query)).all()
        rating_query = (
            select(c.c.unit_code, r.c.score)
            .join(r, r.c.complaint_id == c.c.id)
            .where(r.c.rated_at >= start, r.c.rated_at < end)
        )
        if unit_code:
            rating_query = rating_query.where(c.c.unit_code == unit_code)
        ratings = (await uow.session.execute(rating_query)).all()
        trend_query = select(c.c.registered_at).where(
            c.c.registered_at >= trend_start, c.c.registered_at < end
        )
        if unit_code:
            trend_query = trend_query.where(c.c.unit_code == unit_code)
        trend_rows = (await uow.session.execute(trend_query)).scalars().all()
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

    def within(at: datetime | None) -> bool:
        return at is not None and start <= at < end

    for row in rows:
        stat = unit(row.unit_code)
        if within(row.registered_at):
            stat.received += 1
        if within(row.accepted_at):
            stat.accepted += 1
        if row.status == S.REJECTED and within(row.closed_at):
            stat.rejected[str(row.rejection_ground or "other")] += 1
        if row.status == S.RESOLVED and within(row.closed_at) and row.accepted_at is not None:
            stat.resolved += 1
            stat.due += 1
            if row.deadline_at is None or row.closed_at <= row.deadline_at:
                stat.on_time += 1
            stat.handling_days.append(
                calendar.working_days_between(local_date(row.accepted_at, tz), local_date(row.closed_at, tz))
            )
        if row.status in HANDLING_STATES and row.deadline_at is not None and row.deadline_at < now:
            stat.overdue_now += 1
            if within(row.deadline_at):
                stat.due += 1  # fell overdue in the period: counts against the on-time rate
    for code, score in ratings:
        unit(code).ratings.append(int(score))
    unreachable: list[str] = []
    for name, role, code, reason in unreachable_rows:
        unreachable.append(
            f"{name} ({role}{', ' + units.get(code, code) if code else ''}): {reason or ''}".strip()
        )
        if code and code in stats:
            stats[code].unreachable.append(name)
    weeks: dict[date, int] = defaultdict(int)
    for week in range(trend_weeks):
        weeks[trend_start_day + timedelta(weeks=week)] = 0
    for registered_at in trend_rows:
        day = local_date(registered_at, tz)
        weeks[day - timedelta(days=day.weekday())] += 1
    ordered = sorted(stats.values(), key=lambda s: (s.code == UNROUTED, -s.received, s.code))
    if not unit_code:  # an empty unit adds nothing to a city-wide report except noise
        ordered = [
            s for s in ordered if s.received or s.overdue_now or s.resolved or s.accepted or s.rejected
        ]
    return Report(period, now, ordered, sorted(weeks.items()), unreachable)


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
