"""Reads YAML source files into nodes that remember their line; malformed YAML becomes a located problem."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from .model import Origin
from .problems import Problems

INVALID = type("Invalid", (), {"__repr__": lambda self: "<invalid>"})()  # a value already reported as malformed


@dataclass(frozen=True)
class Node:
    """A YAML value with its origin: dict[str, Node], list[Node] or a plain scalar."""

    value: Any
    origin: Origin
    key_origins: dict[str, Origin] = field(default_factory=dict, compare=False)

    @property
    def is_mapping(self) -> bool:
        return isinstance(self.value, dict)

    @property
    def is_list(self) -> bool:
        return isinstance(self.value, list)


def read(path: Path, root: Path, problems: Problems) -> Node | None:
    """Parse one file; on malformed YAML record where and why, and return None."""
    name = relative_name(path, root)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as error:
        problems.error(Origin(name, 1), "", f"not UTF-8 text ({error.reason} at byte {error.start})")
        return None
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
        return None
    try:
        root_node = _compose(text, getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as c_error:
        # The C parser (libyaml) is fast, composing being nine tenths of loading the source, but
        # words its errors differently: a malformed file is parsed again for the messages we test.
        error = c_error
        try:
            _compose(text, yaml.SafeLoader)
        except yaml.YAMLError as python_error:
            error = python_error
        problems.error(*_malformed(name, error, text))
        return None
    if root_node is None:
        problems.error(Origin(name, 1), "", "the file is empty")
        return None
    return _convert(root_node, name, problems, yaml.SafeLoader(""), set())


def _compose(text: str, loader_class) -> yaml.Node | None:
    loader = loader_class(text)
    try:
        return loader.get_single_node()
    finally:
        loader.dispose()


def relative_name(path: Path, root: Path) -> str:
    try:
        return path.resolve().relative_to(root.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _malformed(name: str, error: yaml.YAMLError, text: str) -> tuple[Origin, str, str]:
    if isinstance(error, yaml.reader.ReaderError):  # a character YAML does not allow
        line = text.count("\n", 0, error.position) + 1
        return Origin(name, line), "", f"malformed YAML: a control character (U+{error.character:04X}) is not allowed"
    mark = getattr(error, "problem_mark", None) or getattr(error, "context_mark", None)
    line = mark.line + 1 if mark else 1
    problem = getattr(error, "problem", None) or "cannot be parsed"
    if "'\\t'" in problem:
        return Origin(name, line), "", "malformed YAML: a tab character; indent with spaces only"
    if "expected <block end>" in problem or "mapping values are not allowed" in problem:
        return (
            Origin(name, line),
            "",
            f"malformed YAML: the indentation of this line does not match the lines above it (parser: {problem})",
        )
    context = getattr(error, "context", None)
    detail = f"{context}, {problem}" if context else problem
    return Origin(name, line), "", f"malformed YAML: {detail}"


def _convert(node: yaml.Node, name: str, problems: Problems, constructor: yaml.SafeLoader, seen: set[int]) -> Node:
    origin = Origin(name, node.start_mark.line + 1)
    if id(node) in seen:
        # The composer hands an alias (*name) back as the anchored node itself.
        problems.error(
            origin, "", "malformed YAML: anchors and aliases (& and *) are not used in the source; write the value out"
        )
        return Node(INVALID, origin)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        values: dict[str, Node] = {}
        key_origins: dict[str, Origin] = {}
        for key_node, value_node in node.value:
            key_origin = Origin(name, key_node.start_mark.line + 1)
            if key_node.tag == "tag:yaml.org,2002:merge":
                problems.error(
                    key_origin, "", "malformed YAML: merge keys (<<) are not used in the source; write the keys out"
                )
                continue
            key = str(_scalar(key_node, name, problems, constructor))
            if key in values:
                problems.error(
                    key_origin, "", f"key '{key}' appears twice in one mapping (first at line {key_origins[key].line})"
                )
                continue
            values[key] = _convert(value_node, name, problems, constructor, seen)
            key_origins[key] = key_origin
        return Node(values, origin, key_origins)
    if isinstance(node, yaml.SequenceNode):
        return Node([_convert(item, name, problems, constructor, seen) for item in node.value], origin)
    return Node(_scalar(node, name, problems, constructor), origin)


def _scalar(node: yaml.Node, name: str, problems: Problems, constructor: yaml.SafeLoader):
    """A scalar's value; one YAML cannot construct (2019-02-30 read as a date, an unknown !tag)
    is reported at its line and read as nothing."""
    if not isinstance(node, yaml.ScalarNode):
        problems.error(Origin(name, node.start_mark.line + 1), "", "malformed YAML: a key must be a plain text")
        return None
    try:
        return constructor.construct_object(node, deep=True)
    except (yaml.YAMLError, ValueError, TypeError, OverflowError) as error:
        problems.error(
            Origin(name, node.start_mark.line + 1),
            "",
            f"malformed YAML: cannot read the value '{node.value}' ({error})",
        )
        return INVALID
