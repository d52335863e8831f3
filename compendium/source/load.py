"""Loads the whole source directory: reads every file, links references, and reports every problem."""

from __future__ import annotations

from pathlib import Path

from ..model import Compendium, Decision, Origin, Part, Section, Topic
from .catalogue import read_keywords, read_publications
from .decisions import read_decision, written_id
from .inputs import refusal
from .introduction import read_introduction
from .kinds import read_kinds
from .problems import Problems
from .provisions import Catalogue, Placed, read_provisions
from .registry import Registry
from .strays import stray_cases, stray_decisions, stray_folders, stray_sources, stray_typography
from .structure import Outline, read_outline
from .validate import validate
from .yamlsource import Node, read, relative_name

FILES = ("compendium.yaml", "introduction.yaml", "keywords.yaml", "publications.yaml", "provisions.yaml")


def load(source: Path, root: Path | None = None) -> tuple[Compendium | None, Problems]:
    """The compendium and every problem found; the compendium is None when there is any error."""
    root = root or source.parent
    problems = Problems()
    nodes = {name: _read(source / name, root, problems) for name in FILES}
    stray_sources(source, root, FILES, problems)
    stray_typography(root / "typography", root, problems)
    stray_folders(source, root, problems)
    stray_cases(root, problems)
    outline = read_outline(nodes["compendium.yaml"], problems, root)
    latest = outline.metadata.year + 1 if outline.metadata else 2100
    keywords = read_keywords(nodes["keywords.yaml"], problems)
    publications = read_publications(nodes["publications.yaml"], latest, problems)
    kinds = read_kinds(source, root, problems)
    decisions = _decisions(source / "decisions", root, kinds, problems)
    catalogue = Catalogue(decisions, keywords, publications, outline.places, outline.divided)
    placed, mentions = read_provisions(nodes["provisions.yaml"], catalogue, problems)
    introduction = read_introduction(nodes["introduction.yaml"], publications, problems)
    annex = _annex(outline, decisions, problems)
    complete = nodes["provisions.yaml"] is not None and nodes["introduction.yaml"] is not None
    validate(placed, mentions, outline, catalogue, introduction, problems, complete)
    if problems.errors or outline.metadata is None or introduction is None:
        # Whatever kept the compendium from being made has been reported: a check never "passes"
        # without a compendium.
        assert problems.errors, "a part of the source was dropped without an error"
        return None, problems
    compendium = Compendium(
        metadata=outline.metadata,
        introduction=introduction,
        sections=_sections(outline, placed),
        decisions=annex,
        keywords=tuple(keywords.values()),
        publications=tuple(publications.values()),
    )
    return compendium, problems


def _read(path: Path, root: Path, problems: Problems) -> Node | None:
    if not path.exists() and not path.is_symlink():  # a link that loops is reported by read()
        problems.error(Origin(relative_name(path, root), 1), "", "file is missing")
        return None
    return read(path, root, problems)


def _decisions(folder: Path, root: Path, kinds: dict, problems: Problems) -> Registry[Decision]:
    decisions: Registry[Decision] = Registry("decision", "source/decisions/")
    refused = refusal(folder, root)
    if refused is not None:  # not listed: a folder elsewhere on the machine is none of the project's
        problems.error(Origin(relative_name(folder, root), 1), "", refused)
        decisions.unreadable = True
        return decisions
    files = sorted(folder.glob("*.yaml"))
    stray_decisions(folder, root, problems)
    if not files:
        problems.error(Origin(relative_name(folder, root), 1), "", "no decision files (*.yaml) found")
    for path in files:
        node = read(path, root, problems)
        decision = read_decision(node, kinds, problems) if node else None
        if decision is None:
            ident = written_id(node)
            if ident is not None:
                decisions.broken.add(ident)
            else:
                decisions.unreadable = True  # which decision this was cannot be told
            continue
        if decision.id in decisions:
            other = decisions[decision.id].origin.file
            problems.error(decision.origin, f"decision {decision.id}", f"defined twice (also in {other})")
            continue
        decisions[decision.id] = decision
    return decisions


def _annex(outline: Outline, decisions: Registry[Decision], problems: Problems) -> tuple:
    """The annex prints the decisions in the order compendium.yaml lists them; each exactly once."""
    order = []
    for decision_id, origin in outline.annex:
        if decision_id not in decisions:
            if not decisions.unexplained(decision_id):
                continue
            problems.error(origin, "annex", f"decision '{decision_id}': not defined in source/decisions/")
        elif decisions[decision_id] in order:
            problems.error(origin, "annex", f"decision '{decision_id}' is listed twice")
        else:
            order.append(decisions[decision_id])
    missing = [d for d in decisions if decisions[d] not in order]
    if outline.annex and missing and not decisions.unreadable:
        problems.error(
            outline.annex[0][1],
            "annex",
            f"decision {', '.join(missing)} is not listed (every decision is printed in the annex)",
        )
    return tuple(order)


def _sections(outline: Outline, placed: list[Placed]) -> tuple[Section, ...]:
    """Numbers sections, letters parts and numbers topics by their order; puts each provision in its place."""
    by_place: dict[str, list] = {}
    for item in placed:
        by_place.setdefault(item.place.id, []).append(item.provision)
    sections = []
    for s, (section_id, title, _) in enumerate(outline.sections):
        parts = []
        for (ps, p), (part_id, part_title, has_topics) in sorted(outline.parts.items()):
            if ps != s:
                continue
            topics = tuple(
                Topic(place.id, place.topic + 1, place.title, tuple(by_place.get(place.id, ())))
                for place in outline.places.values()
                if place.level == "topic" and place.section == s and place.part == p and place.topic is not None
            )
            direct = () if has_topics else tuple(by_place.get(part_id, ()))
            parts.append(Part(part_id, chr(ord("A") + p), part_title, topics, direct))
        direct = tuple(by_place.get(section_id, ())) if not parts else ()
        colour, tint = outline.colours.get(section_id, (None, None))
        short = outline.short_titles.get(section_id)
        sections.append(
            Section(section_id, s + 1, title, tuple(parts), direct, colour=colour, tint=tint, short_title=short)
        )
    return tuple(sections)
