"""What a soak run (bench/soak.py) is judged on: each simulated citizen's record (`Conversation`), what the
database holds at the end (complaints, staff chats' outbox rows, inbox and outbox counts), telling lines in
the instances' logs, and the checks — complaints lost, duplicated or wrong, messages never answered, staff
messages missing or doubled (and how close each double came before a SIGKILL), alerts, assignment delays."""

from __future__ import annotations

import re
import statistics
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from sqlalchemy import func, select

from nocert_core.adapters.sql import orm
from nocert_core.bootstrap import open_application
from nocert_core.settings import Settings

STAFF_IDS = (900001, 900002)
FACTS = "2026年11月20日上午在奎文区政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明"
NUMBER = re.compile(r"TS-\d{4}-\d{6}")


@dataclass
class Conversation:
    index: int
    user_id: int
    name: str
    phone: str
    tag: str
    number: str | None = None
    registered_at: float | None = None
    unanswered: list[str] = field(default_factory=list)
    waiting: list[tuple[tuple[str, ...], int]] = field(default_factory=list)  # what it waited for, from where
    started: bool = False

    @property
    def answers(self) -> dict[str, str]:
        return {
            "demand": f"Accept it without the proof [{self.tag}-d]",
            "reasons": f"It is in the exemption catalogue [{self.tag}-r]",
            "facts": f"{FACTS} [{self.tag}-f]",
        }


async def read_complaints(url: str) -> tuple[list[Any], dict[str, int]]:
    """The stored complaints, and the staff chats' outbox rows by status (pending: not sent yet)."""
    app = await open_application(
        Settings(database_url=url, redis_url=None, telegram_token=None), migrate=False
    )
    try:
        async with app.uow() as uow:
            table = orm.complaints
            rows = await uow.session.execute(
                select(
                    table.c.number,
                    table.c.complainant_name,
                    table.c.complainant_phone,
                    table.c.demand,
                    table.c.reasons,
                    table.c.facts,
                )
            )
            complaints = list(rows)
            table = orm.outbox
            staff = [f"telegram:{staff_id}" for staff_id in STAFF_IDS]
            counts = await uow.session.execute(
                select(table.c.status, func.count())
                .where(table.c.recipient_ref.in_(staff))
                .group_by(table.c.status)
            )
            return complaints, {status: count for status, count in counts}
    finally:
        await app.close()


async def read_queues(url: str) -> dict[str, Any]:
    """What the database holds at the end: citizen messages received / never processed, outbox rows by
    status (pending rows are messages still owed to someone)."""
    from sqlalchemy import func

    app = await open_application(
        Settings(database_url=url, redis_url=None, telegram_token=None), migrate=False
    )
    try:
        async with app.uow() as uow:
            inbox = orm.metadata.tables["chat_inbox"]
            received = (await uow.session.execute(select(func.count()).select_from(inbox))).scalar_one()
            waiting = (
                await uow.session.execute(
                    select(func.count()).select_from(inbox).where(inbox.c.processed_at.is_(None))
                )
            ).scalar_one()
            outbox_rows = orm.metadata.tables["outbox"]
            statuses = dict(
                list(
                    await uow.session.execute(
                        select(outbox_rows.c.status, func.count()).group_by(outbox_rows.c.status)
                    )
                )
            )
        return {
            "inbox_rows": received,
            "inbox_rows_unprocessed": waiting,
            "outbox_rows_by_status": {str(k): v for k, v in statuses.items()},
        }
    finally:
        await app.close()


LOG_MARKS = {
    "user_locks_expired_while_held": "a user lock expired while held",
    "dialog_state_stale_handled_again": "dialog state changed meanwhile",
    "lock_waits_given_up": "a user's lock stayed busy",
    "event_loop_stalls": "the event loop has not run for",
    "pool_exhausted": "QueuePool limit",
    "server_too_many_clients": "too many clients",
    "error_lines": "ERROR ",
    "tracebacks": "Traceback (most recent call last)",
}


def log_counts(workdir: Path) -> dict[str, int]:
    """Counts of telling lines in the instances' logs (bench/webhook_cluster.py writes bot<N>.log)."""
    counts = dict.fromkeys(LOG_MARKS, 0)
    for log in workdir.glob("bot*.log"):
        for line in log.read_text(errors="replace").splitlines():
            for name, mark in LOG_MARKS.items():
                counts[name] += mark in line
    return counts


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def metric(text: str, name: str) -> float:
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith(name) and line[len(name)] in " {"
    )


