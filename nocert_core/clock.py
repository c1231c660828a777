"""Clocks: services take one so tests can control time. All instants are timezone-aware UTC."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo


class Clock(Protocol):
    def now(self) -> datetime:
        """The current instant, timezone-aware, in UTC."""
        ...


class SystemClock:
    def now(self) -> datetime:
        return datetime.now(UTC)


class FixedClock:
    """A clock that moves only when told to (tests, simulations)."""

    def __init__(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def now(self) -> datetime:
        return self._at

    def set(self, at: datetime) -> None:
        if at.tzinfo is None:
            raise ValueError("FixedClock needs a timezone-aware datetime")
        self._at = at.astimezone(UTC)

    def advance(self, delta: timedelta) -> None:
        self._at += delta


def ensure_utc(value: datetime) -> datetime:
    """SQLite returns naive datetimes; everything we store is UTC, so re-attach it."""
    tzinfo = value.tzinfo
    if tzinfo is UTC:  # PostgreSQL's (asyncpg's) instants: every datetime a query returns passes here
        return value
    if tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def local_date(instant: datetime, tz: str) -> date:
    if instant.tzinfo is None:  # naive: UTC (SQLite)
        instant = instant.replace(tzinfo=UTC)
    return instant.astimezone(ZoneInfo(tz)).date()


def end_of_local_day(day: date, tz: str) -> datetime:
    """The last instant of `day` in `tz`, as UTC: a deadline day is usable until local midnight."""
    next_midnight = datetime.combine(day + timedelta(days=1), time(0, 0), tzinfo=ZoneInfo(tz))
    return (next_midnight - timedelta(microseconds=1)).astimezone(UTC)


def local_midnight(day: date, tz: str) -> datetime:
    return datetime.combine(day, time(0, 0), tzinfo=ZoneInfo(tz)).astimezone(UTC)
