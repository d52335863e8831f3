"""The English edition as a reader holds it: structure, links, side tabs, fonts, metadata."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compendium.derive import directory, keyword_table
from compendium.edition import Edition
from compendium.model import Compendium
from compendium.pipeline import Project, build
from compendium.render.html import reference
from compendium.render.locale import Language
from compendium.source.load import load
from tests.conftest import PROJECT
from tests.pdf import Pdf, flat

FIXTURE = Path(__file__).parent / "fixtures" / "valid"

A4 = (595.28, 841.89)
ENGLISH = Language("en", PROJECT / "locale")


@pytest.fixture(scope="module")
def pdf(built) -> Pdf:
    return built[1]


def provision_page(pdf: Pdf, provision) -> int:
    """The page that shows the start of the provision's text."""
    pages = pdf.pages_with(provision.paragraph.text[:80])
    pages = [p for p in pages if "Resources by keyword" in pdf.flat_texts[p]]
    assert len(pages) == 1, (provision.number, pages)
    return pages[0]


def inside(inner: tuple[float, ...], outer: tuple[float, ...]) -> bool:
    return outer[0] <= inner[0] and inner[2] <= outer[2] and inner[1] == outer[1] and inner[3] == outer[3]


def test_the_english_edition_warns_of_nothing(built):
    report, pdf = built
    assert report.warnings == []
    assert report.pages == len(pdf)


def test_every_page_is_a4(pdf: Pdf):
    for page in pdf.reader.pages:
        box = page.mediabox
        assert (round(float(box.width), 2), round(float(box.height), 2)) == A4


def test_outline_mirrors_the_structure(pdf: Pdf, compendium: Compendium):
    outline = pdf.outline()
    top = [title for level, title, _ in outline if level == 1]
    sections = [f"Section {s.numeral}. {s.title}" for s in compendium.sections]
    assert top == [
        "Introduction",
        "Keyword table",
        *sections,
        "Annex 1. Texts of the Decisions",
        "Annex 2. Keyword-Literature Directory",
    ]
    provisions = [title for level, title, _ in outline if re.match(r"^\d\d · ", title)]
    assert provisions == [f"{p.label} · {reference(p, ENGLISH)}" for p in compendium.provisions]
    decisions = [title for level, title, _ in outline if title.startswith("Decision No.")]
    assert decisions == [f"Decision No. {d.id}" for d in compendium.decisions]
    for section in compendium.sections:
        for part in section.parts:
            assert (2, f"{part.letter}. {part.title}") in [(lv, t) for lv, t, _ in outline]
            for topic in part.topics:
                assert (3, f"{topic.number}. {topic.title}") in [(lv, t) for lv, t, _ in outline]


def test_each_provision_is_on_a_page_whose_side_tab_names_it(pdf: Pdf, compendium: Compendium):
    for section in compendium.sections:
        for provision in section.provisions:
            text = pdf.texts[provision_page(pdf, provision)]
            lines = [line.strip() for line in text.splitlines()]
            tab = flat(text).upper()
            assert re.search(rf"\bSECTION {section.numeral}\b", tab), provision.number
            assert "MC DECISION PROVISION" in tab, provision.number
            assert provision.label in lines, provision.number


def test_side_tabs_run_through_every_section_page_and_nowhere_else(pdf: Pdf, compendium: Compendium):
    first = provision_page(pdf, compendium.provisions[0])
    last = provision_page(pdf, compendium.provisions[-1])
    for index in range(len(pdf)):
        text = pdf.texts[index]
        tabbed = "MC DECISION PROVISION" in flat(text).upper()
        blank = not text.strip()
        if first <= index <= last and not blank:
            assert tabbed, index
        elif not (first <= index <= last):
            assert not tabbed, index


def test_keyword_table_links_go_to_the_provision_panels(pdf: Pdf, compendium: Compendium):
    entries = keyword_table(compendium, ENGLISH.sort_key)
    table_pages = pdf.pages_with("Keywords Recital(s)")  # the compendium's own wording, as its original
    links = [link for link in pdf.links if link.page in table_pages and link.target is not None]
    # WeasyPrint adds a second link area for the generated "(p. N)" inside the number's own
    links = [
        link
        for i, link in enumerate(links)
        if not (i and link.target == links[i - 1].target and inside(link.rect, links[i - 1].rect))
    ]
    assert len(links) == sum(len(e.provisions) for e in entries)
    expected = [p for e in entries for p in e.provisions]
    for link, provision in zip(links, expected, strict=True):
        assert link.target == provision_page(pdf, provision)
    # and the page printed beside each number is that page
    printed = re.findall(r"(\d\d)\s*\(p\.\s*(\d+)\)", " ".join(pdf.texts[p] for p in table_pages))
    assert [(p.label, str(provision_page(pdf, p) + 1)) for p in expected] == printed


