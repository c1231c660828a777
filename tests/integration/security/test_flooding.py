"""Flooding (issue 10 #8): each user's updates are paced with a polite note and nothing lost; a flood from
one user does not hold up anybody else; a citizen files a bounded number of complaints a day (staff-entered
ones exempt)."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.clock import FixedClock
from nocert_core.domain.actors import Actor, Role
from nocert_core.domain.complaints import Channel
from nocert_core.errors import DomainError
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.handling import ComplaintDraft
from tests.integration.chat_driver import FACTS, ChatUser, add_units, file_complaint

CITIZEN = Actor("telegram:1001", Role.CITIZEN)
HOTLINE = Actor("telegram:2001", Role.STAFF, unit_code="KW-GAJ")


def draft(channel: Channel = Channel.TELEGRAM) -> ComplaintDraft:
    return ComplaintDraft("王芳", "13805361234", "奎文区行政审批服务局", "demand", "reasons", FACTS, channel)


async def test_a_flood_is_paced_with_one_polite_note_nothing_lost_and_others_go_first(
    app: Application,
) -> None:
    app.settings.rate_limit_per_minute = 300  # 5 a second
    app.settings.rate_limit_burst = 2
    dispatcher = Dispatcher(app)
    flooder, other = ChatUser(dispatcher, "1001"), ChatUser(dispatcher, "1002")
    flood = [
        asyncio.create_task(flooder.dispatcher.handle(flooder._incoming_text(f"hello {n}")))
        for n in range(12)
    ]
    await asyncio.sleep(0.05)
    await other.send("/help")
    assert "What I can do" in other.text and "faster than I can answer" not in other.text
    assert not all(task.done() for task in flood)  # the other user did not wait for the flood
    answers = await asyncio.gather(*flood)
    assert all(answers), "every flooded message was answered"
    notes = [reply for replies in answers for reply in replies if "faster than I can answer" in reply.text]
    assert len(notes) == 1


async def test_a_citizen_files_at_most_the_daily_cap_and_staff_entries_are_exempt(
    app: Application, clock: FixedClock
) -> None:
    app.settings.max_complaints_per_day = 2
    await add_units(app)
    for _ in range(2):
        await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
    try:
        await svc.register_complaint(app.uow(), clock, CITIZEN, draft())
        raise AssertionError("the third complaint of the day was registered")
    except DomainError as error:
        assert "today's limit" in str(error)
    for _ in range(3):  # staff registering callers' complaints are not capped
        await svc.register_complaint(app.uow(), clock, HOTLINE, draft(Channel.HOTLINE))
    citizen = ChatUser(Dispatcher(app), "1001")
    await citizen.send("/complain")
    assert "today's limit" in citizen.text and "What is your name" not in citizen.text
    clock.advance(timedelta(days=1))
    await file_complaint(citizen)
    await citizen.press("Submit")
    assert "registered as" in citizen.text


async def test_reaching_the_cap_while_filling_in_keeps_the_answers_for_tomorrow(
    app: Application, clock: FixedClock
) -> None:
    app.settings.max_complaints_per_day = 1
    await add_units(app)
    citizen = ChatUser(Dispatcher(app), "1001")
    await file_complaint(citizen)  # at the summary
    await svc.register_complaint(app.uow(), clock, CITIZEN, draft())  # e.g. filed from another device
    await citizen.press("Submit")
    assert "today's limit" in citizen.text and "Please check your complaint" in citizen.text
    clock.advance(timedelta(days=1))
    await citizen.press("Submit")
    assert "registered as" in citizen.text
