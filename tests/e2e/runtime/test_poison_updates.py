"""An update the Telegram library cannot parse is skipped and logged once (masked); polling carries on for
everyone, on aiogram and python-telegram-bot (issue 10 #7)."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from nocert_core.bootstrap import Application
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi

POISON = {"message": {"message_id": "x", "date": "yesterday", "chat": 5, "text": "王芳 13805361234"}}


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


# aiogram warns of an update that has no kind it knows — one of the poison updates here, on purpose
@pytest.mark.filterwarnings("ignore:Detected unknown update type:RuntimeWarning")
async def test_a_poison_update_is_skipped_logged_once_and_polling_goes_on(
    bot: BotProcess, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING)
    poison_id = bot.api.push_raw(POISON)
    other = TelegramChat(bot, 1001)
    await other.send("/start")
    assert "No-Proof City" in other.text
    bot.api.redeliver(poison_id)  # served again: skipped again, not logged again
    await other.send("/help")
    assert "What I can do" in other.text
    skipped = [record for record in caplog.records if "skipped update" in record.getMessage()]
    assert len(skipped) == 1 and str(poison_id) in skipped[0].getMessage()
    assert "13805361234" not in caplog.text and "王芳" not in caplog.text
    assert not [record for record in caplog.records if record.levelno >= logging.ERROR]
    assert bot.api.pending_updates == 0 or await _drained(bot)


async def _drained(bot: BotProcess) -> bool:
    await bot.api.wait_until_idle()
    return True
