"""A dialog state kept outside the update's transaction (Redis) is saved before the transaction commits,
carrying the step before its update (handlers/dispatch/dispatcher.py `with_redo`): if the transaction
never commits, handling the update again starts from that step, exactly as it was."""

from __future__ import annotations

import json
from typing import Any

from handlers.dispatch.dispatcher import REDO_KEY, Dispatcher, _without_redo
from handlers.dispatch.routing import DialogState
from handlers.dispatch.update_closing import Outcome
from nocert_core.domain.accounts import Account

BEFORE: dict[str, Any] = {
    "draft": {"name": "王芳", "phone": "13800000000"},
    "_hist": [{"name": "ci.name", "data": {"draft": {}}}],
    "_btns": [["返回", "back:1"]],
    "_tok": "ab12",
    "gone": 1,
}


def stored(before: DialogState, after: DialogState, update_key: str = "telegram:9") -> DialogState:
    """What Redis holds once the update saved its state: the JSON round trip."""
    outcome = Outcome(Account("telegram:7", "telegram", "7", "王芳"), [], before, after, True)
    saved = Dispatcher.with_redo(outcome, update_key)
    raw = json.loads(json.dumps({"name": saved.name, "data": saved.data}, ensure_ascii=False))
    return DialogState(raw["name"], raw["data"], version=4)


def next_step() -> DialogState:
    after = DialogState("ci.agency", json.loads(json.dumps(BEFORE)), version=3)
    after.data["draft"]["agency"] = "奎文区审批局"
    after.data["_hist"].append({"name": "ci.phone", "data": {"draft": {"name": "王芳"}}})
    after.data["_btns"] = [["返回", "back:2"]]
    after.data["_tok"] = "cd34"
    after.data["new"] = [1, 2]
    del after.data["gone"]
    return after


def test_handling_the_update_again_starts_from_the_step_before_it() -> None:
    before = DialogState("ci.phone", json.loads(json.dumps(BEFORE)), version=3)
    again = _without_redo(stored(before, next_step()), "telegram:9")
    assert again == DialogState("ci.phone", BEFORE)
    assert again.version == 4


def test_the_next_update_sees_the_new_step_without_the_step_before() -> None:
    before = DialogState("ci.phone", json.loads(json.dumps(BEFORE)), version=3)
    loaded = _without_redo(stored(before, next_step()), "telegram:10")
    assert loaded == next_step()
    assert REDO_KEY not in loaded.data


def test_the_saved_state_does_not_carry_the_step_history_twice() -> None:
    before = DialogState("ci.phone", json.loads(json.dumps(BEFORE)), version=3)
    redo = stored(before, next_step()).data[REDO_KEY]
    assert "_hist" not in redo["changed"] and redo["cut"] == {"_hist": 1}


def test_a_history_shortened_by_the_update_is_given_back_whole() -> None:
    before = DialogState("ci.phone", json.loads(json.dumps(BEFORE)), version=3)
    after = DialogState("ci.name", {"draft": {}, "_hist": []}, version=3)  # "back"
    assert _without_redo(stored(before, after), "telegram:9") == DialogState("ci.phone", BEFORE)


def test_a_state_saved_whole_by_the_code_before_is_still_given_back() -> None:
    state = DialogState(
        "ci.agency", {"x": 2, REDO_KEY: {"update": "telegram:9", "name": "ci.phone", "data": {"x": 1}}}
    )
    assert _without_redo(state, "telegram:9") == DialogState("ci.phone", {"x": 1})
