"""Keeps a translator's own comments in a translation file the `translation` command rewrites."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import yaml

# The comments the builder writes itself above an entry, whatever their English: written anew.
OWN_PREFIXES = ("# en: ", "# translated from: ", "# STALE", "# NOT REVIEWED")
# what follows a value (or a key) on its line when a comment ends it: `hash: "…"  # asked the editor`
TRAILING = re.compile(r"\s*:?\s+(#.*)$")


@dataclass
class _Notes:
    """A file's comments by entry: above its key, inside it, and after the last entry."""

    above: dict[str, list[str]] = field(default_factory=dict)
    inside: dict[str, list[str]] = field(default_factory=dict)
    end: list[str] = field(default_factory=list)


def keep_notes(written: str, before: str) -> str:
    """The file `written` with every comment of the file `before` that the builder did not write
    put back with its entry: a comment above an entry's id above it, one inside an entry (or at the
    end of one of its lines) inside it. Comments are a translator's only notes (a query to the
    legal team), and rewriting the file dropped them without a word (attacker round 10, M8)."""
    own = {line.strip() for line in written.split("\n") if line.strip().startswith("#")}
    notes = _notes(_plain(before), own)
    if not (notes.above or notes.inside or notes.end):
        return written
    lines = written.split("\n")
    keys = {line: key for key, line in _keys(written).items()}
    out: list[str] = []
    for number, line in enumerate(lines):
        key = keys.get(number)
        out += notes.above.pop(key, []) if key is not None else []
        out.append(line)
        out += [f"  {note}" for note in notes.inside.pop(key, [])] if key is not None else []
    # the notes of entries the file no longer has (an empty entry whose id left the source)
    left = [note for notes_of in (*notes.above.values(), *notes.inside.values()) for note in notes_of]
    tail = left + notes.end
    if tail:
        while out and out[-1] == "":
            out.pop()
        out += ["", *tail, ""]
    return "\n".join(out)


def _plain(text: str) -> str:
    """The text as the parser's marks count its lines: no byte order mark, line feeds only."""
    return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")


def _notes(text: str, own: set[str]) -> _Notes:
    lines = text.split("\n")
    keys = _keys(text)
    starts = sorted((line, key) for key, line in keys.items())
    content = _scalar_lines(text)
    notes = _Notes()
    for number, line in enumerate(lines):
        comment = line.strip()
        if number in content:
            trailing = TRAILING.match(content[number])
            comment = trailing.group(1) if trailing else ""
        if not comment.startswith("#") or comment in own or comment.startswith(OWN_PREFIXES):
            continue
        above = [key for start, key in starts if start <= number]
        below = [key for start, key in starts if start > number]
        if (line[:1].isspace() or number in content) and above:
            notes.inside.setdefault(above[-1], []).append(comment)
        elif below:
            notes.above.setdefault(below[0], []).append(comment)
        else:
            notes.end.append(comment)
    return notes


def _events(text: str) -> list:
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)(text)
    events = []
    try:
        while loader.check_event():
            events.append(loader.get_event())
        return events
    except yaml.YAMLError:
        return []  # read_translations has refused such a file before it is rewritten
    finally:
        loader.dispose()


def _keys(text: str) -> dict[str, int]:
    """The line (from 0) of each entry's id: a key of the file's top mapping."""
    found: dict[str, int] = {}
    depth, expect_key = 0, True
    for event in _events(text):
        if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
            depth -= 1
            continue
        if depth == 1 and isinstance(event, (yaml.ScalarEvent, yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            if expect_key and isinstance(event, yaml.ScalarEvent):
                found.setdefault(event.value, event.start_mark.line if event.start_mark else 0)
            expect_key = not expect_key
        if isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
            depth += 1
    return found


def _scalar_lines(text: str) -> dict[int, str]:
    """The lines a value or key covers, each with what follows it on its last line (where a
    comment may end the line): a line of a text over lines that starts with '#' is no comment."""
    lines = text.split("\n")
    covered: dict[int, str] = {}
    for event in _events(text):
        if not isinstance(event, yaml.ScalarEvent):
            continue
        start, end = event.start_mark, event.end_mark
        if start is None or end is None:
            continue  # (PyYAML always marks an event it parsed)
        last = end.line if end.column > 0 else end.line - 1
        for number in range(start.line, last + 1):
            covered.setdefault(number, "")
        if end.column > 0 and end.line < len(lines):
            covered[end.line] = lines[end.line][end.column :]
    return covered
