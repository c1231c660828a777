"""bot/cli/startup.py converts the plain option values itself (so a command needs no pydantic) and hands
everything else to typer's own coercion: the values it gives must be exactly typer's."""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import pytest
import typer
from typer.testing import CliRunner

from bot.cli.startup import _UNSURE, defer_coercion, plain_value
from nocert_core.domain.complaint_lifecycle import ComplaintStatus


class Colour(StrEnum):
    RED = "red"
    BLUE = "blue"


seen: dict[str, Any] = {}
demo = typer.Typer(rich_markup_mode=None, pretty_exceptions_enable=False)


@demo.command()
def show(
    name: str = typer.Option("x", "--name"),
    unit: str | None = typer.Option(None, "--unit"),
    colour: Colour = typer.Option(Colour.RED, "--colour"),
    maybe: Colour | None = typer.Option(None, "--maybe"),
    status: list[ComplaintStatus] | None = typer.Option(None, "--status"),
    colours: list[Colour] = typer.Option([], "--colours"),
    count: int = typer.Option(1, "--count"),
) -> None:
    seen.update(name=name, unit=unit, colour=colour, maybe=maybe, status=status, colours=colours, count=count)


ARGUMENTS = [
    [],
    ["--name", "奎文区", "--unit", "KW-SPJ"],
    ["--colour", "blue", "--maybe", "red"],
    ["--status", "accepted", "--status", "resolved", "--colours", "red"],
    ["--count", "7"],
]


def run(arguments: list[str]) -> dict[str, Any]:
    seen.clear()
    result = CliRunner().invoke(demo, arguments)
    assert result.exit_code == 0, result.output
    return {key: (value, type(value)) for key, value in seen.items()}


def test_deferred_coercion_gives_the_values_typer_gives() -> None:
    from typer.core import _TyperParameter

    defer_coercion()
    with pytest.MonkeyPatch.context() as patch:  # typer's own coercion, as before the hook
        patch.setattr(_TyperParameter, "get_runtime_param", _TyperParameter._typers_get_runtime_param)
        typers_own = [run(arguments) for arguments in ARGUMENTS]
    assert [run(arguments) for arguments in ARGUMENTS] == typers_own
    assert typers_own[3]["status"] == ([ComplaintStatus.ACCEPTED, ComplaintStatus.RESOLVED], list)


def test_a_wrong_value_still_gets_typers_error() -> None:
    defer_coercion()
    result = CliRunner().invoke(demo, ["--colour", "Red"])
    assert result.exit_code == 2 and "Invalid value for '--colour'" in result.output, result.output


@pytest.mark.parametrize(
    ("annotation", "value"),
    [(int, "3"), (Colour, "RED"), (list[Colour], ("red", "green")), (str, 3)],
)
def test_what_is_not_plain_is_left_to_typer(annotation: Any, value: Any) -> None:
    assert plain_value(annotation, value) is _UNSURE
