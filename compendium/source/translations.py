"""Content translations: reading translations/<lang>.yaml, applying them with visible English
fallback, and the coverage report (translated / total per source file, missing and stale ids)."""

from __future__ import annotations

import difflib
import re
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import yaml
from markupsafe import Markup, escape

from ..model import LINE_BREAK, Compendium, Origin
from .fields import FLAG, TEXT, describe, record
from .interface import builder_messages, check_catalogue
from .introduction import footnote_marks
from .problems import Problems, suggest
from .project import Project
from .texts import Text, rewrite, text_hash, translatable
from .textstatus import StatusEntry, is_status_key, read_status, status_template, with_text_status
from .versions import version_lines
from .yamlsource import INVALID, Node, parse, read_text, relative_name

HASH = re.compile(r"[0-9a-f]{12}\Z")
PLAIN_KEY = re.compile(
    r"[a-z][A-Za-z0-9_/-]*(\.[A-Za-z0-9_/-]+)+\Z"
)  # an id that YAML reads back as the same text unquoted
ACCEPT_HINT = "python build.py translation --lang {lang} --accept {key}"
UNKNOWN_HEADING = "# Entries whose id is not (or no longer) in the source, kept so that no translation is lost:"


class Fallback(str):
    """The source text standing in for a missing translation. Printed in a span that marks it and
    sets its language, so that it is hyphenated as the source; `str()` of it is the plain text.
    It names its text (`key`) and whether a translation exists but is out of date (`stale`), so
    that the imprint can count texts and places of each kind from the page itself."""

    marker: str
    lang: str
    key: str
    stale: bool

    def __new__(cls, english: str, marker: str, lang: str = "en", key: str = "", stale: bool = False) -> Fallback:
        text = super().__new__(cls, english)
        text.marker = marker
        text.lang = lang
        text.key = key
        text.stale = stale
        return text

    def like(self, text: str) -> Fallback:
        """`text` (this one typeset or filtered) marked as this one is."""
        return Fallback(text, self.marker, self.lang, self.key, self.stale)

    def span(self, markup: Markup | str) -> Markup:
        """`markup` (this text as printed) in the span that marks it."""
        return Markup('<span class="fallback" lang="{}" data-marker="{}" data-text="{}"{}>{}</span>').format(
            self.lang, self.marker, self.key, Markup(" data-stale") if self.stale else "", markup
        )

    def __str__(self) -> str:
        return str.__str__(self)

    def __html__(self) -> Markup:
        return self.span(escape(str(self)))


@dataclass(frozen=True)
class Translation:
    """One translation: the text ("" for an entry still waiting for its text), the hash of the
    English it was made from, whether a translator has reviewed it (`reviewed: true`, which
    `translation --accept-reviewed` turns into the new hash; `reviewed: false` keeps even a
    translation of the present English stale: a fuzzy one from a CAT tool, not yet accepted; None
    when the entry does not say), and the English it was made from when the file still shows it."""

    text: str
    hash: str
    origin: Origin
    reviewed: bool | None = None
    previous: str = ""

    def stale(self, english: str) -> bool:
        """True when the translation is not of `english`, or is not yet accepted."""
        return self.hash != text_hash(english) or self.reviewed is False


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
    where: dict[str, Origin] = field(default_factory=dict)  # a missing or stale text's entry in the file
    interface: list[str] = field(default_factory=list)  # interface strings printed in English (empty, fuzzy)
    invalid: set[str] = field(default_factory=set)  # missing ones whose translation check refuses (footnote marks)

    @property
    def fallbacks(self) -> list[str]:
        """The content texts printed in the source language, marked: missing, or stale until accepted."""
        return [key for keys in self.missing.values() for key in keys] + [text.key for text in self.stale]

    @property
    def complete(self) -> bool:
        return not self.fallbacks and not self.interface

    def lines(self) -> list[str]:
        """The report the build prints."""
        all_total = sum(self.total.values())
        all_done = sum(self.translated.values())
        out = [f"coverage {self.lang}: {all_done}/{all_total} texts translated"] if all_total else []
        for file in sorted(self.total):
            out.append(f"  {file}: {self.translated[file]}/{self.total[file]}")
            out += [
                f"    invalid (translated, but refused by check: its footnote marks): {key}"
                if key in self.invalid
                else f"    missing: {key}"
                for key in self.missing.get(file, [])
            ]
        out += [
            f"  stale (the English changed since it was translated; printed in English until accepted): {text.key}"
            for text in self.stale
        ]
        if self.interface:
            out.append(
                f"{'  ' if all_total else f'coverage {self.lang}: '}interface strings not translated "
                f"(empty or fuzzy msgstr, printed in English, marked): {len(self.interface)}"
            )
            out += [f"    missing: {message!r}" for message in self.interface]
        out += [f"  {origin}: unknown id '{key}' (no such text in the source)" for key, origin in self.unknown]
        return out + self.notes


