"""An edition laid out in parts (build --parts, issue 22) is the edition laid out whole: the same
text on every page, links, named destinations, outline, page labels and tags, and it passes the
same PDF/UA checks."""

from __future__ import annotations

from pathlib import Path

import pikepdf
import pytest
from outloud import check as outloud_check
from pdfua import Severity
from pdfua import validate as pdfua_validate

from compendium.pdf.parts import split
from tests.audit import Audit, Node
from tests.conftest import Built, run_build
from tests.pdf import Pdf


@pytest.fixture(scope="module")
def in_parts(tmp_path_factory) -> Built:
    """The English screen edition built with --parts, two parts at a time."""
    output = tmp_path_factory.mktemp("parts")
    result = run_build("build", "--lang", "en", "--parts", "--jobs", "1", "--output", str(output))
    assert result.returncode == 0, result.stderr
    return Built(output, result, Pdf(output / "compendium-en.pdf"))


@pytest.fixture(scope="module")
def every_part(tmp_path_factory) -> Pdf:
    """The English screen edition built in this process with each part in a process of its own
    (seven: as many processes at once as parts, every boundary between parts crossed)."""
    from compendium import pipeline
    from compendium.edition import Edition

    output = tmp_path_factory.mktemp("every-part")
    pipeline.PARTS = 8
    try:
        report = pipeline.build(Edition(), pipeline.Project(output_dir=output))
    finally:
        pipeline.PARTS = 0
    assert report.parts[0] == 7, report.parts
    return Pdf(report.path)


@pytest.fixture(scope="module", params=["two at a time", "each alone"])
def both(request, english, in_parts) -> tuple[Pdf, Pdf]:
    if request.param == "each alone":
        return english.pdf, request.getfixturevalue("every_part")
    return english.pdf, in_parts.pdf


def test_the_edition_is_split_where_its_parts_start_a_page():
    html = (
        '<html><head><style>p {}</style></head><body class="b">\n<section class="cover">C</section>'
        '<section class="contents"><p>c</p></section>\n'
        '<section class="section section-1"><article class="opens-section"><div class="side-tab side-tab-1" '
        'aria-hidden="true"><p>tab</p></div>one</article></section>'
        '<section class="section section-2"><article class="opens-section">two</article></section>'
        '<section class="annex directory">d<br>e</section>\n</body></html>'
    )
    assert split(html, 1) == [html]
    assert len(split(html, 2)) == 2
    parts = split(html)
    assert len(parts) == 4
    assert all(p.startswith('<html><head><style>p {}</style></head><body class="b">') for p in parts)
    assert all(p.endswith("</body></html>") for p in parts)
    assert "cover" in parts[0] and "contents" in parts[0] and "section-1" not in parts[0]
    # the side tab the first section holds is placed in the second's opening page as well
    assert '<article class="opens-section"><div class="side-tab side-tab-1"' in parts[2]
    assert parts[3].count("<section") == 1 and "directory" in parts[3]


def test_the_build_says_it_joined_parts(in_parts):
    assert "joining" in in_parts.run.stdout


def test_the_same_text_on_every_page(both):
    whole, parts = both
    assert len(parts) == len(whole)
    differing = [i + 1 for i in range(len(whole)) if whole.texts[i] != parts.texts[i]]
    assert not differing, f"pages {differing} differ"


def test_the_same_links_and_named_destinations(both):
    whole, parts = both

    def links(pdf: Pdf) -> list:
        return [(link.page, link.uri, link.target, tuple(round(v, 1) for v in link.rect)) for link in pdf.links]

    assert links(parts) == links(whole)
    assert any(link.target is not None and link.target != link.page for link in parts.links)
    assert parts.named == whole.named


def test_the_same_outline_and_page_labels(both):
    whole, parts = both
    assert parts.outline() == whole.outline()
    assert len(whole.outline()) > 10
    assert list(parts.reader.page_labels) == list(whole.reader.page_labels)


def _tags(audit: Audit) -> list:
    def kid(k):
        return k.type if isinstance(k, Node) else k

    return [(e.type, e.page, [kid(k) for k in e.kids], audit.read(e)) for e in audit.elements]


def test_the_same_tags_and_marked_content(both):
    whole, parts = both
    a, b = Audit(whole.path), Audit(parts.path)
    try:
        assert _tags(b) == _tags(a)
        for index in range(len(whole)):
            assert b.document.content(index).mcid_text == a.document.content(index).mcid_text, f"page {index + 1}"
    finally:
        a.close()
        b.close()


def test_one_structure_tree_and_a_parent_tree_numbered_by_page(both):
    _, parts = both
    with pikepdf.open(parts.path) as pdf:
        tree = pdf.Root.StructTreeRoot
        assert len(tree.K) == 1 if isinstance(tree.K, pikepdf.Array) else True
        assert all(int(page.obj.StructParents) == i for i, page in enumerate(pdf.pages) if "/StructParents" in page.obj)


def test_the_parts_pass_the_pdfua_checkers(in_parts):
    path = str(in_parts.path)
    report = pdfua_validate(path)
    errors = [
        f"{f.rule_id} {f.location.describe()}: {f.message}" for f in report.findings if f.severity is Severity.ERROR
    ]
    assert not errors, "\n".join(errors)
    result = outloud_check(path)
    assert result.error is None
    found = [f"{f.rule} p.{f.page}: {f.message}" for f in result.findings if f.severity == "error"]
    assert not found and result.errors == 0, "\n".join(found)


def test_the_parts_leave_no_file_behind(in_parts):
    assert sorted(p.name for p in Path(in_parts.output).iterdir() if p.suffix == ".pdf") == ["compendium-en.pdf"]


def test_the_same_pages_drawn(both):
    """Every page drawn at a low resolution: no grey level more than a little apart."""
    from PIL import ImageChops

    whole, parts = both
    differing = []
    for index in range(len(whole)):
        a, b = whole.render(index, 0.5).convert("L"), parts.render(index, 0.5).convert("L")
        if ImageChops.difference(a, b).point(lambda v: 255 if v > 40 else 0).getbbox() is not None:
            differing.append(index + 1)
    assert not differing, f"pages {differing} are drawn differently"
