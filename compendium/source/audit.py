"""What `check` examines: the source, the editions it is built in, and each edition's translation and catalogue."""

from __future__ import annotations

from ..model import Compendium
from .edition_list import read_editions
from .load import load
from .problems import Problems
from .project import Project
from .translations import check_translations


def check_source(project: Project, only: list[str] | None = None) -> tuple[Compendium | None, Problems]:
    """The compendium (None when there is any error) and every located problem of every file a build
    reads; the translations of the `only` languages when given, else of every edition's."""
    compendium, problems = load(project.source, root=project.root)
    editions = read_editions(project, problems)
    langs = only or [edition.lang for edition in editions]
    check_translations(project, langs, compendium, problems)
    if problems.errors:
        compendium = None
    return compendium, problems
