"""Reads source/editions.yaml: the editions (languages, variants, papers) a plain build makes."""

from __future__ import annotations

import os
import re
from pathlib import Path

from babel import Locale, UnknownLocaleError

from ..edition import MARKS, PAPERS, VARIANTS, Edition, Variant
from ..model import Origin
from .fields import FLAG, LIST, TEXT, TEXTS, child, items, record
from .filenames import check_name_lengths
from .interface import START_COMMAND, check_catalogue
from .languages import INTERFACE_LANGUAGE
from .problems import Problems, suggest
from .project import Project
from .yamlsource import Node, read, relative_name

LANG = re.compile(r"\A[a-z]{2,3}\Z")  # \Z, not $: "ru\n" is no language code (a file name would end in a line break)


def missing_files(lang: str, project: Project, interface_only: bool = False) -> list[str]:
    """What an edition language needs before it can be built, and is not there or is broken: its
    interface catalogue (the project's or the builder's) unless it is English, the language of the
    message ids; the project's translation file unless it is the source's language or the edition
    is interface-only; and Babel's data for writing dates and lists in it."""
    if lang == INTERFACE_LANGUAGE and lang == project.language:
        return []
    reasons: list[str] = []
    try:
        Locale.parse(lang)
    except (UnknownLocaleError, ValueError):
        # not a language at all, most likely (xx): making its catalogue would not help
        return [f"Babel has no locale data for '{lang}' (dates and lists cannot be written in it)"]
    catalogue = project.locale(lang) / lang / "LC_MESSAGES" / "messages.po"
    needed: tuple[Path, ...] = () if lang == INTERFACE_LANGUAGE else (catalogue,)
    if lang != project.language and not interface_only:
        needed += (project.translations(lang),)
    for path in needed:
        if path.exists():
            continue
        if path == catalogue:
            # the builder has none for the language: the project makes its own, never the builder's
            own = relative_name(project.root / "locale" / lang / "LC_MESSAGES" / "messages.po", project.root)
            command = START_COMMAND.format(lang=lang) + (
                "" if project.source == Project().source else f" --source {shown(project.source)}"
            )
            reasons.append(
                f"no interface catalogue for '{lang}': create the project's own {own} with `{command}`, "
                "then translate its msgstr lines"
            )
        else:
            reasons.append(f"{relative_name(path, project.root)} is missing{_misplaced(path, project)}")
    if lang != INTERFACE_LANGUAGE and catalogue.exists():
        problems = Problems()
        check_catalogue(catalogue, project.root, problems)
        reasons += [str(problem) for problem in problems.errors]
    return reasons


def _misplaced(path: Path, project: Project) -> str:
    """Where the missing translation file is when it was saved in source/translations/, which is never read."""
    inside = project.source / path.parent.name / path.name
    if not inside.is_file():
        return ""
    where = relative_name(inside, project.root)
    beside = f"{path.parent.name}/ beside {project.source.name}/"
    return f" ({where} is there, but translations are read from {beside}: move it)"


def shown(path: Path) -> str:
    """A folder as a user types it here: relative to the working folder when inside it."""
    relative = os.path.relpath(path)
    return path.as_posix() if relative.startswith("..") else relative


def described(edition: Edition) -> str:
    """An edition in words, for a message that names two of them."""
    words = [edition.lang, str(edition.variant)]
    if edition.selection:
        words.append(" ".join(edition.selection))
    words.append(f"on {edition.paper}")
    if edition.variant == "print":
        words.append(f"marks {' '.join(edition.marks) or 'none'}")
    if edition.variant == "booklet":
        words.append(f"{edition.booklet} sheet")
    if edition.interface_only:
        words.append("interface only")
    return " ".join(words)


def identity(edition: Edition) -> str:
    """What a PDF is, apart from its settings (marks, sheets, caliper): its language, variant,
    selection and paper. Two editions of one file name and another identity replace each other's PDF."""
    words = [edition.lang, str(edition.variant), *(edition.selection or ()), f"on {edition.paper}"]
    return " ".join(words + (["interface only"] if edition.interface_only else []))


def collisions(editions: list[Edition]) -> list[tuple[Edition, Edition]]:
    """Pairs of different editions that would write the same file (the second would replace the first)."""
    first: dict[str, Edition] = {}
    found = []
    for edition in editions:
        other = first.setdefault(edition.filename, edition)
        if other != edition:
            found.append((other, edition))
    return found


def collision_message(first: Edition, second: Edition) -> str:
    return (
        f"the editions '{described(first)}' and '{described(second)}' would both write {first.filename}: "
        "change one (a handout's keyword or section, the paper, or the variant)"
    )


def read_editions(project: Project, problems: Problems, origins: dict[Edition, Origin] | None = None) -> list[Edition]:
    """The editions editions.yaml lists; `origins`, when given, receives the line of each (its
    handout entry for a handout). Two editions writing the same file are an error there."""
    origins = {} if origins is None else origins
    editions = _read_editions(project, problems, origins)
    for first, second in collisions(editions):
        where = origins.get(second, Origin("source/editions.yaml", 1))
        problems.error(where, "editions", collision_message(first, second))
    check_name_lengths(editions, origins, project, problems)
    return editions


