"""Reads provisions.yaml: each provision's decision paragraph, its place, and its resource panel."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ..model import Citation, Decision, Keyword, Origin, Provision, Publication, ResourceGroup
from .fields import LABEL, LIST, TEXT, WHOLE, child, items, record
from .problems import Problems, suggest
from .registry import Registry
from .structure import Place
from .yamlsource import Node

PAGES = re.compile(r"^\d+(-\d+)?(, \d+(-\d+)?)*$")
EN_DASH = "\u2013"  # "10–12" as a word processor types it: the range it prints anyway (attacker round 11, N6)


def cited_pages(pages: str) -> str:
    """The pages as the source keeps them: a range's en dash read as its hyphen."""
    return pages.replace(EN_DASH, "-")


MAX_PAGE = 99999  # no publication cited has more pages: a longer number is a slip (attacker round 12, N2)


def pages_problem(pages: str) -> str | None:
    """Why a citation's `pages` cannot be printed, or None: not page numbers, a page 0 or past
    MAX_PAGE, a range that ends before it begins ("p. 12–10" was printed as written: attacker round
    11, S5) or where it begins ("5-5": the page "5"), or a page given twice ("10-12, 11")."""
    if not PAGES.match(pages):
        return f"key 'pages': expected page numbers such as '19-22' or '19-21, 28-29', found '{pages}'"
    spans: list[tuple[int, int, str]] = []
    for part in pages.split(", "):
        first, _, last = part.partition("-")
        found = f"'{part}' in '{pages}'" if part != pages else f"'{pages}'"
        if any(len(number) > len(str(MAX_PAGE)) or int(number) > MAX_PAGE for number in (first, last) if number):
            return f"key 'pages': expected page numbers up to {MAX_PAGE}, found {found}"
        if int(first) == 0 or (last and int(last) < int(first)):
            return f"key 'pages': expected a page or a range first-last with 1 <= first <= last, found {found}"
        if last and int(last) == int(first):
            return f"key 'pages': a range of one page is the page: write '{int(first)}', found {found}"
        spans.append((int(first), int(last or first), part))
    return _twice(sorted(spans), pages)


def _twice(spans: list[tuple[int, int, str]], pages: str) -> str | None:
    """Why pages sorted by their first page give a page twice, or None."""
    for (_, end, part), (start, _, other) in zip(spans, spans[1:], strict=False):
        if start <= end:
            return f"key 'pages': each page once, found '{other}' and '{part}' both giving page {start} in '{pages}'"
    return None


PLACES = ("topic", "part", "section")  # what a provision can be placed under, innermost first


@dataclass(frozen=True)
class Placed:
    """A provision with the place (topic or part) it was put under."""

    provision: Provision
    place: Place


@dataclass
class Mentions:
    """What the provisions refer to as written, valid or not: unused-entry checks read this,
    so one broken citation is reported once and not again as an unused publication."""

    keywords: set[str] = field(default_factory=set)
    publications: set[str] = field(default_factory=set)
    paragraphs: dict[tuple[str, str], list[tuple[int, Origin]]] = field(default_factory=dict)
    unresolved: bool = False  # some provision's paragraph or place did not resolve


@dataclass(frozen=True)
class Catalogue:
    """What provisions refer to, by id."""

    decisions: Registry[Decision]
    keywords: Registry[Keyword]
    publications: Registry[Publication]
    places: dict[str, Place]
    divided: dict[str, str]  # sections with parts and parts with topics: what they are divided into


def read_provisions(node: Node | None, catalogue: Catalogue, problems: Problems) -> tuple[list[Placed], Mentions]:
    """Every provision whose paragraph and place resolve (with its valid citations), and all mentions.

    A provision with a broken citation is still returned, so that checks of coverage and order
    do not report it a second time; the build stops on the citation's error anyway.
    """
    placed: list[Placed] = []
    mentions = Mentions()
    # Without a readable list of provisions, coverage and unused-entry checks would only echo that.
    mentions.unresolved = node is None or not node.is_list
    for position, entry in enumerate(items(node, "provisions", problems), start=1):
        result = _provision(entry, position, catalogue, mentions, problems)
        if result:
            placed.append(result)
    return placed, mentions


def _provision(
    entry: Node, position: int, catalogue: Catalogue, mentions: Mentions, problems: Problems
) -> Placed | None:
    values = record(
        entry,
        f"provision {position}",
        problems,
        {"number": WHOLE, "decision": LABEL, "paragraph": LABEL, "resources": LIST},
        dict.fromkeys(PLACES, TEXT),
    )
    if values is None:
        mentions.unresolved = True
        return None
    number = values.get("number", position)
    context = f"provision {number}"
    if "number" in values and number != position:
        problems.error(
            entry.value["number"].origin,
            context,
            f"key 'number': expected {position} (provisions are numbered 1, 2, 3 … in file order), found {number}",
        )
    decision, paragraph = _paragraph(entry, values, context, catalogue, problems)
    place = _place(entry, values, context, catalogue, problems)
    if paragraph:
        mentions.paragraphs.setdefault((decision.id, paragraph.number), []).append((number, entry.origin))
    mentions.unresolved |= not (paragraph and place)
    groups = _groups(child(entry, values, "resources"), context, catalogue, mentions, problems)
    if not (decision and paragraph and place):
        return None
    return Placed(Provision(number, decision, paragraph, groups, entry.origin), place)


