"""What the compendium derives from its citations: the keyword table and the keyword-literature directory."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .model import Compendium, Keyword, Provision, Publication


@dataclass(frozen=True)
class KeywordEntry:
    """A row of the keyword table: a keyword and the provisions whose panels use it."""

    keyword: Keyword
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class DirectoryItem:
    """A publication cited under a keyword, with the provisions that cite it there."""

    publication: Publication
    provisions: tuple[Provision, ...]


@dataclass(frozen=True)
class DirectoryEntry:
    """A keyword of the directory with every publication cited under it, each once."""

    keyword: Keyword
    items: tuple[DirectoryItem, ...]


def keyword_table(compendium: Compendium, order: Callable[[str], Any]) -> tuple[KeywordEntry, ...]:
    """Every keyword used in a panel, sorted by its label, with the provisions using it in their order."""
    users: dict[str, list[Provision]] = {}
    for provision in compendium.provisions:
        for keyword in provision.keywords:
            users.setdefault(keyword.id, []).append(provision)
    keywords = [k for k in compendium.keywords if k.id in users]
    return tuple(KeywordEntry(k, tuple(users[k.id])) for k in sorted(keywords, key=lambda k: order(k.label)))


def directory(compendium: Compendium, order: Callable[[str], Any]) -> tuple[DirectoryEntry, ...]:
    """For each keyword, the publications cited under it: newest first, then by title.

    The order is the panels' own habit (most recent literature first), made strict so that it
    does not depend on which panel happened to cite a publication first.
    """
    cited: dict[str, dict[str, list[Provision]]] = {}
    publications: dict[str, Publication] = {}
    for provision in compendium.provisions:
        for group in provision.resources:
            by_publication = cited.setdefault(group.keyword.id, {})
            for citation in group.citations:
                publications[citation.publication.id] = citation.publication
                users = by_publication.setdefault(citation.publication.id, [])
                if provision not in users:
                    users.append(provision)
    entries = []
    for entry in keyword_table(compendium, order):
        by_publication = cited[entry.keyword.id]
        ranked = sorted(by_publication, key=lambda pid: (-publications[pid].year, order(publications[pid].title)))
        items = tuple(DirectoryItem(publications[pid], tuple(by_publication[pid])) for pid in ranked)
        entries.append(DirectoryEntry(entry.keyword, items))
    return tuple(entries)


def place_names(compendium: Compendium) -> dict[str, str]:
    """Each link target of the compendium's own places named in its words, for messages about a
    place in the laid-out pages: "provision 07", "decision 6/17, paragraph 3", "resolution
    A/RES/73/148" (the kind of each annexed document says what one is called)."""
    names = {provision.anchor: f"provision {provision.label}" for provision in compendium.provisions}
    for decision in compendium.decisions:
        named = f"{decision.kind.document} {decision.id}"
        names[decision.anchor] = named
        names.update({p.anchor: f"{named}, paragraph {p.number}" for p in decision.paragraphs})
    return names
