"""The complaint card staff and supervisors see (in chat and in assignment messages): the facts, the
screening advice, the complainant's name and masked phone, the deadline, and the buttons allowed now.

Built from a `CaseCard` (nocert_core/domain/case_card.py) so the outbox renderer (no database at render time)
and /case show the same card; what only a view knows (how late it is, read only) comes as arguments.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from handlers.types import Button, Reply
from nocert_core.clock import local_date
from nocert_core.domain.calendar import WorkingDayCalendar
from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.complaint_lifecycle import (
    CLOSED_STATES,
    Action,
    ComplaintStatus,
    ExtensionState,
    RejectionGround,
)
from nocert_core.domain.complaints import Category, Channel
from nocert_core.domain.labels import label_of
from nocert_core.domain.relative_dates import relative_dates
from nocert_core.i18n import N_, Translator
from nocert_core.services.screening.advice import NOTE_AMBIGUOUS_UNIT

__all__ = ["Due", "case_buttons", "due_state", "render_case"]

DUE_TEXT = {
    "overdue": N_("⛔ {days} working days overdue"),
    "today": N_("⚠ due today"),
    "next": N_("⏰ due on the next working day"),
}


@dataclass(frozen=True)
class Due:
    """How near a running deadline is, as a view sees it today."""

    state: str  # overdue | today | next
    days: int = 0  # working days late


def due_state(deadline: datetime | None, today: date, calendar: WorkingDayCalendar, tz: str) -> Due | None:
    """How near a running deadline is (overdue, due today, due the next working day); None otherwise."""
    if deadline is None:
        return None
    day = local_date(deadline, tz)
    if day < today:
        return Due("overdue", max(calendar.working_days_between(day, today), 1))
    if day == today:
        return Due("today")
    if calendar.working_days_between(today, day) <= 1:
        return Due("next")
    return None


def due_text(due: Due | None, t: Translator) -> str:
    return t(DUE_TEXT[due.state], days=due.days) if due else ""


def render_case(
    card: CaseCard,
    t: Translator,
    supervisor: bool,
    heading: str | None = None,
    due: Due | None = None,
    read_only: bool = False,
) -> Reply:
    """The card; `due` and `read_only` are the view's (/case): a notification has neither."""
    lines = [heading] if heading else []
    lines += [
        t(N_("Complaint {number}"), number=card.number),
        f"{t(N_('Status'))}: {label_of(ComplaintStatus, card.status, t)}",
        f"{t(N_('Category'))}: {label_of(Category, card.category, t)}",
        f"{t(N_('Received by'))}: {label_of(Channel, card.channel, t)} · {card.registered}",
        f"{t(N_('Agency'))}: {card.agency_text}",
        f"{t(N_('Handling unit'))}: {card.unit_name or t(N_('to be routed by the task force'))}",
        f"{t(N_('Complainant'))}: {card.name} · {card.phone_masked}",
    ]
    if card.on_behalf_of:
        lines.append(f"{t(N_('On behalf of'))}: {card.on_behalf_of}")
    lines += [
        f"{t(N_('Demand'))}: {card.demand}",
        f"{t(N_('Reasons'))}: {card.reasons}",
        f"{t(N_('Facts'))}: {card.facts}",
    ]
    mentioned = relative_dates(f"{card.facts}\n{card.reasons}", date.fromisoformat(card.registered))
    if mentioned:  # the citizen's words as written, with the date they mean (counted from registration)
        dates = " · ".join(f"“{words}” = {day.isoformat()}" for words, day in mentioned)
        lines.append(t(N_("Dates in the complainant's words: {dates}"), dates=dates))
    lines.append(_screening_line(card, t))
    if ComplaintStatus(card.status) in CLOSED_STATES:
        pass  # ended (resolved, not accepted, terminated, duplicate): no deadline runs any more
    elif card.deadline:
        provisional = f" {t(N_('(provisional)'))}" if card.deadline_provisional else ""
        mark = due_text(due, t)  # a view's own mark: overdue / due today / next working day
        mark = f" · {mark}" if mark else ""
        lines.append(f"{t(N_('Deadline'))}: {card.deadline}{provisional}{mark}")
    else:
        days = card.handling_days if card.handling_days is not None else "—"
        lines.append(t(N_("Deadline: {days} working days after acceptance"), days=days))
    if card.extension_state == ExtensionState.REQUESTED.value:
        lines.append(
            t(
                N_("Extension requested: {days} working days — {reason}"),
                days=card.extension_days,
                reason=card.extension_reason,
            )
        )
    if card.status_reason and card.status == ComplaintStatus.TRANSFERRED.value:
        lines.append(f"{t(N_('Returned because'))}: {card.status_reason}")
    return Reply("\n".join(lines), case_buttons(card, t, supervisor, due, read_only))