def read_translations(path: Path, root: Path, problems: Problems) -> dict[str, Translation | StatusEntry]:
    """translations/<lang>.yaml: a mapping from text ids to {hash, text}, and from decision.<id>.status
    to what that decision's text is (textstatus.StatusEntry)."""
    name = relative_name(path, root)
    text = _file_text(path, name, root, problems)
    if text is None:
        return {}
    node = parse(text, name, problems)
    if node is None:
        return {}
    lines = text.splitlines()
    if not node.is_mapping:
        problems.error(
            node.origin, "", f"expected a mapping from text ids to translations, found {describe(node.value)}"
        )
        return {}
    entries: dict = {}  # text ids to Translation, decision.<id>.status to TextStatus
    for key, child in node.value.items():
        if is_status_key(key):  # what a decision's text is (textstatus.py), not a text
            status = read_status(child, key, node.key_origins[key], problems)
            if status:
                entries[key] = status
            continue
        if child.is_mapping and "text" in child.value and child.value["text"].value in ("", None):
            # not translated yet: a template entry still waiting for its text, kept for its line
            waiting = child.value.get("hash")
            hash = waiting.value if waiting is not None and isinstance(waiting.value, str) else ""
            entries[key] = Translation("", hash, node.key_origins[key])
            continue
        context = f"translation '{key}'"
        child = Node(child.value, node.key_origins[key], child.key_origins)  # an entry is named at its id
        written_hash = child.value.get("hash") if child.is_mapping else None
        if written_hash is not None and written_hash.value is INVALID:
            continue  # told where it was read (a leading zero: hash: 000000000012), once
        if written_hash is not None and not (isinstance(written_hash.value, str) and HASH.match(written_hash.value)):
            problems.error(
                written_hash.origin,
                context,
                "key 'hash': expected 12 hexadecimal digits in quotes, such as hash: \"0a1b2c3d4e5f\" (copy it from "
                f"the file the `translation` command writes), found {describe(written_hash.value)}",
            )
            continue
        values = record(child, context, problems, {"hash": TEXT, "text": TEXT}, {"reviewed": FLAG})
        if values and {"hash", "text"} <= values.keys():
            origin = node.key_origins[key]
            previous = _english_above(lines, origin.line, values["hash"])
            entries[key] = Translation(values["text"], values["hash"], origin, values.get("reviewed"), previous)
    return entries


def _file_text(path: Path, name: str, root: Path, problems: Problems) -> str | None:
    """The translation file's text (None when it cannot be read); a file cut short is an error."""
    text = read_text(path, name, root, problems)
    if text is None:
        return None
    if text and not text.endswith("\n"):
        # The builder ends every file it writes with a line break: a file without one was cut short.
        problems.error(
            Origin(name, text.count("\n") + 1),
            "",
            "the file ends in the middle of a line, as if cut short: restore the rest (from version control) "
            "before building or rewriting it",
        )
    return text


def _english_above(lines: list[str], line: int, hash: str) -> str:
    """The English an entry at `line` was translated from, as a comment above it shows it ('# en:'
    written when the translation was current, or '# translated from:' when it went stale): the
    comment whose text has the entry's hash, so a comment edited by hand is never taken for it."""
    number = line - 2
    while 0 <= number < len(lines) and lines[number].startswith("#"):
        for prefix in ("# en: ", "# translated from: "):
            if lines[number].startswith(prefix) and text_hash(lines[number][len(prefix) :]) == hash:
                return lines[number][len(prefix) :]
        number -= 1
    return ""


