"""Human labels (gettext msgids) for the complaint enums; channels translate them with `label_for`.

Every value of ComplaintStatus, Category, RejectionGround, TerminationGround and Channel has an entry
(a unit test checks it), so adding an enum value without a label fails loudly.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import Any

from nocert_core.domain.complaints import (
    Category,
    Channel,
    ComplaintStatus,
    RejectionGround,
    TerminationGround,
)
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

_ALL: dict[type[StrEnum], Mapping[Any, str]] = {
    ComplaintStatus: STATUS_LABELS,
    Category: CATEGORY_LABELS,
    RejectionGround: REJECTION_GROUND_LABELS,
    TerminationGround: TERMINATION_GROUND_LABELS,
    Channel: CHANNEL_LABELS,
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
