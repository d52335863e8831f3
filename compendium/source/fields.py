"""Reads one source record (a YAML mapping) against the fields it may have, reporting every mismatch."""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .problems import Problems, suggest
from .textcheck import printable
from .yamlsource import INVALID, Node


@dataclass(frozen=True)
class ValueType:
    """What a field holds: how it is described to an editor and how a value is accepted."""

    expects: str
    accept: Callable[[Any], Any]  # returns the value to keep, or raises ValueError


def _text(value: Any) -> str:
    if isinstance(value, str) and printable(value):
        return re.sub(r"[ \t\r\n]+", " ", value).strip()  # not str.split(): no-break spaces are meant
    raise ValueError


def _label(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    return _text(value)


def _whole(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    raise ValueError


def _date(value: Any) -> datetime.date:
    if isinstance(value, datetime.date) and not isinstance(value, datetime.datetime):
        return value
    if isinstance(value, str) and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value.strip()):
        return datetime.date.fromisoformat(value.strip())
    raise ValueError


def _texts(value: Any) -> tuple[str, ...]:
    if isinstance(value, list) and value:
        return tuple(_text(item.value) for item in value)
    raise ValueError


def _nodes(value: Any) -> list[Node]:
    if isinstance(value, list):
        return value
    raise ValueError


def _mapping(value: Any) -> dict[str, Node]:
    if isinstance(value, dict):
        return value
    raise ValueError


# A footnote mark in a text ("[^guide]"): read by introduction.py, refused elsewhere (structure.py).
# No bracket inside a mark: a search from each '[^' then stops at the next bracket, so that a text full of
# '[^' is scanned in linear time (with any character allowed, 80 kB of '[^' took 12 s).
FOOTNOTE_MARK = re.compile(r"\[\^([^\]\[]*)\]")

TEXT = ValueType("text", _text)
LABEL = ValueType("a short text or number", _label)
WHOLE = ValueType("a whole number", _whole)
DATE = ValueType("a date written YYYY-MM-DD", _date)
TEXTS = ValueType("a list of texts", _texts)
LIST = ValueType("a list", _nodes)


def _flag(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise ValueError


FLAG = ValueType("true or false", _flag)
MAPPING = ValueType("a mapping of keys and values", _mapping)


def _bad_text(entries: list) -> tuple | None:
    """Where a list of texts goes wrong: its first item that is no text."""
    for position, entry in enumerate(entries, 1):
        if not (isinstance(entry.value, str) and printable(entry.value)) and entry.value is not INVALID:
            return entry.origin, f"item {position}: expected text, found {describe(entry.value)}"
    return None


def describe(value: Any) -> str:
    """How a found value is named in a message."""
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        # YAML 1.1 reads an unquoted yes, no, on, off, true or false as true or false
        return f"'{str(value).lower()}' (an unquoted yes, no, on, off, true or false: put a text in quotes)"
    if isinstance(value, (int, float)):
        return f"the number {value}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list" if value else "an empty list"
    if isinstance(value, datetime.date):
        return f"the date {value.isoformat()}"
    text = str(value)
    if not printable(text):  # white space, or characters that print nothing (a soft hyphen alone)
        return "an empty text"
    return f"'{text[:60]}…'" if len(text) > 60 else f"'{text}'"


def record(
    node: Node,
    context: str,
    problems: Problems,
    required: dict[str, ValueType],
    optional: dict[str, ValueType] | None = None,
) -> dict[str, Any] | None:
    """The accepted values of a mapping node, keyed by field; None when the node is not a mapping.

    A missing, unknown or mistyped field is reported and left out, so callers see only good values.
    """
    optional = optional or {}
    if not node.is_mapping:
        if node.value is not INVALID:
            problems.error(node.origin, context, f"expected {MAPPING.expects}, found {describe(node.value)}")
        return None
    known = {**required, **optional}
    values: dict[str, Any] = {}
    for key, child in node.value.items():
        origin = node.key_origins[key]
        if key not in known:
            problems.error(origin, context, f"unknown key '{key}'{suggest(key, known)}")
            continue
        kind = known[key]
        if child.value is INVALID:
            continue  # reported where it was read
        if kind is TEXTS and isinstance(child.value, list):
            bad = _bad_text(child.value)
            if bad:
                problems.error(bad[0], context, f"key '{key}': {bad[1]}")
                continue
        try:
            values[key] = kind.accept(child.value)
        except (ValueError, TypeError):
            hint = read_as(child) or quoted(kind, child)
            problems.error(
                child.origin, context, f"key '{key}': expected {kind.expects}, found {describe(child.value)}{hint}"
            )
    for key in required:
        if key not in node.value:
            problems.error(node.origin, context, f"missing required key '{key}'")
    return values


def quoted(kind: ValueType, node: Node) -> str:
    """For a whole number where a text is expected (forthcoming: 2019, a year): how to write it as
    text, as other keys say (attacker round 11, N3)."""
    if kind is TEXT and isinstance(node.value, int) and not isinstance(node.value, bool):
        return f': write "{node.value}" in quotes'
    return ""


def read_as(node: Node) -> str:
    """Why a text such as 1:0:0 is not taken as a number: YAML 1.1 would read it as another one."""
    if node.read_as is None:
        return ""
    written = node.value
    form = (
        "base 60"
        if ":" in written
        else "hexadecimal"
        if "0x" in written.lower()
        else "binary"
        if "0b" in written.lower()
        else "digits grouped with _"
        if "_" in written
        else "another form of number"
    )
    return (
        f", which YAML 1.1 reads as {node.read_as} ({form}); write the number in plain decimal digits, "
        f'or "{written}" in quotes if it is meant as text'
    )


def child(node: Node, values: dict[str, Any], key: str) -> Node | None:
    """A list-valued field's node, or None when it is absent or its type was already reported
    (so that reading its entries does not report the same line a second time)."""
    return node.value.get(key) if key in values else None


def items(node: Node | None, context: str, problems: Problems) -> list[Node]:
    """The entries of a list node, or none (with a problem) when it is not a list."""
    if node is None or node.value is INVALID:
        return []
    if not node.is_list:
        problems.error(node.origin, context, f"expected {LIST.expects}, found {describe(node.value)}")
        return []
    return node.value


def entry_name(node: Node, kind: str) -> str:
    """How an entry is named in messages: by its id when it has a usable one."""
    if node.is_mapping and "id" in node.value:
        value = node.value["id"].value
        if isinstance(value, (str, int)) and not isinstance(value, bool) and str(value).strip():
            return f"{kind} '{value}'" if kind != "decision" else f"decision {value}"
    return kind
