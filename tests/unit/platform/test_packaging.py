"""The wheel carries every package and the translations (the install itself is checked by
scripts/wheel_smoke.sh, which `make test` runs against a freshly built wheel in a fresh virtualenv)."""

from __future__ import annotations

import tomllib
from pathlib import Path

from setuptools import find_namespace_packages

ROOT = Path(__file__).resolve().parents[3]
PYPROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUPTOOLS = PYPROJECT["tool"]["setuptools"]


def test_every_source_package_is_listed_for_the_wheel() -> None:
    found = set(find_namespace_packages(where=str(ROOT), include=["bot*", "handlers*", "nocert_core*"]))
    listed = set(SETUPTOOLS["packages"])
    assert found - listed == set(), "add these to [tool.setuptools] packages in pyproject.toml"
    assert listed - found == {"nocert_core.locales"}


def test_the_top_level_locales_folder_ships_as_package_data() -> None:
    assert SETUPTOOLS["package-dir"] == {"nocert_core.locales": "locales"}
    patterns = SETUPTOOLS["package-data"]["nocert_core.locales"]
    shipped = {
        path.relative_to(ROOT / "locales")
        for pattern in patterns
        for path in (ROOT / "locales").glob(pattern)
    }
    for locale in ("zh_Hans", "en"):
        catalogues = {p for p in shipped if p.parts[0] == locale and p.suffix == ".po"}
        assert len(catalogues) >= 5, (locale, catalogues)
    assert Path("nocert.pot") in shipped


def test_the_repository_stands_alone() -> None:
    """Nothing points outside the checkout (a user cloning the repository has only the repository)."""
    outside = "../" + "shared"
    offenders = [
        str(path.relative_to(ROOT))
        for pattern in ("*.md", "*.py", "*.toml", "*.ini", "*.sh", "*.cfg", "Makefile", "*.po", "*.pot")
        for path in ROOT.rglob(pattern)
        if not {".git", ".venv", "build", "node_modules"} & set(path.relative_to(ROOT).parts)
        and outside in path.read_text(encoding="utf-8", errors="replace")
    ]
    assert offenders == []


def test_every_library_the_code_imports_is_a_runtime_dependency() -> None:
    """An import that works only because the library happens to be installed breaks a user's install."""
    import ast
    import importlib.metadata
    import re
    import sys

    own = {"bot", "handlers", "nocert_core"}
    imported: set[str] = set()
    for package in own:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
                if isinstance(node, ast.Import):
                    imported |= {alias.name.split(".")[0] for alias in node.names}
                elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    imported.add(node.module.split(".")[0])
    third_party = imported - set(sys.stdlib_module_names) - own
    assert {"sqlalchemy", "typer"} <= third_party  # the scan sees imports at all
    declared = {
        re.split(r"[<>=\[ ;~!]", requirement)[0].lower().replace("_", "-")
        for requirement in PYPROJECT["project"]["dependencies"]
    }
    distributions = importlib.metadata.packages_distributions()
    undeclared = sorted(
        module
        for module in third_party
        if not any(d.lower().replace("_", "-") in declared for d in distributions.get(module, [module]))
    )
    assert undeclared == [], "add these to [project] dependencies in pyproject.toml (and run make lock)"
