"""No dead code: every public name of the package is used by the builder, and every filter and
global the layouts are given is used by one of the builder's layouts (inheritor's review, finding 6)."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import jinja2

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compendium"
# Where a name may be used: the package, the entry point, the benchmark, the layouts, and the
# configuration that names functions by string (Babel's extractor, the command's entry point).
USERS = [*sorted(PACKAGE.rglob("*.py")), ROOT / "build.py", *sorted((ROOT / "bench").rglob("*.py"))]
CONFIGURATION = [*sorted((ROOT / "layouts").glob("*.html")), ROOT / "babel.cfg", ROOT / "pyproject.toml"]


def defined(tree: ast.Module) -> list[str]:
    """The public names a module defines at its top: functions, classes, constants."""
    names = []
    for node in tree.body:
        if isinstance(node, ast.FunctionDef | ast.ClassDef):
            names.append(node.name)
        elif isinstance(node, ast.Assign):
            names += [target.id for target in node.targets if isinstance(target, ast.Name)]
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.append(node.target.id)
    return [name for name in names if not name.startswith("_")]


def used(tree: ast.Module) -> set[str]:
    """Every name a module reads, every attribute it reaches, everything it imports, and the words
    of its strings (a name looked up with getattr or hasattr)."""
    found: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not isinstance(node.ctx, ast.Store):
            found.add(node.id)
        elif isinstance(node, ast.Attribute):
            found.add(node.attr)
        elif isinstance(node, ast.alias):
            found.add(node.name.rpartition(".")[2])
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            found |= set(re.findall(r"\w+", node.value))
    return found


def test_every_public_name_of_the_package_is_used():
    trees = {path: ast.parse(path.read_text(encoding="utf-8")) for path in USERS}
    names = set().union(*(used(tree) for tree in trees.values()))
    names |= {word for path in CONFIGURATION for word in re.findall(r"\w+", path.read_text(encoding="utf-8"))}
    unused = [
        f"{path.relative_to(ROOT)}: {name}"
        for path, tree in trees.items()
        if path.is_relative_to(PACKAGE)
        for name in defined(tree)
        if name not in names
    ]
    assert unused == [], "defined in the package and used nowhere: remove it"


def registered() -> set[str]:
    """The filters and globals render/html.py gives the layouts (env.filters["x"] = …)."""
    tree = ast.parse((PACKAGE / "render" / "html.py").read_text(encoding="utf-8"))
    return {
        target.slice.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Assign)
        for target in node.targets
        if isinstance(target, ast.Subscript)
        and isinstance(target.value, ast.Attribute)
        and target.value.attr in ("filters", "globals")
        and isinstance(target.slice, ast.Constant)
    }


def test_every_filter_and_global_the_layouts_are_given_is_used():
    environment = jinja2.Environment(extensions=["jinja2.ext.i18n"])
    called: set[str] = set()
    for path in sorted((ROOT / "layouts").glob("*.html")):
        tree = environment.parse(path.read_text(encoding="utf-8"))
        called |= {node.name for node in tree.find_all((jinja2.nodes.Filter, jinja2.nodes.Test))}
        called |= {node.name for node in tree.find_all(jinja2.nodes.Name)}
    assert registered(), "no filter found: has register_filters moved?"
    assert sorted(registered() - called) == [], "given to the layouts and used by none: remove it"
