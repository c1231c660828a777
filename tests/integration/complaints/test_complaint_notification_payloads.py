"""The complaint kinds, card updates and chat replies carry typed payloads (issue 12 item 10), stored in the
shape the previous version wrote: rows it left pending in an outbox still render and are delivered; a row
that is no payload of its kind (or of a kind this version does not know) is marked undeliverable with a log
line saying why, and the chat's next message still goes out."""

from __future__ import annotations

import io
import logging
from typing import Any

import pytest
from sqlalchemy import select

from bot.console import ConsoleSession
from bot.jobs.outbox_worker import OutboxWorker
from handlers.renderers import render
from handlers.types import Reply
from nocert_core.adapters.sql import orm
from nocert_core.adapters.sql.tables_chat import chat_cards
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain import complaint_notifications as kinds
from nocert_core.domain import notifications as notes
from nocert_core.domain.outbox import OutboxMessage, OutboxStatus
from nocert_core.i18n import translator
from nocert_core.services.access.accounts import ensure_account
from nocert_core.services.messaging import outbox

# The staff card as the previous version's `case_payload` wrote it (with the handling days added).
CASE: dict[str, Any] = {
    "number": "TS-2026-000021",
    "status": "registered",
    "category": "demanded_proof",
    "channel": "telegram",
    "agency_text": "奎文区审批局",
    "unit_code": "KW-SPJ",
    "unit_name": "奎文区行政审批服务局",
    "name": "王芳",
    "on_behalf_of": None,
    "phone_masked": "138****1234",
    "demand": "不用证明直接办理",
    "reasons": "已列入清单",
    "facts": "前天在窗口被要求开无犯罪记录证明",
    "registered": "2026-11-25",
    "deadline": None,
    "deadline_provisional": False,
    "extension_state": "none",
    "extension_days": None,
    "extension_reason": None,
    "status_reason": None,
    "admissible": True,
    "grounds": [],
    "notes": [],
    "repeat_of": None,
    "allowed": ["accept", "mark_duplicate", "reject", "return_misrouted"],
    "handling_days": 5,
}
HANDLED = {
    **CASE,
    "status": "accepted",
    "deadline": "2026-12-02",
    "allowed": ["request_extension", "resolve"],
}

# (kind, payload as the previous version wrote it, what the rendered message must show)
OLD_ROWS: list[tuple[str, dict[str, Any], list[str]]] = [
    (kinds.ASSIGNED, CASE, ["TS-2026-000021", "138****1234", "st:acc:TS-2026-000021"]),
    (
        kinds.UNROUTED,
        {
            **CASE,
            "status": "transferred",
            "unit_code": None,
            "unit_name": None,
            "status_reason": "不属本单位职责",
            "allowed": ["mark_duplicate", "route", "terminate"],
            "returned_by": "潍坊市公安局",
        },
        ["潍坊市公安局", "不属本单位职责", "sv:route:TS-2026-000021"],
    ),
    (kinds.UNROUTED, {**CASE, "no_staff_bound": True}, ["TS-2026-000021"]),
    (
        kinds.EXTENSION_REQUESTED,
        {**HANDLED, "extension_state": "requested", "extension_days": 3, "extension_reason": "需跨部门核实"},
        ["需跨部门核实", "sv:xok:TS-2026-000021"],
    ),
    (
        kinds.PRESSED,
        {
            **{k: v for k, v in HANDLED.items() if k != "handling_days"},
            "working_days_late": 4,
            "note": "请今天回复",
        },
        ["请今天回复", "4", "st:res:TS-2026-000021"],
    ),
    (
        kinds.STATUS_CHANGED,
        {
            "number": "TS-2026-000021",
            "change": "accepted",
            "unit_name": "奎文区行政审批服务局",
            "deadline": "2026-12-02",
            "provisional": False,
            "result": None,
            "ground": None,
            "reason": None,
        },
        ["2026-12-02", "奎文区行政审批服务局", "mc:open:TS-2026-000021"],
    ),
    (
        kinds.STATUS_CHANGED,
        {
            "number": "TS-2026-000021",
            "change": "resolved",
            "unit_name": "奎文区行政审批服务局",
            "deadline": "2026-12-02",
            "provisional": False,
            "result": "已直接办理",
            "ground": None,
            "reason": None,
            "rate": True,
        },
        ["已直接办理", "rt:TS-2026-000021:5"],
    ),
    (
        kinds.STAFF_UPDATE,
        {"number": "TS-2026-000021", "change": "reassigned", "to_unit": "潍坊市公安局"},
        ["潍坊市公安局"],
    ),
    (
        kinds.STAFF_UPDATE,
        {"number": "TS-2026-000021", "change": "extension_approved", "deadline": "2026-12-07"},
        ["2026-12-07", "st:case:TS-2026-000021"],
    ),
    (
        kinds.CARD_UPDATE,
        {
            "change": "terminated",
            "termination": "other_proceedings",
            "number": "TS-2026-000021",
            "message_id": "77",
            "case": {**HANDLED, "status": "terminated"},
            "open": True,
            "supervisor": False,
        },
        ["TS-2026-000021", "st:case:TS-2026-000021"],
    ),
    (
        notes.CHAT_REPLY,
        {
            "text": "请写下您的姓名",
            "buttons": [[["取消", "menu:cancel"]]],
            "attachment": None,
            "request_contact": False,
            "edit": False,
        },
        ["请写下您的姓名", "menu:cancel"],
    ),
]
IDS = [f"{kind}-{n}" for n, (kind, _, _) in enumerate(OLD_ROWS)]


