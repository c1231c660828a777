"""The callback codec: every button's data parses to a validated object, forged data to None."""

from __future__ import annotations

import pytest

from handlers.dialogs import callbacks
from handlers.registry import all_routers


def test_every_router_button_prefix_has_shapes_and_every_shape_a_router() -> None:
    registered = {prefix for router in all_routers() for prefix in router.buttons}
    assert registered == set(callbacks.PREFIXES)


@pytest.mark.parametrize(
    ("data", "stamped", "expected"),
    [
        ("rt:TS-2026-000001:5", False, ("rt", "", ("TS-2026-000001", 5))),
        ("st:acc:TS-2026-000123", False, ("st", "acc", ("TS-2026-000123",))),
        ("st:rg:TS-2026-000123:repeat", True, ("st", "rg", ("TS-2026-000123", "repeat"))),
        ("ci:unit:KW-SPJ", True, ("ci", "unit", ("KW-SPJ",))),
        ("ci:unit:-", True, ("ci", "unit", ("-",))),
        ("lang:en", False, ("lang", "", ("en",))),
        ("guide:op:17", False, ("guide", "op", (17,))),
        ("rect:days:10", True, ("rect", "days", (10,))),
        ("vr:open:HC-2026-000004", False, ("vr", "open", ("HC-2026-000004",))),
        ("rect:accept:ZG-2026-00012", False, ("rect", "accept", ("ZG-2026-00012",))),
        ("gadj:mode:核验", True, ("gadj", "mode", ("核验",))),
    ],
)
def test_valid_data_parses_to_typed_values(
    data: str, stamped: bool, expected: tuple[str, str, tuple[object, ...]]
) -> None:
    parsed = callbacks.parse(data, stamped=stamped)
    assert parsed is not None
    assert (parsed.prefix, parsed.action, parsed.values) == expected


@pytest.mark.parametrize(
    "data",
    [
        "rt:TS-2026-000001:10000000",  # the score that sent 2,442 messages
        "rt:TS-2026-000001:0",
        "rt:TS-2026-000001:²",  # superscript two: "²".isdigit() is True, int("²") raises
        "rt:TS-2026-000001:٣",  # Arabic-Indic three: int() would accept it
        "rt:TS-2026-000001:+3",
        "rt:TS-2026-000001: 3",
        "rt:TS-2026-000001",
        "rt:TS-2026-000001:3:extra",
        "st:acc:TS-２０２６-000001",  # full-width digits match \\d but are not a number we issue
        "st:acc:TS-2026-00000¹",
        "st:acc:ts-2026-000001:",
        "st:nope:TS-2026-000001",
        "st:acc",
        "st:rg:TS-2026-000001:not_a_ground",
        "mc:open:' OR 1=1 --",
        "guide:op:²",
        "guide:op:99999999999999",
        "guide:op:0",
        "rect:days:61",
        "rect:days:¹⁰",
        "lang:fr",
        "zz:anything",
        "",
        ":",
        "ci:unit:KW\u202eSPJ",
        "ci:unit:a b",
        "ci:unit:" + "x" * 60,
        "sv:to:TS-2026-000001:\x00",
    ],
)
def test_forged_or_malformed_data_is_refused(data: str) -> None:
    assert callbacks.parse(data, stamped=True) is None


def test_a_dialog_steps_button_without_its_stamp_is_refused() -> None:
    assert callbacks.parse("ci:confirm", stamped=False) is None
    assert callbacks.parse("ci:confirm", stamped=True) is not None
    assert callbacks.parse("ci:start", stamped=False) is not None


def test_encode_and_parse_round_trip() -> None:
    data = callbacks.encode("st", "rg", "TS-2026-000001", "repeat", step=True)
    assert data == "@st:rg:TS-2026-000001:repeat"
    parsed = callbacks.parse(data.removeprefix("@"), stamped=True)
    assert parsed is not None and parsed.text(1) == "repeat"