def _paragraph(entry: Node, values: dict, context: str, catalogue: Catalogue, problems: Problems):
    if "decision" not in values:
        return None, None
    decision = catalogue.decisions.lookup(values["decision"], entry.value["decision"].origin, context, problems)
    if decision is None:
        return None, None
    if "paragraph" not in values:
        return decision, None
    paragraph = decision.paragraph(values["paragraph"])
    if paragraph is None:
        problems.error(
            entry.value["paragraph"].origin,
            context,
            f"paragraph {values['paragraph']}: decision {decision.id} has paragraphs {_numbers(decision)}",
        )
    return decision, paragraph


def _place(entry: Node, values: dict, context: str, catalogue: Catalogue, problems: Problems) -> Place | None:
    given = [key for key in PLACES if key in entry.value]  # as written, whatever its type
    if len(given) != 1:
        found = {0: "neither", 2: "both", 3: "all three"}[len(given)]
        problems.error(
            entry.origin,
            context,
            f"expected exactly one of 'topic', 'part' or 'section' (where the provision is placed), found {found}",
        )
        return None
    key = given[0]
    if key not in values:
        return None  # its type was wrong, and reported
    place = catalogue.places.get(values[key])
    if place is None or place.level != key:
        candidates = [p.id for p in catalogue.places.values() if p.level == key]
        hint = ""
        if catalogue.divided.get(values[key]) and place is None:
            below = catalogue.divided[values[key]]
            hint = f" (this {key} has {below}: place the provision under one of them with '{below[:-1]}')"
        elif place is not None:
            hint = f" as a {key}: it is a {place.level} (write '{place.level}: {place.id}')"
        problems.error(
            entry.value[key].origin,
            context,
            f"{key} '{values[key]}': not defined in source/compendium.yaml{hint or suggest(values[key], candidates)}",
        )
        return None
    return place


def _groups(
    node: Node | None, context: str, catalogue: Catalogue, mentions: Mentions, problems: Problems
) -> tuple[ResourceGroup, ...]:
    """The panel's valid groups; every broken one is reported and left out."""
    groups: list[ResourceGroup] = []
    seen: dict[str, int] = {}
    if node is not None and node.is_list and not node.value:
        problems.error(
            node.origin, context, "key 'resources': expected at least one keyword group, found an empty list"
        )
    for entry in items(node, context, problems):
        values = record(entry, context, problems, {"keyword": TEXT, "citations": LIST})
        if not values or "keyword" not in values:
            continue
        mentions.keywords.add(values["keyword"])
        group_context = f"{context}, keyword '{values['keyword']}'"
        citations = _citations(child(entry, values, "citations"), group_context, catalogue, mentions, problems)
        keyword = catalogue.keywords.lookup(
            values["keyword"], entry.value["keyword"].origin, group_context, problems, named=False
        )
        if keyword is None:
            continue
        if keyword.id in seen:
            problems.error(
                entry.value["keyword"].origin,
                group_context,
                f"the panel already has this keyword at line {seen[keyword.id]}",
            )
        else:
            seen[keyword.id] = entry.value["keyword"].origin.line
            groups.append(ResourceGroup(keyword, citations, entry.origin))
    return tuple(groups)


def _citations(
    node: Node | None, context: str, catalogue: Catalogue, mentions: Mentions, problems: Problems
) -> tuple[Citation, ...]:
    """The group's valid citations; every broken one is reported and left out."""
    citations: list[Citation] = []
    seen: set[str] = set()
    entries = items(node, context, problems)
    if node is not None and node.is_list and not entries:
        problems.error(node.origin, context, "expected at least one citation, found an empty list")
    for entry in entries:
        values = record(entry, context, problems, {"publication": TEXT}, {"pages": LABEL})
        if not values or "publication" not in values:
            continue
        mentions.publications.add(values["publication"])
        publication = catalogue.publications.lookup(
            values["publication"], entry.value["publication"].origin, context, problems
        )
        pages = cited_pages(values["pages"]) if "pages" in values else None
        if publication is None:
            continue
        if publication.id in seen:
            problems.error(entry.origin, context, f"publication '{publication.id}' is cited twice in this group")
        elif pages is not None and publication.forthcoming:
            problems.error(
                entry.value["pages"].origin,
                context,
                f"key 'pages': publication '{publication.id}' is forthcoming: it has no pages yet",
            )
        elif pages is not None and (wrong := pages_problem(pages)):
            problems.error(entry.value["pages"].origin, context, wrong)
        else:
            seen.add(publication.id)
            citations.append(Citation(publication, pages, entry.origin))
    return tuple(citations)


def _numbers(decision) -> str:
    """A decision's paragraph numbers as adopted: "1 to 9" when they run 1, 2, 3 …, else listed."""
    numbers = [p.number for p in decision.paragraphs]
    if numbers == [str(n) for n in range(1, len(numbers) + 1)]:
        return f"1 to {len(numbers)}"
    return ", ".join(numbers)