def doubles_next_kill(
    staff: dict[int, list[tuple[Any, float]]], kill_times: list[float]
) -> list[float | None]:
    """For each staff message received twice (the same text in one chat, edits aside): seconds from its
    first receipt to the next SIGKILL. The one window that may double a message is a kill between the Bot
    API's answer and the outbox's record of it, so a double that is this window's shows a kill within a
    fraction of a second after its first receipt (kills come every few seconds: a gap of several seconds
    points elsewhere, e.g. a lease that ran out under a live sender)."""
    gaps: list[float | None] = []
    for messages in staff.values():
        first: dict[str, float] = {}
        for message, at in messages:
            if message.method == "editMessageText":
                continue
            if message.text in first:
                later = [kill - first[message.text] for kill in kill_times if kill >= first[message.text]]
                gaps.append(round(min(later), 2) if later else None)
            else:
                first[message.text] = at
    return sorted(gaps, key=lambda gap: (gap is None, gap))


def alerts(seeded: list[str], staff: dict[int, list[tuple[Any, float]]]) -> dict[str, int]:
    """Alert messages about the seeded complaints, as the staff chats received them: one per complaint,
    stage and chat is right; the same text twice in a chat is a doubled alert."""
    numbers = set(seeded)
    sent = doubled = 0
    for messages in staff.values():
        counts: dict[str, int] = {}
        for message, _ in messages:
            found = NUMBER.search(message.text)
            if message.method == "editMessageText" or found is None or found.group(0) not in numbers:
                continue
            if not message.text.startswith("⏰"):
                continue  # the assignment card of a seeded complaint, not an alert
            counts[message.text] = counts.get(message.text, 0) + 1
        sent += len(counts)
        doubled += sum(count - 1 for count in counts.values())
    return {"alerts_seeded_complaints": len(seeded), "alerts_received": sent, "alerts_doubled": doubled}


def never_answered(chats: dict[int, list[tuple[Any, float]]], conversations: list[Conversation]) -> int:
    """Messages not answered within `--wait` whose answer has still not arrived."""
    return sum(
        1
        for c in conversations
        for patterns, seen in c.waiting
        if not any(p in m.text for m, _ in chats.get(c.user_id, [])[seen:] for p in patterns)
    )


def evaluate(
    conversations: list[Conversation], stored: list[Any], staff: dict[int, list[tuple[Any, float]]]
) -> dict[str, Any]:
    by_phone: dict[str, list[Any]] = {}
    for row in stored:
        by_phone.setdefault(row.complainant_phone, []).append(row)
    lost = duplicated = wrong = unconfirmed = 0
    for c in conversations:
        rows = by_phone.get(c.phone, [])
        if len(rows) > 1:
            duplicated += len(rows) - 1
        if not rows:
            lost += 1 if c.number or "submit" in c.unanswered else 0
            unconfirmed += 0 if c.number else 1
            continue
        row = rows[0]
        answers = c.answers
        if (row.complainant_name, row.demand, row.reasons, row.facts) != (
            c.name,
            answers["demand"],
            answers["reasons"],
            answers["facts"],
        ):
            wrong += 1
        if c.number and row.number != c.number:
            wrong += 1
    delays: list[float] = []
    missing = doubled = 0
    registered = {c.number: c.registered_at for c in conversations if c.number}
    for messages in staff.values():
        counts: dict[str, int] = {}
        for message, at in messages:
            if message.method == "editMessageText":
                continue  # a card edited in place is not another message
            found = NUMBER.search(message.text)
            if found:
                counts[found.group(0)] = counts.get(found.group(0), 0) + 1
                if counts[found.group(0)] == 1 and registered.get(found.group(0)) is not None:
                    delays.append(max(0.0, at - registered[found.group(0)]))  # type: ignore[operator]
        for number in registered:
            seen = counts.get(number, 0)
            missing += seen == 0
            doubled += max(0, seen - 1)
    return {
        "conversations_run": len(conversations),
        "complaints_stored": len(stored),
        "complaints_confirmed": len(registered),
        "complaints_lost": lost,
        "complaints_duplicated": duplicated,
        "complaints_wrong_field": wrong,
        "conversations_unfinished": sum(1 for c in conversations if c.unanswered),
        "citizen_messages_unanswered": sum(len(c.unanswered) for c in conversations),
        "unanswered_steps": sorted({what for c in conversations for what in c.unanswered}),
        "staff_messages_missing": missing,
        "staff_messages_doubled": doubled,
        "assignment_delay_p50_s": round(statistics.median(delays), 2) if delays else None,
        "assignment_delay_p95_s": round(percentile(delays, 0.95), 2) if delays else None,
        "assignment_delay_max_s": round(max(delays), 2) if delays else None,
    }
