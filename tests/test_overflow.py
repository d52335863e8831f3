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


def with_long_words(root: Path, title: str, label: str) -> Project:
    """The fixture project with a citation title and a keyword label no line can hold."""
    for folder in ("layouts", "styles", "fonts", "locale"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copytree(FIXTURE_SOURCE, root / "source")
    publications = root / "source" / "publications.yaml"
    publications.write_text(publications.read_text("utf-8").replace("Survey Report 2016", title), "utf-8")
    keywords = root / "source" / "keywords.yaml"
    keywords.write_text(keywords.read_text("utf-8").replace("label: prevention", "label: " + label), "utf-8")
    return Project(root=root, output_dir=root / "output")


def line_of(project: Project, name: str, text: str) -> str:
    """ "source/keywords.yaml:5": the line of a source file that holds `text`."""
    lines = (project.source / name).read_text("utf-8").splitlines()
    return f"source/{name}:{next(n for n, line in enumerate(lines, 1) if text in line)}"


@pytest.fixture
def overflowing(tmp_path: Path) -> Project:
    """Words that run into the page's margin, not off the paper."""
    return with_long_words(tmp_path, LONG_TITLE[:110], "prevention" * 6)


def test_a_long_word_is_a_warning_naming_the_provision_and_page(overflowing: Project):
    report = build(Edition(), overflowing)
    overflow = [w for w in report.warnings if "past the edge of its column" in w]
    title = line_of(overflowing, "publications.yaml", LONG_TITLE[:110])
    label = line_of(overflowing, "keywords.yaml", "prevention" * 6)
    # each at the source line that writes the long word (attacker round 9, N11)
    assert [w.split(": text runs")[0] for w in overflow] == [
        f"{title}: page 4, a footnote",
        f"{label}: page 5, 'keyword-table'",  # the long keyword widens its column and pushes the other out
        f"{title}: page 6, provision 01",
        f"{title}: page 7, provision 02",
        f"{title}: page 11, 'directory'",
    ]
    assert "('SupercalifragilisticSupercalifragilis…')" in overflow[2]


def test_a_word_cut_off_at_the_papers_edge_fails_the_build_at_its_source_line(tmp_path: Path):
    """Text past the paper's edge is not printed: a failed build naming the long word's line, not
    content "hidden" by a layout the project does not have (attacker round 9, P13)."""
    project = with_long_words(tmp_path, LONG_TITLE, "prevention" * 12)
    with pytest.raises(BuildError) as raised:
        build(Edition(), project)
    title = line_of(project, "publications.yaml", LONG_TITLE)
    label = line_of(project, "keywords.yaml", "prevention" * 12)
    assert [m.split(": text runs")[0] for m in raised.value.messages] == [
        f"{title}: a footnote",
        f"{title}: provision 01",
        f"{label}: provision 02",
        f"{label}: 'directory'",
    ]
    assert all("cut off at the paper's edge" in m for m in raised.value.messages)


def test_a_long_word_fails_the_build_under_strict(overflowing: Project):
    with pytest.raises(BuildError) as raised:
        build(Edition(), overflowing, strict=True)
    # the same message as the warning of a plain build: the place, the page and the word
    assert any(
        re.match(
            r"source/publications.yaml:\d+: page 6, provision 01: text runs \d+ mm past the edge of its column "
            r"\('Supercalifragilistic",
            message,
        )
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
    document = laid_out(f'<p id="{paragraph.anchor}" style="width: 20mm">{LONG_TITLE[:40]}</p>')
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


def test_a_long_word_is_traced_to_the_line_that_writes_it(tmp_path: Path):
    """N11: the warnings named a page, not the source line of the long word: a keyword label, or a
    keep_together phrase of the project's typography too long for the column."""
    from compendium.source.written import where_written

    (tmp_path / "source").mkdir()
    (tmp_path / "typography").mkdir()
    label = "victims" + "x" * 60
    (tmp_path / "source" / "keywords.yaml").write_text(
        f"- id: training\n  label: training\n- id: victims\n  label: {label}\n", "utf-8"
    )
    phrase = "the United Nations Office on Drugs and Crime"
    (tmp_path / "typography" / "en.yaml").write_text(f"initials: true\nkeep_together: [{phrase}]\n", "utf-8")
    project = Project(root=tmp_path, output_dir=tmp_path / "output")
    assert where_written(f"On\u00a0{label}:", project) == "source/keywords.yaml:4"
    assert where_written(phrase.replace(" ", "\u00a0") + ",", project) == "typography/en.yaml:2"
