"""Page references written into the one layout (compendium/pdf/paging.py): the numbers are the targets' pages."""

from __future__ import annotations

import re

import pypdfium2
import pytest

from compendium.pdf import paging
from compendium.pdf.fetcher import AssetFetcher
from tests.conftest import PROJECT
from tests.pdf import Pdf, flat


def test_every_contents_entry_shows_the_page_its_link_goes_to(built):
    _, pdf = built
    contents = pdf.pages_with("Contents")[0]
    links = [link for link in pdf.links if link.page == contents and link.target is not None]
    text = pdf.document[contents].get_textpage()
    chars = text.get_text_range()
    entries = list(re.finditer(r"\.{3,}\s*(\d+)", chars))
    assert len(entries) > 20
    for entry in entries:
        left, bottom, right, top = text.get_charbox(entry.end() - 1)  # the number's last digit
        x, y = (left + right) / 2, (bottom + top) / 2
        link = next(link for link in links if _inside(x, y, link.rect))
        assert int(entry.group(1)) == link.target + 1, entry.group()


def _inside(x: float, y: float, rect: tuple[float, ...]) -> bool:
    x0, y0, x1, y1 = rect  # WeasyPrint writes some rectangles top first
    return min(x0, x1) <= x <= max(x0, x1) and min(y0, y1) <= y <= max(y0, y1)


@pytest.mark.parametrize("digits", [1, 3])  # shorter than the number (laid out again), or longer (written in)
def test_page_references_are_written_in_where_weasyprint_would_set_them(tmp_path, monkeypatch, digits):
    monkeypatch.setattr(paging, "DIGITS", digits)  # the placeholder's; the target is on page 12
    html = (
        "<style>@page { size: A6 } .page-ref::after { content: var(--page-ref-placeholder, '0') }"
        " .toc .page-ref::before { content: leader('.') } .filler { break-after: page }"
        " .early .page-ref::after { content: var(--page-ref-placeholder, '0') ')' }</style>"
        '<p class="toc"><a href="#end">The end<span class="page-ref" data-target="end" data-flush="end"></span></a></p>'
        '<p class="early">Early (p. <span class="page-ref" data-target="early"></span></p>'
        '<p id="early">Here</p>' + '<p class="filler">filler</p>' * 11 + '<p id="end">End</p>'
    )
    document = paging.render(html, base_url=str(PROJECT) + "/", url_fetcher=AssetFetcher([PROJECT / "styles"]))
    target = tmp_path / "references.pdf"
    document.write_pdf(target)
    pdf = Pdf(target)
    assert len(pdf) == 12
    first = flat(pdf.texts[0])
    assert re.search(r"The end \.+ ?12", first), first  # the leader reads as a space (engine.render)
    assert "Early (p. 1)" in first, first
    # the number after the leader ends where WeasyPrint itself sets the same number after a leader
    literal = html.replace(
        '<span class="page-ref" data-target="end" data-flush="end"></span>', '<span class="page-ref">12</span>'
    )
    literal = literal.replace(".page-ref::after { content: var(--page-ref-placeholder, '0') }", "")
    reference = tmp_path / "literal.pdf"
    paging.render(literal, base_url=str(PROJECT) + "/", url_fetcher=AssetFetcher([PROJECT / "styles"])).write_pdf(
        reference
    )
    edges = []
    for path in (target, reference):
        text = pypdfium2.PdfDocument(path)[0].get_textpage()
        edges.append(text.get_charbox(text.get_text_range().index("12") + 1)[2])
    assert abs(edges[0] - edges[1]) < 0.2, edges


def test_a_placeholder_that_does_not_start_with_digits_is_a_located_error():
    html = (
        "<style>.page-ref::after { content: 'page ' var(--page-ref-placeholder, '000') }</style>"
        '<p><span class="page-ref" data-target="end"></span></p><p id="end">End</p>'
    )
    with pytest.raises(paging.PlaceholderError) as raised:
        paging.render(html, base_url=str(PROJECT) + "/", url_fetcher=AssetFetcher([PROJECT / "styles"]))
    assert str(raised.value) == (
        "styles: the page reference to #end is laid out as 'page 000'; expected its placeholder "
        "(.page-ref::after, --page-ref-placeholder; styles/components.css) to start with digits"
    )
