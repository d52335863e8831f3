"""A translation's exchange with CAT tools (OmegaT, Trados, memoQ, Weblate, Poedit): the content of
an edition as a gettext PO file and back into translations/<lang>.yaml, written and read by Babel.

Each text is one message: its id as msgctxt, the English as msgid, the translation as msgstr, where
it comes from as an extracted comment (#.) and its source file as a location; a stale translation
(the English changed since it was made) is flagged fuzzy, so CAT tools show it for review."""

from __future__ import annotations

import io
import re
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import normalize, read_po, write_po

from ..model import Compendium, Origin
from .inputs import not_regular, too_large
from .interface import foreign_charset
from .introduction import footnote_marks
from .pofile import Message, read_strict
from .problems import Problems, suggest
from .terms import Term
from .textcheck import check_text
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


# The last note of each message: the hash of the translation the file was exported with, so that
# an import can tell a translation changed in translations/<lang>.yaml since (which it would undo)
BASE = "exported with translation"
BASE_NOTE = re.compile(rf"{BASE} ([0-9a-f]{{12}})\Z")

# What a translator needs to know of how a kind of text is printed (the id's pattern, the note)
USES = (
    (
        re.compile(r"keyword\.[^.]+\.label\Z"),
        "a keyword: printed as written (lower case) after 'On …:' in headings, sorted in the keyword table, "
        "cut short with '…' in a continued heading; keep it short",
    ),
    (
        re.compile(r"decision\.[^.]+\.(paragraph|preamble)\."),
        "continues the decision's opening words ('The Ministerial Council,'), so it begins in lower case "
        "where the English does",
    ),
    (re.compile(r"(section|part|topic)\.[^.]+\.title\Z"), "a heading: in the contents, the page and the bookmarks"),
)


def export_po(
    compendium: Compendium,
    entries: dict,
    lang: str,
    today: date | None = None,
    pending: bool = False,
    terms: tuple[Term, ...] = (),  # the glossary, translations/<lang>-terms.yaml
) -> tuple[bytes, list[int]]:
    """The edition's texts as a PO catalogue for a CAT tool (with `pending`, only those missing,
    stale or not reviewed), and the English words of each message. Its header names the
    compendium, its edition and the language, and is dated the day of the export (the same file
    all day for the same texts); none of Babel's placeholders (ORGANIZATION, EMAIL@ADDRESS) is
    left in it. Each message names the glossary's renderings of the terms its English has, so that
    a CAT tool shows them (`check` reports a text departing from them)."""
    catalog = _catalog(compendium, lang, today or datetime.now(UTC).date())
    words: list[int] = []
    previous_ids: dict[str, str] = {}  # written below: Babel 2.19 wraps a '#| msgid' as a comment, breaking it
    for text in translatable(compendium):
        found = entries.get(text.key)
        entry = found if isinstance(found, Translation) and found.text else None
        stale = entry is not None and entry.stale(text.english)
        if pending and entry is not None and not stale:
            continue
        words.append(len(text.english.split()))
        if entry is not None and stale and entry.previous and entry.previous != " ".join(text.english.split()):
            previous_ids[text.key] = entry.previous
        catalog.add(
            " ".join(text.english.split()),
            entry.text if entry is not None else "",
            locations=[(text.file, None)],  # type: ignore[list-item]  # Babel writes a file without a line
            flags=["fuzzy"] if stale else [],
            auto_comments=[
                *_notes(text, entry if stale else None, text.key in previous_ids, terms),
                f"{BASE} {text_hash(entry.text if entry is not None else '')}",
            ],
            context=text.key,
        )
    buffer = io.BytesIO()
    write_po(buffer, catalog, width=0, include_lineno=False)
    written = _with_previous(buffer.getvalue(), previous_ids)
    # Babel's placeholders for what the export cannot know: left empty (the CAT tool fills them in)
    written = PLACEHOLDER_FIELDS.sub(
        lambda field: b"" if field[1] == b"Report-Msgid-Bugs-To" else b'"' + field[1] + b': \\n"\n',
        written,
        count=3,
    )
    return written, words


