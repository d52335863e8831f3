"""What `check` examines: the source, the editions it is built in, and each edition's translation and catalogue."""

from __future__ import annotations

from pathlib import Path

from .editions import read_editions
from .load import load
from .model import Compendium
from .problems import Problems
from .translate import check_translations


def check_source(source: Path, root: Path) -> tuple[Compendium | None, Problems]:
    """The compendium (None when there is any error) and every located problem of every file a build reads."""
    compendium, problems = load(source, root=root)
    editions = source / "editions.yaml"
    langs = [edition.lang for edition in read_editions(editions, root, problems)] if editions.exists() else []
    check_translations(root, langs, compendium, problems)
    if problems.errors:
        compendium = None
    return compendium, problems
