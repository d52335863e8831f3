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
    messages: list[Message] = []
    entry: _Entry | None = None
    flags: set[str] = set()

    def close(line: int) -> None:
        nonlocal entry
        if entry is None:
            return
        if "msgid" not in entry.parts:
            first = min(entry.lines.values())
            problems.error(Origin(name, first), "", "expected 'msgid' before 'msgstr' (every message begins with one)")
        elif not any(k.startswith("msgstr") for k in entry.parts):
            problems.error(
                Origin(name, entry.lines["msgid"]),
                "",
                f"the message ends at line {line} without 'msgstr' (write msgstr \"\" for an untranslated one)",
            )
        else:
            plural = "msgid_plural" in entry.parts
            strings = sorted(k for k in entry.parts if k.startswith("msgstr"))
            if plural and "msgstr" in strings or not plural and strings != ["msgstr"]:
                problems.error(
                    Origin(name, entry.lines[strings[0]]),
                    "",
                    "msgstr[N] belongs to a message with msgid_plural, plain msgstr to one without",
                )
            else:
                key = "msgstr" if "msgstr" in entry.parts else strings[0]
                messages.append(
                    Message(
                        entry.parts.get("msgctxt"),
                        entry.parts["msgid"],
                        entry.parts[key],
                        entry.flags,
                        min(entry.lines.values()),
                        entry.lines[key],
                    )
                )
        entry = None

    lines = text.split("\n")
    for number, raw in enumerate(lines, 1):
        line = raw.rstrip("\r")
        stripped = line.strip()
        if not stripped:
            close(number)
            continue
        if stripped.startswith("#"):
            if entry is not None and entry.last is not None and not entry.last.startswith("msgstr"):
                problems.error(
                    Origin(name, number),
                    "",
                    f"a comment inside a message: its {entry.last} is not yet followed by msgstr",
                )
                entry = None
                continue
            close(number)
            if stripped.startswith("#,"):
                flags |= {flag.strip() for flag in stripped[2:].split(",") if flag.strip()}
            continue
        keyword = KEYWORD.match(stripped)
        if keyword:
            word = keyword["keyword"]
            if entry is not None and word in ("msgctxt", "msgid") and _answered(entry):
                close(number)
            if entry is None:
                entry = _Entry(frozenset(flags))
                flags = set()
            expected = _expected(entry, word)
            if expected:
                problems.error(Origin(name, number), "", expected)
                entry = None
                continue
            value = _string(stripped[keyword.end() :], name, number, problems)
            if value is None:
                entry = None
                continue
            entry.parts[word], entry.lines[word], entry.last = value, number, word
            continue
        if stripped.startswith('"'):
            value = _string(stripped, name, number, problems)
            if value is None:
                entry = None
                continue
            if entry is None or entry.last is None:
                problems.error(Origin(name, number), "", "a string that continues no msgid or msgstr")
                continue
            entry.parts[entry.last] += value
            continue
        problems.error(
            Origin(name, number),
            "",
            f"expected msgctxt, msgid, msgstr, a quoted string or a # comment, found {_shown(stripped)}",
        )
        entry = None
    close(len(lines))
    return messages


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
