"""Checks that need the whole compendium: order, coverage of the decisions, and unused entries."""

from __future__ import annotations

from ..model import Introduction
from .problems import Problems
from .provisions import Catalogue, Mentions, Placed
from .structure import Outline


def validate(
    placed: list[Placed],
    mentions: Mentions,
    outline: Outline,
    catalogue: Catalogue,
    introduction: Introduction | None,
    problems: Problems,
    complete: bool = True,
) -> None:
    """`complete`: every file that refers to entries (provisions, introduction) was read. When one
    could not be parsed, what it would have used looks unused: those findings ("never cited",
    "used by no provision", "has no provisions") are held back, so that the parse error is not
    buried under them."""
    _order(placed, problems)
    _coverage(mentions, catalogue, problems, complete)
    if complete:
        _unused(mentions, catalogue, introduction, problems)
        _empty_places(placed, mentions, outline, problems)


def _order(placed: list[Placed], problems: Problems) -> None:
    """Provisions are read in order, so their places must follow the order of compendium.yaml."""
    for before, after in zip(placed, placed[1:], strict=False):
        if after.place.order < before.place.order:
            problems.error(
                after.provision.origin,
                f"provision {after.provision.number}",
                f"placed under {after.place.level} '{after.place.id}', which comes before "
                f"{before.place.level} '{before.place.id}' of provision {before.provision.number}: "
                "provisions must follow the order of sections, parts and topics in source/compendium.yaml",
            )


def _coverage(mentions: Mentions, catalogue: Catalogue, problems: Problems, complete: bool = True) -> None:
    """Every operative paragraph is a provision exactly once, or is marked not covered with a reason."""
    for (decision_id, number), users in mentions.paragraphs.items():
        first = users[0][0]
        for provision, origin in users[1:]:
            problems.error(
                origin,
                f"provision {provision}",
                f"decision {decision_id}, paragraph {number} is already provision {first}",
            )
        paragraph = catalogue.decisions[decision_id].paragraph(number)
        if paragraph is not None and paragraph.not_covered:
            problems.error(
                paragraph.origin,
                f"decision {decision_id}, paragraph {number}",
                f"marked not_covered, but provision {first} covers it",
            )
    if not complete or mentions.unresolved or any(len(users) > 1 for users in mentions.paragraphs.values()):
        return  # an uncovered paragraph is then most likely the one a broken reference meant
    for decision in catalogue.decisions.values():
        for paragraph in decision.paragraphs:
            if (decision.id, paragraph.number) not in mentions.paragraphs and not paragraph.not_covered:
                problems.error(
                    paragraph.origin,
                    f"decision {decision.id}, paragraph {paragraph.number}",
                    "used by no provision (add one to source/provisions.yaml, or give the reason with 'not_covered')",
                )


def _unused(mentions: Mentions, catalogue: Catalogue, introduction: Introduction | None, problems: Problems) -> None:
    """Entries nobody refers to are probably mistakes: warnings, errors under --strict."""
    cited = set(mentions.publications)
    if introduction:
        cited |= {f.citation.publication.id for f in introduction.footnotes if f.citation}
    # An unknown reference is probably a misspelt use of an entry: do not also call that entry unused.
    typo = any(catalogue.publications.unexplained(ref) for ref in cited)
    for publication in catalogue.publications.values():
        if publication.id not in cited and not typo:
            problems.warning(publication.origin, f"publication '{publication.id}'", "never cited")
    typo = any(catalogue.keywords.unexplained(ref) for ref in mentions.keywords)
    for keyword in catalogue.keywords.values():
        if keyword.id not in mentions.keywords and not typo:
            problems.warning(keyword.origin, f"keyword '{keyword.id}'", "never used in a resource panel")


def _empty_places(placed: list[Placed], mentions: Mentions, outline: Outline, problems: Problems) -> None:
    """A topic or part with no provisions would be a heading the contents link to but never printed."""
    if mentions.unresolved:
        return  # a provision that did not resolve may be the one meant for it
    filled = {p.place.id for p in placed}
    for place in outline.places.values():
        if place.id not in filled:
            problems.error(
                place.origin,
                f"{place.level} '{place.id}'",
                "has no provisions (its heading would never be printed): place one under it, or remove it",
            )
