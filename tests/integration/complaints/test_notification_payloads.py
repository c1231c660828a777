"""Every lifecycle's notifications go through domain events and typed payloads; rows written before the
payload types existed (plain dicts, as the older code wrote them) still render."""

from __future__ import annotations

from typing import Any

import pytest

from bot.jobs.outbox_worker import OutboxWorker
from handlers.renderers import render
from handlers.types import Reply
from nocert_core.bootstrap import EVENT_HANDLERS, Application
from nocert_core.clock import FixedClock
from nocert_core.domain import events as ev
from nocert_core.domain import notifications as notes
from nocert_core.domain.outbox import OutboxMessage
from nocert_core.i18n import translator
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.messaging import outbox

# Payloads exactly as the code before the typed payloads wrote them (keys and values of real rows).
OLD_ROWS: list[tuple[str, dict[str, Any], str]] = [
    (
        notes.VERIFICATION_REQUESTED,
        {
            "number": "HC-2026-000007",
            "requesting_unit": "奎文区审批局",
            "issuing_unit": "潍坊市公安局",
            "service": "户口迁移",
            "proof": "无犯罪记录证明",
            "applicant": "王芳",
            "data": "身份证号 3707…",
            "deadline": "2026-12-04",
            "status": "requested",
        },
        "HC-2026-000007",
    ),
    (
        notes.VERIFICATION_ANSWERED,
        {
            "number": "HC-2026-000007",
            "requesting_unit": "奎文区审批局",
            "issuing_unit": "潍坊市公安局",
            "service": "户口迁移",
            "proof": "无犯罪记录证明",
            "applicant": "王芳",
            "data": "x",
            "deadline": "2026-12-04",
            "status": "verified",
            "result": "inconsistent",
            "details": "姓名不符",
        },
        "vr:mat:HC-2026-000007",
    ),
    (
        notes.VERIFICATION_OVERDUE,
        {
            "number": "HC-2026-000008",
            "requesting_unit": "a",
            "issuing_unit": "b",
            "proof": "p",
            "deadline": "2026-11-20",
            "status": "accepted",
        },
        "vr:open:HC-2026-000008",
    ),
    (
        notes.RECTIFICATION_REPORTED,
        {
            "notice": "ZG-2026-0003",
            "unit_code": "KW-SPJ",
            "unit_name": "奎文区审批局",
            "issue": "仍要求提交户口本",
            "requirement": "按清单执行",
            "deadline": "2026-12-10",
            "report": "已整改，窗口已培训",
            "on_time": True,
        },
        "已整改，窗口已培训",
    ),
    (
        notes.RECTIFICATION_DUE_SOON,
        {
            "notice": "ZG-2026-0003",
            "unit_code": "KW-SPJ",
            "unit_name": "奎文区审批局",
            "issue": "仍要求提交户口本",
            "deadline": "2026-12-10",
        },
        "rect:report:ZG-2026-0003",
    ),
    (
        notes.CATALOGUE_ADJUSTMENT_FILED,
        {  # adjustment_as_dict without before/after, plus the filing days; unknown keys are ignored
            "id": 12,
            "kind": "cancel",
            "trigger": "law_changed",
            "unit": "潍坊市不动产登记中心",
            "unit_code": "WF-BDC",
            "service_code": "S1",
            "service": "不动产登记",
            "certificate": "居民户口簿",
            "basis": "鲁政办字〔2026〕1号",
            "event_date": "2026-11-20",
            "filed_at": "2026-11-25T01:00:00+00:00",
            "filed_by": "telegram:1",
            "due_date": "2026-11-24",
            "late": True,
            "source": "chat",
            "filing_days": 2,
        },
        "居民户口簿",
    ),
    (
        notes.CATALOGUE_IMPORT_FILED,
        {"batch": "b1", "file": "list.csv", "filed_by": "cli", "added": 3, "changed": 1, "removed": 0},
        "list.csv",
    ),
    (notes.CATALOGUE_OPINION, {"opinion_id": 4, "adjustment_id": 12, "text": "建议保留"}, "建议保留"),
    # complaint alerts as the sweep wrote them (no deadline key while a complaint has none)
    (
        notes.ACCEPTANCE_PENDING,
        {"number": "TS-2026-000011", "unit_code": "WF-GA", "unit_name": "潍坊市公安局", "working_days": 2},
        "潍坊市公安局",
    ),
    (
        notes.ROUTING_PENDING,
        {"number": "TS-2026-000012", "unit_code": None, "unit_name": "", "working_days": 2},
        "TS-2026-000012",
    ),
    (
        notes.DUE_SOON,
        {
            "number": "TS-2026-000013",
            "unit_code": "WF-GA",
            "unit_name": "潍坊市公安局",
            "deadline": "2026-12-03",
        },
        "2026-12-03",
    ),
    (
        notes.OVERDUE,
        {"number": "TS-2026-000014", "unit_code": "WF-GA", "unit_name": "", "deadline": "2026-11-20"},
        "WF-GA",
    ),
    (
        notes.ESCALATION,
        {
            "number": "TS-2026-000015",
            "unit_code": "WF-GA",
            "unit_name": "潍坊市公安局",
            "deadline": "2026-11-20",
            "working_days": 5,
            "serious": True,
        },
        "TS-2026-000015",
    ),
    (
        notes.EXTENSION_UNDECIDED,
        {"number": "TS-2026-000016", "unit_code": "WF-GA", "unit_name": "潍坊市公安局", "days": 10},
        "10",
    ),
    (
        notes.UNIT_HOTSPOT,
        {
            "subject": "潍坊市公安局",
            "unit_code": "WF-GA",
            "units": ["潍坊市公安局"],
            "numbers": ["TS-2026-000001", "TS-2026-000002"],
            "count": 2,
            "window_days": 7,
        },
        "TS-2026-000002",
    ),
    (
        notes.DAILY_DIGEST,
        {
            "day": "2026-11-30",
            "new": 1,
            "due_today": 0,
            "overdue": 1,
            "units": [{"code": "WF-GA", "name": "潍坊市公安局", "new": 1, "due_today": 0, "overdue": 1}],
        },
        "潍坊市公安局",
    ),
    (
        notes.WEEKLY_REPORT,
        {
            "start": "2026-11-23",
            "end": "2026-11-29",
            "received": 4,
            "resolved": 2,
            "on_time": "50%",
            "overdue": 1,
            "unreachable": ["王芳"],
        },
        "王芳",
    ),
    (
        notes.TOPIC_HOTSPOT,
        {
            "subject": "无犯罪记录证明",
            "unit_code": None,
            "units": ["a", "b"],
            "numbers": ["TS-2026-000003"],
            "count": 3,
            "window_days": 14,
        },
        "无犯罪记录证明",
    ),
]