def shown(reply: Reply) -> str:
    return reply.text + " " + " ".join(button.data for row in reply.buttons for button in row)


@pytest.mark.parametrize(("kind", "payload", "expected"), OLD_ROWS, ids=IDS)
@pytest.mark.parametrize("locale", ["zh_Hans", "en"])
def test_a_row_the_previous_version_wrote_still_renders(
    kind: str, payload: dict[str, Any], expected: list[str], locale: str
) -> None:
    text = shown(render(kind, payload, translator(locale)))
    assert all(part in text for part in expected), (expected, text)


@pytest.mark.parametrize(("kind", "payload", "expected"), OLD_ROWS, ids=IDS)
def test_the_typed_payload_is_stored_in_the_shape_the_previous_version_wrote(
    kind: str, payload: dict[str, Any], expected: list[str]
) -> None:
    typed = notes.read_payload(kind, payload)
    assert isinstance(typed, notes.PAYLOADS[kind])
    again = outbox.stored(kind, typed)
    assert {key: again[key] for key in payload} == payload  # every key kept, same value (new keys: defaults)
    assert notes.read_payload(kind, again) == typed


def test_an_old_card_update_edits_the_message_it_names() -> None:
    reply = render(kinds.CARD_UPDATE, OLD_ROWS[9][1], translator("en"))
    assert reply.edit and reply.target_message_id == "77"
    assert "Ended" in reply.text and [[b.data for b in row] for row in reply.buttons] == [
        ["st:case:TS-2026-000021"]
    ]


def test_the_outbox_refuses_a_dict_payload() -> None:
    with pytest.raises(TypeError, match="typed payload"):
        outbox.addressed([], kinds.STATUS_CHANGED, {"number": "x", "change": "accepted"}, "k")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="no payload of"):
        outbox.stored(kinds.STAFF_UPDATE, kinds.StatusChange("x", "accepted"))


@pytest.mark.parametrize(
    ("kind", "payload", "reason"),
    [
        (kinds.STATUS_CHANGED, {"number": "TS-2026-000021"}, "StatusChange: missing change"),
        (
            kinds.ASSIGNED,
            {"number": "TS-2026-000021", "name": "王芳"},
            "CaseNotice: missing status, category, channel, registered",
        ),
        (notes.CHAT_REPLY, ["not", "an", "object"], "ChatReply: the stored payload is a list"),
        (notes.CHAT_REPLY, {"text": "x", "buttons": [["no pair"]]}, "ChatReply.buttons"),
        (kinds.CARD_UPDATE, {"number": "n", "message_id": "1", "case": {"name": "王芳"}}, "CardUpdate.case"),
        ("complaint.gone", {"number": "TS-2026-000021"}, "no renderer for outbox kind 'complaint.gone'"),
    ],
)
def test_a_payload_that_is_none_of_its_kind_is_reported_as_malformed(
    kind: str, payload: object, reason: str
) -> None:
    with pytest.raises(notes.MalformedPayload, match=reason.replace(".", r"\.")):
        render(kind, payload, translator("en"))


async def write_raw(
    app: Application, clock: FixedClock, rows: list[tuple[str, object]], recipient_ref: str = "telegram:5201"
) -> list[int]:
    """Rows as another version of the code may have left them: written as they are, no type checked."""
    async with app.uow() as uow:
        for n, (kind, payload) in enumerate(rows):
            message = OutboxMessage(
                dedup_key=f"raw:{n}",
                recipient_ref=recipient_ref,
                kind=kind,
                payload=payload,  # type: ignore[arg-type]
                created_at=clock.now(),
                available_at=clock.now(),
            )
            await uow.outbox.enqueue(message)
        await uow.commit()
        found = await uow.session.execute(select(orm.outbox.c.id).order_by(orm.outbox.c.id))
        return [row.id for row in found]


