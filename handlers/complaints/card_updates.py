"""The outbox renderer of `card.update` (nocert_core/services/complaints/cards.py): a card already sent about
a complaint, edited in place to the complaint as it is now, headed by what changed since."""

from __future__ import annotations

from dataclasses import replace

from handlers.complaints.case_card import render_case
from handlers.dispatch.notifications import Renderers
from handlers.types import Button, Reply
from nocert_core.domain.complaint_lifecycle import ComplaintStatus, TerminationGround
from nocert_core.domain.complaint_notifications import CARD_UPDATE, CardUpdate
from nocert_core.domain.labels import label_of
from nocert_core.i18n import N_, Translator

renderer = Renderers()


def _heading(update: CardUpdate, t: Translator) -> str:
    case, change = update.case, update.change
    if change == "terminated" and update.termination == TerminationGround.WITHDRAWN.value:
        return t(N_("🔄 Withdrawn: the complainant withdrew this complaint. Nothing more to do."))
    if change == "terminated":
        termination = label_of(TerminationGround, update.termination, t)
        return t(N_("🔄 Ended: {termination}. Nothing more to do."), termination=termination)
    if change == "reassigned" and not update.open:
        return t(
            N_("🔄 Reassigned by the task force to {unit}: your unit no longer handles it."),
            unit=case.unit_name or "—",
        )
    if change in ("routed", "reassigned"):
        return t(N_("🔄 Routed by the task force to {unit}."), unit=case.unit_name or "—")
    if change == "duplicate":
        return t(N_("🔄 Merged: it duplicates {original}."), original=update.original or "—")
    status = label_of(ComplaintStatus, case.status, t)
    return t(N_("🔄 Changed since this message: the complaint is now “{status}”."), status=status)


@renderer(CARD_UPDATE)
def card_update(update: CardUpdate, t: Translator) -> Reply:
    card = render_case(update.case, t, update.supervisor, heading=_heading(update, t))
    buttons = [[Button(t(N_("Open the current case")), f"st:case:{update.number}")]] if update.open else []
    return replace(card, buttons=buttons, edit=True, target_message_id=str(update.message_id))
