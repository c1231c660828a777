"""Outbox renderers for catalogue messages to the task force (kinds and payloads:
nocert_core/domain/notifications.py)."""

from __future__ import annotations

from handlers.dispatch.notifications import Renderers
from handlers.guidance.text import ADJUSTMENT_KINDS
from handlers.types import Reply
from nocert_core.domain import notifications as kinds
from nocert_core.domain.notifications import AdjustmentFiled, ImportFiled, OpinionFiled
from nocert_core.i18n import N_, Translator


def _late_noted(text: str, notice: AdjustmentFiled | ImportFiled, t: Translator) -> Reply:
    if notice.late:
        text += "\n" + t(
            N_("⚠ Filed late (more than {days} working days after the event)."),
            days=notice.filing_days or "?",  # R3 Art.8, from the settings when the row was written
        )
    return Reply(text)


renderer = Renderers()


@renderer(kinds.CATALOGUE_ADJUSTMENT_FILED)
def adjustment_filed(notice: AdjustmentFiled, t: Translator) -> Reply:
    text = t(
        N_(
            "📑 Catalogue adjustment #{id} filed ({kind}): {service} — {certificate}\nUnit: {unit}\n"
            "Basis: {basis}\nEvent: {event_date}, due {due_date}"
        ),
        id=notice.id,
        kind=t(ADJUSTMENT_KINDS.get(notice.kind, N_("changed"))),
        service=notice.service,
        certificate=notice.certificate,
        unit=notice.unit,
        basis=notice.basis,
        event_date=notice.event_date,
        due_date=notice.due_date,
    )
    return _late_noted(text, notice, t)


@renderer(kinds.CATALOGUE_IMPORT_FILED)
def import_filed(notice: ImportFiled, t: Translator) -> Reply:
    text = t(
        N_(
            "📑 Catalogue list imported from {file}: {added} added, {changed} changed, {removed} removed "
            "(event {event_date}, due {due_date})."
        ),
        file=notice.file,
        added=notice.added,
        changed=notice.changed,
        removed=notice.removed,
        event_date=notice.event_date,
        due_date=notice.due_date,
    )
    return _late_noted(text, notice, t)


@renderer(kinds.CATALOGUE_OPINION)
def opinion(notice: OpinionFiled, t: Translator) -> Reply:
    return Reply(
        t(
            N_("💬 Public opinion on catalogue adjustment #{id} ({service} — {certificate}):\n{text}"),
            id=notice.adjustment_id,
            service=notice.service,
            certificate=notice.certificate,
            text=notice.text,
        )
    )