@pytest.mark.parametrize(("kind", "payload", "shown"), OLD_ROWS, ids=[row[0] for row in OLD_ROWS])
@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_a_row_written_as_a_plain_dict_still_renders(
    kind: str, payload: dict[str, Any], shown: str, locale: str
) -> None:
    reply = render(kind, payload, translator(locale))
    text = reply.text + " ".join(button.data for row in reply.buttons for button in row)
    assert shown in text


def test_a_typed_payload_is_read_back_as_its_type_and_missing_fields_take_defaults() -> None:
    card = notes.PAYLOADS[notes.RECTIFICATION_ISSUED].read({"notice": "ZG-2026-0001", "extra": 1})
    assert card == notes.RectificationCard(notice="ZG-2026-0001")
    assert isinstance(
        notes.read_payload(notes.VERIFICATION_WITHDRAWN, {"number": "x"}), notes.VerificationCard
    )
    assert notes.read_payload(
        "complaint.status", {"number": "x", "change": "accepted"}
    ) == notes.StatusChange("x", "accepted")
    alert = notes.read_payload(notes.OVERDUE, {"number": "TS-2026-000014", "unit_code": "WF-GA"})
    assert alert == notes.ComplaintAlert(number="TS-2026-000014", unit_code="WF-GA")
    assert isinstance(alert, notes.ComplaintAlert) and alert.unit == "WF-GA" and alert.deadline == ""
    digest = notes.read_payload(
        notes.DAILY_DIGEST, {"day": "2026-11-30", "units": [{"code": None, "new": 2}]}
    )
    assert digest == notes.DailyDigest(day="2026-11-30", units=[notes.DigestUnit(code=None, new=2)])


def test_a_payload_of_another_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="no payload of"):
        outbox.addressed([], notes.RECTIFICATION_ISSUED, notes.VerificationCard(number="x"), "k")


def test_every_lifecycle_event_has_a_subscriber_in_bootstrap() -> None:
    for event in (
        ev.VerificationRequested,
        ev.VerificationAnswered,
        ev.VerificationWithdrawn,
        ev.RectificationIssued,
        ev.RectificationReported,
        ev.RectificationAccepted,
        ev.RectificationReturned,
        ev.CatalogueFiled,
    ):
        assert EVENT_HANDLERS.get(event), event.__name__


async def test_an_old_row_in_the_database_is_delivered_rendered(app: Application, clock: FixedClock) -> None:
    await ensure_account(app.uow(), clock, ref="telegram:5101", channel="telegram", chat_id="5101")
    kind, payload, shown = OLD_ROWS[3]
    async with app.uow() as uow:  # as the older code wrote it: a plain dict
        now = clock.now()
        await uow.outbox.enqueue(OutboxMessage("old:1", "telegram:5101", kind, payload, now, now))
        await uow.commit()
    sent: list[Reply] = []

    class Recording:
        async def send(self, chat_id: str, reply: Reply) -> None:
            sent.append(reply)

    worker = OutboxWorker(app, {"telegram": Recording()}, rate_per_second=0, chat_interval=0)
    await worker.run_until_idle()
    assert len(sent) == 1 and shown in sent[0].text
