"""Print-shop, booklet and handout variants, and US Letter paper."""

from __future__ import annotations

import pytest

from compendium.edition import Edition
from compendium.pdf.impose import impose, saddle_stitch
from compendium.pipeline import Project, build
from tests.pdf import Pdf

A4 = (0.0, 0.0, 595.28, 841.89)
BLEED = 3 * 72 / 25.4


@pytest.fixture(scope="module")
def output(print_edition):
    return print_edition[0].path.parent  # beside the print edition, which the booklet imposes


LAYOUTS: dict[str, str] = {}  # the PDFs made in this module, by the digest of their pages


def made(output, edition: Edition):
    report = build(edition, Project(output_dir=output), strict=True, current=LAYOUTS)
    assert report.warnings == []
    LAYOUTS[edition.filename] = report.layout
    return report, Pdf(report.path)


@pytest.fixture(scope="module")
def printed(print_edition):
    report, pdf = print_edition
    assert report.warnings == []
    LAYOUTS[report.path.name] = report.layout
    return report, pdf


def box(page, name: str) -> tuple[float, ...]:
    return tuple(round(float(v), 2) for v in page[name])


def test_print_boxes_on_every_page(printed):
    _, pdf = printed
    for page in pdf.reader.pages:
        trim, bleed, media = box(page, "/TrimBox"), box(page, "/BleedBox"), box(page, "/MediaBox")
        assert trim == A4
        assert bleed == tuple(round(v, 2) for v in (-BLEED, -BLEED, A4[2] + BLEED, A4[3] + BLEED))
        assert media[0] < bleed[0] and media[1] < bleed[1] and media[2] > bleed[2] and media[3] > bleed[3]


def test_print_side_tab_colour_reaches_the_bleed_edge(printed, compendium):
    _, pdf = printed
    first = next(i for i in pdf.pages_with(compendium.sections[0].provisions[0].paragraph.text[:80]))
    assert first % 2 == 0  # a right-hand page: its tab is on the right edge
    page = pdf.reader.pages[first]
    media = box(page, "/MediaBox")
    image = pdf.render(first, scale=1)  # pdfium renders the crop box, which is the media box here
    x_bleed_edge = round(A4[2] + BLEED - media[0]) - 1
    x_trim = round(A4[2] - media[0])
    tab_row = round(media[3] - 841.89 + 60 * 72 / 25.4)  # 60 mm down from the trimmed top: inside Section I's tab
    band_row = round(media[3] - 841.89 + 250 * 72 / 25.4)  # low on the page: only the band
    assert image.getpixel((x_bleed_edge, tab_row)) == image.getpixel((x_trim - 2, tab_row)) != (255, 255, 255)
    # below the tab, no band down the whole edge: the closed book's fore-edge shows the tab's step alone
    assert image.getpixel((x_bleed_edge, band_row)) == image.getpixel((x_trim - 2, band_row)) == (255, 255, 255)
    # outside the bleed, only the marks: white at mid-height beside the page
    assert image.getpixel((image.size[0] - 2, band_row)) == (255, 255, 255)


def test_print_has_marks_outside_the_bleed(printed):
    _, pdf = printed
    image = pdf.render(5, scale=2)
    width, height = image.size
    corner = image.crop((0, 0, round(width * 0.06), round(height * 0.045)))  # the mark area and a little more
    assert corner.convert("L").getextrema()[0] < 100  # a crop mark's hairline


def test_print_links_are_not_styled_for_the_screen(printed):
    report, pdf = printed
    page = next(
        i for i, text in enumerate(pdf.texts) if "https://www.osce.org/" in text and "Resources by keyword" in text
    )
    image = pdf.render(page, scale=2)
    links = [link for link in pdf.links if link.page == page and link.uri]
    media = box(pdf.reader.pages[page], "/MediaBox")
    for link in links[:5]:
        x0, y0, x1, y1 = link.rect
        area = image.crop(
            (
                round((x0 - media[0]) * 2),
                round((media[3] - y0) * 2),
                round((x1 - media[0]) * 2),
                round((media[3] - y1) * 2),
            )
        )
        colours = [colour for _, colour in area.getcolors(1 << 20) if colour != (255, 255, 255)]
        assert colours and all(abs(r - b) < 60 for r, g, b in colours), link.uri  # ink, not link blue


