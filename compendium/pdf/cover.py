"""The print shop's cover: one spread (back cover, spine, front cover) with bleed and crop marks,
its spine as wide as the interior is thick; and the figures the shop needs to check it."""

from __future__ import annotations

import math
import re
import uuid
from dataclasses import dataclass
from pathlib import Path

import pikepdf
from pikepdf import Array, Dictionary, Name

from .marks import GAP, LINE, MARK_AREA, add_marks
from .pdfx import CONDITION_NAME, make_pdfx

MM = 72 / 25.4
SPINE_TITLE = 8.0  # mm: a spine narrower than this carries no title (the shop's usual minimum)


@dataclass(frozen=True)
class ShopFigures:
    """What the print shop checks the files against."""

    trim: tuple[float, float]  # mm, the trimmed page
    bleed: float  # mm
    pages: int  # the interior's, even
    blanks: tuple[int, ...]  # the pages (from 1) added as blanks to make the count even
    caliper: float  # mm a leaf
    spine: float  # mm
    cover: tuple[float, float]  # mm, the cover spread's trim: back, spine and front

    def lines(self) -> list[str]:
        """The job ticket's lines, in the shop's terms (no option of the builder's)."""
        width, height = self.trim
        added = (
            f"blank page{'s' if len(self.blanks) > 1 else ''} {', '.join(map(str, self.blanks))} added at the end "
            "to make the count even"
            if self.blanks
            else "an even count as laid out: no blank page added"
        )
        title = "with the title from head to foot" if self.spine >= SPINE_TITLE else "too narrow for a title"
        return [
            f"interior: {self.pages} pages ({added}); trim {width:g} × {height:g} mm, bleed {self.bleed:g} mm, "
            f"crop marks; colours 4/4 (CMYK), black text 100 % K overprinting; PDF/X-4, output intent {CONDITION_NAME}",
            f"cover: one spread, trim {self.cover[0]:.1f} × {self.cover[1]:g} mm (back {width:g} + spine "
            f"{self.spine:.1f} + front {width:g}), bleed {self.bleed:g} mm, crop marks and fold marks at the spine; "
            "colours 4/0 (CMYK), inside blank; PDF/X-4",
            "binding: perfect bound (glued), the cover wrapped round the interior; the thumb-index tabs bleed off "
            "the fore-edge, so trim it true",
            f"spine: {self.spine:.1f} mm = {self.pages // 2} leaves × {self.caliper:g} mm, the caliper assumed for "
            f"the paper; {title}; to be confirmed against the stock's real caliper (for another caliper the "
            "publisher rebuilds the cover)",
            "stock, quantity and finishing: not set by these files; to be agreed with the publisher",
        ]


def _describe(cover: pikepdf.Pdf, source: pikepdf.Pdf, interior: Path | None) -> None:
    """The cover says what the interior says of itself (title, dates, its XMP packet, which PDF/X-4
    requires), without the PDF/UA claim: the cover is not tagged."""
    if interior is None:
        if "/Info" in source.trailer:
            cover.trailer.Info = cover.copy_foreign(source.trailer.Info)
        return
    with pikepdf.open(interior) as book:
        cover.trailer.Info = cover.copy_foreign(book.trailer.Info)
        if "/Metadata" in book.Root:
            packet = own_id(UA_CLAIM.sub(b"", book.Root.Metadata.read_bytes()))
            cover.Root.Metadata = cover.make_stream(packet, Type=pikepdf.Name.Metadata, Subtype=pikepdf.Name.XML)


def _fold_ticks(folds: tuple[float, float], media: list) -> bytes:
    """Ticks in the mark area above and below each of the spine's folds (x, pt)."""
    ticks = []
    top, bottom = media[3] + GAP, media[1] - GAP
    for x in folds:
        ticks.append(f"{x:.3f} {top:.3f} m {x:.3f} {top + MARK_AREA - GAP:.3f} l S")
        ticks.append(f"{x:.3f} {bottom:.3f} m {x:.3f} {bottom - MARK_AREA + GAP:.3f} l S")
    return (f"/Artifact BMC q {LINE} w 1 1 1 1 K " + " ".join(ticks) + " Q EMC\n").encode("ascii")


def spine_fits(document) -> bool:
    """The spine's title (layouts/spine.html, laid out on one line) ends clear of the year at its
    foot: a longer title would run into the year, or past the spine's end."""
    from . import engine

    found: dict[str, tuple[float, float, float, float]] = {}
    stack = list(engine.pages(document))
    while stack:
        box = stack.pop()
        element = engine.element(box) if not engine.is_text(box) else None
        classes = (element.get("class") or "").split() if element is not None and engine.is_own(box) else []
        for name in ("spine-text", "spine-title", "spine-year"):
            rectangle = engine.text_rectangle(box) if name in classes else None
            if rectangle and name != "spine-text":
                found[name] = rectangle
            elif name in classes and name == "spine-text":
                left, right = engine.content_left_right(box)
                found[name] = (left, 0.0, right, 0.0)
        stack.extend(engine.children(box))
    title, line = found.get("spine-title"), found.get("spine-text")
    if title is None or line is None:
        return False
    end = found["spine-year"][0] - 2 * MM * 96 / 72 if "spine-year" in found else line[2]  # 2 mm before the year
    return title[2] <= end + 0.75


