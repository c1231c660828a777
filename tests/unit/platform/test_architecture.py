"""The layering holds: the core and the conversations never import a Telegram library; every outbox kind has
one typed payload model, which its renderer reads (issue 12 item 10)."""

from __future__ import annotations

import ast
import inspect
import typing
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
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
    second pooled connection while its update holds one. Only the dispatcher (with its group commit, which
    opens the transaction a batch of updates shares) and the state store open units of work themselves."""
    allowed = {
        "dispatch/dispatcher.py",
        "dispatch/update_batch.py",
        "dialogs/dialog_store.py",
        "dispatch/routing.py",
    }
    offenders = [
        str(path.relative_to(ROOT))
        for path in sorted((ROOT / "handlers").rglob("*.py"))
        if path.relative_to(ROOT / "handlers").as_posix() not in allowed
        and "app.uow" in path.read_text(encoding="utf-8")
    ]
    assert not offenders, offenders


def test_every_outbox_kind_has_a_typed_payload_model_and_every_model_kind_a_renderer() -> None:
    from handlers.renderers import RENDERERS
    from nocert_core.domain.notifications import PAYLOADS

    assert sorted(set(RENDERERS) - set(PAYLOADS)) == [], "kinds rendered without a payload model"
    assert sorted(set(PAYLOADS) - set(RENDERERS)) == [], "payload kinds nobody renders"


def test_every_renderer_reads_its_kinds_payload_model_not_the_rows_json() -> None:
    from handlers.renderers import RENDERERS
    from nocert_core.domain.notifications import PAYLOADS
    from nocert_core.domain.payload import Payload

    offenders = []
    for kind, function in sorted(RENDERERS.items()):
        first = next(iter(inspect.signature(function).parameters))
        wanted = typing.get_type_hints(function).get(first)
        model = PAYLOADS.get(kind)
        fits = isinstance(wanted, type) and issubclass(wanted, Payload)
        if not fits or model is None or not issubclass(model, wanted):  # type: ignore[arg-type]
            offenders.append(f"{function.__module__}.{function.__name__} ({kind}) reads {wanted}")
    assert not offenders, offenders


def test_only_the_outbox_turns_a_payload_into_a_rows_json() -> None:
    """Rows are written from typed payloads (`outbox.notify`, `addressed`, `enqueue`, `Outgoing.of`): nothing
    else builds an `Outgoing` or an `OutboxMessage` from a dict of its own."""
    allowed = {"nocert_core/services/messaging/outbox.py", "nocert_core/domain/outbox.py"}
    offenders = []
    for package in ("nocert_core", "handlers", "bot"):
        for path in sorted((ROOT / package).rglob("*.py")):
            name = str(path.relative_to(ROOT))
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if name in allowed or not isinstance(node, ast.Call):
                    continue
                called = (
                    node.func.attr if isinstance(node.func, ast.Attribute) else getattr(node.func, "id", "")
                )
                if called in ("Outgoing", "OutboxMessage"):
                    offenders.append(f"{name}:{node.lineno} builds {called}")
    assert not offenders, offenders