def localize(
    compendium: Compendium,
    lang: str,
    entries: dict[str, Translation | StatusEntry],
    marker: str,
    problems: Problems | None = None,
) -> tuple[Compendium, Coverage]:
    """The compendium in `lang`: each text translated where a translation exists, otherwise the
    English marked as a fallback; and the coverage of the translation.

    A translation whose footnote marks differ from the English would lose a footnote or mark one that
    does not exist: it is an error in `problems`, and the English stands in for it."""
    coverage = Coverage(lang)
    known: set[str] = set()
    printed: set[str] = set()  # the texts printed translated

    def text(key: str, english: str, file: str) -> str:
        known.add(key)
        coverage.total[file] += 1
        entry = entries.get(key)
        if isinstance(entry, Translation):
            coverage.where[key] = entry.origin
        if isinstance(entry, Translation) and entry.text and not same_marks(key, english, entry, problems):
            coverage.invalid.add(key)
            entry = None
        if not isinstance(entry, Translation) or not entry.text:
            entry = None
        if entry is None:
            coverage.missing[file].append(key)
            return Fallback(english, marker, compendium.metadata.language, key)
        if entry.stale(english):
            # Stale: the translation says what the English used to say. The English is printed,
            # marked, until a translator has reviewed the translation and accepted it.
            coverage.stale.append(Text(key, english, file))
            return Fallback(english, marker, compendium.metadata.language, key, stale=True)
        coverage.translated[file] += 1
        printed.add(key)
        return entry.text

    localized = rewrite(compendium, text)
    localized, statuses = with_text_status(localized, entries, printed)
    known |= statuses
    coverage.notes = version_lines(compendium.publications, lang)
    coverage.unknown = [
        (key, entry.origin) for key, entry in entries.items() if key not in known and getattr(entry, "text", True)
    ]
    return localized, coverage


def same_marks(key: str, english: str, entry: Translation, problems: Problems | None) -> bool:
    """True when the translation marks the same footnotes as the English ([^id], as often as it does)."""
    if "[^" not in english and "[^" not in entry.text:
        return True
    wanted, _ = footnote_marks(english)
    found, unclosed = footnote_marks(entry.text)
    if sorted(wanted) == sorted(found) and unclosed is None:
        return True
    if problems is not None:
        shown = next((f"[^{m}]" for m in wanted), "")  # the English is quoted up to its first mark
        if unclosed is not None:
            message = f"footnote mark '{unclosed}…' is not closed: write [^id] with a ']'"
        else:
            extra = [f"[^{m}]" for m in found if m not in wanted]
            lost = [f"[^{m}]" for m in wanted if m not in found]
            shown = lost[0] if lost else shown
            message = (
                f"footnote mark {', '.join(extra)} names no footnote of the English text"
                if extra
                else f"footnote mark {', '.join(lost)} of the English text is missing"
                if lost
                else "a footnote mark is written twice"
            )
        problems.error(entry.origin, f"translation '{key}'", f"{message} (the English: {_around(english, shown)})")
    return False


def _interface_messages(compendium: Compendium | None) -> frozenset[str] | None:
    """The interface strings an edition asks its catalogue for: the builder's and the wordings of the
    compendium's kinds of document (None without the source: then nothing is called unused)."""
    from .kinds import WORDINGS

    if compendium is None:
        return None
    wordings = {getattr(decision.kind, key, None) for decision in compendium.decisions for key in WORDINGS}
    return builder_messages() | {str(wording) for wording in wordings if wording is not None}


def check_translations(
    project: Project, langs, compendium: Compendium | None, problems: Problems, partial: set[str] | None = None
) -> None:
    """What `check` reports about each edition language's translation file and interface catalogue:
    malformed entries and hashes, a file cut short, footnote marks that name no footnote, unknown ids
    (errors or warnings); and, as warnings (errors under --strict), every text the edition would print
    in English: stale translations and missing ones, each at its line, and empty or fuzzy interface
    strings. A `partial` language's (its editions are published partial) untranslated texts are
    notes: reported, never failing."""
    root = project.root
    for lang in sorted(set(langs) - {project.language}):
        untranslated = problems.note if lang in (partial or set()) else problems.warning
        catalogue = project.locale(lang) / lang / "LC_MESSAGES" / "messages.po"
        if catalogue.exists():
            known = _interface_messages(compendium)
            check_catalogue(catalogue, root, problems, untranslated=True, report=untranslated, known=known)
        path = project.translations(lang)
        if not path.exists():
            continue  # reported with the edition that needs it
        entries = read_translations(path, root, problems)
        if compendium is None:
            continue  # ids and footnotes cannot be told without the source
        _, coverage = localize(compendium, lang, entries, compendium.metadata.language.upper(), problems)
        _report_unknown(compendium, coverage, problems)
        terms = path.with_name(f"{lang}-terms.yaml")
        if terms.exists():
            from .terms import check_terms

            check_terms(terms, root, compendium, entries, lang, problems)
        name = relative_name(path, root)
        _report_stale(coverage, entries, lang, problems)
        lines = _SourceLines(root)
        for file, keys in coverage.missing.items():
            english = {t.key: t.english for t in translatable(compendium) if t.file == file} if keys else {}
            for key in keys:
                origin = coverage.where.get(key) or lines.origin(file, english.get(key, ""))
                untranslated(
                    origin,
                    f"translation '{key}'",
                    f"not translated into '{lang}': printed in English, marked (the English: "
                    f"{_quoted(english.get(key, ''))}); add its text to {name}",
                )


