"""One typed codec for every button's callback data.

Callback data comes back from the chat client and can be forged: any string of up to 64 bytes. Every button
prefix declares here the shapes its data may take (`prefix:action:field:…`), each field with its type and
range. `parse()` turns data into a validated `Callback` or None; the dispatcher answers None with "This button
is out of date." and the handlers read typed values (`cb.text(0)`, `cb.integer(1)`), never `split()` or
`int()` by hand. Fields accept ASCII digits only (`"²".isdigit()` is True, `int("²")` raises).

A shape marked `step=True` belongs to a dialog step: its data must carry the step's token (`@…~tok`, see
handlers/dialogs/steps.py), so a forged, unstamped copy is out of date as well.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from nocert_core.domain.catalogue import ExemptionMode
from nocert_core.domain.complaint_lifecycle import RejectionGround
from nocert_core.i18n import SUPPORTED_LOCALES
from nocert_core.services.complaints.handling import STAFF_CHANNELS

if TYPE_CHECKING:
    from handlers.dispatch.routing import Context

Value = str | int
Field = Callable[[str], Value | None]  # the parsed value, or None when the text is not valid

MAX_DATA_BYTES = 64  # Telegram's limit for callback_data


def pattern(regex: str) -> Field:
    compiled = re.compile(regex, re.ASCII)

    def parse(text: str) -> Value | None:
        return text if compiled.fullmatch(text) else None

    return parse


def integer(low: int, high: int) -> Field:
    """A whole number written in ASCII digits, low ≤ n ≤ high."""

    def parse(text: str) -> Value | None:
        if not 0 < len(text) <= len(str(high)) or not text.isascii() or not text.isdigit():
            return None
        value = int(text)
        return value if low <= value <= high else None

    return parse


def choice(values: Iterable[str]) -> Field:
    allowed = frozenset(values)

    def parse(text: str) -> Value | None:
        return text if text in allowed else None

    return parse


COMPLAINT = pattern(r"TS-[0-9]{4}-[0-9]{6,9}")
REQUEST = pattern(r"HC-[0-9]{4}-[0-9]{6,9}")
NOTICE = pattern(r"ZG-[0-9]{4}-[0-9]{5,9}")
# Unit and service codes come from imported registers: any visible characters but the separators.
CODE = pattern(r"[^\s:~@\x00-\x1f\x7f]{1,40}")
# `re.ASCII` does not narrow a negated class: forbid every whitespace / control character explicitly.
_CODE_BAD = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2060-\u2069\ufeff]")


def _code(text: str) -> Value | None:
    return None if _CODE_BAD.search(text) else CODE(text)


DB_ID = integer(1, 2**31 - 1)


@dataclass(frozen=True)
class Shape:
    prefix: str
    action: str  # "" when the data has no action word (`rt:<number>:<score>`, `lang:<locale>`)
    fields: tuple[Field, ...] = ()
    step: bool = False  # must carry the dialog step's token


@dataclass(frozen=True)
class Callback:
    prefix: str
    action: str
    values: tuple[Value, ...]

    def text(self, index: int) -> str:
        value = self.values[index]
        assert isinstance(value, str)
        return value

    def integer(self, index: int) -> int:
        value = self.values[index]
        assert isinstance(value, int)
        return value


def _shapes(prefix: str, *entries: tuple[str, tuple[Field, ...], bool]) -> list[Shape]:
    return [Shape(prefix, action, fields, step) for action, fields, step in entries]


def _plain(
    *actions: str, fields: tuple[Field, ...] = (), step: bool = False
) -> list[tuple[str, tuple[Field, ...], bool]]:
    return [(action, fields, step) for action in actions]


_INTAKE_FIELDS = ("name", "phone", "agency", "demand", "reasons", "facts", "behalf")

SHAPES: list[Shape] = [
    *_shapes("menu", *_plain("show")),
    *_shapes("lang", ("", (choice(SUPPORTED_LOCALES),), False)),
    *_shapes("dlg", *_plain("resume", "discard", step=True)),
    *_shapes(
        "ci",
        *_plain("start", "unfill"),  # unfill: "change these" under a pre-filled name and phone
        *_plain("back", "cancel", "edit", "confirm", "skip", step=True),
        ("reuse", (choice(("yes", "no")),), True),
        ("ch", (choice(channel.value for channel in STAFF_CHANNELS),), True),
        ("unit", (_code,), True),
        ("behalf", (choice(("self", "other")),), True),
        ("editf", (choice(_INTAKE_FIELDS),), True),
    ),
    *_shapes(
        "mc", *_plain("list", "back"), *_plain("open", "wd", "lit", "wdok", "litok", fields=(COMPLAINT,))
    ),
    *_shapes("rt", ("", (COMPLAINT, integer(1, 5)), False), *_plain("skip", "cancel", step=True)),
    *_shapes(
        "st",
        *_plain("queue", "register"),
        *_plain("case", "acc", "ph", "rej", "ret", "res", "ext", "dup", fields=(COMPLAINT,)),
        ("rg", (COMPLAINT, choice(ground.value for ground in RejectionGround)), True),
        ("stop", (COMPLAINT,), True),
    ),
    *_shapes(
        "sv",
        *_plain("unrouted"),
        *_plain("xok", "xno", "route", "urge", "rect", "move", fields=(COMPLAINT,)),
        ("to", (COMPLAINT, _code), True),
        ("stop", (COMPLAINT,), True),
    ),
    *_shapes("svm", *_plain("overdue", "stats", "report", "notices")),
    *_shapes(
        "rect",
        *_plain("cancel"),
        ("unit", (_code,), False),
        ("days", (integer(1, 60),), True),
        *_plain("accept", "return", "reopen", "confirm", "report", fields=(NOTICE,)),
    ),
    *_shapes(
        "vr",
        *_plain("start", "list"),
        *_plain("cancel", "submit", step=True),
        ("unit", (_code,), True),
        *_plain("open", "acc", "ok", "bad", "ret", "wd", "mat", fields=(REQUEST,)),
    ),
    *_shapes(
        "guide",
        *_plain("start", "menu", "changes", "cert", "complain", "none"),
        *_plain("svc", "alt", fields=(_code,)),
        ("op", (DB_ID,), False),
    ),
    *_shapes(
        "gadj",
        ("kind", (choice(("add", "change", "cancel")),), True),
        ("mode", (choice(mode.short for mode in ExemptionMode),), True),
        *_plain("today", "file", "quit", step=True),
    ),
]

_BY_PREFIX: dict[str, list[Shape]] = {}
for _shape in SHAPES:
    _BY_PREFIX.setdefault(_shape.prefix, []).append(_shape)

PREFIXES = frozenset(_BY_PREFIX)


def parse(data: str, stamped: bool = False) -> Callback | None:
    """Validated callback data (already without its step stamp), or None: "this button is out of date".

    `stamped`: whether the data carried a step token; a step's button without one is refused.
    """
    if not data or len(data.encode("utf-8", "surrogatepass")) > MAX_DATA_BYTES:
        return None
    parts = data.split(":")
    for shape in _BY_PREFIX.get(parts[0], ()):
        found = _match(shape, parts)
        if found is not None:
            return found if stamped or not shape.step else None
    return None


def _match(shape: Shape, parts: list[str]) -> Callback | None:
    if shape.action:
        if len(parts) < 2 or parts[1] != shape.action:
            return None
        raw = parts[2:]
    else:
        raw = parts[1:]
    if len(raw) != len(shape.fields):
        return None
    values: list[Value] = []
    for field, text in zip(shape.fields, raw, strict=True):
        value = field(text)
        if value is None:
            return None
        values.append(value)
    return Callback(shape.prefix, shape.action, tuple(values))


def encode(prefix: str, action: str, *values: Value, step: bool = False) -> str:
    """Callback data for a button; `step=True` marks it as belonging to the current dialog step."""
    body = ":".join([prefix, *([action] if action else []), *(str(value) for value in values)])
    return f"@{body}" if step else body


def pressed(ctx: Context) -> Callback:
    """The validated data of the button being handled (set by the dispatcher before a button handler runs)."""
    if ctx.callback is None:
        raise LookupError("not a button press")
    return ctx.callback


def first_text(cb: Callback) -> str:
    """The first field as text ("" when the shape has none)."""
    return str(cb.values[0]) if cb.values else ""
