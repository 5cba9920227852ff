"""The layer rules of DESIGN.md section 2, checked by reading the source (nothing is imported)."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "clinic_desk"
DOMAIN = PACKAGE / "domain"
UI = PACKAGE / "ui"

QT = ("PySide6", "shiboken6")
FORBIDDEN_IN_DOMAIN = (*QT, "sqlalchemy", "alembic")


def module_name(path: Path) -> str:
    """clinic_desk/domain/status.py -> clinic_desk.domain.status."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def imported_modules(source: str, module: str, is_package: bool = False) -> Iterator[tuple[int, str]]:
    """Every module a file imports, relative imports resolved, with its line number.

    Also catches importlib.import_module("...") and __import__("...") with a literal name,
    the usual ways to sneak Qt into a module lazily.
    """
    package = module if is_package else module.rpartition(".")[0]
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)] if node.level > 1 else base
                prefix = ".".join(base)
                target = f"{prefix}.{node.module}" if node.module else prefix
            else:
                target = node.module or ""
            yield node.lineno, target
            # "from clinic_desk import services" imports clinic_desk.services.
            for alias in node.names:
                yield node.lineno, f"{target}.{alias.name}"
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            lazy = name in ("import_module", "__import__")
            if lazy and isinstance(first, ast.Constant) and isinstance(first.value, str):
                yield node.lineno, first.value


def is_within(module: str, root: str) -> bool:
    return module == root or module.startswith(root + ".")


def python_files(root: Path) -> list[Path]:
    return sorted(path for path in root.rglob("*.py") if ".venv" not in path.parts)


def imports_of(path: Path) -> list[tuple[int, str]]:
    return list(
        imported_modules(path.read_text(encoding="utf-8"), module_name(path), path.name == "__init__.py")
    )


DOMAIN_FILES = python_files(DOMAIN)
OUTSIDE_UI_FILES = [path for path in python_files(PACKAGE) if UI not in path.parents]


def test_the_domain_package_has_code_to_check() -> None:
    assert DOMAIN_FILES, f"no Python files found under {DOMAIN}"
    assert DOMAIN / "status.py" in DOMAIN_FILES


@pytest.mark.parametrize("path", DOMAIN_FILES, ids=lambda path: str(path.relative_to(PACKAGE)))
def test_domain_imports_nothing_but_itself_and_pure_libraries(path: Path) -> None:
    problems = []
    for line, module in imports_of(path):
        if any(is_within(module, banned) for banned in FORBIDDEN_IN_DOMAIN):
            problems.append(f"line {line}: {module}")
        elif is_within(module, "clinic_desk") and not is_within(module, "clinic_desk.domain"):
            # Includes a bare "import clinic_desk", whose __init__ pulls in the services.
            problems.append(f"line {line}: {module}")
    assert not problems, f"{path.relative_to(PACKAGE.parent)} imports outside the domain: {problems}"


@pytest.mark.parametrize(
    "path", OUTSIDE_UI_FILES or [None], ids=lambda path: str(path.relative_to(PACKAGE)) if path else "none"
)
def test_only_the_ui_imports_qt(path: Path | None) -> None:
    if path is None:
        pytest.skip("no Python files outside clinic_desk/ui yet")
    problems = [
        f"line {line}: {module}"
        for line, module in imports_of(path)
        if any(is_within(module, qt) for qt in QT)
    ]
    assert not problems, f"{path.relative_to(PACKAGE.parent)} imports Qt outside clinic_desk/ui: {problems}"


# --- the checker itself ------------------------------------------------------


def found(source: str, module: str = "clinic_desk.domain.example", is_package: bool = False) -> set[str]:
    return {name for _, name in imported_modules(source, module, is_package)}


def test_checker_sees_plain_and_from_imports() -> None:
    names = found("import PySide6.QtCore\nfrom sqlalchemy import orm\n")
    assert "PySide6.QtCore" in names
    assert "sqlalchemy" in names


def test_checker_resolves_relative_imports() -> None:
    assert "clinic_desk.db.models" in found("from ..db import models\n")
    assert "clinic_desk.domain.codes" in found("from . import codes\n")
    assert "clinic_desk.domain.codes" in found("from .codes import RED\n")
    # In clinic_desk/domain/__init__.py, "." is the domain package itself.
    assert "clinic_desk.domain.codes" in found("from .codes import RED\n", "clinic_desk.domain", True)
    assert "clinic_desk.services" in found("from .. import services\n", "clinic_desk.domain", True)


def test_checker_sees_imports_hidden_in_functions_and_lazy_imports() -> None:
    source = (
        "def later():\n"
        "    import alembic\n"
        "    importlib.import_module('PySide6.QtWidgets')\n"
        "    __import__('sqlalchemy')\n"
    )
    assert {"alembic", "PySide6.QtWidgets", "sqlalchemy"} <= found(source)


def test_checker_sees_from_package_import_subpackage() -> None:
    assert "clinic_desk.services" in found("from clinic_desk import services\n")


def test_is_within_does_not_match_prefixes_of_names() -> None:
    assert is_within("PySide6.QtCore", "PySide6")
    assert not is_within("PySide6extra", "PySide6")
    assert not is_within("clinic_desk.domainx", "clinic_desk.domain")
