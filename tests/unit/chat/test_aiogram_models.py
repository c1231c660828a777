"""aiogram imported with its models built on first use (bot/telegram/aiogram_models.py) parses and writes the
Bot API exactly as aiogram imported the usual way. Each import runs in a fresh interpreter (aiogram is
imported once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

USE = """
import json, sys
if sys.argv[1] == "deferred":
    from bot.telegram.aiogram_models import import_aiogram
    import_aiogram()
from aiogram.methods import AnswerCallbackQuery, EditMessageReplyMarkup, EditMessageText, GetUpdates
from aiogram.methods import Response, SendDocument, SendMessage
from aiogram.types import BufferedInputFile, InlineKeyboardButton, InlineKeyboardMarkup, Message, Update

built_at_import = sorted(m.__name__ for m in (Update, Message, SendMessage) if m.__pydantic_complete__)
user = {"id": 7, "is_bot": False, "first_name": "李", "language_code": "zh-hans"}
chat = {"id": 7, "type": "private", "first_name": "李"}
message = {
    "message_id": 3, "date": 1764547200, "chat": chat, "from": user, "text": "/start x",
    "entities": [{"type": "bot_command", "offset": 0, "length": 6}],
    "reply_markup": {"inline_keyboard": [[{"text": "是", "callback_data": "@y"}]]},
}
updates = [
    {"update_id": 1, "message": message},
    {"update_id": 2, "edited_message": {**message, "edit_date": 1764547300}},
    {"update_id": 3, "callback_query": {"id": "9", "chat_instance": "c", "from": user, "data": "@y",
                                         "message": message}},
    {"update_id": 4, "message": {**message, "text": None, "contact": {"phone_number": "+8613800000000",
                                                                      "first_name": "李"}}},
    {"update_id": 5, "message": {**message, "text": None, "caption": "图", "photo": [
        {"file_id": "p", "file_unique_id": "u", "width": 1, "height": 1}]}},
    {"update_id": 6, "message": {**message, "text": None,
                                 "location": {"latitude": 36.7, "longitude": 119.1}}},
    {"update_id": 7},
]
parsed = Response[list[Update]].model_validate({"ok": True, "result": updates}).result
sent = Response[Message].model_validate({"ok": True, "result": message}).result
keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="是", callback_data="@y")]])
calls = [
    SendMessage(chat_id=7, text="你好", reply_markup=keyboard),
    EditMessageText(chat_id=7, message_id=3, text="改"),
    EditMessageReplyMarkup(chat_id=7, message_id=3, reply_markup=keyboard),
    AnswerCallbackQuery(callback_query_id="9", text="好"),
    GetUpdates(offset=8, timeout=1, allowed_updates=["message", "callback_query"]),
    SendDocument(chat_id=7, document=BufferedInputFile(b"x", filename="r.xlsx"), caption="表"),
]
print(json.dumps({
    "built_at_import": built_at_import,
    "updates": [u.model_dump(mode="json", exclude_none=True) for u in parsed],
    "event_types": [u.event_type for u in parsed[:-1]],  # the bare update has none
    "sent": sent.model_dump(mode="json", exclude_none=True),
    "calls": [c.model_dump(warnings=False, exclude={"document"}) for c in calls],  # as our session does
}, ensure_ascii=False, sort_keys=True, default=repr))
"""


def used(how: str) -> dict[str, object]:
    finished = subprocess.run(
        [sys.executable, "-c", USE, how],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(finished.stdout)
    return result


def test_deferred_models_are_not_built_at_import() -> None:
    assert used("deferred")["built_at_import"] == []


def test_deferred_models_parse_and_write_the_bot_api_as_eagerly_built_ones() -> None:
    deferred, eager = used("deferred"), used("eager")
    assert eager["built_at_import"] == ["Message", "SendMessage", "Update"]  # the usual import builds them
    assert {**deferred, "built_at_import": None} == {**eager, "built_at_import": None}
    assert deferred["event_types"] == [
        "message",
        "edited_message",
        "callback_query",
        "message",
        "message",
        "message",
    ]


BUILT_BEFORE_USE = """
import json
from bot.telegram.aiogram_models import build_used_models, import_aiogram
import_aiogram()
from aiogram.methods import EditMessageText, SendMessage
from aiogram.types import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from pydantic._internal import _generate_schema

responses = {}
build_used_models(responses)
built = []  # schemas pydantic generates from here on: what a first update would build on the event loop
real = _generate_schema.GenerateSchema.generate_schema
def counting(self, obj, *args, **kwargs):
    built.append(getattr(obj, "__name__", repr(obj)))
    return real(self, obj, *args, **kwargs)
_generate_schema.GenerateSchema.generate_schema = counting

user = {"id": 7, "is_bot": False, "first_name": "李"}
message = {"message_id": 3, "date": 1764547200, "chat": {"id": 7, "type": "private"}, "from": user,
           "text": "王芳"}
Update.model_validate({"update_id": 1, "message": message})
Update.model_validate({"update_id": 2, "callback_query": {"id": "9", "chat_instance": "c", "from": user,
                                                          "data": "@y", "message": message}})
keyboard = InlineKeyboardMarkup(inline_keyboard=[[InlineKeyboardButton(text="是", callback_data="@y")]])
SendMessage(chat_id=7, text="你好", reply_markup=keyboard).model_dump(warnings=False)
EditMessageText(chat_id=7, message_id=3, text="改").model_dump(warnings=False)
responses[SendMessage.__returning__].model_validate({"ok": True, "result": message})
responses[EditMessageText.__returning__].model_validate({"ok": True, "result": True})
print(json.dumps(built))
"""


def test_a_webhook_instance_builds_the_models_of_updates_and_replies_before_its_first_update() -> None:
    """Built on first use, they froze an instance's event loop for seconds in the middle of its first users'
    turns, right after every restart of the 3-instance soak (while it held those users' locks)."""
    finished = subprocess.run(
        [sys.executable, "-c", BUILT_BEFORE_USE],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    assert json.loads(finished.stdout) == []
