"""What keeps running one CLI command cheap, applied to the commands `bot.cli` builds (docs/startup.md):

- **help is translated when it is shown**: reading the catalogue (Babel) costs about a third of
  `import typer`; a command that runs prints no help, so each command translates its tree (its own help,
  its options', its subcommands') the first time one of them formats help.
- **typer coerces an option's value when there is one to coerce**: typer ≥ 0.29 builds a pydantic
  TypeAdapter for every parameter of the command that runs (its `--help` option included), and importing
  pydantic costs about as much as `import typer` itself. A parameter left at None, a plain string for a
  `str` option, or an enum option's exact value (`--status accepted`) needs no pydantic (`plain_value`);
  any other value is handed to typer's own coercion, built then.
  This replaces `typer.core._TyperParameter.get_runtime_param` in the `nocert` process (a private API: if
  it moves, nothing is deferred and typer coerces as it always does; tests/unit/cli/test_startup.py notices
  pydantic coming back, tests/unit/cli/test_cli_startup.py checks values are still converted).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any, get_args, get_origin

from typer import _click as click


def translate_tree(command: click.Command, translate: Callable[[str], str]) -> None:
    """A command's help, its options' and its subcommands', translated in place."""
    if command.help:
        command.help = translate(command.help)
    if command.short_help:
        command.short_help = translate(command.short_help)
    for param in command.params:
        text = getattr(param, "help", None)
        if text:
            param.help = translate(text)  # type: ignore[attr-defined]
    for subcommand in getattr(command, "commands", {}).values():
        translate_tree(subcommand, translate)


def translate_help_when_shown(command: click.Command, translator: Callable[[], Callable[[str], str]]) -> None:
    """`command` and every subcommand translate the whole tree of `command` before their help is formatted
    (once); `translator` is called only then."""
    done: list[bool] = []

    def wrap(node: click.Command) -> None:
        original = node.format_help

        def format_help(ctx: click.Context, formatter: click.HelpFormatter) -> None:
            if not done:
                done.append(True)
                translate_tree(command, translator())
            original(ctx, formatter)

        node.format_help = format_help  # type: ignore[method-assign]
        for subcommand in getattr(node, "commands", {}).values():
            wrap(subcommand)

    wrap(command)


def defer_coercion() -> None:
    """From now on, a typer parameter of this process coerces through `_deferred()` (idempotent)."""
    try:
        from typer.core import _TyperParameter
    except ImportError:
        return
    deferred = _deferred()
    if deferred is None or getattr(_TyperParameter, "_nocert_deferred", False):
        return

    def get_runtime_param(self: Any) -> Any:
        if self._runtime_param is None:
            descriptor = self.type_descriptor
            self._runtime_param = deferred(
                annotation=descriptor.annotation, parameter_info=descriptor.parameter_info
            )
        return self._runtime_param

    _TyperParameter._typers_get_runtime_param = _TyperParameter.get_runtime_param  # type: ignore[attr-defined]
    _TyperParameter.get_runtime_param = get_runtime_param  # type: ignore[method-assign]
    _TyperParameter._nocert_deferred = True  # type: ignore[attr-defined]


_PLAIN_TEXT: tuple[Any, ...] = (str, str | None)
_UNSURE = object()


def _enum_in(annotation: Any) -> type[Enum] | None:
    """E for `E` or `E | None` where E is an Enum."""
    options = [arg for arg in get_args(annotation) if arg is not type(None)] or [annotation]
    if len(options) == 1 and isinstance(options[0], type) and issubclass(options[0], Enum):
        return options[0]
    return None


def _listed_enum(annotation: Any) -> type[Enum] | None:
    """E for `list[E]` or `list[E] | None`."""
    options = [arg for arg in get_args(annotation) if arg is not type(None)]
    if get_origin(annotation) is not list and len(options) == 1:
        annotation = options[0]
    return _enum_in(get_args(annotation)[0]) if get_origin(annotation) is list else None


def plain_value(annotation: Any, value: Any, case_sensitive: bool = True) -> Any:
    """`value` as typer's coercion makes it, for the plain cases that need no pydantic: text for a `str`
    option, an enum member named by its exact value, a list of them; `_UNSURE` otherwise."""
    if type(value) is str and annotation in _PLAIN_TEXT:
        return value
    if not case_sensitive:
        return _UNSURE
    single = _enum_in(annotation)
    if single is not None and type(value) is str and value in single._value2member_map_:
        return single(value)
    item = _listed_enum(annotation)
    if (
        item is not None
        and isinstance(value, tuple | list)
        and all(type(v) is str and v in item._value2member_map_ for v in value)
    ):
        return [item(v) for v in value]
    return _UNSURE


def _deferred() -> Any:
    """A typer RuntimeParam that builds typer's own coercion only for a value that needs converting."""
    try:
        from typer._coercion import PassThroughRuntimeParam, build_runtime_param
    except ImportError:
        return None

    class Deferred(PassThroughRuntimeParam):  # a frozen dataclass; None never reaches _coerce_value
        def _coerce_value(self, value: Any, param: Any, ctx: click.Context) -> Any:
            sensitive = getattr(self.parameter_info, "case_sensitive", True) is not False
            plain = plain_value(self.annotation, value, sensitive)
            if plain is not _UNSURE:
                return plain
            built = build_runtime_param(param.type_descriptor)
            param._runtime_param = built
            return built._coerce_value(value, param=param, ctx=ctx)

    return Deferred