def _screening_line(card: CaseCard, t: Translator) -> str:
    if card.admissible and not card.grounds:
        text = t(N_("Screening advice: looks admissible."))
    else:
        grounds = ", ".join(label_of(RejectionGround, ground, t) for ground in card.grounds)
        text = t(N_("Screening advice: check admissibility — {grounds}."), grounds=grounds or "—")
    if card.repeat_of:
        text += " " + t(N_("Possibly repeats {number}."), number=card.repeat_of)
    notes = [
        t(note)
        for note in card.notes
        if not (note == NOTE_AMBIGUOUS_UNIT and card.unit_code)  # settled once routed
    ]
    return " ".join([text, *notes])


def offered_actions(
    card: CaseCard, supervisor: bool, due: Due | None = None, read_only: bool = False
) -> list[str]:
    """What a case offers now, in display order: the chat's buttons and the web console's forms."""
    if read_only:  # the unit that registered it for a caller: a view, no actions
        return []
    allowed = set(card.allowed)
    routed = card.unit_code is not None
    extension = card.extension_state
    offered: list[str] = []
    if routed and Action.ACCEPT.value in allowed:
        offered += ["accept", "reject"]
    if routed and Action.RESOLVE.value in allowed:
        offered.append("resolve")
    if routed and Action.REQUEST_EXTENSION.value in allowed and extension == ExtensionState.NONE.value:
        offered.append("extend")
    if supervisor and extension == ExtensionState.REQUESTED.value:
        offered += ["approve_extension", "deny_extension"]
    if supervisor and Action.ROUTE.value in allowed and not routed:
        offered.append("route")
    late = due is not None and due.state == "overdue"
    if supervisor and routed and late:  # the task force's answers to a late case
        offered += ["urge", "rectify", "reassign"]
    if routed and Action.RETURN_MISROUTED.value in allowed:
        offered.append("return")
    if Action.MARK_DUPLICATE.value in allowed:
        offered.append("duplicate")
    offered.append("phone")
    return offered


BUTTONS: dict[str, tuple[str, str]] = {  # offered action → (label msgid, callback prefix)
    "accept": (N_("✔ Accept"), "st:acc"),
    "reject": (N_("✖ Reject"), "st:rej"),
    "resolve": (N_("✔ Resolve"), "st:res"),
    "extend": (N_("⏳ Request extension"), "st:ext"),
    "approve_extension": (N_("Approve extension"), "sv:xok"),
    "deny_extension": (N_("Deny extension"), "sv:xno"),
    "route": (N_("🧭 Route to a unit"), "sv:route"),
    "urge": (N_("📣 Press the unit (催办)"), "sv:urge"),  # services/complaints/press.py: the one rule
    "rectify": (N_("📑 Rectification notice"), "sv:rect"),
    "reassign": (N_("🧭 Reassign to another unit"), "sv:move"),
    "return": (N_("↩ Not ours: return"), "st:ret"),
    "duplicate": (N_("⧉ Duplicate"), "st:dup"),
    "phone": (N_("☎ View phone"), "st:ph"),
}
PAIRED = (
    ("accept", "reject"),
    ("approve_extension", "deny_extension"),
    ("return", "duplicate"),
    ("urge", "rectify"),
)


def case_buttons(
    card: CaseCard, t: Translator, supervisor: bool, due: Due | None = None, read_only: bool = False
) -> list[list[Button]]:
    number = card.number
    offered = offered_actions(card, supervisor, due, read_only)

    def button(action: str) -> Button:
        label, prefix = BUTTONS[action]
        return Button(t(label), f"{prefix}:{number}")

    rows: list[list[Button]] = []
    for action in offered:
        pair = next((p for p in PAIRED if action in p), None)
        if pair and action == pair[1] and pair[0] in offered:
            continue  # already on the row of its partner
        if pair and action == pair[0] and pair[1] in offered:
            rows.append([button(pair[0]), button(pair[1])])
        else:
            rows.append([button(action)])
    return rows
