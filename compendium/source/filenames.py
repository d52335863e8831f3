"""Output file names the file system would refuse as too long, refused at the line that makes them."""

from __future__ import annotations

from dataclasses import replace

from ..edition import Edition
from ..model import Origin
from .problems import Problems
from .project import Project
from .yamlsource import read, relative_name

# A file system takes a name of 255 bytes at most (ext4, APFS, NTFS), and every file of an edition
# is written first under a temporary name beside it, `.<name>.<8 hex digits>.tmp` (source/files.py).
NAME_MAX = 255
TEMPORARY = len("..01234567.tmp")
LONGEST = NAME_MAX - TEMPORARY


def name_too_long(edition: Edition) -> str | None:
    """Why the edition's files cannot be written (a name over the file system's limit), or None;
    the build failed with 'File name too long' once the edition was laid out (attacker round 9, P21)."""
    longest = edition.longest_name
    size = len(longest.encode())
    if size <= LONGEST:
        return None
    shown = longest if len(longest) <= 60 else f"{longest[:30]}…{longest[-24:]}"
    blamed = _by_selection(edition)
    return (
        f"the output file {shown} would have a name of {size} bytes, over the {LONGEST} a name may have "
        f"({NAME_MAX} on most file systems, less {TEMPORARY} for the temporary name it is written under first): "
        + (f"shorten the handout's {edition.selection[0]} id" if blamed else "shorten the slug in compendium.yaml")
    )


def _by_selection(edition: Edition) -> bool:
    """Whether the handout's keyword or section id makes the name too long (the name without it is not)."""
    if not edition.selection:
        return False
    return len(replace(edition, selection=None).longest_name.encode()) <= LONGEST


def check_name_lengths(
    editions: list[Edition], origins: dict[Edition, Origin], project: Project, problems: Problems
) -> None:
    """A name too long because of a handout's keyword or section id, at the handout's line; one
    too long whatever the handout, once, at the slug's line in compendium.yaml."""
    slug_said = False
    for edition in editions:
        why = name_too_long(edition)
        if why is None:
            continue
        if _by_selection(edition):
            where = origins.get(edition, Origin(relative_name(project.editions_file, project.root), 1))
            problems.error(where, "editions", why)
        elif not slug_said:
            slug_said = True
            problems.error(slug_origin(project), "", f"key 'slug': {why}")


def slug_origin(project: Project) -> Origin:
    """The line of compendium.yaml's `slug`."""
    path = project.source / "compendium.yaml"
    node = read(path, project.root, Problems())
    name = relative_name(path, project.root)
    found = node.key_origins.get("slug") if node is not None and node.is_mapping else None
    return found or Origin(name, 1)
