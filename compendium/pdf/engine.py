"""The one door to WeasyPrint's and pydyf's internals: laid-out boxes, their text, fonts used, the tag tree hook.

The builder reads and changes what WeasyPrint lays out (page numbers and continued headings
written into laid-out lines, boxes that overflow their column) and adds to the structure tree it
writes (accessibility.py). None of that is WeasyPrint's public API, so all of it goes through
this module: the rest of the package sees laid-out boxes as opaque values and structure elements
as `Structure`, and calls the functions here. An upgrade of WeasyPrint touches this file and its
contract tests (tests/test_engine.py), nothing else.

At import the module checks the WeasyPrint version and that every private name it uses exists.
"""

from __future__ import annotations

import copy
import math
from collections.abc import Callable, Collection, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from typing import Any

import pydyf
import weasyprint
from weasyprint import CSS, HTML
from weasyprint import images as _images
from weasyprint import matrix as _matrix
from weasyprint.document import Document
from weasyprint.formatting_structure import boxes as _boxes
from weasyprint.pdf import tags as _tags
from weasyprint.text import fonts as _fonts
from weasyprint.urls import FatalURLFetchingError

from .output import note_temporary_folder

# Raised by a URL fetcher to stop the build (WeasyPrint does not export it at its top level).
__all__ = ["FatalURLFetchingError"]

# The WeasyPrint releases whose internals this module was written and tested against.
SUPPORTED = ("70.",)

# Laid-out boxes and HTML elements pass through the builder unopened.
Box = Any
Element = Any


class EngineMismatch(ImportError):
    """The installed WeasyPrint is not one this module knows the internals of."""


def _check() -> None:
    version = weasyprint.__version__
    if not version.startswith(SUPPORTED):
        raise EngineMismatch(
            f"WeasyPrint {version} is installed; the compendium builder supports "
            f"{', '.join(v + 'x' for v in SUPPORTED)} (install with: python3 -m pip install -c constraints.txt -e .)"
        )
    needed = {
        "weasyprint.pdf.tags._build_box_tree": getattr(_tags, "_build_box_tree", None),
        "boxes.TextBox": getattr(_boxes, "TextBox", None),
        "boxes.LineBox": getattr(_boxes, "LineBox", None),
        "boxes.MarginBox": getattr(_boxes, "MarginBox", None),
        "boxes.FootnoteAreaBox": getattr(_boxes, "FootnoteAreaBox", None),
        "boxes.BlockContainerBox": getattr(_boxes, "BlockContainerBox", None),
        "pydyf.PDF.page_references": getattr(pydyf.PDF, "page_references", None),
        "boxes.Box.is_leader": getattr(_boxes.Box, "is_leader", None),
        "boxes.Box.transformation_matrix": hasattr(_boxes.Box, "transformation_matrix") or None,
        "boxes.Box.border_box_x": getattr(_boxes.Box, "border_box_x", None),
        "matrix.Matrix.values": getattr(_matrix.Matrix, "values", None),
        "weasyprint.text.fonts.mkdtemp": getattr(_fonts, "mkdtemp", None),
        "weasyprint.images.SVGImage.draw": getattr(getattr(_images, "SVGImage", None), "draw", None),
        "HTML.wrapper_element.from_html_root": hasattr(HTML(string="<p>"), "wrapper_element") or None,
    }
    missing = [name for name, value in needed.items() if value is None]
    if missing:
        raise EngineMismatch(f"WeasyPrint {version} lacks {', '.join(missing)}, which the compendium builder uses")


_check()


def _noted_mkdtemp(*args, **kwargs) -> str:
    """WeasyPrint's font folder (/tmp/weasyprint-*: a copy of every @font-face font), noted so that
    the build removes it however it ends (FontConfiguration.__del__ does not run on a signal)."""
    folder = _make_folder(*args, **kwargs)
    note_temporary_folder(folder)
    return folder


_make_folder = _fonts.mkdtemp
_fonts.mkdtemp = _noted_mkdtemp


def _svg_image_drawn(self, stream, concrete_width, concrete_height, _style) -> None:
    """WeasyPrint's SVGImage.draw, but a stop goes through. WeasyPrint's catches BaseException: a
    SIGTERM's Stopped or a Ctrl-C raised while an SVG was drawn was logged as "Failed to render SVG
    image" and the drawing went on, so a page drawing an SVG thousands of times ignored every
    SIGTERM (round 13, M1). An error of the image is logged as before, and the build reports it."""
    try:
        self._svg.draw(stream, concrete_width, concrete_height, self._base_url, self._context)
    except Exception as exception:
        _images.LOGGER.error("Failed to render SVG image %s", self._base_url)
        _images.LOGGER.debug("Error while rendering SVG image:", exc_info=exception)


_images.SVGImage.draw = _svg_image_drawn


# Laying out ---------------------------------------------------------------------------------


# A line that ends in one of these was broken inside a word or after a break opportunity that is
# not a space (a hyphenation, "anti-|trafficking", "and/|or", a word joiner).
NO_SPACE_AFTER = ("-", "\u2010", "\u2011", "/", "\u2060", "\u00ad", "\u200b", " ")


class Source:
    """HTML parsed once for every layout of it: copyfitting lays the same HTML out again, and the
    parse of a whole edition costs half a second. Each layout after the first gets a copy of the
    tree as parsed, taken before any layout or mend touched it: the elements a parse of the same
    HTML makes, marked by that layout's mends alone."""

    def __init__(self, html: str, base_url: str, url_fetcher) -> None:
        self._parsed: HTML | None = HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
        self._first = self._parsed
        self._as_parsed = copy.deepcopy(self._parsed.etree_element)

    def fresh(self) -> HTML:
        """The parsed HTML for one layout, its tree its own."""
        if self._parsed is not None:
            parsed, self._parsed = self._parsed, None
            return parsed
        parsed = copy.copy(self._first)  # its base URL, fetcher and media type
        parsed.wrapper_element = type(self._first.wrapper_element).from_html_root(
            copy.deepcopy(self._as_parsed), content_language=None
        )
        parsed.etree_element = parsed.wrapper_element.etree_element
        return parsed


