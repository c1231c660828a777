"""Outbox renderers for catalogue messages to the task force (kinds from services.catalogue_filing)."""

from __future__ import annotations

from typing import Any

from handlers.guidance_text import ADJUSTMENT_KINDS
from handlers.notifications import Renderers
from handlers.types import Reply
from nocert_core.i18n import N_, Translator
from nocert_core.services import catalogue_filing as kinds


def _late_noted(text: str, payload: dict[str, Any], t: Translator) -> Reply:
    if payload.get("late"):
        text += "\n" + t(
            N_("⚠ Filed late (more than {days} working days after the event)."),
            days=payload.get("filing_days", "?"),  # R3 Art.8, from the settings when the row was written
        )
    return Reply(text)


renderer = Renderers()


@renderer(kinds.KIND_FILED)
def adjustment_filed(payload: dict[str, Any], t: Translator) -> Reply:
    text = t(
        N_(
            "📑 Catalogue adjustment #{id} filed ({kind}): {service} — {certificate}\nUnit: {unit}\n"
            "Basis: {basis}\nEvent: {event_date}, due {due_date}"
        ),
        id=payload.get("id"),
        kind=t(ADJUSTMENT_KINDS.get(str(payload.get("kind")), N_("changed"))),
        service=payload.get("service", ""),
        certificate=payload.get("certificate", ""),
        unit=payload.get("unit", ""),
        basis=payload.get("basis", ""),
        event_date=payload.get("event_date", ""),
        due_date=payload.get("due_date", ""),
    )
    return _late_noted(text, payload, t)


@renderer(kinds.KIND_IMPORTED)
def import_filed(payload: dict[str, Any], t: Translator) -> Reply:
    text = t(
        N_(
            "📑 Catalogue list imported from {file}: {added} added, {changed} changed, {removed} removed "
            "(event {event_date}, due {due_date})."
        ),
        file=payload.get("file", ""),
        added=payload.get("added", 0),
        changed=payload.get("changed", 0),
        removed=payload.get("removed", 0),
        event_date=payload.get("event_date", ""),
        due_date=payload.get("due_date", ""),
    )
    return _late_noted(text, payload, t)


@renderer(kinds.KIND_OPINION)
def opinion(payload: dict[str, Any], t: Translator) -> Reply:
    return Reply(
        t(
            N_("💬 Public opinion on catalogue adjustment #{id} ({service} — {certificate}):\n{text}"),
            id=payload.get("adjustment_id"),
            service=payload.get("service", ""),
            certificate=payload.get("certificate", ""),
            text=payload.get("text", ""),
        )
    )
