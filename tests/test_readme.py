"""The README tells a newcomer the truth: its "How it is built" names every module of the package,
and its pipeline names the library each stage uses (inheritor's review, finding 14)."""

from __future__ import annotations

import ast
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "compendium"
README = (ROOT / "README.md").read_text(encoding="utf-8")


def section(title: str) -> str:
    return README.split(f"\n## {title}\n")[1].split("\n## ")[0]


def test_how_it_is_built_names_every_module():
    text = section("How it is built")
    modules = sorted(p.relative_to(PACKAGE) for p in PACKAGE.rglob("*.py") if p.name != "__init__.py")
    names = Counter(p.name for p in modules)
    # a module is named with its folder (`render/typography.py`), or alone when its name is unique
    unnamed = [
        str(m)
        for m in modules
        if f"`{m.as_posix()}`" not in text
        and f"`compendium/{m.as_posix()}`" not in text
        and not (names[m.name] == 1 and f"`{m.name}`" in text)
    ]
    assert unnamed == [], "name each in README.md, How it is built"


def imported_roots(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {alias.name.partition(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            found.add(node.module.partition(".")[0])
    return found


def test_the_pipeline_names_the_finishing_library_the_code_uses():
    pipeline = next(block for block in README.split("\n\n") if "→" in block)  # the diagram under the title
    finishing = imported_roots(PACKAGE / "pdf" / "finish.py")
    assert "pikepdf" in finishing and "pypdf" not in finishing
    assert "pikepdf finishing" in pipeline and "pypdf" not in pipeline, pipeline
