"""What the complaint lifecycle's outbox messages carry (R5): one typed payload per message kind, listed with
the other lifecycles' in nocert_core/domain/notifications.py (`PAYLOAD_TYPES`).

Written by the in-transaction subscribers of complaint events (nocert_core/services/complaints/notify.py,
press.py, cards.py), rendered by handlers/complaints/notifications.py and handlers/complaints/card_updates.py.
The stored JSON is the shape the code before these types wrote (a card's fields flat, the same key names), so
rows still pending from that code read as their type.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import ClassVar, Self

from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.payload import MalformedPayload, Payload

ASSIGNED = "complaint.assigned"  # to the handling unit's staff
UNROUTED = "complaint.unrouted"  # to the task force: route it, or follow it up (nobody of the unit in chat)
EXTENSION_REQUESTED = "complaint.extension_requested"  # to the task force: decide it
PRESSED = "complaint.pressed"  # 催办, to the handling unit's staff (services/complaints/press.py)
STATUS_CHANGED = "complaint.status"  # to the complainant
STAFF_UPDATE = "complaint.staff_update"  # to the handling unit's staff
CARD_UPDATE = "card.update"  # a card sent earlier, edited in place (services/complaints/cards.py)


@dataclass(frozen=True)
class CaseNotice(CaseCard):
    """The case card as a message: new for the unit, to be routed, an extension to decide."""

    KINDS: ClassVar[tuple[str, ...]] = (ASSIGNED, UNROUTED, EXTENSION_REQUESTED)
    returned_by: str | None = None  # unrouted: the unit that returned it as not within its remit
    no_staff_bound: bool = False  # unrouted: routed, but nobody of the unit is bound in chat


@dataclass(frozen=True)
class CasePressed(CaseCard):
    """催办: the task force presses the unit about an overdue complaint."""

    KINDS: ClassVar[tuple[str, ...]] = (PRESSED,)
    working_days_late: int = 1
    note: str | None = None  # the task force's words


@dataclass(frozen=True)
class StatusChange(Payload):
    """What happened to the complainant's complaint, and what comes next."""

    KINDS: ClassVar[tuple[str, ...]] = (STATUS_CHANGED,)
    number: str
    # accepted | rejected | resolved | terminated | duplicate | extended | routed | returned | pressed |
    # deadline_corrected (the texts: handlers/complaints/notifications.CHANGE_TEXT)
    change: str
    unit_name: str | None = None
    deadline: str | None = None  # ISO date, local
    provisional: bool = False  # the deadline counts days of a year whose holidays are not published yet
    result: str | None = None  # resolved
    ground: str | None = None  # rejected: a RejectionGround value
    reason: str | None = None  # rejected, returned: the unit's words
    rate: bool = False  # ask for a 1–5 rating
    termination: str | None = None  # terminated: a TerminationGround value
    original: str | None = None  # duplicate: the earlier complaint's number
    days: int | None = None  # extended: working days added
    extension_reason: str | None = None  # extended
    previous: str | None = None  # deadline_corrected: the date told before
    days_late: int | None = None  # pressed


@dataclass(frozen=True)
class StaffUpdate(Payload):
    """A change the handling unit's staff must know of, without a card."""

    KINDS: ClassVar[tuple[str, ...]] = (STAFF_UPDATE,)
    number: str
    # terminated | extension_approved | extension_denied | reassigned | deadline_corrected
    change: str
    termination: str | None = None  # terminated: a TerminationGround value
    deadline: str | None = None  # ISO date, local
    previous: str | None = None  # deadline_corrected
    to_unit: str | None = None  # reassigned: the new unit's name


@dataclass(frozen=True)
class CardUpdate(Payload):
    """A card delivered earlier (its message id), edited to the complaint as it is now."""

    KINDS: ClassVar[tuple[str, ...]] = (CARD_UPDATE,)
    number: str
    message_id: str
    case: CaseCard
    change: str = "status"  # status | routed | reassigned | terminated | duplicate
    termination: str | None = None  # terminated: a TerminationGround value
    original: str | None = None  # duplicate: the earlier complaint's number
    from_unit: str | None = None  # routed or reassigned: the unit that had it
    open: bool = False  # the recipient may open the complaint now
    supervisor: bool = False  # the recipient is of the task force (the card's buttons)

    @classmethod
    def read(cls, data: object) -> Self:
        update = super().read(data)
        if isinstance(update.case, CaseCard):
            return update
        try:
            return dataclasses.replace(update, case=CaseCard.read(update.case))
        except MalformedPayload as error:
            raise MalformedPayload(f"{cls.__name__}.case: {error}") from None