async def test_old_rows_are_delivered_and_unreadable_ones_dead_lettered_with_a_log_line(
    app: Application, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)
    await ensure_account(app.uow(), clock, ref="telegram:5201", channel="telegram", chat_id="5201")
    ids = await write_raw(
        app,
        clock,
        [
            (
                kinds.ASSIGNED,
                {"number": "TS-2026-000022", "name": "王芳"},
            ),  # no status: a card kind, unreadable
            ("complaint.gone", {"number": "TS-2026-000021", "name": "王芳"}),  # a kind this version lacks
            (notes.CHAT_REPLY, ["王芳"]),  # not a JSON object
            (kinds.ASSIGNED, CASE),  # the previous version's card: delivered and remembered for later edits
            (kinds.STATUS_CHANGED, OLD_ROWS[5][1]),
        ],
    )
    sent: list[Reply] = []

    class Recording:
        async def send(self, chat_id: str, reply: Reply) -> str:
            sent.append(reply)
            return f"m{len(sent)}"

    worker = OutboxWorker(app, {"telegram": Recording()}, rate_per_second=0, chat_interval=0)
    await worker.run_until_idle()

    zh = translator("zh_Hans")  # the account's language
    assert [reply.text for reply in sent] == [
        render(kinds.ASSIGNED, CASE, zh).text,
        render(kinds.STATUS_CHANGED, OLD_ROWS[5][1], zh).text,
    ]
    async with app.uow() as uow:
        rows = {
            row.id: row
            for row in await uow.session.execute(
                select(orm.outbox.c.id, orm.outbox.c.status, orm.outbox.c.last_error)
            )
        }
        cards = (
            await uow.session.execute(select(chat_cards.c.complaint_number, chat_cards.c.message_id))
        ).all()
    assert [rows[i].status for i in ids] == [OutboxStatus.UNDELIVERABLE] * 3 + [OutboxStatus.SENT] * 2
    assert [rows[i].last_error for i in ids[:3]] == [
        "malformed payload: CaseNotice: missing status, category, channel, registered",
        "malformed payload: no renderer for outbox kind 'complaint.gone'",
        "malformed payload: ChatReply: the stored payload is a list, not an object",
    ]
    assert [tuple(card) for card in cards] == [("TS-2026-000021", "m1")]
    lines = [record.getMessage() for record in caplog.records if "malformed payload" in record.getMessage()]
    assert lines == [
        f"outbox row {ids[0]} (complaint.assigned) is undeliverable: malformed payload: "
        "CaseNotice: missing status, category, channel, registered",
        f"outbox row {ids[1]} (complaint.gone) is undeliverable: malformed payload: "
        "no renderer for outbox kind 'complaint.gone'",
        f"outbox row {ids[2]} (chat_reply) is undeliverable: malformed payload: "
        "ChatReply: the stored payload is a list, not an object",
    ]
    assert "王芳" not in caplog.text  # the log line names the fields, never a value


async def test_the_console_prints_an_old_row_and_skips_an_unreadable_one(
    app: Application, clock: FixedClock, caplog: pytest.LogCaptureFixture
) -> None:
    account = await ensure_account(
        app.uow(), clock, ref="console:wang", channel="console", chat_id="wang", language="en"
    )
    bad, good = await write_raw(
        app,
        clock,
        [(kinds.STATUS_CHANGED, {"number": "TS-2026-000021"}), (kinds.STAFF_UPDATE, OLD_ROWS[8][1])],
        "console:wang",
    )
    out = io.StringIO()
    assert await ConsoleSession(app, account, out=out).deliver_outbox()
    assert "2026-12-07" in out.getvalue() and out.getvalue().count("🔔") == 1
    async with app.uow() as uow:
        found = await uow.session.execute(
            select(orm.outbox.c.id, orm.outbox.c.status, orm.outbox.c.last_error)
        )
        rows = {row.id: (row.status, row.last_error) for row in found}
    assert rows == {
        bad: (OutboxStatus.UNDELIVERABLE, "malformed payload: StatusChange: missing change"),
        good: (OutboxStatus.SENT, None),
    }
    assert f"outbox row {bad} (complaint.status) is undeliverable" in caplog.text
