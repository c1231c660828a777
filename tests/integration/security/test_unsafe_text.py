"""A NUL in any answer once made Submit fail forever on PostgreSQL (issue 10 #5): such text is refused where
it enters, with a clear message, and the dialog goes on."""

from __future__ import annotations

import pytest

from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Actor, Role
from nocert_core.errors import ValidationFailed
from nocert_core.services.complaints import handling as svc
from nocert_core.services.complaints.handling import ComplaintDraft
from tests.integration.chat_driver import FACTS, ChatUser, add_units


async def test_a_nul_in_an_answer_is_refused_and_submit_still_works(app: Application) -> None:
    await add_units(app)
    citizen = ChatUser(Dispatcher(app), "1001")
    await citizen.send("/complain")
    await citizen.send("王\x00芳")
    assert "control characters" in citizen.text and "What is your name?" in citizen.text
    await citizen.send("\u200b\u200b")
    assert "only invisible characters" in citizen.text
    await citizen.send("王芳")
    await citizen.send("13805361234")
    await citizen.send("奎文区行政审批服务局")
    await citizen.send("Accept it \u202eelbissimda")
    assert "reverse the text direction" in citizen.text
    await citizen.send("Accept my application without the certificate")
    await citizen.send("The certificate is in the exemption catalogue\x00")
    assert "control characters" in citizen.text
    await citizen.send("The certificate is in the exemption catalogue")
    await citizen.send(FACTS)
    await citizen.press("For myself")
    await citizen.press("Submit")
    assert "registered as TS-2026-000001" in citizen.text


async def test_commands_with_a_nul_are_refused_too(app: Application) -> None:
    citizen = ChatUser(Dispatcher(app), "1001")
    await citizen.send("/case TS-2026-000001\x00")
    assert "control characters" in citizen.text


async def test_the_service_refuses_a_nul_from_any_channel(app: Application) -> None:
    await add_units(app)
    draft = ComplaintDraft("王芳", "13805361234", "奎文区行政审批服务局", "demand", "reasons", FACTS + "\x00")
    with pytest.raises(ValidationFailed):
        await svc.register_complaint(app.uow(), app.clock, Actor("cli:admin", Role.ADMIN), draft)
    async with app.uow() as uow:
        assert await uow.complaints.get_by_number("TS-2026-000001") is None
