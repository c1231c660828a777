"""Complaint use cases (R5). Each: open a unit of work, load, call the domain, commit."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.exc import IntegrityError

from nocert_core.clock import Clock, local_date, local_midnight
from nocert_core.domain import events as ev
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaint_lifecycle import OPEN_STATES, RejectionGround, TerminationGround
from nocert_core.domain.complaints import Category, Channel, Complaint, format_number
from nocert_core.domain.fields import checked_length
from nocert_core.domain.phones import normalise_phone
from nocert_core.errors import DomainError, NotFound, PermissionDenied
from nocert_core.i18n import N_
from nocert_core.services.platform.reads import can_view as can_view
from nocert_core.services.platform.reads import get_complaint as get_complaint
from nocert_core.services.platform.reads import list_complaints as list_complaints
from nocert_core.services.platform.uow import AbstractUnitOfWork
from nocert_core.services.screening.advice import screen_draft

STAFF_CHANNELS = frozenset(
    {
        Channel.HOTLINE,
        Channel.LETTER,
        Channel.FAX,
        Channel.SMS,
        Channel.EMAIL,
        Channel.PLATFORM,
        Channel.COUNTER,
    }
)


@dataclass
class ComplaintDraft:
    """What intake collected (R5 Art.5: name, phone, agency, demand, reasons, facts)."""

    complainant_name: str
    complainant_phone: str
    agency_text: str
    demand: str
    reasons: str
    facts: str
    channel: Channel = Channel.TELEGRAM
    on_behalf_of: str | None = None
    unit_code: str | None = None  # chosen explicitly (e.g. a button after an ambiguous name)
    category: Category | None = None


def _clean(value: str | None, field_name: str, max_length: int, required: bool = True) -> str:
    """`field_name` is a msgid (marked with N_): channels translate the `field` parameter."""
    return checked_length((value or "").strip(), field_name, max_length, min_length=1 if required else 0)


async def register_complaint(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, draft: ComplaintDraft, dedup_ref: str | None = None
) -> Complaint:
    """Register (R5 Art.7): number it, screen it, route it when the unit is clear.

    `dedup_ref` (e.g. the chat update id of the confirmation) makes a repeated delivery return the first
    complaint instead of registering a second one.
    """
    limit = uow.settings.max_text_length
    name = _clean(draft.complainant_name, N_("Name"), 100)
    phone = normalise_phone(_clean(draft.complainant_phone, N_("Phone"), 32))
    agency = _clean(draft.agency_text, N_("Agency"), 300)
    demand = _clean(draft.demand, N_("Demand"), limit)
    reasons = _clean(draft.reasons, N_("Reasons"), limit)
    facts = _clean(draft.facts, N_("Facts"), limit)
    if draft.channel in STAFF_CHANNELS and actor.role not in (Role.STAFF, Role.SUPERVISOR, Role.ADMIN):
        raise PermissionDenied()
    async with uow:
        # A citizen files at most `max_complaints_per_day` complaints a day (flooding, issue 10); complaints
        # staff register for callers are exempt: their channel and registering unit show on every card.
        cap = uow.settings.max_complaints_per_day if actor.role == Role.CITIZEN else 0
        checks = await uow.complaints.register_checks(  # one round trip for the three reads
            dedup_ref=dedup_ref,
            complainant_ref=actor.ref if cap > 0 else None,
            since=_local_midnight_now(uow, clock),
            phone=phone,
        )
        if dedup_ref and checks.registered:
            existing = await uow.complaints.find_by_dedup_ref(dedup_ref)
            if existing is not None:
                return existing
        if cap > 0 and checks.filed_since >= cap:
            raise DomainError(DAILY_CAP_REACHED, limit=cap)
        if draft.unit_code is not None and await uow.units.known(draft.unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=draft.unit_code)
        advice = await screen_draft(
            uow,
            agency,
            demand,
            reasons,
            facts,
            phone=phone,
            unit_code=draft.unit_code,
            from_phone=checks.open_from_phone,
        )
        now = clock.now()
        year = local_date(now, uow.settings.timezone).year
        sequence = await uow.complaints.next_number_sequence(year)
        complaint = Complaint(
            number=format_number(year, sequence),
            channel=draft.channel,
            complainant_name=name,
            complainant_phone=phone,
            agency_text=agency,
            demand=demand,
            reasons=reasons,
            facts=facts,
            registered_at=now,
            category=_enabled_category(draft.category or Category(advice.category), uow.settings.categories),
            complainant_ref=actor.ref if actor.role == Role.CITIZEN else None,
            on_behalf_of=(draft.on_behalf_of or "").strip() or None,
            unit_code=draft.unit_code or (advice.unit.code if advice.unit else None),
            receiving_unit_code=actor.unit_code if actor.role == Role.STAFF else None,
            registered_by=actor.ref if actor.role != Role.CITIZEN else None,
            screening=advice.as_dict(),
            dedup_ref=dedup_ref,
        )
        complaint.record_registration(actor)
        complaint.events.append(ev.ComplaintRegistered(complaint.number, complaint.unit_code))
        uow.complaints.add(complaint)
        try:
            await uow.commit()
        except IntegrityError:
            if not dedup_ref:
                raise
            # Insert-or-get: the same draft was registered meanwhile by another handler or process.
            await uow.rollback()
            existing = await uow.complaints.find_by_dedup_ref(dedup_ref)
            if existing is None:
                raise
            return existing
        return complaint


DAILY_CAP_REACHED = N_(
    "You have reached today's limit of complaints for one account ({limit}). Please file more tomorrow, "
    "or call the 12345 hotline if it is urgent."
)


def _local_midnight_now(uow: AbstractUnitOfWork, clock: Clock) -> datetime:
    """Where the daily cap's day began."""
    return local_midnight(local_date(clock.now(), uow.settings.timezone), uow.settings.timezone)


