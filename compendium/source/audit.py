"""What `check` examines: the source, the editions it is built in, and each edition's translation and catalogue."""

from __future__ import annotations

from ..model import Compendium, Origin
from .edition_list import read_editions
from .load import load
from .problems import Problems
from .project import Project
from .translations import check_translations


def check_source(project: Project) -> tuple[Compendium | None, Problems]:
    """The compendium (None when there is any error) and every located problem of every file a build reads."""
    leaving = project.links_leaving()
    compendium, problems = load(project.source, root=project.root)
    for name, why in leaving:
        problems.error(Origin(name, 1), "", why)
    langs = [edition.lang for edition in read_editions(project, problems)]
    check_translations(project, langs, compendium, problems)
    if problems.errors:
        compendium = None
    return compendium, problems
