"""Crop and registration marks for the print shop, drawn outside the bleed, and the page boxes."""

from __future__ import annotations

import pikepdf
from pikepdf import Array

MM = 72 / 25.4
MARK_AREA = 7 * MM  # beyond the bleed, where the marks are drawn
GAP = 1 * MM  # between the bleed and the start of a crop mark
LINE = 0.25  # points: a hairline


def add_marks(pdf: pikepdf.Pdf, marks: tuple[str, ...]) -> None:
    """Widens every page by the mark area, sets its boxes, and draws its marks as an artifact
    (they are not part of the publication). WeasyPrint has set MediaBox = BleedBox = TrimBox plus
    the bleed."""
    drawings: dict[tuple, pikepdf.Object] = {}  # pages of one size share one drawing
    for page in pdf.pages:
        trim = [float(v) for v in page.obj.TrimBox]
        bleed = [float(v) for v in page.obj.MediaBox]
        media = [bleed[0] - MARK_AREA, bleed[1] - MARK_AREA, bleed[2] + MARK_AREA, bleed[3] + MARK_AREA]
        key = (tuple(trim), tuple(bleed))
        if key not in drawings:
            drawings[key] = pdf.make_stream(_drawing(trim, bleed, media, marks))
        page.obj.MediaBox = _box(media)
        page.obj.CropBox = _box(media)
        page.obj.BleedBox = _box(bleed)
        page.obj.TrimBox = _box(trim)
        contents = page.obj.Contents
        old = list(contents) if isinstance(contents, Array) else [contents]
        # The page's own drawing is wrapped in q … Q so that the marks start from a clean state.
        page.obj.Contents = Array([pdf.make_stream(b"q\n"), *old, pdf.make_stream(b"Q\n"), drawings[key]])


def _box(values: list[float]) -> Array:
    return Array([round(v, 4) for v in values])


def _drawing(trim: list[float], bleed: list[float], media: list[float], marks: tuple[str, ...]) -> bytes:
    """The marks in registration colour (all four inks): crop marks at the corners, and
    registration crosses at the middle of each side when asked for."""
    left, bottom, right, top = trim
    ops = [f"/Artifact BMC q {LINE} w 1 1 1 1 K"]
    if "crop" in marks:
        for x, outward_x in ((left, bleed[0] - GAP), (right, bleed[2] + GAP)):
            edge_x = media[0] if outward_x < x else media[2]
            for y, outward_y in ((bottom, bleed[1] - GAP), (top, bleed[3] + GAP)):
                edge_y = media[1] if outward_y < y else media[3]
                ops.append(f"{outward_x:.3f} {y:.3f} m {edge_x:.3f} {y:.3f} l S")  # along the horizontal trim line
                ops.append(f"{x:.3f} {outward_y:.3f} m {x:.3f} {edge_y:.3f} l S")  # along the vertical trim line
    if "cross" in marks:
        middle_x, middle_y = (left + right) / 2, (bottom + top) / 2
        centres = [
            (middle_x, (media[1] + bleed[1]) / 2),
            (middle_x, (media[3] + bleed[3]) / 2),
            ((media[0] + bleed[0]) / 2, middle_y),
            ((media[2] + bleed[2]) / 2, middle_y),
        ]
        for cx, cy in centres:
            ops.append(_target(cx, cy, 2.2 * MM))
    ops.append("Q EMC")
    return ("\n".join(ops) + "\n").encode("ascii")


def _target(cx: float, cy: float, radius: float) -> str:
    """A registration target: a circle with a cross through it."""
    k = 0.5523 * radius
    r = radius
    circle = (
        f"{cx + r:.3f} {cy:.3f} m "
        f"{cx + r:.3f} {cy + k:.3f} {cx + k:.3f} {cy + r:.3f} {cx:.3f} {cy + r:.3f} c "
        f"{cx - k:.3f} {cy + r:.3f} {cx - r:.3f} {cy + k:.3f} {cx - r:.3f} {cy:.3f} c "
        f"{cx - r:.3f} {cy - k:.3f} {cx - k:.3f} {cy - r:.3f} {cx:.3f} {cy - r:.3f} c "
        f"{cx + k:.3f} {cy - r:.3f} {cx + r:.3f} {cy - k:.3f} {cx + r:.3f} {cy:.3f} c S"
    )
    arm = r * 1.5
    cross = (
        f"{cx - arm:.3f} {cy:.3f} m {cx + arm:.3f} {cy:.3f} l S {cx:.3f} {cy - arm:.3f} m {cx:.3f} {cy + arm:.3f} l S"
    )
    return f"{circle} {cross}"
