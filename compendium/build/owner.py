"""Whose PDF is in place: a build replaces only a PDF its own project made, as the PDF itself says."""

from __future__ import annotations

from ..edition import Edition
from ..pdf.xmp import source_mark_in
from ..source.project import Project
from .cache import MANIFEST, Manifest


def made_by_another_project(mark: str, ours: str) -> bool:
    """Whether a PDF's mark names another project's source: neither its place nor its place seen
    from the output folder is this project's (a project moved or copied keeps one of them)."""
    theirs, own = mark.split(":")[1:], ours.split(":")[1:]
    return len(theirs) == len(own) and all(a != b for a, b in zip(theirs, own, strict=True))


def not_ours(editions: list[Edition], project: Project, manifest: Manifest, force: bool) -> list[str]:
    """One line for each PDF in place that this build would replace and that another project made
    (its XMP says so), or that nothing says this project made (no mark, no build record) unless
    --force: with output/.cache/ removed, another project's PDF of the same name was replaced
    without a word (attacker round 10, S11)."""
    ours, lines = project.source_mark, []
    for edition in editions:
        pdf = project.output / edition.filename
        if not pdf.is_file():
            continue
        mark = source_mark_in(pdf)
        if mark and made_by_another_project(mark, ours):
            lines.append(
                f"{pdf}: made from another project's source (its metadata says so); this build of {project.source} "
                f"would replace it (two compendia with the slug '{edition.slug}'? give one its own slug in "
                "compendium.yaml, or build into another --output; or remove the PDF)"
            )
        elif not mark and not force and not _recorded(manifest, edition, project):
            lines.append(
                f"{pdf}: not known to be made from {project.source} (the PDF carries no mark of its source, "
                f"and {MANIFEST} has no record of it); this build would replace it: build with --force to "
                "replace it, or build into another --output, or remove the PDF"
            )
    return lines


def _recorded(manifest: Manifest, edition: Edition, project: Project) -> bool:
    """Whether this output folder's build record says this project made the PDF of the edition's name."""
    entry = manifest.entries.get(edition.filename)
    return entry is not None and entry.source in ("", str(project.source.resolve()))
