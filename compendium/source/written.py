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
    longest = _letters(max(pieces, key=lambda p: len(_letters(p)), default=""))
    if len(longest) < SHORTEST:
        return None
    return _first_line(longest, _written(project), project)


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
