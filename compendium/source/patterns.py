"""A project's regular expressions, refused where matching one could take exponential time or runs too long."""

from __future__ import annotations

import re
import time
from re import _constants as sre  # type: ignore[attr-defined]
from re import _parser  # type: ignore[attr-defined]
from typing import Any

import regex

from ..model import Origin

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


# `regex` compiles a counted repeat by writing its body out as many times as the count's minimum
# (re does not): '(?:\d{1000}){1000}' is a program of a million steps and 270 MB, '(?:\d{60000}){60000}'
# runs out of memory. So the program's size is estimated from the parsed pattern before anything
# compiles it. The builder's patterns have a few dozen steps; '\d{9999}' three times has 30,000.
MAX_STEPS = 100_000


class LargePattern(CostlyPattern):
    """A pattern refused before it is compiled: its program would be too large, or it is nested too deeply."""


def _steps(items: Any) -> int:
    """About how many steps `regex` compiles a parsed pattern into: a repeat's body once for each
    of its minimum count, and once more for a count that may go further."""
    total = 0
    for op, av in items:
        if op in REPEATS or op is sre.POSSESSIVE_REPEAT:
            total += (max(av[0], 1) + (av[1] != av[0])) * _steps(av[2])
        else:
            total += 1 + sum(_steps(child) for child in _children(op, av))
    return total


def compile_pattern(pattern: str, flags: int = 0) -> re.Pattern:
    """The compiled pattern; re.error for one that does not compile, LargePattern for one too large
    to compile (before it is), CostlyPattern for one whose matching could take exponential time."""
    try:
        parsed = _parser.parse(pattern, flags)
        steps = _steps(parsed)
        if steps > MAX_STEPS:
            raise LargePattern(f"the pattern is too large to compile (about {steps} steps; at most {MAX_STEPS})")
        compiled = re.compile(pattern, flags)
        costly = _costly(parsed)
    except RecursionError:  # '(' ten thousand times: the parsers are recursive
        raise LargePattern("the pattern is nested too deeply to compile") from None
    except MemoryError:  # not expected after the estimate: but one line, never a traceback
        raise LargePattern("the pattern is too large to compile (out of memory)") from None
    except OverflowError as error:  # "a{4294967296}": a repeat count past C's int
        raise re.error(str(error) or type(error).__name__) from None
    if costly:
        raise CostlyPattern(COSTLY)
    return compiled


# A static rule cannot see every slow pattern: 'x*x*y' over 3000 x's backtracks through n^2 splits,
# 'a*' twelve times over 46 a's through n^12. So every match runs under the `regex` module's timeout
# (its V0 syntax is re's): a match that gives up refuses the pattern for the rest of the run.
# The builder's patterns match an id or a label in microseconds; these are thousands of times that.
MATCH_SECONDS = 0.5  # one match
TOTAL_SECONDS = 5.0  # all matches of one pattern in a run: 0.4 s a text, over 10,000 texts, is hours too


class TooCostly(Exception):
    """A project pattern that ran out of time: `first` is True once, when it is to be reported."""

    def __init__(self, origin: Origin, context: str, message: str, first: bool) -> None:
        super().__init__(message)
        self.origin, self.context, self.message, self.first = origin, context, message, first


class ProjectPattern:
    """A project's pattern, compiled (compile_pattern's refusals first) and matched within a time
    budget; `origin` and `context` name it in the one error its first timeout gives."""

    def __init__(self, pattern: str, flags: int = 0, origin: Origin | None = None, context: str = "") -> None:
        self.checked = compile_pattern(pattern, flags)
        self.pattern = pattern
        try:
            self.compiled = regex.compile(pattern, flags | regex.VERSION0)
        except regex.error as error:  # re's syntax that `regex` reads otherwise: none known, but say so
            raise re.error(f"{error} (in the regex module)") from None
        except RecursionError:
            raise LargePattern("the pattern is nested too deeply to compile") from None
        except MemoryError:
            raise LargePattern("the pattern is too large to compile (out of memory)") from None
        except OverflowError as error:
            raise re.error(f"{error or type(error).__name__} (in the regex module)") from None
        self.origin = origin or Origin("", 0)
        self.context = context
        self.spent = 0.0
        self.refused: str | None = None

    def search(self, text: str) -> Any:
        return self._match(self.compiled.search, text)

    def fullmatch(self, text: str) -> Any:
        return self._match(self.compiled.fullmatch, text)

    def _match(self, method: Any, text: str) -> Any:
        if self.refused is not None:
            raise TooCostly(self.origin, self.context, self.refused, first=False)
        budget = min(MATCH_SECONDS, TOTAL_SECONDS - self.spent)
        start = time.perf_counter()
        try:
            return method(text, timeout=max(budget, 0.001))
        except TimeoutError:
            sample = text if len(text) <= 24 else f"{text[:20]}… ({len(text)} characters)"
            if budget < MATCH_SECONDS:
                self.refused = f"too costly to match (gave up after {TOTAL_SECONDS:g} s in all, last on '{sample}')"
            else:
                self.refused = f"too costly to match (gave up after {MATCH_SECONDS:g} s on '{sample}')"
            raise TooCostly(self.origin, self.context, self.refused, first=True) from None
        finally:
            self.spent += time.perf_counter() - start
