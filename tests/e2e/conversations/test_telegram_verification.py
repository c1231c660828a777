"""Department verification (R2) over real HTTP, once with aiogram and once with python-telegram-bot, each on
SQLite and PostgreSQL: staff of two units bound by invite in chat; the requesting unit files a request with
/verify, the issuing unit's staff get it from the outbox worker, register it and find it consistent, the
requesting unit hears the result, and a third unit's staff see nothing of it."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from nocert_core.bootstrap import Application
from nocert_core.domain.actors import CLI_ADMIN, Actor, Role
from nocert_core.domain.verification import VerificationResult, VerificationStatus
from nocert_core.services.access.invites import create_invite
from nocert_core.services.verification import requests as svc
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import add_units

NUMBER = "HC-2026-000001"
DATA = "身份证号 370702199001011234；本人填报：无犯罪记录"
SUPERVISOR = Actor("telegram:9001", Role.SUPERVISOR)
REQUESTER_ID, ISSUER_ID, OUTSIDER_ID = 2001, 3001, 4001


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)  # units only: staff join by invite, in chat
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def join(bot: BotProcess, user_id: int, unit_code: str) -> TelegramChat:
    invite = await create_invite(
        bot.app.uow(), bot.app.clock, CLI_ADMIN, unit_code=unit_code, role=Role.STAFF
    )
    chat = TelegramChat(bot, user_id, name=f"staff {user_id}")
    await chat.send(f"/start {invite.code}")
    assert "You are now staff" in chat.text
    return chat


async def test_a_request_filed_in_chat_is_registered_found_consistent_and_the_requester_is_told(
    bot: BotProcess, app: Application
) -> None:
    requester = await join(bot, REQUESTER_ID, "KW-SPJ")
    issuer = await join(bot, ISSUER_ID, "KW-GAJ")
    outsider = await join(bot, OUTSIDER_ID, "WC-SPJ")

    await requester.send("/verify")
    assert "Which unit issues the proof" in requester.text
    await requester.send("奎文公安分局")
    assert "Noted: 奎文公安分局" in requester.text and "Which government service" in requester.text
    for answer in ("食品经营许可", "无犯罪记录证明", "王芳", DATA):
        await requester.send(answer)
    assert "Please check the request" in requester.text and DATA in requester.text
    await requester.press("Submit")
    assert f"Verification request {NUMBER} sent to 奎文公安分局" in requester.text
    assert "Time limit: 2026-11-30" in requester.text  # 3 working days from Wed 25 Nov

    assert await bot.deliver_notifications() >= 1
    [received] = issuer.inbox()
    assert "New verification request for your unit" in received.text
    assert "王芳" in received.text and DATA in received.text and "From: 奎文区行政审批服务局" in received.text
    assert outsider.inbox() == [] and requester.inbox() == []
    await issuer.press("Register and accept")
    assert f"Request {NUMBER} is registered and accepted" in issuer.text
    await issuer.press("Consistent")
    assert f"Recorded: request {NUMBER} is verified as consistent" in issuer.text

    await bot.deliver_notifications()
    [result] = requester.inbox()
    assert f"奎文公安分局 verified request {NUMBER}" in result.text
    assert "consistent with what the applicant filled in" in result.text
    assert "not consistent" not in result.text
    assert outsider.inbox() == []

    await outsider.send("/requests")
    assert "No open verification requests." in outsider.text
    assert NUMBER not in outsider.text and "王芳" not in outsider.text
    request = await svc.get_request(app.uow(), app.clock, SUPERVISOR, NUMBER)
    assert request.status == VerificationStatus.VERIFIED and request.result == VerificationResult.CONSISTENT
    assert [e.action for e in request.audit if e.action != "view"] == ["request", "accept", "verify"]
    assert all(e.actor_ref != f"telegram:{OUTSIDER_ID}" for e in request.audit)
