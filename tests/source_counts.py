"""What the shipped source holds, counted from its YAML files directly (not through the loader).

Tests that are not about fidelity to the seed edition derive their expectations from here, so an
editor who adds a publication, a keyword or a provision changes the source, not the tests. The
counts of the seed edition itself are pinned in tests/test_fidelity.py alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent


def _read(path: Path):
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@dataclass(frozen=True)
class SourceCounts:
    sections: int
    provisions: int
    decisions: int
    paragraphs: int
    keywords: int
    publications: int
    citations: int
    publications_in: dict[str, int]  # catalogue language code (ENG, RUS ...) -> publications available in it

    def summary(self) -> str:
        """The loader's one-line summary (Compendium.summary) as the source should give it."""
        return (
            f"{self.sections} sections, {self.provisions} provisions, {self.decisions} decisions, "
            f"{self.paragraphs} paragraphs, {self.keywords} keywords, {self.publications} publications, "
            f"{self.citations} citations"
        )


def count(source: Path = PROJECT / "source") -> SourceCounts:
    compendium = _read(source / "compendium.yaml")
    provisions = _read(source / "provisions.yaml")
    publications = _read(source / "publications.yaml")
    decisions = [_read(path) for path in sorted((source / "decisions").glob("*.yaml"))]
    languages: dict[str, int] = {}
    for publication in publications:
        for code in publication.get("languages") or []:
            languages[code] = languages.get(code, 0) + 1
    return SourceCounts(
        sections=len(compendium["sections"]),
        provisions=len(provisions),
        decisions=len(decisions),
        paragraphs=sum(len(d.get("paragraphs") or []) for d in decisions),
        keywords=len(_read(source / "keywords.yaml")),
        publications=len(publications),
        citations=sum(len(g.get("citations") or []) for p in provisions for g in p.get("resources") or []),
        publications_in=languages,
    )


def version_states(code: str, lang: str, source: Path = PROJECT / "source") -> dict[str, str]:
    """Each publication available in the catalogue language `code` (RUS), in catalogue order, with
    the state of its metadata in the edition language `lang` (ru): verified, unverified or missing."""
    states = {}
    for publication in _read(source / "publications.yaml"):
        if code in (publication.get("languages") or []):
            version = (publication.get("versions") or {}).get(lang)
            states[publication["id"]] = (
                "missing" if version is None else "verified" if version.get("verified") else "unverified"
            )
    return states
