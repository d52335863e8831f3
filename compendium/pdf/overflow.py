"""Finds boxes that run past their column or page after layout: a long word, address or label that cannot break."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from . import engine

TOLERANCE = 0.75  # CSS px (0.2 mm): less is rounding, not overflow
MM_PER_PX = 25.4 / 96
Locate = Callable[[str], "str | None"]  # the source line of a text's long word (source/written.py)


@dataclass(frozen=True)
class Overflow:
    """Text that runs past its column on a page: how far (CSS px), its text, whether it runs past
    the paper's edge too (cut off: not printed), and the source line of its long word, if known."""

    page: int
    place: str
    over: float
    text: str
    cut: bool
    at: str | None = None

    def line(self, names: dict[str, str]) -> str:
        """The warning, or for text cut off the error, located at the source line when known."""
        # "file:line", or "file:line: why" when the typography joined the words (source/written.py)
        at, _, why = (self.at or "").partition(": ")
        where = f"{at}: " if at else ""
        said = f"{_named(self.place, names)}: text runs {self.over * MM_PER_PX:.0f} mm past"
        remedy = why or "allow it to break (a shorter word, a hyphen, a break in the address)"
        if self.cut:  # no page: a part laid out on its own does not know its pages' numbers yet
            expected = "a place to break it" if why else "a word the column can hold"
            return (
                f"{where}{said} the edge of its column and is cut off at the paper's edge ('{_excerpt(self.text)}'): "
                f"expected {expected}; {remedy}"
            )
        return f"{where}page {self.page}, {said} the edge of its column ('{_excerpt(self.text)}'); {remedy}"


def overflow_warnings(document, names: dict[str, str] | None = None, locate: Locate | None = None) -> list[str]:
    """One warning for each place and page where text runs past the edge of its column (overflows()), the
    place called by its name in `names` (derive.place_names) or else by its id, at the source line `locate`
    finds for its text; text cut off at the paper's edge is an error (cut_off()), not among them. And
    positioned_warnings()."""
    found = overflows(document, locate)
    return [o.line(names or {}) for o in found if not o.cut] + positioned_warnings(document)


def cut_off(document, locate: Locate | None = None) -> list[Overflow]:
    """The text that runs past the paper's edge, where it is cut off: not printed, a failed build."""
    return [o for o in overflows(document, locate) if o.cut]


def overflows(document, locate: Locate | None = None) -> list[Overflow]:
    """Each place (the nearest element with an id: a provision, a decision paragraph …) and page where text
    runs past the edge of its column or of the page's content area, the furthest text of each. Page
    furniture (margin boxes, positioned tabs, running headers) sits outside the content area by design and
    is not examined here; positioned boxes are checked against the page and each other (positioned_warnings)."""
    found: dict[tuple[int, str], tuple[float, str, bool]] = {}
    for number, page in enumerate(engine.pages(document), 1):
        page_left, page_right = engine.content_left_right(page)
        paper = engine.page_size(page)[0]
        stack = [(child, "the page", page_right) for child in reversed(engine.children(page))]
        while stack:
            box, place, column_right = stack.pop()
            if engine.is_furniture(box):
                continue
            element = engine.element(box)
            element_id = element.get("id") if engine.names_element(box) else None
            if element_id and not engine.is_root(box):
                place = element_id
            elif engine.is_footnote_area(box):
                place = "footnote"
            if engine.is_text(box):
                left, right = engine.extent(box)
                limit = min(column_right, page_right)
                if right > limit + TOLERANCE or left < page_left - TOLERANCE:
                    over = max(right - limit, page_left - left)
                    key = (number, place)
                    before, text = found.get(key, (0.0, "", False)), engine.text(box)
                    # a word too wide for its column, from inside the page off its right edge; text
                    # a stylesheet moves off the page (a negative indent) is for the hidden-content check
                    cut = before[2] or (right > paper + TOLERANCE and left > page_left - TOLERANCE)
                    if over > before[0]:
                        # the comma after a long title runs further than the title: the title is what to name
                        text = text if any(c.isalnum() for c in text) or not before[1] else before[1]
                        found[key] = (over, text, cut)
                    else:
                        found[key] = (*before[:2], cut)
                continue
            inner = engine.column_right(box)
            column_right = column_right if inner is None else inner
            for child in reversed(engine.children(box)):
                stack.append((child, place, column_right))
    return [
        Overflow(page, place, over, text, cut, locate(text) if locate else None)
        for (page, place), (over, text, cut) in sorted(found.items())
    ]