def _report_unknown(compendium: Compendium, coverage: Coverage, problems: Problems) -> None:
    """A warning for each id of the translation file that no text of the source has."""
    keys = [text.key for text in translatable(compendium)] if coverage.unknown else []
    for key, origin in coverage.unknown:
        problems.warning(
            origin,
            f"translation '{key}'",
            f"unknown id: no such text in the source (a text removed or renamed?){suggest(key, keys)}",
        )


def _report_stale(coverage: Coverage, entries: dict, lang: str, problems: Problems) -> None:
    """A warning for each stale translation, with what changed in the English."""
    for text in coverage.stale:
        entry = entries.get(text.key)
        previous = entry.previous if isinstance(entry, Translation) else ""
        if isinstance(entry, Translation) and entry.hash == text.hash:
            what = "not reviewed (fuzzy when imported)"
        elif previous:
            what = f"the English changed since this was translated: {changed_words(previous, text.english)}"
        else:
            what = f"the English changed since this was translated (now: {_quoted(text.english)})"
        problems.warning(
            coverage.where[text.key],
            f"translation '{text.key}'",
            f"stale: {what}; it is printed in English until accepted: review it, then run "
            + ACCEPT_HINT.format(lang=lang, key=text.key)
            + " (or set 'reviewed: true' and run --accept-reviewed)",
        )


def _around(text: str, mark: str, width: int = 80) -> str:
    """At most `width` characters of the text, ending with `mark` when it has one (a footnote mark
    past the first 80 characters was cut off the quote that should show it)."""
    flat = " ".join(text.split())
    end = flat.find(mark) + len(mark) if mark and mark in flat else min(len(flat), width)
    start = max(0, end - width)
    return ("…" if start else "") + flat[start:end] + ("…" if end < len(flat) else "")


def changed_words(before: str, after: str, around: int = 3) -> str:
    """What changed between two versions of an English text, word by word, each change with a few
    words around it: "'…as a platform for…' → '…as a key platform for…'"."""
    old, new = before.split(), after.split()
    changes = []
    opcodes = difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes()
    for tag, i1, i2, j1, j2 in opcodes:
        if tag == "equal":
            continue
        start_a, start_b = max(0, i1 - around), max(0, j1 - around)
        end_a, end_b = min(len(old), i2 + around), min(len(new), j2 + around)
        was = ("…" if start_a else "") + " ".join(old[start_a:end_a]) + ("…" if end_a < len(old) else "")
        now = ("…" if start_b else "") + " ".join(new[start_b:end_b]) + ("…" if end_b < len(new) else "")
        changes.append(f"'{_clipped(was)}' → '{_clipped(now)}'")
    return "; ".join(changes[:5]) + (f"; and {len(changes) - 5} more changes" if len(changes) > 5 else "")


def _clipped(text: str, width: int = 100) -> str:
    """A change of many words shown by its ends: a rewritten paragraph quoted whole made a
    warning line of thousands of characters."""
    return text if len(text) <= width else f"{text[: width * 2 // 3].rstrip()} … {text[-width // 3 :].lstrip()}"


def _quoted(text: str, width: int = 80) -> str:
    flat = " ".join(text.split())
    return f"'{flat[:width]}…'" if len(flat) > width else f"'{flat}'"


class _SourceLines:
    """Where an English text stands in its source file: the line its first words are on (line 1
    when they are folded over lines in another way)."""

    def __init__(self, root: Path) -> None:
        self.root = root
        self.files: dict[str, list[str]] = {}

    def origin(self, file: str, english: str) -> Origin:
        if file not in self.files:
            try:
                self.files[file] = (self.root / file).read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                self.files[file] = []
        words = " ".join(english.split()[:6])
        for number, line in enumerate(self.files[file], 1):
            # a title's line marks (' | ') are not in its English; a comment may quote it
            if words and not line.lstrip().startswith("#") and words in " ".join(line.replace(LINE_BREAK, " ").split()):
                return Origin(file, number)
        return Origin(file, 1)