@dataclass(frozen=True)
class IntakeStart:
    may_file: bool  # under the daily cap (checked again, authoritatively, at registration)
    last_contact: tuple[str, str] | None  # a citizen's name and phone in their latest complaint


async def intake_start(uow: AbstractUnitOfWork, clock: Clock, actor: Actor) -> IntakeStart:
    """What opening a complaint's intake needs to know, in one round trip: whether a citizen reached the
    daily cap, and their name and phone as given in their latest complaint (offered instead of asking)."""
    if actor.role != Role.CITIZEN:
        return IntakeStart(may_file=True, last_contact=None)
    limit = uow.settings.max_complaints_per_day
    async with uow:
        filed, latest = await uow.complaints.intake_checks(actor.ref, _local_midnight_now(uow, clock))
    return IntakeStart(may_file=limit <= 0 or filed < limit, last_contact=latest)


def _enabled_category(category: Category, enabled: Sequence[str]) -> Category:
    return category if category.value in enabled else Category.OTHER


async def _load(uow: AbstractUnitOfWork, actor: Actor, number: str) -> Complaint:
    """The complaint, if `actor` may see it. One that exists but is not theirs answers exactly like a
    missing one (no oracle: staff of one unit cannot probe which numbers exist or what state they are in);
    what they may see but not do is the domain's PermissionDenied."""
    complaint = await uow.complaints.get_by_number(number)
    if complaint is None or not can_view(actor, complaint):
        raise NotFound("No complaint {number}.", number=number)
    return complaint


async def reveal_phone(uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str) -> str:
    """The full phone number, for the handling unit and the task force only; every view is audited."""
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.record_access(actor, clock.now(), "phone")
        await uow.commit()
        return complaint.complainant_phone


async def awaiting_task_force(uow: AbstractUnitOfWork, actor: Actor) -> Sequence[Complaint]:
    """Open complaints the task force must act on: no unit yet (to route) or an extension requested."""
    if not actor.is_supervisor:
        raise PermissionDenied()
    return [
        c
        for c in await list_complaints(uow, actor, statuses=list(OPEN_STATES))
        if c.unit_code is None or c.extension_state.value == "requested"
    ]


async def route_complaint(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, unit_code: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        if await uow.units.get(unit_code) is None:
            raise NotFound("Unknown unit {code}.", code=unit_code)
        complaint.route(unit_code, actor, clock.now())
        await uow.commit()
        return complaint


async def accept_complaint(uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        calendar = await uow.calendar.load()
        settings = uow.settings
        complaint.accept(actor, clock.now(), calendar, settings.timezone, settings.handling_working_days)
        await uow.commit()
        return complaint


async def reject_complaint(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, ground: RejectionGround, reason: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.reject(ground, reason, actor, clock.now())
        await uow.commit()
        return complaint


async def return_misrouted(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, reason: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.return_misrouted(reason, actor, clock.now())
        await uow.commit()
        return complaint


async def request_extension(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, days: int, reason: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.request_extension(days, reason, actor, clock.now(), uow.settings.max_extension_working_days)
        await uow.commit()
        return complaint


async def decide_extension(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, approve: bool, note: str = ""
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        calendar = await uow.calendar.load()
        complaint.decide_extension(approve, actor, clock.now(), calendar, uow.settings.timezone, note)
        await uow.commit()
        return complaint


async def resolve_complaint(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, result: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.resolve(result, actor, clock.now())
        await uow.commit()
        return complaint


async def terminate_complaint(
    uow: AbstractUnitOfWork,
    clock: Clock,
    actor: Actor,
    number: str,
    ground: TerminationGround,
    reason: str = "",
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.terminate(ground, reason, actor, clock.now())
        await uow.commit()
        return complaint


async def mark_duplicate(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, original_number: str
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        original = await _load(uow, actor, original_number)
        complaint.mark_duplicate(original, actor, clock.now())
        await uow.commit()
        return complaint


async def rate_complaint(
    uow: AbstractUnitOfWork, clock: Clock, actor: Actor, number: str, score: int, comment: str = ""
) -> Complaint:
    async with uow:
        complaint = await _load(uow, actor, number)
        complaint.rate(score, comment, actor, clock.now())
        await uow.commit()
        return complaint
