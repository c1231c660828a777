"""The Telegram runtimes themselves, with a scripted stand-in for the conversations: what aiogram and
python-telegram-bot hand over, in which order, and how replies reach the (fake) Bot API over HTTP."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from pathlib import Path

import pytest

from bot.jobs.outbox_worker import RetryLater, Unreachable
from bot.telegram.runtimes import create_runtime
from handlers.types import Attachment, Button, Incoming, InputKind, Reply, reply_to_payload
from nocert_core.services.messaging.outbox import Claimed
from tests.conftest import _migrate
from tests.e2e.telegram_helpers import FRAMEWORKS, running
from tests.fakebotapi import FakeBotApi, FaultPlan

Script = Callable[[Incoming], Awaitable[list[Reply]]]


class ScriptedConversations:
    """Stands in for handlers.Dispatcher: records what arrives and answers with `script`."""

    def __init__(self, script: Script | None = None) -> None:
        self.received: list[Incoming] = []
        self.script = script

    async def handle(self, incoming: Incoming) -> list[Reply]:
        self.received.append(incoming)
        if self.script is not None:
            return await self.script(incoming)
        return [Reply(f"got {incoming.kind.value}: {incoming.text or incoming.data}")]

    async def process(self, inbox_id: int, incoming: Incoming, lease_seconds: float) -> list[Claimed]:
        """As the Dispatcher hands replies to the runtime (not written to the outbox here)."""
        replies = await self.handle(incoming)
        return [Claimed(0, incoming.user_ref, "chat_reply", reply_to_payload(r), 1, None) for r in replies]


@pytest.fixture(params=FRAMEWORKS)
def framework(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def database_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The runtimes keep their inbox and reply outbox in the database: SQLite is enough here."""
    url = f"sqlite+aiosqlite:///{tmp_path_factory.mktemp('runtime-db') / 'nocert.db'}"
    asyncio.run(_migrate(url))
    return url


async def test_a_text_message_reaches_the_conversations_with_who_sent_it(framework: str, app: object) -> None:
    conversations = ScriptedConversations()
    async with FakeBotApi() as api, running(framework, app, conversations, api):
        update_id = api.push_text(1001, "你好", language="en")
        [reply] = await api.wait_for_messages(1001, 1)
    assert reply.text == "got text: 你好"
    [incoming] = conversations.received
    assert incoming.kind == InputKind.TEXT
    assert (incoming.channel, incoming.user_id, incoming.chat_id) == ("telegram", "1001", "1001")
    assert incoming.language == "en"
    assert incoming.display_name == "用户1001"
    assert incoming.update_id == str(update_id)


async def test_commands_stickers_and_contacts_are_told_apart(framework: str, app: object) -> None:
    conversations = ScriptedConversations()
    async with FakeBotApi() as api, running(framework, app, conversations, api):
        api.push_command(1001, "/start", "INVITE42")
        api.push_sticker(1001)
        api.push_contact(1001, "+86 138 0013 8000")
        api.push_text(1001, "/ 不是命令")
        await api.wait_for_messages(1001, 4)
    start, sticker, contact, slash_text = conversations.received
    assert (start.kind, start.command, start.args) == (InputKind.COMMAND, "start", "INVITE42")
    assert (sticker.kind, sticker.text) == (InputKind.UNSUPPORTED, "sticker")
    assert (contact.kind, contact.text) == (InputKind.CONTACT, "+86 138 0013 8000")
    assert slash_text.kind == InputKind.TEXT


async def test_a_pressed_button_is_answered_before_its_reply_and_its_data_handed_over(
    framework: str, app: object
) -> None:
    async def script(incoming: Incoming) -> list[Reply]:
        if incoming.kind == InputKind.BUTTON:
            return [Reply(f"pressed {incoming.data}")]
        return [Reply("choose", buttons=[[Button("Yes", "answer:yes"), Button("No", "answer:no")]])]

    conversations = ScriptedConversations(script)
    async with FakeBotApi() as api, running(framework, app, conversations, api):
        api.push_text(1001, "hi")
        [question] = await api.wait_for_messages(1001, 1)
        assert question.buttons == [[("Yes", "answer:yes"), ("No", "answer:no")]]
        api.push_callback(1001, question.button("No"))
        [answer] = await api.wait_for_messages(1001, 1)
    assert answer.text == "pressed answer:no"
    assert len(api.callback_answers) == 1
    answered_at = api.calls.index("answerCallbackQuery")  # answered while handled, before the reply
    assert "sendMessage" in api.calls[answered_at:]
    assert conversations.received[-1].kind == InputKind.BUTTON


