"""`nocert run` as a user starts it: a real process polling the fake Bot API, stopped with SIGTERM."""

from __future__ import annotations

import asyncio
import os
import signal
import uuid
from pathlib import Path

import pytest
from redis.asyncio import Redis

from tests.e2e.cli_helpers import NOCERT, environment
from tests.fakebotapi import FakeBotApi

REDIS_URL = os.environ.get("NOCERT_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")

# A hang guard for a whole `nocert run` start (imports, migrations, first getUpdates): seconds when idle,
# but more than a minute was seen on a CI machine at load 15. Not a speed check (bench/startup_bench.py is).
START_GUARD_SECONDS = 180


async def test_without_a_token_run_explains_what_to_set_and_points_to_the_console(tmp_path: Path) -> None:
    process = await asyncio.create_subprocess_exec(
        NOCERT, "run", env=environment(tmp_path), cwd=tmp_path, stderr=asyncio.subprocess.PIPE
    )
    _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 2
    assert "NOCERT_TELEGRAM_TOKEN" in err.decode() and "nocert chat" in err.decode()
    assert "没有 Telegram 机器人令牌" in err.decode()  # in the CLI's language (zh_Hans by default)


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_a_rejected_token_is_reported_without_a_traceback(framework: str, tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        env = environment(tmp_path, NOCERT_TELEGRAM_TOKEN="999:WRONG", NOCERT_TELEGRAM_API_URL=api.base_url)
        process = await asyncio.create_subprocess_exec(
            NOCERT, "run", "--framework", framework, env=env, cwd=tmp_path, stderr=asyncio.subprocess.PIPE
        )
        _, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 1
    assert "启动机器人" in err.decode() and "NOCERT_TELEGRAM_TOKEN" in err.decode()
    assert "Traceback" not in err.decode() and "Unclosed" not in err.decode()


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_run_answers_users_and_stops_cleanly_on_sigterm(framework: str, tmp_path: Path) -> None:
    async with FakeBotApi() as api:
        env = environment(tmp_path, NOCERT_TELEGRAM_TOKEN=api.token, NOCERT_TELEGRAM_API_URL=api.base_url)
        process = await asyncio.create_subprocess_exec(
            NOCERT, "run", "--framework", framework, "--polling-timeout", "1",
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            api.push_command(1001, "/start", language="en")
            [welcome] = await api.wait_for_messages(1001, 1, timeout=START_GUARD_SECONDS)
            assert "No-Proof City" in welcome.text and welcome.buttons
            assert {entry["language_code"] for entry in api.commands} == {"", "zh", "en"}
        finally:
            process.send_signal(signal.SIGTERM)
            out, err = await asyncio.wait_for(process.communicate(), 60)
    assert process.returncode == 0, err.decode()
    assert f"running on {framework}" in out.decode()
    assert "Traceback" not in err.decode()


async def long_poll_held(api: FakeBotApi) -> None:
    while not api.long_polls_waiting:
        await asyncio.sleep(0.05)


@pytest.mark.parametrize("framework", ["aiogram", "ptb"])
async def test_sigterm_stops_run_with_its_long_poll_still_open(framework: str, tmp_path: Path) -> None:
    """A stop must not wait out the pending getUpdates (30 s in production; it took PTB 43 s, issue 15).
    Here the poll would be held for an hour: a run that waited for it would never exit."""
    async with FakeBotApi() as api:
        api.max_long_poll = 3600
        env = environment(tmp_path, NOCERT_TELEGRAM_TOKEN=api.token, NOCERT_TELEGRAM_API_URL=api.base_url)
        process = await asyncio.create_subprocess_exec(
            NOCERT, "run", "--framework", framework, "--polling-timeout", "3600",
            env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip
        try:
            api.push_command(1001, "/start", language="en")
            await api.wait_for_messages(1001, 1, timeout=START_GUARD_SECONDS)
            await asyncio.wait_for(long_poll_held(api), START_GUARD_SECONDS)
        finally:
            process.send_signal(signal.SIGTERM)
            _, err = await asyncio.wait_for(process.communicate(), 60)
        assert api.long_polls_waiting == 1  # the process is gone, its getUpdates never answered
    assert process.returncode == 0, err.decode()
    assert "Traceback" not in err.decode()


@pytest.mark.redis
async def test_run_keeps_dialogs_in_redis_when_configured(tmp_path: Path) -> None:
    client = Redis.from_url(REDIS_URL, decode_responses=True)
    try:
        await client.ping()
    except Exception as error:  # any connection failure means: no Redis on this machine
        await client.aclose()
        pytest.skip(f"Redis at {REDIS_URL} is not reachable: {error}")
    user_id = 500000 + uuid.uuid4().int % 100000
    key = f"nocert:dialog:telegram:{user_id}"
    try:
        async with FakeBotApi() as api:
            env = environment(
                tmp_path,
                NOCERT_TELEGRAM_TOKEN=api.token,
                NOCERT_TELEGRAM_API_URL=api.base_url,
                NOCERT_REDIS_URL=REDIS_URL,
            )
            process = await asyncio.create_subprocess_exec(
                NOCERT, "run", "--polling-timeout", "1",
                env=env, cwd=tmp_path, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
            )  # fmt: skip
            try:
                api.push_command(user_id, "/complain", language="en")
                await api.wait_for_messages(user_id, 2, timeout=START_GUARD_SECONDS)
                assert await client.exists(key) == 1
            finally:
                process.send_signal(signal.SIGTERM)
                out, err = await asyncio.wait_for(process.communicate(), 60)
        assert process.returncode == 0, err.decode()
        assert "dialog state in Redis" in out.decode()
    finally:
        await client.delete(key)
        await client.aclose()
