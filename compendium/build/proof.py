"""Proofs for an editor: PNGs of chosen pages or provisions of an edition, written beside its PDF."""

from __future__ import annotations

import io
import re
import sys
from pathlib import Path

from ..edition import Edition
from ..pdf.output import page_count
from ..source.files import WriteError, write_bytes
from ..source.project import Project
from .report import shown

DEFAULT_DPI = 100
PAGES = re.compile(r"^\d+(-\d+)?(,\d+(-\d+)?)*$")


class ProofError(Exception):
    """Pages asked for that the edition does not have."""


def proof(
    edition: Edition, project: Project, pages: str | None, provisions: list[str], dpi: int, force: bool, quiet: bool
) -> int:
    """Builds the edition when its PDF is not current, then renders the pages asked for (the
    command line has checked the options: cli.proof)."""
    from .batch import build_editions

    pdf = project.output / edition.filename
    links = project.output_links()  # proofs are written in the output folder too
    for name, why in links:
        print(f"{name}: {why}", file=sys.stderr)
    if links:
        return 1
    if provisions:
        from ..pipeline import proof_layout_problems

        refused = proof_layout_problems(edition, project)
        for problem in refused:
            print(f"proof: {problem}", file=sys.stderr)
        if refused:
            return 1
    try:
        if provisions and not pages and not force and _stale(edition, project, pdf):
            written = quick(edition, project, pdf, provisions, dpi)
        else:
            if build_editions([edition], project, strict=False, force=force, quiet=True, jobs=1):
                return 1
            written = [(path, "") for path in render(pdf, chosen_pages(pdf, pages, provisions), dpi)]
    except (ProofError, WriteError) as error:
        print(f"proof: {error}", file=sys.stderr)
        return 1
    except Exception as error:  # noqa: BLE001 - pikepdf and pdfium raise their own errors on a damaged PDF
        if type(error).__module__.split(".")[0] not in ("pikepdf", "pypdfium2", "pypdfium2_raw"):
            raise
        reason = str(error).splitlines()[0] if str(error) else type(error).__name__
        print(f"proof: {shown(pdf)} cannot be read ({reason}); make it again with --force", file=sys.stderr)
        return 1
    if not quiet:
        for path, how in written:
            print(f"wrote {shown(path)}{how}")
    return 0


def _stale(edition: Edition, project: Project, pdf: Path) -> bool:
    """True when a PDF of the edition exists but was made from other inputs than the present ones."""
    from .cache import Manifest, inputs_digest

    if not pdf.is_file():
        return False
    manifest = Manifest(project.output)
    inputs = inputs_digest(project, edition, manifest.reads(edition.filename))
    return not inputs or manifest.current(edition.filename, inputs=inputs) is None


def quick(edition: Edition, project: Project, pdf: Path, provisions: list[str], dpi: int) -> list[tuple[Path, str]]:
    """Each provision's pages laid out alone, at the page number the last build gave it: seconds
    instead of a whole edition, for an editor checking a change to one provision."""
    import tempfile

    from ..pipeline import BuildError, proof_layout
    from ..render.html import Proof

    written = []
    for label in provisions:
        [first, *_] = chosen_pages(pdf, None, [label])
        with tempfile.TemporaryDirectory(dir=project.output, prefix=".proof-") as work:
            laid_out = Path(work) / "proof.pdf"
            try:
                proof_layout(edition, project, Proof(int(label), first + 1), laid_out)
            except BuildError as error:
                raise ProofError("; ".join(error.messages)) from None
            how = f" (provision {label} laid out alone, at its page in the last build)"
            written += [(path, how) for path in render(laid_out, None, dpi, name=pdf, first=first)]
    return written


def _destinations(document) -> dict[str, int]:
    """The named destinations (WeasyPrint writes every id as one) and the 0-based page of each.
    pikepdf reads them in milliseconds; pypdf parses the whole tagged object stream first."""
    import pikepdf

    names = document.Root.get("/Names")
    if names is None or "/Dests" not in names:
        return {}
    return {str(name): pikepdf.Page(dest[0]).index for name, dest in pikepdf.NameTree(names.Dests).items()}


def page_ranges(pages: str) -> list[tuple[int, int]]:
    """The (first, last) page numbers of --pages (9-12,15), as printed; ValueError for a page no
    edition has (0) or a range backwards (3-1): a wrong command line, told before any build."""
    ranges = []
    for part in pages.replace(" ", "").split(","):
        if not part:
            continue
        first, _, last = part.partition("-")
        low, high = int(first), int(last or first)
        if low < 1:
            raise ValueError(f"page {part}: pages are numbered from 1 (the cover)")
        if low > high:
            raise ValueError(f"page {part}: a range runs from its first page to its last ({high}-{low}?)")
        ranges.append((low, high))
    return ranges


def chosen_pages(pdf: Path, pages: str | None, provisions: list[str]) -> list[int]:
    """The 0-based pages asked for: page numbers as printed (1 is the cover), and every page of
    each provision, from its own page to the page before the next thing that starts a page."""
    import pikepdf

    with pikepdf.open(pdf) as document:
        count = len(document.pages)
        starts = _destinations(document) if provisions else {}
    try:
        ranges = page_ranges(pages or "")
    except ValueError as error:
        raise ProofError(str(error)) from None
    chosen: list[int] = []
    for low, high in ranges:
        if high > count:
            part = f"{low}-{high}" if high != low else str(low)
            raise ProofError(f"page {part}: the edition has pages 1 to {count}")
        chosen += range(low - 1, high)
    if provisions:
        for label in provisions:
            name = f"provision-{int(label):02d}" if label.isdigit() else f"provision-{label}"
            if name not in starts:
                known = sorted(n.removeprefix("provision-") for n in starts if n.startswith("provision-"))
                raise ProofError(f"provision {label}: not in this edition (it has {known[0]} to {known[-1]})")
            begins = starts[name]
            following = [page for page in starts.values() if page > begins]
            chosen += range(begins, min(following, default=count))
    return list(dict.fromkeys(chosen))


def render(pdf: Path, pages: list[int] | None, dpi: int, name: Path | None = None, first: int = 0) -> list[Path]:
    """One PNG per page (every page when `pages` is None), named after the edition's PDF (`name`,
    by default the PDF rendered) and the printed page number (`first` is that of page 0)."""
    import pypdfium2

    name = name or pdf
    document = pypdfium2.PdfDocument(pdf)
    written = []
    try:
        width = len(str(page_count(name)))
        for index in range(len(document)) if pages is None else pages:
            image = document[index].render(scale=dpi / 72).to_pil()
            path = name.with_name(f"{name.stem}-p{first + index + 1:0{width}d}.png")
            buffer = io.BytesIO()
            image.save(buffer, format="PNG", dpi=(dpi, dpi))
            write_bytes(path, buffer.getvalue())
            written.append(path)
    finally:
        document.close()
    return written
