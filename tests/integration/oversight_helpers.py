"""Shared setup for the oversight tests: units, bound accounts, complaints at controlled times."""

from __future__ import annotations

import asyncio
from datetime import datetime
from typing import Any

from bot.jobs.outbox_worker import OutboxWorker
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.accounts import Account
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaints import Channel, Complaint
from nocert_core.domain.notifications import OVERDUE, ComplaintAlert
from nocert_core.domain.units import Unit
from nocert_core.services.complaints import handling as svc
from nocert_core.services.messaging import outbox
from tests.fakebotapi import FakeBotApi

UNITS = [
    ("KW-SPJ", "奎文区行政审批服务局"),
    ("WC-BDC", "潍城区不动产登记中心"),
    ("GX-GAJ", "高新区公安分局"),
]
SUPERVISOR = Actor(ref="telegram:9001", role=Role.SUPERVISOR, name="专班王主任")
CITIZEN = Actor(ref="telegram:1001", role=Role.CITIZEN, name="王芳")


def staff_actor(unit_code: str, number: int = 1) -> Actor:
    return Actor(ref=f"telegram:{2000 + number}", role=Role.STAFF, unit_code=unit_code, name=f"科员{number}")


async def seed(app: Application, *, staff: bool = True, supervisors: int = 1) -> None:
    """Three units; one staff member per unit (telegram:2001…), supervisors telegram:9001…."""
    async with app.uow() as uow:
        for code, name in UNITS:
            uow.units.add(Unit(code=code, name=name))
        await uow.commit()
    async with app.uow() as uow:
        if staff:
            for index, (code, _) in enumerate(UNITS, start=1):
                actor = staff_actor(code, index)
                uow.accounts.add(
                    Account(
                        ref=actor.ref,
                        channel="telegram",
                        chat_id=actor.ref.split(":")[1],
                        display_name=actor.name or "",
                        role=Role.STAFF,
                        unit_code=code,
                        locale="zh_Hans",
                    )
                )
        for index in range(supervisors):
            ref = f"telegram:{9001 + index}"
            uow.accounts.add(
                Account(
                    ref=ref,
                    channel="telegram",
                    chat_id=ref.split(":")[1],
                    display_name=f"专班{index + 1}",
                    role=Role.SUPERVISOR,
                    locale="en" if index else "zh_Hans",
                )
            )
        await uow.commit()


def draft(
    unit_code: str, demand: str = "撤回要求提交的无犯罪记录证明", facts: str | None = None
) -> svc.ComplaintDraft:
    return svc.ComplaintDraft(
        complainant_name="王芳",
        complainant_phone="13805361234",
        agency_text=dict(UNITS)[unit_code],
        demand=demand,
        reasons="该证明已列入免提交清单，可通过部门核验获取",
        facts=facts
        or "2026年11月20日上午在政务服务中心3号窗口办理食品经营许可，工作人员要求我开无犯罪记录证明",
        channel=Channel.TELEGRAM,
        unit_code=unit_code,
    )


async def register_at(
    app: Application, clock: FixedClock, at: datetime, unit_code: str, *, accept: bool = False, **kw: str
) -> Complaint:
    """Register (and optionally accept) a complaint with the clock at `at`; the clock is put back."""
    saved = clock.now()
    clock.set(at)
    try:
        complaint = await svc.register_complaint(app.uow(), clock, CITIZEN, draft(unit_code, **kw))
        if accept:
            index = [code for code, _ in UNITS].index(unit_code) + 1
            complaint = await svc.accept_complaint(
                app.uow(), clock, staff_actor(unit_code, index), complaint.number
            )
        return complaint
    finally:
        clock.set(saved)


async def one_staff_alert(app: Application, dedup_key: str) -> None:
    """The seeded units and staff, and one overdue alert waiting in the outbox for staff chat 2001."""
    await seed(app)
    async with app.uow() as uow:
        await outbox.enqueue(
            uow,
            recipient_ref="telegram:2001",
            kind=OVERDUE,
            payload=ComplaintAlert("TS-2026-000001"),
            dedup_key=dedup_key,
        )
        await uow.commit()


async def run_until_staff_chat_2001_has_a_message(worker: OutboxWorker, sender: Any, api: FakeBotApi) -> None:
    """Run the outbox worker until staff chat 2001 got a message (at most ~30 s), then stop it and close
    the sender."""
    stop = asyncio.Event()
    running = asyncio.create_task(worker.run_forever(stop))
    for _ in range(600):
        if api.messages_to(2001):
            break
        await asyncio.sleep(0.05)
    stop.set()
    await running
    await sender.close()
