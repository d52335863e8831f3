"""Turns a library's catalogue exported as CSL-JSON (Zotero, Mendeley, JabRef: "Export … CSL JSON")
into entries of source/publications.yaml, saying what it could not carry over."""

from __future__ import annotations

import calendar
import functools
import json
import re
import unicodedata
from pathlib import Path
from typing import Any

import icu
import yaml

from .catalogue import FIRST_YEAR, web_address
from .files import write_text
from .inputs import not_regular, too_large
from .iso639 import ISO_639_2B
from .textcheck import ALLOWED, BIDI_CONTROLS

# CSL variables and the publications.yaml field each becomes (source/README.md, publications.yaml).
TEXT_FIELDS = {
    "title": "title",
    "container-title": "container",
    "collection-title": "container",
    "volume": "volume",
    "issue": "issue",
    "page": "pages",
    "publisher": "publisher",
    "publisher-place": "place",
    "edition": "edition",
    "URL": "url",
    "DOI": "doi",
}
# CSL item types and the publications.yaml `type` each becomes; another type is named on the terminal.
TYPES = {
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "article": "article",
    "chapter": "chapter",
    "entry-encyclopedia": "chapter",
    "entry-dictionary": "chapter",
    "paper-conference": "chapter",
    "book": "book",
    "report": "report",
    "webpage": "web page",
    "post-weblog": "web page",
    "document": "document",
}
# CSL's language is an IETF tag ("en", "en-GB", "zh-Hans"); publications.yaml lists ISO 639-2/B codes.
BY_ISO_639_1 = {babel: code for code, (babel, _) in reversed(ISO_639_2B.items())}


def _slug(text: str) -> str:
    """An id's words in a-z, 0-9 and hyphens: other scripts transliterated (Иванов as ivanov, 王 as
    wang), not dropped (an author in Cyrillic or Chinese left the id as the year: round 10, N3)."""
    return re.sub(r"[^a-z0-9]+", "-", _latin(text).lower()).strip("-") or "publication"


@functools.cache
def _transliterator() -> icu.Transliterator:
    return icu.Transliterator.createInstance("Any-Latin; Latin-ASCII")


def _latin(text: str) -> str:
    return text if text.isascii() else _transliterator().transliterate(text)


def _author(person: dict[str, Any]) -> str | None:
    if person.get("literal"):
        return str(person["literal"]).strip()
    parts = [str(person.get(key, "")).strip() for key in ("given", "non-dropping-particle", "family")]
    name = " ".join(part for part in parts if part)
    return name or None


def _id_name(person: dict[str, Any], name: str) -> str:
    """What an entry's id begins with: a person's family name; an organisation's (a CSL `literal`)
    acronym where its name has one ("KOK" of "… Menschenhandel – KOK e.V."), else its initials
    ("UNHRC" of "UN Human Rights Council"): never its name's last word ("e.V.", "Council")."""
    if not person.get("literal"):
        return str(person.get("family") or name.split()[-1])
    acronyms = re.findall(r"\b[A-Z][A-Z0-9]+\b", name)
    if acronyms and len(acronyms[-1]) >= 3:
        return acronyms[-1]
    initials = "".join(word[0] if not word.isupper() else word for word in re.findall(r"[A-Z][\w]*", name))
    return initials if len(initials) >= 2 else name.split()[0]


def _found(value: Any) -> str:
    """What a JSON value is, in the words of an error message."""
    if isinstance(value, str):
        return "a text"
    if isinstance(value, bool | int | float):
        return f"a number ({value})" if not isinstance(value, bool) else f"'{str(value).lower()}'"
    if isinstance(value, list):
        return "a list"
    return "an object (key: value)" if isinstance(value, dict) else "null"


def _name_problem(people: Any) -> str | None:
    if not isinstance(people, list):
        return f"expected a list of names, found {_found(people)}"
    for n, person in enumerate(people, 1):
        if not isinstance(person, dict):
            return f"name {n}: expected an object (family, given or literal), found {_found(person)}"
        for key, value in person.items():
            if not isinstance(value, str | int | float):
                return f"name {n}, '{key}': expected a text, found {_found(value)}"
    return None


