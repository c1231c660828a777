"""Rectification notices, hotspots, reports, the digest, the weekly report and the start-up catch-up."""

from __future__ import annotations

import asyncio
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from sqlalchemy import select

from bot.jobs.scheduler import catch_up
from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaint_lifecycle import RejectionGround
from nocert_core.domain.rectification import RectificationStatus
from nocert_core.errors import DomainError, NotFound, PermissionDenied
from nocert_core.guidance import LexiconEntry
from nocert_core.services.catalogue import guidance
from nocert_core.services.complaints import handling as svc
from nocert_core.services.oversight import rectification as rect
from nocert_core.services.oversight.digest import send_daily_digest
from nocert_core.services.oversight.hotspots import keywords
from nocert_core.services.oversight.report_export import export_report, export_scorecard
from nocert_core.services.oversight.reports import build_report, period_for
from nocert_core.services.oversight.scorecard import build_scorecard
from nocert_core.services.oversight.sweeps import run_sweeps
from tests.integration.oversight_helpers import CITIZEN, SUPERVISOR, register_at, seed, staff_actor

WED_25 = datetime(2026, 11, 25, 1, 30, tzinfo=UTC)


async def kinds(app: Application, prefix: str) -> Counter[str]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.kind).where(orm.outbox.c.kind.like(f"{prefix}%"))
        )
        return Counter(rows.scalars().all())


