"""The aiogram runtime, imported the way `bot/telegram/runtimes.py` imports it (after `import_aiogram()`,
bot/telegram/aiogram_models.py), builds no Telegram type, and a type built late is the same type aiogram
builds at import. Each check runs in a fresh interpreter: in the test process aiogram may already be
imported."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]

USE_TYPES = r"""
import re, sys
if sys.argv[1] == "lazy":
    from bot.telegram.aiogram_models import import_aiogram
    import_aiogram()
    import bot.telegram.aiogram_runtime
from aiogram.methods import (
    AnswerCallbackQuery, EditMessageText, GetUpdates, Response, SendDocument, SendMessage, SetMyCommands,
)
from aiogram.types import (
    BotCommand, BotCommandScopeChat, FSInputFile, InlineKeyboardButton, InlineKeyboardMarkup, KeyboardButton,
    Message, ReplyKeyboardMarkup, ReplyKeyboardRemove, Update,
)
out = []
def dump(model):
    out.append(repr(model.model_dump(exclude_none=True)))
dump(SetMyCommands(commands=[BotCommand(command="a", description="b")], scope=BotCommandScopeChat(chat_id=5)))
dump(SendMessage(chat_id=1, text="x", reply_markup=InlineKeyboardMarkup(
    inline_keyboard=[[InlineKeyboardButton(text="a", callback_data="b")]])))
keyboard = ReplyKeyboardMarkup(keyboard=[[KeyboardButton(text="a")]])
dump(SendMessage(chat_id=1, text="x", reply_markup=keyboard))
dump(SendMessage(chat_id=1, text="x", reply_markup=ReplyKeyboardRemove()))
button = Update.model_validate({"update_id": 2, "callback_query": {
    "id": "9", "chat_instance": "1", "data": "x", "from": {"id": 3, "is_bot": False, "first_name": "x"},
    "message": {"message_id": 5, "date": 1700000000, "chat": {"id": 3, "type": "private"}, "text": "card",
                "reply_markup": {"inline_keyboard": [[{"text": "a", "callback_data": "b"}]]}}}})
out += [button.model_dump_json(), repr(button)]
message = Update.model_validate({"update_id": 1, "message": {
    "message_id": 5, "date": 1700000000, "chat": {"id": 3, "type": "private"}, "text": "/x",
    "from": {"id": 3, "is_bot": False, "first_name": "x", "language_code": "en"},
    "entities": [{"type": "bot_command", "offset": 0, "length": 2}],
    "document": {"file_id": "f", "file_unique_id": "g"}}})
out += [message.model_dump_json(), repr(message.message.content_type)]
updates = Response[list[Update]].model_validate({"ok": True, "result": [message.model_dump()]})
out.append(updates.model_dump_json())
sent = Response[Message].model_validate({"ok": True, "result": {
    "message_id": 5, "date": 1700000000, "chat": {"id": 3, "type": "private"}, "text": "x"}})
out.append(sent.model_dump_json())
dump(GetUpdates(offset=3, timeout=2, allowed_updates=["message"]))
dump(EditMessageText(chat_id=1, message_id=2, text="y"))
dump(AnswerCallbackQuery(callback_query_id="1", text="t"))
out.append(repr(SendDocument(chat_id=1, document=FSInputFile(sys.argv[0]))))
print(re.sub(" at 0x[0-9a-f]+", "", "\n".join(out)))
"""


def run(code: str, *args: str) -> str:
    finished = subprocess.run(
        [sys.executable, "-c", code, *args],
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    return finished.stdout


def test_the_aiogram_runtime_builds_no_telegram_type_at_import() -> None:
    code = (
        "from bot.telegram.aiogram_models import import_aiogram\n"
        "import_aiogram()\n"
        "import bot.telegram.aiogram_runtime\n"
        "from aiogram.types import Message, Update\n"
        "from aiogram.methods import SetMyCommands\n"
        "print(*(t.__pydantic_complete__ for t in (Update, Message, SetMyCommands)))"
    )
    assert run(code).split() == ["False", "False", "False"]


def test_types_built_on_first_use_validate_and_serialise_as_aiogram_builds_them() -> None:
    eager, lazy = run(USE_TYPES, "eager"), run(USE_TYPES, "lazy")
    assert "BotCommandScopeType.CHAT" in eager  # the script ran through
    assert lazy == eager


def test_pydantic_models_outside_aiogram_are_left_as_they_were() -> None:
    code = (
        "from pydantic import BaseModel\n"
        "before = BaseModel.__dict__['model_rebuild']\n"
        "from bot.telegram.aiogram_models import import_aiogram\n"
        "import_aiogram()\n"
        "import bot.telegram.aiogram_runtime\n"
        "print(BaseModel.__dict__['model_rebuild'] is before)"
    )
    assert run(code).strip() == "True"
