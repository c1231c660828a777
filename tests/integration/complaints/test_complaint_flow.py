"""A complaint from registration to rating, through the real database."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaint_lifecycle import ComplaintStatus
from nocert_core.domain.complaints import Channel
from nocert_core.domain.units import Unit
from nocert_core.errors import NotFound
from nocert_core.services.complaints import handling as svc

CITIZEN = Actor(ref="telegram:1001", role=Role.CITIZEN, name="王芳")
STAFF = Actor(ref="telegram:2001", role=Role.STAFF, unit_code="KW-SPJ", name="李科员")


def draft(**changes: object) -> svc.ComplaintDraft:
    values: dict[str, object] = dict(
        complainant_name="王芳",
        complainant_phone="138 0536 1234",
        agency_text="奎文区行政审批服务局",
        demand="撤回要求提交的无犯罪记录证明",
        reasons="该证明已列入免提交清单，可通过部门核验获取",
        facts="2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪证明",
        channel=Channel.TELEGRAM,
    )
    values.update(changes)
    return svc.ComplaintDraft(**values)  # type: ignore[arg-type]


async def add_unit(app: Application) -> None:
    async with app.uow() as uow:
        uow.units.add(Unit(code="KW-SPJ", name="奎文区行政审批服务局", aliases=["奎文区审批局"]))
        await uow.commit()


async def test_a_registered_complaint_is_numbered_routed_and_audited(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    assert complaint.number == "TS-2026-000001"
    assert complaint.unit_code == "KW-SPJ"
    assert complaint.complainant_phone == "13805361234"
    second = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(agency_text="奎文区审批局"))
    assert second.number == "TS-2026-000002"
    loaded = await svc.get_complaint(app.uow(), CITIZEN, complaint.number)
    assert [entry.action for entry in loaded.audit] == ["register"]
    assert loaded.registered_at.tzinfo is not None


async def test_accepting_sets_a_deadline_five_working_days_later_and_resolving_closes_it(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    accepted = await svc.accept_complaint(app.uow(), clock, STAFF, complaint.number)
    assert accepted.status == ComplaintStatus.ACCEPTED
    # Accepted Wed 2026-11-25 → the 5th working day after is Wed 2026-12-02, until local midnight.
    assert accepted.deadline_at == datetime(2026, 12, 2, 15, 59, 59, 999999, tzinfo=UTC)
    resolved = await svc.resolve_complaint(
        app.uow(), clock, STAFF, complaint.number, "已改为部门核验，当场办结"
    )
    assert resolved.status == ComplaintStatus.RESOLVED
    rated = await svc.rate_complaint(app.uow(), clock, CITIZEN, complaint.number, 5, "很快")
    assert rated.rating is not None and rated.rating.score == 5
    assert [entry.action for entry in rated.audit] == ["register", "accept", "resolve", "rate"]


async def test_a_redelivered_confirmation_does_not_register_twice(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    first = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(), dedup_ref="telegram:update:77")
    again = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(), dedup_ref="telegram:update:77")
    assert again.number == first.number
    assert len(await svc.list_complaints(app.uow(), CITIZEN)) == 1


async def test_another_citizen_cannot_see_a_complaint(app: Application, clock: FixedClock) -> None:
    await add_unit(app)
    complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    stranger = Actor(ref="telegram:9999", role=Role.CITIZEN)
    with pytest.raises(NotFound):
        await svc.get_complaint(app.uow(), stranger, complaint.number)


async def test_a_category_switched_off_in_the_settings_is_filed_as_other(
    app: Application, clock: FixedClock
) -> None:
    await add_unit(app)
    screened = await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    assert screened.category.value != "other", "the screening put this complaint in a specific category"
    app.uow.settings = app.settings.model_copy(update={"categories": ["other"]})
    restricted = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(facts=draft().facts + "。"))
    assert restricted.category.value == "other"


def test_an_unknown_category_in_the_settings_is_refused() -> None:
    from pydantic import ValidationError

    from nocert_core.settings import Settings

    with pytest.raises(ValidationError):
        Settings(categories=["demanded_proof", "bribery"])
    assert Settings(categories=["demanded_proof"]).categories == ["demanded_proof", "other"]
