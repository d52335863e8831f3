"""Reads compendium.yaml: the publication's metadata and the sections, parts and topics provisions hang on."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from ..model import LINE_BREAK, Brand, Metadata, Origin, with_display_lines
from .brand import read_brand, tint_hides, tint_hiding
from .catalogue import FIRST_YEAR, check_id
from .fields import FOOTNOTE_MARK, LIST, MAPPING, TEXT, TEXTS, WHOLE, child, items, record
from .kinds import read_wording
from .languages import EDITION_LANGUAGES, is_language
from .problems import Problems, suggest
from .yamlsource import Node


@dataclass(frozen=True)
class Place:
    """A topic, a part without topics, or a section without parts, that provisions can be placed
    under; order is reading order."""

    id: str
    level: str  # "topic", "part" or "section"
    order: int
    section: int
    part: int | None
    topic: int | None
    title: str
    origin: Origin


@dataclass(frozen=True)
class Outline:
    """compendium.yaml read: metadata, the places in order, titles, and the annex order of decisions."""

    metadata: Metadata | None
    sections: tuple[tuple[str, str, Origin], ...]  # id, title, origin
    parts: dict[tuple[int, int], tuple[str, str, bool]]  # (section, part) -> id, title, has topics
    places: dict[str, Place]
    annex: tuple[tuple[str, Origin], ...]
    colours: dict[str, tuple[str | None, str | None]] = field(default_factory=dict)  # section id -> colour, tint
    short_titles: dict[str, str] = field(default_factory=dict)  # section id -> its side tab's title

    @property
    def parts_with_topics(self) -> frozenset[str]:
        return frozenset(part_id for part_id, _, has_topics in self.parts.values() if has_topics)

    @property
    def divided(self) -> dict[str, str]:
        """Sections with parts and parts with topics, by id: what they are divided into."""
        with_parts = {self.sections[s][0]: "parts" for s, _ in self.parts}
        return with_parts | {part_id: "topics" for part_id in self.parts_with_topics}


LAST_YEAR = 9999  # a date in the PDF's metadata has four digits
SLUG = re.compile(r"[a-z0-9]+(-[a-z0-9]+)*")  # output/<slug>-en.pdf
METADATA = {
    "title": TEXT,
    "subtitle": TEXT,
    "publisher": TEXT,
    "publisher_short": TEXT,
    "organization": TEXT,
    "year": WHOLE,
    "language": TEXT,
    "edition": TEXT,
    "address": TEXTS,
    "imprint": TEXTS,
}


COLOUR = re.compile(r"#[0-9a-fA-F]{6}")


def _colours(section: Node, values: dict, problems: Problems) -> tuple[str | None, str | None]:
    """A section's own colour and tint, if given: #rrggbb only, as they go into the stylesheet."""
    found = []
    for key in ("colour", "tint"):
        given = section.value.get(key)
        value = values.get(key)
        if given is not None and given.value is None:
            # `colour: #1f5f99` unquoted is a YAML comment: the key would be dropped without a word
            problems.error(
                section.key_origins[key],
                f"section '{values['id']}'",
                f"key '{key}': expected a colour written in quotes, such as \"#1f5f99\" (unquoted, # begins a comment)",
            )
        elif value is not None and not COLOUR.fullmatch(value):
            problems.error(
                given.origin,
                f"section '{values['id']}'",
                f"key '{key}': expected a colour written #rrggbb, such as \"#1f5f99\", found '{value}'",
            )
            value = None
        elif key == "tint" and value is not None and tint_hides(value.lower()):
            problems.error(given.origin, f"section '{values['id']}'", tint_hiding(value.lower()))
            value = None
        found.append(value.lower() if value and COLOUR.fullmatch(value) else None)
    return found[0], found[1]


