"""Content translations: reading translations/<lang>.yaml, applying them with visible English
fallback, and the coverage report (translated / total per source file, missing and stale ids)."""

from __future__ import annotations

import json
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from markupsafe import Markup, escape

from .fields import TEXT, record
from .model import Compendium, Origin
from .problems import Problems
from .texts import Text, rewrite, text_hash, translatable
from .textstatus import is_status_key, read_status, status_template, with_text_status
from .versions import version_lines
from .yamlsource import read


class Fallback(str):
    """English standing in for a missing translation. Printed in a span that marks it and sets
    its language, so that it is hyphenated as English; `str()` of it is the plain text."""

    marker: str

    def __new__(cls, english: str, marker: str) -> Fallback:
        text = super().__new__(cls, english)
        text.marker = marker
        return text

    def __str__(self) -> str:
        return str.__str__(self)

    def __html__(self) -> Markup:
        return Markup('<span class="fallback" lang="en" data-marker="{}">{}</span>').format(
            self.marker, escape(str(self))
        )


@dataclass(frozen=True)
class Entry:
    """One translation: the text, and the hash of the English it was made from."""

    text: str
    hash: str
    origin: Origin


@dataclass
class Coverage:
    """How much of the compendium an edition has in its own language."""

    lang: str
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    translated: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    missing: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    stale: list[Text] = field(default_factory=list)
    unknown: list[tuple[str, Origin]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what else an editor checks: publication versions

    @property
    def fallbacks(self) -> list[str]:
        return [key for keys in self.missing.values() for key in keys]

    @property
    def complete(self) -> bool:
        return not self.fallbacks and not self.stale

    def lines(self) -> list[str]:
        """The report the build prints."""
        all_total = sum(self.total.values())
        all_done = sum(self.translated.values())
        out = [f"coverage {self.lang}: {all_done}/{all_total} texts translated"]
        for file in sorted(self.total):
            out.append(f"  {file}: {self.translated[file]}/{self.total[file]}")
            out += [f"    missing: {key}" for key in self.missing.get(file, [])]
        out += [f"  stale (the English changed since it was translated): {text.key}" for text in self.stale]
        out += [f"  {origin}: unknown id '{key}' (no such text in the source)" for key, origin in self.unknown]
        return out + self.notes


def read_translations(path: Path, root: Path, problems: Problems) -> dict[str, Entry]:
    """translations/<lang>.yaml: a mapping from text ids to {hash, text}, and from decision.<id>.status
    to what that decision's text is (textstatus.TextStatus)."""
    node = read(path, root, problems)
    if node is None:
        return {}
    if not node.is_mapping:
        problems.error(node.origin, "", "expected a mapping from text ids to translations")
        return {}
    entries = {}
    for key, child in node.value.items():
        if is_status_key(key):  # what a decision's text is (textstatus.py), not a text
            status = read_status(child, key, node.key_origins[key], problems)
            if status:
                entries[key] = status
            continue
        if child.is_mapping and "text" in child.value and child.value["text"].value in ("", None):
            continue  # not translated yet: a template entry still waiting for its text
        values = record(child, f"translation '{key}'", problems, {"hash": TEXT, "text": TEXT})
        if values and {"hash", "text"} <= values.keys():
            entries[key] = Entry(values["text"], values["hash"], node.key_origins[key])
    return entries


def localize(compendium: Compendium, lang: str, entries: dict[str, Entry], marker: str) -> tuple[Compendium, Coverage]:
    """The compendium in `lang`: each text translated where a translation exists, otherwise the
    English marked as a fallback; and the coverage of the translation."""
    coverage = Coverage(lang)
    known = set()

    def text(key: str, english: str, file: str) -> str:
        known.add(key)
        coverage.total[file] += 1
        entry = entries.get(key)
        if entry is None:
            coverage.missing[file].append(key)
            return Fallback(english, marker)
        coverage.translated[file] += 1
        if entry.hash != text_hash(english):
            coverage.stale.append(Text(key, english, file))
        return entry.text

    localized = rewrite(compendium, text)
    localized, statuses = with_text_status(localized, entries, {key for key in known if key in entries})
    known |= statuses
    coverage.notes = version_lines(compendium.publications, lang)
    coverage.unknown = [(key, entry.origin) for key, entry in entries.items() if key not in known]
    return localized, coverage


def template(compendium: Compendium, existing: dict[str, Entry], lang: str) -> str:
    """A translation file for `lang` with every id, keeping existing translations: what a
    translator starts from (`python build.py translation --lang xx`). Each entry shows the English
    as a comment; an entry whose English changed is flagged for review."""
    lines = [
        f"# Translation of the compendium into '{lang}'. One entry per text id; 'text' is the translation,",
        "# 'hash' identifies the English it was made from (shown above each entry). When the English",
        "# changes, the build reports the entry as stale: review the text, then copy the new hash.",
        "",
    ]
    for item in translatable(compendium):
        entry = existing.get(item.key)
        english = " ".join(item.english.split())
        lines.append(f"# en: {english}")
        if entry and entry.hash != item.hash:
            lines.append("# STALE: the English changed since this was translated; review, then keep the new hash")
        lines.append(f"{item.key}:")
        lines.append(f"  hash: {item.hash if entry is None or entry.hash == item.hash else entry.hash}")
        lines.append(f"  text: {json.dumps(entry.text if entry else '', ensure_ascii=False)}")
        lines.append("")
    return "\n".join(lines + status_template(compendium, existing))
