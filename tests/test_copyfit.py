"""Copyfitting after layout (compendium/pdf/copyfit.py), on tiny documents: a part's tail alone on
a sliver of a page, a ladder of hyphens and a hyphen at a page's foot are found, and one more
layout mends them."""

from __future__ import annotations

from compendium.pdf import copyfit, engine, paging
from compendium.pdf.fetcher import AssetFetcher
from tests.conftest import PROJECT
from tests.test_engine import FONTS, STYLE, laid_out

LINES = "".join(f"<p>Line {n} of the part.</p>" for n in range(18))  # 17 fill an A6 page
TAIL = f'<article id="part">{LINES}</article><article id="next" style="break-before: page"><h1>An opener</h1></article>'
LADDER = (
    '<article id="box"><p lang="en" style="width: 32mm; hyphens: auto">'
    + "information-communication distribution counteraction management-technologies " * 3
    + "</p></article>"
)


def _place(document, **attributes) -> int:
    """The place in the parsed tree of the element with these attributes."""
    for number, element in enumerate(engine.root_element(document).iter()):
        if all(element.get(key) == value for key, value in attributes.items()):
            return number
    raise AssertionError(attributes)


def test_a_tail_alone_on_a_page_names_its_part_but_an_opener_does_not():
    document = laid_out(TAIL)
    fills = [copyfit.fill(page) for page in engine.pages(document)]
    assert fills[-2] < copyfit.SLIVER and fills[-1] < copyfit.SLIVER  # the tail, then the opener
    fit = copyfit.plan(document)
    assert fit.tighter == [_place(document, id="part")]
    assert fit.page_before == [] and fit.unhyphenated == []


def test_a_full_document_needs_no_second_layout():
    document = laid_out(f'<article id="part">{LINES[: len(LINES) // 2]}</article>')
    assert not copyfit.plan(document)


def test_three_lines_in_a_row_ending_in_a_hyphen_are_a_ladder():
    document = laid_out(LADDER)
    paragraph = next(n for n, e in enumerate(engine.root_element(document).iter()) if e.tag == "p")
    assert copyfit.plan(document).unhyphenated == [paragraph]
    assert not copyfit.plan(laid_out(LADDER.replace("hyphens: auto", "hyphens: manual")))


def test_the_marks_go_on_a_fresh_parse_of_the_same_html_as_attributes():
    document = laid_out('<p id="a" style="color: red">x</p><p>y</p>')
    fit = copyfit.Fit(
        tighter=[_place(document, id="a")],
        page_before=[_place(document, id="a")],
        unhyphenated=[_place(document, id="a") + 1],
    )
    fresh = laid_out('<p id="a" style="color: red">x</p><p>y</p>')
    root = engine.root_element(fresh)
    fit.apply(root)
    first = root.find(".//p[@id='a']")
    assert first.get("data-copyfit") == copyfit.TIGHTER
    assert first.get("style") == "color: red; break-before: page"
    assert root.findall(".//p")[1].get("style") == "hyphens: manual"


def _document(body: str, style: str = ""):
    html = f"<html lang='en'><head>{FONTS}{STYLE}<style>{style}</style></head><body>{body}</body></html>"
    return paging.lay_out(html, str(PROJECT) + "/", AssetFetcher([PROJECT / "styles", PROJECT / "fonts"]))


def test_one_more_layout_pulls_a_tail_back_onto_its_page():
    tighter = "[data-copyfit] p { margin: 0; line-height: 1.1 }"
    whole = _document(TAIL)
    fitted = _document(TAIL, tighter)
    assert len(engine.pages(fitted)) == len(engine.pages(whole)) - 1
    assert all(not 0 < copyfit.fill(page) < copyfit.SLIVER for page in engine.pages(fitted)[:-1])


def test_one_more_layout_takes_the_ladder_out():
    fitted = _document(LADDER)
    assert not copyfit.plan(fitted).unhyphenated
    text = "".join(engine.text(box) for page in engine.pages(fitted) for box in _texts(page))
    assert copyfit.HYPHENATION not in text


def _texts(box):
    for child in engine.children(box):
        if engine.is_text(child):
            yield child
        else:
            yield from _texts(child)