def test_saddle_stitch_order_is_the_folding_order():
    # page numbers from 1; the first sheet's front carries the last page and the first
    assert [(left + 1, right + 1) for left, right in saddle_stitch(8)] == [(8, 1), (2, 7), (6, 3), (4, 5)]
    assert [(left + 1, right + 1) for left, right in saddle_stitch(12)] == [
        (12, 1),
        (2, 11),
        (10, 3),
        (4, 9),
        (8, 5),
        (6, 7),
    ]
    assert saddle_stitch(6) == [(None, 0), (1, None), (5, 2), (3, 4)]  # padded with two blanks


def test_an_a3_booklet_puts_two_print_pages_on_each_sheet_side(output, compendium, printed):
    report, pdf = made(output, Edition("en", "booklet", booklet="actual"))
    assert "WeasyPrint layout" not in report.stages  # it imposes the print edition's pages
    # The print variant's pages (the screen edition has no blank versos), its texts identifying each page,
    # after the cover and the blank inside cover (the print interior opens on its title page)
    _, screen = printed
    assert report.pages == len(screen) + 2
    covered = ["cover", ""] + screen.flat_texts
    booklets = report.booklets  # every page once, in order
    assert [b.first for b in booklets] == [1] + [b.last + 1 for b in booklets[:-1]] and booklets[
        -1
    ].last == report.pages
    assert report.sheet_sides == 2 * sum(b.sheets for b in report.booklets)
    first = pdf.reader.pages[0]
    assert (round(float(first.mediabox.width)), round(float(first.mediabox.height))) == (1191, 842)  # A3 landscape
    for booklet in report.booklets:
        sheets = Pdf(booklet.path)
        assert 2 * booklet.sheets == len(sheets) and 4 * booklet.sheets - (booklet.last - booklet.first + 1) < 4
        for side, pair in enumerate(saddle_stitch(booklet.last - booklet.first + 1)):
            for index in pair:
                if index is not None and booklet.first - 1 + index > 1 and covered[booklet.first - 1 + index]:
                    assert covered[booklet.first - 1 + index][:40] in sheets.flat_texts[side], (side, index)
    first_side = Pdf(report.booklets[0].path).flat_texts[0]
    assert str(compendium.metadata.year) in first_side and compendium.metadata.title.split()[0] in first_side


def test_booklet_imposed_from_the_print_pdf_holds_its_text_in_order(printed, tmp_path):
    _, source = printed
    target = tmp_path / "booklet.pdf"
    (booklet_file,) = impose(source.path, target)
    booklet = Pdf(target)
    assert booklet_file.path == target and 2 * booklet_file.sheets == len(booklet) == len(saddle_stitch(len(source)))
    for side, pair in enumerate(saddle_stitch(len(source))):
        words = [word for index in pair if index is not None for word in source.flat_texts[index].split()]
        assert booklet.flat_texts[side].split() == words, side
    # cut to the trim box and at actual size: the sheet is twice the page, A3 landscape
    trim = source.reader.pages[0].trimbox
    assert box(booklet.reader.pages[0], "/MediaBox") == (0.0, 0.0, round(2 * float(trim.width), 2), A4[3])
    assert target.stat().st_size < source.path.stat().st_size
    assert booklet.reader.metadata.title == source.reader.metadata.title
    assert booklet.reader.trailer["/Root"]["/Lang"] == "en"


def test_section_handout_holds_exactly_its_provisions_and_paragraphs(output, compendium):
    report, pdf = made(output, Edition("en", "handout", selection=("section", "II")))
    section = compendium.sections[1]
    titles = [title for _, title, _ in pdf.outline()]
    numbers = [t.split(" · ")[0] for t in titles if " · " in t]
    assert numbers == [p.label for p in section.provisions]
    cited = {p.paragraph.anchor for p in section.provisions}
    anchors = {name for name in pdf.named if "-para-" in name}
    assert anchors == cited
    assert all(link.target is not None for link in pdf.links if link.uri is None)


def test_keyword_handout_holds_exactly_the_provisions_using_it(output, compendium):
    report, pdf = made(output, Edition("en", "handout", paper="letter", selection=("keyword", "children")))
    using = [p.label for p in compendium.provisions if "children" in {k.id for k in p.keywords}]
    numbers = [t.split(" · ")[0] for _, t, _ in pdf.outline() if " · " in t]
    assert numbers == using
    assert "Keyword: children" in pdf.flat_texts[0]
    for page in pdf.reader.pages:
        assert (round(float(page.mediabox.width)), round(float(page.mediabox.height))) == (612, 792)  # US Letter
