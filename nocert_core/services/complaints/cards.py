"""Cards already sent are edited when their complaint changes; reminders that no longer hold are not sent.

A card is a message about one complaint with buttons for what to do next: an assignment to the unit's staff,
"please route it" or "decide the extension" to the task force, a 催办. When one has been delivered, the
channel reports its message id and `remember` keeps where it is (`chat_cards`). When the complaint then
changes — withdrawn, reassigned, accepted or decided by a colleague — `on_complaint_changed` (an
in-transaction subscriber) writes a `card.update` outbox row per remembered card: the channel edits the card
in place to the complaint as it is now, headed by what changed, with one "open" button (none for a unit
that no longer handles it). The person who made the change is skipped (their own press already updated the
card they used). An edit that fails (the message is too old, deleted) is dropped: the stale card's buttons
still answer "out of date: the complaint is now …", as before.

`is_stale` is asked by every deliverer before it sends a row: a reminder or card about a complaint that has
moved on since it was written (closed, accepted, routed, the extension decided, the deadline moved) is
marked superseded instead of being sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, select

from nocert_core.adapters.sql.tables_chat import chat_cards
from nocert_core.clock import local_date
from nocert_core.domain import complaint_notifications as kinds
from nocert_core.domain import events as ev
from nocert_core.domain.case_card import CaseCard
from nocert_core.domain.complaint_lifecycle import HANDLING_STATES, ComplaintStatus, ExtensionState
from nocert_core.domain.complaint_notifications import CardUpdate, CaseNotice, CasePressed
from nocert_core.domain.complaints import Complaint
from nocert_core.domain.notifications import ComplaintAlert, MalformedPayload, read_payload
from nocert_core.services.complaints.handling import can_view
from nocert_core.services.messaging import outbox
from nocert_core.services.oversight import alerts
from nocert_core.services.platform.uow import AbstractUnitOfWork, UnitOfWorkFactory

UPDATE = kinds.CARD_UPDATE
# Kinds whose message is a card of one complaint, from notify_complaints and press.
CARD_KINDS = frozenset({kinds.ASSIGNED, kinds.UNROUTED, kinds.EXTENSION_REQUESTED, kinds.PRESSED})
WAITING = frozenset({ComplaintStatus.REGISTERED, ComplaintStatus.TRANSFERRED})


async def remember(
    uow_factory: UnitOfWorkFactory,
    kind: str,
    payload: object,
    recipient_ref: str,
    chat_id: str,
    message_id: str | None,
    now: datetime,
) -> bool:
    """Keep where a delivered card is; False (nothing kept) for other kinds or without a message id."""
    if kind not in CARD_KINDS or not message_id:
        return False
    card = _read(kind, payload)
    if not isinstance(card, CaseCard):
        return False
    number = card.number
    async with uow_factory() as uow:
        await uow.session.execute(
            chat_cards.insert().values(
                complaint_number=number,
                recipient_ref=recipient_ref,
                chat_id=chat_id,
                message_id=str(message_id),
                kind=kind,
                sent_at=now,
            )
        )
        await uow.commit()
    return True


@dataclass(frozen=True)
class _Change:  # what a card update says changed (the fields of `CardUpdate` of the same names)
    change: str = "status"
    termination: str | None = None
    original: str | None = None
    from_unit: str | None = None


def _change(event: ev.ComplaintEvent) -> _Change:
    if isinstance(event, ev.ComplaintTerminated):
        return _Change("terminated", termination=event.ground)
    if isinstance(event, ev.ComplaintRouted):
        return _Change("reassigned" if event.from_unit_code else "routed", from_unit=event.from_unit_code)
    if isinstance(event, ev.ComplaintMarkedDuplicate):
        return _Change("duplicate", original=event.original_number)
    return _Change()


async def on_complaint_changed(uow: AbstractUnitOfWork, event: ev.ComplaintEvent) -> None:
    """Edit every remembered card of the complaint (but the one-who-acted's) to say what changed."""
    session = getattr(uow, "session", None)
    if session is None:  # a unit of work without SQL (unit tests): no cards were ever remembered
        return
    rows = (
        await session.execute(select(chat_cards).where(chat_cards.c.complaint_number == event.number))
    ).all()
    if not rows:
        return
    complaint = await uow.complaints.get_by_number(event.number)
    assert complaint is not None, event.number
    actor_ref = complaint.audit[-1].actor_ref if complaint.audit else ""
    unit = await uow.units.known(complaint.unit_code) if complaint.unit_code else None
    settings = uow.settings
    case = CaseCard.of(
        complaint, unit.name if unit else None, settings.timezone, settings.handling_working_days
    )
    step, change = len(complaint.audit), _change(event)
    done: list[int] = []
    for row in rows:
        if row.recipient_ref == actor_ref:
            continue
        account = await uow.accounts.get_by_ref(row.recipient_ref)
        if account is None:
            continue
        actor = account.as_actor()
        payload = CardUpdate(
            number=event.number,
            message_id=str(row.message_id),
            case=case,
            change=change.change,
            termination=change.termination,
            original=change.original,
            from_unit=change.from_unit,
            open=can_view(actor, complaint),
            supervisor=actor.is_supervisor,
        )
        await outbox.enqueue(
            uow,
            recipient_ref=row.recipient_ref,
            kind=UPDATE,
            payload=payload,
            dedup_key=f"card:{row.id}:{step}",
        )
        done.append(row.id)
    if done:  # each card is edited once; afterwards it says "changed since" and opens the current state
        await session.execute(delete(chat_cards).where(chat_cards.c.id.in_(done)))


CHANGING_EVENTS: tuple[type[ev.ComplaintEvent], ...] = (
    ev.ComplaintRouted,
    ev.ComplaintAccepted,
    ev.ComplaintRejected,
    ev.ComplaintReturned,
    ev.ComplaintMarkedDuplicate,
    ev.ExtensionDecided,
    ev.ComplaintResolved,
    ev.ComplaintTerminated,
)


# ---- stale reminders ------------------------------------------------------------------------------------
def _stale(kind: str, card: ComplaintAlert | CaseCard, complaint: Complaint, tz: str) -> bool:
    status = complaint.status
    deadline = local_date(complaint.deadline_at, tz).isoformat() if complaint.deadline_at else None
    if kind in (alerts.ACCEPTANCE_PENDING, kinds.ASSIGNED, alerts.ROUTING_PENDING, kinds.UNROUTED):
        return status not in WAITING or complaint.unit_code != card.unit_code
    if kind in (alerts.DUE_SOON, alerts.OVERDUE, alerts.ESCALATION, kinds.PRESSED):
        return status not in HANDLING_STATES or deadline != (card.deadline or None)
    if kind in (alerts.EXTENSION_UNDECIDED, kinds.EXTENSION_REQUESTED):
        return complaint.extension_state != ExtensionState.REQUESTED
    return False


def _read(kind: str, payload: object) -> ComplaintAlert | CaseCard | None:
    """A reminder's or card's payload; None when it cannot be read (its renderer reports that)."""
    try:
        card = read_payload(kind, payload)
    except MalformedPayload:
        return None
    return card if isinstance(card, ComplaintAlert | CaseNotice | CasePressed) else None


STALE_KINDS = frozenset(
    {
        alerts.ACCEPTANCE_PENDING,
        alerts.ROUTING_PENDING,
        alerts.DUE_SOON,
        alerts.OVERDUE,
        alerts.ESCALATION,
        alerts.EXTENSION_UNDECIDED,
        *CARD_KINDS,
    }
)


async def is_stale(uow_factory: UnitOfWorkFactory, kind: str, payload: object) -> bool:
    """Whether a reminder or card about a complaint no longer holds (see the module's docstring)."""
    if kind not in STALE_KINDS:
        return False
    card = _read(kind, payload)
    if card is None:
        return False
    async with uow_factory() as uow:
        complaint = await uow.complaints.get_by_number(card.number)
        return complaint is not None and _stale(kind, card, complaint, uow.settings.timezone)