def _selections(entry: Node, values: dict, context: str, problems: Problems) -> list[tuple[tuple[str, str], Origin]]:
    """An entry's handout selections, each with its line; a handout variant with none is an error
    (it would build nothing and say nothing)."""
    found = []
    for handout in items(child(entry, values, "handouts"), context, problems):
        chosen = record(handout, f"{context}, handout", problems, {}, {"section": TEXT, "keyword": TEXT})
        if chosen is not None and len(chosen) == 1:
            found.append((next(iter(chosen.items())), handout.origin))
        elif chosen is not None:
            problems.error(handout.origin, f"{context}, handout", "expected exactly one of 'section' or 'keyword'")
    selecting = [v for v in values.get("variants", ()) if v in VARIANTS and Variant(v).is_selection]
    if selecting and not found:
        problems.error(
            entry.value["variants"].origin,
            context,
            f"variant {selecting[0]} needs handouts: (a list of {{section: …}} or {{keyword: …}})",
        )
    if found and not selecting:  # the editor wanted a handout, and none would be made
        listed = ", ".join(str(v) for v in values.get("variants", ("screen",)))
        problems.warning(
            entry.value["handouts"].origin,
            context,
            f"key 'handouts': no handout is made: variants ({listed}) has no handout (add it to variants)",
        )
    return found


def _read_editions(project: Project, problems: Problems, origins: dict[Edition, Origin]) -> list[Edition]:
    if not project.editions_file.exists():
        # A project that lists no editions gets the screen edition in its own language (source/README.md).
        return [Edition(project.language, slug=project.slug)]
    node = read(project.editions_file, project.root, problems)
    if node is not None and node.is_list and not node.value:  # `[]` built nothing and said nothing
        problems.error(node.origin, "editions", "no editions: list at least one {lang: …, variants: […]}")
    editions: list[Edition] = []
    for entry in items(node, "editions", problems):
        values = record(
            entry,
            "edition",
            problems,
            {"lang": TEXT},
            {
                "variants": TEXTS,
                "paper": TEXT,
                "marks": TEXTS,
                "handouts": LIST,
                "interface_only": FLAG,
                "partial": FLAG,
            },
        )
        if not values or "lang" not in values:
            continue
        lang = values["lang"]
        context = f"edition '{lang}'"
        if not LANG.match(lang):
            problems.error(
                entry.value["lang"].origin,
                "edition",
                f"key 'lang': expected a language code such as 'ru', found '{lang}'",
            )
            continue
        interface_only = values.get("interface_only", False)
        partial = values.get("partial", False)
        for message in missing_files(lang, project, interface_only):
            problems.error(entry.value["lang"].origin, context, message)
        variants = values.get("variants", ("screen",))
        paper = values.get("paper", "a4")
        marks = values.get("marks", ("crop",))
        for key, given, allowed in (
            ("variants", variants, VARIANTS),
            ("paper", (paper,), PAPERS),
            ("marks", marks, MARKS),
        ):
            for value in given:
                if value not in allowed:
                    problems.error(
                        entry.value[key].origin,
                        context,
                        f"key '{key}': expected one of {', '.join(allowed)}, found '{value}'{suggest(value, allowed)}",
                    )
        selections = _selections(entry, values, context, problems)
        if not all(v in VARIANTS for v in variants) or paper not in PAPERS or not all(m in MARKS for m in marks):
            continue  # reported above
        for index, variant in enumerate(variants):
            if Variant(variant).is_selection:
                for selection, origin in selections:
                    edition = Edition(
                        lang,
                        variant,
                        paper,
                        tuple(marks),
                        selection,
                        interface_only=interface_only,
                        partial=partial,
                        slug=project.slug,
                    )
                    _add(edition, origin, editions, origins, problems)
            else:
                edition = Edition(
                    lang,
                    variant,
                    paper,
                    tuple(marks),
                    interface_only=interface_only,
                    partial=partial,
                    slug=project.slug,
                )
                _add(edition, _item(entry, "variants", index), editions, origins, problems)
    return editions


def _item(entry: Node, key: str, index: int) -> Origin:
    """The line of the entry's list item under `key` (a variant), else the entry's own line."""
    listed = entry.value.get(key) if entry.is_mapping else None
    if listed is not None and listed.is_list and index < len(listed.value):
        return listed.value[index].origin
    return entry.origin


def _add(edition: Edition, origin: Origin, editions: list[Edition], origins: dict, problems: Problems) -> None:
    """The edition added; one listed already (an entry, variant or handout given twice) is an error
    naming the variant or handout given twice, at its line."""
    if edition in origins:
        first = origins[edition]
        named = f"handout {' '.join(edition.selection)}" if edition.selection else f"variant '{edition.variant}'"
        again = "twice on this line" if first == origin else f"twice (also at {first})"
        problems.error(origin, f"edition '{edition.lang}'", f"{named} listed {again}: give it once")
        return
    editions.append(edition)
    origins[edition] = origin
