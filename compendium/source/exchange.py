"""A translation's exchange with CAT tools (OmegaT, Trados, memoQ, Weblate, Poedit): the content of
an edition as a gettext PO file and back into translations/<lang>.yaml, written and read by Babel.

Each text is one message: its id as msgctxt, the English as msgid, the translation as msgstr, where
it comes from as an extracted comment (#.) and its source file as a location; a stale translation
(the English changed since it was made) is flagged fuzzy, so CAT tools show it for review."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from ..model import Compendium, Origin
from .pofile import read_strict
from .problems import Problems
from .texts import Text, text_hash, translatable
from .translations import Translation
from .yamlsource import relative_name

DECISION_PART = re.compile(r"decision\.(?P<id>.+?)\.(?P<rest>(preamble|paragraph|statement|chapeau|title|opening)\b.*)")


def context(key: str) -> str:
    """Where a text stands, for the translator: 'decision 6/17: paragraph 3 (b)'."""
    match = DECISION_PART.match(key)
    if match:
        return f"decision {match['id']}: {match['rest'].replace('.', ' ')}"
    kind, _, rest = key.partition(".")
    return f"{kind}: {rest.replace('.', ' ')}" if rest else kind


def export_po(compendium: Compendium, entries: dict, lang: str) -> bytes:
    """The edition's texts as a PO catalogue for a CAT tool."""
    catalog = Catalog(
        locale=lang,
        project=compendium.metadata.title,
        creation_date=datetime(2000, 1, 1, tzinfo=UTC),  # the same file for the same texts
        revision_date=datetime(2000, 1, 1, tzinfo=UTC),
        fuzzy=False,
    )
    for text in translatable(compendium):
        found = entries.get(text.key)
        entry = found if isinstance(found, Translation) else None
        done = entry is not None and bool(entry.text)
        stale = entry is not None and done and entry.hash != text.hash
        comments = [f"id {text.key}; {context(text.key)}"]
        if stale:
            comments.append("STALE: the English changed since this was translated; review, then clear the fuzzy flag")
        catalog.add(
            " ".join(text.english.split()),
            entry.text if entry is not None and done else "",
            locations=[(text.file, None)],  # type: ignore[list-item]  # Babel writes a file without a line
            flags=["fuzzy"] if stale else [],
            auto_comments=comments,
            context=text.key,
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_lineno=False)
    return buffer.getvalue()


def import_po(
    path: Path, root: Path, compendium: Compendium, entries: dict, problems: Problems
) -> tuple[dict, list[str]]:
    """The entries with the PO file's translations taken in, and the ids whose text changed.

    A translated message that is not fuzzy is taken as made from its msgid (its hash is the
    msgid's: stale if the English changed since the export); a fuzzy one keeps the entry's hash,
    so it stays stale until accepted; an empty msgstr changes nothing. A msgctxt that names no text
    is an error at its line."""
    name = relative_name(path, root)
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
        return entries, []
    try:
        written = data.decode("utf-8")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(Origin(name, line), "", f"not UTF-8 text ({error.reason}, byte {error.start}): save it as UTF-8")
        return entries, []
    strict = Problems()
    read_strict(written, name, strict)
    problems.items += strict.items
    if strict.errors:
        return entries, []
    try:
        catalog = read_po(io.BytesIO(data), locale=None, abort_invalid=True)
    except Exception as error:  # noqa: BLE001 - Babel raises whatever its parser meets
        line = getattr(error, "lineno", 0) + 1
        problems.error(Origin(name, line), "", f"not a PO file Babel can read: {' '.join(str(error).split())}")
        return entries, []
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
        if not string.strip() or not isinstance(message.id, str):
            continue
        entry = entries.get(key)
        if message.fuzzy:
            hash = entry.hash if isinstance(entry, Translation) and entry.hash else text_hash(message.id + " (fuzzy)")
        else:
            hash = text_hash(message.id)
        text = " ".join(string.split()) if "\n" not in string else string
        new = Translation(text, hash, entry.origin if isinstance(entry, Translation) else origin)
        if not isinstance(entry, Translation) or (entry.text, entry.hash) != (new.text, new.hash):
            updated[key] = new
            changed.append(key)
    return updated, changed
