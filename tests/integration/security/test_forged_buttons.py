"""Forged callback data and odd digits: "out of date", never a crash, never a flood (issue 10 #1, #2)."""

from __future__ import annotations

import logging

import pytest

from handlers.dialogs.steps import TOKEN_KEY
from handlers.dispatch.dispatcher import Dispatcher
from nocert_core.bootstrap import Application
from nocert_core.domain.actors import Actor, Role
from nocert_core.services.complaints import handling as svc
from tests.integration.chat_driver import ChatUser, add_units
from tests.integration.complaints.test_chat_staff import bound, filed

NUMBER = "TS-2026-000001"
KW_STAFF = Actor("telegram:2001", Role.STAFF, unit_code="KW-SPJ")
APOLOGY = "something went wrong"


@pytest.fixture
def errors(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    caplog.set_level(logging.WARNING)
    return caplog.records


def _no_crash(user: ChatUser, errors: list[logging.LogRecord]) -> None:
    assert APOLOGY not in user.text
    assert not [record for record in errors if record.levelno >= logging.ERROR]


async def test_a_huge_rating_score_is_out_of_date_not_thousands_of_stars(
    app: Application, errors: list[logging.LogRecord]
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    citizen = await filed(app, dispatcher)
    await svc.accept_complaint(app.uow(), app.clock, KW_STAFF, NUMBER)
    await svc.resolve_complaint(app.uow(), app.clock, KW_STAFF, NUMBER, "已办结")
    replies = await citizen.press_data(f"rt:{NUMBER}:10000000")
    assert "out of date" in citizen.text
    assert sum(len(reply.text) for reply in replies) < 2000
    for forged in (f"rt:{NUMBER}:²", f"rt:{NUMBER}:0", f"rt:{NUMBER}:٣"):
        await citizen.press_data(forged)
        assert "out of date" in citizen.text
    _no_crash(citizen, errors)
    await citizen.press_data(f"rt:{NUMBER}:5")  # the real button still works
    assert "You chose ★★★★★" in citizen.text


async def test_intake_buttons_outside_the_intake_are_out_of_date(
    app: Application, errors: list[logging.LogRecord]
) -> None:
    await add_units(app)
    citizen = ChatUser(Dispatcher(app), "1001")
    for forged in (
        "ci:unit:KW-SPJ",
        "@ci:unit:KW-SPJ~0000",
        "ci:confirm",
        "ci:editf:phone",
        "ci:skip",
        "ci:ch:fax",
        "ci:unfill",
    ):
        await citizen.press_data(forged)
        assert "out of date" in citizen.text, forged
    _no_crash(citizen, errors)


async def test_a_token_copied_from_another_dialogs_button_does_not_open_the_intake(
    app: Application, errors: list[logging.LogRecord]
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await staff.send("/adjust")
    token = (await dispatcher.storage.load("telegram:2001")).data[TOKEN_KEY]
    await staff.press_data(f"@ci:unit:KW-SPJ~{token}")
    assert "out of date" in staff.text
    await staff.press_data(f"@gadj:kind:add~{token}")  # the dialog's own button still works
    assert "service code" in staff.text
    _no_crash(staff, errors)


async def test_adjustment_buttons_outside_adjust_are_out_of_date(
    app: Application, errors: list[logging.LogRecord]
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    for forged in ("gadj:kind:add", "gadj:mode:核验", "gadj:file", "@gadj:today~abcd", "gadj:kind"):
        await staff.press_data(forged)
        assert "out of date" in staff.text, forged
    _no_crash(staff, errors)


async def test_odd_digits_typed_as_days_are_read_or_refused_politely_never_a_crash(
    app: Application, errors: list[logging.LogRecord]
) -> None:
    await add_units(app)
    dispatcher = Dispatcher(app)
    staff = await bound(app, dispatcher, "2001", Role.STAFF, "KW-SPJ")
    await filed(app, dispatcher)
    await svc.accept_complaint(app.uow(), app.clock, KW_STAFF, NUMBER)
    await staff.press_data(f"st:ext:{NUMBER}")
    for typed in ("١", "²²", "9" * 1999, "-3", "3.5"):  # "²".isdigit() is True and int("²") raises
        await staff.send(typed)
        assert "1 to 10 working days" in staff.text, typed
    await staff.send("³")  # NFKC reads a superscript three as 3 (nocert_core/numbers.py)
    assert "need 3 more working days" in staff.text
    await staff.press_data(f"st:acc:TS-2026-00000{chr(0xB9)}")
    assert "out of date" in staff.text
    _no_crash(staff, errors)


async def test_a_citizen_pressing_a_staff_button_reads_out_of_date_like_any_unknown_button(
    app: Application,
) -> None:
    await add_units(app)
    citizen = ChatUser(Dispatcher(app), "1001")
    await citizen.press_data(f"st:acc:{NUMBER}")
    staff_button = citizen.text
    await citizen.press_data(f"zz:acc:{NUMBER}")
    assert staff_button == citizen.text and "out of date" in staff_button
