"""The staff card of a complaint as data: what the chat's case card, the web's complaint page and the
complaint notifications to staff (`complaint.assigned`, `complaint.unrouted`, …) show. Built here, in the
domain, so the chat and the web read the same fields the notifications carry without importing the
notification subscribers (nocert_core/services/complaints/notify.py). Stored in the outbox as the flat JSON
object of its fields (`Payload.as_payload`), the shape older rows have too."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, Self

from nocert_core.clock import local_date
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.payload import Payload
from nocert_core.domain.phones import mask_phone


@dataclass(frozen=True)
class CaseCard(Payload):
    """Everything a staff card shows, JSON-serialisable; never the full phone number. The card of a
    notification kind is one of its subclasses (nocert_core/domain/complaint_notifications.py)."""

    number: str
    status: str  # ComplaintStatus value
    category: str  # Category value
    channel: str  # Channel value
    registered: str  # ISO date, local
    agency_text: str = ""
    unit_code: str | None = None
    unit_name: str | None = None
    name: str = ""
    on_behalf_of: str | None = None
    phone_masked: str = ""
    demand: str = ""
    reasons: str = ""
    facts: str = ""
    deadline: str | None = None  # ISO date, local
    deadline_provisional: bool = False
    extension_state: str = "none"  # ExtensionState value
    extension_days: int | None = None
    extension_reason: str | None = None
    status_reason: str | None = None
    admissible: bool = True
    grounds: list[str] = dataclasses.field(default_factory=list)  # RejectionGround values (screening advice)
    notes: list[str] = dataclasses.field(default_factory=list)  # screening notes (msgids)
    repeat_of: str | None = None
    allowed: list[str] = dataclasses.field(default_factory=list)  # Action values allowed now
    handling_days: int | None = None  # the settings' working days after acceptance (the card says so)

    @classmethod
    def of(
        cls, complaint: Complaint, unit_name: str | None, timezone: str, handling_days: int | None = None
    ) -> Self:
        """The card of `complaint` (a notification kind's card: its own fields at their defaults, to be
        set with `dataclasses.replace`)."""
        return cls(**_fields(complaint, unit_name, timezone, handling_days))


def _fields(
    complaint: Complaint, unit_name: str | None, timezone: str, handling_days: int | None
) -> dict[str, Any]:
    screening: dict[str, Any] = dict(complaint.screening or {})
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "category": complaint.category.value,
        "channel": complaint.channel.value,
        "registered": local_date(complaint.registered_at, timezone).isoformat(),
        "agency_text": complaint.agency_text,
        "unit_code": complaint.unit_code,
        "unit_name": unit_name,
        "name": complaint.complainant_name,
        "on_behalf_of": complaint.on_behalf_of,
        "phone_masked": mask_phone(complaint.complainant_phone),
        "demand": complaint.demand,
        "reasons": complaint.reasons,
        "facts": complaint.facts,
        "deadline": local_date(complaint.deadline_at, timezone).isoformat()
        if complaint.deadline_at
        else None,
        "deadline_provisional": complaint.deadline_provisional,
        "extension_state": complaint.extension_state.value,
        "extension_days": complaint.extension_days,
        "extension_reason": complaint.extension_reason,
        "status_reason": complaint.status_reason,
        "admissible": bool(screening.get("admissible", True)),
        "grounds": [str(ground) for ground in screening.get("grounds") or []],
        "notes": [str(note) for note in screening.get("notes") or []],
        "repeat_of": screening.get("repeat_of"),
        "allowed": sorted(action.value for action in complaint.allowed_actions()),
        "handling_days": handling_days,
    }
