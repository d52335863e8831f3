"""Checks that need the whole compendium: order, coverage of the decisions, and unused entries."""

from __future__ import annotations

from .model import Introduction
from .problems import Problems
from .provisions import Catalogue, Placed
from .structure import Outline


def validate(
    placed: list[Placed], outline: Outline, catalogue: Catalogue, introduction: Introduction | None, problems: Problems
) -> None:
    _order(placed, problems)
    _coverage(placed, catalogue, problems)
    _unused(placed, outline, catalogue, introduction, problems)


def _order(placed: list[Placed], problems: Problems) -> None:
    """Provisions are read in order, so their places must follow the order of compendium.yaml."""
    for before, after in zip(placed, placed[1:], strict=False):
        if after.place.order < before.place.order:
            problems.error(
                after.provision.origin,
                f"provision {after.provision.number}",
                f"placed under {after.place.kind} '{after.place.id}', which comes before "
                f"{before.place.kind} '{before.place.id}' of provision {before.provision.number}: "
                "provisions must follow the order of sections, parts and topics in source/compendium.yaml",
            )


def _coverage(placed: list[Placed], catalogue: Catalogue, problems: Problems) -> None:
    """Every operative paragraph is a provision exactly once, or is marked not covered with a reason."""
    users: dict[tuple[str, int], int] = {}
    for item in placed:
        provision = item.provision
        key = (provision.decision.id, provision.paragraph.number)
        context = f"provision {provision.number}"
        if key in users:
            problems.error(
                provision.origin, context, f"decision {key[0]}, paragraph {key[1]} is already provision {users[key]}"
            )
            continue
        users[key] = provision.number
        if provision.paragraph.not_covered:
            problems.error(
                provision.paragraph.origin,
                f"decision {key[0]}, paragraph {key[1]}",
                f"marked not_covered, but provision {provision.number} covers it",
            )
    for decision in catalogue.decisions.values():
        for paragraph in decision.paragraphs:
            if (decision.id, paragraph.number) not in users and not paragraph.not_covered:
                problems.error(
                    paragraph.origin,
                    f"decision {decision.id}, paragraph {paragraph.number}",
                    "used by no provision (add one to source/provisions.yaml, or give the reason with 'not_covered')",
                )


def _unused(
    placed, outline: Outline, catalogue: Catalogue, introduction: Introduction | None, problems: Problems
) -> None:
    """Entries nobody refers to are probably mistakes: warnings, errors under --strict."""
    cited = {c.publication.id for p in placed for g in p.provision.resources for c in g.citations}
    if introduction:
        cited |= {f.citation.publication.id for f in introduction.footnotes if f.citation}
    for publication in catalogue.publications.values():
        if publication.id not in cited:
            problems.warning(publication.origin, f"publication '{publication.id}'", "never cited")
    used = {g.keyword.id for p in placed for g in p.provision.resources}
    for keyword in catalogue.keywords.values():
        if keyword.id not in used:
            problems.warning(keyword.origin, f"keyword '{keyword.id}'", "never used in a resource panel")
    filled = {p.place.id for p in placed}
    for place in outline.places.values():
        if place.id not in filled:
            problems.warning(place.origin, f"{place.kind} '{place.id}'", "has no provisions")
