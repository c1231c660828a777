"""The complaint lifecycle of R5 as data: its states, the actions staff, the task force and the
complainant take, and the one transition table that says which action moves which state where
(`Complaint._apply` in `domain/complaints.py` checks every change against it). Also the grounds a complaint is
rejected (R5 Art.8) or terminated (R5 Art.11) on, and where an extension request stands."""

from __future__ import annotations

from enum import StrEnum


class ComplaintStatus(StrEnum):
    REGISTERED = "registered"  # received and numbered, awaiting acceptance (or routing when unit is None)
    ACCEPTED = "accepted"
    EXTENDED = "extended"
    RESOLVED = "resolved"
    REJECTED = "rejected"
    TERMINATED = "terminated"
    TRANSFERRED = "transferred"  # returned as misrouted: waits for the task force to re-route it
    DUPLICATE = "duplicate"


class Action(StrEnum):
    ROUTE = "route"
    ACCEPT = "accept"
    REJECT = "reject"
    REQUEST_EXTENSION = "request_extension"
    APPROVE_EXTENSION = "approve_extension"
    DENY_EXTENSION = "deny_extension"
    RESOLVE = "resolve"
    TERMINATE = "terminate"
    RETURN_MISROUTED = "return_misrouted"
    MARK_DUPLICATE = "mark_duplicate"
    RATE = "rate"


S, A = ComplaintStatus, Action

TRANSITIONS: dict[tuple[ComplaintStatus, Action], ComplaintStatus] = {
    (S.REGISTERED, A.ROUTE): S.REGISTERED,
    (S.REGISTERED, A.ACCEPT): S.ACCEPTED,
    (S.REGISTERED, A.REJECT): S.REJECTED,
    (S.REGISTERED, A.RETURN_MISROUTED): S.TRANSFERRED,
    (S.REGISTERED, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.REGISTERED, A.TERMINATE): S.TERMINATED,
    (S.TRANSFERRED, A.ROUTE): S.REGISTERED,
    (S.TRANSFERRED, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.TRANSFERRED, A.TERMINATE): S.TERMINATED,
    (S.ACCEPTED, A.ROUTE): S.REGISTERED,  # reassigned by the task force (a late case): the new unit accepts
    (S.ACCEPTED, A.REQUEST_EXTENSION): S.ACCEPTED,
    (S.ACCEPTED, A.APPROVE_EXTENSION): S.EXTENDED,
    (S.ACCEPTED, A.DENY_EXTENSION): S.ACCEPTED,
    (S.ACCEPTED, A.RESOLVE): S.RESOLVED,
    (S.ACCEPTED, A.RETURN_MISROUTED): S.TRANSFERRED,
    (S.ACCEPTED, A.MARK_DUPLICATE): S.DUPLICATE,
    (S.ACCEPTED, A.TERMINATE): S.TERMINATED,
    (S.EXTENDED, A.ROUTE): S.REGISTERED,
    (S.EXTENDED, A.RESOLVE): S.RESOLVED,
    (S.EXTENDED, A.TERMINATE): S.TERMINATED,
    (S.RESOLVED, A.RATE): S.RESOLVED,
    (S.REJECTED, A.RATE): S.REJECTED,
}

OPEN_STATES = frozenset({S.REGISTERED, S.ACCEPTED, S.EXTENDED, S.TRANSFERRED})
CLOSED_STATES = frozenset(set(ComplaintStatus) - OPEN_STATES)
HANDLING_STATES = frozenset({S.ACCEPTED, S.EXTENDED})  # a deadline is running


class RejectionGround(StrEnum):  # R5 Art.8
    VAGUE = "vague"
    REPEAT = "repeat"
    LITIGATION = "litigation"
    OUT_OF_SCOPE = "out_of_scope"


class TerminationGround(StrEnum):  # R5 Art.11
    WITHDRAWN = "withdrawn"
    OTHER_PROCEEDINGS = "other_proceedings"
    OTHER = "other"


class ExtensionState(StrEnum):
    NONE = "none"
    REQUESTED = "requested"
    APPROVED = "approved"
    DENIED = "denied"
