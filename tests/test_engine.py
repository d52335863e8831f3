"""Contract tests of the one door to WeasyPrint's internals (compendium/pdf/engine.py), each on a tiny document:
if an upgrade changes what a hook relies on, one of these fails before any edition does."""

from __future__ import annotations

import io
from xml.etree import ElementTree

import pikepdf
import pydyf
import pytest

from compendium.pdf import engine
from compendium.pdf.fetcher import AssetFetcher
from tests.conftest import PROJECT

STYLE = '<style>@page { size: A6; margin: 10mm } body { font: 10pt "Compendium Sans" }</style>'
FONTS = f'<link rel="stylesheet" href="{(PROJECT / "styles" / "fonts.css").as_uri()}">'


def laid_out(body: str):
    html = f'<html lang="en"><head>{FONTS}{STYLE}</head><body>{body}</body></html>'
    return engine.render(html, str(PROJECT) + "/", AssetFetcher([PROJECT / "styles", PROJECT / "fonts"]))


def texts(box):
    """Every laid-out text box under a box, in order."""
    for child in engine.children(box):
        if engine.is_text(child):
            yield child
        else:
            yield from texts(child)


def written(document, **options) -> pikepdf.Pdf:
    out = io.BytesIO()
    document.write_pdf(out, **options)
    return pikepdf.open(io.BytesIO(out.getvalue()))


def test_the_supported_version_is_the_installed_one():
    import weasyprint

    assert weasyprint.__version__.startswith(engine.SUPPORTED)


def test_pages_and_anchors_name_where_each_id_begins():
    document = laid_out('<p id="a">One</p><p id="b" style="break-before: page">Two</p>')
    assert len(engine.pages(document)) == 2
    assert engine.anchors(document) == {"a": 1, "b": 2}
    assert engine.root_element(document).tag == "html"


def test_text_boxes_know_their_element_and_pseudo_element():
    document = laid_out('<style>.x::after { content: "42" }</style><p><span class="x" id="s">Hello</span></p>')
    found = [
        (engine.text(box), engine.element(box).get("id"), engine.pseudo(box))
        for box in texts(engine.pages(document)[0])
    ]
    assert ("Hello", "s", None) in found
    assert ("42", "s", "after") in found


def test_set_text_changes_what_is_drawn_and_narrow_keeps_the_end():
    document = laid_out('<style>.x::after { content: "000" }</style><p><span class="x">Page </span></p>')
    box = next(b for b in texts(engine.pages(document)[0]) if engine.pseudo(b) == "after")
    left, right = engine.extent(box)
    engine.narrow(box, engine.width(box) / 3, keep_end=True)
    engine.set_text(box, "12")
    assert engine.extent(box)[1] == pytest.approx(right)
    assert engine.extent(box)[0] > left
    pdf = written(document)
    text = "".join(str(op.operands[0]) for op in pikepdf.parse_content_stream(pdf.pages[0]) if str(op.operator) == "TJ")
    assert text  # drawn; the characters are glyph ids, read back by the next test's font use
    assert "1" in "".join(font.shown for font in engine.fonts(document))


def test_fonts_name_the_family_and_the_glyphs_missing():
    document = laid_out("<p>Text \U0001f600</p>")
    document.write_pdf(io.BytesIO())  # fonts are known once the text is drawn
    families = {font.family for font in engine.fonts(document)}
    assert "Compendium Sans" in families
    assert any("\U0001f600" in font.missing or font.family != "Compendium Sans" for font in engine.fonts(document))


def test_furniture_footnotes_and_columns_are_told_apart():
    document = laid_out(
        '<style>@page { @top-center { content: "Head" } } .f { float: footnote }'
        " .a { position: absolute; top: 0 }</style>"
        '<div style="width: 40mm"><p>Body<span class="f">Note</span></p></div><p class="a">Abs</p>'
    )
    page = engine.pages(document)[0]
    kinds = {"furniture": [], "footnote": [], "columns": []}

    def walk(box):
        if engine.is_furniture(box):
            kinds["furniture"].append(box)
            return
        if engine.is_footnote_area(box):
            kinds["footnote"].append(box)
        if engine.column_right(box) is not None:
            kinds["columns"].append(engine.column_right(box))
        for child in engine.children(box):
            walk(child)

    walk(page)
    assert len(kinds["furniture"]) >= 2  # the margin box and the positioned paragraph
    assert len(kinds["footnote"]) == 1
    left, right = engine.content_left_right(page)
    assert left < min(kinds["columns"]) < right  # the 40 mm div's column ends inside the page


