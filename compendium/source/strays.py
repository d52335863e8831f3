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
