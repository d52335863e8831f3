"""Language editions: fallback and coverage, stale translations, and the Russian edition read back."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po

from compendium.edition import Edition
from compendium.pipeline import BuildError, Project, build
from compendium.source.load import load
from compendium.source.problems import Problems
from compendium.source.texts import translatable
from compendium.source.translations import localize, read_translations
from tests.conftest import PROJECT
from tests.pdf import Pdf, flat

FIXTURES = Path(__file__).parent / "fixtures" / "i18n"


@pytest.fixture
def german(tmp_path: Path) -> Project:
    """The project with a partial German edition: no interface strings translated, three texts."""
    for folder in ("source", "layouts", "styles", "fonts", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    (tmp_path / "translations").mkdir()
    shutil.copy(FIXTURES / "de.yaml", tmp_path / "translations" / "de.yaml")
    with (PROJECT / "locale" / "messages.pot").open("rb") as stream:
        template = read_po(stream)
    catalog = Catalog(locale="de")
    catalog.update(template)
    po = tmp_path / "locale" / "de" / "LC_MESSAGES" / "messages.po"
    po.parent.mkdir(parents=True)
    with po.open("wb") as stream:
        write_po(stream, catalog)
    return Project(root=tmp_path)


def test_partial_translation_falls_back_visibly_and_reports_exactly_the_missing_ids(german: Project, compendium):
    report = build(Edition("de"), german)
    coverage = report.coverage
    every = {text.key for text in translatable(compendium)}
    translated = {"keyword.children.label", "keyword.prevention.label", "keyword.supply-chains.label"}
    assert set(coverage.fallbacks) == every - translated
    assert coverage.translated["source/keywords.yaml"] == 3
    assert coverage.total["source/keywords.yaml"] == len(compendium.keywords)
    assert coverage.lines()[0] == f"coverage de: 3/{len(every)} texts translated"
    assert f"  source/keywords.yaml: 3/{len(compendium.keywords)}" in coverage.lines()
    pdf = Pdf(report.path)
    text = " ".join(pdf.flat_texts)
    assert "On Kinder:" in text and "On Prävention:" in text
    assert "On children" not in text
    # untranslated texts are printed in English with their mark, and the imprint says so
    assert "Section I. INVESTIGATION, LAW ENFORCEMENT AND PROSECUTION" in [t for _, t, _ in pdf.outline()]
    # the imprint counts the marks the pages show: content and interface strings printed in English
    from compendium.pipeline import Report, prepare
    from compendium.render.html import marks, render_html

    def count_marks(html: str) -> int:  # the marked spans a reader sees in the body
        return html[max(html.find("<body"), 0) :].count('class="fallback"')

    localized, language = prepare(Edition("de"), german, False, Report())
    html = render_html(localized, Edition("de").layout, german, language, len(coverage.fallbacks))
    assert count_marks(html) > len(every) - 3
    counted = marks(html)  # texts (each once) and the places they are printed at
    assert counted.missing_places == count_marks(html) > counted.missing and not counted.stale
    assert f"{counted.missing} texts of this edition are not yet translated" in text
    assert f"({count_marks(html)} places in the edition)" in re.sub(r"<[^>]*>", "", html)
    # each fallback carries its mark: the introduction's title, a keyword, a decision's title
    assert re.search(r"\bIntroduction EN\b", text)
    assert re.search(r"On border EN ?:", text)
    assert re.search(r"STRENGTHENING EFFORTS TO PREVENT TRAFFICKING IN HUMAN BEINGS EN\b", text)


def test_partial_translation_fails_under_strict(german: Project):
    with pytest.raises(BuildError) as failure:
        build(Edition("de"), german, strict=True)
    assert failure.value.messages[0] == "--strict: the translation is incomplete or stale"
    assert "    missing: metadata.title" in failure.value.messages


def test_changed_english_makes_its_translation_stale(tmp_path: Path):
    source = tmp_path / "source"
    shutil.copytree(PROJECT / "source", source)
    decision = source / "decisions" / "mc-dec-6-17.yaml"
    decision.write_text(
        decision.read_text().replace(
            "Develop targeted prevention policies", "Develop well-targeted prevention policies"
        )
    )
    compendium, problems = load(source)
    assert not problems.errors
    entries = read_translations(PROJECT / "translations" / "ru.yaml", PROJECT, Problems())
    _, coverage = localize(compendium, "ru", entries, "EN")
    assert [text.key for text in coverage.stale] == ["decision.6/17.paragraph.1"]
    assert (
        "  stale (the English changed since it was translated; printed in English until accepted): "
        "decision.6/17.paragraph.1" in coverage.lines()
    )


@pytest.fixture(scope="module")
def russian(russian_edition):
    return russian_edition, russian_edition.pdf


def test_russian_edition_is_complete_and_clean(russian):
    built, pdf = russian
    assert built.warnings == []
    # --strict fails on any fallback or stale text: the build passing says the translation is
    # complete; its coverage report says so once, with every file at its total
    report = [line for line in built.run.stdout.splitlines() if line.startswith("  source/")]
    assert report and all(line.split(": ")[1].split("/")[0] == line.split("/")[-1] for line in report)
    assert built.run.stdout.count("coverage ru:") == 1
    assert pdf.reader.trailer["/Root"]["/Lang"] == "ru"


def test_russian_outline_tabs_and_tables_are_in_russian(russian, compendium):
    from compendium.render.locale import Language

    report, pdf = russian
    ru = Language("ru", PROJECT / "locale").gettext
    entries = read_translations(PROJECT / "translations" / "ru.yaml", PROJECT, Problems())
    localized, _ = localize(compendium, "ru", entries, "EN")
    top = [title for level, title, _ in pdf.outline() if level == 1]
    sections = [f"{ru('Section')} {s.numeral}. {s.title}" for s in localized.sections]
    assert top == [
        localized.introduction.title,
        ru("Keyword table"),
        *sections,
        f"{ru('Annex 1')}. {ru('Texts of the Decisions')}",
        f"{ru('Annex 2')}. {ru('Keyword-Literature Directory')}",
    ]
    assert all(not re.search(r"[A-Za-z]", re.sub(r"\b[IVX]+\b", "", title)) for title in top), top
    for section in localized.sections:
        quoted = section.provisions[0].paragraph.text[1:60]  # the page quotes it with a capital
        first = next(i for i in pdf.pages_with(quoted) if ru("Resources by keyword") in pdf.flat_texts[i])
        tab = flat(pdf.texts[first]).upper()
        assert f"{ru('Section')} {section.numeral}".upper() in tab
        assert all(
            word in tab for word in ru("MC Decision provision").upper().split()
        )  # rotated lines come in any order
    text = " ".join(pdf.flat_texts)
    assert ru("Keyword-Literature Directory") in text
    assert "Resources by keyword" not in text and "Keyword table" not in text


def test_russian_keyword_table_follows_russian_collation(russian, compendium):
    from compendium.render.locale import Language

    report, pdf = russian
    entries = read_translations(PROJECT / "translations" / "ru.yaml", PROJECT, Problems())
    labels = [entries[f"keyword.{k.id}.label"].text for k in compendium.keywords]
    pages = pdf.pages_with("Ключевые слова Положения")
    table = flat(" ".join(pdf.texts[p] for p in pages))
    # a label is followed by the first provision number of its row
    position = {label: re.search(re.escape(label) + r" \d\d ", table).start() for label in labels}
    printed = sorted(labels, key=position.get)
    expected = sorted(labels, key=Language("ru", PROJECT / "locale").sort_key)
    # Since the editor lower-cased «национальный механизм перенаправления», code-point order
    # happens to agree with the collation for these labels; test_i18n shows where they part.
    assert printed == expected
