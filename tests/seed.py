"""Reads the seed (the text extraction of the original PDF) into comparable pieces for the fidelity tests."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from pathlib import Path

import yaml

PROJECT = Path(__file__).resolve().parent.parent
SEED = PROJECT.parent / "shared" / "seed" / "000_110d6baf8b3e65c7.txt"
CORRECTIONS = PROJECT / "source" / "corrections.yaml"

PANEL = "Resources by keyword"
URL_ONLY = re.compile(r"^\s*https?://\S+\s*$")
SIDE_TAB = re.compile(r"^[A-Za-z0-9 ]{1,4}$")  # "P", "IO", "ec", "tio", "III", page numbers
PAGE_HEADER = re.compile(r"-\d+-MC\.DEC/\d+/\d+\d{1,2}December\d{4}|MC24EW19")
REFERENCE = re.compile(r"\(MC\s*Decision\s*(\d+/\d+),\s*para\s*(\d+)\)")


def squash(text: str) -> str:
    """Text with all white space removed: line breaks and spacing in the extraction are noise."""
    return re.sub(r"\s+", "", text)


def clean(lines: list[str]) -> list[str]:
    """Drops side-tab fragments, page numbers and the link lists that close each page.

    A URL alone on a line belongs to a citation when the line before it ends with a comma;
    otherwise it is part of a page's link list.
    """
    kept = []
    for index, line in enumerate(lines):
        stripped = line.strip()
        if stripped and SIDE_TAB.match(stripped):
            continue
        if URL_ONLY.match(line):
            previous = lines[index - 1].rstrip() if index else ""
            if not previous.endswith(","):
                continue
        kept.append(line)
    return kept


@dataclass(frozen=True)
class Correction:
    seed: str
    corrected: str
    why: str


class Seed:
    """The seed split into the compendium body (panels and provision texts) and the annex (decisions)."""

    def __init__(self, path: Path = SEED, corrections: Path = CORRECTIONS) -> None:
        if not path.exists():
            raise FileNotFoundError(f"the seed is not at {path}: the fidelity tests need ../shared beside the project")
        self.lines = path.read_text(encoding="utf-8").split("\n")
        self.annex_start = next(i for i, line in enumerate(self.lines) if "MC.DEC/6/18" in line)
        self.corrections = [Correction(**entry) for entry in yaml.safe_load(corrections.read_text(encoding="utf-8"))]

    @property
    def body_lines(self) -> list[str]:
        return self.lines[: self.annex_start]

    def correct(self, squashed: str) -> str:
        for correction in self.corrections:
            squashed = squashed.replace(squash(correction.seed), squash(correction.corrected))
        return squashed

    @cached_property
    def body(self) -> str:
        """The body, squashed and corrected."""
        return self.correct(squash("\n".join(clean(self.body_lines))))

    @cached_property
    def annex(self) -> str:
        """The annex (the decisions' official texts), squashed, with page headers removed."""
        return PAGE_HEADER.sub("", squash("\n".join(self.lines[self.annex_start :])))

    @cached_property
    def panels(self) -> list[str]:
        """One piece of the body per "Resources by keyword" heading, up to the next one: the
        extraction keeps a provision's page (and the page its panel runs on to) within that stretch."""
        starts = [i for i, line in enumerate(self.body_lines) if PANEL in line]
        ends = starts[1:] + [len(self.body_lines)]
        return [
            self.correct(squash("\n".join(clean(self.body_lines[s + 1 : e]))))
            for s, e in zip(starts, ends, strict=True)
        ]

    @cached_property
    def references(self) -> list[tuple[str, str]]:
        """Every "(MC Decision 6/17, para 13)" in the body, in order: the paragraph numbers as
        printed (a number as adopted may be "2 bis")."""
        return list(REFERENCE.findall(" ".join(self.body_lines)))

    @cached_property
    def urls(self) -> set[str]:
        """Every address in the seed: the link lists at the page ends, the citations, and the footnote."""
        urls = {line.strip() for line in self.lines if URL_ONLY.match(line)}
        urls |= set(re.findall(r"(https://[^(]+?)\(availablein", self.body))
        urls |= {"https://" + u for u in re.findall(r"(?<!//)(www\.osce\.org/\S+?)\.?\s", " ".join(self.lines))}
        return urls

    @cached_property
    def keyword_labels(self) -> set[str]:
        labels = re.findall(r"On([^:]{2,40}?):", self.body)
        return set(labels)


def citation_text(citation) -> str:
    """A citation written the way the seed writes it:
    "OSCE OSR/CTHB, Title, 2015, p. 51-68, https://… (available in ENG and RUS)"."""
    publication = citation.publication
    parts = [", ".join(publication.authors), publication.title]
    if publication.forthcoming:
        return ", ".join([*parts, f"{publication.forthcoming}, forthcoming"])
    codes = publication.languages
    languages = codes[0] if len(codes) == 1 else f"{', '.join(codes[:-1])} and {codes[-1]}"
    parts.append(str(publication.year))
    if citation.pages:
        parts.append(f"p. {citation.pages}")
    parts.append(f"{publication.url} (available in {languages})")
    return ", ".join(parts)
