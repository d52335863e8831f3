"""Saddle-stitch imposition for the booklet: pages in folding order, two to a sheet side."""

from __future__ import annotations

import math
from pathlib import Path

import pikepdf

from .xmp import claim_pdfua_only_if_tagged

FOLD_MARK = 6 * 72 / 25.4  # a 6 mm tick at the top and bottom of the fold


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
        booklet.save(
            target,
            compress_streams=True,
            stream_decode_level=pikepdf.StreamDecodeLevel.none,  # leave the pages' own streams as they are
            object_stream_mode=pikepdf.ObjectStreamMode.generate,
        )
        return len(booklet.pages)


def _fold_mark(width: float, height: float) -> str:
    """A tick at the top and bottom of the fold, drawn over the pages."""
    middle = width / 2
    return (
        f"q 0.5 w 0 0 0 1 K {middle:.2f} 0 m {middle:.2f} {FOLD_MARK:.2f} l S "
        f"{middle:.2f} {height:.2f} m {middle:.2f} {height - FOLD_MARK:.2f} l S Q"
    )


def _keep_metadata(document: pikepdf.Pdf, booklet: pikepdf.Pdf) -> None:
    """The title, language, information dictionary and XMP metadata of the imposed document."""
    if "/Info" in document.trailer:
        booklet.trailer.Info = booklet.copy_foreign(document.trailer.Info)
    if "/Lang" in document.Root:
        booklet.Root.Lang = pikepdf.String(str(document.Root.Lang))
    if "/Metadata" in document.Root:
        booklet.Root.Metadata = booklet.copy_foreign(document.Root.Metadata)
        claim_pdfua_only_if_tagged(booklet)  # the imposed sheets carry no tags
    if "/ViewerPreferences" in document.Root:  # DisplayDocTitle: the title in the window bar
        display = document.Root.ViewerPreferences.get("/DisplayDocTitle")
        if display is not None:
            booklet.Root.ViewerPreferences = pikepdf.Dictionary(DisplayDocTitle=display)
