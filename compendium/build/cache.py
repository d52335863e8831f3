"""The build cache: which PDFs in the output folder were made from exactly the present inputs.

Two digests decide. The inputs digest hashes every file an edition may be made from (source,
its translation, layouts, styles, fonts, interface strings, the builder's code, the versions of
the libraries): when it is unchanged, the edition is skipped before anything is loaded or
WeasyPrint imported. When it changed, the build renders the HTML and compares the content
digest (report.content): an edition whose own HTML did not change (a handout without the edited
provision, say) keeps its PDF.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from ..edition import Edition
from ..source.assets import BUILDER
from ..source.digest import code_digest, digest_files, files
from ..source.project import Project

MANIFEST = ".cache/builds.json"


@dataclass
class Record:
    """What the manifest remembers of one PDF: what it was made from, and what its build said."""

    inputs: str
    content: str
    layout: str
    pdf: str  # the digest of the PDF file itself: a file changed by hand is rebuilt
    pages: int
    sheet_sides: int = 0
    warnings: list[str] = field(default_factory=list)
    coverage: list[str] = field(default_factory=list)
    strict: bool = False  # built (or confirmed) by a --strict build, which would have failed on any warning
    complete: bool = False  # nothing printed in the source language in place of a translation


def reusable(entry: Record, strict: bool) -> bool:
    """Whether a PDF made by an earlier build may stand for this one: a --strict build never takes
    one that a plain build made with warnings or untranslated texts, which --strict fails on."""
    return not strict or entry.strict or (entry.complete and not entry.warnings)


def inputs_digest(project: Project, edition: Edition) -> str:
    """Every file the edition may be made from, and the edition's settings."""
    folders = [project.source, *project.layouts, *project.assets]
    folders += {project.locale(edition.lang), BUILDER / "locale"}
    paths = files(folders)
    translations = project.translations(edition.lang)
    if translations.is_file():
        paths.append(translations)
    digest = hashlib.sha256()
    digest.update(repr(edition).encode("utf-8"))
    digest.update(digest_files(paths).encode("ascii"))
    digest.update(code_digest().encode("ascii"))
    return digest.hexdigest()


def file_digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else ""


class Manifest:
    """The output folder's record of its PDFs: output/.cache/builds.json."""

    def __init__(self, output: Path) -> None:
        self.path = output / MANIFEST
        self.output = output
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            self.entries = {name: Record(**values) for name, values in raw.items()}
        except (OSError, ValueError, TypeError):
            self.entries = {}  # no manifest, or an unreadable one: every PDF is rebuilt

    def current(self, filename: str, inputs: str | None = None, content: str | None = None) -> Record | None:
        """The entry of a PDF still in place and made from these inputs (or this content)."""
        entry = self.entries.get(filename)
        if entry is None:
            return None
        if inputs is not None and entry.inputs != inputs:
            return None
        if content is not None and entry.content != content:
            return None
        return entry if entry.pdf == file_digest(self.output / filename) else None

    def contents(self) -> dict[str, str]:
        """File name → content digest of every PDF still in place as it was made."""
        return {name: entry.content for name, entry in self.entries.items() if self.current(name)}

    def layouts(self) -> dict[str, str]:
        """File name → layout digest of every PDF still in place as it was made."""
        return {name: entry.layout for name, entry in self.entries.items() if self.current(name)}

    def record(self, filename: str, entry: Record) -> None:
        self.entries[filename] = entry

    def save(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        temporary = self.path.with_suffix(f".{os.getpid()}.tmp")
        temporary.write_text(
            json.dumps({name: asdict(entry) for name, entry in sorted(self.entries.items())}, indent=1),
            encoding="utf-8",
        )
        os.replace(temporary, self.path)