def render(
    html: str | Source,
    base_url: str,
    url_fetcher,
    stylesheets: list | None = None,
    amend: Callable[[Element], None] | None = None,
    **options,
) -> Document:
    """The laid-out document (WeasyPrint's public API), its words kept apart in the drawn text.

    WeasyPrint draws no space where it breaks a line, nor a text box that is only a space
    (between two inline elements), so the text a reader extracts runs the words on either side
    together ("legal|measures", "Provision01"). Such a space is written back, after the layout,
    at the end of the text box before it: drawn past the end of that box's text, where it shows
    nothing and moves nothing (the boxes keep their positions and widths). An address (a link
    whose text is its href, broken at <wbr>) gets none.

    `amend`, given the parsed html element, changes attributes of the tree before the layout (the
    copyfitting's second layout: no stylesheet of selectors to match against every element). `html`
    laid out more than once is given as a Source, parsed once."""
    parsed = html.fresh() if isinstance(html, Source) else HTML(string=html, base_url=base_url, url_fetcher=url_fetcher)
    if amend is not None:
        amend(parsed.etree_element)
    document = parsed.render(stylesheets=stylesheets or [], **options)
    # A block broken by a page goes on in a box of the next page: its last line on the page before
    # lost its space the same way ("minors to human|trafficking" read "humantrafficking").
    earlier: dict[int, Box] = {}
    for page in pages(document):
        this_page: dict[int, Box] = {}
        _keep_spaces(page, earlier, this_page)
        earlier.update(this_page)
    return document


def _keep_spaces(box: Box, earlier: dict[int, Box], this_page: dict[int, Box]) -> None:
    """`earlier`: per block element, the last text it drew on the pages before (its continuation
    starts with the space it lost); `this_page` collects them on this page."""
    previous: Box = None  # the last text drawn on the block's line before
    key = id(box.element) if box.element is not None and box.element_tag is not None else None
    if key is not None and not isinstance(box, _boxes.PageBox):
        previous = earlier.get(key)
    for child in getattr(box, "children", ()):
        if not isinstance(child, _boxes.LineBox):
            _keep_spaces(child, earlier, this_page)
            previous = None
            continue
        drawn: Box = None
        for text_box in _line_text(child):
            if text_box is None:  # a leader stands between two words as a space does
                if drawn is not None and not drawn.text.endswith(" "):
                    set_text(drawn, drawn.text + " ")
                continue
            if not text_box.text.strip():  # not drawn: its space goes to the text before
                if drawn is not None and text_box.text and not drawn.text.endswith(" "):
                    set_text(drawn, drawn.text + " ")
                continue
            if drawn is None and previous is not None and _breaks_at_space(previous):
                set_text(previous, previous.text + " ")
            drawn = text_box
        previous = drawn
        if key is not None and drawn is not None:
            this_page[key] = drawn


def _breaks_at_space(box: Box) -> bool:
    if box.text.endswith(NO_SPACE_AFTER):
        return False
    element = box.element
    if element is not None and element.tag == "a" and element.get("href"):
        shown = "".join(element.itertext()).replace("\u2060", "")
        if "".join(shown.split()) == element.get("href"):
            return False
    return True


def _line_text(box: Box) -> Iterator[Box | None]:
    """The text boxes of a line in order, None for a leader (CSS leader())."""
    for child in getattr(box, "children", ()):
        if isinstance(child, _boxes.TextBox):
            yield child
        elif getattr(child, "is_leader", False):
            yield None
        elif isinstance(child, _boxes.InlineBox):
            yield from _line_text(child)
        elif isinstance(child, _boxes.InlineBlockBox):  # its text, as one piece of the line
            yield from _all_text(child)


def _all_text(box: Box) -> Iterator[Box]:
    for child in getattr(box, "children", ()):
        if isinstance(child, _boxes.TextBox):
            yield child
        else:
            yield from _all_text(child)


def stylesheet(text: str) -> CSS:
    return CSS(string=text)


def pages(document: Document) -> list[Box]:
    """The page boxes of the laid-out document, in order."""
    return [page._page_box for page in document.pages]


def anchors(document: Document) -> dict[str, int]:
    """Each anchor (an element's id) and the 1-based number of the page where it begins."""
    found: dict[str, int] = {}
    for number, page in enumerate(document.pages, 1):
        for anchor in page.anchors:
            found.setdefault(anchor, number)
    return found


def root_element(document: Document) -> Element:
    """The html element the document was laid out from."""
    if not document.pages:
        return None
    return document.pages[0]._page_box.children[0].element


@dataclass(frozen=True)
class FontUse:
    """A font the document's text is set in: its family, the characters shown, those it lacks."""

    family: str
    shown: str
    missing: str


def fonts(document: Document) -> list[FontUse]:
    return [
        FontUse(
            font.family,
            "".join(sorted(set(font.to_unicode.values()))),
            "".join(chr(code) for code in sorted(font.missing)),
        )
        for font in document.fonts.values()
    ]


def links(document: Document) -> list[tuple[str, str]]:
    """(kind, target) of every link on the laid-out pages: 'internal' (an anchor), 'external' (a
    URL, resolved against the base URL) or 'attachment'; and ('attachment', href) of each file a
    <link rel="attachment"> embeds in the PDF as a whole."""
    found = [(kind, target) for page in document.pages for kind, target, *_ in page.links]
    root = root_element(document)
    for link in root.iter("link") if root is not None else ():
        if "attachment" in (link.get("rel") or "").lower().split() and link.get("href"):
            found.append(("attachment", link.get("href")))
    return found


