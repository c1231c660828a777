"""Layers and cycles: every module imports only from its own layer or the layers below, and no two modules
import each other (directly or round a loop), whether at the top of a module or inside a function.

Layers, highest first (the same rule `import-linter`'s "layers" contract checks):
    bot → handlers → nocert_core.bootstrap → nocert_core.bootstrap_read (read-only commands' wiring)
        → nocert_core.demo → nocert_core.services
        → nocert_core.migrations → nocert_core.adapters → nocert_core.guidance → nocert_core.domain
        → the core's plain modules (nocert_core.clock, .settings, .i18n, .logging, .errors)
Imports under `if TYPE_CHECKING:` count for the layers (a type is a dependency too) but not for cycles.
"""

from __future__ import annotations

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[3]
PACKAGES = ("bot", "handlers", "nocert_core")
LAYERS = (
    "bot",
    "handlers",
    "nocert_core.bootstrap",
    "nocert_core.bootstrap_read",
    "nocert_core.demo",
    "nocert_core.services",
    "nocert_core.migrations",
    "nocert_core.adapters",
    "nocert_core.guidance",
    "nocert_core.domain",
    "nocert_core",
)


def all_modules() -> dict[str, Path]:
    modules = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            parts = list(path.relative_to(ROOT).with_suffix("").parts)
            if parts[-1] == "__init__":
                parts.pop()
            modules[".".join(parts)] = path
    return modules


def layer_of(module: str) -> int:
    for rank, prefix in enumerate(LAYERS):
        if module == prefix or module.startswith(prefix + "."):
            return rank
    raise AssertionError(f"{module} is in no layer")


def imports_of(path: Path, modules: dict[str, Path], *, type_checking: bool) -> set[str]:
    """The project modules `path` imports (the longest known module prefix of each imported name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    skipped: set[int] = set()
    if not type_checking:
        for node in ast.walk(tree):
            if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
                skipped.update(id(inner) for statement in node.body for inner in ast.walk(statement))
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in skipped:
            continue
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names = [node.module, *(f"{node.module}.{alias.name}" for alias in node.names)]
        for name in names:
            while name and name not in modules:
                name = name.rpartition(".")[0]
            if name:
                found.add(name)
    return found


def import_graph(*, type_checking: bool) -> dict[str, set[str]]:
    modules = all_modules()
    return {
        module: imports_of(path, modules, type_checking=type_checking) - {module}
        for module, path in modules.items()
    }


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected components with more than one module (Tarjan, iterative)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []
    for root in sorted(graph):
        if root in index:
            continue
        work = [(root, iter(sorted(graph[root])))]
        index[root] = low[root] = len(index)
        stack.append(root)
        on_stack.add(root)
        while work:
            node, children = work[-1]
            child = next(children, None)
            if child is not None:
                if child not in index:
                    index[child] = low[child] = len(index)
                    stack.append(child)
                    on_stack.add(child)
                    work.append((child, iter(sorted(graph[child]))))
                elif child in on_stack:
                    low[node] = min(low[node], index[child])
                continue
            work.pop()
            if work:
                low[work[-1][0]] = min(low[work[-1][0]], low[node])
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.append(sorted(component))
    return found


def test_no_module_imports_from_a_higher_layer() -> None:
    upward = [
        f"{module} ({LAYERS[layer_of(module)]}) imports {target} ({LAYERS[layer_of(target)]})"
        for module, targets in sorted(import_graph(type_checking=True).items())
        for target in sorted(targets)
        if layer_of(target) < layer_of(module)
    ]
    assert not upward, upward


def test_there_are_no_import_cycles() -> None:
    assert cycles(import_graph(type_checking=False)) == []


def test_the_checks_see_a_cycle_and_an_upward_import() -> None:
    """The checks themselves can fail: a made-up loop is found, and a real upward edge would be."""
    assert cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c"]]
    assert layer_of("nocert_core.domain.complaints") > layer_of("nocert_core.services.complaints.handling")
    assert layer_of("handlers.start.menu") > layer_of("bot.cli")
    graph = import_graph(type_checking=True)
    assert "nocert_core.services.platform.uow" in graph["nocert_core.bootstrap"]
