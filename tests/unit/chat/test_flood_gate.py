"""The flood gate (bot/telegram/flood_gate.py): every update of a shape it fully knows in a getUpdates batch
skips the library, turned into the very same `Incoming` the library path gives, in order; anything it does
not fully know is left to the library."""

from __future__ import annotations

from copy import deepcopy
from types import SimpleNamespace
from typing import Any

import pytest

from bot.telegram.base import FRAMEWORKS, TelegramRuntime
from bot.telegram.flood_gate import incoming_from_raw, split_known
from bot.telegram.runtimes import create_runtime

FLOODER, OTHER = 50_000, 60_000


def user(user_id: int, **extra: Any) -> dict[str, Any]:
    return {"id": user_id, "is_bot": False, "first_name": "芳", "language_code": "zh-hans", **extra}


def text(update_id: int, user_id: int = FLOODER, words: str = "你好", **extra: Any) -> dict[str, Any]:
    message = {
        "message_id": update_id,
        "date": 1764547200,
        "chat": {"id": user_id, "type": "private", "first_name": "芳"},
        "from": user(user_id),
        "text": words,
        **extra,
    }
    return {"update_id": update_id, "message": message}


def card(user_id: int = FLOODER) -> dict[str, Any]:
    return {
        "message_id": 77,
        "date": 1764547100,
        "chat": {"id": user_id, "type": "private", "first_name": "芳"},
        "from": {"id": 123456, "is_bot": True, "first_name": "nocert", "username": "nocert_bot"},
        "text": "您的投诉",
        "reply_markup": {"inline_keyboard": [[{"text": "评价", "callback_data": "rt:start:TS-2026-000001"}]]},
    }


SHAPES = {
    "text": text(1),
    "a command with arguments": text(
        2, words="/start abc", entities=[{"offset": 0, "length": 6, "type": "bot_command"}]
    ),
    "a full name and username": text(3)
    | {"message": text(3)["message"] | {"from": user(FLOODER, last_name="王", username="wf")}},
    "a shared contact": {
        "update_id": 4,
        "message": {
            "message_id": 4,
            "date": 1764547200,
            "chat": {"id": FLOODER, "type": "private"},
            "from": user(FLOODER),
            "contact": {"phone_number": "+8613805361234", "first_name": "芳", "user_id": FLOODER},
        },
    },
    "a button on a card": {
        "update_id": 5,
        "callback_query": {
            "id": "9001",
            "from": user(FLOODER),
            "message": card(),
            "chat_instance": "ci",
            "data": "rt:start:TS-2026-000001",
        },
    },
    "a button whose message is gone": {
        "update_id": 6,
        "callback_query": {"id": "9002", "from": user(FLOODER), "chat_instance": "ci", "data": "menu:show"},
    },
}

LEFT_TO_THE_LIBRARY = {
    "a poison update": {"update_id": 7, "message": {"message_id": "x", "date": "yesterday", "chat": 5}},
    "a sticker": text(8)
    | {"message": {**{k: v for k, v in text(8)["message"].items() if k != "text"}, "sticker": {}}},
    "a group chat": text(9)
    | {"message": text(9)["message"] | {"chat": {"id": -5, "type": "group", "title": "g"}}},
    "a field it does not know": text(10) | {"message": text(10)["message"] | {"reply_to_message": {}}},
    "a game button": {
        "update_id": 11,
        "callback_query": {
            "id": "9003",
            "from": user(FLOODER),
            "chat_instance": "ci",
            "game_short_name": "g",
        },
    },
    "an id that is not a number": {"update_id": "12", "message": text(12)["message"]},
    "two events in one update": text(13) | {"callback_query": SHAPES["a button on a card"]["callback_query"]},
}


def _runtime(framework: str) -> TelegramRuntime:
    app: Any = SimpleNamespace(settings=SimpleNamespace(db_pool_size=2))
    return create_runtime(framework, app, dispatcher=None, token="123456:TEST-TOKEN")  # type: ignore[arg-type]


async def _through_the_library(runtime: TelegramRuntime, update: dict[str, Any]) -> list[Any]:
    runtime._staged = []  # as while polling: accept() stages what the library hands over
    if runtime.framework == "aiogram":
        await runtime.aiogram.feed_raw_update(runtime.bot, deepcopy(update))  # type: ignore[attr-defined]
    else:
        from telegram import Update

        await runtime._persist(Update.de_json(deepcopy(update), None))  # type: ignore[attr-defined]
    return runtime._staged


@pytest.mark.parametrize("framework", FRAMEWORKS)
@pytest.mark.parametrize("shape", SHAPES)
async def test_the_gate_makes_the_same_incoming_of_an_update_as_the_library(
    framework: str, shape: str
) -> None:
    update = SHAPES[shape]
    assert await _through_the_library(_runtime(framework), update) == [incoming_from_raw(update)]


@pytest.mark.parametrize("shape", LEFT_TO_THE_LIBRARY)
def test_an_update_of_a_shape_the_gate_does_not_fully_know_is_left_to_the_library(shape: str) -> None:
    update = LEFT_TO_THE_LIBRARY[shape]
    assert incoming_from_raw(update) is None
    batch = [text(100 + n) for n in range(3)] + [update]
    assert split_known(batch).for_library == [update]


def test_a_batch_the_gate_knows_nothing_of_is_left_as_it_is() -> None:
    batch = [{**LEFT_TO_THE_LIBRARY["a sticker"], "update_id": n} for n in range(5)]
    split = split_known(batch)
    assert split.for_library is batch and split.taken == []


def test_every_known_update_skips_the_library_and_a_bare_id_stands_in_for_a_taken_last_one() -> None:
    sticker = LEFT_TO_THE_LIBRARY["a sticker"]
    batch = [text(1), text(2, OTHER, "/help"), {**sticker, "update_id": 3}, text(4)]

    split = split_known(batch)

    assert [incoming.update_id for incoming, _ in split.taken] == ["1", "2", "4"]
    assert split.for_library == [batch[2], {"update_id": 4}]  # the library's offset moves past update 4


def test_a_batch_whose_last_update_is_the_librarys_gets_no_stand_in() -> None:
    sticker = {**LEFT_TO_THE_LIBRARY["a sticker"], "update_id": 9}
    split = split_known([text(8), sticker])
    assert split.for_library == [sticker] and len(split.taken) == 1
    assert split_known([sticker]).for_library == [sticker]


def test_without_a_stand_in_a_batch_of_known_updates_leaves_the_library_nothing() -> None:
    split = split_known([text(1), text(2, OTHER, "/help")], stand_in=False)
    assert split.for_library == [] and len(split.taken) == 2