async def test_one_users_updates_wait_for_each_other_while_other_users_are_served(
    framework: str, app: object
) -> None:
    first_may_finish = asyncio.Event()
    other_user_served = asyncio.Event()

    async def script(incoming: Incoming) -> list[Reply]:
        if incoming.text == "first":
            await first_may_finish.wait()
        if incoming.user_id == "2002":
            other_user_served.set()
        return [Reply(f"done {incoming.text}")]

    conversations = ScriptedConversations(script)
    async with FakeBotApi() as api, running(framework, app, conversations, api):
        api.push_text(1001, "first")
        api.push_text(1001, "second")
        api.push_text(2002, "meanwhile")
        await asyncio.wait_for(other_user_served.wait(), timeout=10)
        assert [incoming.text for incoming in conversations.received if incoming.user_id == "1001"] == [
            "first"
        ]
        first_may_finish.set()
        replies = await api.wait_for_messages(1001, 2)
    assert [reply.text for reply in replies] == ["done first", "done second"]


async def test_a_long_reply_is_split_and_keeps_its_buttons_on_the_last_part(
    framework: str, app: object
) -> None:
    paragraph = "无证明城市。" * 100  # 600 characters
    long_text = "\n\n".join([paragraph] * 12)  # about 7,200 characters

    async def script(incoming: Incoming) -> list[Reply]:
        return [Reply(long_text, buttons=[[Button("OK", "ok")]])]

    async with FakeBotApi() as api, running(framework, app, ScriptedConversations(script), api):
        api.push_text(1001, "report")
        parts = await api.wait_for_messages(1001, 2)
    assert all(len(part.text) <= 4096 for part in parts)
    assert "\n\n".join(part.text for part in parts) == long_text
    assert parts[0].buttons == [] and parts[1].buttons == [[("OK", "ok")]]


async def test_asking_for_a_phone_shows_the_share_keyboard_and_the_next_reply_removes_it(
    framework: str, app: object
) -> None:
    async def script(incoming: Incoming) -> list[Reply]:
        if incoming.kind == InputKind.CONTACT:
            return [Reply("thanks")]
        return [Reply("your phone?", request_contact=True)]

    async with FakeBotApi() as api, running(framework, app, ScriptedConversations(script), api):
        api.push_text(1001, "complain", language="en")
        [ask] = await api.wait_for_messages(1001, 1)
        api.push_contact(1001, "13800138000", language="en")
        [thanks] = await api.wait_for_messages(1001, 1)
    assert ask.reply_markup is not None
    [[button]] = ask.reply_markup["keyboard"]
    assert button["request_contact"] is True and "phone" in button["text"]
    assert thanks.reply_markup == {"remove_keyboard": True}


async def test_files_are_sent_as_documents_and_photos_with_their_captions(
    framework: str, app: object, tmp_path: Path
) -> None:
    register = tmp_path / "register.xlsx"
    register.write_bytes(b"PK" + b"x" * 100)
    chart = tmp_path / "chart.png"
    chart.write_bytes(b"\x89PNG" + b"x" * 50)

    async def script(incoming: Incoming) -> list[Reply]:
        return [
            Reply("", attachment=Attachment(register, "document", "登记簿")),
            Reply("本周", attachment=Attachment(chart, "photo")),
        ]

    async with FakeBotApi() as api, running(framework, app, ScriptedConversations(script), api):
        api.push_text(1001, "export")
        document, text, photo = await api.wait_for_messages(1001, 3)
    assert (document.method, document.caption, document.file_name) == (
        "sendDocument",
        "登记簿",
        "register.xlsx",
    )
    assert document.file_bytes == 102
    assert (text.method, text.text) == ("sendMessage", "本周")
    assert (photo.method, photo.file_bytes) == ("sendPhoto", 54)
    # Uploads go as multipart; a plain message as one JSON body (keyboards included, see the other tests).
    assert api.content_types["sendDocument"] == api.content_types["sendPhoto"] == {"multipart/form-data"}
    assert api.content_types["sendMessage"] == {"application/json"}


async def test_rate_limits_server_errors_and_dropped_connections_are_retried_until_delivered(
    framework: str, app: object
) -> None:
    faults = FaultPlan(rate_429=0.1, retry_after=1, rate_500=0.15, rate_drop=0.15, seed=7)
    async with FakeBotApi(faults=faults) as api, running(framework, app, ScriptedConversations(), api):
        for number in range(6):
            api.push_text(1001, f"m{number}")
        replies = await api.wait_for_messages(1001, 6, timeout=30)
    assert [reply.text for reply in replies] == [f"got text: m{number}" for number in range(6)]
    assert {kind for _, kind in api.fault_log} >= {"500", "drop"}


