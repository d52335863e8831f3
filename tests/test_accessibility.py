"""PDF/UA-1: two checkers report no error on the screen editions and a handout, and the project's
own structure tests hold for the rules the checkers do not cover (docs/accessibility.md)."""

from __future__ import annotations

import re
from pathlib import Path

import pikepdf
import pytest
from outloud import check as outloud_check
from outloud.model import Document
from pdfua import Severity
from pdfua import validate as pdfua_validate

from compendium.edition import Edition
from compendium.pipeline import Project, build

MM = 72 / 25.4
# The narrowest page margins (tokens.css): text wholly inside them is page furniture.
MARGIN_TOP, MARGIN_BOTTOM, MARGIN_SIDE = 20 * MM, 22 * MM, 22 * MM
PAINTING = {"S", "s", "f", "F", "f*", "B", "B*", "b", "b*", "Tj", "TJ", "'", '"', "Do", "sh", "INLINE IMAGE"}


@pytest.fixture(scope="module")
def editions(english, russian_edition, tmp_path_factory) -> dict[str, Path]:
    """The English and Russian screen editions (built once for the session) and a handout."""
    output = tmp_path_factory.mktemp("accessible")
    handout = build(Edition(variant="handout", selection=("keyword", "children")), Project(output_dir=output)).path
    return {"en": english.path, "ru": russian_edition.path, "handout": handout}