def read_outline(node: Node | None, problems: Problems, root: Path | None = None) -> Outline:
    empty = Outline(None, (), {}, {}, ())
    if node is None:
        return empty
    values = record(
        node,
        "",
        problems,
        {**METADATA, "sections": LIST, "annex": TEXTS},
        {"slug": TEXT, "wording": MAPPING, "brand": MAPPING, "annex_note": TEXT},
    )
    if values is None:
        return empty
    _printed_as_written(node, values, problems)
    metadata = None
    if all(key in values for key in METADATA):
        wording = read_wording(node.value["wording"], problems) if "wording" in values else ()
        brand = read_brand(node.value["brand"], root or Path.cwd(), problems) if "brand" in values else Brand()
        metadata = with_display_lines(
            Metadata(
                **{key: values[key] for key in METADATA},
                annex_note=values.get("annex_note", ""),
                wording=wording,
                brand=brand,
            )
        )
        if not FIRST_YEAR <= metadata.year <= LAST_YEAR:
            # the publications' years are checked against it: a wrong one would blame them
            problems.error(
                node.value["year"].origin,
                "",
                f"key 'year': expected the year it is published, {FIRST_YEAR} to {LAST_YEAR}, found {metadata.year}",
            )
            metadata = None
        elif not is_language(metadata.language):
            problems.error(
                node.value["language"].origin,
                "",
                f"key 'language': expected a language code such as {', '.join(EDITION_LANGUAGES)} or fr, "
                f"found '{metadata.language}'" + suggest(metadata.language, EDITION_LANGUAGES),
            )
    if "slug" in values and not SLUG.fullmatch(values["slug"]):
        problems.error(
            node.value["slug"].origin,
            "",
            f"key 'slug': expected lower-case letters, digits and hyphens for the output file names, "
            f"such as 'vaw-compendium', found '{values['slug']}'",
        )
    annex_node = node.value.get("annex")
    annex = tuple((decision, annex_node.origin) for decision in values.get("annex", ()))
    return _places(child(node, values, "sections"), problems, metadata, annex)


def _printed_as_written(node: Node, values: dict, problems: Problems) -> None:
    """Marks in compendium.yaml's texts that would be printed as written, each at its line: a
    footnote mark (only the introduction's blocks have footnotes), and in the title or subtitle
    a line mark ' | ' with nothing on one side (a stray bar on the cover: a slip)."""

    for key in [key for key, kind in METADATA.items() if kind in (TEXT, TEXTS)] + ["annex_note"]:
        if key not in values:
            continue  # refused by record(), or not given
        for item in node.value[key].value if node.value[key].is_list else [node.value[key]]:
            mark = FOOTNOTE_MARK.search(item.value) if isinstance(item.value, str) else None
            if mark is not None:
                problems.error(
                    item.origin,
                    "",
                    f"key '{key}': a footnote mark '{mark.group(0)}', which would be printed as written: only "
                    "the blocks of introduction.yaml have footnotes",
                )
    for key in ("title", "subtitle"):
        if key not in values or not isinstance(node.value[key].value, str):
            continue  # missing or not a text: refused by record() (attacker round 8, N10; fuzz: '{}')
        raw = node.value[key].value
        parts = [part.strip() for part in raw.split(LINE_BREAK)]
        # '|Compendium' too: a bar at either end, spaced or not (attacker round 10, N12)
        stray = [part for part in parts if part in ("", "|") or part.startswith("|") or part.endswith("|")]
        if stray and len(parts) > 1:
            problems.error(
                node.value[key].origin,
                "",
                f"key '{key}': a line mark ' | ' with nothing on one side ('{raw.strip()[:60]}'): write words "
                "on both sides of each mark",
            )
        elif stray:
            problems.warning(
                node.value[key].origin,
                "",
                f"key '{key}': a bar {_which_bar(stray[0])} ('{raw.strip()[:60]}') is no line mark "
                "(' | ' has words on both sides) and is printed as written",
            )


def _which_bar(part: str) -> str:
    """How a stray bar stands: 'Compendium |' has a space on one side only, '|Compendium' none."""
    return "with a space on one side only" if part.startswith("| ") or part.endswith(" |") else "at one end"


