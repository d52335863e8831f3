"""Saddle-stitch imposition: pages in folding order, two to a sheet side, creep compensated, in booklets."""

from __future__ import annotations

import contextlib
import io
import math
import re
from dataclasses import dataclass
from pathlib import Path

import pikepdf

from ..source.files import write_bytes
from .pdfx import blend_in_inks, tag_subsets_by_content

MM = 72 / 25.4
FOLD_MARK = 6 * MM  # a 6 mm tick at the top and bottom of the fold
UNPRINTABLE = 5 * MM  # an office printer's unprinted border: the fold marks start inside it
CLAIMS = re.compile(rb"\s*<(pdfuaid:part|pdfuaid:conformance|pdfxid:GTS_PDFXVersion|pdf:Trapped)>[^<]*</\1>")


def saddle_stitch(count: int) -> list[tuple[int | None, int | None]]:
    """(left, right) page indices for each sheet side, front then back, sheet by sheet; None is
    a blank page padding the document to a multiple of four."""
    padded = count + (-count) % 4

    def page(index: int) -> int | None:
        return index if index < count else None

    sides = []
    for sheet in range(padded // 4):
        outer, inner = 2 * sheet, padded - 1 - 2 * sheet
        sides.append((page(inner), page(outer)))  # front: the last page on the left, the first on the right
        sides.append((page(outer + 1), page(inner - 1)))  # back
    return sides


@dataclass(frozen=True)
class Booklet:
    """One saddle-stitched booklet of an imposed edition: its file, its sheets and the pages it holds."""

    path: Path
    sheets: int
    first: int  # the first page it holds, from 1
    last: int


def booklet_path(target: Path, number: int) -> Path:
    """Booklet `number`'s file: the first is `target`, the next `…-2.pdf`, `…-3.pdf`, in reading order."""
    return target if number == 1 else target.with_name(f"{target.stem}-{number}{target.suffix}")


def booklet_parts(count: int, starts: list[int], most_sheets: int | None, cover: int = 0) -> list[range]:
    """The pages (indices) of each booklet: all in one when it needs no more than `most_sheets`
    sheets; else as few booklets as will do, split before a part's first page (`starts`, the
    right-hand pages where a section or annex begins) where possible, else before any right-hand
    page, and among those splits the one whose largest booklet is smallest. A booklet after the
    first gets `cover` pages more (its own cover and the cover's blank back), and each, with a
    cover, one more at least: its outside back cover is blank, never a page of text."""
    if most_sheets is None or math.ceil(count / 4) <= most_sheets:
        return [range(count)]
    for candidates in (sorted({s for s in starts if 0 < s < count and s % 2 == 0}), list(range(2, count, 2))):
        parts = _fewest_booklets(count, candidates, 4 * most_sheets, cover)
        if parts:
            return parts
    raise ValueError(f"{count} pages cannot be split into booklets of at most {most_sheets} sheets")


def _fewest_booklets(count: int, candidates: list[int], most_pages: int, cover: int) -> list[range]:
    bounds = [0, *candidates, count]
    # best[i]: (booklets, largest booklet's sheets, the bound before) for the pages up to bounds[i]
    best: list[tuple[int, int, int] | None] = [(0, 0, -1)] + [None] * (len(bounds) - 1)
    for i in range(1, len(bounds)):
        for j in range(i):
            # a booklet with its own cover ends on a blank back cover: at least one page more
            pages, before = bounds[i] - bounds[j] + (cover if j else 0) + (1 if cover else 0), best[j]
            if before is None or pages > most_pages:
                continue
            option = (before[0] + 1, max(before[1], math.ceil(pages / 4)), j)
            if best[i] is None or option[:2] < best[i][:2]:  # type: ignore[index]
                best[i] = option
    if best[-1] is None:
        return []
    parts, i = [], len(bounds) - 1
    while i > 0:
        j = best[i][2]  # type: ignore[index]
        parts.append(range(bounds[j], bounds[i]))
        i = j
    return parts[::-1]


def plan(source: Path, most_sheets: int | None, cover: int = 0) -> list[range]:
    """The pages of each booklet a finished PDF makes (booklet_parts)."""
    with pikepdf.open(source) as document:
        return booklet_parts(len(document.pages), part_starts(document), most_sheets, cover)


def holdings(source: Path, booklets: list[range]) -> list[tuple[str, ...]]:
    """The parts each booklet opens (the outline's top-level entries, by the words before their
    title's first full stop: "Section III", "Annex 1"), so that every booklet's cover says where the
    others' parts are (Russian editor: booklets 1 and 2 referred to an Annex 1 that is in booklet 3)."""
    found: list[list[str]] = [[] for _ in booklets]
    with pikepdf.open(source) as document, document.open_outline() as outline:
        for item in outline.root:
            page = _page_of(item)
            for held, pages in zip(found, booklets, strict=True):
                if page is not None and page in pages:
                    held.append(str(item.title).split(". ")[0].strip())
    return [tuple(held) for held in found]


def _page_of(item) -> int | None:
    destination: object = item.destination
    if destination is None and item.action is not None and "/D" in item.action:
        destination = item.action.D
    if isinstance(destination, pikepdf.Array) and len(destination):
        try:
            return pikepdf.Page(destination[0]).index
        except (ValueError, TypeError):
            return None
    return None


def part_starts(document: pikepdf.Pdf) -> list[int]:
    """The pages (indices) the outline's top-level entries open on: where the parts begin."""
    with document.open_outline() as outline:
        pages = [_page_of(item) for item in outline.root]
    return [page for page in pages if page is not None]


def impose(
    source: Path,
    target: Path,
    sheet: tuple[float, float] | None = None,
    caliper: float = 0.0,
    most_sheets: int | None = None,
    covers: list[Path] | None = None,
) -> list[Booklet]:
    """Writes the booklets of a finished PDF (each page cut to its TrimBox, so that bleed and crop
    marks fall away), its pages at actual size two to a sheet side: on a `sheet` (width, height in
    pt: the paper turned landscape, its pages meeting at the fold in the middle) or, if none is
    given, on a sheet twice the page's width. More than `most_sheets` sheets are split into
    booklets (booklet_parts), each one in its own file and its own folding order. `caliper` (mm
    a leaf) compensates the creep: each sheet's pages move towards the fold by the thickness of
    the sheets folded round it, so that the inner pages' fore-edges do not stand out once folded.

    Each page becomes a form XObject that the sheets draw: its content streams and resources
    (fonts, images) are copied once, untouched, so imposition costs no parsing of page content.
    Each booklet keeps the source's title, language, information dictionary and XMP metadata;
    its tags do not survive imposition (a sheet side is not a reading order), nor does an output
    intent, so it claims neither PDF/UA nor PDF/X."""
    with pikepdf.open(source) as document, contextlib.ExitStack() as opened:
        pages: list[pikepdf.Page | None] = list(document.pages)
        parts = booklet_parts(len(pages), part_starts(document), most_sheets, 2 if covers else 0)
        if covers and len(covers) != len(parts):
            raise ValueError(f"{len(covers)} covers for {len(parts)} booklets")
        # each cover's pages: the front, and from the second booklet on the imprint on its back
        fronts = [list(opened.enter_context(pikepdf.open(cover)).pages) for cover in covers or []]
        booklets = []
        for number, part in enumerate(parts, start=1):
            path = booklet_path(target, number)
            held = [pages[i] for i in part]
            if fronts:  # its own cover in place of the compendium's, or before its pages with the imprint on its back
                cover = fronts[number - 1]
                back = cover[1] if len(cover) > 1 else None
                held = [cover[0], *held[1:]] if number == 1 else [cover[0], back, *held]
                if len(held) % 4 == 0:  # its last page would be the outside back cover: a sheet more, blank
                    held += [None] * 4
            sides = _impose_part(document, held, path, sheet, caliper * MM)
            booklets.append(Booklet(path, sides // 2, part.start + 1, part.stop))
        return booklets


def _impose_part(
    document: pikepdf.Pdf,
    pages: list[pikepdf.Page | None],
    target: Path,
    sheet: tuple[float, float] | None,
    leaf: float,
) -> int:
    """One booklet's sheets into `target`; a page None is left blank."""
    with pikepdf.new() as booklet:
        x0, y0, x1, y1 = (float(v) for v in next(p for p in pages if p is not None).trimbox)
        width, height = x1 - x0, y1 - y0
        sheet_width, sheet_height = sheet or (2 * width, height)
        middle = sheet_width / 2
        forms: dict[int, pikepdf.Object] = {}
        for number, (left, right) in enumerate(saddle_stitch(len(pages))):
            creep = (number // 2) * leaf  # the sheets folded round this one, from the outside in
            resources = pikepdf.Dictionary()
            drawing = []
            for slot, index in ((0, left), (1, right)):
                page = None if index is None else pages[index]
                if index is None or page is None:
                    continue
                if index not in forms:
                    forms[index] = booklet.copy_foreign(page.as_form_xobject())
                name = f"/P{slot}"
                resources[name] = forms[index]
                # the form's BBox is the page's TrimBox: place its lower left corner at the slot's,
                # the page's inner edge at the fold, moved towards it by the creep
                trim = [float(v) for v in page.trimbox]
                x = middle - width + creep if slot == 0 else middle - creep
                dx, dy = x - trim[0], (sheet_height - height) / 2 - trim[1]
                drawing.append(f"q 1 0 0 1 {dx:.4f} {dy:.4f} cm {name} Do Q")
            drawing.append(_fold_mark(sheet_width, sheet_height))
            side = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, round(sheet_width, 4), round(sheet_height, 4)],
                Resources=pikepdf.Dictionary(XObject=resources),
                Contents=booklet.make_stream("\n".join(drawing).encode("ascii")),
            )
            booklet.pages.append(pikepdf.Page(side))
        _keep_metadata(document, booklet)
        # the cover and the pages were laid out apart: their subsets may share a name, not a glyph set
        tag_subsets_by_content(booklet)
        blend_in_inks(booklet)  # the cover, laid out alone, was never finished
        buffer = io.BytesIO()  # into memory, then written in one step (QPDF aborts on a full disk)
        booklet.save(
            buffer,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # leave the pages' own streams as they are
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        write_bytes(target, buffer.getvalue())
        return len(booklet.pages)


def _fold_mark(width: float, height: float) -> str:
    """A tick at the top and bottom of the fold, drawn over the pages, inside the printable area
    (an office printer leaves about 5 mm unprinted at the sheet's edges)."""
    middle = width / 2
    return (
        f"q 0.5 w 0 0 0 1 K {middle:.2f} {UNPRINTABLE:.2f} m {middle:.2f} {UNPRINTABLE + FOLD_MARK:.2f} l S "
        f"{middle:.2f} {height - UNPRINTABLE:.2f} m {middle:.2f} {height - UNPRINTABLE - FOLD_MARK:.2f} l S Q"
    )


def _keep_metadata(document: pikepdf.Pdf, booklet: pikepdf.Pdf) -> None:
    """The title, language, information dictionary and XMP metadata of the imposed document."""
    if "/Info" in document.trailer:
        booklet.trailer.Info = booklet.copy_foreign(document.trailer.Info)
    if "/Lang" in document.Root:
        booklet.Root.Lang = pikepdf.String(str(document.Root.Lang))
    if "/Metadata" in document.Root:
        booklet.Root.Metadata = booklet.make_stream(
            without_claims(document.Root.Metadata.read_bytes()), Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML
        )
    # No output intent, no tags: the booklet claims neither PDF/X nor PDF/UA.
    for key in ("/GTS_PDFXVersion", "/GTS_PDFXConformance", "/Trapped"):
        if key in booklet.trailer.get("/Info", pikepdf.Dictionary()):
            del booklet.trailer.Info[key]
    # Printed duplex, flipped on the short edge (a sheet side's top stays at the top), at actual
    # size: a printer's "fit to page" would shrink the type and move the pages off the fold.
    preferences = pikepdf.Dictionary(Duplex=pikepdf.Name.DuplexFlipShortEdge, PrintScaling=pikepdf.Name("/None"))
    if "/ViewerPreferences" in document.Root:  # DisplayDocTitle: the title in the window bar
        display = document.Root.ViewerPreferences.get("/DisplayDocTitle")
        if display is not None:
            preferences.DisplayDocTitle = display
    booklet.Root.ViewerPreferences = preferences


def without_claims(xmp: bytes) -> bytes:
    """The XMP packet without the PDF/UA and PDF/X claims, which an imposed booklet (no tags, no
    output intent) cannot honour; the rest (title, language, dates, ids) kept."""
    return CLAIMS.sub(b"", xmp)