def add_anchors(document: Document, names: list[str]) -> None:
    """Anchors of other parts of an edition (laid out in other processes) placed on the first page,
    so that WeasyPrint keeps the links to them (it drops a link to an anchor it does not have);
    the join points each name at the part that has it."""
    if not document.pages:
        return
    own = document.pages[0].anchors
    for name in names:
        own.setdefault(name, (0, 0, 0, 0))


def bookmarks(document: Document) -> list[tuple[float, list[tuple]]]:
    """Each page's height and bookmarks (level, label, (x, y), state): plain values a process sends."""
    return [(page.height, [tuple(b) for b in page.bookmarks]) for page in document.pages]


def bookmark_tree(pages: list[tuple[float, list[tuple]]]) -> list:
    """The outline WeasyPrint would write for a document of these pages (as `bookmarks` gives
    them, the parts' pages one after the other): (label, (page index, x, y), children, state),
    in PDF points from the bottom-left corner."""
    from types import SimpleNamespace

    document = SimpleNamespace(pages=[SimpleNamespace(height=height, bookmarks=marks) for height, marks in pages])
    return Document.make_bookmark_tree(document, scale=0.75, transform_pages=True)


def margin_texts(page: Box) -> Iterator[tuple[str, Box]]:
    """The laid-out text of the page's margin boxes, with the margin box's at-keyword ("@bottom-right")."""
    for child in getattr(page, "children", ()):
        if isinstance(child, _boxes.MarginBox):
            for text_box in _all_text(child):
                yield child.at_keyword, text_box


# Reading laid-out boxes ---------------------------------------------------------------------


def children(box: Box) -> list[Box]:
    return list(getattr(box, "children", ()))


def element(box: Box) -> Element:
    """The HTML element a box was made for (None for anonymous boxes and pages)."""
    return box.element


def pseudo(box: Box) -> str | None:
    """ "before" or "after" for the box of a ::before or ::after, None for an element's own box."""
    tag = getattr(box, "element_tag", None) or ""
    return tag.partition("::")[2] or None


def is_own(box: Box) -> bool:
    """The box is its element's own (not a pseudo-element's, nor an anonymous box)."""
    return box.element is not None and getattr(box, "element_tag", None) == box.element.tag


def names_element(box: Box) -> bool:
    """The box was made for an element or one of its pseudo-elements (it carries the element's tag)."""
    return box.element is not None and bool(getattr(box, "element_tag", None))


def is_text(box: Box) -> bool:
    return isinstance(box, _boxes.TextBox)


def text(box: Box) -> str:
    return box.text


def is_line(box: Box) -> bool:
    return isinstance(box, _boxes.LineBox)


def top_bottom(box: Box) -> tuple[float, float]:
    """The top and bottom of a laid-out box on its page (CSS px), margins left out."""
    return box.position_y, box.position_y + box.height


def content_height(page: Box) -> float:
    """The height of a page's content area: the type area."""
    return page.height


def holds_footnotes(page: Box) -> bool:
    """The page sets footnotes at its foot."""
    return any(isinstance(child, _boxes.FootnoteAreaBox) and child.children for child in page.children)


def is_furniture(box: Box) -> bool:
    """Outside the flow of the page's content area: a margin box, a positioned box, a running element."""
    return isinstance(box, _boxes.MarginBox) or box.is_absolutely_positioned() or box.is_running()


def is_positioned(box: Box) -> bool:
    """An absolutely or fixed positioned box of the page's content (a cover's title, an imprint),
    not a margin box or running element."""
    return not isinstance(box, _boxes.MarginBox) and box.is_absolutely_positioned() and not box.is_running()


def text_rectangle(box: Box) -> tuple[float, float, float, float] | None:
    """The rectangle (left, top, right, bottom) the text inside a laid-out box covers; None when
    it holds no text."""
    edges: list[tuple[float, float, float, float]] = []
    stack = [box]
    while stack:
        current = stack.pop()
        if isinstance(current, _boxes.TextBox) and current.text.strip():
            x, y = current.position_x, current.position_y
            edges.append((x, y, x + current.width, y + current.height))
        else:
            stack.extend(children(current))  # an AbsolutePlaceholder passes its box's children on
    if not edges:
        return None
    return (min(e[0] for e in edges), min(e[1] for e in edges), max(e[2] for e in edges), max(e[3] for e in edges))


def is_left(page: Box) -> bool:
    """A left-hand page (a verso: an even page of a book opened on a right-hand page)."""
    return page.page_type.side == "left"


def spreads(document: Document) -> bool:
    """The document is read as spreads: its body says so (layouts/base.html, data-spreads)."""
    root = root_element(document)
    body = root.find("body") if root is not None else None
    return body is not None and body.get("data-spreads") == "true"


def page_size(page: Box) -> tuple[float, float]:
    """The page's width and height (CSS px), its margins included."""
    return page.margin_width(), page.margin_height()


def is_footnote_area(box: Box) -> bool:
    return isinstance(box, _boxes.FootnoteAreaBox)


def body_rows(table: Box) -> list[Box] | None:
    """The rows of a table's body laid out on this page, in order (None for a box that is not a
    table); [] when the table began on a page before (rows of it were skipped here): a forced
    break before the table cannot move those rows any more."""
    if not isinstance(table, _boxes.TableBox):
        return None
    if getattr(table, "skipped_rows", 0):
        return []
    return [
        row
        for group in table.children
        if not (getattr(group, "is_header", False) or getattr(group, "is_footer", False))
        for row in group.children
    ]


def edge_text(box: Box, last: bool = False) -> str:
    """The text of the first (or last) text box under `box` that is not blank, as drawn ("" when none)."""
    for child in reversed(children(box)) if last else children(box):
        if is_text(child) and text(child).strip():
            return text(child)
        found = edge_text(child, last)
        if found:
            return found
    return ""


def is_root(box: Box) -> bool:
    return bool(getattr(box, "is_for_root_element", False))