def test_structure_hook_sees_every_box_and_can_retag_unlink_and_describe_links():
    document = laid_out(
        '<h1 aria-label="Provision 01">01</h1><p aria-hidden="true">Tab</p>'
        '<p><a href="#h">A link</a></p><p id="h">Target</p>'
    )
    seen = []

    def unlinked(box):
        return engine.is_own(box) and engine.element(box).get("aria-hidden") == "true"

    def made(box, structure, nested):
        seen.append(structure.type)
        if structure.type == "H1":
            structure.set_text("Alt", engine.element(box).get("aria-label"))
        if structure.type == "P" and engine.element(box).get("id") == "h":
            structure.type = "Div"
        return structure

    def described(box):
        return "to the target" if engine.is_own(box) else None

    with engine.structure_hook(engine.TagRules(unlinked, made, described)):
        pdf = written(document, pdf_tags=True)
    assert "H1" in seen and "Link" in seen
    types, alts = [], []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            types.append(str(element.S))
            if "/Alt" in element:
                alts.append(str(element.Alt))
            for kid in element.get("/K", []) if isinstance(element.get("/K"), pikepdf.Array) else []:
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K[0])
    assert "/Div" in types and alts == ["Provision 01"]
    assert [str(a.get("/Contents")) for a in pdf.pages[0].Annots] == ["to the target"]
    assert engine._tags._build_box_tree.__name__ == "_build_box_tree"  # put back after the block


def test_structures_absorb_a_continuation_and_its_annotations():
    document = laid_out('<style>@page { size: A7 }</style><p><a href="#t">' + "word " * 120 + "</a></p><p id=t>t</p>")
    firsts = {}

    def made(box, structure, nested):
        if not engine.is_own(box):
            return structure
        key = (id(engine.element(box)), structure.type)
        if key in firsts and (firsts[key].page != structure.page or structure.type == "Link"):
            firsts[key].absorb(structure)
            return None
        firsts.setdefault(key, structure)
        return structure

    with engine.structure_hook(engine.TagRules(lambda box: False, made, lambda box: None)):
        pdf = written(document, pdf_tags=True)
    assert len(pdf.pages) > 1
    links = []

    def walk(element):
        if isinstance(element, pikepdf.Dictionary) and "/S" in element:
            if element.S == "/Link":
                links.append(element)
            kids = element.get("/K")
            for kid in kids if isinstance(kids, pikepdf.Array) else []:
                walk(kid)

    walk(pdf.Root.StructTreeRoot.K[0])
    assert len(links) == 1  # one link element for every line and page of the link
    objrs = [kid for kid in links[0].K if isinstance(kid, pikepdf.Dictionary) and kid.get("/Type") == "/OBJR"]
    annotations = sum(len(page.get("/Annots", [])) for page in pdf.pages)
    assert len(objrs) == annotations > 1
    parents = pdf.Root.StructTreeRoot.ParentTree.Nums
    for index in range(0, len(parents), 2):
        value = parents[index + 1]
        if isinstance(value, pikepdf.Dictionary):  # an annotation's parent
            assert value.objgen == links[0].objgen


def test_page_references_are_computed_once_while_tagging():
    calls = []
    original = pydyf.PDF.page_references.fget

    def counting(self):
        calls.append(1)
        return original(self)

    document = laid_out("<p>One</p>" + '<p style="break-before: page">More</p>' * 5)
    try:
        pydyf.PDF.page_references = property(counting)
        with engine.structure_hook(engine.TagRules(lambda box: False, lambda b, s, n: s, lambda box: None)):
            written(document, pdf_tags=True)
    finally:
        pydyf.PDF.page_references = property(original)
    assert len(calls) == 1


