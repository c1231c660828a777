"""The register book (R5 Art.7) searched: filters by number, unit, state, category, channel, registration
dates and text, newest first, paged by keyset (the id of the last row shown), so page 1,000 costs what page
1 costs. The export writes exactly what the filter selects. Staff see their own unit's complaints only, as
in `services.complaints.list_complaints`."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, fields, replace
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import or_, select

from nocert_core.adapters.sql import orm
from nocert_core.clock import local_midnight
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import Category, Channel, Complaint
from nocert_core.errors import PermissionDenied, ValidationFailed
from nocert_core.i18n import N_, translator
from nocert_core.services.complaints.register_book import register_rows, write_xlsx
from nocert_core.services.platform.uow import AbstractUnitOfWork

PAGE_SIZE = 50
FULL_NUMBER = re.compile(r"TS-\d{4}-\d{6,}")
EXPORT_BATCH = 2000


@dataclass(frozen=True)
class RegisterFilter:
    number: str = ""
    unit: str = ""
    state: str = ""
    category: str = ""
    channel: str = ""
    date_from: str = ""  # YYYY-MM-DD, local registration day, inclusive
    date_to: str = ""
    text: str = ""

    @classmethod
    def from_query(cls, query: Any) -> RegisterFilter:
        return cls(**{f.name: str(query.get(f.name, "")).strip()[:200] for f in fields(cls)})

    def as_query(self) -> dict[str, str]:
        return {f.name: getattr(self, f.name) for f in fields(self) if getattr(self, f.name)}

    def for_actor(self, actor: Actor) -> RegisterFilter:
        if actor.role == Role.STAFF:
            return replace(self, unit=actor.unit_code or "\x00")  # staff: their own unit, whatever was asked
        if not actor.is_supervisor:
            raise PermissionDenied()
        return self


def _day(value: str, field_name: str) -> date | None:
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError as error:
        raise ValidationFailed(N_("Please type a date like 2026-11-25."), field=field_name) from error


def _enum(kind: Any, value: str) -> Any:
    try:
        return kind(value) if value else None
    except ValueError as error:
        raise ValidationFailed() from error


def _query(flt: RegisterFilter, timezone: str) -> Any:
    c = orm.complaints
    query = select(Complaint)
    number = flt.number.upper()
    if FULL_NUMBER.fullmatch(number):
        query = query.where(c.c.number == number)  # the unique index answers at once
    elif number:
        query = query.where(c.c.number.like(f"{number.replace('%', '').replace('_', '')}%"))
    if flt.unit:
        query = query.where(c.c.unit_code == flt.unit)
    for column, kind, value in (
        (c.c.status, ComplaintStatus, flt.state),
        (c.c.category, Category, flt.category),
        (c.c.channel, Channel, flt.channel),
    ):
        parsed = _enum(kind, value)
        if parsed is not None:
            query = query.where(column == parsed)
    start, end = _day(flt.date_from, N_("From")), _day(flt.date_to, N_("To"))
    if start:
        query = query.where(c.c.registered_at >= local_midnight(start, timezone))
    if end:
        query = query.where(c.c.registered_at < local_midnight(end + timedelta(days=1), timezone))
    if flt.text:
        like = f"%{flt.text.replace('%', '').replace('_', '')}%"
        query = query.where(or_(c.c.demand.like(like), c.c.facts.like(like), c.c.agency_text.like(like)))
    return query


@dataclass
class RegisterPage:
    complaints: list[Complaint]
    next_after: int | None  # pass as `after` for the next page; None on the last page


async def search_register(
    uow: AbstractUnitOfWork,
    actor: Actor,
    flt: RegisterFilter,
    after: int | None = None,
    limit: int = PAGE_SIZE,
) -> RegisterPage:
    flt = flt.for_actor(actor)
    c = orm.complaints
    query = _query(flt, uow.settings.timezone)
    if after is not None:
        query = query.where(c.c.id < after)
    query = query.order_by(c.c.id.desc()).limit(limit + 1)
    async with uow:
        found = list((await uow.complaints.session.execute(query)).scalars().all())
    more = len(found) > limit
    found = found[:limit]
    return RegisterPage(found, found[-1].id if more and found else None)


async def export_filtered(
    uow_factory: Any, actor: Actor, flt: RegisterFilter, path: Path, locale: str | None = None
) -> int:
    """Write exactly the filtered rows (newest first) to an .xlsx; returns how many."""
    complaints: list[Complaint] = []
    after: int | None = None
    while True:
        page = await search_register(uow_factory(), actor, flt, after, EXPORT_BATCH)
        complaints += page.complaints
        if page.next_after is None:
            break
        after = page.next_after
    async with uow_factory() as uow:
        names = {unit.code: unit.name for unit in await uow.units.list()}
    settings = uow_factory.settings
    translate = translator(locale or settings.locale)
    write_xlsx(path, register_rows(complaints, names, settings.timezone, translate), translate)
    return len(complaints)


def unit_choices(units: Sequence[Any]) -> list[tuple[str, str]]:
    return [(unit.code, unit.name) for unit in units]
