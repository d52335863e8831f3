"""Output file names the file system would refuse as too long, refused at the line that makes them."""

from __future__ import annotations

import errno
import os
from dataclasses import replace
from pathlib import Path

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
PATH_MAX = 4096  # the longest path the system takes in one call (Linux)
ROOM = 512  # left for the folders and files under a path given (source/decisions/<file>.yaml)


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
        + (
            f"shorten the handout's {edition.selection[0]} id"
            if blamed and edition.selection
            else "shorten the slug in compendium.yaml"
        )
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


def unusable_path(text: str) -> str | None:
    """Why a path given on the command line cannot name a file or folder, or None: an empty one
    (an unset shell variable: it would be the current folder), a name in it longer than a file
    system allows, a path longer than the system takes, a loop of links. Each gave a traceback
    where it was first used (attacker round 10, M10; S4)."""
    if not text.strip():
        return "an empty name (an unset shell variable?)"
    absolute = os.fsencode(os.path.abspath(text))
    for name in absolute.split(b"/"):
        if len(name) > NAME_MAX:
            shown = os.fsdecode(name)
            shown = shown if len(shown) <= 60 else f"{shown[:30]}…{shown[-24:]}"
            return f"a name of {len(name)} bytes ({shown}), more than a file system allows ({NAME_MAX})"
    if len(absolute) > PATH_MAX - ROOM:
        return (
            f"a path of {len(absolute)} bytes: with the names under it (source/decisions/…), more than "
            f"the system takes ({PATH_MAX - 1}); use one of at most {PATH_MAX - ROOM}"
        )
    try:
        os.stat(text)
    except OSError as error:
        if error.errno == errno.ELOOP:
            return f"{text}: a loop of links (it leads back to itself)"
    except ValueError:  # a NUL in the name
        return "a name with a NUL character"
    return None


def not_utf8(path: Path) -> str | None:
    """Why the builder cannot work in a folder whose name is not UTF-8 (a zip's or a USB stick's
    from another system), or None: the PDF addresses its images and fonts by URLs made of the
    folder's name, which must be UTF-8, and the build failed on them with an internal error
    (attacker round 10, S16)."""
    for name in Path(path).parts:
        try:
            name.encode("utf-8")
        except UnicodeEncodeError:
            shown = os.fsencode(name).decode("utf-8", "backslashreplace")
            whole = os.fsencode(path).decode("utf-8", "backslashreplace")
            return f"{whole}: the folder's name '{shown}' is not UTF-8 (made on another system?); rename it"
    return None
