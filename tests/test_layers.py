"""The package's stages only look down: no module imports a later stage, and no two modules import each other."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "compendium"

# The pipeline's stages, in order: a module may import its own stage and those before it.
LAYERS = (
    ("compendium", "compendium.model", "compendium.edition", "compendium.derive"),  # the model, no I/O
    ("compendium.source",),  # reading and checking the source, the project's files
    ("compendium.render",),  # HTML in an edition's language
    ("compendium.pdf",),  # WeasyPrint, finishing, imposition, writing the PDF
    ("compendium.pipeline",),  # one edition, stage after stage
    ("compendium.build",),  # many editions: cache, pool of processes, proofs
    ("compendium.cli", "compendium.__main__"),  # the command line
)


def module_name(path: Path) -> str:
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def layer(module: str) -> int:
    """The stage of a module: the longest prefix of LAYERS that names it."""
    best, rank = "", -1
    for index, prefixes in enumerate(LAYERS):
        for prefix in prefixes:
            if (module == prefix or module.startswith(prefix + ".")) and len(prefix) > len(best):
                best, rank = prefix, index
    if rank < 0:
        raise AssertionError(f"{module}: in no stage of LAYERS (add it to tests/test_layers.py)")
    return rank


def imports(path: Path) -> set[str]:
    """The package modules a module imports, at its top or inside a function."""
    module = module_name(path)
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name for alias in node.names if alias.name.startswith("compendium")}
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("compendium"):
                continue
            # `from . import x` imports the module x when there is one
            for alias in node.names:
                candidate = f"{target}.{alias.name}"
                found.add(candidate if _exists(candidate) else target)
    return found


def _exists(module: str) -> bool:
    relative = Path(*module.split(".")[1:])
    return (PACKAGE / relative).with_suffix(".py").is_file() or (PACKAGE / relative / "__init__.py").is_file()


def graph() -> dict[str, set[str]]:
    return {module_name(path): imports(path) for path in sorted(PACKAGE.rglob("*.py"))}


def test_no_module_imports_a_later_stage():
    upward = [
        f"{module} (stage {layer(module)}) imports {target} (stage {layer(target)})"
        for module, targets in graph().items()
        for target in sorted(targets)
        if layer(target) > layer(module)
    ]
    assert upward == []


def test_no_import_cycles():
    edges = graph()
    cycles = {tuple(cycle) for start in edges if (cycle := _cycle_from(start, edges))}
    assert sorted(cycles) == []


def _cycle_from(start: str, edges: dict[str, set[str]]) -> list[str] | None:
    """A shortest path of imports leading from `start` back to it, if any."""
    paths = [[start]]
    seen = {start}
    while paths:
        path = paths.pop(0)
        for target in sorted(edges.get(path[-1], ())):
            if target == start:
                cycle = path
                rotation = cycle.index(min(cycle))
                return cycle[rotation:] + cycle[:rotation]
            if target not in seen:
                seen.add(target)
                paths.append([*path, target])
    return None


@pytest.mark.parametrize(
    ("importer", "imported", "upward"),
    [("compendium.source.load", "compendium.render.html", True), ("compendium.cli", "compendium.model", False)],
)
def test_the_rule_itself(importer, imported, upward):
    """The check can fail: an import from source/ into render/ is upward, cli into the model is not."""
    assert (layer(imported) > layer(importer)) is upward
