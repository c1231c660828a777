"""Verification requests (R2 部门核验) as text: the request card, its buttons and the outbox renderers
(kinds from nocert_core.services.verification)."""

from __future__ import annotations

from typing import Any

from handlers.notifications import Renderers
from handlers.types import Button, Reply
from nocert_core.domain.labels import label_of
from nocert_core.domain.verification import VerificationAction, VerificationResult, VerificationStatus
from nocert_core.i18n import N_, Translator
from nocert_core.services import verification as kinds

RESULT_LABELS = {
    VerificationResult.CONSISTENT: N_("consistent with what the applicant filled in"),
    VerificationResult.INCONSISTENT: N_("not consistent with what the applicant filled in"),
}


def status_label(value: str, t: Translator) -> str:
    return label_of(VerificationStatus, value, t)


def result_label(value: str | None, t: Translator) -> str:
    try:
        return t(RESULT_LABELS[VerificationResult(value or "")])
    except ValueError:
        return "—"


def card_text(fields: dict[str, Any], t: Translator) -> str:
    """The request as the two units see it (fields: the service's `payload`)."""
    lines = [
        t(N_("Verification request {number}"), number=fields["number"]),
        t(N_("From: {unit}"), unit=fields["requesting_unit"]),
        t(N_("To: {unit}"), unit=fields["issuing_unit"]),
        t(N_("Service: {text}"), text=fields["service"]),
        t(N_("Proof to verify: {text}"), text=fields["proof"]),
        t(N_("Applicant: {text}"), text=fields["applicant"]),
        t(N_("Data to check: {text}"), text=fields["data"]),
        t(N_("Time limit: {day}"), day=fields["deadline"]),
        t(N_("State: {state}"), state=status_label(fields["status"], t)),
    ]
    if fields.get("result"):
        lines.append(t(N_("Result: {result}"), result=result_label(fields["result"], t)))
    if fields.get("details"):
        lines.append(t(N_("Details: {text}"), text=fields["details"]))
    if fields.get("reason"):
        lines.append(t(N_("Reason for return: {text}"), text=fields["reason"]))
    if fields.get("material"):
        lines.append(t(N_("More material asked for: {text}"), text=fields["material"]))
    return "\n".join(lines)


def issuer_buttons(number: str, t: Translator, accepted: bool = False) -> list[list[Button]]:
    """The issuing unit's answers (R2 Art.8). Verifying a request not yet registered registers it too."""
    first = [] if accepted else [Button(t(N_("📝 Register and accept")), f"vr:acc:{number}")]
    return [
        *([first] if first else []),
        [
            Button(t(N_("✅ Consistent")), f"vr:ok:{number}"),
            Button(t(N_("❌ Inconsistent")), f"vr:bad:{number}"),
        ],
        [Button(t(N_("↩ Return (not our duty)")), f"vr:ret:{number}")],
    ]


def buttons_for(
    number: str, t: Translator, allowed: set[VerificationAction], issuing: bool
) -> list[list[Button]]:
    """What the viewer's unit can do now, by side."""
    if issuing:
        if VerificationAction.VERIFY in allowed or VerificationAction.ACCEPT in allowed:
            return issuer_buttons(number, t, accepted=VerificationAction.ACCEPT not in allowed)
        return []
    rows: list[list[Button]] = []
    if VerificationAction.WITHDRAW in allowed:
        rows.append([Button(t(N_("🗑 Withdraw the request")), f"vr:wd:{number}")])
    if VerificationAction.REQUEST_MATERIAL in allowed:
        rows.append([Button(t(N_("📎 Record: asked the applicant for more")), f"vr:mat:{number}")])
    return rows


renderer = Renderers()


@renderer(kinds.REQUESTED)
def requested(payload: dict[str, Any], t: Translator) -> Reply:
    heading = t(
        N_("🔎 New verification request for your unit. Please verify it by {day}."), day=payload["deadline"]
    )
    return Reply(f"{heading}\n{card_text(payload, t)}", buttons=issuer_buttons(payload["number"], t))


@renderer(kinds.ANSWERED)
def answered(payload: dict[str, Any], t: Translator) -> Reply:
    if payload.get("result"):
        heading = t(
            N_("📬 {unit} verified request {number}: {result}."),
            unit=payload["issuing_unit"],
            number=payload["number"],
            result=result_label(payload["result"], t),
        )
    else:
        heading = t(
            N_("↩ {unit} returned request {number} as outside its duty."),
            unit=payload["issuing_unit"],
            number=payload["number"],
        )
    buttons = (
        [[Button(t(N_("📎 Record: asked the applicant for more")), f"vr:mat:{payload['number']}")]]
        if payload.get("result") == VerificationResult.INCONSISTENT.value
        else []
    )
    return Reply(f"{heading}\n{card_text(payload, t)}", buttons=buttons)


@renderer(kinds.WITHDRAWN)
def withdrawn(payload: dict[str, Any], t: Translator) -> Reply:
    return Reply(
        t(
            N_("🗑 {unit} withdrew verification request {number} ({proof}); nothing more to do."),
            unit=payload["requesting_unit"],
            number=payload["number"],
            proof=payload["proof"],
        )
    )


@renderer(kinds.OVERDUE)
def overdue(payload: dict[str, Any], t: Translator) -> Reply:
    number = payload["number"]
    return Reply(
        t(
            N_(
                "🔴 Verification request {number} ({proof}) from {requesting} to {issuing} is past its "
                "time limit ({day}). State: {state}."
            ),
            number=number,
            proof=payload["proof"],
            requesting=payload["requesting_unit"],
            issuing=payload["issuing_unit"],
            day=payload["deadline"],
            state=status_label(payload["status"], t),
        ),
        buttons=[[Button(t(N_("Open")), f"vr:open:{number}")]],
    )
