"""Page references written into one layout: the contents' and keyword table's page numbers without re-layout passes."""

from __future__ import annotations

import logging
import re

from . import copyfit, engine
from .engine import Box

LOGGER = logging.getLogger("weasyprint")  # the build collects what this logger says
DIGITS = 3  # the placeholder's, in styles/components.css; more only for a document of 1,000 pages or more
LEADING_DIGITS = re.compile(r"^\d+")


class PlaceholderError(ValueError):
    """A page reference whose laid-out placeholder does not start with digits: a project's style
    that the page number cannot be written into (the build reports it as an error)."""


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
    document = lay_out(html, base_url, url_fetcher, **options)
    write_references(document, engine.anchors(document))
    return document


MENDS = 3  # layouts after the first, at most: most editions need one, a moved line now and then a second
# or a third (the Russian booklet: a foot hyphen mended, then another made and mended, with none left)


def lay_out(html: str, base_url: str, url_fetcher, **options):
    """The laid-out document with its page references still placeholders (render() writes them;
    a part of an edition laid out alone has them written once every part's pages are known),
    copyfitted: what the first layout shows (a part's tail alone on a sliver of a page, a ladder of
    hyphens, a hyphen on a page's last line) is mended all at once in one more layout, and only
    when there is something to mend (copyfit.py). The mends move lines, and a line moved can make
    a fault further on (a hyphen now at a page's foot): a further layout mends those too, with
    the earlier mends kept, at most MENDS layouts after the first. A mend can also make more
    faults than it mends (a paragraph set unhyphenated runs longer, down a decision's pages): the
    layout kept is the one with the fewest faults left, then the fewest pages, then the earliest."""
    given = list(options.pop("stylesheets", None) or [])
    source = engine.Source(html, base_url, url_fetcher)  # parsed once for every layout below
    document = _placed(source, base_url, url_fetcher, given, **options)
    fit = copyfit.Fit()
    best: tuple[int, int, int] | None = None
    kept = document
    for attempt in range(MENDS + 1):
        found = copyfit.plan(document)
        score = (found.count(), len(engine.pages(document)), attempt)
        if best is None or score < best:
            best, kept = score, document
        more = fit.joined(found)
        if attempt == MENDS or more == fit:  # nothing new to mend: what was not mended stays so
            break
        fit = more
        document = _placed(source, base_url, url_fetcher, given, amend=fit.apply, **options)
    return kept


def _placed(html: engine.Source, base_url: str, url_fetcher, given: list, amend=None, **options):
    """The laid-out document, with placeholders wide enough for every page number."""
    digits = DIGITS
    while True:
        stylesheets = list(given)
        if digits != DIGITS:
            stylesheets.append(engine.stylesheet(f':root {{ --page-ref-placeholder: "{"0" * digits}"; }}'))
        document = engine.render(html, base_url, url_fetcher, stylesheets, amend, **options)
        pages = engine.anchors(document)  # where each target begins
        needed = max((len(str(n)) for n in pages.values()), default=1)
        if needed <= digits:
            return document
        digits = needed  # a longer number would not fit where the placeholder was laid out


def write_references(document, pages: dict[str, int]) -> None:
    """Writes each page reference's target page (from `pages`, anchor → page number) into its placeholder."""
    leading = _leading_to_references(document)
    for page in engine.pages(document):
        for box in _placeholders(page, leading):
            _write_in(box, pages)


def _is_reference(element) -> bool:
    return element is not None and "page-ref" in (element.get("class") or "").split()


def _leading_to_references(document) -> set:
    """The elements that hold a page reference, and those around them: where to look for the
    placeholders, rather than in every box of every page."""
    root = engine.root_element(document)
    if root is None:
        return set()
    parents = {child: parent for parent in root.iter() for child in parent}
    leading: set = set()
    for element in root.iter():
        if _is_reference(element):
            while element is not None and element not in leading:
                leading.add(element)
                element = parents.get(element)
    return leading


def _placeholders(box: Box, leading: set):
    """The placeholders' laid-out text (a reference's ::after) in the box, going only into boxes
    of elements that lead to a reference."""
    for child in engine.children(box):
        element = engine.element(child)
        if element not in leading:
            continue
        if engine.is_text(child):
            if engine.pseudo(child) == "after" and _is_reference(element):
                yield child
        else:
            yield from _placeholders(child, leading)


def _write_in(box: Box, pages: dict[str, int]) -> None:
    """Replaces the placeholder's digits with the target's page number, in place."""
    element = engine.element(box)
    target = element.get("data-target")
    if target not in pages:
        LOGGER.warning("No anchor #%s for a page reference", target)
        return
    laid_out = engine.text(box)
    placeholder = LEADING_DIGITS.match(laid_out)
    if placeholder is None:  # a project's placeholder that is not digits: nothing to write into
        raise PlaceholderError(
            f"styles: the page reference to #{target} is laid out as {laid_out!r}; expected its placeholder "
            "(.page-ref::after, --page-ref-placeholder; styles/components.css) to start with digits"
        )
    digits = placeholder.group()
    number = str(pages[target])
    # The digits have one width: each digit fewer makes the box one digit's width narrower, so
    # that it ends where its text ends (the overflow check reads the boxes' extents). A reference
    # flush at the end (after a leader) keeps its end where it was; it is digits alone.
    if laid_out.rstrip() == digits:
        engine.narrow(
            box, engine.width(box) * (len(digits) - len(number)) / len(digits), element.get("data-flush") == "end"
        )
    engine.set_text(box, number + laid_out[len(digits) :])
