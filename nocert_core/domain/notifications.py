"""What each kind of outbox message carries: one typed payload per message kind.

The core builds a payload object, the outbox stores it as a JSON object (`as_payload`), and the renderer of
its kind (handlers/) reads it back as the same type (`read_payload`). Reading is forgiving, so rows written
before a field existed — or by older code that wrote plain dicts — still render: unknown keys are ignored,
a missing field takes its default; a row that cannot be read raises `MalformedPayload` (the outbox worker
marks it undeliverable and logs why). The base class: nocert_core/domain/payload.py; the complaint kinds:
nocert_core/domain/complaint_notifications.py. Every kind is in `PAYLOADS` (a unit test holds every
renderer to it), and the outbox writes only typed payloads.

Kinds (the strings stored in `outbox.kind`) are the `KIND`s below; one payload type may serve several kinds
of the same lifecycle (a verification request's card is the same whether it is new, answered or withdrawn).
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any, ClassVar, Self

from nocert_core.domain.complaint_notifications import (
    CardUpdate,
    CaseNotice,
    CasePressed,
    StaffUpdate,
    StatusChange,
)
from nocert_core.domain.payload import MalformedPayload as MalformedPayload
from nocert_core.domain.payload import Payload as Payload
from nocert_core.domain.payload import read_rows

# ---- verification requests (R2) --------------------------------------------------------------------------
VERIFICATION_REQUESTED = "verification.requested"
VERIFICATION_ANSWERED = "verification.answered"
VERIFICATION_WITHDRAWN = "verification.withdrawn"
VERIFICATION_OVERDUE = "verification.overdue"


@dataclass(frozen=True)
class VerificationCard(Payload):
    """A request as its two units see it (the applicant's data included: only they receive it)."""

    KINDS: ClassVar[tuple[str, ...]] = (VERIFICATION_REQUESTED, VERIFICATION_ANSWERED, VERIFICATION_WITHDRAWN)
    number: str
    requesting_unit: str = ""
    issuing_unit: str = ""
    service: str = ""
    proof: str = ""
    applicant: str = ""
    data: str = ""
    deadline: str = ""  # ISO date, local
    status: str = ""
    result: str | None = None
    details: str | None = None
    reason: str | None = None  # why it was returned
    material: str | None = None


@dataclass(frozen=True)
class VerificationOverdue(Payload):
    """The register fields only: the applicant's data stay with the two units."""

    KINDS: ClassVar[tuple[str, ...]] = (VERIFICATION_OVERDUE,)
    number: str
    requesting_unit: str = ""
    issuing_unit: str = ""
    proof: str = ""
    deadline: str = ""
    status: str = ""


# ---- complaint alerts (R5: acceptance, deadlines, escalation, extensions) ---------------------------------
ACCEPTANCE_PENDING = "alert.acceptance_pending"
ROUTING_PENDING = "alert.routing_pending"
DUE_SOON = "alert.due_soon"
OVERDUE = "alert.overdue"
ESCALATION = "alert.escalation"
EXTENSION_UNDECIDED = "alert.extension_undecided"


@dataclass(frozen=True)
class ComplaintAlert(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (
        ACCEPTANCE_PENDING,
        ROUTING_PENDING,
        DUE_SOON,
        OVERDUE,
        ESCALATION,
        EXTENSION_UNDECIDED,
    )
    number: str
    unit_code: str | None = None
    unit_name: str = ""
    deadline: str = ""  # ISO date, local; "" while the complaint has none
    working_days: int | None = None  # acceptance and routing: days waited; escalation: days past the deadline
    days: int | None = None  # extension undecided: the working days asked for
    serious: bool = False  # escalation

    def as_payload(self) -> dict[str, Any]:
        """The keys a stage uses only when it uses them (the JSON the sweep has always written). Built
        field by field: a backlog's first sweep builds one per complaint (the generic way was ~15 % of
        its CPU)."""
        data: dict[str, Any] = {
            "number": self.number,
            "unit_code": self.unit_code,
            "unit_name": self.unit_name,
        }
        if self.deadline != "":
            data["deadline"] = self.deadline
        if self.working_days is not None:
            data["working_days"] = self.working_days
        if self.days is not None:
            data["days"] = self.days
        if self.serious is not False:
            data["serious"] = self.serious
        return data

    @property
    def unit(self) -> str:
        return self.unit_name or self.unit_code or "—"


# ---- hot spots (R5 Art.12) -----------------------------------------------------------------------------
UNIT_HOTSPOT = "hotspot.unit"
TOPIC_HOTSPOT = "hotspot.topic"


@dataclass(frozen=True)
class HotspotAlert(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (UNIT_HOTSPOT, TOPIC_HOTSPOT)
    subject: str = ""  # the unit's name, or the topic (a keyword)
    unit_code: str | None = None  # a unit hot spot
    units: list[str] = dataclasses.field(default_factory=list)  # names of the units involved
    numbers: list[str] = dataclasses.field(default_factory=list)  # the first complaints (at most 20)
    count: int = 0
    window_days: int | str = ""


# ---- the daily digest and the weekly report (R5 Art.12–13) ---------------------------------------------
DAILY_DIGEST = "digest.daily"
WEEKLY_REPORT = "report.weekly"
REPORT_FILE = "report.file"


@dataclass(frozen=True)
class DigestUnit(Payload):  # a row of the digest, no kind of its own
    code: str | None = None  # None: complaints not routed yet
    name: str = ""
    new: int = 0
    due_today: int = 0
    overdue: int = 0


@dataclass(frozen=True)
class DailyDigest(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (DAILY_DIGEST,)
    day: str = ""  # ISO date, local
    new: int = 0
    due_today: int = 0
    overdue: int = 0
    units: list[DigestUnit] = dataclasses.field(default_factory=list)  # only units with something to report

    @classmethod
    def read(cls, data: object) -> Self:
        digest = super().read(data)
        return dataclasses.replace(digest, units=read_rows(DigestUnit, digest.units))


@dataclass(frozen=True)
class WeeklyReport(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (WEEKLY_REPORT,)
    start: str = ""  # ISO dates, local
    end: str = ""
    received: int = 0
    resolved: int = 0
    on_time: str = "—"  # formatted percentage
    overdue: int = 0
    unreachable: list[str] = dataclasses.field(default_factory=list)


@dataclass(frozen=True)
class ReportFile(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (REPORT_FILE,)
    path: str = ""
    kind: str = "document"  # "photo" | "document"
    caption: str = ""  # a msgid (marked with N_() where the row is written), translated when rendered


# ---- rectification notices (R4) ----------------------------------------------------------------------------
RECTIFICATION_ISSUED = "rectification.issued"
RECTIFICATION_REPORTED = "rectification.reported"
RECTIFICATION_ACCEPTED = "rectification.accepted"
RECTIFICATION_RETURNED = "rectification.returned"
RECTIFICATION_DUE_SOON = "rectification.due_soon"
RECTIFICATION_OVERDUE = "rectification.overdue"
RECTIFICATION_FOLLOW_UP = "rectification.follow_up_due"


@dataclass(frozen=True)
class RectificationCard(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (
        RECTIFICATION_ISSUED,
        RECTIFICATION_REPORTED,
        RECTIFICATION_ACCEPTED,
        RECTIFICATION_RETURNED,
        RECTIFICATION_DUE_SOON,
        RECTIFICATION_OVERDUE,
        RECTIFICATION_FOLLOW_UP,
    )
    notice: str
    unit_code: str = ""
    unit_name: str | None = None
    issue: str = ""
    requirement: str = ""
    deadline: str = ""  # ISO date, local
    report: str = ""  # reported
    on_time: bool | None = None  # reported
    note: str = ""  # accepted
    follow_up: str = ""  # accepted: ISO date of the follow-up check
    reason: str | None = None  # returned or reopened

    @property
    def unit(self) -> str:
        return self.unit_name or self.unit_code or "—"


# ---- catalogue filing (R3) -----------------------------------------------------------------------------
CATALOGUE_ADJUSTMENT_FILED = "catalogue.adjustment_filed"
CATALOGUE_IMPORT_FILED = "catalogue.import_filed"
CATALOGUE_OPINION = "catalogue.opinion"


@dataclass(frozen=True)
class AdjustmentFiled(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (CATALOGUE_ADJUSTMENT_FILED,)
    id: int | None = None
    kind: str = ""  # add | change | cancel
    trigger: str = ""
    unit: str = ""
    unit_code: str = ""
    service_code: str = ""
    service: str = ""
    certificate: str = ""
    basis: str = ""
    event_date: str = ""
    due_date: str = ""
    late: bool = False
    filing_days: int | None = None  # R3 Art.8, from the settings when the row was written


@dataclass(frozen=True)
class ImportFiled(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (CATALOGUE_IMPORT_FILED,)
    batch: str | None = None
    file: str = ""
    filed_by: str = ""
    added: int = 0
    changed: int = 0
    removed: int = 0
    late: bool = False
    event_date: str = ""
    due_date: str = ""
    filing_days: int | None = None


@dataclass(frozen=True)
class OpinionFiled(Payload):
    KINDS: ClassVar[tuple[str, ...]] = (CATALOGUE_OPINION,)
    opinion_id: int | None = None
    adjustment_id: int | None = None
    text: str = ""
    service: str = ""
    certificate: str = ""
    kind: str = ""
    filing_days: int | None = None


# ---- replies to a user's own message ---------------------------------------------------------------------
CHAT_REPLY = "chat_reply"


@dataclass(frozen=True)
class ReplyFile(Payload):  # a reply's attachment, no kind of its own
    path: str
    kind: str = "document"  # "document" | "photo"
    caption: str = ""


@dataclass(frozen=True)
class ChatReply(Payload):
    """A reply already in the user's language (handlers/dispatch/update_closing.py writes it with the dialog
    step), so any process can send it: the text, rows of (label, callback data) buttons, an attachment."""

    KINDS: ClassVar[tuple[str, ...]] = (CHAT_REPLY,)
    text: str
    buttons: list[list[tuple[str, str]]] = dataclasses.field(default_factory=list)
    attachment: ReplyFile | None = None
    request_contact: bool = False  # offer the channel's "share my phone number" keyboard
    edit: bool = False  # replaces the card whose button was pressed

    def as_payload(self) -> dict[str, Any]:
        """Buttons as [label, data] pairs (JSON has no tuples): the shape rows have always had."""
        return {
            "text": self.text,
            "buttons": [[[label, data] for label, data in row] for row in self.buttons],
            "attachment": None if self.attachment is None else self.attachment.as_payload(),
            "request_contact": self.request_contact,
            "edit": self.edit,
        }

    @classmethod
    def read(cls, data: object) -> Self:
        reply = super().read(data)
        try:
            buttons = [[(str(label), str(value)) for label, value in row] for row in reply.buttons or []]
        except (TypeError, ValueError):
            raise MalformedPayload(f"{cls.__name__}.buttons: not rows of [label, data] pairs") from None
        attachment = reply.attachment
        if attachment is not None and not isinstance(attachment, ReplyFile):
            attachment = ReplyFile.read(attachment)
        return dataclasses.replace(reply, buttons=buttons, attachment=attachment)


PAYLOAD_TYPES: tuple[type[Payload], ...] = (
    ChatReply,
    CaseNotice,
    CasePressed,
    StatusChange,
    StaffUpdate,
    CardUpdate,
    DailyDigest,
    WeeklyReport,
    ReportFile,
    ComplaintAlert,
    HotspotAlert,
    VerificationCard,
    VerificationOverdue,
    RectificationCard,
    AdjustmentFiled,
    ImportFiled,
    OpinionFiled,
)
PAYLOADS: dict[str, type[Payload]] = {kind: cls for cls in PAYLOAD_TYPES for kind in cls.KINDS}


def read_payload(kind: str, data: object) -> Payload:
    """The stored JSON of a row as its kind's payload type; `MalformedPayload` for a kind without one or
    JSON that is no readable payload of it."""
    cls = PAYLOADS.get(kind)
    if cls is None:
        raise MalformedPayload(f"no payload type for outbox kind {kind!r}")
    try:
        return cls.read(data)
    except MalformedPayload:
        raise
    except (TypeError, ValueError, AttributeError, KeyError) as error:  # a value of the wrong shape
        raise MalformedPayload(f"{cls.__name__}: unreadable ({type(error).__name__})") from error