def test_provision_references_link_to_their_paragraph_in_the_annex(pdf: Pdf, compendium: Compendium):
    for provision in compendium.provisions:
        target = pdf.named[provision.paragraph.anchor]
        assert (
            flat(f"{provision.paragraph.number}. {provision.paragraph.text[:60]}") in pdf.flat_texts[target]
            or flat(provision.paragraph.text[:60]) in pdf.flat_texts[target]
        )
        page = provision_page(pdf, provision)
        assert any(link.page == page and link.target == target for link in pdf.links), provision.number


def test_every_source_url_is_a_live_link(pdf: Pdf, compendium: Compendium):
    from compendium.render.html import CONTACT

    uris = {link.uri for link in pdf.links if link.uri}
    catalogued = {p.url for p in compendium.publications if p.url}
    # the imprint's e-mail and web address, from the source's address lines
    contacts = {m.group(0) for line in compendium.metadata.address for m in CONTACT.finditer(line)}
    assert contacts and {u.removeprefix("mailto:").removeprefix("https://") for u in uris - catalogued} == contacts
    assert catalogued <= uris


def test_every_internal_link_resolves(pdf: Pdf):
    internal = [link for link in pdf.links if link.uri is None]
    assert internal
    assert all(link.target is not None for link in internal)


def test_contents_page_numbers_are_the_real_ones(pdf: Pdf, compendium: Compendium):
    # an entry's last words are joined by no-break spaces, which go with its leader and page number
    contents = pdf.texts[pdf.pages_with("Contents")[0]].replace("\u00a0", " ")
    for section in compendium.sections:
        start = provision_page(pdf, section.provisions[0])
        line = next(line for line in contents.splitlines() if section.title in line)
        assert line.rstrip().endswith(str(start + 1)), (line, start + 1)


def test_directory_lists_each_publication_once_per_keyword_with_its_provisions(pdf: Pdf, compendium: Compendium):
    start = pdf.pages_with("For each keyword, every publication cited under it")[0]
    text = " ".join(pdf.flat_texts[start:])
    for entry in directory(compendium, ENGLISH.sort_key):
        heading = f"On {entry.keyword.label}:"
        assert heading in text
        section = text[text.index(heading) :]
        following = section.find(" On ", len(heading))  # the next keyword's heading ends this one's entry
        section = section[: following if following > 0 else None]
        for item in entry.items:
            numbers = ", ".join(p.label for p in item.provisions)
            label = "Provision:" if len(item.provisions) == 1 else "Provisions:"  # one number: the singular
            assert f"{label} {numbers}" in section, (entry.keyword.id, item.publication.id)


def test_fonts_are_the_shipped_ones_embedded_and_subset(pdf: Pdf):
    seen = set()
    for page in pdf.reader.pages:
        fonts = page["/Resources"].get("/Font", {})
        for ref in fonts.values():
            font = ref.get_object()
            name = str(font["/BaseFont"])
            seen.add(name.split("+")[-1])
            assert re.match(r"^/[A-Z]{6}\+", name), f"{name} is not subset"
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = descendant["/FontDescriptor"].get_object()
            assert any(key in descriptor for key in ("/FontFile", "/FontFile2", "/FontFile3")), f"{name} not embedded"
    # the families of styles/fonts.css (Noto Sans and Serif under the compendium's own names)
    assert seen == {
        "Compendium-Sans",
        "Compendium-Sans-Bold",
        "Compendium-Sans-Italic",
        "Compendium-Serif",
        "Compendium-Serif-Bold",
    }


def test_metadata_language_and_tags(pdf: Pdf, compendium: Compendium):
    info = pdf.reader.metadata
    meta = compendium.metadata
    assert info.title == meta.title
    assert info.author == meta.publisher
    assert info.subject == meta.subtitle
    assert "supply chains" in info["/Keywords"]
    root = pdf.reader.trailer["/Root"]
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root
    assert root["/MarkInfo"]["/Marked"]


def test_footnote_is_on_the_page_of_its_call(pdf: Pdf):
    call_page = pdf.pages_with("anticipates the 2020 update of the Survey Report")[0]
    assert "1. OSCE OSR/CTHB, Survey Report 2016" in pdf.flat_texts[call_page]


