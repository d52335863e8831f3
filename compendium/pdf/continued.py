"""A keyword group that runs onto another page repeats its heading there, marked as continued."""

from __future__ import annotations

from . import engine
from .engine import Box, Element

CLASS = "resource-keyword"  # a heading laid out as its group's table header (styles/components.css)


def mark_continued(document) -> int:
    """Writes each repeated heading's continued form (its data-continued attribute: "On children
    (continued):") into the laid-out lines, in place, as paging.py writes page numbers.

    WeasyPrint repeats a table's header group on every page the table runs onto, with the same
    text: the copies on the pages after the heading's first are the repeats. Returns how many
    headings were marked."""
    first_page: dict[Element, int] = {}
    marked = 0
    for number, page in enumerate(engine.pages(document)):
        lines: dict[Element, list[Box]] = {}
        for box in _heading_text(page):
            lines.setdefault(engine.element(box), []).append(box)
        for element, boxes in lines.items():
            if first_page.setdefault(element, number) != number and element.get("data-continued"):
                marked += _rewrite(boxes, element.get("data-continued"))
    return marked


def _heading_text(box: Box):
    """The text of the headings' own lines (not their ::after spacer), in the order laid out."""
    for child in engine.children(box):
        if engine.is_text(child):
            element = engine.element(child)
            if element is not None and CLASS in (element.get("class") or "").split() and not engine.pseudo(child):
                yield child
        else:
            yield from _heading_text(child)


def _rewrite(boxes: list[Box], continued: str) -> int:
    """The continued text in the heading's last line, after what its earlier lines already say
    (a long keyword wraps); nothing when the lines are not the start of the continued text."""
    before = " ".join(engine.text(box).strip() for box in boxes[:-1])
    if before and not continued.startswith(before):
        return 0
    last = boxes[-1]
    text = continued[len(before) :].strip() if before else continued
    if engine.text(last):
        # the digits-and-letters estimate the overflow check reads
        engine.scale_width(last, len(text) / len(engine.text(last)))
    engine.set_text(last, text)
    return 1