def column_right(box: Box) -> float | None:
    """The right edge of the column a block lays its lines in (None for a box that is not one): its
    padding box's, since a line may reach into the padding on purpose (a contents entry's page
    number stands in the column its turnovers leave free) and still stays inside the block."""
    if isinstance(box, _boxes.BlockContainerBox) and not isinstance(box, _boxes.LineBox):
        return box.content_box_x() + box.width + box.padding_right
    return None


def content_left_right(page: Box) -> tuple[float, float]:
    """The left and right edges of a page's content area."""
    left = page.content_box_x()
    return left, left + page.width


def extent(box: Box) -> tuple[float, float]:
    """The left and right edges of a laid-out box, margins included."""
    return box.position_x, box.position_x + box.margin_width()


def width(box: Box) -> float:
    return box.width


def displayed_as(box: Box, value: str) -> bool:
    """The box's computed display includes this keyword (such as table-header-group)."""
    return value in box.style["display"]


# A text whose colour, blended over what is behind it, stands out by less than this contrast ratio
# (WCAG's: 1 for the same colour, 21 for black on white; it asks 4.5 of body text) is not seen:
# white on white or on a section's pale tint (1.2), a colour at opacity 0 or 0.1, #fefefe on white.
# The faintest text of the builder's stylesheets (the muted grey, a section's colour on its tint)
# stands well above it.
MIN_CONTRAST = 1.5
# A text whose glyphs are drawn smaller than this (CSS px: 4 pt) is not seen: its font size times
# the least the transforms around it scale a length by (the smaller singular value of their
# matrix, so that scale(0.01), scaleY(0.02), a skew near 90 degrees and font-size: 0.4pt all
# count, while a rotate() or a scale(0.9) does not). The smallest text of the builder's own
# content stands well above it: a footnote's mark at 75 % of a provision's 10.5 pt (7 pt in the
# A5 booklet), a fallback's marker at 55 % (7 pt in the booklet), the side tabs' 6.5 pt.
MIN_LEGIBLE = 4 * 96 / 72
WHITE = (1.0, 1.0, 1.0)


@dataclass(frozen=True)
class _Sight:
    """What a box's ancestors do to the text drawn inside it: the rectangle they clip it to (the
    page's, and the padding box of each one whose overflow is not visible), the colour behind it
    (None when an image is: unknown), the opacity they multiply it by (0 once one is scaled
    to nothing), their transforms composed (None for none: a translate() that moves text off
    the page is drawn there, though the box is laid out on it), the painting level of the nearest
    positioned one (None for none: see _Cover) and the positioned ones it is inside."""

    clip: tuple[float, float, float, float]
    background: tuple[float, float, float] | None
    opacity: float
    matrix: object = None
    level: tuple[float, int] | None = None
    within: tuple[int, ...] = ()


@dataclass(frozen=True)
class _Cover:
    """A box painted over the text under it (attacker round 9, P4). WeasyPrint paints a page's
    in-flow content first, then its positioned boxes (z-index negative before it, auto and 0 in
    the order of the document, then the higher ones), and every outline last. So the opaque
    background of a positioned box (a ::before or ::after included) hides the text whose middle
    it covers, unless that text is inside it or in a positioned box painted after it (a higher
    `level`: (z-index, the box's place among the page's positioned boxes)); an outline, drawn
    outside the border box with its width, hides what lies in its ring (`hole`: the border box
    and the outline's offset), whatever its level. Floats and z-index below 0 are painted under
    the in-flow text and are not covers; a background image is not looked at (its colour is not
    known), nor an outline thinner than MIN_LEGIBLE (a rule through a line does not hide it)."""

    owner: int
    level: tuple[float, int]
    area: tuple[float, float, float, float]
    hole: tuple[float, float, float, float] | None
    colour: tuple[float, float, float] | None
    alpha: float

    def over(self, x: float, y: float, sight: _Sight) -> bool:
        """Whether it is painted over a point of text seen through `sight`."""
        if not (self.area[0] <= x <= self.area[2] and self.area[1] <= y <= self.area[3]):
            return False
        if self.hole is not None:
            return not (self.hole[0] < x < self.hole[2] and self.hole[1] < y < self.hole[3])
        return self.owner not in sight.within and (sight.level is None or self.level > sight.level)


def _page_sight(page: Box) -> _Sight:
    colour = page.style["background_color"]
    behind = _rgb(colour) if colour.alpha > 0 else WHITE  # unpainted paper is white
    return _Sight((0.0, 0.0, page.margin_width(), page.margin_height()), behind, 1.0)


def _inner_sight(box: Box, outer: _Sight) -> _Sight:
    """The sight of the text inside `box`, whose parent's text is seen through `outer`."""
    if isinstance(box, _boxes.PageBox):
        return _page_sight(box)
    style = box.style
    opacity = outer.opacity * style["opacity"] * (0.0 if _flattened(box) else 1.0)
    behind = outer.background
    if any(image is not None and image[0] != "none" for image in style["background_image"]):
        behind = None  # text over an image: its colour cannot be compared
    else:
        colour = style["background_color"]
        if colour.alpha >= 1:
            behind = _rgb(colour)
        elif colour.alpha > 0 and behind is not None:
            painted = _rgb(colour)
            behind = None if painted is None else _blend(painted, behind, colour.alpha)
    clip = outer.clip
    if style["overflow"] != "visible":
        left, top = box.padding_box_x(), box.padding_box_y()
        own = (left, top, left + box.padding_width(), top + box.padding_height())
        clip = (max(clip[0], own[0]), max(clip[1], own[1]), min(clip[2], own[2]), min(clip[3], own[3]))
    matrix = box.transformation_matrix  # WeasyPrint's, set as the page was made (anchors.gather_anchors)
    if matrix is not None and outer.matrix is not None:
        matrix = matrix @ outer.matrix  # row vectors: the box's own transform first, then its ancestors'
    matrix = matrix if matrix is not None else outer.matrix
    return _Sight(clip, behind, opacity, matrix, outer.level, outer.within)


def _flattened(box: Box) -> bool:
    """The box's transform scales it to nothing (scale(0), a matrix of determinant 0): WeasyPrint
    draws nothing of it."""
    matrix = box.transformation_matrix
    return matrix is not None and not matrix.determinant


