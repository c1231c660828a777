"""What a complaint's intake reads when it opens and when it registers, each in ONE statement (issue 15).

- Registering (was three round trips per Submit): whether the draft was registered already (its dedup
  ref), how many complaints the citizen filed today (the daily cap) and the open complaints from the same
  phone (the repeat check, for any unit: the screening picks the unit's own afterwards, in Python). One row
  per open complaint from the phone, each carrying the two counts; a phone with none still gives one row
  (the complaints are outer-joined to a one-row select), with the complaint's columns NULL.
- Opening (was two): the citizen's complaints filed today and the name and phone of their latest one (to
  offer instead of asking again).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import NamedTuple

from sqlalchemy import and_, bindparam, func, literal, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.direct import execute_in
from nocert_core.domain.complaint_lifecycle import OPEN_STATES


class RepeatCandidate(NamedTuple):
    """An open complaint as the repeat check reads it (nocert_core/services/screening/advice.py)."""

    number: str
    agency_text: str
    demand: str
    reasons: str
    facts: str
    unit_code: str | None = None


class RegisterChecks(NamedTuple):
    registered: bool  # a complaint with the draft's dedup ref exists already
    filed_since: int  # complaints the complainant filed at or after `since`
    open_from_phone: Sequence[RepeatCandidate]  # oldest first, of every unit


_complaints = orm.complaints
_earlier = orm.complaints.alias("earlier")
_REGISTERED = select(func.count()).where(_complaints.c.dedup_ref == bindparam("dedup_ref")).scalar_subquery()
_FILED = (
    select(func.count())
    .where(
        _complaints.c.complainant_ref == bindparam("complainant_ref"),
        _complaints.c.registered_at >= bindparam("since"),
    )
    .scalar_subquery()
)
_ONE_ROW = select(literal(1).label("one")).subquery("one_row")
_CHECKS = (
    select(
        _REGISTERED.label("registered"),
        _FILED.label("filed"),
        _earlier.c.number,
        _earlier.c.agency_text,
        _earlier.c.demand,
        _earlier.c.reasons,
        _earlier.c.facts,
        _earlier.c.unit_code,
    )
    .select_from(
        _ONE_ROW.outerjoin(
            _earlier,
            and_(
                _earlier.c.complainant_phone == bindparam("phone"),
                # equalities, not IN: a list of values is rendered per call (no statement prepared once)
                or_(*(_earlier.c.status == state for state in OPEN_STATES)),
            ),
        )
    )
    .order_by(_earlier.c.registered_at, _earlier.c.id)
)


_LATEST = (
    select(_complaints.c.complainant_name, _complaints.c.complainant_phone)
    .where(_complaints.c.complainant_ref == bindparam("complainant_ref"))
    .order_by(_complaints.c.registered_at.desc(), _complaints.c.number.desc())
    .limit(1)
    .subquery("latest")
)
_INTAKE_START = select(
    _FILED.label("filed"), _LATEST.c.complainant_name, _LATEST.c.complainant_phone
).select_from(_ONE_ROW.outerjoin(_LATEST, literal(True)))


async def intake_checks(
    session: AsyncSession, complainant_ref: str, since: datetime
) -> tuple[int, tuple[str, str] | None]:
    """(complaints filed since `since`, the latest one's name and phone) in one round trip."""
    parameters = {"complainant_ref": complainant_ref, "since": since}
    _, rows = await execute_in(session, _INTAKE_START, parameters)  # adapters/sql/direct.py
    filed, name, phone = rows[0]
    return int(filed), None if name is None else (str(name), str(phone))


async def register_checks(
    session: AsyncSession,
    *,
    dedup_ref: str | None,
    complainant_ref: str | None,
    since: datetime,
    phone: str | None,
) -> RegisterChecks:
    """The three reads in one round trip (a None value matches nothing: nothing registered, 0 filed, no
    earlier complaint)."""
    parameters = {"dedup_ref": dedup_ref, "complainant_ref": complainant_ref, "since": since, "phone": phone}
    _, rows = await execute_in(session, _CHECKS, parameters)  # adapters/sql/direct.py
    first = rows[0]  # registered, filed, then the earlier complaint's number … unit_code
    return RegisterChecks(
        registered=bool(first[0]),
        filed_since=int(first[1]),
        open_from_phone=[RepeatCandidate(*row[2:]) for row in rows if row[2] is not None],
    )
