"""Layout problems are reported: a word, address or label too long for its column is a warning naming where it is."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compendium.edition import Edition
from compendium.pipeline import BuildError, Project, build
from tests.conftest import PROJECT
from tests.pdf import Pdf

FIXTURE_SOURCE = Path(__file__).parent / "fixtures" / "valid" / "source"
LONG_TITLE = "Supercalifragilistic" * 8


@pytest.fixture
def overflowing(tmp_path: Path) -> Project:
    """The fixture project with a citation title and a keyword label no line can hold."""
    for folder in ("layouts", "styles", "fonts", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    shutil.copytree(FIXTURE_SOURCE, tmp_path / "source")
    publications = tmp_path / "source" / "publications.yaml"
    publications.write_text(publications.read_text("utf-8").replace("Survey Report 2016", LONG_TITLE), "utf-8")
    keywords = tmp_path / "source" / "keywords.yaml"
    keywords.write_text(
        keywords.read_text("utf-8").replace("label: prevention", "label: " + "prevention" * 12), "utf-8"
    )
    return Project(root=tmp_path, output_dir=tmp_path / "output")


def test_a_long_word_is_a_warning_naming_the_provision_and_page(overflowing: Project):
    report = build(Edition(), overflowing)
    overflow = [w for w in report.warnings if "past the edge of its column" in w]
    assert [w.split(": text runs")[0] for w in overflow] == [
        "page 4, a footnote",
        "page 5, 'keyword-table'",  # the long keyword widens its column and pushes the other out
        "page 6, provision 01",
        "page 7, provision 02",
        "page 11, 'directory'",
    ]
    assert "('SupercalifragilisticSupercalifragilis…')" in overflow[2]


def test_a_long_word_fails_the_build_under_strict(overflowing: Project):
    with pytest.raises(BuildError) as raised:
        build(Edition(), overflowing, strict=True)
    # the same message as the warning of a plain build: the place, the page and the word
    assert any(
        re.match(r"page 6, provision 01: text runs \d+ mm past the edge of its column \('Supercalifragilistic", message)
        for message in raised.value.messages
    ), raised.value.messages
    assert not (overflowing.output / "compendium-en.pdf").exists()


def test_the_shipped_edition_has_no_overflow(built):
    report, _ = built  # built without --strict, so that the overflow is reported here, not as a failed build
    assert [w for w in report.warnings if "past the edge" in w] == []


def test_a_place_is_named_through_its_documents_kind():
    """A resolution's paragraph is named as the kind calls its documents, not as a raw id."""
    from compendium.derive import place_names
    from compendium.pdf.overflow import overflow_warnings
    from compendium.source.load import load
    from tests.test_engine import laid_out

    compendium, _ = load(Path(__file__).parent / "fixtures" / "second" / "source")
    names = place_names(compendium)
    paragraph = next(p for d in compendium.decisions if d.kind.document == "resolution" for p in d.paragraphs)
    document = laid_out(f'<p id="{paragraph.anchor}" style="width: 20mm">{LONG_TITLE}</p>')
    warnings = overflow_warnings(document, names)
    assert [w.split(": text runs")[0] for w in warnings] == [f"page 1, resolution {paragraph.decision}, paragraph 1"]
    assert names[compendium.provisions[0].anchor] == "provision 01"


def fixture_with_section(tmp_path: Path, section: str) -> Project:
    """The fixture project with its first section given as `section` (YAML lines under `- id: prevention`)."""
    shutil.copytree(FIXTURE_SOURCE, tmp_path / "source")
    source = tmp_path / "source" / "compendium.yaml"
    source.write_text(source.read_text("utf-8").replace("    title: PREVENTION\n", section, 1), "utf-8")
    return Project(root=tmp_path, output_dir=tmp_path / "output")


LONG_SECTION = "    title: INVESTIGATION, LAW ENFORCEMENT AND PROSECUTION OF EVERY OFFENCE\n"


def test_a_side_tab_that_cuts_a_section_title_is_a_warning_naming_the_field_to_give(tmp_path: Path):
    report = build(Edition(variant="booklet"), fixture_with_section(tmp_path, LONG_SECTION))
    cut = [w for w in report.warnings if "side tab" in w]
    assert cut == [
        "page 9, a side tab: the section title is cut short ('INVESTIGATION, LAW ENFORCEMENT AND PR…'); "
        "give the section a short_title that fits the tab (source/README.md, compendium.yaml)"
    ]


def test_a_short_title_is_what_the_booklet_tab_prints_and_the_a4_tab_keeps_the_title(tmp_path: Path):
    project = fixture_with_section(tmp_path, LONG_SECTION + "    short_title: SHORTER LINE\n")
    booklet = build(Edition(variant="booklet"), project)
    assert not [w for w in booklet.warnings if "side tab" in w], booklet.warnings
    screen = build(Edition(), project)
    assert any("SHORTER LINE" in text for text in Pdf(booklet.path).flat_texts)
    assert not any("SHORTER" in text for text in Pdf(screen.path).flat_texts)
