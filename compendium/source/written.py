"""Where the project writes a word the pages cannot break: the source line an overflow comes from."""

from __future__ import annotations

import re
from pathlib import Path

from .assets import BUILDER

# Spaces a line may break at; a no-break space or a word joiner keeps the words around it as one
# (a keep_together phrase, a keyword label set with "On").
BREAKING = re.compile(r"[ \t\n\r]+")
JOINED = re.compile(r"[\u00a0\u202f\u2060\u2011]+")
NOT_LETTERS = re.compile(r"[\W_]+")
# Fewer letters than this name no one line of the source.
SHORTEST = 3


def _letters(text: str) -> str:
    return NOT_LETTERS.sub("", text.casefold())


def where_written(text: str, project) -> str | None:
    """ "source/keywords.yaml:5" for the line that writes the widest unbreakable word of `text`: for
    words the typography joins (a keep_together phrase), the typographic rule's line; else the line
    of the source or translations holding its longest word; None when no line does."""
    word = max(BREAKING.split(text), key=len, default="")
    pieces = [p for p in JOINED.split(word) if _letters(p)]
    if len(pieces) > 1:
        found = _first_line(_letters(word), _typography(project), project)
        if found:
            return found
        joined = _joined_heading(word, pieces, project)
        if joined:
            return joined
    longest = _letters(max(pieces, key=lambda p: len(_letters(p)), default=""))
    if len(longest) < SHORTEST:
        return None
    return _first_line(longest, _written(project), project)


# The rules that join a word to the next with a no-break space (render/typography.py).
JOINING = re.compile(r"^\s*(heading_no_break_after|no_break_after)\s*:")


def _joined_heading(word: str, pieces: list[str], project) -> str | None:
    """For words the typography's no-break rules joined into one that cannot break (a heading every
    word of which is in heading_no_break_after): the line that writes the text, then the rule's
    file and line as the cause (they were blamed on a line holding its longest word as a key:
    "organization:", attacker round 11, S2); None when the text's line is not found."""
    written = _first_line(_letters(word), _written(project), project)
    if written is None:
        return None
    rule = _joining_rule(pieces[0].strip(",.;:"), project)
    if rule is None:
        return written
    return f"{written}: {rule} joins every word of it: take a word of this text out of that list"


def _joining_rule(first: str, project) -> str | None:
    """ "heading_no_break_after (typography/en.yaml:23)": the first no-break rule of the typography
    tables naming `first` on its line, else the first such rule; None when there is none."""
    named = re.compile(rf"(?<!\w){re.escape(first)}(?!\w)", re.IGNORECASE)
    for path in _typography(project):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        keyed = [(n, found[1]) for n, line in enumerate(lines, 1) if (found := JOINING.match(line))]
        for number, key in [k for k in keyed if named.search(lines[k[0] - 1])] or keyed:
            return f"{key} ({_relative(path, project)}:{number})"
    return None


def _written(project) -> list[Path]:
    """The source's YAML files, then the translations'."""
    files = sorted(project.source.rglob("*.yaml"))
    translations = project.root / "translations"
    return files + (sorted(translations.glob("*.yaml")) if translations.is_dir() else [])


def _typography(project) -> list[Path]:
    """The project's own typographic rules, then the builder's."""
    folders = [project.root / "typography", BUILDER / "typography"]
    return [path for folder in folders if folder.is_dir() for path in sorted(folder.glob("*.yaml"))]


def _first_line(letters: str, files: list[Path], project) -> str | None:
    for path in files:
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if letters in _letters(line):
                return f"{_relative(path, project)}:{number}"
    return None


def _relative(path: Path, project) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return f"{path.parent.name}/{path.name}"  # the builder's own typography/en.yaml