def test_positioned_boxes_their_text_rectangles_and_the_page_size():
    document = laid_out(
        "<style>.a { position: absolute; top: 20mm; left: 0; width: 30mm }"
        " .b { position: absolute; top: 22mm; left: 5mm; width: 30mm } .e { position: absolute; top: 0 }</style>"
        '<p class="a">One two</p><p class="b">Three</p><div class="e"></div><p>Flow</p>'
    )
    page = engine.pages(document)[0]
    positioned, stack = [], [page]
    while stack:
        box = stack.pop()
        if engine.is_positioned(box):
            positioned.append(box)
        else:
            stack.extend(engine.children(box))
    width, height = engine.page_size(page)
    assert (round(width), round(height)) == (397, 559)  # A6 in CSS px
    found = [engine.text_rectangle(box) for box in positioned]
    rectangles = [r for r in found if r is not None]
    assert len(rectangles) == 2 and None in found  # the empty positioned div holds no text
    first, second = sorted(rectangles)
    assert first[0] < second[0] and first[1] < second[1] < first[3]  # 'Three' overlaps 'One two'


def test_positioned_text_that_overlaps_or_leaves_the_page_is_a_warning():
    from compendium.pdf.overflow import overflow_warnings

    document = laid_out(
        "<style>.t { position: absolute; top: 10mm; left: 0; width: 60mm; font-size: 20pt }"
        " .s { position: absolute; top: 14mm; left: 0; width: 60mm }"
        " .f { position: absolute; top: 140mm; left: 0; width: 60mm; font-size: 30pt }</style>"
        '<h1 class="t">A long title</h1><p class="s">Subtitle</p><p class="f">Off the page</p>'
    )
    warnings = overflow_warnings(document)
    assert any(w.startswith("page 1, 't': its text runs") and "into 's'" in w for w in warnings), warnings
    assert any(w.startswith("page 1, 'f': text runs") and "past the edge of the page" in w for w in warnings), warnings


def test_the_boxes_of_an_unlinked_subtree_are_not_given_to_the_rules():
    """A table header WeasyPrint repeats on the next page is unlinked (an artifact); its cells must
    not reach `made`, or the rules would merge them into the first page's header cells."""
    rows = "".join(f"<tr><td>k{i}</td></tr>" for i in range(60))
    document = laid_out(f"<table><thead><tr><th>Head</th></tr></thead><tbody>{rows}</tbody></table>")
    assert len(engine.pages(document)) > 1
    seen_thead: list = []
    made_cells: list = []

    def unlinked(box):
        if engine.is_own(box) and engine.element(box).tag == "thead":
            seen_thead.append(box)
            return len(seen_thead) > 1
        return False

    def made(box, structure, nested):
        if structure.type == "TH":
            made_cells.append(structure.page)
        return structure

    with engine.structure_hook(engine.TagRules(unlinked, made, lambda box: None)):
        written(document, pdf_tags=True)
    assert len(seen_thead) > 1
    assert len(made_cells) == 1


def test_a_line_broken_at_a_space_keeps_the_space_in_its_drawn_text():
    """Where a line breaks between two words, and where a space stands alone between two inline
    elements, the space is in the text drawn (and so in the tagged text), not dropped; a word
    broken after a hyphen or an address broken at <wbr> gets none; nothing moves."""
    document = laid_out(
        '<style>.r::before { content: leader(".") }</style><p>Contents<span class="r">9</span></p>'
        '<p style="width: 30mm">legal measures to protect the victims of anti-trafficking '
        "<span>in</span> <span>human</span> beings "
        '<a href="https://example.org/a/b/c">https://<wbr>example.<wbr>org/<wbr>a/<wbr>b/<wbr>c</a></p>'
    )
    drawn = [engine.text(box) for box in texts(engine.pages(document)[0]) if engine.text(box).strip()]
    joined = "".join(drawn)
    assert "legal measures to protect the victims of anti-trafficking in human beings" in joined
    assert len(drawn) > 4  # several lines
    assert drawn[0] == "Contents "  # the leader after it is drawn, but stands for a space
    address = joined[joined.index("https://") :].replace("\u200b", "")  # WeasyPrint draws <wbr> as U+200B
    assert address == "https://example.org/a/b/c"


