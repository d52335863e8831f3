"""What WeasyPrint 70's tagging leaves out, added while it builds the structure tree from the HTML.

WeasyPrint turns each box into a structure element, but reads nothing of the HTML's accessibility
attributes. `tagging()` gives the rules below to the engine's structure hook (engine.py) for the
length of a write_pdf() call; from the element each box comes from, they add:

- aria-hidden="true": the element is page furniture (a side tab, a band); its subtree is built
  but not linked into the tree, exactly as WeasyPrint does for margin boxes, so that the finishing
  step (finish.py) marks its content as an artifact;
- a repeated table header (the thead, or a keyword group's heading, that WeasyPrint draws again
  on a continuation page): the same;
- lang: /Lang on the element, so a passage in another language is read in that language;
- aria-label: /Alt, what a reader announces instead of the visible text (a provision heading
  that shows only "09" is announced "Provision 09"), and the /Contents of a link annotation;
- a link's label or text as its annotation's /Contents (WeasyPrint writes the raw target id
  there), in words and without invisible characters, and for a link within the document the page
  it leads to ("Provision 03, page 10", the pattern from the html element's data-link-description);
- a leader (the dots of the contents) and a table header or keyword-group heading WeasyPrint
  repeats on a continuation page: artifacts, never merged into the first page's element;
- a footnote's mark (::footnote-call): /Reference, and its footnote a /Note read right after it
  (not at the foot of the page); role="note", and any other footnote in a footnote area: /Note;
- role="presentation" on a table: its rows and cells
  become /Div and /P, for layout blocks that are not data tables;
- TH: /Scope (Column, or Row for scope="row").

docs/weasyprint-limitations.md has a minimal reproduction of each gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

from . import engine
from .engine import Box, Structure

# Structure types of a presentational table and what each becomes.
LAYOUT_TYPES = {"Table": "Div", "THead": "Div", "TBody": "Div", "TFoot": "Div", "TR": "Div"}
LAYOUT_CELLS = {"TD": "P", "TH": "P"}
HEADING = re.compile(r"H\d")
# Characters a reader does not say and a description must not hold (word joiner, soft hyphen …).
INVISIBLE = re.compile("[\u00ad\u200b-\u200f\u2060-\u2064\ufeff]")


@contextmanager
def tagging(document=None, pages: dict[str, int] | None = None) -> Iterator[None]:
    """Adds the attributes above to the structure tree of every PDF written inside the block
    (`document`, the laid-out document, or `pages`, a part's, names the pages links lead to)."""
    seen_headers: set[int] = set()
    marks: dict[int, Structure] = {}  # a footnote's element: the Reference of its mark
    pages = (engine.anchors(document) if document is not None else {}) if pages is None else pages
    root = engine.root_element(document) if document is not None else None
    pattern = (root.get("data-link-description") if root is not None else None) or "{target}"

    first: dict[tuple[int, str], Structure] = {}  # (element, structure type): its first structure

    def unlinked(box: Box) -> bool:
        # The element's own box (not a pseudo-element's); html and body pass their children's
        # structures through, so nothing they yield is theirs.
        element = engine.element(box)
        if _is_leader(box):
            return True
        if not _own(box):
            return False
        return element.get("aria-hidden") == "true" or _repeated_header(box, element, seen_headers)

    def made(box: Box, structure: Structure, nested: bool) -> Structure | None:
        # The boxes WeasyPrint makes for one element inside another of its boxes (the row and cell
        # of a heading displayed as a table header) are not headings again.
        if nested and HEADING.fullmatch(structure.type):
            structure.type = "NonStruct"
        if engine.is_footnote_area(box):  # each footnote in the page's footnote area is a note
            for child in structure.children():
                child.type = "Note"
                child.set_text("ID", f"note-{child.number}")  # PDF/UA: every note has an ID
        if engine.pseudo(box) == "footnote-call":  # a footnote's mark refers to its note
            structure.type = "Reference"
            marks[id(engine.element(box))] = structure
            return structure
        if not _own(box):
            return structure
        element = engine.element(box)
        mark = marks.pop(id(element), None)
        if mark is not None and mark.page == structure.page:  # the footnote, read after its mark
            structure.type = "Note"
            structure.set_text("ID", f"note-{structure.number}")
            _annotate(structure, element)
            structure.place_after(mark)
            return None
        key = (id(element), structure.type)
        # Merged: the continuation on a later page, and the other lines of a link. Not a box
        # nested in a box of the same element on one page (an anonymous block inside its <p>).
        if key in first and (first[key].page != structure.page or structure.type == "Link"):
            first[key].absorb(structure)
            return None
        first.setdefault(key, structure)
        _annotate(structure, element)
        return structure

    def described(box: Box) -> str | None:
        return _link_description(box, pages, pattern)

    with engine.structure_hook(engine.TagRules(unlinked, made, described)):
        yield


def _own(box: Box) -> bool:
    return engine.is_own(box) and engine.element(box).tag not in ("html", "body")


def _repeated_header(box: Box, element, seen: set[int]) -> bool:
    """A table header (a thead, or a heading displayed as table-header-group, as the keyword
    groups' are) is tagged once: WeasyPrint draws it again at the top of every continuation page."""
    if element.tag != "thead" and not engine.displayed_as(box, "table-header-group"):
        return False
    if id(element) in seen:
        return True
    seen.add(id(element))
    return False


def _annotate(structure: Structure, element) -> None:
    kind = structure.type
    if lang := element.get("lang"):
        structure.set_text("Lang", lang)
    label = element.get("aria-label")
    if label and kind != "Link":
        structure.set_text("Alt", label)
    if element.get("role") == "note":
        structure.type = "Note"
        structure.set_text("ID", f"note-{structure.number}")
    if kind == "TH":
        structure.set_attribute("Table", "Scope", "Row" if element.get("scope") == "row" else "Column")
    if kind == "Table" and element.get("role") == "presentation":
        _as_layout(structure)


def _is_leader(box: Box) -> bool:
    """The leader before a page reference (styles/components.css: .toc .page-ref::before)."""
    element = engine.element(box)
    return element is not None and engine.pseudo(box) == "before" and "page-ref" in (element.get("class") or "").split()


def _link_description(box: Box, pages: dict[str, int], pattern: str) -> str | None:
    """A link annotation's /Contents: the link's label or text, and where a link within the
    document leads to, its page (each line of a link has its own annotation)."""
    if not _own(box):
        return None
    element = engine.element(box)
    what = element.get("aria-label") or "".join(element.itertext())
    what = " ".join(INVISIBLE.sub("", what).split())
    if not what:
        return None
    href = element.get("href") or ""
    if href.startswith("#") and href[1:] in pages:
        return pattern.format(target=what, page=pages[href[1:]])
    return what


def _as_layout(structure: Structure) -> None:
    """A table that only places blocks side by side: its parts become divisions and paragraphs."""
    kind = structure.type
    if kind in LAYOUT_TYPES:
        structure.type = LAYOUT_TYPES[kind]
    elif kind in LAYOUT_CELLS:
        structure.type = LAYOUT_CELLS[kind]
        structure.remove("A")
        return
    for child in structure.children():
        _as_layout(child)
