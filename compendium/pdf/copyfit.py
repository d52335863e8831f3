"""Copyfitting: what one more layout mends (a tail alone on a page, a ladder of hyphens, a hyphen at a foot)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from . import engine
from .engine import Box

# A page whose running text fills less than this of the type area's height holds a sliver when that
# text is the tail of an element (with an id) that began on an earlier page. A part's opener
# (whose element begins on the page itself) and the cover are never slivers.
SLIVER = 0.2
# A tail pushed forward takes lines with it until its page is filled to this much: clear of the
# bound, so that the second layout's own small differences do not leave it just under.
BALANCED = 0.25
HYPHENATION = "\u2010"  # WeasyPrint's hyphenate-character
HYPHENS = (HYPHENATION, "-")  # a hyphenation, or a word's own hyphen at a line's end
LADDER = 3  # lines in a row ending in a hyphen
TIGHTER = "2"  # the step components.css ("Copyfitting") sets a pulled-back part in


def text_spans(box: Box) -> Iterator[tuple[float, float, Box]]:
    """(top, bottom, the text box) of each piece of running text under `box`: not the page's
    margin boxes, running or positioned elements, nor the footnote area."""
    for child in engine.children(box):
        if engine.is_furniture(child) or engine.is_footnote_area(child):
            continue
        if engine.is_text(child):
            if engine.text(child).strip():
                yield (*engine.top_bottom(child), child)
        else:
            yield from text_spans(child)


def fill(page: Box) -> float:
    """How much of the page's type area its running text fills, top to bottom (0 for a blank page)."""
    spans = list(text_spans(page))
    if not spans:
        return 0.0
    return (max(s[1] for s in spans) - min(s[0] for s in spans)) / (engine.content_height(page) or 1)


def _owners(box: Box, number: int, begins: dict[str, int], found: tuple = ()) -> tuple | None:
    """The elements with an id, outermost first, holding the page's first text and begun on an
    earlier page (None when `box` holds no text)."""
    own = engine.element(box) if engine.is_own(box) else None
    anchor = own.get("id") if own is not None else None
    if anchor and begins.get(anchor, number) < number and own not in found:
        found = (*found, own)
    for child in engine.children(box):
        if engine.is_furniture(child) or engine.is_footnote_area(child):
            continue
        if engine.is_text(child) and engine.text(child).strip():
            return found
        inner = _owners(child, number, begins, found)
        if inner is not None:
            return inner
    return None


def _owner(page: Box, number: int, begins: dict[str, int]) -> str | None:
    """The id of the part a tail belongs to: the innermost <article> holding it (a provision, a
    decision: set tighter whole, they give back lines where a paragraph alone rarely does), else
    the innermost element with an id."""
    owners = _owners(page, number, begins) or ()
    articles = [element for element in owners if element.tag == "article"]
    chosen = articles[-1] if articles else (owners[-1] if owners else None)
    return chosen.get("id") if chosen is not None else None


def _last_text(box: Box) -> str:
    for child in reversed(engine.children(box)):
        if engine.is_text(child) and engine.text(child).strip():
            return engine.text(child).rstrip()
        found = _last_text(child)
        if found:
            return found
    return ""


def _paragraphs(box: Box, holder=None) -> Iterator[tuple[object, list[Box]]]:
    """(the element, its line boxes) of each block of running text under `box`, in order."""
    own = engine.element(box) if engine.is_own(box) else None
    holder = own if own is not None else holder
    lines = [child for child in engine.children(box) if engine.is_line(child)]
    if lines and holder is not None:
        yield holder, lines
    for child in engine.children(box):
        if not engine.is_line(child) and not engine.is_furniture(child) and not engine.is_footnote_area(child):
            yield from _paragraphs(child, holder)


@dataclass
class Fit:
    """What the second layout changes, each element named by its place in the parsed tree (the same
    HTML parses to the same tree): parts set a step tighter, elements a page starts before (a tail
    pushed forward with lines enough to balance it), and paragraphs laid out unhyphenated (a ladder
    of hyphens, a hyphen on a page's last line)."""

    tighter: list[int] = field(default_factory=list)
    page_before: list[int] = field(default_factory=list)
    unhyphenated: list[int] = field(default_factory=list)

    def __bool__(self) -> bool:
        return bool(self.tighter or self.page_before or self.unhyphenated)

    def apply(self, root) -> None:
        """Marks the elements of a fresh parse of the HTML: attributes, not a stylesheet of
        selectors that every element would be matched against."""
        elements = list(root.iter())
        for place in self.tighter:
            elements[place].set("data-copyfit", TIGHTER)
        for place in self.page_before:
            _add_style(elements[place], "break-before: page")
        for place in self.unhyphenated:
            _add_style(elements[place], "hyphens: manual")


def _add_style(element, declaration: str) -> None:
    # an inline declaration outranks every rule of the stylesheets that is not !important
    given = (element.get("style") or "").strip().rstrip(";")
    element.set("style", f"{given}; {declaration}" if given else declaration)


def _noted(places: list[int], place: int | None) -> None:
    if place is not None and place not in places:
        places.append(place)


def plan(document) -> Fit:
    """What to mend in a laid-out document, all at once: one more layout, never a loop of them."""
    begins = engine.anchors(document)
    pages = engine.pages(document)
    root = engine.root_element(document)
    place = {element: number for number, element in enumerate(root.iter())} if root is not None else {}
    ids = {element.get("id"): number for element, number in place.items() if element.get("id")}
    fit = Fit()
    for number, page in enumerate(pages, 1):
        paragraphs = list(_paragraphs(page))
        for element, lines in paragraphs:
            run = 0
            for line in lines:
                run = run + 1 if _last_text(line).endswith(HYPHENS) else 0
                if run == LADDER:
                    _noted(fit.unhyphenated, place.get(element))
        # a hyphenation on the page's last line: the reader turns the leaf mid-word
        last = paragraphs[-1] if paragraphs else None
        if last and _last_text(last[1][-1]).endswith(HYPHENATION):
            _noted(fit.unhyphenated, place.get(last[0]))
        filled = fill(page)
        if not 0 < filled < SLIVER or number == 1:
            continue
        owner = _owner(page, number, begins)
        if owner is None:
            continue
        if engine.holds_footnotes(page):
            # its footnotes would have to come back with it: pulled back it rarely fits, so lines
            # of the page before go forward to it instead
            moved = _balancing_block(pages[number - 2], filled, engine.content_height(page))
            _noted(fit.page_before, place.get(moved))
        else:
            _noted(fit.tighter, ids.get(owner))
    return fit


def _balancing_block(before: Box, filled: float, height: float) -> object | None:
    """The element on the page before a sliver whose block, with what follows it there, fills the
    sliver's page to BALANCED when moved onto it: the lowest such block (not the page's first, which
    may have begun on a page before)."""
    spans = list(text_spans(before))
    if not spans:
        return None
    first, bottom = min(s[0] for s in spans), max(s[1] for s in spans)
    for element, lines in reversed(list(_paragraphs(before))):
        top = engine.top_bottom(lines[0])[0]
        if top <= first:
            return None
        if filled + (bottom - top) / (height or 1) >= BALANCED:
            return element
    return None
