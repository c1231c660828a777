"""`nocert --help` lists the commands from `bot.cli.COMMANDS` without importing the feature modules; the
list must stay the commands those modules define, each with its own help."""

from __future__ import annotations

from typer._click.utils import make_default_short_help
from typer.testing import CliRunner

from bot.cli import COMMANDS, app, feature_commands


def test_the_listed_commands_are_the_commands_the_feature_modules_define() -> None:
    assert list(COMMANDS) == list(feature_commands())


def test_each_listed_command_shows_the_help_its_module_gives_it() -> None:
    for name, command in feature_commands().items():
        assert command.help is not None
        assert make_default_short_help(COMMANDS[name], 200) == command.get_short_help_str(200), name


def test_a_mistyped_command_is_refused_with_the_nearest_name() -> None:
    result = CliRunner().invoke(app, ["complaint", "list"])
    assert result.exit_code == 2
    assert "Did you mean 'complaints'?" in result.output
