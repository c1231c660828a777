"""Verification requests (R2 部门核验) as text: the request card, its buttons and the outbox renderers
(kinds and payloads from nocert_core/domain/notifications.py)."""

from __future__ import annotations

from handlers.dispatch.notifications import Renderers
from handlers.types import Button, Reply
from nocert_core.domain import notifications as kinds
from nocert_core.domain.labels import label_of
from nocert_core.domain.notifications import VerificationCard, VerificationOverdue
from nocert_core.domain.verification import VerificationAction, VerificationResult, VerificationStatus
from nocert_core.i18n import N_, Translator

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


def card_text(card: VerificationCard, t: Translator) -> str:
    """The request as the two units see it."""
    lines = [
        t(N_("Verification request {number}"), number=card.number),
        t(N_("From: {unit}"), unit=card.requesting_unit),
        t(N_("To: {unit}"), unit=card.issuing_unit),
        t(N_("Service: {text}"), text=card.service),
        t(N_("Proof to verify: {text}"), text=card.proof),
        t(N_("Applicant: {text}"), text=card.applicant),
        t(N_("Data to check: {text}"), text=card.data),
        t(N_("Time limit: {day}"), day=card.deadline),
        t(N_("State: {state}"), state=status_label(card.status, t)),
    ]
    if card.result:
        lines.append(t(N_("Result: {result}"), result=result_label(card.result, t)))
    if card.details:
        lines.append(t(N_("Details: {text}"), text=card.details))
    if card.reason:
        lines.append(t(N_("Reason for return: {text}"), text=card.reason))
    if card.material:
        lines.append(t(N_("More material asked for: {text}"), text=card.material))
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


@renderer(kinds.VERIFICATION_REQUESTED)
def requested(card: VerificationCard, t: Translator) -> Reply:
    heading = t(
        N_("🔎 New verification request for your unit. Please verify it by {day}."), day=card.deadline
    )
    return Reply(f"{heading}\n{card_text(card, t)}", buttons=issuer_buttons(card.number, t))


@renderer(kinds.VERIFICATION_ANSWERED)
def answered(card: VerificationCard, t: Translator) -> Reply:
    if card.result:
        heading = t(
            N_("📬 {unit} verified request {number}: {result}."),
            unit=card.issuing_unit,
            number=card.number,
            result=result_label(card.result, t),
        )
    else:
        heading = t(
            N_("↩ {unit} returned request {number} as outside its duty."),
            unit=card.issuing_unit,
            number=card.number,
        )
    buttons = (
        [[Button(t(N_("📎 Record: asked the applicant for more")), f"vr:mat:{card.number}")]]
        if card.result == VerificationResult.INCONSISTENT.value
        else []
    )
    return Reply(f"{heading}\n{card_text(card, t)}", buttons=buttons)


@renderer(kinds.VERIFICATION_WITHDRAWN)
def withdrawn(card: VerificationCard, t: Translator) -> Reply:
    return Reply(
        t(
            N_("🗑 {unit} withdrew verification request {number} ({proof}); nothing more to do."),
            unit=card.requesting_unit,
            number=card.number,
            proof=card.proof,
        )
    )


@renderer(kinds.VERIFICATION_OVERDUE)
def overdue(alert: VerificationOverdue, t: Translator) -> Reply:
    number = alert.number
    return Reply(
        t(
            N_(
                "🔴 Verification request {number} ({proof}) from {requesting} to {issuing} is past its "
                "time limit ({day}). State: {state}."
            ),
            number=number,
            proof=alert.proof,
            requesting=alert.requesting_unit,
            issuing=alert.issuing_unit,
            day=alert.deadline,
            state=status_label(alert.status, t),
        ),
        buttons=[[Button(t(N_("Open")), f"vr:open:{number}")]],
    )
