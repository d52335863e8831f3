"""Only compendium/pdf/engine.py reaches below WeasyPrint's public API or into pydyf, in the package
and in the benchmark alike: an upgrade of WeasyPrint touches that module and its contract tests
(tests/test_engine.py), nothing else."""

from __future__ import annotations

import ast
import pkgutil
import re
from pathlib import Path

import pytest
import weasyprint

ROOT = Path(__file__).resolve().parent.parent
FOLDERS = ("compendium", "bench")
ADAPTER = ROOT / "compendium" / "pdf" / "engine.py"

# Below WeasyPrint's public API (`from weasyprint import HTML, CSS, URLFetcher` is public): any of
# its modules, named in an import, a `from weasyprint import <module>` or a string (sys.modules,
# importlib); and pydyf, the PDF writer WeasyPrint uses, in an import.
INTERNAL = re.compile(r"(weasyprint\.[A-Za-z_][\w.]*|pydyf(\.[\w.]+)?)")
SUBMODULE = re.compile(r"weasyprint\.[A-Za-z_][\w.]*")  # a string naming pydyf is a library list (digest.py)
MODULES = {module.name for module in pkgutil.iter_modules(weasyprint.__path__)}


def reaches(source: str) -> list[tuple[int, str]]:
    """Each line that names one of WeasyPrint's internal modules or pydyf, with the name."""
    found = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if INTERNAL.fullmatch(a.name)]
        elif isinstance(node, ast.ImportFrom) and not node.level:
            module = node.module or ""
            if INTERNAL.fullmatch(module):
                found.append((node.lineno, module))
            elif module == "weasyprint":
                found += [(node.lineno, f"weasyprint.{a.name}") for a in node.names if a.name in MODULES]
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and SUBMODULE.fullmatch(node.value):
            found.append((node.lineno, node.value))
    return found


def test_only_the_adapter_reaches_weasyprints_internals_or_pydyf():
    crossing = [
        f"{path.relative_to(ROOT)}:{line}: {name}"
        for folder in FOLDERS
        for path in sorted((ROOT / folder).rglob("*.py"))
        if path != ADAPTER
        for line, name in reaches(path.read_text(encoding="utf-8"))
    ]
    assert crossing == [], "only compendium/pdf/engine.py may reach below WeasyPrint's public API"


def test_the_adapter_itself_is_seen_to_reach_them():
    """The check can fail: the adapter's own imports are found."""
    names = {name for _, name in reaches(ADAPTER.read_text(encoding="utf-8"))}
    assert {"pydyf", "weasyprint.pdf", "weasyprint.formatting_structure"} <= names


@pytest.mark.parametrize(
    ("source", "reached"),
    [
        ("from weasyprint import pdf as writer", True),
        ("import weasyprint.layout.page", True),
        ("from weasyprint.text.ffi import pango", True),
        ("page = sys.modules['weasyprint.layout.page']", True),
        ("import pydyf", True),
        ("from weasyprint import HTML, URLFetcher", False),
        ("import weasyprint", False),
        ('"""Counts what weasyprint.layout lays out."""', False),
    ],
)
def test_the_rule_itself(source: str, reached: bool):
    assert bool(reaches(source)) is reached
