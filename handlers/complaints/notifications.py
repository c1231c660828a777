"""Outbox renderers for complaint messages (kinds and payloads: nocert_core/domain/complaint_notifications.py,
written by nocert_core/services/complaints/notify.py and press.py)."""

from __future__ import annotations

from handlers.complaints.case_card import render_case
from handlers.dispatch.notifications import Renderers
from handlers.types import Button, Reply
from nocert_core.domain import complaint_notifications as kinds
from nocert_core.domain.complaint_lifecycle import RejectionGround, TerminationGround
from nocert_core.domain.complaint_notifications import CaseNotice, CasePressed, StaffUpdate, StatusChange
from nocert_core.domain.labels import label_of
from nocert_core.i18n import N_, Translator

renderer = Renderers()


@renderer(kinds.ASSIGNED)
def assigned(card: CaseNotice, t: Translator) -> Reply:
    return render_case(card, t, supervisor=False, heading=t(N_("📥 New complaint for your unit")))


@renderer(kinds.UNROUTED)
def unrouted(card: CaseNotice, t: Translator) -> Reply:
    if card.returned_by:
        heading = t(N_("🧭 Returned as misrouted by {unit}: please route it."), unit=card.returned_by)
    elif card.no_staff_bound:
        heading = t(N_("🧭 No staff of the handling unit is bound in chat: please follow up."))
    else:
        heading = t(N_("🧭 No unit found for this complaint: please route it."))
    return render_case(card, t, supervisor=True, heading=heading)


@renderer(kinds.EXTENSION_REQUESTED)
def extension_requested(card: CaseNotice, t: Translator) -> Reply:
    return render_case(card, t, supervisor=True, heading=t(N_("⏳ Extension request to decide")))


CHANGE_TEXT = {
    "accepted": N_("Your complaint {number} was accepted by {unit}. It is to be handled by {deadline}."),
    "rejected": N_("Your complaint {number} was not accepted. Ground: {ground}. Reason: {reason}"),
    "resolved": N_("Your complaint {number} is resolved. Result: {result}"),
    "terminated": N_("Your complaint {number} has ended: {termination}."),
    "duplicate": N_(
        "Your complaint {number} concerns the same matter as {original}, which is being handled; "
        "the two are merged."
    ),
    "extended": N_(
        "Handling of your complaint {number} was extended by {days} working days. "
        "Reason: {extension_reason}\nThe new deadline is {deadline}."
    ),
    "routed": N_(
        "The task force sent your complaint {number} to {unit}. The unit first decides whether to accept it; "
        "you will be told."
    ),
    "returned": N_(
        "The unit said your complaint {number} is not within its remit. The task force is finding the "
        "responsible unit; you will be told where it goes."
    ),
    "pressed": N_(
        "Your complaint {number} is past its deadline ({deadline}). The task force has pressed {unit} to "
        "handle it; you will be told the result."
    ),
    "deadline_corrected": N_(
        "The official holiday schedule is now known: the deadline of your complaint {number} is {deadline} "
        "(you were told {previous})."
    ),
}
PROVISIONAL_NOTE = N_(
    "This date is provisional: the official holiday schedule for that year is not published yet. "
    "You will be told if it changes."
)


@renderer(kinds.STATUS_CHANGED)
def status_changed(change: StatusChange, t: Translator) -> Reply:
    text = t(
        CHANGE_TEXT[change.change],
        number=change.number,
        unit=change.unit_name or "—",
        deadline=change.deadline or "—",
        ground=label_of(RejectionGround, change.ground, t),
        reason=change.reason or "",
        result=change.result or "",
        termination=label_of(TerminationGround, change.termination, t),
        original=change.original or "",
        previous=change.previous or "—",
        days=change.days or "—",
        extension_reason=change.extension_reason or "—",
    )
    if change.provisional and change.deadline:
        text += "\n" + t(PROVISIONAL_NOTE)
    buttons: list[list[Button]] = []
    if change.rate:
        text += "\n\n" + t(N_("How satisfied are you with how it was handled? Rate it from 1 to 5 stars:"))
        buttons.append([Button("★" * score, f"rt:{change.number}:{score}") for score in range(1, 6)])
    buttons.append([Button(t(N_("Details")), f"mc:open:{change.number}")])
    return Reply(text, buttons)


STAFF_TEXT = {
    "terminated": N_("Complaint {number} has ended: {termination}. No further action is needed."),
    "extension_approved": N_("The extension for complaint {number} was approved. New deadline: {deadline}."),
    "extension_denied": N_("The extension for complaint {number} was denied. The deadline stays {deadline}."),
    "reassigned": N_(
        "The task force reassigned complaint {number} to {unit}. Your unit no longer handles it."
    ),
    "deadline_corrected": N_(
        "The deadline of complaint {number} was recomputed with the official holiday schedule: {deadline} "
        "(was {previous})."
    ),
}


@renderer(kinds.STAFF_UPDATE)
def staff_update(update: StaffUpdate, t: Translator) -> Reply:
    text = t(
        STAFF_TEXT[update.change],
        number=update.number,
        termination=label_of(TerminationGround, update.termination, t),
        deadline=update.deadline or "—",
        previous=update.previous or "—",
        unit=update.to_unit or "—",
    )
    if update.change == "reassigned":  # no longer theirs: nothing to open
        return Reply(text)
    return Reply(text, [[Button(t(N_("Open")), f"st:case:{update.number}")]])


@renderer(kinds.PRESSED)
def pressed(card: CasePressed, t: Translator) -> Reply:
    """催办: the task force presses the unit about an overdue complaint (services/complaints/press.py)."""
    msgid = N_("⏰ The task force presses your unit: complaint {number} is {days} working days late.")
    heading = t(msgid, number=card.number, days=card.working_days_late or 1)
    if card.note:
        heading += "\n" + t(N_("The task force writes: {note}"), note=card.note)
    return render_case(card, t, supervisor=False, heading=heading)