def test_decision_continuation_headers_and_document_code(pdf: Pdf, compendium: Compendium):
    for decision in compendium.decisions:
        first = pdf.named[decision.anchor]
        date = f"{decision.date.day} {decision.date:%B %Y}"
        assert (
            flat(f"- 2 - {decision.symbol} {date}") in pdf.flat_texts[first + 1]
            or flat(f"{decision.symbol} {date} - 2 -") in pdf.flat_texts[first + 1]
        )
        assert "- 1 -" not in pdf.flat_texts[first]
        if decision.document_code:
            assert decision.document_code in pdf.texts[first]


def test_a_statement_s_further_pages_carry_its_document_s_continuation_header(tmp_path: Path):
    """As issued: an attachment's first page has its header in its text; its further pages "- 6 -"
    (the document's page count going on), the symbol, the date and the attachment (book designer,
    round 7: the booklet's statements went on straight with text)."""
    shutil.copytree(FIXTURE / "source", tmp_path / "source")
    decision_file = tmp_path / "source" / "decisions" / "mc-dec-1-19.yaml"
    said = '"A statement\'s paragraph long enough to fill a few lines of the page, said once more."'
    text = decision_file.read_text("utf-8")
    text = text.replace('paragraphs: ["“Mr. Chairperson,", "Thank you.”"]', f"paragraphs: [{', '.join([said] * 120)}]")
    decision_file.write_text(text, "utf-8")
    compendium, _ = load(tmp_path / "source")
    pdf = Pdf(build(Edition(), Project(root=tmp_path, output_dir=tmp_path / "output")).path)
    further = 0
    for decision in compendium.decisions:
        first = pdf.named[decision.anchor]
        date = f"{decision.date.day} {decision.date:%B %Y}"
        for statement in decision.statements:
            opening = pdf.pages_with(flat(statement.delegation))[0]
            closing = pdf.pages_with(flat(statement.paragraphs[-1])[:40])[-1]
            assert f"- {opening - first + 1} -" not in pdf.flat_texts[opening]
            for page in range(opening + 1, closing + 1):
                head = flat(f"- {page - first + 1} - {decision.symbol} {date} {statement.attachment}")
                assert head in pdf.flat_texts[page], (page + 1, pdf.flat_texts[page][:120])
                further += 1
    assert further >= 2, further


def test_no_citation_line_holds_a_lone_first_word(pdf: Pdf):
    # WeasyPrint 70 can break a line after its first word (see compendium/render/html.py, typography).
    lonely = []
    for index, text in enumerate(pdf.texts):
        lines = text.splitlines()
        for line, following in zip(lines, lines[1:], strict=False):
            if len(line.split()) == 1 and len(following) > 60 and re.match(r"^(OSCE|UNDP|ASTRA)", line):
                lonely.append((index + 1, line, following[:40]))
    assert not lonely


def test_no_keyword_heading_is_left_alone_at_a_page_foot(pdf: Pdf, compendium: Compendium):
    headings = {f"On {k.label}:" for k in compendium.keywords}
    for index, text in enumerate(pdf.texts):
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        body = [line for line in lines if not line.isdigit()]  # the page number closes the page's text
        # the side tab's text comes after the body on section pages: look at the body's last lines
        tail = body[-6:]
        for position, line in enumerate(tail):
            if line in headings:
                following = tail[position + 1 :]
                assert following and following[0].startswith(("OSCE", "UNDP", "ASTRA", "Provisions:")), (
                    index + 1,
                    line,
                )


def test_every_page_but_the_cover_and_blanks_has_its_number(pdf: Pdf):
    for index, text in enumerate(pdf.texts):
        if index == 0 or not text.strip():
            continue
        # margin boxes may share a line of extracted text (the document code and the number, in
        # either order: the number is on the outer side, left on a left-hand page)
        words = [line.split() for line in text.splitlines()]
        assert any(str(index + 1) in (w[0], w[-1]) for w in words if w), index + 1


def test_side_tabs_sit_lower_for_each_later_section(pdf: Pdf, compendium: Compendium):
    tops = []
    for section in compendium.sections:
        firsts = [provision_page(pdf, p) for p in section.provisions]
        # any page of the section's provisions (a section may have no provision opening on a right-hand page)
        right = next(page for page in range(min(firsts), max(firsts) + 1) if page % 2 == 0)
        image = pdf.render(right, scale=1)
        width, height = image.size
        column = width - round(8 / 25.4 * 72)  # 8 mm in from the right edge: inside the tab, outside the band
        rows = [y for y in range(height) if image.getpixel((column, y)) != (255, 255, 255)]
        assert rows, section.numeral
        tops.append(rows[0])
        assert image.getpixel((width - 2, height // 2)) != (255, 255, 255)  # the band reaches the edge
    assert tops == sorted(tops) and len(set(tops)) == len(tops), tops
