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

from datetime import datetime
from typing import Any

from sqlalchemy import delete, select

from nocert_core.adapters.tables_chat import chat_cards
from nocert_core.clock import local_date
from nocert_core.domain import events as ev
from nocert_core.domain.case_card import case_payload
from nocert_core.domain.complaints import HANDLING_STATES, Complaint, ComplaintStatus, ExtensionState
from nocert_core.services import alerts, notify_complaints, outbox
from nocert_core.services.complaints import can_view
from nocert_core.services.uow import AbstractUnitOfWork, UnitOfWorkFactory

UPDATE = "card.update"
# Kinds whose message is a card of one complaint (payload "number"), from notify_complaints and press.
CARD_KINDS = frozenset(
    {
        notify_complaints.ASSIGNED,
        notify_complaints.UNROUTED,
        notify_complaints.EXTENSION_REQUESTED,
        "complaint.pressed",
    }
)
WAITING = frozenset({ComplaintStatus.REGISTERED, ComplaintStatus.TRANSFERRED})


async def remember(
    uow_factory: UnitOfWorkFactory,
    kind: str,
    payload: dict[str, Any],
    recipient_ref: str,
    chat_id: str,
    message_id: str | None,
    now: datetime,
) -> bool:
    """Keep where a delivered card is; False (nothing kept) for other kinds or without a message id."""
    number = payload.get("number")
    if kind not in CARD_KINDS or not message_id or not isinstance(number, str):
        return False
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


def _change(event: ev.ComplaintEvent, complaint: Complaint) -> dict[str, Any]:
    if isinstance(event, ev.ComplaintTerminated):
        return {"change": "terminated", "termination": event.ground}
    if isinstance(event, ev.ComplaintRouted):
        return {
            "change": "reassigned" if event.from_unit_code else "routed",
            "from_unit": event.from_unit_code,
        }
    if isinstance(event, ev.ComplaintMarkedDuplicate):
        return {"change": "duplicate", "original": event.original_number}
    return {"change": "status"}


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
    unit = await uow.units.get(complaint.unit_code) if complaint.unit_code else None
    case = case_payload(complaint, unit.name if unit else None, uow.settings.timezone)
    case["handling_days"] = uow.settings.handling_working_days
    step, change = len(complaint.audit), _change(event, complaint)
    done: list[int] = []
    for row in rows:
        if row.recipient_ref == actor_ref:
            continue
        account = await uow.accounts.get_by_ref(row.recipient_ref)
        if account is None:
            continue
        payload = {
            **change,
            "number": event.number,
            "message_id": row.message_id,
            "case": case,
            "open": can_view(account.as_actor(), complaint),
            "supervisor": account.as_actor().is_supervisor,
        }
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
def _stale(kind: str, payload: dict[str, Any], complaint: Complaint, tz: str) -> bool:
    status = complaint.status
    deadline = local_date(complaint.deadline_at, tz).isoformat() if complaint.deadline_at else None
    if kind in (alerts.ACCEPTANCE_PENDING, notify_complaints.ASSIGNED):
        return status not in WAITING or complaint.unit_code != payload.get("unit_code")
    if kind in (alerts.ROUTING_PENDING, notify_complaints.UNROUTED):
        return status not in WAITING or complaint.unit_code != payload.get("unit_code")
    if kind in (alerts.DUE_SOON, alerts.OVERDUE, alerts.ESCALATION, "complaint.pressed"):
        return status not in HANDLING_STATES or deadline != payload.get("deadline")
    if kind in (alerts.EXTENSION_UNDECIDED, notify_complaints.EXTENSION_REQUESTED):
        return complaint.extension_state != ExtensionState.REQUESTED
    return False


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


async def is_stale(uow_factory: UnitOfWorkFactory, kind: str, payload: dict[str, Any]) -> bool:
    """Whether a reminder or card about a complaint no longer holds (see the module's docstring)."""
    number = payload.get("number")
    if kind not in STALE_KINDS or not isinstance(number, str):
        return False
    async with uow_factory() as uow:
        complaint = await uow.complaints.get_by_number(number)
        return complaint is not None and _stale(kind, payload, complaint, uow.settings.timezone)
