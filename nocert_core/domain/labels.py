"""Human labels (gettext msgids) for the domain's enums; channels translate them with `label_for`
(an enum value) or `label_of` (a raw value from a payload or a stored row).

Every value of ComplaintStatus, Category, RejectionGround, TerminationGround, Channel, ExtensionState and
Action has an entry (a unit test checks it), so adding an enum value without a label fails loudly. The
states of the other lifecycles (rectification notices, verification requests) are here too, so an error
naming a state (`IllegalTransition`'s `status`) is told with its label whatever the lifecycle.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from nocert_core.domain.actors import Role
from nocert_core.domain.adjustments import AdjustmentTrigger, AdjustmentType
from nocert_core.domain.calendar import DayKind
from nocert_core.domain.complaint_lifecycle import (
    Action,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
    TerminationGround,
)
from nocert_core.domain.complaints import Category, Channel
from nocert_core.domain.rectification import RectificationStatus
from nocert_core.domain.verification import VerificationResult, VerificationStatus
from nocert_core.errors import DomainError
from nocert_core.i18n import N_, Translator

STATUS_LABELS: dict[ComplaintStatus, str] = {
    ComplaintStatus.REGISTERED: N_("Registered, awaiting acceptance"),
    ComplaintStatus.ACCEPTED: N_("Accepted, being handled"),
    ComplaintStatus.EXTENDED: N_("Being handled (deadline extended)"),
    ComplaintStatus.RESOLVED: N_("Resolved with a result"),
    ComplaintStatus.REJECTED: N_("Not accepted"),
    ComplaintStatus.TERMINATED: N_("Handling ended"),
    ComplaintStatus.TRANSFERRED: N_("Returned for re-routing"),
    ComplaintStatus.DUPLICATE: N_("Duplicate of an earlier complaint"),
}

CATEGORY_LABELS: dict[Category, str] = {  # R5 Art.4
    Category.DEMANDED_PROOF: N_("Still demanded a certificate or proof"),
    Category.LIST_NOT_FOLLOWED: N_("Did not implement the certificate-use list"),
    Category.VERIFICATION_LATE: N_("Did not check materials in time"),
    Category.OTHER: N_("Other conduct against the no-proof rules"),
}

REJECTION_GROUND_LABELS: dict[RejectionGround, str] = {  # R5 Art.8
    RejectionGround.VAGUE: N_("Not specific enough to be verified"),
    RejectionGround.REPEAT: N_("Repeated complaint about a matter already being handled"),
    RejectionGround.LITIGATION: N_("To be resolved by litigation, arbitration or reconsideration"),
    RejectionGround.OUT_OF_SCOPE: N_("Not a no-proof matter"),
}

TERMINATION_GROUND_LABELS: dict[TerminationGround, str] = {  # R5 Art.11
    TerminationGround.WITHDRAWN: N_("Withdrawn by the complainant"),
    TerminationGround.OTHER_PROCEEDINGS: N_(
        "The complainant applied for arbitration, reconsideration or litigation"
    ),
    TerminationGround.OTHER: N_("Ended for another reason"),
}

CHANNEL_LABELS: dict[Channel, str] = {  # R5 Art.5
    Channel.TELEGRAM: N_("Telegram"),
    Channel.CONSOLE: N_("Console"),
    Channel.HOTLINE: N_("12345 hotline or task-force phone"),
    Channel.LETTER: N_("Letter"),
    Channel.FAX: N_("Fax"),
    Channel.SMS: N_("SMS"),
    Channel.EMAIL: N_("E-mail"),
    Channel.PLATFORM: N_("Complaint platform"),
    Channel.COUNTER: N_("On the spot at a service counter"),
}

EXTENSION_STATE_LABELS: dict[ExtensionState, str] = {  # R5 Art.10
    ExtensionState.NONE: N_("No extension"),
    ExtensionState.REQUESTED: N_("Extension requested, awaiting the task force"),
    ExtensionState.APPROVED: N_("Extension approved"),
    ExtensionState.DENIED: N_("Extension denied"),
}

ACTION_LABELS: dict[Action, str] = {  # the audit trail, as the complainant's timeline shows it
    Action.ROUTE: N_("routed to the handling unit"),
    Action.ACCEPT: N_("accepted"),
    Action.REJECT: N_("not accepted"),
    Action.REQUEST_EXTENSION: N_("extension requested"),
    Action.APPROVE_EXTENSION: N_("extension approved"),
    Action.DENY_EXTENSION: N_("extension denied"),
    Action.RESOLVE: N_("resolved"),
    Action.TERMINATE: N_("terminated"),
    Action.RETURN_MISROUTED: N_("returned as misrouted"),
    Action.MARK_DUPLICATE: N_("marked as duplicate"),
    Action.RATE: N_("rated"),
}
# Audit rows that are not transitions (Complaint.record_registration, Complaint.record_access).
AUDIT_ONLY_LABELS: dict[str, str] = {
    "register": N_("registered"),
    "view_phone": N_("phone number viewed"),
    "correct_deadline": N_("deadline recomputed with the official holiday schedule"),
    "press": N_("the task force pressed the unit"),
}

RECTIFICATION_STATUS_LABELS: dict[RectificationStatus, str] = {  # R4 Art.8–9
    RectificationStatus.ISSUED: N_("Issued, waiting for the unit's report"),
    RectificationStatus.REPORTED: N_("Reported, waiting for the task force"),
    RectificationStatus.RETURNED: N_("Sent back for another report"),
    RectificationStatus.ACCEPTED: N_("Accepted, follow-up check pending"),
    RectificationStatus.CLOSED: N_("Closed after the follow-up check"),
}

VERIFICATION_STATUS_LABELS: dict[VerificationStatus, str] = {  # R2
    VerificationStatus.REQUESTED: N_("Requested, not yet registered"),
    VerificationStatus.ACCEPTED: N_("Registered, being verified"),
    VerificationStatus.VERIFIED: N_("Verified"),
    VerificationStatus.RETURNED: N_("Returned"),
    VerificationStatus.WITHDRAWN: N_("Withdrawn"),
}

ADJUSTMENT_TYPE_LABELS: dict[AdjustmentType, str] = {  # R3 Art.5–7
    AdjustmentType.ADD: N_("Added to the catalogue"),
    AdjustmentType.CHANGE: N_("Changed in the catalogue"),
    AdjustmentType.CANCEL: N_("Removed from the catalogue"),
}

ADJUSTMENT_TRIGGER_LABELS: dict[AdjustmentTrigger, str] = {  # R3 Art.5–7, 9
    AdjustmentTrigger.LAW_ENACTED: N_("A law or regulation requires a new proof"),
    AdjustmentTrigger.SERVICE_TAKEN_OVER: N_("A newly taken-over service involves proofs"),
    AdjustmentTrigger.FUNCTION_CHANGE: N_("The unit's functions changed"),
    AdjustmentTrigger.LAW_AMENDED: N_("A law or regulation changed the proof"),
    AdjustmentTrigger.SERVICE_RENAMED: N_("The service was renamed"),
    AdjustmentTrigger.PROOF_RENAMED: N_("The proof's name or kind changed"),
    AdjustmentTrigger.LAW_REPEALED: N_("The legal basis was repealed"),
    AdjustmentTrigger.GOVERNMENT_DECISION: N_("A government decision cancelled it"),
    AdjustmentTrigger.TASK_FORCE: N_("Started by the task force"),
    AdjustmentTrigger.OTHER: N_("Another reason"),
    AdjustmentTrigger.IMPORT: N_("Filed by a catalogue import"),
}

ROLE_LABELS: dict[Role, str] = {  # also the console's banner (bot/console.py)
    Role.CITIZEN: N_("citizen"),
    Role.STAFF: N_("unit staff"),
    Role.SUPERVISOR: N_("task force"),
    Role.ADMIN: N_("administrator"),
    Role.SYSTEM: N_("system"),
}

DAY_KIND_LABELS: dict[DayKind, str] = {  # the official schedule's exceptions to Monday–Friday
    DayKind.HOLIDAY: N_("Day off"),
    DayKind.WORKDAY: N_("Working day (moved)"),
}

VERIFICATION_RESULT_LABELS: dict[VerificationResult, str] = {  # R2 Art.8–9
    VerificationResult.CONSISTENT: N_("Consistent with the records"),
    VerificationResult.INCONSISTENT: N_("Inconsistent with the records"),
}

_ALL: dict[type[StrEnum], Mapping[Any, str]] = {
    ComplaintStatus: STATUS_LABELS,
    Category: CATEGORY_LABELS,
    RejectionGround: REJECTION_GROUND_LABELS,
    TerminationGround: TERMINATION_GROUND_LABELS,
    Channel: CHANNEL_LABELS,
    ExtensionState: EXTENSION_STATE_LABELS,
    Action: ACTION_LABELS,
    RectificationStatus: RECTIFICATION_STATUS_LABELS,
    VerificationStatus: VERIFICATION_STATUS_LABELS,
    AdjustmentType: ADJUSTMENT_TYPE_LABELS,
    AdjustmentTrigger: ADJUSTMENT_TRIGGER_LABELS,
    Role: ROLE_LABELS,
    DayKind: DAY_KIND_LABELS,
    VerificationResult: VERIFICATION_RESULT_LABELS,
}


def label_msgid(value: StrEnum) -> str:
    """The msgid for an enum value (the raw value for an enum we do not label)."""
    table = _ALL.get(type(value))
    return table.get(value, value.value) if table else value.value


def label_for(value: StrEnum | None, translate: Translator) -> str:
    """The value's label in the translator's language; '' for None."""
    if value is None:
        return ""
    return translate(label_msgid(value))


def label_of(kind: type[StrEnum], raw: str | None, translate: Translator) -> str:
    """The label of a raw value of `kind` (e.g. "registered" from an outbox payload); unknown values and
    audit-only actions ("register", "view_phone") are shown as well as we can, never raised on."""
    if raw is None or raw == "":
        return ""
    try:
        return label_for(kind(raw), translate)
    except ValueError:
        msgid = AUDIT_ONLY_LABELS.get(raw) if kind is Action else None
        return translate(msgid) if msgid else str(raw)


def error_text(error: DomainError, translate: Translator) -> str:
    """A domain error in the reader's language: `field` is a msgid (a label marked with N_, e.g. "Phone"),
    and an enum (a state, a step) is named by its label, not its code value."""
    params: dict[str, object] = {}
    for key, value in error.params.items():
        if isinstance(value, StrEnum):
            params[key] = label_for(value, translate)
        elif key == "field" and isinstance(value, str):
            params[key] = translate(value)
        else:
            params[key] = value
    if error.msgid_plural is not None:
        return translate.ngettext(error.msgid, error.msgid_plural, int(error.params["count"]), **params)
    return translate(error.msgid, **params)
