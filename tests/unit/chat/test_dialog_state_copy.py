"""The dispatcher keeps the step before a handler ran as a deep copy of the dialog state
(handlers/dispatch/routing.py
`DialogState.copy`): a handler changing the state in place must never change that copy."""

from __future__ import annotations

from dataclasses import dataclass

from handlers.dispatch.routing import DialogState, copy_data


def test_a_copied_state_is_unchanged_when_the_original_is_changed_in_place() -> None:
    state = DialogState(
        "ci.facts",
        {"draft": {"name": "王芳", "tags": ["a"]}, "_hist": [{"name": "ci.name", "data": {"draft": {}}}]},
        version=3,
    )
    before = state.copy()
    state.data["draft"]["name"] = "李雷"
    state.data["draft"]["tags"].append("b")
    state.data["_hist"][0]["data"]["draft"]["x"] = 1
    assert before == DialogState(
        "ci.facts",
        {"draft": {"name": "王芳", "tags": ["a"]}, "_hist": [{"name": "ci.name", "data": {"draft": {}}}]},
    )
    assert before.version == 3


def test_copied_data_keeps_tuples_numbers_and_none_as_they_were() -> None:
    data = {"pair": (1, [2.5, None]), "flag": True, "n": 0}
    copied = copy_data(data)
    assert copied == data
    assert type(copied["pair"]) is tuple
    assert copied["pair"][1] is not data["pair"][1]


@dataclass
class _Box:
    items: list[int]


def test_an_object_that_is_not_json_like_is_deep_copied_too() -> None:
    box = _Box([1])
    copied = copy_data({"box": box})
    box.items.append(2)
    assert copied["box"] == _Box([1])
