"""Reads a language's typographic rule table (typography/<lang>.yaml): which words keep a no-break
space, which dash, which quotes; a wrong entry is a located problem."""

from __future__ import annotations

import re
from dataclasses import dataclass

from ..model import Origin
from .problems import Problems
from .project import Project
from .yamlsource import Node, read

WORDS = (
    "no_break_after",
    "no_break_before",
    "space_before",
    "quotes",
    "keep_together",
    "heading_no_break_after",
    "heading_phrases",
)
FLAGS = ("initials", "space_inside_quotes")
LENGTHS = ("short_parenthesis", "last_word")
TEXTS = ("dash",)
QUOTE = re.compile(r"[^<>&\t\n\r ]{1,2}")  # a quotation mark, as a dash is one character
# The longest parenthesis or last word a rule may keep together: a line is about 80 characters,
# and a larger number would only be a mistake (a huge one overflowed the pattern built from it).
MAX_LENGTH = 200
# The most words or phrases one list may hold: the builder's longest holds a few dozen, and each
# is tried on every text of the edition (60,000 made a build minutes long, silently: attacker
# round 12, N5).
MAX_WORDS = 500


@dataclass(frozen=True)
class TypographyRules:
    """One language's rules (typography/README: every key is optional; no table, no rules)."""

    lang: str
    no_break_after: tuple[str, ...] = ()
    no_break_before: tuple[str, ...] = ()
    space_before: tuple[str, ...] = ()
    keep_together: tuple[str, ...] = ()  # short phrases never broken: "и/или", "and/or"
    # words that never end a line of a display heading (a decision's title, a side tab): "… TO
    # PREVENT TRAFFICKING IN / HUMAN BEINGS" reads against sense, as running text would not
    heading_no_break_after: tuple[str, ...] = ()
    # names a long display heading keeps on one line where its measure allows, though words
    # inside them open phrases: «ОРГАНИЗАЦИИ ПО БЕЗОПАСНОСТИ И СОТРУДНИЧЕСТВУ В ЕВРОПЕ»
    heading_phrases: tuple[str, ...] = ()
    quotes: tuple[str, ...] = ()  # opening, closing, and inner opening, closing
    space_inside_quotes: bool = False
    initials: bool = False
    dash: str = ""
    short_parenthesis: int = 0
    last_word: int = 0


def read_rules(project: Project, lang: str, problems: Problems) -> TypographyRules:
    """The edition language's table, the project's own before the builder's; none: no rules."""
    path = project.typography(lang)
    if path is None:
        return TypographyRules(lang)
    node = read(path, project.root, problems)
    if node is None:
        return TypographyRules(lang)
    if not node.is_mapping:
        problems.error(node.origin, "", "expected a mapping of typographic rules")
        return TypographyRules(lang)
    values: dict = {}
    for key, child in node.value.items():
        where = node.key_origins.get(key, node.origin)
        value = _value(key, child, where, problems)
        if value is not None:
            values[key] = value
    return TypographyRules(lang, **values)


def _value(key: str, child: Node, where: Origin, problems: Problems):
    value = child.value
    if key in WORDS:
        return _words(key, child, where, problems)
    if key in FLAGS:
        if not isinstance(value, bool):
            problems.error(where, key, f"expected true or false, found {_shown(child)}")
            return None
        return value
    if key in LENGTHS:
        if not isinstance(value, int) or isinstance(value, bool) or not 0 <= value <= MAX_LENGTH:
            problems.error(where, key, f"expected a number of characters (at most {MAX_LENGTH}), found {_shown(child)}")
            return None
        return value
    if key in TEXTS:
        if not isinstance(value, str) or len(value) != 1:
            problems.error(where, key, f"expected one dash character, found {_shown(child)}")
            return None
        return value
    known = ", ".join((*WORDS, *FLAGS, *LENGTHS, *TEXTS))
    problems.error(where, key, f"not a typographic rule (expected one of {known})")
    return None


def _words(key: str, child: Node, where: Origin, problems: Problems) -> tuple[str, ...] | None:
    """A list of words or phrases (or quotation marks), or None with its problem told."""
    value = child.value
    items = value if isinstance(value, list) else None
    texts = [item.value for item in items] if items is not None else None
    if texts is None:
        problems.error(where, key, f"expected a list of words, found {_shown(child)}")
        return None
    other = next((number for number, text in enumerate(texts, 1) if not isinstance(text, str)), None)
    if other is not None:
        # YAML reads on, no, yes and off as true or false: the word must be quoted; a list or a
        # mapping in its place is named as one (its repr was the reader's Node, attacker round 11, N1)
        quoted = "" if isinstance(texts[other - 1], list | dict) else ": put it in quotes"
        found = _shown(items[other - 1]) if items is not None else ""
        problems.error(where, key, f"expected a list of words, found {found} (word {other}){quoted}")
        return None
    if len(texts) > MAX_WORDS:
        said = (
            f"expected at most {MAX_WORDS} words, found {len(texts)}: keep the list to the short words the rule is for"
        )
        problems.error(where, key, said)
        return None
    long = next((number for number, text in enumerate(texts, 1) if len(text) > MAX_LENGTH), None)
    if long is not None and items is not None:
        said = f"expected words or short phrases of at most {MAX_LENGTH} characters, found {len(texts[long - 1])}"
        problems.error(items[long - 1].origin, key, f"{said} (word {long})")
        return None
    empty = next((number for number, text in enumerate(texts, 1) if not text.strip()), None)
    if empty is not None:
        problems.error(where, key, f"expected a list of words, found an empty one (word {empty})")
        return None
    if key == "quotes" and len(texts) not in (2, 4):
        problems.error(where, key, f"expected 2 or 4 quotation marks, found {len(texts)}")
        return None
    # printed as written, escaped: markup was printed as the quotation marks (attacker round 10, N2)
    marked = next((n for n, text in enumerate(texts, 1) if key == "quotes" and not QUOTE.fullmatch(text)), None)
    if marked is not None:
        problems.error(
            where, key, f"expected a quotation mark (a character or two, no markup), found {texts[marked - 1]!r}"
        )
        return None
    return tuple(texts)


def _shown(child: Node) -> str:
    value = child.value
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return repr(value)