async def test_a_rectification_notice_goes_from_issue_to_report_return_acceptance_and_follow_up(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    staff = staff_actor("KW-SPJ")
    notice = await rect.issue_notice(
        app.uow(), clock, SUPERVISOR, "KW-SPJ", "窗口仍要求提交无犯罪记录证明", "改为部门核验并公示", 5
    )
    assert notice.number == f"ZG-2026-{notice.id:05d}"
    assert notice.deadline_at == datetime(2026, 12, 2, 15, 59, 59, 999999, tzinfo=UTC)  # 5 working days
    with pytest.raises(NotFound):  # another unit's staff cannot see it
        await rect.get_notice(app.uow(), staff_actor("WC-BDC", 2), notice.number)
    with pytest.raises(PermissionDenied):
        await rect.accept_rectification(app.uow(), clock, staff, notice.number)
    reported = await rect.report_rectification(
        app.uow(), clock, staff, notice.number, "已改为部门核验，窗口已培训"
    )
    assert reported.status == RectificationStatus.REPORTED and reported.reported_on_time
    returned = await rect.return_rectification(app.uow(), clock, SUPERVISOR, notice.number, "未见公示材料", 3)
    assert returned.status == RectificationStatus.RETURNED
    with pytest.raises(DomainError):  # nothing to accept until the unit reports again
        await rect.accept_rectification(app.uow(), clock, SUPERVISOR, notice.number)
    clock.advance(timedelta(days=1))
    await rect.report_rectification(app.uow(), clock, staff, notice.number, "已在大厅公示免提交清单")
    accepted = await rect.accept_rectification(app.uow(), clock, SUPERVISOR, notice.number)
    assert accepted.follow_up_at == clock.now() + timedelta(days=app.settings.rectification_follow_up_days)
    # The follow-up check (回头看) reminds the supervisors once, when due.
    await run_sweeps(app.uow, clock, hotspots=False)
    assert (await kinds(app, "rectification.follow_up"))["rectification.follow_up_due"] == 0
    clock.advance(timedelta(days=31))
    await run_sweeps(app.uow, clock, hotspots=False)
    await run_sweeps(app.uow, clock, hotspots=False)
    assert (await kinds(app, "rectification.follow_up"))["rectification.follow_up_due"] == 1
    closed = await rect.confirm_follow_up(app.uow(), clock, SUPERVISOR, notice.number, "抽查3次均未再要求")
    assert closed.status == RectificationStatus.CLOSED
    assert [entry.action for entry in closed.audit] == [
        "issue",
        "report",
        "return",
        "report",
        "accept",
        "confirm_follow_up",
    ]
    sent = await kinds(app, "rectification.")
    assert sent["rectification.issued"] == 1  # to the unit's staff
    assert sent["rectification.reported"] == 2  # to the supervisor, per report
    assert sent["rectification.returned"] == 1 and sent["rectification.accepted"] == 1


async def test_a_rectification_not_reported_is_reminded_the_day_before_and_alerted_when_overdue(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    notice = await rect.issue_notice(
        app.uow(), clock, SUPERVISOR, "KW-SPJ", "问题", "要求", 2
    )  # due Fri 27th
    clock.set(datetime(2026, 11, 26, 2, 0, tzinfo=UTC))
    await run_sweeps(app.uow, clock, hotspots=False)
    clock.set(datetime(2026, 11, 30, 2, 0, tzinfo=UTC))
    await run_sweeps(app.uow, clock, hotspots=False)
    sent = await kinds(app, "rectification.")
    assert sent["rectification.due_soon"] == 1
    assert sent["rectification.overdue"] == 2  # the unit's staff and the supervisor
    late = await rect.report_rectification(app.uow(), clock, staff_actor("KW-SPJ"), notice.number, "已整改")
    assert late.reported_on_time is False


def test_keywords_find_the_certificate_demanded_by_its_official_name() -> None:
    found = keywords("办理营业执照时窗口要求我开无犯罪记录证明，还要户口本复印件")
    assert "无犯罪记录证明" in found
    assert "居民户口簿" in found and "户口本" not in found  # the lexicon's official name
    assert keywords("要求开具房屋鉴定证明") >= {"房屋鉴定证明"}  # a name no list knows, by its shape


async def topic_alerts(app: Application) -> dict[str, dict[str, object]]:
    async with app.uow() as uow:
        rows = await uow.session.execute(
            select(orm.outbox.c.payload).where(orm.outbox.c.kind == "hotspot.topic")
        )
        return {payload["subject"]: payload for payload in rows.scalars()}


async def test_colloquial_and_official_names_of_a_certificate_make_one_topic_hotspot(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    texts = [
        ("KW-SPJ", "窗口要求提交户口本复印件", "11月20日办理食品经营许可时，窗口要我交户口本复印件"),
        ("WC-BDC", "不要再让我提供居民户口簿", "11月21日办过户，窗口要求提供居民户口簿原件"),
        ("GX-GAJ", "撤回户口簿要求", "11月22日办居住证，被要求带户口簿"),
    ]
    for index, (unit, demand, facts) in enumerate(texts):
        await register_at(app, clock, WED_25 - timedelta(days=index), unit, demand=demand, facts=facts)
    await run_sweeps(app.uow, clock)
    alerts = await topic_alerts(app)
    assert "居民户口簿" in alerts and alerts["居民户口簿"]["count"] == 3
    assert not {"户口本", "户口簿", "户口本复印件"} & set(alerts)


async def test_a_word_an_administrator_adds_to_the_lexicon_counts_for_its_certificate(
    app: Application, clock: FixedClock
) -> None:
    await seed(app)
    await guidance.add_lexicon_terms(
        app.uow(), SUPERVISOR, [LexiconEntry("certificate", "无犯证明", "无犯罪记录证明")]
    )
    for index, unit in enumerate(["KW-SPJ", "WC-BDC"]):
        await register_at(app, clock, WED_25 - timedelta(days=index), unit, facts="窗口要求开无犯证明")
    await register_at(app, clock, WED_25, "GX-GAJ", facts="窗口要求开无犯罪记录证明")
    await run_sweeps(app.uow, clock)
    alerts = await topic_alerts(app)
    assert alerts["无犯罪记录证明"]["count"] == 3 and "无犯证明" not in alerts


async def test_hotspots_alert_the_supervisors_once_per_unit_and_per_recurring_certificate(
    app: Application, clock: FixedClock
) -> None:
    await seed(app, supervisors=2)
    for index in range(3):
        await register_at(app, clock, WED_25 - timedelta(days=index), "KW-SPJ")
    await register_at(
        app,
        clock,
        WED_25,
        "WC-BDC",
        demand="不要再让我开无犯罪记录证明",
        facts="11月23日在不动产中心办过户，窗口要求开无犯罪记录证明",
    )
    await run_sweeps(app.uow, clock)
    clock.advance(timedelta(hours=1))
    await run_sweeps(app.uow, clock)
    async with app.uow() as uow:
        rows = (
            await uow.session.execute(
                select(orm.outbox.c.kind, orm.outbox.c.payload).where(orm.outbox.c.kind.like("hotspot.%"))
            )
        ).all()
    unit_alerts = [payload for kind, payload in rows if kind == "hotspot.unit"]
    topic_alerts = [payload for kind, payload in rows if kind == "hotspot.topic"]
    assert len(unit_alerts) == 2 and unit_alerts[0]["subject"] == "奎文区行政审批服务局"
    assert unit_alerts[0]["count"] == 3 and len(unit_alerts[0]["numbers"]) == 3
    subjects = {payload["subject"] for payload in topic_alerts}
    assert "无犯罪记录证明" in subjects
    assert all(
        len(payload["numbers"]) == 4 for payload in topic_alerts if payload["subject"] == "无犯罪记录证明"
    )


async def make_month(app: Application, clock: FixedClock) -> None:
    """A November like the demo's: resolved on time and late, a rejection, an overdue one, a rating."""
    await seed(app, supervisors=2)
    on_time = await register_at(app, clock, datetime(2026, 11, 2, 2, tzinfo=UTC), "KW-SPJ", accept=True)
    clock.set(datetime(2026, 11, 4, 2, tzinfo=UTC))
    await svc.resolve_complaint(app.uow(), clock, staff_actor("KW-SPJ"), on_time.number, "已改为部门核验")
    await svc.rate_complaint(app.uow(), clock, CITIZEN, on_time.number, 4)
    late = await register_at(app, clock, datetime(2026, 11, 3, 2, tzinfo=UTC), "WC-BDC", accept=True)
    clock.set(datetime(2026, 11, 16, 2, tzinfo=UTC))
    await svc.resolve_complaint(app.uow(), clock, staff_actor("WC-BDC", 2), late.number, "已办结")
    await register_at(app, clock, datetime(2026, 11, 10, 2, tzinfo=UTC), "GX-GAJ", accept=True)  # overdue
    vague = await register_at(app, clock, datetime(2026, 11, 11, 2, tzinfo=UTC), "KW-SPJ")
    await svc.reject_complaint(
        app.uow(), clock, staff_actor("KW-SPJ"), vague.number, RejectionGround.VAGUE, "无具体时间地点"
    )
    clock.set(WED_25)


async def test_the_monthly_report_counts_per_unit_and_writes_charts_and_a_workbook(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    await make_month(app, clock)
    period = period_for("month", clock.now().date())
    report = await build_report(app.uow, clock, period)
    by_code = {unit.code: unit for unit in report.units}
    assert by_code["KW-SPJ"].received == 2 and by_code["KW-SPJ"].rejected == {"vague": 1}
    assert by_code["KW-SPJ"].on_time_rate == 1.0 and by_code["KW-SPJ"].average_rating == 4
    assert by_code["KW-SPJ"].average_handling_days == 2
    assert by_code["WC-BDC"].on_time_rate == 0.0  # resolved after its deadline
    assert by_code["GX-GAJ"].overdue_now == 1 and by_code["GX-GAJ"].on_time_rate == 0.0
    assert report.total().received == 4
    files = export_report(report, tmp_path)
    for path in files.all():
        assert path.stat().st_size > 1000
    sheet = load_workbook(files.workbook)["按单位"]
    assert sheet["B1"].value == "单位" and {sheet.cell(row, 1).value for row in range(2, 6)} >= {
        "KW-SPJ",
        "GX-GAJ",
    }
    scorecard = await build_scorecard(app.uow, clock, period)
    assert scorecard[0].code == "KW-SPJ"  # on time and rated 4/5
    export_scorecard(scorecard, tmp_path / "scorecard.xlsx", period.label())
    assert load_workbook(tmp_path / "scorecard.xlsx").active.max_row == len(scorecard) + 1


async def test_the_digest_goes_out_once_on_working_days_and_not_on_a_day_off(
    app: Application, clock: FixedClock
) -> None:
    await make_month(app, clock)
    assert await send_daily_digest(app.uow, clock) == 2
    assert await send_daily_digest(app.uow, clock) == 0
    clock.set(datetime(2026, 11, 29, 1, tzinfo=UTC))  # a Sunday
    assert await send_daily_digest(app.uow, clock) == 0
    async with app.uow() as uow:
        payload = (
            (
                await uow.session.execute(
                    select(orm.outbox.c.payload).where(orm.outbox.c.kind == "digest.daily")
                )
            )
            .scalars()
            .first()
        )
    assert payload is not None and payload["overdue"] == 1 and payload["units"][0]["code"] == "GX-GAJ"


async def test_catching_up_at_start_up_sends_the_missed_digest_and_weekly_report_once(
    app: Application, clock: FixedClock, tmp_path: Path
) -> None:
    app.settings.reports_dir = str(tmp_path)
    await make_month(app, clock)
    clock.set(datetime(2026, 11, 30, 3, tzinfo=UTC))  # Monday 11:00: after the digest and the report
    await catch_up(app)
    await catch_up(app)  # a second start-up the same morning
    sent = await kinds(app, "")
    assert sent["digest.daily"] == 2 and sent["report.weekly"] == 2
    assert sent["report.file"] == 2 * 4  # three charts and the workbook, per supervisor
    assert sent["alert.overdue"] >= 1
    assert len(list(tmp_path.rglob("*.png"))) == 3


async def test_a_staff_member_cannot_issue_a_notice(app: Application, clock: FixedClock) -> None:
    await seed(app)
    with pytest.raises(PermissionDenied):
        await rect.issue_notice(app.uow(), clock, staff_actor("KW-SPJ"), "KW-SPJ", "问题", "要求", 5)
    citizen = Actor(ref="telegram:1", role=Role.CITIZEN)
    assert await rect.list_notices(app.uow(), citizen) == []


async def test_a_hotspot_sweep_reads_the_complaints_keywords_without_stopping_the_event_loop(
    app: Application, clock: FixedClock, monkeypatch: pytest.MonkeyPatch
) -> None:
    """jieba over a month of complaints is seconds of CPU; on the event loop it froze the instance that had
    just been elected to sweep, and the user locks it held for its citizens expired (issue 11's soak)."""
    from nocert_core.services.oversight import hotspots

    await seed(app, supervisors=1)
    await register_at(app, clock, WED_25, "WC-BDC", facts="窗口要求开无犯罪记录证明")
    reading, release = threading.Event(), threading.Event()
    froze: list[str] = []
    real = hotspots.keywords

    def slow_keywords(text: str, limit: int = 8, names: Any = None) -> set[str]:
        reading.set()
        if not release.wait(timeout=20):  # released by the event loop below, if it still runs
            froze.append("the event loop stopped while the keywords were read")
        return real(text, limit, names)

    monkeypatch.setattr(hotspots, "keywords", slow_keywords)
    sweep = asyncio.create_task(hotspots.sweep_hotspots(app.uow, clock))
    while not reading.is_set():  # the loop runs while the sweep reads
        await asyncio.sleep(0.01)
    release.set()
    await sweep
    assert froze == []
