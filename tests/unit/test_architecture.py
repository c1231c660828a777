"""The layering holds: the core and the conversations never import a Telegram library."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
TELEGRAM_LIBRARIES = ("aiogram", "telegram")


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("package", ["nocert_core", "handlers"])
def test_a_transport_neutral_package_imports_no_telegram_library(package: str) -> None:
    offenders = []
    for path in sorted((ROOT / package).rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in TELEGRAM_LIBRARIES:
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def test_the_core_does_not_import_the_conversations_or_the_runtimes() -> None:
    offenders = []
    for path in sorted((ROOT / "nocert_core").rglob("*.py")):
        for module in imported_modules(path):
            if module.split(".")[0] in ("handlers", "bot"):
                offenders.append(f"{path.relative_to(ROOT)} imports {module}")
    assert not offenders, offenders


def test_conversations_reach_the_database_through_the_updates_own_transaction() -> None:
    """Handlers use `ctx.uow` (issue 15): a handler opening `app.uow()` would commit on its own and take a
    second pooled connection while its update holds one. Only the dispatcher and the state store open
    units of work themselves."""
    allowed = {"dispatcher.py", "dialog_store.py", "routing.py"}
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "handlers").glob("*.py"))
        if path.name not in allowed and "app.uow" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders
