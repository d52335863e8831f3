"""Reads YAML source files into nodes that remember their line; malformed YAML becomes a located problem."""

from __future__ import annotations

import functools
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..model import Origin
from .inputs import refusal
from .problems import Problems
from .textcheck import check_text, locator
from .yamlhints import QUOTED_VALUE, close, hint

INVALID = type("Invalid", (), {"__repr__": lambda self: "<invalid>"})()  # a value already reported as malformed
# The source nests five levels at most; a deeper file is a mistake, and building it must not recurse without end.
MAX_DEPTH = 40
# The pure-Python parser takes seconds for a megabyte: a larger file keeps libyaml's wording.
REPARSE_LIMIT = 300_000
ANCHORS = "malformed YAML: anchors and aliases (& and *) are not used in the source; write the value out"
PLAIN_TAGS = {"tag:yaml.org,2002:map", "tag:yaml.org,2002:seq", "tag:yaml.org,2002:str"}
# An unquoted number with a leading zero: YAML 1.1 reads 010 as octal (8), but 08 as the text "08"
# (attacker round 9, P7): the number printed and compared would not be the one written.
LEADING_ZERO = re.compile(r"[-+]?0[0-9_]+")
# A number as an editor writes one. YAML 1.1 also reads 1:0:0 (base 60) as 3600, 0x3 as 3, 0b11 as 3
# and 3_0 as 30 (attacker round 10, M6): such a plain value is kept as the text written, which a
# field of text takes as it is and a field of numbers refuses (fields.record).
PLAIN_NUMBER = re.compile(r"[-+]?(0|[1-9][0-9]*)(\.[0-9]+)?")


@dataclass(frozen=True)
class Node:
    """A YAML value with its origin: dict[str, Node], list[Node] or a plain scalar."""

    value: Any
    origin: Origin
    key_origins: dict[str, Origin] = field(default_factory=dict, compare=False)
    read_as: Any = field(default=None, compare=False)  # the number YAML 1.1 reads in a text such as 1:0:0

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


class _Refused(Exception):
    """A file read no further: its problem has been recorded."""


def read(path: Path, root: Path, problems: Problems) -> Node | None:
    """Parse one file; on malformed YAML record where and why, and return None."""
    name = relative_name(path, root)
    text = read_text(path, name, root, problems)
    return None if text is None else parse(text, name, problems)


def read_text(path: Path, name: str, root: Path, problems: Problems) -> str | None:
    """A source file's text, or None with its problem recorded: a link leaving the project is
    refused before it is opened (nothing outside the project is read), then UTF-8 and read errors."""
    refused = refusal(path, root)
    if refused is not None:
        problems.error(Origin(name, 1), "", refused)
        return None
    try:
        return path.read_bytes().decode("utf-8")
    except UnicodeDecodeError as error:
        line = error.object.count(b"\n", 0, error.start) + 1
        problems.error(Origin(name, line), "", f"not UTF-8 text ({error.reason} at byte {error.start})")
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
    return None


def parse(text: str, name: str, problems: Problems) -> Node | None:
    """The nodes of one YAML text named `name` in messages, or None when it is malformed or empty."""
    # Nodes are built from the parser's events without recursion, so that no nesting, however deep,
    # can exhaust the stack; the C parser (libyaml) is fast but words its errors differently, so a
    # malformed file is parsed again by the pure-Python parser for the messages we test.
    found: list = []
    try:
        root_node = _Builder(
            text, name, found, problems.reported, getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        ).build()
    except yaml.YAMLError as c_error:
        error = c_error
        if "exceeded maximum nesting depth" in str(getattr(error, "problem", "")):
            # libyaml stops at 1000 levels at once; the pure-Python parser would take minutes to get there
            mark = getattr(error, "problem_mark", None)
            line = mark.line + 1 if mark else 1
            problems.error(Origin(name, line), "", f"malformed YAML: values nested more than {MAX_DEPTH} levels deep")
            return None
        try:
            if len(text) <= REPARSE_LIMIT:
                _events(text)
        except yaml.YAMLError as python_error:
            error = python_error
        problems.error(*_malformed(name, error, text))
        return None
    except _Refused:
        root_node = None
    problems.items += found
    if root_node is None and not found:
        problems.error(Origin(name, 1), "", "the file is empty")
    return root_node


def _events(text: str) -> None:
    """Parses the text with the pure-Python parser, which builds nothing and does not recurse."""
    loader = yaml.SafeLoader(text)
    try:
        while loader.check_event():
            loader.get_event()
    finally:
        loader.dispose()


def relative_name(path: Path, root: Path) -> str:
    """A file's name in messages: its place in the project as the editor sees it (a link's own
    name, not where it leads), else where it leads inside the project, else the path as given."""
    absolute, base = Path(os.path.abspath(path)), Path(os.path.abspath(root))
    for candidate, folder in ((absolute, base), (absolute, _resolved(base))):
        if folder is not None and candidate.is_relative_to(folder):
            return candidate.relative_to(folder).as_posix()
    resolved, folder = _resolved(absolute), _resolved(base)
    if resolved is not None and folder is not None and resolved.is_relative_to(folder):
        return resolved.relative_to(folder).as_posix()
    return Path(path).as_posix()


def _resolved(path: Path) -> Path | None:
    try:
        return path.resolve()
    except (OSError, RuntimeError):  # a loop of links
        return None


def _malformed(name: str, error: yaml.YAMLError, text: str) -> tuple[Origin, str, str]:
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        return Origin(name, line), "", f"malformed YAML: a control character (U+{error.character:04X}) is not allowed"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(error, "problem", None) or "cannot be parsed"
    if "'\\t'" in problem:
        return Origin(name, line), "", "malformed YAML: a tab character; indent with spaces only"
    lines = text.split("\n")
    opened = _unclosed_quote(lines, line)
    if opened is not None:
        at, quote = opened
        return (
            Origin(name, at),
            "",
            f"malformed YAML: the text in quotes that begins on this line is not closed on it (a missing {quote} "
            f"at its end?); the parser only stopped at line {line}",
        )
    named = hint(error, lines, line)
    if named is not None:
        return Origin(name, named[0]), "", named[1]
    if "mapping values are not allowed" in problem and _colon_in_text(lines[line - 1] if line <= len(lines) else ""):
        return (
            Origin(name, line),
            "",
            'malformed YAML: a colon followed by a space inside a text not in quotes; put the text in quotes ("…")',
        )
    if "expected <block end>" in problem or "mapping values are not allowed" in problem:
        return (
            Origin(name, line),
            "",
            f"malformed YAML: the indentation of this line does not match the lines above it (parser: {problem})",
        )
    context = getattr(error, "context", None)
    detail = f"{context}, {problem}" if context else problem
    return Origin(name, line), "", f"malformed YAML: {detail}"


KEY_AND_VALUE = re.compile(r"""^\s*(?:-\s+)*[^\s"'#\-][^:#]*:\s+(?P<value>[^\s"'#\[{|>].*)$""")


def _unclosed_quote(lines: list[str], error_line: int) -> tuple[int, str] | None:
    """The line before the parser's complaint whose value opens a quote that is never properly
    closed: the parser reads on past it (a quoted text may run over lines) and complains later. A
    quoted text that runs over lines and closes at the end of one is no mistake."""
    number = 0
    last = min(max(error_line, 1), len(lines))
    while number < last:
        line = lines[number]
        number += 1
        match = QUOTED_VALUE.match(line)
        if not match or close(line[match.end() :], match.group(1)) is not None:
            continue
        opened, quote = number, match.group(1)
        while number < last:  # the lines it runs over
            end = close(lines[number], quote)
            number += 1
            if end is not None:
                after = lines[number - 1][end:]
                # a comment is set off by a space: `"#1f4e79"` after the quote is the quote meant
                # to open another text (a colour), not a comment
                if after.strip() and not re.match(r"\s+#", after):
                    return opened, quote  # closed by a quote meant to open another text
                break
        else:
            return opened, quote
    return None


def _colon_in_text(line: str) -> bool:
    """A plain (unquoted) value holding ': ' (or ending in ':'), which YAML reads as another key."""
    match = KEY_AND_VALUE.match(line)
    if not match:
        return False
    value = match.group("value").split(" #")[0].rstrip()
    return ": " in value or value.endswith(":")


