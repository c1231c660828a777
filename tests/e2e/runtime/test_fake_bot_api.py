"""The fake Bot API behaves like Telegram where our runtimes depend on it."""

from __future__ import annotations

import httpx

from tests.fakebotapi import FakeBotApi, FaultPlan


async def call(api: FakeBotApi, method: str, **params: object) -> httpx.Response:
    async with httpx.AsyncClient() as client:
        return await client.post(f"{api.base_url}/bot{api.token}/{method}", json=params)


async def test_updates_are_served_until_acknowledged_by_offset() -> None:
    async with FakeBotApi() as api:
        first = api.push_text(1001, "你好")
        api.push_command(1001, "/start", "invite123")
        updates = (await call(api, "getUpdates", timeout=0)).json()["result"]
        assert [update["update_id"] for update in updates] == [first, first + 1]
        assert updates[1]["message"]["entities"][0]["type"] == "bot_command"
        remaining = (await call(api, "getUpdates", offset=first + 1, timeout=0)).json()["result"]
        assert [update["update_id"] for update in remaining] == [first + 1]


async def test_sent_messages_are_recorded_with_their_buttons_and_can_be_pressed() -> None:
    async with FakeBotApi() as api:
        markup = {"inline_keyboard": [[{"text": "受理", "callback_data": "case:accept:TS-2026-000001"}]]}
        response = await call(api, "sendMessage", chat_id=2001, text="新投诉", reply_markup=markup)
        assert response.json()["ok"] is True
        [message] = await api.wait_for_messages(2001, 1)
        assert message.button("受理") == "case:accept:TS-2026-000001"
        api.push_callback(2001, "case:accept:TS-2026-000001")
        [update] = (await call(api, "getUpdates", timeout=0)).json()["result"]
        assert update["callback_query"]["message"]["message_id"] == message.message_id


async def test_faults_answer_429_with_retry_after_and_500_without_recording_the_message() -> None:
    async with FakeBotApi(faults=FaultPlan(rate_429=0.5, rate_500=0.5, retry_after=3, seed=1)) as api:
        response = await call(api, "sendMessage", chat_id=1, text="x")
        assert response.status_code in (429, 500)
        if response.status_code == 429:
            assert response.json()["parameters"]["retry_after"] == 3
        assert api.sent == []


async def test_a_blocked_chat_answers_forbidden() -> None:
    async with FakeBotApi() as api:
        api.blocked_chats.add(5)
        response = await call(api, "sendMessage", chat_id=5, text="x")
        assert response.status_code == 403
        assert "blocked" in response.json()["description"]


async def test_a_dropped_connection_gives_the_client_no_answer_and_records_nothing() -> None:
    async with FakeBotApi(faults=FaultPlan(rate_drop=1.0)) as api:
        try:
            await call(api, "sendMessage", chat_id=1, text="x")
        except httpx.TransportError:
            pass
        else:
            raise AssertionError("the client should have seen the connection drop")
        assert api.sent == []
        assert api.fault_log == [("sendMessage", "drop")]
