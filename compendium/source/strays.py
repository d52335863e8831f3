"""Files beside the source's that the builder does not read, named so that none is lost unseen."""

from __future__ import annotations

import difflib
import os
import re
from pathlib import Path

from ..model import Origin
from .problems import Problems
from .yamlsource import relative_name

# What source/ may hold besides its YAML files: a misspelt name of one of them is said
KNOWN = ("editions.yaml", "kinds.yaml", "decisions", "kinds")


def _names(folder: Path) -> list[str]:
    """The folder's entries, hidden ones left out (.DS_Store, an editor's swap files)."""
    try:
        return sorted(name for name in os.listdir(folder) if not name.startswith("."))
    except OSError:  # no folder, or one the loader reports
        return []


def stray_decisions(folder: Path, root: Path, problems: Problems) -> None:
    """A warning for each entry of decisions/ that is not read: a file whose name does not end in
    .yaml (x.yml, x.YAML, x.yaml.txt) and a folder (decisions/2024/): a decision saved so would
    otherwise be left out of the annex without a word."""
    for name in _names(folder):
        path = folder / name
        if path.is_dir():
            why = (
                f"not read: decision files are read from {relative_name(folder, root)}/ itself, not from a folder in it"
            )
        elif not name.endswith(".yaml"):
            why = "not read: decision files end in .yaml"
        else:
            continue
        problems.warning(Origin(relative_name(path, root), 1), "", why)


def stray_sources(source: Path, root: Path, known: tuple[str, ...], problems: Problems) -> None:
    """A warning for a file of source/ whose name is a misspelling of one the builder reads
    (keywords.yml, provisons.yaml): its content would be missed. Other files (notes, a README)
    are the editor's own."""
    expected = (*known, *KNOWN)
    for name in _names(source):
        if name in expected:
            continue
        stem = name.split(".")[0].casefold()
        same = [known_name for known_name in expected if known_name.split(".")[0] == stem]
        close = same or difflib.get_close_matches(name, expected, n=1, cutoff=0.85)
        if close:
            problems.warning(
                Origin(relative_name(source / name, root), 1), "", f"not read: the builder reads {close[0]}"
            )


# A typographic rule table is read as typography/<language>.yaml, the code in lower case.
RULE_TABLE = re.compile(r"[a-z]{2,3}\.yaml")


def stray_typography(folder: Path, root: Path, problems: Problems) -> None:
    """A warning for each file of typography/ saved as a rule table under a name the builder does
    not read (en.yml, EN.yaml): its rules were left out without a word. Other files (a README)
    are the editor's own."""
    for name in _names(folder):
        stem, _, ending = name.partition(".")
        if RULE_TABLE.fullmatch(name) or not ending.lower().startswith(("yaml", "yml")):
            continue
        problems.warning(
            Origin(relative_name(folder / name, root), 1),
            "",
            f"not read: the builder reads a language's typographic rules from typography/<language>.yaml, "
            f"the code in lower case ({stem.lower()}.yaml)",
        )


# The project's folders beside source/, each with what it holds: one saved inside source/ is never read.
BESIDE_SOURCE = {
    "layouts": "layouts",
    "styles": "stylesheets",
    "fonts": "fonts",
    "images": "images",
    "locale": "interface catalogues",
    "typography": "typographic rules",
    "translations": "translations",
}


def stray_folders(source: Path, root: Path, problems: Problems) -> None:
    """A warning for a project folder saved inside source/ (source/translations/, source/layouts/):
    the builder looks for it beside source/, so the editor's files there change nothing."""
    for name in _names(source):
        holds = BESIDE_SOURCE.get(name.casefold())
        inside = _names(source / name) if holds is not None and (source / name).is_dir() else []
        if not inside:
            continue
        shown = ", ".join(inside[:3]) + (", …" if len(inside) > 3 else "")
        problems.warning(
            Origin(relative_name(source / name, root), 1),
            "",
            f"not read: {holds} belong in {name.casefold()}/ beside {source.name}/, not inside it (move {shown} there)",
        )


def stray_cases(root: Path, problems: Problems) -> None:
    """A warning for a project folder or a file of its layouts/ or styles/ whose name differs only
    in case from the one the builder reads (Styles/, styles/Screen.css, layouts/_Cover.html): on a
    case-sensitive disk it replaces nothing, and the editor's change is lost without a word."""
    from .assets import BUILDER

    _case_slips(root, root, BESIDE_SOURCE, problems, included=False)
    _locale_slips(root / "locale", root, problems)
    for folder in ("layouts", "styles"):
        if (root / folder).is_dir() and (root / folder).resolve() != (BUILDER / folder).resolve():
            _case_slips(root / folder, root, _names(BUILDER / folder), problems)


def _case_slips(folder: Path, root: Path, expected, problems: Problems, included: bool = True) -> None:
    """A warning for each entry of `folder` named as one of `expected` but in another case, unless
    the disk reads it under the expected name (a case-insensitive disk) or a file of the project
    names it as written (a layout's include of its own _Cover.html)."""
    wanted = {name.casefold(): name for name in expected}
    for name in _names(folder):
        meant = wanted.get(name.casefold())
        if meant is None or meant == name or _same(folder / name, folder / meant):
            continue
        if included and _named_in(root, name):
            continue
        shown = relative_name(folder / meant, root) + ("/" if (folder / name).is_dir() else "")
        problems.warning(Origin(relative_name(folder / name, root), 1), "", f"not read: did you mean {shown}?")


# A language's interface catalogue, as the builder reads it: locale/<code>/LC_MESSAGES/messages.po,
# the code as editions.yaml gives it (two or three letters, lower case).
CATALOGUE = ("LC_MESSAGES", "messages.po")


def _locale_slips(folder: Path, root: Path, problems: Problems) -> None:
    """A warning for a catalogue saved where the builder does not look for it because of a name's
    case (locale/RU/, locale/ru/lc_messages/, Messages.po): the edition would go on with the
    builder's own interface texts, and the project's translations of them would be lost unseen."""
    for name in _names(folder):
        if not (folder / name).is_dir() or not RULE_TABLE.fullmatch(f"{name.lower()}.yaml"):
            continue
        written = folder / name
        meant = folder / name.lower()
        for part in CATALOGUE:
            found = next((entry for entry in _names(written) if entry.casefold() == part.casefold()), None)
            if found is None:
                break
            written, meant = written / found, meant / part
        else:
            if written.is_file() and not _same(written, meant):
                problems.warning(
                    Origin(relative_name(written, root), 1), "", f"not read: did you mean {relative_name(meant, root)}?"
                )


def _same(path: Path, other: Path) -> bool:
    try:
        return os.path.samefile(path, other)
    except OSError:  # the name the builder reads is not there
        return False


def _named_in(root: Path, name: str) -> bool:
    """Whether a project layout or stylesheet refers to the file by the name it has."""
    for folder in ("layouts", "styles"):
        for path in (root / folder).glob("*") if (root / folder).is_dir() else ():
            try:
                if path.is_file() and name in path.read_text(encoding="utf-8", errors="replace"):
                    return True
            except OSError:
                continue  # reported where the file is read
    return False
