"""The base of every outbox payload type (the types: nocert_core/domain/notifications.py).

A payload is a frozen dataclass. The core builds one, the outbox stores it as a JSON object (`as_payload`) and
the renderer of its kind reads it back as the same type (`read`). Reading is forgiving where it can be: rows
written before a field existed — or by older code that wrote plain dicts — still read (unknown keys are
ignored, a missing field takes its default). What cannot be read (not a JSON object, a field without a
default missing, a nested value of the wrong shape) raises `MalformedPayload`, whose message names the type
and the fields, never a value (log lines stay free of personal data).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, ClassVar, Self

_PLAIN = (str, int, float, bool, type(None))

_FIELD_NAMES: dict[type, tuple[str, ...]] = {}
_REQUIRED: dict[type, tuple[str, ...]] = {}


class MalformedPayload(ValueError):
    """A stored payload that is no readable payload of its kind: the row is dead-lettered, never retried."""


def _field_names(cls: type) -> tuple[str, ...]:
    names = _FIELD_NAMES.get(cls)
    if names is None:
        names = _FIELD_NAMES[cls] = tuple(field.name for field in dataclasses.fields(cls))
    return names


def _required(cls: type) -> tuple[str, ...]:
    names = _REQUIRED.get(cls)
    if names is None:
        names = _REQUIRED[cls] = tuple(
            field.name
            for field in dataclasses.fields(cls)
            if field.default is dataclasses.MISSING and field.default_factory is dataclasses.MISSING
        )
    return names


@dataclass(frozen=True)
class Payload:
    KINDS: ClassVar[tuple[str, ...]] = ()

    def as_payload(self) -> dict[str, Any]:
        # A flat payload (the usual case) as a plain dict of its fields: `dataclasses.asdict` deep-copies
        # every value, which made it ~40 % of a backlog sweep's CPU (one alert payload per complaint).
        values = {name: getattr(self, name) for name in _field_names(type(self))}
        if all(isinstance(value, _PLAIN) for value in values.values()):
            return values
        return dataclasses.asdict(self)

    @classmethod
    def read(cls, data: object) -> Self:
        """The stored JSON object as this type; `MalformedPayload` when it is none."""
        if not isinstance(data, Mapping):
            raise MalformedPayload(
                f"{cls.__name__}: the stored payload is a {type(data).__name__}, not an object"
            )
        missing = [name for name in _required(cls) if name not in data]
        if missing:
            raise MalformedPayload(f"{cls.__name__}: missing {', '.join(missing)}")
        names = _field_names(cls)
        return cls(**{key: value for key, value in data.items() if key in names})


def read_rows(cls: type[Any], rows: object) -> list[Any]:
    """Nested payload objects (a digest's units, …) as `cls`; objects read already are kept as they are."""
    if not isinstance(rows, list):
        raise MalformedPayload(f"{cls.__name__} rows: a {type(rows).__name__}, not a list")
    return [row if isinstance(row, cls) else cls.read(row) for row in rows]
