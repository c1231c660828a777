"""No log line carries a phone, an ID number or the bot token (issue 10 #4): the bot runs verbosely
(DEBUG, as with `nocert -v run`) over aiogram and python-telegram-bot, a citizen files a complaint with their
phone and ID number, a handler fails with them in the exception, and a SQL error is raised with them as
parameters; every captured line, tracebacks included, is then searched."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest
from sqlalchemy import text

from nocert_core.bootstrap import Application
from nocert_core.logging import REDACTED
from nocert_core.services.complaints import intake
from tests.e2e.telegram_helpers import FRAMEWORKS, BotProcess, TelegramChat
from tests.fakebotapi import FakeBotApi
from tests.integration.chat_driver import add_units

PHONE, ID_NUMBER = "13805361234", "370702199001011234"
FACTS = f"2026年11月20日在奎文区政务服务中心办理食品经营许可，身份证号{ID_NUMBER}，窗口要求开无犯罪记录证明"
SECRETS = ("13805361234", "138 0536 1234", "199001011", ID_NUMBER)


@pytest.fixture(params=FRAMEWORKS)
async def bot(request: pytest.FixtureRequest, app: Application) -> AsyncIterator[BotProcess]:
    await add_units(app)
    async with FakeBotApi() as api, BotProcess(str(request.param), app, api) as process:
        yield process


async def test_verbose_logs_of_both_runtimes_carry_no_phone_id_number_or_token(
    bot: BotProcess, app: Application, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    caplog.set_level(logging.DEBUG)
    user = TelegramChat(bot, 1001)
    await user.send("/complain")
    await user.send("王芳")
    await user.share_contact("+86 138 0536 1234")
    await user.send("奎文区行政审批服务局")
    await user.send("Accept my application without the certificate")
    await user.send(f"I gave my ID {ID_NUMBER} and phone {PHONE}")
    await user.send(FACTS)
    await user.press("For myself")

    async def failing(*_args: object, **_kwargs: object) -> object:
        raise RuntimeError(f"lookup failed for {PHONE} / {ID_NUMBER} via {bot.api.token}")

    monkeypatch.setattr(intake, "unit_name", failing)
    await user.press("Submit")  # registered, then the reply fails: logged with a traceback
    assert "something went wrong" in user.text
    with pytest.raises(Exception) as sql_error:
        async with app.engine.connect() as connection:
            await connection.execute(text("SELECT * FROM no_such_table WHERE phone = :p"), {"p": PHONE})
    logging.getLogger("nocert.test").error("query failed", exc_info=sql_error.value)

    captured = caplog.text
    assert "Traceback" in captured and "query failed" in captured  # the lines we search are really there
    if bot.framework == "ptb":
        assert "HTTP Request" in captured  # PTB logs every request URL, which carries the token
    for secret in (*SECRETS, bot.api.token):
        assert secret not in captured, secret
    assert REDACTED in captured or "bot" not in captured