def _catalog(compendium: Compendium, lang: str, day: date) -> Catalog:
    """An empty catalogue whose header names the compendium, its edition, the language and the day."""
    meta = compendium.metadata
    stamp = datetime(day.year, day.month, day.day, tzinfo=UTC)
    return Catalog(
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


def _notes(text: Text, stale: Translation | None, previous: bool, terms: tuple[Term, ...]) -> list[str]:
    """What a message tells the translator: its id and place, how its kind of text is printed, the
    glossary's renderings, the footnote marks to keep, and why it is fuzzy (`stale`)."""
    notes = [f"id {text.key}; {context(text.key)}"]
    notes += [use for pattern, use in USES if pattern.match(text.key)]
    notes += [f"glossary: {term.term} → {term.rendering}" for term in terms if term.en.search(text.english)]
    marks, _ = footnote_marks(text.english)
    if marks:
        notes.append(
            f"keep {', '.join(f'[^{mark}]' for mark in dict.fromkeys(marks))} (a footnote mark) after the word it marks"
        )
    if stale is not None and stale.hash != text.hash:
        from_previous = " (from the #| msgid below: the English it was made from)" if previous else ""
        notes.append(
            f"STALE: the English changed since this was translated{from_previous}; review, then clear the fuzzy flag"
        )
    elif stale is not None:
        notes.append("NOT REVIEWED: review, then clear the fuzzy flag")
    return notes


def _with_previous(written: bytes, previous_ids: dict[str, str]) -> bytes:
    """The PO file with each stale message's previous English as '#| msgid', before its msgctxt."""
    for key, previous in previous_ids.items():
        at = written.index(f"\nmsgctxt {normalize(key, width=0)}\n".encode()) + 1
        lines = normalize(previous, width=0).split("\n")
        comment = "".join(f"#| {'msgid ' if n == 0 else ''}{line}\n" for n, line in enumerate(lines))
        written = written[:at] + comment.encode() + written[at:]
    return written


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
    try:  # without the byte order mark some Windows tools write
        catalog = read_po(io.BytesIO(path.read_bytes().removeprefix(b"\xef\xbb\xbf")), locale=None, abort_invalid=True)
    except Exception as error:  # noqa: BLE001 - Babel raises whatever its parser meets
        line = getattr(error, "lineno", 0) + 1
        problems.error(Origin(name, line), "", f"not a PO file Babel can read: {' '.join(str(error).split())}")
        return entries, []
    written = {message.context: message for message in messages}
    _as_msgfmt_reads(catalog, written)
    texts: dict[str, Text] = {text.key: text for text in translatable(compendium)}
    updated, changed = dict(entries), []
    for message in catalog:
        if not message.id:
            continue  # the header
        origin = Origin(name, message.lineno or 1)
        key = message.context
        if key not in texts:
            problems.error(
                origin,
                f"msgctxt {key!r}",
                f"no text of the source has this id (exported from another version?){suggest(key or '', list(texts))}",
            )
            continue
        at = Origin(name, written[key].string_line) if key in written else origin
        known = entries.get(key)
        new = _taken_in(message, texts[key], known, at, problems)
        if new is not None and isinstance(message.id, str) and message.id.split() != texts[key].english.split():
            problems.warning(
                origin,
                f"msgctxt {key!r}",
                f"the English of this message is not the source's (now: {_quoted(texts[key].english)}): "
                "edited in the CAT tool, or exported before the English changed; the translation is kept as "
                "made from the file's English, so it stays out of date until accepted (export again)",
            )
        if new is None or _undoes(message, known, new, at, problems):
            continue
        if isinstance(known, Translation):  # the entry stays where it is in the file
            new = replace(new, origin=known.origin)
            english = texts[key].english
            if (known.text, known.hash, known.stale(english)) == (new.text, new.hash, new.stale(english)):
                continue  # the same, and printed the same way (a fuzzy flag on a stale text changes nothing)
        updated[key] = new
        changed.append(key)
    return updated, changed


def _as_msgfmt_reads(catalog: Catalog, written: dict[str | None, Message]) -> None:
    """Each one-form message's strings as msgfmt reads them (pofile.read_strict): Babel kept \\x41
    and \\101 as written, where gettext reads "A" (attacker round 11, N4)."""
    for message in catalog:
        strict = written.get(message.context)
        if message.id and strict is not None and isinstance(message.id, str) and isinstance(message.string, str):
            message.id, message.string = strict.id, strict.string


def _undoes(message, known, new: Translation, at: Origin, problems: Problems) -> bool:
    """True when the message must not be taken in because the translation was changed in the
    edition's file since the PO file was exported: left as it is there when the message still
    has the text it was exported with, an error when the translator changed it too (one of the
    two changes would be lost without a word)."""
    base = next((m[1] for m in map(BASE_NOTE.match, message.auto_comments) if m), None)
    now = known.text if isinstance(known, Translation) else ""
    if base is None or base == text_hash(now) or new.text == now:
        return False
    if text_hash(new.text) == base:
        return True  # untouched in the CAT tool: the newer text of the edition's file stays
    problems.error(
        at,
        f"msgctxt {message.context!r}",
        f"the translation was changed in the edition's file since this PO file was exported (now: {_quoted(now)}); "
        "export again and carry your change over, so that neither is lost",
    )
    return True


def _taken_in(message, text: Text, entry, at: Origin, problems: Problems) -> Translation | None:
    """The translation a message gives its text (at the msgstr's place `at`), or None: none given
    (an empty msgstr, which never withdraws a translation: a warning when there is one), or one
    refused (a line break the msgid has not, footnote marks other than the English's)."""
    known = entry if isinstance(entry, Translation) else None
    if not isinstance(message.id, str) or not isinstance(message.string, str):
        problems.error(
            at,
            f"msgctxt {text.key!r}",
            "a plural message (msgid_plural, msgstr[N]): a text of the edition has one form; give it one msgstr",
        )
        return None
    string = message.string
    if not string.strip():
        if known is not None and known.text:
            problems.warning(
                at,
                f"msgctxt {text.key!r}",
                f"empty msgstr ignored: the translation in the edition's file is kept ({_quoted(known.text)}); "
                "to withdraw it, delete its text there",
            )
        return None
    if any(getattr(message.id, edge)("\n") != getattr(string, edge)("\n") for edge in ("startswith", "endswith")):
        problems.error(
            at,
            f"msgctxt {text.key!r}",
            "msgid and msgstr do not both begin and end with a line break ('\\n'), as msgfmt -c checks: "
            "remove it from the msgstr",
        )
        return None
    # fuzzy ("needs review" in a CAT tool): not accepted, printed in English until it is; made
    # from the English its entry was made from (or, new, from the msgid)
    hash = known.hash if message.fuzzy and known and known.hash else text_hash(message.id)
    translated = " ".join(string.split()) if "\n" not in string else string
    refused = len(problems.errors)
    check_text(translated, lambda _char: at, problems)  # as check reads the edition's file: U+202E, controls
    if len(problems.errors) > refused:
        return None
    if not same_marks(text.key, text.english, Translation(translated, hash, at), problems):
        return None
    previous = known.previous if known and hash == known.hash else message.id if hash == text_hash(message.id) else ""
    return Translation(translated, hash, at, False if message.fuzzy else None, previous)


def _quoted(text: str, width: int = 60) -> str:
    flat = " ".join(text.split())
    return repr(flat if len(flat) <= width else flat[:width] + "…")


def _check_header(written: str, messages: list[Message], name: str, lang: str, found: Problems) -> None:
    """The header names the language of --lang (or none: a warning) and declares UTF-8."""
    foreign = foreign_charset(written)  # read as UTF-8 whatever it says: every non-ASCII text would be garbled
    if foreign is not None:
        found.error(Origin(name, foreign[0]), "", f"{foreign[1]} (as --export writes it): save it as UTF-8")
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
    if messages and not (language and language[1]):
        found.warning(
            Origin(name, 1),
            "",
            f"the header names no Language: taken as '{lang}' (a file from --export says 'Language: {lang}')",
        )


def _read_checked(path: Path, name: str, lang: str, problems: Problems) -> list[Message] | None:
    """The messages of a PO file whose syntax is right, whose header's language is `lang` and
    which holds each text once; None, with the problems reported, for any other file."""
    irregular = not_regular(path) or too_large(path)  # a named pipe would be waited on for ever
    if irregular is not None:
        problems.error(Origin(name, 1), "", irregular)
        return None
    try:
        data = path.read_bytes()
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
        return None
    try:
        written = data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        problems.error(Origin(name, line), "", f"not UTF-8 text ({error.reason}, byte {error.start}): save it as UTF-8")
        return None
    found = Problems()
    messages = read_strict(written, name, found)
    _check_header(written, messages, name, lang, found)
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
