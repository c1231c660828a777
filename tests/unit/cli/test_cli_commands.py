"""`nocert --help` lists the commands from `bot.cli.COMMANDS` without importing the feature modules; the
list must stay the commands those modules define, each with its own help. Help texts go through gettext
(locales/*/LC_MESSAGES/cli.po), so a Chinese install shows Chinese help. Each locale is built in a fresh
interpreter (the commands are built once per process)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from typer.testing import CliRunner

from bot.cli import COMMAND_MODULES, COMMANDS, app
from nocert_core.i18n import domain_translator

ROOT = Path(__file__).resolve().parents[3]

DUMP = """
import json
from typer._click.utils import make_default_short_help
from bot.cli import feature_commands

texts, short = [], {}
def walk(command):
    texts.extend(t for t in (command.help, command.short_help) if t)
    texts.extend(p.help for p in command.params if getattr(p, "help", None))
    for sub in getattr(command, "commands", {}).values():
        walk(sub)
for name, command in feature_commands().items():
    short[name] = command.get_short_help_str(500)
    walk(command)
print(json.dumps({"short": short, "texts": texts}, ensure_ascii=False))
"""


def built(locale: str) -> dict[str, object]:
    finished = subprocess.run(
        [sys.executable, "-c", DUMP],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NOCERT_LOCALE": locale},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(finished.stdout)
    return result


def nocert_help(locale: str, *args: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "NOCERT_LOCALE": locale}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args, "--help"],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    ).stdout


def test_the_listed_commands_are_the_commands_the_feature_modules_define_with_their_help() -> None:
    assert built("en")["short"] == COMMANDS


def test_every_help_text_is_translated_in_both_catalogues() -> None:
    english = built("en")["texts"]
    assert isinstance(english, list) and len(english) > 100
    for locale in ("zh_Hans", "en"):
        catalogue = domain_translator("cli", locale)  # what the help reads
        missing = [text for text in [*english, *COMMANDS.values()] if not catalogue.has(text)]
        assert not missing, f"{len(missing)} help text(s) without a {locale} translation: {missing[:5]}"


def test_a_chinese_install_shows_chinese_help() -> None:
    listing = nocert_help("zh_Hans")
    assert "无证明城市的投诉、办事指引与督办" in listing
    assert "投诉（R5）：列表、详情、导出、初筛。" in listing
    assert "输出更多日志。" in listing
    assert "在这个公网 https:// 地址接收更新，而不是轮询。" in nocert_help("zh_Hans", "run")
    assert "No-Proof City complaints" in nocert_help("en")


def test_a_mistyped_command_is_refused_with_the_nearest_name() -> None:
    result = CliRunner().invoke(app, ["complaint", "list"])
    assert result.exit_code == 2
    assert "Did you mean 'complaints'?" in result.output


TREE = """
import json, sys
from bot.cli import feature_commands

def tree(command):
    return {
        "help": command.help,
        "params": sorted(param.name for param in command.params),
        "commands": {name: tree(sub) for name, sub in getattr(command, "commands", {}).items()},
    }

names = sys.argv[1:]
built = feature_commands(*names)
print(json.dumps({name: tree(built[name]) for name in (names or built)}, ensure_ascii=False))
"""


def command_trees(*names: str) -> dict[str, object]:
    finished = subprocess.run(
        [sys.executable, "-c", TREE, *names],
        env={**os.environ, "PYTHONPATH": str(ROOT), "NOCERT_LOCALE": "en"},
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(finished.stdout)
    return result


def test_running_one_command_builds_it_whole_from_its_own_modules_only() -> None:
    """`COMMAND_MODULES` names every module that adds to a command (a group's subcommands may come from
    several): the command built from those alone is the command built from all modules."""
    assert set(COMMAND_MODULES) == set(COMMANDS)
    everything = command_trees()
    for name in COMMANDS:
        assert command_trees(name) == {name: everything[name]}, name