def cut_tab_warnings(document) -> list[str]:
    """One warning for each section title a side tab cuts short (its lines are limited: styles/tabs.css,
    booklet.css): silent, a thumb index read "LAW ENFORCEMENT…". Never fatal, even under --strict:
    the ellipsis is the tab's design for a long title, and a short_title the remedy. WeasyPrint draws the ellipsis
    itself, so a title is cut when its laid-out text is shorter than its element's."""
    cut: dict[str, int] = {}
    for number, page in enumerate(engine.pages(document), 1):
        laid: dict[int, tuple[Any, list[str]]] = {}
        for _, box in engine.margin_texts(page):
            element = engine.element(box)  # None for a margin box's own content (a page number)
            classes = (element.get("class") or "").split() if element is not None else []
            if {"side-tab-title", "side-tab-short", "side-tab-full"} & set(classes):
                laid.setdefault(id(element), (element, []))[1].append(engine.text(box))
        for element, texts in laid.values():
            whole, shown = " ".join("".join(element.itertext()).split()), " ".join("".join(texts).split())
            if len(shown) < len(whole):
                cut.setdefault(whole, number)
    return [
        f"page {number}, a side tab: the section title is cut short ('{_excerpt(text)}'); give the section "
        "a short_title that fits the tab (source/README.md, compendium.yaml)"
        for text, number in cut.items()
    ]


def positioned_warnings(document) -> list[str]:
    """One warning for each positioned box (a cover's title or subtitle, an imprint) whose text
    runs past the page's edge or into another positioned box's text: the flow check above does
    not see them, and a long title set at a fixed place ran into its subtitle and off the page."""
    warnings = []
    for number, page in enumerate(engine.pages(document), 1):
        page_width, page_height = engine.page_size(page)
        placed: list[tuple[str, tuple[float, float, float, float], str]] = []
        stack = list(reversed(engine.children(page)))
        while stack:  # in document order
            box = stack.pop()
            if engine.is_positioned(box):
                rectangle = engine.text_rectangle(box)
                if rectangle is not None:
                    element = engine.element(box)
                    name = element.get("class") or element.get("id") or element.tag
                    placed.append((name.split()[0], rectangle, engine.edge_text(box)))
                continue
            stack.extend(reversed(engine.children(box)))
        for name, (left, top, right, bottom), text in placed:
            over = max(-left, -top, right - page_width, bottom - page_height)
            if over > TOLERANCE:
                warnings.append(
                    f"page {number}, '{name}': text runs {over * MM_PER_PX:.0f} mm past the edge of the page "
                    f"('{_excerpt(text)}'); shorten it or give it more room"
                )
        for index, (name, first, text) in enumerate(placed):
            for other, second, _ in placed[index + 1 :]:
                across = min(first[2], second[2]) - max(first[0], second[0])
                down = min(first[3], second[3]) - max(first[1], second[1])
                if across > TOLERANCE and down > TOLERANCE:
                    warnings.append(
                        f"page {number}, '{name}': its text runs {down * MM_PER_PX:.0f} mm into '{other}' "
                        f"('{_excerpt(text)}'); shorten it or give it more room"
                    )
    return warnings


def _named(place: str, names: dict[str, str]) -> str:
    """A place in the compendium's words ('provision 07', 'decision 6/17, paragraph 3'), else its id quoted."""
    if place in names:
        return names[place]
    if place == "footnote":
        return "a footnote"
    return place if place == "the page" else f"'{place}'"


def _excerpt(text: str) -> str:
    text = " ".join(text.split())
    return text if len(text) <= 40 else text[:37] + "…"
