"""The outbox renderer of `card.update` (nocert_core/services/cards.py): a card already sent about a
complaint, edited in place to the complaint as it is now, headed by what changed since."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from handlers.case_card import render_case
from handlers.notifications import Renderers
from handlers.types import Button, Reply
from nocert_core.domain.complaints import ComplaintStatus, TerminationGround
from nocert_core.domain.labels import label_of
from nocert_core.i18n import N_, Translator
from nocert_core.services.cards import UPDATE

renderer = Renderers()


def _heading(payload: dict[str, Any], t: Translator) -> str:
    case, change = payload["case"], payload["change"]
    if change == "terminated" and payload.get("termination") == TerminationGround.WITHDRAWN.value:
        return t(N_("🔄 Withdrawn: the complainant withdrew this complaint. Nothing more to do."))
    if change == "terminated":
        termination = label_of(TerminationGround, payload.get("termination"), t)
        return t(N_("🔄 Ended: {termination}. Nothing more to do."), termination=termination)
    if change == "reassigned" and not payload.get("open"):
        return t(
            N_("🔄 Reassigned by the task force to {unit}: your unit no longer handles it."),
            unit=case.get("unit_name") or "—",
        )
    if change in ("routed", "reassigned"):
        return t(N_("🔄 Routed by the task force to {unit}."), unit=case.get("unit_name") or "—")
    if change == "duplicate":
        return t(N_("🔄 Merged: it duplicates {original}."), original=payload.get("original") or "—")
    status = label_of(ComplaintStatus, case["status"], t)
    return t(N_("🔄 Changed since this message: the complaint is now “{status}”."), status=status)


@renderer(UPDATE)
def card_update(payload: dict[str, Any], t: Translator) -> Reply:
    card = render_case(payload["case"], t, bool(payload.get("supervisor")), heading=_heading(payload, t))
    buttons = (
        [[Button(t(N_("Open the current case")), f"st:case:{payload['number']}")]]
        if payload.get("open")
        else []
    )
    return replace(card, buttons=buttons, edit=True, target_message_id=str(payload["message_id"]))