def test_a_paragraph_broken_by_a_page_keeps_the_space_of_its_last_line_on_the_page():
    """The last line of a paragraph's piece on a page loses its space too: the first page's last
    word and the next page's first word would be read as one ("human|trafficking")."""
    words = [f"word{i}" for i in range(300)]
    document = laid_out(f"<p>{' '.join(words)}</p>")
    pages = engine.pages(document)
    assert len(pages) > 2
    drawn = "".join(engine.text(box) for page in pages for box in texts(page))
    assert drawn.split() == words


def test_a_continued_heading_too_wide_for_its_column_is_shortened_before_its_mark():
    """Written in after layout, a continued heading cannot wrap: one wider than its column keeps
    its mark and loses whole words before it, with an ellipsis; one that fits is left whole."""
    from compendium.pdf.continued import _fitted

    shown = "Тема: лица, первыми вступающие в контакт с жертвами:"
    text = "Тема: лица, первыми вступающие в контакт с жертвами (продолжение):"
    fitted = _fitted(text, shown, 55)
    assert len(fitted) <= 55 and fitted.endswith("… (продолжение):")
    assert text.startswith(fitted.split("…")[0])
    assert _fitted("On children (continued):", "On children:", 80) == "On children (continued):"


def test_count_layouts_reports_pages_layouts_and_passes_until_stopped():
    """The benchmark's layout counter (bench/instrument/) reaches WeasyPrint through the adapter."""
    counted: list[tuple[int, int, int]] = []
    stop = engine.count_layouts(lambda *figures: counted.append(figures))
    try:
        laid_out('<p>one</p><p style="break-before: page">two</p>')
    finally:
        stop()
    laid_out("<p>not counted</p>")
    assert len(counted) == 1
    pages, layouts, passes = counted[0]
    assert pages == 2 and layouts >= 2 and passes >= 1, counted


def test_time_tag_tree_times_each_structure_tree_until_stopped():
    spent: list[float] = []
    stop = engine.time_tag_tree(spent.append)
    try:
        written(laid_out("<p>tagged</p>"), pdf_tags=True)
    finally:
        stop()
    written(laid_out("<p>not timed</p>"), pdf_tags=True)
    assert len(spent) == 1 and spent[0] >= 0


def test_margin_texts_name_their_margin_box_and_a_page_counter_can_start_elsewhere():
    """--parts (pdf/parts.py): a part's page counter starts at 100, and the numbers laid out in the
    margins are found with their box's at-keyword to be written over."""
    html = (
        f'<html lang="en"><head>{FONTS}{STYLE}<style>@page {{ @bottom-right {{ content: counter(page) }} }}'
        "@page :first { counter-reset: page 100 }</style></head>"
        '<body><p>One</p><p style="break-before: page">Two</p></body></html>'
    )
    document = engine.render(html, str(PROJECT) + "/", AssetFetcher([PROJECT / "styles", PROJECT / "fonts"]))
    found = [
        [(keyword, engine.text(box)) for keyword, box in engine.margin_texts(page)] for page in engine.pages(document)
    ]
    assert found == [[("@bottom-right", "100")], [("@bottom-right", "101")]]


def test_a_document_laid_out_from_its_left_hand_side_starts_on_a_left_page():
    """--parts: a part whose first page is a left-hand one in the edition is laid out with the root's
    break-before: left (WeasyPrint reads the root's break for the first page's side)."""
    html = (
        f'<html lang="en"><head>{FONTS}{STYLE}<style>html {{ break-before: left }}'
        "@page :left { @bottom-left { content: 'L' } } @page :right { @bottom-right { content: 'R' } }</style></head>"
        '<body><p>One</p><p style="break-before: page">Two</p></body></html>'
    )
    document = engine.render(html, str(PROJECT) + "/", AssetFetcher([PROJECT / "styles", PROJECT / "fonts"]))
    sides = [[engine.text(box) for _, box in engine.margin_texts(page)] for page in engine.pages(document)]
    assert sides == [["L"], ["R"]]