@pytest.fixture(scope="module")
def documents(editions) -> dict[str, Document]:
    opened = {name: Document(str(path)) for name, path in editions.items()}
    yield opened
    for document in opened.values():
        document.close()


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_pdfua_checker_reports_no_error(editions, name):
    report = pdfua_validate(str(editions[name]))
    errors = [
        f"{f.rule_id} {f.location.describe()}: {f.message}" for f in report.findings if f.severity is Severity.ERROR
    ]
    assert not errors, "\n".join(errors)


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_outloud_checker_reports_no_error(editions, name):
    result = outloud_check(str(editions[name]))
    assert result.error is None
    errors = [f"{f.rule} p.{f.page}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not errors and result.errors == 0, "\n".join(errors)


@pytest.mark.parametrize("name", ["en", "ru"])
def test_page_furniture_is_an_artifact_and_nothing_else_is(documents, name):
    """Running heads, page numbers and side tabs sit in the margins: there every text is an
    artifact, and inside the type area none is (so no content is hidden from a reader)."""
    document = documents[name]
    tagged_furniture, hidden_content = [], []
    for index, page in enumerate(document.pages[1:], start=1):  # the cover has no margins
        for run in document.content(index).runs:
            if not run.text.strip():
                continue
            x0, y0, x1, y1 = run.bbox
            in_margin = (
                y0 >= page.height - MARGIN_TOP + 0.5
                or y1 <= MARGIN_BOTTOM - 0.5
                or x1 <= MARGIN_SIDE
                or x0 >= page.width - MARGIN_SIDE
            )
            if in_margin and not run.artifact:
                tagged_furniture.append(f"p.{index + 1}: {run.text!r}")
            if run.artifact and not in_margin:
                hidden_content.append(f"p.{index + 1}: {run.text!r}")
    assert not tagged_furniture, tagged_furniture[:10]
    assert not hidden_content, hidden_content[:10]


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_nothing_is_painted_outside_marked_content(editions, name):
    with pikepdf.open(editions[name]) as pdf:
        for number, page in enumerate(pdf.pages, start=1):
            depth = 0
            for instruction in pikepdf.parse_content_stream(page):
                op = str(instruction.operator)
                depth += {"BDC": 1, "BMC": 1, "EMC": -1}.get(op, 0)
                assert not (depth == 0 and op in PAINTING), f"page {number}: {op} outside marked content"


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_every_parent_tree_entry_is_in_the_tree(editions, name):
    with pikepdf.open(editions[name]) as pdf:
        tree = pdf.Root.StructTreeRoot
        reachable, pending = set(), [tree.K]
        while pending:
            node = pending.pop()
            if isinstance(node, pikepdf.Array):
                pending.extend(node)
            elif isinstance(node, pikepdf.Dictionary) and "/S" in node and node.objgen not in reachable:
                reachable.add(node.objgen)
                if "/K" in node:
                    pending.append(node.K)
        nums = tree.ParentTree.Nums
        entries = [nums[i + 1] for i in range(0, len(nums), 2)]
        elements = [e for entry in entries for e in (entry if isinstance(entry, pikepdf.Array) else [entry])]
        orphans = [e.objgen for e in elements if isinstance(e, pikepdf.Dictionary) and e.objgen not in reachable]
        assert not orphans


def _text(document: Document, element) -> str:
    parts = []
    for node in [element, *element.descendants()]:
        for ref in node.mcrefs:
            if ref.page is not None:
                parts.append(document.content(ref.page).mcid_text.get((ref.stream, ref.mcid), ""))
    return " ".join(" ".join(parts).split())


@pytest.mark.parametrize(("name", "word"), [("en", "Provision"), ("ru", "Положение"), ("handout", "Provision")])
def test_provision_headings_say_what_they_are(documents, name, word):
    document = documents[name]
    # the heading shows "Provision 01" (issue 17), the word small above the number
    numbered = [
        e for e in document.elements if e.is_heading and re.fullmatch(rf"(?:{word}\s*)?\d\d", _text(document, e))
    ]
    assert len(numbered) >= 10
    for heading in numbered:
        assert heading.alt == f"{word} {_text(document, heading)[-2:]}"


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_heading_levels_do_not_skip(documents, name):
    levels = [e.heading_level for e in documents[name].elements if e.heading_level]
    jumps = [(a, b) for a, b in zip(levels, levels[1:], strict=False) if b > a + 1]
    assert levels[0] == 1 and not jumps


def test_the_footnote_is_a_note(documents):
    notes = [_text(documents["en"], e) for e in documents["en"].elements if e.type == "Note"]
    assert notes and all(notes)


@pytest.mark.parametrize("name", ["en", "ru"])
def test_the_keyword_table_is_one_table_with_one_header_row(documents, name):
    """The decision headers are layout, not tables; the keyword table, over two pages, is one table
    whose header cells have a scope, and the header WeasyPrint repeats on its second page is not
    read again."""
    document = documents[name]
    tables = [e for e in document.elements if e.type == "Table"]
    assert len(tables) == 1
    headers = [e for e in tables[0].descendants() if e.type == "TH"]
    assert len(headers) == 2
    assert all(h.attr("Scope") == "Column" for h in headers)
    assert len({e.page for e in tables[0].descendants() if e.type == "TD"}) >= 2


def test_passages_in_english_carry_their_language_in_the_russian_edition(documents):
    document = documents["ru"]
    english = [_text(document, e) for e in document.elements if e.lang == "en"]
    assert sum("https://www.osce.org" in text.replace(" ", "") for text in english) >= 50
    assert document.lang == "ru"


@pytest.mark.parametrize("name", ["en", "ru"])
def test_links_are_one_annotation_each_with_readable_contents(documents, name, compendium):
    document = documents[name]
    links = [e for e in document.elements if e.type == "Link"]
    assert not [e for e in links if any(a.type == "Link" for a in _ancestors(e))], "a link inside a link"
    annotations = document.annotations
    owned = {objgen for link in links for objgen in link.objrs}
    assert all(a.objgen in owned for a in annotations if a.subtype == "Link")
    for annotation in annotations:
        assert annotation.contents and not re.fullmatch(r"[a-z]+(-[a-z0-9]+)+", annotation.contents)
    # The contents: one link per entry, however many lines the entry takes.
    entries = 4 + len(compendium.decisions)
    entries += sum(1 + len(s.parts) + sum(len(p.topics) for p in s.parts) for s in compendium.sections)
    contents_page = next(i for i, p in enumerate(document.pages) if i > 0 and _page_links(document, links, i))
    assert len(_page_links(document, links, contents_page)) == entries


def _ancestors(element):
    parent = element.parent
    while parent is not None:
        yield parent
        parent = parent.parent


def _page_links(document, links, index):
    return [link for link in links if link.page == index]


@pytest.mark.parametrize("name", ["en", "ru", "handout"])
def test_metadata_claims_pdfua_with_title_and_language(editions, name, compendium):
    with pikepdf.open(editions[name]) as pdf:
        meta = pdf.open_metadata()
        assert meta["pdfuaid:part"] == "1"
        assert meta["dc:title"]
        assert {str(pdf.Root.Lang)} == meta["dc:language"] == {"ru" if name == "ru" else "en"}
        assert pdf.Root.MarkInfo.Marked is True
        assert pdf.Root.ViewerPreferences.DisplayDocTitle is True
        assert str(pdf.docinfo["/Title"]) == meta["dc:title"]