def _places(sections_node: Node | None, problems: Problems, metadata, annex) -> Outline:
    seen: dict[str, Origin] = {}
    places: dict[str, Place] = {}
    sections = []
    colours = {}
    short_titles: dict[str, str] = {}
    parts = {}
    for position, section in enumerate(items(sections_node, "sections", problems)):
        values = record(
            _without_commented_colours(section),
            f"section {position + 1}",
            problems,
            {"id": TEXT, "title": TEXT},
            {"parts": LIST, "colour": TEXT, "tint": TEXT, "short_title": TEXT},
        )
        if not values or "id" not in values:
            continue
        check_id(values["id"], section.origin, f"section '{values['id']}'", seen, problems)
        sections.append((values["id"], values.get("title", ""), section.origin))
        s = len(sections) - 1  # the section's index among those read, as parts and places refer to it
        colours[values["id"]] = _colours(section, values, problems)
        if "short_title" in values:
            short_titles[values["id"]] = values["short_title"]
        # An empty list is reported, then read as no list, so that what is placed under it is not reported again.
        empty = _empty_list(section, "parts", f"section '{values['id']}'", "part", problems)
        if empty or "parts" not in section.value:  # provisions are placed under the section itself
            places[values["id"]] = Place(
                values["id"], "section", len(places), s, None, None, values.get("title", ""), section.origin
            )
            continue
        for p, part in enumerate(items(child(section, values, "parts"), f"section '{values['id']}'", problems)):
            part_values = record(
                part, f"section '{values['id']}', part {p + 1}", problems, {"id": TEXT, "title": TEXT}, {"topics": LIST}
            )
            if not part_values or "id" not in part_values:
                continue
            part_id = part_values["id"]
            if not check_id(part_id, part.origin, f"part '{part_id}'", seen, problems):
                continue
            _empty_list(part, "topics", f"part '{part_id}'", "topic", problems)  # then read as a part without topics
            topics = items(child(part, part_values, "topics"), f"part '{part_id}'", problems)
            parts[(s, p)] = (part_id, part_values.get("title", ""), bool(topics))
            if not topics:
                places[part_id] = Place(
                    part_id, "part", len(places), s, p, None, part_values.get("title", ""), part.origin
                )
                continue
            for t, topic in enumerate(topics):
                topic_values = record(topic, f"part '{part_id}', topic {t + 1}", problems, {"id": TEXT, "title": TEXT})
                if (
                    topic_values
                    and "id" in topic_values
                    and check_id(topic_values["id"], topic.origin, f"topic '{topic_values['id']}'", seen, problems)
                ):
                    places[topic_values["id"]] = Place(
                        topic_values["id"], "topic", len(places), s, p, t, topic_values.get("title", ""), topic.origin
                    )
    return Outline(metadata, tuple(sections), parts, places, annex, colours, short_titles)


def _without_commented_colours(section: Node) -> Node:
    """The section without a colour or tint that reads as nothing: an unquoted `colour: #1f5f99`
    (# begins a comment), which _colours reports once by the section's id; the generic "expected
    text, found nothing" would say it again."""
    if not section.is_mapping:
        return section
    commented = [key for key in ("colour", "tint") if key in section.value and section.value[key].value is None]
    if not commented:
        return section
    kept = {key: node for key, node in section.value.items() if key not in commented}
    return Node(kept, section.origin, section.key_origins)


def _empty_list(node: Node, key: str, context: str, below: str, problems: Problems) -> bool:
    """`parts: []` or `topics: []` would be a heading with nothing under it: say what to write instead."""
    written = node.value.get(key) if node.is_mapping else None
    if written is None or not written.is_list or written.value:
        return False
    parent = "section" if below == "part" else "part"
    problems.error(
        written.origin,
        context,
        f"key '{key}': expected at least one {below}, found an empty list: list its {key}, or leave out "
        f"'{key}' and place provisions under the {parent} itself with '{parent}: <id>' in provisions.yaml",
    )
    return True
