"""What WeasyPrint 70's tagging leaves out, added while it builds the structure tree from the HTML.

WeasyPrint turns each box into a structure element in `weasyprint.pdf.tags._build_box_tree`, but
reads nothing of the HTML's accessibility attributes. `tagging()` wraps that function for the
length of a write_pdf() call and, from the element each box comes from, adds:

- aria-hidden="true": the element is page furniture (a side tab, a band); its subtree is built
  but not linked into the tree, exactly as WeasyPrint does for margin boxes, so that the finishing
  step (finish.py) marks its content as an artifact;
- a repeated table header (the thead, or a keyword group's heading, that WeasyPrint draws again
  on a continuation page): the same;
- lang: /Lang on the element, so a passage in another language is read in that language;
- aria-label: /Alt, what a reader announces instead of the visible text (a provision heading
  that shows only "09" is announced "Provision 09"), and the /Contents of a link annotation;
- a link's text as its annotation's /Contents (WeasyPrint writes the raw target id there);
- role="note", and each footnote in a page's footnote area: /Note; role="presentation" on a table: its rows and cells
  become /Div and /P, for layout blocks that are not data tables;
- TH: /Scope (Column, or Row for scope="row").

docs/weasyprint-limitations.md has a minimal reproduction of each gap.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager

import pydyf
from weasyprint.formatting_structure.boxes import FootnoteAreaBox
from weasyprint.pdf import tags as weasyprint_tags

# Structure types of a presentational table and what each becomes.
LAYOUT_TYPES = {"/Table": "/Div", "/THead": "/Div", "/TBody": "/Div", "/TFoot": "/Div", "/TR": "/Div"}
LAYOUT_CELLS = {"/TD": "/P", "/TH": "/P"}


@contextmanager
def tagging() -> Iterator[None]:
    """Adds the attributes above to the structure tree of every PDF written inside the block."""
    original = weasyprint_tags._build_box_tree
    seen_headers: set[int] = set()
    first: dict[tuple[int, str], pydyf.Dictionary] = {}  # (element, structure type): its first structure
    ancestors: list = []  # the elements of the boxes being built, outermost first

    def build(box, parent, pdf, page_number, nums, annotations, tags):
        element = getattr(box, "element", None)
        # The element's own box (not a pseudo-element's); html and body pass their children's
        # structures through, so nothing they yield is theirs.
        own = (
            element is not None
            and getattr(box, "element_tag", None) == element.tag
            and element.tag not in ("html", "body")
        )
        if own and (element.get("aria-hidden") == "true" or _repeated_header(box, element, seen_headers)):
            # Built like a margin box: its marked content is mapped, but nothing links it to the tree.
            tuple(original(box, parent, pdf, page_number, nums, annotations, tags))
            return
        # The boxes WeasyPrint makes for one element inside another of its boxes (the row and cell
        # of a heading displayed as a table header) are not headings again.
        nested = element is not None and ancestors and ancestors[-1] is element
        ancestors.append(element)
        try:
            yield from _structures(box, element, own, nested, parent, pdf, page_number, nums, annotations, tags)
        finally:
            ancestors.pop()

    def _structures(box, element, own, nested, parent, pdf, page_number, nums, annotations, tags):
        for structure in original(box, parent, pdf, page_number, nums, annotations, tags):
            if nested and re.fullmatch(r"/H\d", structure["S"]):
                structure["S"] = "/NonStruct"
            if isinstance(box, FootnoteAreaBox):  # each footnote in the page's footnote area is a note
                for child in _children(structure, pdf):
                    child["S"] = "/Note"
                    child["ID"] = pydyf.String(f"note-{child.number}")  # PDF/UA: every note has an ID
            if not own:
                yield structure
                continue
            _describe_link(box, element)
            key = (id(element), structure["S"])
            # Merged: the continuation on a later page, and the other lines of a link. Not a box
            # nested in a box of the same element on one page (an anonymous block inside its <p>).
            if key in first and (first[key]["Pg"] != structure["Pg"] or structure["S"] == "/Link"):
                _merge(first[key], structure, pdf, nums, annotations)
                continue
            first.setdefault(key, structure)
            _annotate(structure, box, element, pdf)
            yield structure

    weasyprint_tags._build_box_tree = build
    try:
        yield
    finally:
        weasyprint_tags._build_box_tree = original


def _merge(into: pydyf.Dictionary, structure: pydyf.Dictionary, pdf: pydyf.PDF, nums: dict, annotations: list) -> None:
    """One element laid out in several boxes (a table or paragraph continued on the next page, a
    link over two lines) is one structure element: the later box's kids join the first's, and
    whatever pointed at the later one (the page's MCIDs, link annotations) points at the first."""
    for kid in structure["K"]:
        if isinstance(kid, int):
            nums[kid] = into.reference
            if structure["Pg"] != into["Pg"]:  # an MCID counts on the element's page: name the other page
                kid = pydyf.Dictionary({"Type": "/MCR", "Pg": structure["Pg"], "MCID": kid})
        else:
            child = pdf.objects[int(kid.split()[0])]
            if child.get("Type") == "/StructElem":
                child["P"] = into.reference
        into["K"].append(kid)
    for index, (reference, annotation) in enumerate(annotations):
        if reference == structure.reference:
            annotations[index] = (into.reference, annotation)


def _repeated_header(box, element, seen: set[int]) -> bool:
    """A table header (a thead, or a heading displayed as table-header-group, as the keyword
    groups' are) is tagged once: WeasyPrint draws it again at the top of every continuation page."""
    if element.tag != "thead" and "table-header-group" not in box.style["display"]:
        return False
    if id(element) in seen:
        return True
    seen.add(id(element))
    return False


def _annotate(structure: pydyf.Dictionary, box, element, pdf: pydyf.PDF) -> None:
    kind = structure["S"]
    if lang := element.get("lang"):
        structure["Lang"] = pydyf.String(lang)
    label = element.get("aria-label")
    if label and kind != "/Link":
        structure["Alt"] = pydyf.String(label)
    if element.get("role") == "note":
        structure["S"] = "/Note"
        structure["ID"] = pydyf.String(f"note-{structure.number}")
    if kind == "/TH":
        scope = "/Row" if element.get("scope") == "row" else "/Column"
        structure.setdefault("A", pydyf.Dictionary({"O": "/Table"}))["Scope"] = scope
    if kind == "/Table" and element.get("role") == "presentation":
        _as_layout(structure, pdf)


def _describe_link(box, element) -> None:
    """A link annotation's /Contents: the link's label or text (each line of a link has its own)."""
    annotation = getattr(box, "link_annotation", None)
    if annotation is not None:
        text = element.get("aria-label") or " ".join("".join(element.itertext()).split())
        if text:
            annotation["Contents"] = pydyf.String(text)


def _as_layout(structure: pydyf.Dictionary, pdf: pydyf.PDF) -> None:
    """A table that only places blocks side by side: its parts become divisions and paragraphs."""
    kind = structure["S"]
    if kind in LAYOUT_TYPES:
        structure["S"] = LAYOUT_TYPES[kind]
    elif kind in LAYOUT_CELLS:
        structure["S"] = LAYOUT_CELLS[kind]
        structure.pop("A", None)
        return
    for child in _children(structure, pdf):
        _as_layout(child, pdf)


def _children(structure: pydyf.Dictionary, pdf: pydyf.PDF) -> list[pydyf.Dictionary]:
    """The structure elements among the kids (references "N 0 R" to objects built earlier)."""
    children = []
    for kid in structure["K"]:
        if isinstance(kid, bytes):
            child = pdf.objects[int(kid.split()[0])]
            if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                children.append(child)
    return children
