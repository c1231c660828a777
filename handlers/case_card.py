"""The complaint card staff and supervisors see (in chat and in assignment messages): the facts, the
screening advice, the complainant's name and masked phone, the deadline, and the buttons allowed now.

Built from a plain payload so the outbox renderer (no database at render time) and /case show the same card.
"""

from __future__ import annotations

from typing import Any

from handlers.types import Button, Reply
from nocert_core.domain.complaints import (
    Action,
    Category,
    Channel,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
)
from nocert_core.domain.labels import label_of
from nocert_core.i18n import N_, Translator
from nocert_core.services.notify_complaints import case_payload

__all__ = ["case_buttons", "case_payload", "render_case"]


def render_case(
    payload: dict[str, Any], t: Translator, supervisor: bool, heading: str | None = None
) -> Reply:
    lines = [heading] if heading else []
    lines += [
        t(N_("Complaint {number}"), number=payload["number"]),
        f"{t(N_('Status'))}: {label_of(ComplaintStatus, payload['status'], t)}",
        f"{t(N_('Category'))}: {label_of(Category, payload['category'], t)}",
        f"{t(N_('Received by'))}: {label_of(Channel, payload['channel'], t)} · {payload['registered']}",
        f"{t(N_('Agency'))}: {payload['agency_text']}",
        f"{t(N_('Handling unit'))}: {payload['unit_name'] or t(N_('to be routed by the task force'))}",
        f"{t(N_('Complainant'))}: {payload['name']} · {payload['phone_masked']}",
    ]
    if payload.get("on_behalf_of"):
        lines.append(f"{t(N_('On behalf of'))}: {payload['on_behalf_of']}")
    lines += [
        f"{t(N_('Demand'))}: {payload['demand']}",
        f"{t(N_('Reasons'))}: {payload['reasons']}",
        f"{t(N_('Facts'))}: {payload['facts']}",
        _screening_line(payload, t),
    ]
    if payload.get("deadline"):
        lines.append(f"{t(N_('Deadline'))}: {payload['deadline']}")
    else:
        lines.append(
            t(N_("Deadline: {days} working days after acceptance"), days=payload.get("handling_days", 5))
        )
    if payload.get("extension_state") == ExtensionState.REQUESTED.value:
        lines.append(
            t(
                N_("Extension requested: {days} working days — {reason}"),
                days=payload["extension_days"],
                reason=payload["extension_reason"],
            )
        )
    if payload.get("status_reason") and payload["status"] in (ComplaintStatus.TRANSFERRED.value,):
        lines.append(f"{t(N_('Returned because'))}: {payload['status_reason']}")
    return Reply("\n".join(lines), case_buttons(payload, t, supervisor))


def _screening_line(payload: dict[str, Any], t: Translator) -> str:
    if payload["admissible"] and not payload["grounds"]:
        text = t(N_("Screening advice: looks admissible."))
    else:
        grounds = ", ".join(label_of(RejectionGround, ground, t) for ground in payload["grounds"])
        text = t(N_("Screening advice: check admissibility — {grounds}."), grounds=grounds or "—")
    if payload.get("repeat_of"):
        text += " " + t(N_("Possibly repeats {number}."), number=payload["repeat_of"])
    notes = [t(note) for note in payload.get("notes", [])]
    return " ".join([text, *notes])


def case_buttons(payload: dict[str, Any], t: Translator, supervisor: bool) -> list[list[Button]]:
    number, allowed = payload["number"], set(payload["allowed"])
    routed = payload.get("unit_code") is not None
    rows: list[list[Button]] = []
    if routed and Action.ACCEPT.value in allowed:
        rows.append(
            [Button(t(N_("✔ Accept")), f"st:acc:{number}"), Button(t(N_("✖ Reject")), f"st:rej:{number}")]
        )
    if routed and Action.RESOLVE.value in allowed:
        rows.append([Button(t(N_("✔ Resolve")), f"st:res:{number}")])
    if (
        routed
        and Action.REQUEST_EXTENSION.value in allowed
        and payload.get("extension_state") == ExtensionState.NONE.value
    ):
        rows.append([Button(t(N_("⏳ Request extension")), f"st:ext:{number}")])
    if supervisor and payload.get("extension_state") == ExtensionState.REQUESTED.value:
        rows.append(
            [
                Button(t(N_("Approve extension")), f"sv:xok:{number}"),
                Button(t(N_("Deny extension")), f"sv:xno:{number}"),
            ]
        )
    if supervisor and Action.ROUTE.value in allowed and not routed:
        rows.append([Button(t(N_("🧭 Route to a unit")), f"sv:route:{number}")])
    extra: list[Button] = []
    if routed and Action.RETURN_MISROUTED.value in allowed:
        extra.append(Button(t(N_("↩ Not ours: return")), f"st:ret:{number}"))
    if Action.MARK_DUPLICATE.value in allowed:
        extra.append(Button(t(N_("⧉ Duplicate")), f"st:dup:{number}"))
    if extra:
        rows.append(extra)
    rows.append([Button(t(N_("☎ View phone")), f"st:ph:{number}")])
    return rows
