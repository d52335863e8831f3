"""A translation's exchange with CAT tools (OmegaT, Trados, memoQ, Weblate, Poedit): the content of
an edition as a gettext PO file and back into translations/<lang>.yaml, written and read by Babel.

Each text is one message: its id as msgctxt, the English as msgid, the translation as msgstr, where
it comes from as an extracted comment (#.) and its source file as a location; a stale translation
(the English changed since it was made) is flagged fuzzy, so CAT tools show it for review."""

from __future__ import annotations

import io
import re
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..model import Compendium, Origin
from .introduction import footnote_marks
from .pofile import Message, read_strict
from .problems import Problems
from .texts import Text, text_hash, translatable
from .translations import Translation, same_marks
from .yamlsource import relative_name

PLACEHOLDER_FIELDS = re.compile(
    rb'^"(Report-Msgid-Bugs-To|Last-Translator|Language-Team): [^"]*(EMAIL@ADDRESS|LL@li\.org)[^"]*"\n', re.M
)
DECISION_PART = re.compile(r"decision\.(?P<id>.+?)\.(?P<rest>(preamble|paragraph|statement|chapeau|title|opening)\b.*)")


def context(key: str) -> str:
    """Where a text stands, for the translator: 'decision 6/17: paragraph 3 (b)'."""
    match = DECISION_PART.match(key)
    if match:
        return f"decision {match['id']}: {match['rest'].replace('.', ' ')}"
    kind, _, rest = key.partition(".")
    return f"{kind}: {rest.replace('.', ' ')}" if rest else kind


def export_po(compendium: Compendium, entries: dict, lang: str, today: date | None = None) -> bytes:
    """The edition's texts as a PO catalogue for a CAT tool. Its header names the compendium, its
    edition and the language, and is dated the day of the export (the same file all day for the
    same texts); none of Babel's placeholders (ORGANIZATION, EMAIL@ADDRESS) is left in it."""
    meta = compendium.metadata
    day = today or datetime.now(UTC).date()
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC)
    catalog = Catalog(
        locale=lang,
        project=meta.title,
        version=f"({meta.edition}, {meta.year})",
        copyright_holder=meta.publisher,
        creation_date=stamp,
        revision_date=stamp,
        fuzzy=False,
        header_comment=(
            f"# {meta.title}: the texts of the edition in '{lang}', for a CAT tool.\n"
            f"# Written by: python build.py translation --lang {lang} --export FILE.po\n"
            f"# Read back by: python build.py translation --lang {lang} --import FILE.po\n"
            "# msgctxt is the text's id (keep it); msgid the English; msgstr the translation.\n"
            "# A fuzzy (needs review) message stays printed in English until it is accepted."
        ),
    )
    for text in translatable(compendium):
        found = entries.get(text.key)
        entry = found if isinstance(found, Translation) else None
        done = entry is not None and bool(entry.text)
        stale = entry is not None and done and entry.stale(text.english)
        previous = (
            entry.previous if stale and entry is not None and entry.previous != " ".join(text.english.split()) else ""
        )
        comments = [f"id {text.key}; {context(text.key)}"]
        marks, _ = footnote_marks(text.english)
        if marks:
            kept = ", ".join(f"[^{mark}]" for mark in dict.fromkeys(marks))
            comments.append(f"keep {kept} (a footnote mark) after the word it marks")
        if stale:
            comments.append(
                "STALE: the English changed since this was translated"
                + (" (from the #| msgid above)" if previous else "")
                + "; review, then clear the fuzzy flag"
                if entry is not None and entry.hash != text.hash
                else "NOT REVIEWED: review, then clear the fuzzy flag"
            )
        catalog.add(
            " ".join(text.english.split()),
            entry.text if entry is not None and done else "",
            locations=[(text.file, None)],  # type: ignore[list-item]  # Babel writes a file without a line
            flags=["fuzzy"] if stale else [],
            auto_comments=comments,
            context=text.key,
            previous_id=previous or (),
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_lineno=False, include_previous=True)
    # Babel's placeholders for what the export cannot know: left empty (the CAT tool fills them in)
    return PLACEHOLDER_FIELDS.sub(
        lambda field: b"" if field[1] == b"Report-Msgid-Bugs-To" else b'"' + field[1] + b': \\n"\n',
        buffer.getvalue(),
        count=3,
    )


