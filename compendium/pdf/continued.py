"""A keyword group that runs onto another page repeats its heading there, marked as continued."""

from __future__ import annotations

from . import engine
from .engine import Box, Element

# A heading laid out as its group's table header (styles/components.css: a provision's keyword
# group, a directory entry) says how it reads when repeated: its data-continued attribute.
CONTINUED = "data-continued"


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
        right: dict[Element, float] = {}
        for box, column in _heading_text(page, engine.content_left_right(page)[1]):
            lines.setdefault(engine.element(box), []).append(box)
            right[engine.element(box)] = column
        for element, boxes in lines.items():
            if first_page.setdefault(element, number) != number and element.get(CONTINUED):
                marked += _rewrite(boxes, element.get(CONTINUED), right[element])
    return marked


def _heading_text(box: Box, column: float):
    """The text of the headings' own lines (not their ::after spacer), in the order laid out, each
    with the right edge of the column it is set in."""
    for child in engine.children(box):
        if engine.is_text(child):
            element = engine.element(child)
            if element is not None and element.get(CONTINUED) and not engine.pseudo(child):
                yield child, column
        else:
            yield from _heading_text(child, engine.column_right(child) or column)


def _rewrite(boxes: list[Box], continued: str, column: float) -> int:
    """The continued text in the heading's last line, after what its earlier lines already say
    (a long keyword wraps); nothing when the lines are not the start of the continued text. The
    line cannot wrap again after layout: a continued form wider than the column is shortened
    word by word before its mark ("… (continued):"), the whole heading being on the page before."""
    # the heading is set with its language's no-break spaces, the continued form (an attribute) without
    before = " ".join(engine.text(box).strip() for box in boxes[:-1]).replace("\u00a0", " ")
    if before and not continued.startswith(before):
        return 0
    last = boxes[-1]
    text = continued[len(before) :].strip() if before else continued
    old = engine.text(last)
    if old:
        per_character = engine.width(last) / len(old)  # the estimate the overflow check reads
        room = column - engine.extent(last)[0]
        text = _fitted(text, engine.text(last).strip(), int(room / per_character) if per_character else len(text))
        engine.scale_width(last, len(text) / len(old))
    engine.set_text(last, text)
    return 1


def _fitted(text: str, shown: str, room: int) -> str:
    """`text` (the line as it was, `shown`, with the continued mark added), shortened before the
    mark by whole words with an ellipsis when it has more than `room` characters."""
    if len(text) <= room:
        return text
    mark = text[len(shown.rstrip(":")) :] if text.startswith(shown.rstrip(":")) else ""
    words = text[: len(text) - len(mark)].split(" ") if mark else text.split(" ")
    while len(words) > 1 and len(" ".join(words) + "…" + mark) > room:
        words.pop()
    return " ".join(words) + "…" + mark