def cover_first(interior: Path, front: Path, target: Path) -> None:
    """The interior with the front cover before its title page and a blank inside cover between:
    a booklet of the print edition's pages (A4 on A3) is its own cover."""
    with pikepdf.open(interior) as book, pikepdf.open(front) as laid_out:
        first = book.pages[0]
        book.pages.insert(0, laid_out.pages[0])
        blank = book.make_indirect(Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=book.make_stream(b"")))
        for key in ("/MediaBox", "/TrimBox", "/BleedBox"):
            if key in first.obj:
                blank[key] = first.obj[key]
        book.pages.insert(1, pikepdf.Page(blank))
        book.save(target)


def spine_width(pages: int, caliper: float) -> float:
    """The spine in mm: one caliper per leaf (two pages), rounded up to 0.1 mm."""
    return math.ceil(pages / 2 * caliper * 10 - 1e-9) / 10


def pad_to_even(pdf: pikepdf.Pdf) -> tuple[int, ...]:
    """Adds a blank page (the last page's boxes, nothing drawn) when the count is odd: a bound
    book has two pages to a leaf. Returns the numbers of the pages added."""
    if len(pdf.pages) % 2 == 0:
        return ()
    last = pdf.pages[-1].obj
    blank = Dictionary(Type=Name.Page, Resources=Dictionary(), Contents=pdf.make_stream(b""))
    for key in ("/MediaBox", "/CropBox", "/BleedBox", "/TrimBox"):
        if key in last:
            blank[key] = Array([float(v) for v in last[key]])
    pdf.pages.append(pikepdf.Page(blank))
    return (len(pdf.pages),)


UA_CLAIM = re.compile(rb"\s*<(pdfuaid:part|pdfuaid:conformance)>[^<]*</\1>")
IDENTIFIER = re.compile(rb"<(xmpMM:DocumentID|xmpMM:InstanceID)>([^<]*)</\1>")


def own_id(packet: bytes) -> bytes:
    """The interior's packet with the cover's own DocumentID and InstanceID, derived from the
    interior's: a job-tracking system that keys on the ID must not take the two files for one."""

    def cover_id(match: re.Match) -> bytes:
        interior = match.group(2).decode("utf-8")
        return b"<%s>uuid:%s</%s>" % (
            match.group(1),
            str(uuid.uuid5(uuid.NAMESPACE_URL, interior + ":cover")).encode(),
            match.group(1),
        )

    return IDENTIFIER.sub(cover_id, packet)


def make_cover(
    front: Path,
    target: Path,
    pages: int,
    blanks: tuple[int, ...],
    caliper: float,
    back: tuple,
    interior: Path | None = None,
    spine_title: Path | None = None,
) -> ShopFigures:
    """Writes the cover spread: the laid-out front cover (`front`'s one page, with its bleed)
    on the right, the spine and the back in the cover's colour `back` (CMYK, 0–1), crop marks at
    the corners, ticks at the folds, and `spine_title` (laid out alone) on the spine. `pages`: the interior's."""
    spine = spine_width(pages, caliper)
    with pikepdf.open(front) as source, pikepdf.new() as cover:
        first = source.pages[0]
        trim = [float(v) for v in first.obj.TrimBox]
        bleed_box = [float(v) for v in first.obj.get("/BleedBox", first.obj.MediaBox)]
        width, height = trim[2] - trim[0], trim[3] - trim[1]
        bleed = trim[0] - bleed_box[0]
        s = spine * MM
        spread = (2 * width + s, height)
        # the bleed box at the origin; the spread's trim inside it
        front_x = bleed + width + s  # where the front cover's trimmed left edge lies
        form = cover.copy_foreign(first.as_form_xobject())
        form.BBox = Array(bleed_box)
        c, m, y, k = back
        drawing = [
            f"q {c:g} {m:g} {y:g} {k:g} k 0 0 {front_x:.3f} {height + 2 * bleed:.3f} re f Q",  # back and spine
            # the front cover, its left bleed cut at the spine's fold
            f"q {front_x:.3f} 0 {width + bleed:.3f} {height + 2 * bleed:.3f} re W n "
            f"1 0 0 1 {front_x - trim[0]:.3f} {bleed - trim[1]:.3f} cm /Front Do Q",
        ]
        resources = Dictionary(Front=form)
        if spine_title is not None:
            with pikepdf.open(spine_title) as laid_out:
                resources.Spine = cover.copy_foreign(laid_out.pages[0].as_form_xobject())
            drawing.append(f"q 1 0 0 1 {bleed + width:.3f} {bleed:.3f} cm /Spine Do Q")
        media = [0, 0, round(2 * bleed + spread[0], 4), round(2 * bleed + spread[1], 4)]
        page = Dictionary(
            Type=Name.Page,
            MediaBox=Array(media),
            BleedBox=Array(media),
            TrimBox=Array([bleed, bleed, round(bleed + spread[0], 4), round(bleed + spread[1], 4)]),
            Resources=Dictionary(XObject=resources),
            Contents=cover.make_stream("\n".join(drawing).encode("ascii")),
        )
        cover.pages.append(pikepdf.Page(page))
        add_marks(cover, ("crop",))
        cover.pages[0].contents_add(cover.make_stream(_fold_ticks((bleed + width, bleed + width + s), media)))
        _describe(cover, source, interior)
        make_pdfx(cover)
        cover.save(target, deterministic_id=True, force_version="1.6")  # PDF/X-4: PDF 1.6
    return ShopFigures(
        trim=(round(width / MM, 1), round(height / MM, 1)),
        bleed=round(bleed / MM, 1),
        pages=pages,
        blanks=blanks,
        caliper=caliper,
        spine=spine,
        cover=(round(spread[0] / MM, 1), round(spread[1] / MM, 1)),
    )