def _least_scale(matrix) -> float:
    """The least a transform scales a length by, in any direction: the smaller singular value
    of its linear part (1 for none, a rotation or a translation)."""
    if matrix is None:
        return 1.0
    a, b, c, d, _, _ = matrix.values
    squares = a * a + b * b + c * c + d * d
    determinant = a * d - b * c
    return math.sqrt(max(0.0, (squares - math.sqrt(max(0.0, squares * squares - 4 * determinant**2))) / 2))


def _rectangle(box: Box, matrix, grow: float = 0.0) -> tuple[float, float, float, float]:
    """A box's border box, `grow` larger on each side, as drawn on the page: the rectangle
    around its corners once transformed."""
    left, top = box.border_box_x() - grow, box.border_box_y() - grow
    right, bottom = left + box.border_width() + 2 * grow, top + box.border_height() + 2 * grow
    return transformed((left, top, right, bottom), matrix)


def _covers(page: Box) -> tuple[list[_Cover], dict[int, tuple[float, int]]]:
    """The boxes painted over a page's text (see _Cover), and the painting level of each of its
    positioned boxes, by id(): one walk of the page's boxes."""
    covers: list[_Cover] = []
    levels: dict[int, tuple[float, int]] = {}
    stack: list[tuple[Box, object, float]] = [(child, None, 1.0) for child in reversed(page.children)]
    while stack:
        box, matrix, opacity = stack.pop()
        if isinstance(box, _boxes.TextBox):
            continue
        style = box.style
        opacity *= style["opacity"]
        own = box.transformation_matrix
        matrix = own if matrix is None else matrix if own is None else own @ matrix
        if style["position"] in ("relative", "absolute", "fixed", "sticky"):
            z = style["z_index"]
            levels[id(box)] = level = (0.0 if z == "auto" else float(z), len(levels))
            colour = style["background_color"]
            if colour.alpha * opacity > 0 and style["visibility"] == "visible" and level[0] >= 0:
                area = _rectangle(box, matrix)
                covers.append(_Cover(id(box), level, area, None, _rgb(colour), colour.alpha * opacity))
        covers.extend(_outline(box, matrix, opacity))
        stack.extend((child, matrix, opacity) for child in reversed(getattr(box, "children", ())))
    return covers, levels


def _outline(box: Box, matrix, opacity: float) -> list[_Cover]:
    """The cover an outline makes (as WeasyPrint's draw_outline paints it), if any."""
    style = box.style
    width, offset = style["outline_width"], style["outline_offset"]
    if style["outline_style"] in ("none", "hidden") or width < MIN_LEGIBLE or style["visibility"] != "visible":
        return []
    colour = style["outline_color"] if style["outline_color"] != "currentcolor" else style["color"]
    if colour.alpha * opacity <= 0:
        return []
    hole = _rectangle(box, matrix, offset)
    area = _rectangle(box, matrix, offset + width)
    return [_Cover(id(box), (math.inf, 0), area, hole, _rgb(colour), colour.alpha * opacity)]


def _rgb(colour) -> tuple[float, float, float] | None:
    """A computed colour's red, green and blue (0 to 1); None for one of a space it cannot be
    converted from (then compared with nothing). The print editions set text in device-cmyk inks,
    which tinycss2 does not convert."""
    if colour.space == "device-cmyk":
        cyan, magenta, yellow, black = colour.coordinates
        return ((1 - cyan) * (1 - black), (1 - magenta) * (1 - black), (1 - yellow) * (1 - black))
    try:
        red, green, blue = colour.to("srgb").coordinates
    except (NotImplementedError, ValueError):
        return None
    return (red, green, blue)


def _blend(colour: tuple, behind: tuple, alpha: float) -> tuple[float, float, float]:
    return tuple(c * alpha + b * (1 - alpha) for c, b in zip(colour, behind, strict=True))