def template(compendium: Compendium, existing: dict[str, Translation | StatusEntry], lang: str) -> str:
    """A translation file for `lang` with every id, keeping existing translations: what a
    translator starts from (the `translation` command, `--lang xx`). Each entry shows the English
    as a comment; an entry whose English changed is flagged for review. Entries whose id the source
    no longer has are kept at the end, so that rewriting the file never loses a translation."""
    lines = [
        f"# Translation of the compendium into '{lang}'. One entry per text id; 'text' is the translation,",
        "# 'hash' identifies the English it was made from (shown above each entry). When the English",
        "# changes, the entry is marked STALE and the edition prints the English until the translation",
        "# is accepted: review the text against the new English, then either run",
        f"#   python build.py translation --lang {lang} --accept <id> [<id> …]",
        "# or set 'reviewed: true' in each entry reviewed and run",
        f"#   python build.py translation --lang {lang} --accept-reviewed",
        "# which record the new English's hash. Never copy a hash by hand.",
        "",
    ]
    known = set()
    texts = {key: entry for key, entry in existing.items() if isinstance(entry, Translation)}
    for item in translatable(compendium):
        known.add(item.key)
        entry = texts.get(item.key)
        english = " ".join(item.english.split())
        lines.append(f"# en: {english}")
        stale = entry is not None and bool(entry.text) and entry.stale(item.english)
        if stale and entry is not None and entry.hash != item.hash:
            lines.append("# STALE: the English changed since this was translated; review the text, then accept it")
            if entry.previous:
                lines.append(f"# translated from: {entry.previous}")
        elif stale:
            lines.append("# NOT REVIEWED (fuzzy in the CAT tool): printed in English until accepted")
        lines += _entry(item.key, entry.hash if stale and entry else item.hash, entry, stale)
    lines += status_template(compendium, existing)
    unknown = [
        key
        for key in existing
        if key not in known and not is_status_key(key) and bool(getattr(existing[key], "text", None))
    ]
    if unknown:
        lines += [UNKNOWN_HEADING, "# move each to its new id, or delete it when it is no longer wanted.", ""]
        for key in unknown:
            lines += _entry(key, texts[key].hash, texts[key])
    return "\n".join(lines)


def accept(
    compendium: Compendium, entries: dict[str, Translation | StatusEntry], keys: list[str], reviewed: bool
) -> tuple[dict[str, Translation | StatusEntry], list[str], list[str]]:
    """The entries with the translations of `keys` (and, with `reviewed`, every entry marked
    `reviewed: true`) accepted for the present English: their hash becomes the English's.
    Returns the entries, the ids accepted and what could not be accepted (an unknown id, or one
    without a translation)."""
    current = {text.key: text.hash for text in translatable(compendium)}
    wanted = list(dict.fromkeys(keys))
    if reviewed:
        wanted += [key for key, entry in entries.items() if getattr(entry, "reviewed", False) and key not in wanted]
    updated: dict = dict(entries)
    accepted: list[str] = []
    refused: list[str] = []
    for key in wanted:
        entry = entries.get(key)
        if key not in current:
            refused.append(f"--accept {key}: no text of the source has this id{suggest(key, set(current))}")
        elif not isinstance(entry, Translation) or not entry.text:
            refused.append(f"--accept {key}: there is no translation to accept (its 'text' is empty)")
        else:
            updated[key] = Translation(entry.text, current[key], entry.origin)  # reviewed: no longer asked
            accepted.append(key)
    return updated, accepted, refused


def _entry(key: str, hash: str, entry: Translation | None, stale: bool = False) -> list[str]:
    lines = [
        f"{_scalar(key, plain=True)}:",
        f"  hash: {_scalar(hash)}",
        f"  text: {_scalar(entry.text if entry else '')}",
    ]
    if stale and entry is not None:
        lines.append(f"  reviewed: {'true' if entry.reviewed else 'false'}")  # asked until accepted
    return [*lines, ""]


def _scalar(text: str, plain: bool = False) -> str:
    """A text as YAML reads it back unchanged: a double-quoted scalar (every hash, so that one of all
    digits is not read as a number), or an id as it is when it is plain enough."""
    if plain and PLAIN_KEY.match(text):
        return text
    return yaml.safe_dump(text, default_style='"', allow_unicode=True, width=float("inf")).rstrip("\n")
