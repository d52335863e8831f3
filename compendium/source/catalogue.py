"""Reads the keyword list and the publication catalogue."""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model import PUBLICATION_TYPES, Keyword, Origin, Publication
from .fields import LABEL, MAPPING, TEXT, TEXTS, WHOLE, entry_name, items, record
from .languages import PUBLICATION_LANGUAGES, suggest_language
from .problems import Problems, suggest
from .registry import Registry
from .versions import read_versions
from .yamlsource import Node

ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
# The earliest year a publication can have: printing with movable type. The check is for typing
# errors (201 for 2019); a compendium may cite a work of any age, so no organisation's founding
# year bounds it.
FIRST_YEAR = 1450
DOI = re.compile(r"10\.\d{4,9}/\S+")
DOI_ADDRESS = re.compile(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", re.IGNORECASE)


def check_id(value: str, origin: Origin, context: str, seen: dict[str, Origin], problems: Problems) -> bool:
    """An id must be lower-case words joined by hyphens, and unique within its file."""
    if not ID.match(value):
        problems.error(
            origin, context, f"id '{value}': expected lower-case letters, digits and hyphens, such as 'supply-chains'"
        )
        return False
    if value in seen:
        problems.error(origin, context, f"id '{value}' is already used at line {seen[value].line}")
        return False
    seen[value] = origin
    return True


def read_keywords(node: Node | None, problems: Problems) -> Registry[Keyword]:
    keywords: Registry[Keyword] = Registry("keyword", "source/keywords.yaml")
    keywords.unreadable = node is None
    seen: dict[str, Origin] = {}
    for entry in items(node, "keywords", problems):
        values = record(entry, entry_name(entry, "keyword"), problems, {"id": LABEL, "label": TEXT})
        if not values or "id" not in values:
            continue
        valid = check_id(values["id"], entry.origin, f"keyword '{values['id']}'", seen, problems)
        if valid and "label" in values:
            keywords[values["id"]] = Keyword(values["id"], values["label"], entry.origin)
        else:
            keywords.broken.add(values["id"])
    return keywords


def read_publications(node: Node | None, latest_year: int, problems: Problems) -> Registry[Publication]:
    publications: Registry[Publication] = Registry("publication", "source/publications.yaml")
    publications.unreadable = node is None
    seen: dict[str, Origin] = {}
    for entry in items(node, "publications", problems):
        publication = _publication(entry, latest_year, seen, problems)
        if publication:
            publications[publication.id] = publication
        elif entry.is_mapping and "id" in entry.value:
            publications.broken.add(str(entry.value["id"].value))
    return publications


def _publication(entry: Node, latest_year: int, seen: dict[str, Origin], problems: Problems) -> Publication | None:
    values = record(
        entry,
        entry_name(entry, "publication"),
        problems,
        {"id": LABEL, "title": TEXT, "year": WHOLE},
        {
            "authors": TEXTS,
            "editors": TEXTS,
            "type": TEXT,
            "url": TEXT,
            "languages": TEXTS,
            "forthcoming": TEXT,
            "versions": MAPPING,
            "publisher": TEXT,
            "place": TEXT,
            "doi": TEXT,
            "container": TEXT,
            "volume": LABEL,
            "issue": LABEL,
            "pages": LABEL,
            "edition": TEXT,
        },
    )
    if values is None or "id" not in values:
        return None
    context = f"publication '{values['id']}'"
    ok = check_id(values["id"], entry.origin, context, seen, problems)
    line = entry.value.get
    if "year" in values and not FIRST_YEAR <= values["year"] <= latest_year:
        problems.error(
            line("year").origin,
            context,
            f"key 'year': expected a year from {FIRST_YEAR} to {latest_year}, found {values['year']}",
        )
        ok = False
    if "url" in values and not web_address(values["url"]):
        problems.error(
            line("url").origin,
            context,
            f"key 'url': expected a web address starting with https://{_why(values['url'])}, found '{values['url']}'",
        )
        ok = False
    if "doi" in values:
        doi = DOI_ADDRESS.sub("", values["doi"])
        if not DOI.fullmatch(doi):
            problems.error(
                line("doi").origin,
                context,
                f"key 'doi': expected a DOI such as '10.1000/xyz123' (or https://doi.org/10.1000/xyz123), "
                f"found '{values['doi']}'",
            )
            ok = False
        values["doi"] = doi
        if "url" in values and doi.lower() not in values["url"].lower():
            problems.warning(
                line("url").origin,
                context,
                f"key 'url': not printed: the citation prints the DOI's address (https://doi.org/{doi}) in "
                "its place; remove the url, or the doi to cite the url",
            )
    for code in values.get("languages", ()):
        if code not in PUBLICATION_LANGUAGES:
            problems.error(
                line("languages").origin,
                context,
                f"language '{code}': expected an ISO 639-2/B code (ENG, FRE, ARA, CHI …) or one of the "
                f"OSCE's (MAC, SQI …), found '{code}'{suggest_language(code)}",
            )
            ok = False
    if len(set(values.get("languages", ()))) != len(values.get("languages", ())):
        problems.error(line("languages").origin, context, "key 'languages': a language is listed twice")
        ok = False
    if "authors" not in entry.value and "editors" not in entry.value:
        problems.error(entry.origin, context, "missing required key 'authors' (or 'editors', for an edited work)")
        ok = False
    if "type" in values and values["type"] not in PUBLICATION_TYPES:
        problems.error(
            line("type").origin,
            context,
            f"key 'type': expected one of {', '.join(PUBLICATION_TYPES)}, found '{values['type']}'"
            f"{suggest(values['type'], PUBLICATION_TYPES)}",
        )
        ok = False
    versions, versions_ok = read_versions(
        entry.value.get("versions") if "versions" in values else None,
        values.get("languages", ()),
        context,
        problems,
        web_address,
    )
    ok = ok and versions_ok
    if not ok or not {"title", "year"} <= values.keys() or not {"authors", "editors"} & values.keys():
        return None
    return Publication(
        id=values["id"],
        authors=values.get("authors", ()),
        editors=values.get("editors", ()),
        type=values.get("type"),
        title=values["title"],
        year=values["year"],
        url=values.get("url"),
        languages=tuple(sorted(values.get("languages", ()))),
        written_in=tuple(PUBLICATION_LANGUAGES[code] for code in values.get("languages", ())),
        forthcoming=values.get("forthcoming"),
        origin=entry.origin,
        versions=versions,
        publisher=values.get("publisher"),
        place=values.get("place"),
        doi=values.get("doi"),
        container=values.get("container"),
        volume=values.get("volume"),
        issue=values.get("issue"),
        pages=values.get("pages"),
        edition=values.get("edition"),
    )


def web_address(url: str) -> bool:
    """A url publications.yaml takes: https:// and a host name (import-catalogue leaves out others)."""
    try:
        parts = urlsplit(url)
    except ValueError:  # "https://[www…": an unclosed bracket reads as a broken IPv6 address
        return False
    return (
        parts.scheme == "https"
        and "." in parts.netloc
        and " " not in url
        and not parts.netloc.endswith(".")
        and address_fault(url) is None
    )


def _why(url: str) -> str:
    fault = address_fault(url)
    return f" ({fault})" if fault else ""


BAD_ESCAPE = re.compile(r"%(?![0-9A-Fa-f]{2})")


def address_fault(url: str) -> str | None:
    """Why an https address no browser can open is not one, or None: a port past 65535, a % not
    followed by two hex digits, a host name IDNA cannot write (attacker round 12, N4: each was
    linked as written)."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - read for the ValueError of a port out of range
    except ValueError:
        return "a port from 1 to 65535"
    if parts.port == 0:
        return "a port from 1 to 65535"
    if BAD_ESCAPE.search(url):
        return "each % followed by two hexadecimal digits"
    try:
        (parts.hostname or "").encode("idna")
    except UnicodeError:
        return "a host name of letters, digits and hyphens, each label at most 63 long"
    return None


def uri(url: str) -> str:
    """An address as a link holds it: the host in IDNA (xn--…; a browser shows https://пример.рф
    and opens xn--e1afmkfd.xn--p1ai), any other character outside ASCII percent-encoded as UTF-8.
    The citation prints the address as written; UnicodeError for a host IDNA cannot write."""
    from urllib.parse import quote, urlunsplit

    parts = urlsplit(url)
    host = parts.hostname or ""
    if not host.isascii():
        netloc = host.encode("idna").decode("ascii") + (f":{parts.port}" if parts.port is not None else "")
        user, at, _ = parts.netloc.rpartition("@")
        parts = parts._replace(netloc=f"{quote(user, safe=':%')}{at}{netloc}")
    kept = "!#$%&'()*+,/:;=?@[]~"
    return urlunsplit(
        parts._replace(
            path=quote(parts.path, safe=kept),
            query=quote(parts.query, safe=kept),
            fragment=quote(parts.fragment, safe=kept),
        )
    )
