"""Catalogue adjustments (R3 Art.5–9) and opinions on them (Art.10).

Every change is an Adjustment; entries are versioned (valid_from/valid_to), so nothing is ever overwritten.
Every filing notifies the task force through the outbox in the same transaction. Whole-file imports and
exports are in `services.catalogue.imports`; the plumbing both share is in `services.catalogue.filing`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from nocert_core.clock import Clock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.adjustments import (
    Adjustment,
    AdjustmentTrigger,
    AdjustmentType,
    Opinion,
    adjustment_as_dict,
)
from nocert_core.domain.catalogue import (
    ExemptionMode,
    certificate_key,
    entry_as_dict,
    make_entry,
    normalise_text,
)
from nocert_core.domain.fields import checked_length
from nocert_core.domain.notifications import AdjustmentFiled, OpinionFiled
from nocert_core.errors import NotFound, PermissionDenied, ValidationFailed
from nocert_core.i18n import N_
from nocert_core.services.catalogue.filing import (
    file_notice,
    filing_deadline,
    new_adjustment,
    record_adjustment,
    require_filer,
    unit_lookup,
)
from nocert_core.services.platform.reads import list_adjustments as list_adjustments
from nocert_core.services.platform.uow import AbstractUnitOfWork

MAX_OPINION_LENGTH = 1000


@dataclass
class AdjustmentRequest:
    """What a filer says. For `change`, fields left None stay; new_certificate renames the proof."""

    kind: AdjustmentType
    service_code: str
    certificate: str
    basis: str  # 调整依据: the law, decision or reason
    event_date: date
    trigger: AdjustmentTrigger = AdjustmentTrigger.OTHER
    service: str | None = None
    unit: str | None = None  # a unit code or name
    mode: ExemptionMode | str | None = None
    entry_basis: str | None = None  # the entry's 依据, when it differs from the adjustment basis
    notes: str | None = None
    new_certificate: str | None = None
    note: str = ""


def _adjustment_notice(adjustment: Adjustment) -> AdjustmentFiled:
    """The task force's notice: the adjustment without the entry snapshots (the notice names the entry)."""
    return AdjustmentFiled.read(adjustment_as_dict(adjustment))


async def file_adjustment(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, request: AdjustmentRequest
) -> Adjustment:
    """File one adjustment (R3 Art.8): staff for their own unit, supervisors for any (Art.9)."""
    require_filer(actor)
    basis = normalise_text(request.basis)
    if not basis:
        raise ValidationFailed("The field {field} is required.", field=N_("Basis"))
    if not request.trigger.allowed_for(request.kind):
        raise ValidationFailed(
            "The reason {trigger} does not fit an adjustment of type {type}.",
            trigger=request.trigger.value,
            type=request.kind.value,
        )
    now = clock.now()
    async with uow:
        existing = {
            certificate_key(e.certificate): e for e in await uow.catalogue.for_service(request.service_code)
        }
        old = existing.get(certificate_key(request.certificate))
        units = await unit_lookup(uow)
        if request.kind == AdjustmentType.ADD:
            if old is not None:
                raise ValidationFailed(
                    "The catalogue already has {certificate} for service {service}.",
                    certificate=old.certificate,
                    service=old.service,
                )
            unit_text = request.unit or (actor.unit_code if actor.role == Role.STAFF else None) or ""
            resolved = units.get(normalise_text(unit_text))
            template = next(iter(existing.values()), None)
            entry = make_entry(
                request.service_code,
                request.service or (template.service if template else ""),
                resolved[1] if resolved else unit_text,
                request.certificate,
                request.mode or "",
                request.entry_basis if request.entry_basis is not None else basis,
                request.notes or "",
                unit_code=resolved[0] if resolved else None,
            )
            before = None
        else:
            if old is None:
                raise NotFound(
                    "The catalogue has no entry for {certificate} in service {service}.",
                    certificate=request.certificate,
                    service=request.service_code,
                )
            before = old
            entry = old.copy()
            if request.kind == AdjustmentType.CHANGE:
                resolved = units.get(normalise_text(request.unit)) if request.unit else None
                entry = make_entry(
                    old.service_code,
                    request.service or old.service,
                    resolved[1] if resolved else old.unit_name,
                    request.new_certificate or old.certificate,
                    request.mode or old.mode,
                    request.entry_basis if request.entry_basis is not None else old.basis,
                    request.notes if request.notes is not None else old.notes,
                    unit_code=resolved[0] if resolved else old.unit_code,
                )
                if not entry.differs_from(old):
                    raise ValidationFailed("The change changes nothing.")
                renamed = existing.get(certificate_key(entry.certificate))
                if renamed is not None and renamed is not old:
                    raise ValidationFailed(
                        "The catalogue already has {certificate} for service {service}.",
                        certificate=renamed.certificate,
                        service=renamed.service,
                    )
        if not actor.acts_for_unit(entry.unit_code) or (
            before is not None and not actor.acts_for_unit(before.unit_code)
        ):
            raise PermissionDenied()
        due = await filing_deadline(uow, request.event_date, now)
        adjustment = new_adjustment(
            request.kind,
            request.trigger,
            entry,
            actor,
            basis,
            request.event_date,
            now,
            due,
            source="chat" if actor.ref.split(":")[0] in ("telegram", "console") else "manual",
            before=entry_as_dict(before) if before else None,
            after=None if request.kind == AdjustmentType.CANCEL else entry_as_dict(entry),
            note=normalise_text(request.note)[:1000],
        )
        if before is not None:
            before.valid_to = now
        await record_adjustment(
            uow, adjustment, None if request.kind == AdjustmentType.CANCEL else entry, now
        )
        file_notice(uow, str(adjustment.id), _adjustment_notice(adjustment))
        await uow.commit()
        return adjustment


async def get_adjustment(uow: AbstractUnitOfWork, adjustment_id: int) -> Adjustment:
    async with uow:
        return await _stored_adjustment(uow, adjustment_id)


async def _stored_adjustment(uow: AbstractUnitOfWork, adjustment_id: int) -> Adjustment:
    adjustment = await uow.catalogue.get_adjustment(adjustment_id)
    if adjustment is None:
        raise NotFound("No adjustment {id}.", id=adjustment_id)
    return adjustment


async def give_opinion(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, adjustment_id: int, text: str
) -> Opinion:
    """R3 Art.10: anyone may give an opinion on an adjustment; it reaches the task force."""
    # Checked on a normalised copy; stored exactly as written (a full-width "，" stays "，").
    checked_length(normalise_text(text), N_("Opinion"), MAX_OPINION_LENGTH, min_length=2)
    body = (text or "").strip()
    async with uow:
        adjustment = await _stored_adjustment(uow, adjustment_id)
        opinion = Opinion(
            adjustment_id=adjustment_id, author_ref=actor.ref, text=body, created_at=clock.now()
        )
        uow.catalogue.add_opinion(opinion)
        await uow.catalogue.flush()
        file_notice(
            uow,
            str(opinion.id),
            OpinionFiled(
                opinion_id=opinion.id,
                adjustment_id=adjustment_id,
                text=body,
                service=adjustment.service,
                certificate=adjustment.certificate,
                kind=adjustment.kind.value,
            ),
        )
        await uow.commit()
        return opinion
