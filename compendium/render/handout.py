"""A workshop handout: the compendium narrowed to one section or one keyword."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace

from ..model import Compendium, Decision, Provision
from ..source.problems import suggest, suggest_section


class SelectionError(ValueError):
    """A handout selection that names nothing in the compendium."""


def select(compendium: Compendium, selection: tuple[str, str]) -> Compendium:
    """The provisions selected (numbered as in the whole compendium), the sections, parts and
    topics that hold them, and of each decision only the paragraphs they present."""
    kind, value = selection
    if kind == "section":
        numerals = [s.numeral for s in compendium.sections]
        if value not in numerals:
            raise SelectionError(
                f"handout: no section '{value}' (the sections are {', '.join(numerals)})"
                f"{suggest_section(value, numerals)}"
            )
        chosen = {p.number for s in compendium.sections if s.numeral == value for p in s.provisions}
    else:
        ids = [k.id for k in compendium.keywords]
        if value not in ids:
            raise SelectionError(f"handout: no keyword '{value}' in source/keywords.yaml{suggest(value, ids)}")
        chosen = {p.number for p in compendium.provisions if value in {k.id for k in p.keywords}}
        if not chosen:
            raise SelectionError(f"handout: no provision's panel uses the keyword '{value}'")

    def keep(provisions: tuple[Provision, ...]) -> tuple[Provision, ...]:
        return tuple(p for p in provisions if p.number in chosen)

    sections = []
    for section in compendium.sections:
        parts = []
        for part in section.parts:
            topics = tuple(replace(t, provisions=keep(t.provisions)) for t in part.topics if keep(t.provisions))
            narrowed = replace(part, topics=topics, provisions=keep(part.provisions))
            if narrowed.all_provisions:
                parts.append(narrowed)
        if parts or keep(section.direct):
            sections.append(replace(section, parts=tuple(parts), direct=keep(section.direct)))
    cited = {(p.decision.id, p.paragraph.number) for s in sections for p in s.provisions}
    decisions = tuple(
        replace(
            d,
            paragraphs=tuple(p for p in d.paragraphs if (d.id, p.number) in cited),
            excerpt_of=tuple(p.number for p in d.paragraphs),
        )
        for d in compendium.decisions
        if any(decision == d.id for decision, _ in cited)
    )
    return replace(compendium, sections=tuple(sections), decisions=decisions)


@dataclass(frozen=True)
class Gaps:
    """Where a handout's excerpt of a document leaves paragraphs out: before which of the
    paragraphs it keeps, and whether after the last one."""

    before: frozenset[str]
    after: bool


# A paragraph number's last figure and what stands before it: "12", "CBM 12", "IV.1(A)6", "2 bis".
LAST_FIGURE = re.compile(r"(.*?)(\d+)(\D*)")


def numbering_gaps(decision: Decision) -> Gaps:
    """Where the numbers of the paragraphs a document is annexed with jump (2, 5, 11): the
    paragraphs left out of it, which the annex marks with "[…]" as a handout's excerpt does. Only
    numbers of one form are compared ("CBM 12" after "CBM 10"; "2 bis" counts as 2); the first
    paragraph may start anywhere (PC.DEC/1202's measures continue PC.DEC/1106's, from 12)."""
    before: set[str] = set()
    previous: tuple[str, int] | None = None
    for paragraph in decision.paragraphs:
        found = LAST_FIGURE.fullmatch(paragraph.number)
        current = (found.group(1), int(found.group(2))) if found else None
        if previous and current and current[0] == previous[0] and current[1] > previous[1] + 1:
            before.add(paragraph.number)
        previous = current
    return Gaps(frozenset(before), False)


def excerpt_gaps(decision: Decision) -> Gaps:
    """The omissions an excerpt marks with "[…]", those of its numbering among them; for a whole
    document, those of its numbering only."""
    if not decision.excerpt_of:
        return numbering_gaps(decision)
    kept = [p.number for p in decision.paragraphs]
    position = {number: i for i, number in enumerate(decision.excerpt_of)}
    before: set[str] = set()
    previous = -1
    for number in kept:
        if position[number] > previous + 1:
            before.add(number)
        previous = position[number]
    return Gaps(frozenset(before) | numbering_gaps(decision).before, previous < len(decision.excerpt_of) - 1)