def _date_problem(issued: Any) -> str | None:
    if not isinstance(issued, dict):
        return f"expected an object with date-parts, found {_found(issued)}"
    parts = issued.get("date-parts")
    if parts is None:
        return None
    if not isinstance(parts, list) or not all(isinstance(part, list) for part in parts):
        return f"'date-parts': expected a list of [year, month, day] lists, found {_found(parts)}"
    if parts and parts[0] and not re.fullmatch(r"-?\d{1,4}", str(parts[0][0])):
        return f"'date-parts': expected a year, found {_found(parts[0][0])}"
    return _month_day_problem(parts[0]) if parts else None


def _month_day_problem(date: list) -> str | None:
    """What is wrong with the month and day of a [year, month, day] (2020-13-45 became 2020 silently)."""
    if len(date) < 2:
        return None
    month = str(date[1])
    if not (month.isdigit() and 1 <= int(month) <= 12):
        return f"'date-parts': expected a month from 1 to 12, found {date[1]!r} (in {date})"
    year = int(date[0]) if 1 <= int(date[0]) <= 9999 else 2000  # a leap year for a year BC
    days = calendar.monthrange(year, int(month))[1]
    if len(date) > 2 and not (str(date[2]).isdigit() and 1 <= int(str(date[2])) <= days):
        return f"'date-parts': expected a day from 1 to {days}, found {date[2]!r} (in {date})"
    return None


def _unprintable(text: str) -> str | None:
    """The first character of a text that would reorder or hide what is printed (a bidirectional
    control) or is no character at all (NUL, another control), described; None when there is none."""
    for char in text:
        if char in BIDI_CONTROLS or (unicodedata.category(char) in ("Cc", "Cs", "Co", "Cn") and char not in ALLOWED):
            name = unicodedata.name(char, "")
            return f"U+{ord(char):04X}{' ' + name if name else ''}, a control character (remove it)"
    return None


def _character_problems(item: dict[str, Any]) -> list[str]:
    """A control character in any text of an item (its title, a name), each named by its key."""
    found = [
        f"key '{key}': {problem}"
        for key in ("id", *TEXT_FIELDS)
        if isinstance(item.get(key), str) and (problem := _unprintable(item[key]))
    ]
    for key in ("author", "editor"):
        for n, person in enumerate(item.get(key) or [], 1):
            for part, value in person.items() if isinstance(person, dict) else ():
                if isinstance(value, str) and (problem := _unprintable(value)):
                    found.append(f"key '{key}': name {n}, '{part}': {problem}")
    return found


def item_problems(item: dict[str, Any]) -> list[str]:
    """What in one CSL item has a type CSL does not give it (a name as a text, a date as a text):
    refused, where read as it stands it would become a wrong publication or none."""
    problems = [
        f"key '{key}': {problem}"
        for key, problem in [(key, _name_problem(item[key])) for key in ("author", "editor") if key in item]
        + ([("issued", _date_problem(item["issued"]))] if "issued" in item else [])
        if problem
    ]
    for key in (*TEXT_FIELDS, "id", "type", "language"):
        value = item.get(key)
        if isinstance(value, bool | list | dict):
            problems.append(f"key '{key}': expected a text, found {_found(value)}")
    return problems + _character_problems(item)


def _year(item: dict[str, Any]) -> int | None:
    issued = item.get("issued") or {}
    parts = issued.get("date-parts") if isinstance(issued, dict) else None
    if parts and parts[0] and re.fullmatch(r"-?\d+", str(parts[0][0])):  # -44: 44 BC, said by convert()
        return int(parts[0][0])
    literal = issued.get("raw") or issued.get("literal") if isinstance(issued, dict) else None
    found = re.search(r"\d{4}", str(literal or ""))
    return int(found.group()) if found else None