async def test_the_outbox_sender_reports_blocked_chats_and_rate_limits_in_the_workers_terms(
    framework: str, app: object
) -> None:
    async with FakeBotApi() as api, running(framework, app, ScriptedConversations(), api) as runtime:
        api.blocked_chats.add(3003)
        api.missing_chats.add(4004)
        with pytest.raises(Unreachable):
            await runtime.send("3003", Reply("hello"))
        with pytest.raises(Unreachable):
            await runtime.send("4004", Reply("hello"))
        api.faults = FaultPlan(rate_429=1.0, retry_after=7)
        with pytest.raises(RetryLater) as raised:
            await runtime.send("1001", Reply("hello"))
        assert raised.value.retry_after == 7
        api.faults = FaultPlan()
        await runtime.send("1001", Reply("hello"))
    assert [message.text for message in api.messages_to(1001)] == ["hello"]


async def test_stopping_answers_every_update_already_fetched_and_acknowledges_it(
    framework: str, app: object
) -> None:
    release = asyncio.Event()
    started = asyncio.Event()

    async def script(incoming: Incoming) -> list[Reply]:
        started.set()
        await release.wait()
        return [Reply(f"done {incoming.text}")]

    async with FakeBotApi() as api:
        async with running(framework, app, ScriptedConversations(script), api) as runtime:
            for number in range(3):
                api.push_text(1001, f"m{number}")
            await asyncio.wait_for(started.wait(), timeout=10)
            await api.wait_until_idle()
            stopping = asyncio.create_task(runtime.stop())
            await asyncio.sleep(0)
            release.set()
            await stopping
        assert [message.text for message in api.messages_to(1001)] == ["done m0", "done m1", "done m2"]
        assert api.pending_updates == 0


async def test_stopping_does_not_wait_out_a_long_poll(framework: str, app: object) -> None:
    async with FakeBotApi() as api:
        runtime = create_runtime(
            framework, app, ScriptedConversations(), token=api.token, api_url=api.base_url, polling_timeout=30
        )
        await runtime.start()
        api.push_text(1001, "hello")
        [reply] = await api.wait_for_messages(1001, 1)
        await asyncio.sleep(0.2)  # the next getUpdates is waiting now, up to 30 s
        await asyncio.wait_for(runtime.stop(), timeout=10)
    assert reply.text == "got text: hello"


async def test_commands_are_registered_for_chinese_english_and_everyone_else(
    framework: str, app: object
) -> None:
    async with FakeBotApi() as api, running(framework, app, ScriptedConversations(), api):
        pass
    by_language = {entry["language_code"]: entry["commands"] for entry in api.commands}
    assert set(by_language) == {"", "zh", "en"}
    english = {command["command"]: command["description"] for command in by_language["en"]}
    chinese = {command["command"]: command["description"] for command in by_language["zh"]}
    assert {"start", "cancel", "help"} <= set(english) and set(english) == set(chinese)
    assert english["cancel"] != chinese["cancel"]
    assert by_language[""] == by_language["zh"]  # the default language is Chinese


async def test_group_chats_are_ignored(framework: str, app: object) -> None:
    conversations = ScriptedConversations()
    async with FakeBotApi() as api, running(framework, app, conversations, api):
        api._push(
            {
                "message": {
                    "message_id": 999,
                    "date": 0,
                    "chat": {"id": -100, "type": "group", "title": "g"},
                    "from": api.user(1001),
                    "text": "hello group",
                }
            }
        )
        api.push_text(1001, "private")
        [reply] = await api.wait_for_messages(1001, 1)
    assert reply.text == "got text: private"
    assert [incoming.text for incoming in conversations.received] == ["private"]
    assert api.messages_to(-100) == []


async def test_polling_after_webhooks_removes_the_webhook_and_still_gets_what_was_queued(
    framework: str, app: object
) -> None:
    conversations = ScriptedConversations()
    async with FakeBotApi() as api:
        api.webhook_url = "https://bot.example.gov.cn/telegram/webhook"  # left set by the webhook instances
        api.push_text(1001, "sent while switching back", language="en")
        async with running(framework, app, conversations, api):
            [reply] = await api.wait_for_messages(1001, 1)
        assert api.webhook_url == ""  # deleteWebhook, or every getUpdates would be refused with 409
    assert reply.text == "got text: sent while switching back"
