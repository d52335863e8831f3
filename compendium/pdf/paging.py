"""Page references written into one layout: the contents' and keyword table's page numbers without re-layout passes."""

from __future__ import annotations

import logging
import re

from weasyprint import CSS, HTML
from weasyprint.formatting_structure.boxes import TextBox

LOGGER = logging.getLogger("weasyprint")  # the build collects what this logger says
DIGITS = 3  # the placeholder's, in styles/components.css; more only for a document of 1,000 pages or more
LEADING_DIGITS = re.compile(r"^\d+")


def render(html: str, base_url: str, url_fetcher, **options):
    """The laid-out WeasyPrint document of `html`, its page references (.page-ref, with the
    target's id in data-target) filled in.

    WeasyPrint's target-counter() lays the referring pages out again once the targets are placed
    (seven more page layouts and three more passes over the document here). Instead, each
    reference is laid out as a placeholder of fixed digits; the shipped fonts' digits all have one
    width, so writing the real page number into the laid-out text changes nothing else: a
    shorter number keeps its start, or its end when it follows a leader (data-flush="end").
    Only a page number longer than the placeholder needs a second layout, with longer
    placeholders."""
    digits = DIGITS
    given = list(options.pop("stylesheets", None) or [])
    while True:
        stylesheets = list(given)
        if digits != DIGITS:
            stylesheets.append(CSS(string=f':root {{ --page-ref-placeholder: "{"0" * digits}"; }}'))
        document = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher).render(
            stylesheets=stylesheets, **options
        )
        pages: dict[str, int] = {}
        for number, page in enumerate(document.pages, 1):
            for anchor in page.anchors:
                pages.setdefault(anchor, number)  # where the target begins
        needed = max((len(str(n)) for n in pages.values()), default=1)
        if needed <= digits:
            break
        digits = needed  # a longer number would not fit where the placeholder was laid out
    leading = _leading_to_references(document)
    for page in document.pages:
        for box in _placeholders(page._page_box, leading):
            _write_in(box, pages)
    return document


def _is_reference(element) -> bool:
    return element is not None and "page-ref" in (element.get("class") or "").split()


def _leading_to_references(document) -> set:
    """The elements that hold a page reference, and those around them: where to look for the
    placeholders, rather than in every box of every page."""
    if not document.pages:
        return set()
    root = document.pages[0]._page_box.children[0].element  # the html element
    parents = {child: parent for parent in root.iter() for child in parent}
    leading: set = set()
    for element in root.iter():
        if _is_reference(element):
            while element is not None and element not in leading:
                leading.add(element)
                element = parents.get(element)
    return leading


def _placeholders(box, leading: set):
    """The placeholders' laid-out text (a reference's ::after) in the box, going only into boxes
    of elements that lead to a reference."""
    for child in getattr(box, "children", ()):
        if child.element not in leading:
            continue
        if isinstance(child, TextBox):
            if child.element_tag == "span::after" and _is_reference(child.element):
                yield child
        else:
            yield from _placeholders(child, leading)


def _write_in(box: TextBox, pages: dict[str, int]) -> None:
    """Replaces the placeholder's digits with the target's page number, in place."""
    target = box.element.get("data-target")
    if target not in pages:
        LOGGER.warning("No anchor #%s for a page reference", target)
        return
    placeholder = LEADING_DIGITS.match(box.text).group()
    number = str(pages[target])
    text = number + box.text[len(placeholder) :]
    # The digits have one width: each digit fewer makes the box one digit's width narrower, so
    # that it ends where its text ends (the overflow check reads the boxes' extents).
    narrower = box.width * (len(placeholder) - len(number)) / len(placeholder) if box.text == placeholder else 0
    if box.element.get("data-flush") == "end":
        # Keep the end where it was. Such a reference is digits alone (components.css).
        box.position_x += narrower
    box.width -= narrower
    set_text(box, text)


def set_text(box: TextBox, text: str) -> None:
    """Replaces a laid-out text box's text in place (its position and line stay as laid out)."""
    box.text = text
    layout = box.pango_layout
    if hasattr(layout, "layout"):  # still active: reshape now
        layout.set_text(text)
    else:  # reshaped from its text when drawn
        layout.text = text
