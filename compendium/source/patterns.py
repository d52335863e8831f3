"""A project's regular expressions, refused where matching one could take exponential time."""

from __future__ import annotations

import re
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

# Python's matcher backtracks: a repeated group whose body can match one text in several ways
# ('(a|aa)+', '(\w+\s?)*') tries every split of a text it finally refuses, 2^n of them, so one
# id or label of 40 letters stops `check` for minutes. A repeat of at most this many is cheap.
FEW = 10
REPEATS = {sre.MAX_REPEAT, sre.MIN_REPEAT}
COSTLY = (
    "too costly to match: a repeated group holds alternatives or a repeat of its own "
    "('(a|aa)+', '(\\w+ )*'); write the alternatives as one character class or repeat only the inside"
)


class CostlyPattern(ValueError):
    """A pattern refused before it is ever matched: see COSTLY."""


def _varies(items: Any) -> bool:
    """Whether a parsed pattern can match one text in more than one way: it holds alternatives or a
    repeat of no fixed count (a lookaround or an atomic group included: its body backtracks too)."""
    for op, av in items:
        if op is sre.BRANCH or (op in REPEATS and av[0] != av[1]):
            return True
        if any(_varies(child) for child in _children(op, av)):
            return True
    return False


def _children(op: Any, av: Any) -> list[Any]:
    """The parsed sub-patterns directly inside one node."""
    if op in REPEATS or op is sre.POSSESSIVE_REPEAT:
        return [av[2]]
    if op is sre.SUBPATTERN:
        return [av[3]]
    if op is sre.BRANCH:
        return list(av[1])
    if op in (sre.ASSERT, sre.ASSERT_NOT):
        return [av[1]]
    if op is sre.ATOMIC_GROUP:
        return [av]
    if op is sre.GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]
    return []


def _costly(items: Any) -> bool:
    for op, av in items:
        # a possessive repeat never gives back what it took: nothing to try again
        if op in REPEATS and av[1] > FEW and _varies(av[2]):
            return True
        if any(_costly(child) for child in _children(op, av)):
            return True
    return False


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """The compiled pattern; re.error for one that does not compile, CostlyPattern for one whose
    matching could take exponential time."""
    try:
        compiled = re.compile(pattern, flags)
    except (OverflowError, RecursionError) as error:  # "a{4294967296}": a repeat count past C's int
        raise re.error(str(error) or type(error).__name__) from None
    if _costly(_parser.parse(pattern, flags)):
        raise CostlyPattern(COSTLY)
    return compiled
