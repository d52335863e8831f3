"""Proofs for an editor: PNGs of chosen pages or provisions of an edition, written beside its PDF."""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

from .edition import Edition
from .project import Project

DEFAULT_DPI = 100
PAGES = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


class ProofError(Exception):
    """Pages asked for that the edition does not have."""


def proof(editions: list[Edition], project: Project, args: argparse.Namespace) -> int:
    """Builds the edition when its PDF is not current, then renders the pages asked for."""
    from .cli import UsageError, build

    if len(editions) != 1:
        raise UsageError(f"proof renders one edition; these options choose {len(editions)} (give --lang and --variant)")
    pages, provisions = getattr(args, "pages", None), getattr(args, "provision", [])
    if not pages and not provisions:
        raise UsageError("proof needs --pages (such as 9-12) or --provision (such as 05)")
    if pages and not PAGES.match(pages.replace(" ", "")):
        raise UsageError(f"--pages {pages!r}: expected page numbers such as 9-12 or 3,5,9")
    dpi = getattr(args, "dpi", DEFAULT_DPI)
    if not 10 <= dpi <= 1200:
        raise UsageError(f"--dpi {dpi}: expected 10 to 1200")
    status = build(editions, project, argparse.Namespace(**{**vars(args), "quiet": True, "jobs": 1}))
    if status:
        return status
    pdf = project.output / editions[0].filename
    try:
        chosen = chosen_pages(pdf, pages, provisions)
    except ProofError as error:
        print(f"proof: {error}", file=sys.stderr)
        return 1
    written = render(pdf, chosen, dpi)
    if not getattr(args, "quiet", False):
        for path in written:
            print(f"wrote {path}")
    return 0


def chosen_pages(pdf: Path, pages: str | None, provisions: list[str]) -> list[int]:
    """The 0-based pages asked for: page numbers as printed (1 is the cover), and every page of
    each provision, from its own page to the page before the next thing that starts a page."""
    from pypdf import PdfReader

    reader = PdfReader(pdf)
    count = len(reader.pages)
    chosen: list[int] = []
    for part in (pages or "").replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        if not 1 <= low <= high <= count:
            raise ProofError(f"page {part}: the edition has pages 1 to {count}")
        chosen += range(low - 1, high)
    if provisions:
        starts = {name: reader.get_destination_page_number(dest) for name, dest in reader.named_destinations.items()}
        for label in provisions:
            name = f"provision-{int(label):02d}" if label.isdigit() else f"provision-{label}"
            if name not in starts:
                known = sorted(n.removeprefix("provision-") for n in starts if n.startswith("provision-"))
                raise ProofError(f"provision {label}: not in this edition (it has {known[0]} to {known[-1]})")
            first = starts[name]
            following = [page for page in starts.values() if page > first]
            chosen += range(first, min(following, default=count))
    return list(dict.fromkeys(chosen))


def render(pdf: Path, pages: list[int], dpi: int) -> list[Path]:
    """One PNG per page, named after the PDF and the printed page number."""
    import pypdfium2

    document = pypdfium2.PdfDocument(pdf)
    written = []
    try:
        width = len(str(len(document)))
        for index in pages:
            image = document[index].render(scale=dpi / 72).to_pil()
            path = pdf.with_name(f"{pdf.stem}-p{index + 1:0{width}d}.png")
            image.save(path, dpi=(dpi, dpi))
            written.append(path)
    finally:
        document.close()
    return written
