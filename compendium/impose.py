"""Saddle-stitch imposition for the booklet: pages in folding order, two to a sheet side."""

from __future__ import annotations

import math
from pathlib import Path

from pypdf import PdfReader, PdfWriter, Transformation
from pypdf.generic import ContentStream

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
    """Writes the booklet; sheet_scale "reduced" puts two pages side by side on a sheet of the
    pages' own size (A5 pages on A4), "actual" on a sheet twice as wide (A4 on A3). Returns the
    number of sheet sides."""
    reader = PdfReader(source)
    pages = reader.pages
    width, height = float(pages[0].mediabox.width), float(pages[0].mediabox.height)
    scale = 1 / math.sqrt(2) if sheet_scale == "reduced" else 1.0
    sheet_width, sheet_height = 2 * width * scale, height * scale
    if sheet_scale == "reduced":  # the sheet is the page size turned landscape
        sheet_width, sheet_height = height, width
    writer = PdfWriter()
    for left, right in saddle_stitch(len(pages)):
        side = writer.add_blank_page(sheet_width, sheet_height)
        for slot, index in ((0, left), (1, right)):
            if index is not None:
                placed = Transformation().scale(scale).translate(slot * sheet_width / 2, 0)
                side.merge_transformed_page(pages[index], placed)
        _fold_mark(side, sheet_width, sheet_height)
    with target.open("wb") as stream:
        writer.write(stream)
    return len(writer.pages)


def _fold_mark(side, width: float, height: float) -> None:
    """A tick at the top and bottom of the fold, drawn over the pages."""
    middle = width / 2
    mark = (
        f"\nq 0.5 w 0 0 0 1 K {middle:.2f} 0 m {middle:.2f} {FOLD_MARK:.2f} l S "
        f"{middle:.2f} {height:.2f} m {middle:.2f} {height - FOLD_MARK:.2f} l S Q\n"
    ).encode("ascii")
    contents = side.get_contents()
    if contents is None:
        contents = ContentStream(None, None)
    contents.set_data(contents.get_data() + mark)
    side.replace_contents(contents)
