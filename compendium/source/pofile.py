"""A PO file read strictly, line by line, before Babel reads it: Babel tolerates what gettext's
`msgfmt -c` refuses (a string without its closing quote, which it reads with a letter lost; a line
that is neither a keyword nor a string), so the import first checks the file's syntax here and
refuses it with the line and what was expected, and keeps where each message stands."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Origin
from .problems import Problems

KEYWORD = re.compile(r"(?P<keyword>msgctxt|msgid_plural|msgid|msgstr(\[(?P<index>\d+)\])?)(?=[\s\"]|\Z)\s*")
ESCAPES = {"\\": "\\", '"': '"', "n": "\n", "t": "\t", "r": "\r", "a": "\a", "b": "\b", "f": "\f", "v": "\v"}
ESCAPES |= {"'": "'", "?": "?"}
OCTAL = re.compile(r"[0-7]{1,3}")
HEX = re.compile(r"x([0-9A-Fa-f]{1,2})")


@dataclass(frozen=True)
class Message:
    """One message as the file writes it: its context, id and translation, its flags, and the lines
    its entry starts on and its msgstr stands on."""

    context: str | None
    id: str
    string: str
    flags: frozenset[str]
    line: int  # the entry's first keyword (msgctxt, or msgid)
    string_line: int  # its msgstr (the first, for a plural)


class _Entry:
    """The message being read: its parts so far (keyword -> text), and where each begins."""

    def __init__(self, flags: frozenset[str]) -> None:
        self.parts: dict[str, str] = {}
        self.lines: dict[str, int] = {}
        self.flags = flags
        self.last: str | None = None


def read_strict(text: str, name: str, problems: Problems) -> list[Message]:
    """The messages of a PO file's text; each syntax error goes to `problems` at its line (the
    messages are then incomplete: the caller writes nothing when there is an error)."""
    reader = _Reader(name, problems)
    lines = text.split("\n")
    for number, raw in enumerate(lines, 1):
        reader.line(number, raw.rstrip("\r").strip())
    reader.close(len(lines))
    return reader.messages


class _Reader:
    """Reads a PO file line by line: comments and flags, keywords, continued strings. After an
    error in a message its other lines are skipped up to the next blank line: one error a message."""

    def __init__(self, name: str, problems: Problems) -> None:
        self.name, self.problems = name, problems
        self.messages: list[Message] = []
        self.entry: _Entry | None = None
        self.flags: set[str] = set()
        self.broken = False

    def error(self, number: int, message: str) -> None:
        self.problems.error(Origin(self.name, number), "", message)
        self.entry, self.broken = None, True

    def line(self, number: int, stripped: str) -> None:
        if not stripped:
            self.close(number)
            self.broken = False
        elif self.broken and not stripped.startswith("#"):
            return
        elif stripped.startswith("#"):
            self.broken = False
            self.comment(number, stripped)
        elif keyword := KEYWORD.match(stripped):
            self.broken = False
            self.keyword(number, keyword["keyword"], stripped[keyword.end() :])
        elif stripped.startswith('"'):
            self.continuation(number, stripped)
        else:
            self.error(
                number, f"expected msgctxt, msgid, msgstr, a quoted string or a # comment, found {_shown(stripped)}"
            )

    def comment(self, number: int, stripped: str) -> None:
        entry = self.entry
        if entry is not None and entry.last is not None and not entry.last.startswith("msgstr"):
            self.error(number, f"a comment inside a message: its {entry.last} is not yet followed by msgstr")
            return
        self.close(number)
        if stripped.startswith("#,"):
            self.flags |= {flag.strip() for flag in stripped[2:].split(",") if flag.strip()}

    def keyword(self, number: int, word: str, rest: str) -> None:
        if self.entry is not None and word in ("msgctxt", "msgid") and _answered(self.entry):
            self.close(number)
        if self.entry is None:
            self.entry, self.flags = _Entry(frozenset(self.flags)), set()
        entry = self.entry
        expected = _expected(entry, word)
        if expected:
            self.error(number, expected)
            return
        value = _string(rest, self.name, number, self.problems)
        if value is None:
            self.entry, self.broken = None, True
            return
        entry.parts[word], entry.lines[word], entry.last = value, number, word

    def continuation(self, number: int, stripped: str) -> None:
        value = _string(stripped, self.name, number, self.problems)
        if value is None:
            self.entry, self.broken = None, True
        elif self.entry is None or self.entry.last is None:
            self.error(number, "a string that continues no msgid or msgstr")
        else:
            self.entry.parts[self.entry.last] += value

    def close(self, line: int) -> None:
        """Ends the message being read: kept when it is whole, an error when a part is missing."""
        entry, self.entry = self.entry, None
        if entry is None:
            return
        if "msgid" not in entry.parts:
            self.problems.error(
                Origin(self.name, min(entry.lines.values())),
                "",
                "expected 'msgid' before 'msgstr' (every message begins with one)",
            )
        elif not _answered(entry):
            self.problems.error(
                Origin(self.name, entry.lines["msgid"]),
                "",
                f"the message ends at line {line} without 'msgstr' (write msgstr \"\" for an untranslated one)",
            )
        else:
            self.keep(entry)

    def keep(self, entry: _Entry) -> None:
        plural = "msgid_plural" in entry.parts
        strings = sorted(key for key in entry.parts if key.startswith("msgstr"))
        if plural and "msgstr" in strings or not plural and strings != ["msgstr"]:
            self.problems.error(
                Origin(self.name, entry.lines[strings[0]]),
                "",
                "msgstr[N] belongs to a message with msgid_plural, plain msgstr to one without",
            )
            return
        key = "msgstr" if "msgstr" in entry.parts else strings[0]
        self.messages.append(
            Message(
                entry.parts.get("msgctxt"),
                entry.parts["msgid"],
                entry.parts[key],
                entry.flags,
                min(entry.lines.values()),
                entry.lines[key],
            )
        )


def _answered(entry: _Entry) -> bool:
    return any(key.startswith("msgstr") for key in entry.parts)


def _expected(entry: _Entry, word: str) -> str:
    """What is wrong with `word` coming next in the entry ('' when it may)."""
    if word in entry.parts:
        return f"a second '{word}' in one message (each message has one, after a blank line)"
    order = ["msgctxt", "msgid", "msgid_plural"]
    later = (
        [key for key in entry.parts if key.startswith("msgstr") or key in order[order.index(word) + 1 :]]
        if (word in order)
        else []
    )
    if later:
        return f"'{word}' after the message's {later[0]}: the order is msgctxt, msgid, msgstr"
    if word.startswith("msgstr") and "msgid" not in entry.parts:
        return f"'{word}' without a msgid before it"
    return ""


def _string(text: str, name: str, number: int, problems: Problems) -> str | None:
    """The value of one quoted string that is the whole rest of a line ("…", C escapes), or None
    with the problem reported."""
    if not text.startswith('"'):
        problems.error(Origin(name, number), "", f"expected a string in double quotes, found {_shown(text)}")
        return None
    out: list[str] = []
    position = 1
    while position < len(text):
        char = text[position]
        if char == '"':
            rest = text[position + 1 :].strip()
            if rest:
                problems.error(
                    Origin(name, number),
                    "",
                    f"text after the string's closing quote: {_shown(rest)} (a quote inside a string is written \\\")",
                )
                return None
            return "".join(out)
        if char == "\\":
            following = text[position + 1 : position + 2]
            if following in ESCAPES:
                out.append(ESCAPES[following])
                position += 2
                continue
            octal, hexa = OCTAL.match(text, position + 1), HEX.match(text, position + 1)
            if octal or hexa:
                match = octal or hexa
                assert match is not None
                out.append(chr(int(match.group(0), 8) if octal else int(match.group(1), 16)))
                position = match.end()
                continue
            problems.error(
                Origin(name, number),
                "",
                f"invalid escape '\\{following}' in a string (a backslash is written \\\\)",
            )
            return None
        out.append(char)
        position += 1
    problems.error(
        Origin(name, number),
        "",
        "end of line within a string: the closing '\"' is missing (each line's string ends with a quote)",
    )
    return None


def _shown(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[:width] + "…")