def _language(language: str) -> str | None:
    """The ISO 639-2/B code of a CSL language (an IETF tag or already a code), if the builder knows it."""
    code = BY_ISO_639_1.get(language.split("-")[0].lower())
    return code or (language.upper() if language.upper() in ISO_639_2B else None)


def convert(items: list[Any]) -> tuple[list[dict[str, Any]], list[str]]:
    """The publications.yaml entries of the CSL items, and a note for each item or value left out."""
    entries: list[dict[str, Any]] = []
    notes: list[str] = []
    used: set[str] = set()
    after: dict[str, int] = {}  # the next suffix to try for each id: linear in the items, not quadratic
    csl_ids: dict[str, int] = {}  # each CSL id and the item that first has it
    for position, item in enumerate(items, 1):
        name = f"item {position}" + (f" ('{item.get('id')}')" if isinstance(item, dict) and item.get("id") else "")
        if not isinstance(item, dict):
            notes.append(f"{name}: not a CSL item (expected a JSON object, found {_found(item)}); left out")
            continue
        if item_problems(item):
            continue  # refused by import_catalogue before anything is converted
        authors = [a for a in (_author(p) for p in item.get("author") or []) if a]
        editors = [a for a in (_author(p) for p in item.get("editor") or []) if a]
        year = _year(item)
        title = str(item.get("title", "")).strip()
        names = authors or editors
        given = (("title", bool(title)), ("author", bool(names)), ("issued", year is not None))
        missing = [key for key, present in given if not present]
        if missing:
            notes.append(f"{name}: no {', '.join(missing)} (publications.yaml requires them); left out")
            continue
        if year is not None and year < FIRST_YEAR:  # a year BC, or 0: it has one (round 10, N3)
            notes.append(
                f"{name}: issued {year}, before {FIRST_YEAR}, the first year publications.yaml takes; left out"
            )
            continue
        people = item.get("author") or item.get("editor") or []
        first = people[0] if people and isinstance(people[0], dict) else {}
        base = _slug(f"{_id_name(first, names[0])}-{year}-{' '.join(title.split()[:3])}")
        ident, n = base, after.get(base, 2)
        while ident in used:
            ident, n = f"{base}-{n}", n + 1
        used.add(ident)
        after[base] = n
        csl_id = str(item.get("id", "")).strip()
        if csl_id and csl_id in csl_ids:
            notes.append(f"{name}: the same CSL id as item {csl_ids[csl_id]}; imported as {ident} (a duplicate?)")
        if csl_id:
            csl_ids.setdefault(csl_id, position)
        entry: dict[str, Any] = {"id": ident}
        if authors:
            entry["authors"] = authors
        if editors:
            entry["editors"] = editors  # printed "(eds)"; with authors, the book a chapter is in
        entry |= {"title": title, "year": year}
        _carry_fields(item, entry, ident, notes)
        entries.append(entry)
    return entries, notes


def _carry_fields(item: dict[str, Any], entry: dict[str, Any], ident: str, notes: list[str]) -> None:
    """An item's type, texts, DOI or URL and language into its entry, with a note for what is left out."""
    kind = str(item.get("type", "")).strip()
    if kind in TYPES:
        entry["type"] = TYPES[kind]
    elif kind:
        notes.append(f"{ident}: type '{kind}' has no publications.yaml type; left out (set `type` by hand)")
    for variable, field in TEXT_FIELDS.items():
        value = item.get(variable)
        if value in (None, "") or variable == "title":
            continue
        if field in entry:
            if entry[field] != str(value).strip():
                notes.append(f"{ident}: {variable} '{value}' left out: `{field}` has one value (kept the first)")
            continue
        entry[field] = str(value).strip()
    if "url" in entry and not web_address(entry["url"]):
        # check refuses any but https:// (javascript:, file:, http:): said here, not discovered
        # there; an http:// one is not made https:// (the site may have no such address)
        notes.append(
            f"{ident}: URL '{entry.pop('url')[:60]}' is no https:// address, which publications.yaml "
            "requires; left out (add the https:// address by hand, if the publication has one)"
        )
    if "doi" in entry and "url" in entry:
        if entry["doi"].lower() in entry["url"].lower():
            del entry["url"]  # the DOI's own address: printed from the DOI
            notes.append(f"{ident}: URL is the DOI's address, printed from the DOI; left out")
        else:
            notes.append(
                f"{ident}: has a URL and a DOI; both kept, the citation prints the DOI's address "
                "(remove one: check warns until then)"
            )
    language = str(item.get("language", "")).strip()
    if language and (code := _language(language)):
        entry["languages"] = [code]
    elif language:
        notes.append(f"{ident}: language '{language}' is no ISO 639 code the builder knows; left out")
    ignored = sorted(
        key
        for key in item
        if key not in TEXT_FIELDS
        and key not in {"id", "type", "author", "editor", "issued", "language", "accessed", "citation-key"}
    )
    if ignored:
        notes.append(f"{ident}: not carried over (no field in publications.yaml): {', '.join(ignored)}")


