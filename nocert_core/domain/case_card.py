"""The staff card of a complaint as data: what the chat's case card, the web's complaint page and the
complaint notifications to staff (`complaint.assigned`, `complaint.unrouted`, …) show. Built here, in the
domain, so the chat and the web read the same fields the notifications carry without importing the
notification subscribers (nocert_core/services/notify_complaints.py)."""

from __future__ import annotations

from typing import Any

from nocert_core.clock import local_date
from nocert_core.domain.complaints import Complaint, mask_phone


def case_payload(complaint: Complaint, unit_name: str | None, timezone: str) -> dict[str, Any]:
    """Everything a staff card shows, JSON-serialisable; never the full phone number."""
    screening: dict[str, Any] = dict(complaint.screening or {})
    return {
        "number": complaint.number,
        "status": complaint.status.value,
        "category": complaint.category.value,
        "channel": complaint.channel.value,
        "agency_text": complaint.agency_text,
        "unit_code": complaint.unit_code,
        "unit_name": unit_name,
        "name": complaint.complainant_name,
        "on_behalf_of": complaint.on_behalf_of,
        "phone_masked": mask_phone(complaint.complainant_phone),
        "demand": complaint.demand,
        "reasons": complaint.reasons,
        "facts": complaint.facts,
        "registered": local_date(complaint.registered_at, timezone).isoformat(),
        "deadline": local_date(complaint.deadline_at, timezone).isoformat()
        if complaint.deadline_at
        else None,
        "deadline_provisional": complaint.deadline_provisional,
        "extension_state": complaint.extension_state.value,
        "extension_days": complaint.extension_days,
        "extension_reason": complaint.extension_reason,
        "status_reason": complaint.status_reason,
        "admissible": bool(screening.get("admissible", True)),
        "grounds": list(screening.get("grounds") or []),
        "notes": [str(note) for note in screening.get("notes") or []],
        "repeat_of": screening.get("repeat_of"),
        "allowed": sorted(action.value for action in complaint.allowed_actions()),
    }
