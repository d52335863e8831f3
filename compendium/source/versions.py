"""A publication's versions in other languages: reading them from the catalogue, counting them for an edition."""

from __future__ import annotations

from ..model import Publication, Version
from .fields import FLAG, TEXT, TEXTS, describe, record
from .languages import PUBLICATION_LANGUAGES
from .problems import Problems
from .yamlsource import Node

VERSION_FIELDS = {"title": TEXT, "authors": TEXTS, "url": TEXT, "verified": FLAG}


def read_versions(
    node: Node | None, languages: tuple[str, ...], context: str, problems: Problems, https
) -> tuple[tuple[Version, ...], bool]:
    """The versions of one publication, and whether they were all good. `languages` are the
    publication's own codes (ENG, RUS …): a version must be in one of them."""
    if node is None:
        return (), True
    if not node.is_mapping:  # the type was already reported by the publication's record
        return (), False
    available = {PUBLICATION_LANGUAGES[code]: code for code in languages if code in PUBLICATION_LANGUAGES}
    versions, ok = [], True
    for lang, child in node.value.items():
        where = node.key_origins[lang]
        if lang not in available:
            listed = ", ".join(sorted(available)) or "none: the publication has no languages"
            problems.error(
                where,
                context,
                f"versions: language '{lang}': expected the ISO 639-1 code of one of the publication's "
                f"languages ({listed})",
            )
            ok = False
            continue
        values = record(child, f"{context}, version '{lang}'", problems, {}, VERSION_FIELDS)
        if values is None:  # reported by record
            ok = False
            continue
        if "url" in values and not https(values["url"]):
            problems.error(
                child.value["url"].origin,
                f"{context}, version '{lang}'",
                f"key 'url': expected a web address starting with https://, found {describe(values['url'])}",
            )
            ok = False
            continue
        versions.append(
            Version(
                lang=lang,
                title=values.get("title"),
                authors=values.get("authors"),
                url=values.get("url"),
                verified=values.get("verified", False),
                origin=child.origin,
            )
        )
    return tuple(versions), ok


def version_lines(publications: tuple[Publication, ...], lang: str) -> list[str]:
    """The coverage report's lines on publications: how many available in `lang` have their
    metadata in it, verified or not, and which an editor should still check or supply."""
    code = next((c for c, iso in PUBLICATION_LANGUAGES.items() if iso == lang), None)
    available = [p for p in publications if code in p.languages]
    if not available:
        return []
    versions = [(p, p.version(lang)) for p in available]
    verified = [p for p, v in versions if v and v.verified]
    unverified = [(p, v) for p, v in versions if v and not v.verified]
    missing = [p for p, v in versions if v is None]
    out = [
        f"  publications available in {code}: {len(available)}, with metadata in '{lang}': "
        f"{len(verified)} verified, {len(unverified)} unverified, {len(missing)} missing"
    ]
    out += [f"    unverified: {p.id} ({v.origin})" for p, v in unverified]
    out += [f"    missing: {p.id} ({p.origin})" for p in missing]
    return out