def _read_items(csl_file: Path) -> list[Any]:
    """The CSL items of csl_file; a ValueError naming the file for anything else."""
    irregular = not_regular(csl_file) or too_large(csl_file)  # a named pipe would be waited on for ever
    if irregular is not None:
        raise ValueError(f"{csl_file}: {irregular}")
    try:
        raw = csl_file.read_bytes()
    except OSError as error:
        raise ValueError(f"{csl_file}: cannot read it ({error.strerror or error})") from None
    if raw[:2] in (b"\xff\xfe", b"\xfe\xff"):
        raise ValueError(f"{csl_file}: UTF-16 text; export or save it as UTF-8")
    try:
        data = json.loads(raw.decode("utf-8-sig"), object_pairs_hook=_once_each)
    except TwiceError as error:
        raise ValueError(f"{csl_file}: {error}") from None
    except UnicodeDecodeError as error:
        raise ValueError(f"{csl_file}: not UTF-8 text (byte {error.start}); export or save it as UTF-8") from None
    except json.JSONDecodeError as error:
        raise ValueError(f"{csl_file}:{error.lineno}: not JSON ({error.msg})") from None
    except RecursionError:
        raise ValueError(f"{csl_file}: not CSL-JSON (nested too deeply)") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        data = data["items"]
    if not isinstance(data, list):
        raise ValueError(f"{csl_file}: expected a CSL-JSON list of items, found {_found(data)}")
    return data


class TwiceError(ValueError):
    """A JSON object with a key twice: json keeps the last value without a word."""


def _once_each(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for key, value in pairs:
        if key in found:
            shown = f" ('{found['id']}')" if isinstance(found.get("id"), str) else ""
            raise TwiceError(f"an object{shown} has the key '{key}' twice: keep one value (which was meant?)")
        found[key] = value
    return found


def import_catalogue(csl_file: Path, target: Path) -> tuple[int, list[str]]:
    """Writes target (a new publications.yaml) from csl_file; never overwrites a file. Returns the
    number of entries written and the notes; raises ValueError for a file that is no CSL-JSON."""
    if target.exists():
        raise FileExistsError(str(target))
    data = _read_items(csl_file)
    refused = [
        f"{csl_file}: item {position}: {problem}"
        for position, item in enumerate(data, 1)
        if isinstance(item, dict)
        for problem in item_problems(item)
    ]
    if refused:
        raise ValueError("\n".join(refused))
    entries, notes = convert(data)
    if not entries:  # a publications.yaml of nothing is no import: say so, and write nothing
        raise ValueError("\n".join([*notes, f"{csl_file}: no publication to import (every item was left out)"]))
    header = (
        f"# Imported from {csl_file.name} (CSL-JSON) by `compendium import-catalogue`: check each entry\n"
        "# against the publication itself (source/README.md, publications.yaml).\n"
    )
    body = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=100) if entries else "[]\n"
    # a full disk leaves no part of it (attacker round 10, S7); a file another import made meanwhile
    # is not replaced (round 12, M6)
    write_text(target, header + body, what=str(target), new=True)
    return len(entries), notes