def test_anchors_of_other_documents_keep_their_links_and_bookmarks_make_one_tree():
    """--parts: a link to an anchor another part has is kept (WeasyPrint drops a link to an anchor it
    lacks) once the anchor is added; the parts' bookmarks make the outline WeasyPrint writes whole."""
    document = laid_out(
        '<h1 style="bookmark-level: 1">A</h1><h2 style="bookmark-level: 2">B</h2><p><a href="#elsewhere">x</a></p>'
    )
    engine.add_anchors(document, ["elsewhere"])
    pdf = written(document)
    assert "elsewhere" in [str(name) for name in pdf.Root.Names.Dests.Names[::2]]
    assert [str(a.Dest) for a in pdf.pages[0].Annots] == ["elsewhere"]
    pages = engine.bookmarks(document)
    tree = engine.bookmark_tree(pages + pages)
    assert [(label, target[0], [c[0] for c in children]) for label, target, children, _ in tree] == [
        ("A", 0, ["B"]),
        ("A", 1, ["B"]),
    ]


def test_a_page_knows_its_type_area_its_lines_and_its_footnotes():
    """What copyfitting reads (compendium/pdf/copyfit.py): the type area's height, line boxes with
    their place on the page, and whether the page sets footnotes."""
    page = engine.pages(laid_out('<p>Text<span style="float: footnote">A note</span></p>'))[0]
    assert engine.holds_footnotes(page)
    assert not engine.holds_footnotes(engine.pages(laid_out("<p>Text</p>"))[0])
    assert abs(engine.content_height(page) - 128 * 96 / 25.4) < 1  # A6 is 148 mm tall; 10 mm margins
    page = engine.pages(laid_out('<p style="margin: 0">Text</p>'))[0]
    lines = [box for box in _all_boxes(page) if engine.is_line(box)]
    top, bottom = engine.top_bottom(lines[0])
    assert abs(top - (10 * 96 / 25.4 + 8)) < 1 and bottom > top  # the margin, then the body's 8 px


def _all_boxes(box):
    for child in engine.children(box):
        yield child
        yield from _all_boxes(child)


@pytest.mark.parametrize(
    "style",
    [
        "opacity: 0",
        "color: transparent",
        "color: white",
        "background: #e3ecf5; color: white",
        "height: 0; overflow: hidden; padding: 0",
        "position: absolute; left: -9999mm",
        "text-indent: -9999mm",
        "transform: scale(0)",
        "visibility: hidden",
        "font-size: 0",
        "color: device-cmyk(0 0 0 0)",  # the print editions' inks: white
        # near zero, not zero (attacker round 9, P5): under 4 pt as drawn
        "transform: scale(0.01)",
        "transform: scaleY(0.02)",
        "transform: skewX(89deg)",
        "font-size: 2pt",
    ],
)
def test_drawn_text_leaves_out_text_a_reader_cannot_see(style: str):
    """Text laid out and drawn but not seen (transparent, the colour of what is behind it, clipped
    away, off the page, scaled to nothing) is not in the drawn text; the element's span is."""
    document = laid_out(f'<p>Before</p><div id="a"><p style="{style}">Hidden words</p></div><p>After</p>')
    text, spans = engine.drawn_text(engine.pages(document), {"a"}, str.lower)
    assert "before" in text and "after" in text
    assert "hidden" not in text and "a" in spans


@pytest.mark.parametrize(
    "style",
    [
        "color: white; background: #1f5f99",
        "color: #666",
        "color: device-cmyk(0 0 0 0.64)",
        "opacity: 0.8",
        "height: 0",
        "transform: scale(0.5)",
        "transform: rotate(3deg) skewX(10deg)",
        "font-size: 5pt",
        "outline: 1px solid black",
        "position: relative; z-index: 1; background: white",  # its own background, under its text
    ],
)
def test_drawn_text_keeps_text_a_reader_sees(style: str):
    """White on a dark panel, a muted grey, a text overflowing a box that does not clip it: seen."""
    document = laid_out(f'<div style="background: white"><p style="{style}">Seen words</p></div>')
    text, _ = engine.drawn_text(engine.pages(document), (), str.lower)
    assert "seen words" in text


