"""The terminology list of a language (translations/<lang>-terms.yaml) applied to its texts: a
Russian text whose English has a term must render it as the list fixes it, and never as it avoids."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from ..model import Compendium, Origin
from .fields import TEXT, record
from .patterns import CostlyPattern, ProjectPattern, TooCostly
from .problems import Problems
from .texts import translatable
from .yamlsource import read


@dataclass(frozen=True)
class Term:
    term: str
    en: ProjectPattern
    rendering: str
    forms: ProjectPattern
    avoid: ProjectPattern | None
    origin: Origin


def read_terms(path: Path, root: Path, problems: Problems) -> list[Term]:
    """The list; an entry that is not a mapping of its fields, or a pattern that does not compile,
    is an error at its line."""
    node = read(path, root, problems)
    if node is None:
        return []
    if not isinstance(node.value, list):
        problems.error(node.origin, "", "expected a list of terms (- term: …, en: …, rendering: …, forms: …)")
        return []
    terms = []
    for child in node.value:
        values = record(
            child, "term", problems, {"term": TEXT, "en": TEXT, "rendering": TEXT, "forms": TEXT}, {"avoid": TEXT}
        )
        if not values or not {"term", "en", "rendering", "forms"} <= values.keys():
            continue
        compiled = _compiled(child, values, problems)
        if compiled is None:
            continue
        if not _search(compiled["forms"], values["rendering"], problems):
            problems.error(child.origin, f"term '{values['term']}'", "the rendering is not one of its forms")
            continue
        terms.append(
            Term(
                values["term"],
                compiled["en"],
                values["rendering"],
                compiled["forms"],
                compiled.get("avoid"),
                child.origin,
            )
        )
    return terms


def _search(pattern: ProjectPattern, text: str, problems: Problems) -> bool | None:
    """Whether the pattern is found in the text; None when it ran out of time (an error at its
    line, the first time)."""
    try:
        return pattern.search(text) is not None
    except TooCostly as error:
        if error.first:
            problems.error(error.origin, error.context, error.message)
        return None


def _compiled(child, values: dict, problems: Problems) -> dict[str, ProjectPattern] | None:
    """A term's en, forms and avoid patterns compiled; None, with an error at the pattern's line,
    when one does not compile or could take exponential time to match (patterns.py)."""
    compiled = {}
    for key in ("en", "forms", "avoid"):
        if key not in values:
            continue
        where = child.value[key].origin if isinstance(child.value, dict) and key in child.value else child.origin
        try:
            compiled[key] = ProjectPattern(values[key], re.I, where, f"term '{values['term']}': key '{key}'")
        except CostlyPattern as error:
            problems.error(where, f"term '{values['term']}'", f"key '{key}': {error}")
            return None
        except re.error as error:
            problems.error(where, f"term '{values['term']}'", f"key '{key}': not a regular expression: {error}")
            return None
    return compiled


def term_pairs(compendium: Compendium, entries: dict, lang: str) -> list[tuple[str, Origin, str, str]]:
    """(id, where, English, translation) of every text of the language: the translations, and the
    titles and authors of the publications' versions in it."""
    pairs = []
    for text in translatable(compendium):
        entry = entries.get(text.key)
        if entry is not None and getattr(entry, "text", None):
            pairs.append((text.key, entry.origin, text.english, entry.text))
    for publication in compendium.publications:
        version = publication.version(lang)
        if version is None:
            continue
        if version.title:
            pairs.append((publication.id, version.origin, publication.title, version.title))
        if version.authors:
            pairs.append((publication.id, version.origin, "; ".join(publication.authors), "; ".join(version.authors)))
    return pairs


def inconsistencies(terms: list[Term], pairs, problems: Problems | None = None) -> list[tuple[str, Origin, str]]:
    """(id, where, message) for each text that does not render a term of its English as the list
    fixes it; a term whose pattern runs out of time is an error at its line, and is left."""
    problems = problems if problems is not None else Problems()
    out = []
    for term in terms:
        for key, origin, english, translated in pairs:
            found = _search(term.en, english, problems)
            if found is None:
                break
            if not found:
                continue
            rendered = _search(term.forms, translated, problems)
            avoided = False if term.avoid is None else _search(term.avoid, translated, problems)
            if rendered is None or avoided is None:
                break
            if not rendered:
                out.append((key, origin, f"'{term.term}' not rendered as '{term.rendering}'"))
            if avoided:
                out.append((key, origin, f"'{term.term}' rendered otherwise than '{term.rendering}'"))
    return out


def check_terms(path: Path, root: Path, compendium: Compendium, entries: dict, lang: str, problems: Problems) -> None:
    """`check`: every departure from the terminology list, a warning at the text's line."""
    terms = read_terms(path, root, problems)
    for key, origin, message in inconsistencies(terms, term_pairs(compendium, entries, lang), problems):
        problems.warning(origin, f"'{key}'", f"terminology: {message} ({path.name})")