def _luminance(rgb: tuple) -> float:
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in rgb]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def _seen(box: Box, sight: _Sight, covers: Collection[_Cover] = ()) -> bool:
    """A text box a reader can see: visible, its glyphs drawn at a legible size, its middle inside
    the page and every box that clips it, its colour standing out from what is behind it and
    from what is painted over it."""
    style = box.style
    if style["visibility"] != "visible" or sight.opacity <= 0:
        return False
    if style["font_size"] * _least_scale(sight.matrix) < MIN_LEGIBLE:
        return False
    middle_x, middle_y = box.position_x + box.width / 2, box.position_y + box.height / 2
    if sight.matrix is not None:
        middle_x, middle_y = sight.matrix.transform_point(middle_x, middle_y)  # type: ignore[attr-defined]
    left, top, right, bottom = sight.clip
    if not (left <= middle_x <= right and top <= middle_y <= bottom):
        return False
    over = [cover for cover in covers if cover.over(middle_x, middle_y, sight)]
    colour = style["color"]
    rgb = _rgb(colour)
    if sight.background is None or rgb is None:
        # a colour not compared, or over an image: only a transparent one, or one painted over, is unseen
        return colour.alpha > 0 and not any(cover.alpha >= 1 for cover in over)
    shown, behind = _blend(rgb, sight.background, colour.alpha * sight.opacity), sight.background
    for cover in over:
        if cover.colour is None:
            if cover.alpha >= 1:
                return False
            continue
        shown, behind = _blend(cover.colour, shown, cover.alpha), _blend(cover.colour, behind, cover.alpha)
    lighter, darker = sorted((_luminance(shown), _luminance(behind)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05) >= MIN_CONTRAST


def _overlapping(line: Box, previous: Box) -> bool:
    """A line drawn over the block's line before it (line-height: 0, attacker round 9, P5): it
    starts less than half its font size below that one, across the same stretch (a column's
    first line, beside the last line of the column before, is not over it)."""
    across = min(line.position_x + line.width, previous.position_x + previous.width) - max(
        line.position_x, previous.position_x
    )
    return across > 0 and abs(line.position_y - previous.position_y) < line.style["font_size"] / 2


def _children_seen(box: Box, inner: _Sight) -> list[tuple[Box, None, _Sight]]:
    """The box's children, each with the sight of the text inside it: a line drawn over the line
    before it (the block's last line with text on it: a line holding only an absolutely positioned
    box's placeholder takes no room) is not seen."""
    found = []
    previous = None
    for child in getattr(box, "children", ()):
        sight = inner
        if isinstance(child, _boxes.LineBox) and _holds_text(child):
            if previous is not None and _overlapping(child, previous):
                sight = replace(inner, opacity=0.0)
            previous = child
        found.append((child, None, sight))
    return found


def _holds_text(line: Box) -> bool:
    """A line holds text of its own (not only a positioned or floated box's, laid out elsewhere)."""
    stack = list(line.children)
    while stack:
        box = stack.pop()
        if isinstance(box, _boxes.TextBox):
            if box.text.strip():
                return True
        elif not (box.is_absolutely_positioned() or box.is_floated()):
            stack.extend(getattr(box, "children", ()))
    return False


def seen_texts(page: Box) -> Iterator[tuple[Box, object]]:
    """The text boxes of a page that hold text a reader sees (as drawn_text() tells), each with
    the transform it is drawn with (None for none)."""
    covers, levels = _covers(page)
    stack: list[tuple[Box, _Sight]] = [(page, _page_sight(page))]
    while stack:
        box, sight = stack.pop()
        if isinstance(box, _boxes.TextBox):
            if box.text.strip() and _seen(box, sight, covers):
                yield box, sight.matrix
            continue
        inner = _inner_sight(box, sight)
        level = levels.get(id(box))
        if level is not None:
            inner = replace(inner, level=level, within=(*inner.within, id(box)))
        stack.extend((child, seen) for child, _, seen in reversed(_children_seen(box, inner)))


def transformed(rectangle: tuple[float, float, float, float], matrix) -> tuple[float, float, float, float]:
    """A rectangle (left, top, right, bottom) as drawn through a transform: the one around its corners."""
    if matrix is None:
        return rectangle
    left, top, right, bottom = rectangle
    corners = [(left, top), (right, top), (left, bottom), (right, bottom)]
    points = [tuple(matrix.transform_point(x, y)) for x, y in corners]
    xs, ys = [x for x, _ in points], [y for _, y in points]
    return (min(xs), min(ys), max(xs), max(ys))


def drawn_text(
    pages: list[Box], anchors: Collection[str], normal: Callable[[str], str], elements: Collection[int] = ()
) -> tuple[str, dict]:
    """The text drawn on `pages` that a reader can see, in order, each text box's as `normal`
    gives it, and for each element whose id is in `anchors` (or whose id() is in `elements`),
    [start, end] of its boxes in that text (its first box's start, its last box's end), keyed by
    that id. Text laid out but not seen is left out: visibility: hidden, opacity 0 (its own or an
    ancestor's), a colour that does not stand out from the background behind it, a middle
    outside the page or outside an ancestor that clips it (overflow: hidden), glyphs scaled or
    set below a legible size, a line drawn over the one before it, an opaque box or outline
    painted over it."""
    pieces: list[str] = []
    length = 0
    spans: dict = {}
    covers: list[_Cover] = []
    levels: dict[int, tuple[float, int]] = {}
    stack: list[tuple[Box, list[int] | None, _Sight]] = [(page, None, _page_sight(page)) for page in reversed(pages)]
    while stack:
        box, leaving, sight = stack.pop()
        if leaving is not None:  # the element's box ends here
            leaving[1] = length
            continue
        if isinstance(box, _boxes.TextBox):
            if _seen(box, sight, covers):
                piece = normal(box.text)
                pieces.append(piece)
                length += len(piece)
            continue
        if isinstance(box, _boxes.PageBox):
            covers, levels = _covers(box)
        own = box.element
        if own is not None and getattr(box, "element_tag", None) == own.tag:
            key = own.get("id") if own.get("id") in anchors else id(own) if id(own) in elements else None
            if key is not None:
                stack.append((box, spans.setdefault(key, [length, length]), sight))
        inner = _inner_sight(box, sight)
        level = levels.get(id(box))
        if level is not None:
            inner = replace(inner, level=level, within=(*inner.within, id(box)))
        stack.extend(reversed(_children_seen(box, inner)))
    return "".join(pieces), spans


def classed_elements(
    document: Document, names: Collection[str], ids: Collection[str] = ()
) -> list[tuple[str, Element, Element]]:
    """The HTML elements (laid out or not) of one of these classes, in document order, each with
    the first of its classes among `names` and the nearest of its ancestors that is one of them
    or has one of these `ids` (None when none is)."""
    root = root_element(document)
    found: list[tuple[str, Element, Element]] = []
    stack = [(root, None)] if root is not None else []
    while stack:
        own, outer = stack.pop()
        name = _class_among(own, names)
        if name is not None:
            found.append((name, own, outer))
        if name is not None or own.get("id") in ids:
            outer = own
        stack.extend((child, outer) for child in reversed(own) if isinstance(child.tag, str))  # not comments
    return found


def _class_among(own: Element, names: Collection[str]) -> str | None:
    return next((n for n in (own.get("class") or "").split() if n in names), None)


def written_text(own: Element, apart: Collection[str] = ()) -> str:
    """An element's text as the HTML holds it, without that of the elements inside it of one of
    the classes `apart` (checked on their own), a space where an element begins or ends: two
    paragraphs written without a space between are two words ("(ENG and SPA)</p><p>OSCE")."""
    pieces = [own.text or ""]
    for child in own:
        if isinstance(child.tag, str) and _class_among(child, apart) is None:
            pieces.append(f" {written_text(child, apart)} ")
        pieces.append(child.tail or "")
    return "".join(pieces)


def classed(page: Box, names: Collection[str]) -> list[tuple[str, Box, tuple[float, ...] | None]]:
    """The outermost boxes on a page made for an element of one of these classes (its own box,
    not a pseudo-element's), in document order, with the class and the rectangle its ancestors clip
    it to (left, top, right, bottom; overflow other than visible: their padding box), if any."""
    found = []
    stack: list[tuple[Box, tuple[float, ...] | None]] = [(page, None)]
    while stack:
        box, clip = stack.pop()
        own = box.element
        if own is not None and getattr(box, "element_tag", None) == own.tag:
            name = next((n for n in (own.get("class") or "").split() if n in names), None)
            if name is not None:  # its lines and text carry its element too: not looked into
                found.append((name, box, clip))
                continue
        if box.style["overflow"] != "visible" and not isinstance(box, _boxes.PageBox):
            left, top = box.padding_box_x(), box.padding_box_y()
            own_clip = (left, top, left + box.padding_width(), top + box.padding_height())
            clip = own_clip if clip is None else (*map(max, clip[:2], own_clip[:2]), *map(min, clip[2:], own_clip[2:]))
        stack.extend((child, clip) for child in reversed(getattr(box, "children", ())))
    return found


def laid_text(box: Box) -> str:
    """The text laid out under a box, its text boxes' one after the other."""
    return "".join(text_box.text for text_box in _all_text(box))


def element_text(box: Box) -> str:
    """The text of the element a box was made for, as the HTML holds it (laid out or not)."""
    return "".join(box.element.itertext()) if box.element is not None else ""


# Changing laid-out text ---------------------------------------------------------------------


def set_text(box: Box, text: str) -> None:
    """Replaces a laid-out text box's text in place (its position and line stay as laid out)."""
    box.text = text
    layout = box.pango_layout
    if hasattr(layout, "layout"):  # still active: reshape now
        layout.set_text(text)
    else:  # reshaped from its text when drawn
        layout.text = text


def narrow(box: Box, by: float, keep_end: bool = False) -> None:
    """Makes a text box `by` narrower (a shorter text written in), keeping its start, or its end."""
    if keep_end:
        box.position_x += by
    box.width -= by


def scale_width(box: Box, factor: float) -> None:
    box.width *= factor


# The structure tree -------------------------------------------------------------------------


class Structure:
    """A structure element WeasyPrint is writing (a pydyf dictionary), as the builder changes it."""

    __slots__ = ("_dictionary", "_writing")

    def __init__(self, dictionary: pydyf.Dictionary, writing: _Writing) -> None:
        self._dictionary = dictionary
        self._writing = writing

    @property
    def type(self) -> str:
        """The structure type without its slash: "P", "H2", "Link"."""
        return str(self._dictionary["S"]).lstrip("/")

    @type.setter
    def type(self, value: str) -> None:
        self._dictionary["S"] = f"/{value}"

    @property
    def number(self) -> int:
        return self._dictionary.number

    @property
    def page(self) -> bytes:
        """The reference of the page the element was made on (an opaque value to compare)."""
        return self._dictionary["Pg"]

    def set_text(self, key: str, value: str) -> None:
        """A text entry: Lang, Alt, ActualText, ID, E."""
        self._dictionary[key] = pydyf.String(value)

    def remove(self, key: str) -> None:
        self._dictionary.pop(key, None)

    def set_attribute(self, owner: str, key: str, value: str) -> None:
        """An attribute of the element's /A dictionary for an owner (Table, Layout …), a name value."""
        attributes = self._dictionary.setdefault("A", pydyf.Dictionary({"O": f"/{owner}"}))
        attributes[key] = f"/{value}"

    def children(self) -> list[Structure]:
        """The structure elements among its kids (not its marked content or annotations)."""
        found = []
        for kid in self._dictionary["K"]:
            if isinstance(kid, bytes):
                child = self._writing.pdf.objects[int(kid.split()[0])]
                if isinstance(child, pydyf.Dictionary) and child.get("Type") == "/StructElem":
                    found.append(Structure(child, self._writing))
        return found

    def place_after(self, sibling: Structure) -> None:
        """This element, built elsewhere (a footnote in the page's footnote area), is read right
        after `sibling` (the footnote's mark): it joins the sibling's parent, after it. The caller
        then does not link it where it was built (`made` returns None)."""
        parent = self._writing.pdf.objects[int(sibling._dictionary["P"].split()[0])]
        kids = parent["K"]
        position = next(i for i, kid in enumerate(kids) if kid == sibling._dictionary.reference)
        kids.insert(position + 1, self._dictionary.reference)
        self._dictionary["P"] = parent.reference

    def absorb(self, other: Structure) -> None:
        """`other`, a later box of the same element (a paragraph continued on the next page, a
        link's second line), becomes part of this element: its kids join this one's, and what
        pointed at it (the page's marked content, link annotations) points here."""
        writing = self._writing
        into = self._dictionary
        for kid in other._dictionary["K"]:
            if isinstance(kid, int):
                writing.nums[kid] = into.reference
                if other.page != self.page:  # an MCID counts on the element's page: name the other page
                    kid = pydyf.Dictionary({"Type": "/MCR", "Pg": other.page, "MCID": kid})
            else:
                child = writing.pdf.objects[int(kid.split()[0])]
                if child.get("Type") == "/StructElem":
                    child["P"] = into.reference
            into["K"].append(kid)
        writing.point_annotations(other._dictionary.reference, into.reference)


@dataclass
class _Writing:
    """What one call of WeasyPrint's tree builder works with: the PDF, the page's MCID map and the
    document's list of (structure, annotation) pairs."""

    pdf: pydyf.PDF
    nums: dict
    annotations: list
    # where each structure's annotations sit in the list, kept up to date so that moving them
    # from one element to another does not scan the whole list
    by_structure: dict[bytes, list[int]] = field(default_factory=dict)
    counted: int = 0
    handled: set[int] = field(default_factory=set)  # the structures the rules have seen

    def point_annotations(self, old: bytes, new: bytes) -> None:
        self._index()
        for index in self.by_structure.pop(old, []):
            self.annotations[index] = (new, self.annotations[index][1])
            self.by_structure.setdefault(new, []).append(index)

    def _index(self) -> None:
        for index in range(self.counted, len(self.annotations)):
            self.by_structure.setdefault(self.annotations[index][0], []).append(index)
        self.counted = len(self.annotations)


@dataclass(frozen=True)
class TagRules:
    """What the builder decides while WeasyPrint builds the structure tree, box by box.

    `unlinked(box)`: the box's subtree is built but not linked into the tree (as WeasyPrint does
    for margin boxes), so that finishing marks its content as an artifact.
    `made(box, structure, nested)`: called once for each structure element, with the box it was
    made for (`nested`: the box belongs to the same element as its parent box); returns the
    structure to link into the tree, or None when it was absorbed into another.
    `link_described(box, annotation)`: for a box with a link annotation, the annotation's /Contents.
    """

    unlinked: Callable[[Box], bool]
    made: Callable[[Box, Structure, bool], Structure | None]
    link_described: Callable[[Box], str | None]


class _PagesOnce(pydyf.PDF):
    """A pydyf document whose page references are computed once: WeasyPrint asks for them for
    every structure element it makes, and every page has been added before it does."""

    _page_references: tuple[bytes, ...] | None = None

    @property
    def page_references(self):
        if self._page_references is None:
            self._page_references = super().page_references
        return self._page_references


@contextmanager
def structure_hook(rules: TagRules) -> Iterator[None]:
    """Applies `rules` to the structure tree of every PDF written inside the block."""
    original = _tags._build_box_tree
    ancestors: list = []  # the elements of the boxes being built, outermost first
    writings: dict[int, _Writing] = {}
    unlinking = [0]  # depth of unlinked subtrees being built: the rules do not see their boxes

    def writing(pdf, nums, annotations) -> _Writing:
        if type(pdf) is pydyf.PDF:
            pdf.__class__ = _PagesOnce
        current = writings.get(id(annotations))
        if current is None or current.pdf is not pdf:
            current = writings[id(annotations)] = _Writing(pdf, nums, annotations)
        current.nums = nums
        return current

    def build(box, parent, pdf, page_number, nums, annotations, tags):
        if unlinking[0]:
            # Inside an unlinked subtree (WeasyPrint's builder calls this hook for every child):
            # its elements must not be merged into, or described like, the linked tree's.
            yield from original(box, parent, pdf, page_number, nums, annotations, tags)
            return
        if rules.unlinked(box):
            # Built like a margin box: its marked content is mapped, but nothing links it to the tree.
            unlinking[0] += 1
            try:
                tuple(original(box, parent, pdf, page_number, nums, annotations, tags))
            finally:
                unlinking[0] -= 1
            return
        own = box.element
        nested = own is not None and bool(ancestors) and ancestors[-1] is own
        ancestors.append(own)
        try:
            context = writing(pdf, nums, annotations)
            annotation = getattr(box, "link_annotation", None)
            if annotation is not None:
                described = rules.link_described(box)
                if described:
                    annotation["Contents"] = pydyf.String(described)
            for made in original(box, parent, pdf, page_number, nums, annotations, tags):
                if id(made) in context.handled:  # a child's, passed through by html, body or the page
                    yield made
                    continue
                kept = rules.made(box, Structure(made, context), nested)
                if kept is not None:
                    context.handled.add(id(kept._dictionary))
                    yield kept._dictionary
        finally:
            ancestors.pop()

    _tags._build_box_tree = build
    try:
        yield
    finally:
        _tags._build_box_tree = original


# Instruments for the benchmark (bench/) -----------------------------------------------------


def count_layouts(finished: Callable[[int, int, int], None]) -> Callable[[], None]:
    """Counts WeasyPrint's page layouts in this process from now on: after each document is laid
    out, `finished(pages, layouts, passes)`, where a page laid out again counts again and a pass is
    one of WeasyPrint's rounds over the pages. Returns the function that stops counting."""
    import weasyprint.document as _document
    import weasyprint.layout as _layout
    import weasyprint.layout.page as _page

    counts = {"layouts": 0, "passes": 0}
    make_page, make_all_pages, layout_document = _page.make_page, _layout.make_all_pages, _layout.layout_document

    def counted_make_page(*args, **kwargs):
        counts["layouts"] += 1
        return make_page(*args, **kwargs)

    def counted_make_all_pages(*args, **kwargs):
        counts["passes"] += 1
        return make_all_pages(*args, **kwargs)

    def counted_layout_document(*args, **kwargs):
        counts["layouts"] = counts["passes"] = 0
        pages = 0
        for page_box in layout_document(*args, **kwargs):  # a generator of the finished pages
            pages += 1
            yield page_box
        finished(pages, counts["layouts"], counts["passes"])

    def stop() -> None:
        _page.make_page, _layout.make_all_pages = make_page, make_all_pages
        _layout.layout_document = _document.layout_document = layout_document

    _page.make_page = counted_make_page
    _layout.make_all_pages = counted_make_all_pages
    # weasyprint.document imported layout_document by name
    _layout.layout_document = _document.layout_document = counted_layout_document
    return stop


def time_tag_tree(spent: Callable[[float], None]) -> Callable[[], None]:
    """Times the writing of the structure tree (WeasyPrint's and the builder's rules) in this
    process from now on: `spent(seconds)` after each tree. Returns the function that stops timing."""
    import time

    import weasyprint.pdf as _writer

    add_tags = _writer.add_tags

    def timed_add_tags(*args, **kwargs):
        start = time.perf_counter()
        try:
            return add_tags(*args, **kwargs)
        finally:
            spent(time.perf_counter() - start)

    def stop() -> None:
        _writer.add_tags = add_tags

    _writer.add_tags = timed_add_tags
    return stop