class _Frame:
    """A mapping or list being built: its entries so far, and a mapping's key waiting for its value."""

    __slots__ = ("origin", "value", "key_origins", "key", "key_origin", "skip")

    def __init__(self, origin: Origin, value: dict | list) -> None:
        self.origin = origin
        self.value = value
        self.key_origins: dict[str, Origin] = {}
        self.key: Any = None  # None: the next node is a key
        self.key_origin: Origin | None = None
        self.skip = False  # the key was refused: drop its value


# after a plain value: white space, '#', then at once a word character ("#2"), which a comment as
# people write one ('# a note', '#: ...') does not begin with
COMMENT_WORD = re.compile(r"[ \t]+#\w")


class _Builder:
    """Turns the parser's events into Nodes, refusing what the source does not use (anchors, tags, deep nests)."""

    def __init__(self, text: str, name: str, found: list, reported: set, loader_class) -> None:
        self.text = text
        self.name = name
        self.problems = Problems(found, reported)
        self.locate = locator(text, name)
        self.loader = loader_class(text)
        self.lines: list[str] | None = None  # the text's lines, split when a plain value is first read
        self.anchor: Origin | None = None  # the first anchor (&name), reported if no alias is
        self.aliases = 0

    def build(self) -> Node | None:
        loader = self.loader
        try:
            loader.get_event()  # the start of the stream
            if loader.check_event(yaml.StreamEndEvent):
                return None
            loader.get_event()  # the start of the document
            root = self._document()
            if self.anchor and not self.aliases:  # aliases were reported where they are
                self.problems.error(self.anchor, "", ANCHORS)
            loader.get_event()  # the end of the document
            if not loader.check_event(yaml.StreamEndEvent):
                event = loader.get_event()
                raise yaml.composer.ComposerError(
                    "expected a single document in the stream", None, "but found another document", event.start_mark
                )
            return root
        finally:
            loader.dispose()

    def _origin(self, event) -> Origin:
        return Origin(self.name, event.start_mark.line + 1)

    def _document(self) -> Node | None:
        stack: list[_Frame] = []
        loader = self.loader
        while True:
            event = loader.get_event()
            if isinstance(event, (yaml.MappingEndEvent, yaml.SequenceEndEvent)):
                frame = stack.pop()
                node = Node(frame.value, frame.origin, frame.key_origins)
            elif isinstance(event, (yaml.MappingStartEvent, yaml.SequenceStartEvent)):
                origin = self._origin(event)
                self._tags_and_anchors(event, origin)
                if len(stack) >= MAX_DEPTH:
                    self.problems.error(origin, "", f"malformed YAML: values nested more than {MAX_DEPTH} levels deep")
                    raise _Refused
                stack.append(_Frame(origin, {} if isinstance(event, yaml.MappingStartEvent) else []))
                continue
            elif isinstance(event, yaml.AliasEvent):
                origin = self._origin(event)
                self.aliases += 1
                self.problems.error(origin, "", ANCHORS)
                node = Node(INVALID, origin)
            else:
                node = self._scalar(event, _key_of(stack))
            if not stack:
                return node
            self._attach(stack[-1], node)

    def _attach(self, frame: _Frame, node: Node) -> None:
        if node.value is _MERGE and not (isinstance(frame.value, dict) and frame.key_origin is None):
            node = Node("<<", node.origin)  # a merge key only merges in key position; elsewhere it is text
        if isinstance(frame.value, list):
            frame.value.append(node)
            return
        if frame.key_origin is None:  # node is a key
            frame.key_origin = node.origin
            frame.skip = False
            if node.value is _MERGE:
                self.problems.error(
                    node.origin, "", "malformed YAML: merge keys (<<) are not used in the source; write the keys out"
                )
                frame.skip = True
            elif isinstance(node.value, (dict, list)):
                self.problems.error(node.origin, "", "malformed YAML: a key must be a plain text")
                frame.skip = True
            elif node.value is INVALID:
                frame.skip = True
            else:
                frame.key = str(node.value)
                if frame.key in frame.value:
                    first = frame.key_origins[frame.key].line
                    self.problems.error(
                        node.origin, "", f"key '{frame.key}' appears twice in one mapping (first at line {first})"
                    )
                    frame.skip = True
            return
        if not frame.skip:
            frame.value[frame.key] = node
            frame.key_origins[frame.key] = frame.key_origin
        frame.key_origin = None

    def _tags_and_anchors(self, event, origin: Origin) -> bool:
        """False when the event carries a tag the source does not use (reported)."""
        if event.anchor is not None and self.anchor is None:
            self.anchor = origin
        if event.tag is not None and event.tag != "!" and event.tag not in PLAIN_TAGS:
            self.problems.error(
                origin,
                "",
                f"malformed YAML: the tag '{event.tag.replace('tag:yaml.org,2002:', '!!')}' is not used in the source; "
                "write the value without it (in quotes, if it must be read as text)",
            )
            return False
        return True

    def _scalar(self, event: yaml.ScalarEvent, key: str | None = None) -> Node:
        origin = self._origin(event)
        if not self._tags_and_anchors(event, origin):
            return Node(INVALID, origin)
        if not event.style and event.tag is None and LEADING_ZERO.fullmatch(event.value):
            self.problems.error(origin, "", _leading_zero(event.value, key))
            return Node(INVALID, origin)
        tag = event.tag
        if tag is None or tag == "!":
            tag = self.loader.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag == "tag:yaml.org,2002:merge":
            return Node(_MERGE, origin)
        if tag == "tag:yaml.org,2002:str":
            value = event.value
        else:
            marks = event.start_mark, event.end_mark  # the C parser's Mark, which the stubs do not accept
            node = yaml.ScalarNode(tag, event.value, *marks, event.style)  # type: ignore[arg-type]
            try:
                value = self.loader.construct_object(node, deep=True)
            except Exception as error:  # noqa: BLE001 - a constructor may raise anything on a strange value
                reason = getattr(error, "problem", None) or str(error).splitlines()[0]
                self.problems.error(
                    origin, "", f"malformed YAML: cannot read the value '{event.value[:60]}' ({reason})"
                )
                return Node(INVALID, origin)
            self.loader.constructed_objects.clear()
        read_as = None
        if _unusual_number(value, event):
            value, read_as = event.value, value
        if isinstance(value, str):
            check_text(value, functools.partial(self.locate, event), self.problems)
        if (
            not event.style and event.value
        ):  # an empty value before '#' (an unquoted colour) is reported where it is read
            self._comment_after(event)
        return Node(value, origin, read_as=read_as)

    def _comment_after(self, event) -> None:
        """A plain value followed on its line by ' #' and a word ("structures #2 and #3"): YAML reads
        the rest of the line as a comment, and the text would be printed cut short without a word
        (attacker, round 8). A comment as people write one ('# note') is left alone."""
        end = event.end_mark
        if self.lines is None:
            self.lines = self.text.split("\n")
        rest = self.lines[end.line][end.column :] if end.line < len(self.lines) else ""
        if COMMENT_WORD.match(rest):
            self.problems.warning(
                Origin(self.name, end.line + 1),
                "",
                f"'{rest.strip()[:40]}' after the text starts a YAML comment (a space, then #) and is not read: "
                "put the whole text in quotes if it belongs to it",
            )


def _unusual_number(value: Any, event) -> bool:
    """A plain value YAML 1.1 reads as a number though it is not written in decimal digits."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return False
    return not event.style and not PLAIN_NUMBER.fullmatch(event.value)


def _key_of(stack: list[_Frame]) -> str | None:
    """The key whose value is read next, when it is a mapping's value (for a message)."""
    if stack and isinstance(stack[-1].value, dict) and stack[-1].key_origin is not None:
        return stack[-1].key
    return None


def _leading_zero(written: str, key: str | None) -> str:
    """Why a number written with a leading zero is refused, and the two ways to write it."""
    digits = written.replace("_", "")
    sign = digits[0] if digits[0] in "+-" else ""
    meant = sign + (digits.lstrip("+-").lstrip("0") or "0")
    read = yaml.safe_load(written)
    how = f"as octal ({read}) by YAML" if isinstance(read, int) else "as text by YAML, not as a number"
    where = f"{key}: {written}" if key is not None else written
    return (
        f"{where}: a number with a leading zero is read {how}; "
        f'write {meant}, or "{written}" in quotes if it is meant as text'
    )


_MERGE = type("Merge", (), {"__repr__": lambda self: "<<"})()  # the merge key (<<), refused where it is a key