COVER = "position: absolute; top: 0; left: 0; width: 100%; height: 100%; background: white"


@pytest.mark.parametrize(
    "body, hidden",
    [
        # attacker round 9, P4: an opaque positioned box (a pseudo-element's too) painted over the text
        (f'<p>Seen words</p><div style="position: relative"><p>Hidden words</p><div style="{COVER}"></div></div>', 1),
        (
            f'<style>#a::after {{ content: ""; {COVER}; z-index: 5 }}</style><div id="a" style="position: relative">'
            '<p>Hidden words</p></div><p style="margin-top: 50mm">Seen words</p>',
            1,
        ),
        ('<p style="outline: 50mm solid white">Seen words</p><p>Hidden words</p>', 1),
        # beneath the text: a negative z-index, or text positioned above it
        (f'<div style="position: relative"><p>Seen words</p><div style="{COVER}; z-index: -1"></div></div>', 0),
        (
            f'<div style="position: relative"><div style="{COVER}; z-index: 1"></div>'
            '<p style="position: relative; z-index: 2">Seen words</p></div>',
            0,
        ),
        ('<p style="outline: 50mm solid rgba(255, 255, 255, 0.3)">Seen words</p><p>Seen words</p>', 0),
        # P5: every line drawn over the first
        ('<p style="width: 20mm; line-height: 0">Seen hidden hidden hidden hidden hidden hidden</p>', 6),
    ],
)
def test_drawn_text_leaves_out_text_painted_over_or_drawn_over_another_line(body: str, hidden: int):
    document = laid_out(body)
    text, _ = engine.drawn_text(engine.pages(document), (), str.lower)
    assert "seen" in text
    assert body.count("idden") - text.count("hidden") == hidden


def test_classed_elements_and_their_written_text_whether_laid_out_or_not():
    """The elements of a class, display: none too, each with the nearest such ancestor (or one of
    the ids given); an element's text without that of the classed elements inside it."""
    document = laid_out(
        '<div class="entry"><h2 class="keyword" style="display: none">On children:</h2><p>A guide</p></div>'
        '<div id="p1"><p class="panel">Resources</p></div>'
    )
    found = engine.classed_elements(document, {"entry", "keyword", "panel"}, {"p1"})
    assert [(name, outer is not None) for name, _, outer in found] == [
        ("entry", False),
        ("keyword", True),
        ("panel", True),
    ]
    assert found[2][2].get("id") == "p1"
    entry = found[0][1]
    assert engine.written_text(entry).split() == ["On", "children:", "A", "guide"]
    assert engine.written_text(entry, {"keyword"}).split() == ["A", "guide"]
    _, spans = engine.drawn_text(engine.pages(document), (), str.lower, {id(own) for _, own, _ in found})
    assert id(entry) in spans and id(found[1][1]) not in spans


def test_a_source_gives_each_layout_its_own_tree_as_parsed():
    """Copyfitting's later layouts take a copy of the first parse (engine.Source), not a parse of
    their own: the copy must be the tree a parse makes, untouched by what marked an earlier one."""
    html = '<html lang="en"><body><p id="a">x <b>y</b> z</p><!-- a note --><p>w</p></body></html>'
    base = str(PROJECT) + "/"
    source = engine.Source(html, base, None)
    first = source.fresh()
    first.etree_element.find(".//p").set("style", "break-before: page")
    second, third = source.fresh(), source.fresh()
    parse = engine.HTML(string=html, base_url=base)
    as_parsed = ElementTree.tostring(parse.etree_element)
    assert ElementTree.tostring(second.etree_element) == as_parsed == ElementTree.tostring(third.etree_element)
    assert second.etree_element is not third.etree_element
    assert second.wrapper_element.etree_element is second.etree_element
    assert (second.base_url, second.media_type) == (parse.base_url, parse.media_type)