def import_po(
    path: Path, root: Path, compendium: Compendium, entries: dict, lang: str, problems: Problems
) -> tuple[dict, list[str]]:
    """The entries with the PO file's translations taken in, and the ids whose text changed.

    The file is refused, with nothing taken in, when its syntax is wrong (pofile.read_strict), its
    header names another language, it holds a text twice, or a translation drops or renames a
    footnote mark of its English; each at its line. A translated message that is not fuzzy is taken
    as made from its msgid (its hash is the msgid's: stale if the English changed since the
    export); a fuzzy one keeps the entry's hash and is marked `reviewed: false`, so it stays stale
    (printed in English) until accepted, even when it translates the present English; an empty
    msgstr changes nothing. A msgctxt that names no text is an error at its line."""
    name = relative_name(path, root)
    messages = _read_checked(path, name, lang, problems)
    if messages is None:
        return entries, []
    try:
        catalog = read_po(io.BytesIO(path.read_bytes()), locale=None, abort_invalid=True)
    except Exception as error:  # noqa: BLE001 - Babel raises whatever its parser meets
        line = getattr(error, "lineno", 0) + 1
        problems.error(Origin(name, line), "", f"not a PO file Babel can read: {' '.join(str(error).split())}")
        return entries, []
    written = {message.context: message for message in messages}

    texts: dict[str, Text] = {text.key: text for text in translatable(compendium)}
    updated, changed = dict(entries), []
    for message in catalog:
        if not message.id:
            continue  # the header
        origin = Origin(name, message.lineno or 1)
        key = message.context
        if key not in texts:
            problems.error(
                origin, f"msgctxt {key!r}", "no text of the source has this id (exported from another version?)"
            )
            continue
        string = message.string if isinstance(message.string, str) else ""
        entry = entries.get(key)
        if not string.strip() or not isinstance(message.id, str):
            if isinstance(entry, Translation) and entry.text:
                line = written[key].string_line if key in written else origin.line
                problems.warning(
                    Origin(name, line),
                    f"msgctxt {key!r}",
                    f"empty msgstr ignored: the translation in the edition's file is kept ({_quoted(entry.text)}); "
                    "to withdraw it, delete its text there",
                )
            continue
        known = entry if isinstance(entry, Translation) else None
        # fuzzy ("needs review" in a CAT tool): not accepted, printed in English until it is; made
        # from the English its entry was made from (or, new, from the msgid)
        hash = known.hash if message.fuzzy and known and known.hash else text_hash(message.id)
        text = " ".join(string.split()) if "\n" not in string else string
        at = Origin(name, written[key].string_line) if key in written else origin
        if any(getattr(message.id, edge)("\n") != getattr(string, edge)("\n") for edge in ("startswith", "endswith")):
            problems.error(
                at,
                f"msgctxt {key!r}",
                "msgid and msgstr do not both begin and end with a line break ('\\n'), as msgfmt -c checks: "
                "remove it from the msgstr",
            )
            continue
        if not same_marks(key, texts[key].english, Translation(text, hash, at), problems):
            continue
        reviewed = False if message.fuzzy else None
        previous = (
            known.previous if known and hash == known.hash else message.id if hash == text_hash(message.id) else ""
        )
        new = Translation(text, hash, known.origin if known else origin, reviewed, previous)
        if not known or (known.text, known.hash, known.reviewed is False) != (text, hash, message.fuzzy):
            updated[key] = new
            changed.append(key)
    return updated, changed


def _quoted(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[:width] + "…")


def _read_checked(path: Path, name: str, lang: str, problems: Problems) -> list[Message] | None:
    """The messages of a PO file whose syntax is right, whose header's language is `lang` and
    which holds each text once; None, with the problems reported, for any other file."""
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
        return None
    try:
        written = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(Origin(name, line), "", f"not UTF-8 text ({error.reason}, byte {error.start}): save it as UTF-8")
        return None
    found = Problems()
    messages = read_strict(written, name, found)
    header = next((m for m in messages if m.id == "" and m.context is None), None)
    language = re.search(r"^Language:[ \t]*(\S*)", header.string, re.M) if header else None
    if language and language[1] and re.split(r"[-_@.]", language[1])[0].lower() != lang:
        lines = written.split("\n")
        line = next((n for n, text in enumerate(lines, 1) if text.startswith('"Language:')), 1)
        found.error(
            Origin(name, line),
            "",
            f"Language is '{language[1]}', expected '{lang}': the file is a translation into another language "
            "(correct its header only if the file is mislabelled)",
        )
    if messages and not any(message.context for message in messages):
        problems.error(
            Origin(name, 1),
            "",
            "not a file from --export: no message has a msgctxt (a text's id). Interface strings are not "
            f"imported: they are translated in locale/{lang}/LC_MESSAGES/messages.po itself",
        )
        return None
    first: dict[str | None, Message] = {}
    for message in messages:
        if message.context is None:
            continue  # the header; any other is refused below as naming no text
        if message.context in first:
            found.error(
                Origin(name, message.line),
                f"msgctxt {message.context!r}",
                f"a second message for this text (the first at line {first[message.context].line}): "
                "a text is translated once; delete one of them",
            )
        first.setdefault(message.context, message)
    problems.items += found.items
    return None if found.errors else messages
