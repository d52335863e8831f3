"""Saddle-stitch imposition for the booklet: pages in folding order, two to a sheet side."""

from __future__ import annotations

import io
import math
import re
from pathlib import Path

import pikepdf

from ..source.files import write_bytes

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


def impose(source: Path, target: Path, sheet_scale: str) -> int:
    """Writes the booklet of a finished PDF (screen or print: each page is cut to its TrimBox, so
    bleed and crop marks fall away); sheet_scale "reduced" puts two pages side by side on a sheet
    of the pages' own size (A5 pages on A4), "actual" on a sheet twice as wide (A4 on A3).
    Returns the number of sheet sides.

    Each page becomes a form XObject that the sheets draw: its content streams and resources
    (fonts, images) are copied once, untouched, so imposition costs no parsing of page content
    and the booklet is no larger than its source. The booklet keeps the source's title,
    language, information dictionary and XMP metadata; its tags do not survive imposition (a
    sheet side is not a reading order)."""
    with pikepdf.open(source) as document, pikepdf.new() as booklet:
        pages = list(document.pages)
        x0, y0, x1, y1 = (float(v) for v in pages[0].trimbox)
        width, height = x1 - x0, y1 - y0
        if sheet_scale == "reduced":  # the sheet is the page size turned landscape
            scale = 1 / math.sqrt(2)
            sheet_width, sheet_height = height, width
        else:
            scale = 1.0
            sheet_width, sheet_height = 2 * width, height
        forms: dict[int, pikepdf.Object] = {}
        for left, right in saddle_stitch(len(pages)):
            resources = pikepdf.Dictionary()
            drawing = []
            for slot, index in ((0, left), (1, right)):
                if index is None:
                    continue
                if index not in forms:
                    forms[index] = booklet.copy_foreign(pages[index].as_form_xobject())
                name = f"/P{slot}"
                resources[name] = forms[index]
                # the form's BBox is the page's TrimBox: place its lower left corner at the slot's
                trim = [float(v) for v in pages[index].trimbox]
                dx, dy = slot * sheet_width / 2 - trim[0] * scale, -trim[1] * scale
                drawing.append(f"q {scale:.6f} 0 0 {scale:.6f} {dx:.4f} {dy:.4f} cm {name} Do Q")
            drawing.append(_fold_mark(sheet_width, sheet_height))
            side = pikepdf.Dictionary(
                Type=pikepdf.Name.Page,
                MediaBox=[0, 0, round(sheet_width, 4), round(sheet_height, 4)],
                Resources=pikepdf.Dictionary(XObject=resources),
                Contents=booklet.make_stream("\n".join(drawing).encode("ascii")),
            )
            booklet.pages.append(pikepdf.Page(side))
        _keep_metadata(document, booklet)
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
    if "/ViewerPreferences" in document.Root:  # DisplayDocTitle: the title in the window bar
        display = document.Root.ViewerPreferences.get("/DisplayDocTitle")
        if display is not None:
            booklet.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=display)


def without_claims(xmp: bytes) -> bytes:
    """The XMP packet without the PDF/UA and PDF/X claims, which an imposed booklet (no tags, no
    output intent) cannot honour; the rest (title, language, dates, ids) kept."""
    return CLAIMS.sub(b"", xmp)
