"""A third compendium, of a shape neither other fixture has: OSCE Permanent Council decisions
numbered as adopted (CBMs 12 to 16), a UN Security Council resolution and a Ministerial Council
decision, six sections with long titles, a partial German edition (the project's own interface
catalogue and translation, each covering part of the texts); every kind declared in the builder's
kinds/*.yaml."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from compendium.source.load import load
from tests.conftest import build_every_edition, print_cover, run_build
from tests.pdf import Pdf, flat

THIRD = Path(__file__).parent / "fixtures" / "third" / "source"
VARIANTS = {
    "screen": "ict-cbm-compendium-en.pdf",
    "print": "ict-cbm-compendium-en-print.pdf",
    "booklet": "ict-cbm-compendium-en-booklet.pdf",
    "handout": "ict-cbm-compendium-en-handout-section-II.pdf",
    "russian": "ict-cbm-compendium-ru.pdf",
    "german": "ict-cbm-compendium-de.pdf",  # partial: what is not translated prints in English, marked
}


@pytest.fixture(scope="module")
def third_output(tmp_path_factory) -> Path:
    return build_every_edition(tmp_path_factory.mktemp("third"), THIRD)


@pytest.fixture(scope="module")
def third(third_output) -> Pdf:
    return Pdf(third_output / VARIANTS["screen"])


def test_the_third_compendium_builds_in_every_variant(third_output):
    built = sorted(p.name for p in third_output.glob("*.pdf"))
    assert built == sorted([*VARIANTS.values(), print_cover(VARIANTS["print"])])
    for variant, name in VARIANTS.items():
        text = " ".join(Pdf(third_output / name).texts)
        assert "PC.DEC/1202" in text, variant


def test_paragraphs_keep_their_adopted_numbers_and_are_cited_in_their_own_wording(third):
    text = flat(" ".join(third.texts))
    for number in range(12, 17):
        assert f"(CBM {number} (PC Decision 1202))" in text
    for number in range(12, 16):  # in the annex, numbered as adopted (16 ends the page before its text)
        assert f"{number}. Participating States" in text
    assert "1. Participating States will, on a voluntary basis, share" not in text
    assert "(PC Decision 1106, para 3)" in text
    assert "(S/RES/2341 (2017), para 2)" in text
    assert "(MC Decision 5/16, para 1)" in text
    assert "PC Decision 1202, para 1)" not in text


def test_each_kind_prints_its_own_header(third):
    page = flat(third.texts[third.pages_with("DECISION No. 1202")[0]])
    for field in ("PC.DEC/1202", "10 March 2016", "Permanent Council", "1092nd Plenary Meeting", "PC Journal No. 1092"):
        assert field in page, field
    assert "Milan" not in page and "Hamburg" not in page
    resolution = flat(third.texts[third.pages_with("Resolution 2341 (2017)")[-1]])
    assert "Security Council" in resolution and "Distr.: General" in resolution


def copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    source = tmp_path / "source"
    shutil.copytree(THIRD, source)
    path = source / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))
    return source


def errors(source: Path) -> list[str]:
    compendium, problems = load(source)
    assert compendium is None
    return [str(p) for p in problems.errors]


def test_a_number_given_twice_is_a_located_error(tmp_path):
    source = copy_with(tmp_path, "decisions/pc-1202.yaml", "{number: 13,", "{number: 12,")
    found = errors(source)
    assert any("pc-1202.yaml:23:" in m and "paragraph 12 is numbered twice" in m for m in found), found


def test_a_kind_declared_by_the_project_annexes_its_documents(tmp_path):
    source = copy_with(tmp_path, "decisions/pc-1106.yaml", "kind: osce-pc-decision", "kind: osce-pc-decision-cbm")
    (source / "kinds.yaml").write_text(
        "- id: osce-pc-decision-cbm\n"
        "  based_on: osce-pc-decision\n"
        "  reference: {en: 'Measure {paragraph} of PC Decision {decision}',\n"
        "              ru: 'Мера {paragraph} Решения ПС {decision}'}\n"
    )
    compendium, problems = load(source)
    assert compendium is not None, [str(p) for p in problems.errors]
    decision = next(d for d in compendium.decisions if d.id == "1106")
    assert decision.kind.reference == "Measure %(paragraph)s of PC Decision %(decision)s"
    assert decision.kind.reference.in_language("ru") == "Мера %(paragraph)s Решения ПС %(decision)s"
    assert decision.kind.symbol == "PC.DEC/{id}"  # taken from the kind it is based on


def test_a_kind_file_with_a_fault_is_a_located_error(tmp_path):
    source = copy_with(tmp_path, "decisions/pc-1106.yaml", "kind: osce-pc-decision", "kind: office-note")
    (source / "kinds.yaml").write_text(
        "id: office-note\n"
        "name: Office note\n"
        "id_pattern: '\\d+'\n"
        "id_example: '1106'\n"
        "symbol: NOTE/{number}\n"
        "header: _header_generic.html\n"
        "anchor: note\n"
        "required: [symbol, organisation]\n"
        "reference: '{decision}, point {paragraph}'\n"
    )
    found = errors(source)
    assert any(m.startswith("source/kinds.yaml:5:") and "unknown placeholder '{number}'" in m for m in found), found
    assert any(
        m.startswith("source/kinds.yaml:8:") and "found 'organisation'" in m and "did you mean 'organization'" in m
        for m in found
    ), found
    assert any(m.startswith("source/kinds.yaml:1:") and "missing required key 'issuer'" in m for m in found), found


def test_titles_keep_their_own_capitals(third):
    contents = flat(" ".join(third.texts[:4]))
    assert "PC Decision No. 1106: Initial set of OSCE confidence-building measures" in contents
    assert "Decision No. 5/16: OSCE efforts related to" in contents
    assert "osce" not in flat(" ".join(third.texts))


def test_a_wording_the_builder_does_not_have_is_a_located_error_with_a_suggestion(tmp_path):
    source = copy_with(tmp_path, "compendium.yaml", "annex:", "wording:\n  Provisons: Measures\nannex:")
    found = errors(source)
    assert any(
        m.startswith("source/compendium.yaml:32:")
        and "'Provisons' is not an interface string" in m
        and "did you mean 'Provisions'" in m
        for m in found
    ), found


def test_a_compendium_words_the_keyword_table_its_own_way(tmp_path):
    source = copy_with(
        tmp_path, "compendium.yaml", "annex:", "wording:\n  Provisions: {en: Measures, ru: Меры}\nannex:"
    )
    compendium, problems = load(source)
    assert compendium is not None, [str(p) for p in problems.errors]
    from compendium.render.locale import Language

    english = Language("en", THIRD.parent.parent.parent.parent / "locale", "en", compendium.metadata.wording)
    russian = Language("ru", THIRD.parent.parent.parent.parent / "locale", "en", compendium.metadata.wording)
    assert english.gettext("Provisions") == "Measures"
    assert russian.gettext("Provisions") == "Меры"
    assert russian.gettext("Keywords") == "Ключевые слова"  # what it does not reword keeps the catalogue's


def test_a_report_in_the_six_un_languages_and_a_forthcoming_season(third):
    text = flat(" ".join(third.texts))
    assert "available in ARA, CHI, ENG, FRE, RUS and SPA" in text
    assert "Autumn 2025, forthcoming" in text


def test_a_cover_title_too_long_for_the_cover_fails_a_strict_build_naming_the_boxes(tmp_path):
    long_title = " ".join(["Sicherheitspolitische Vertrauensbildungsmaßnahmen der Teilnehmerstaaten"] * 6)
    source = copy_with(
        tmp_path,
        "compendium.yaml",
        "title: Compendium of OSCE confidence-building measures",
        f"title: {long_title} zu",
    )
    result = run_build("--source", str(source), "--output", str(tmp_path / "out"), "--lang", "en", "--strict")
    assert result.returncode == 1
    # an error at the title, not a warning about the boxes (attacker round 6, finding 5: lines lost)
    assert (
        "source/compendium.yaml:" in result.stderr
        and "the title and subtitle are too long for the cover" in result.stderr
    )
    assert not (tmp_path / "out" / VARIANTS["screen"]).exists()


def test_a_journal_article_gives_its_container_and_its_doi_as_a_link(third):
    text = flat(" ".join(third.texts))
    assert (
        "“Confidence-building in cyberspace”, Journal of Test Security Studies, vol. 12, no. 3, pp. 45–67, 2019, p. 50"
        in text
    )
    assert "https://doi.org/10.5555/jtss.2019.045" in [link.uri for link in third.links if link.uri]


# The partial German edition ---------------------------------------------------------------------


@pytest.fixture(scope="module")
def german(third_output) -> Pdf:
    return Pdf(third_output / VARIANTS["german"])


def test_the_partial_german_edition_prints_what_is_translated_in_german_and_the_rest_marked(german):
    text = flat(" ".join(german.texts))
    # translated: the cover, a long section title with its capitals and ß-free upper case, the keyword table
    assert "Kompendium der vertrauensbildenden Maßnahmen der OSZE" in text
    assert "TRANSPARENZMASSNAHMEN UND DER FREIWILLIGE AUSTAUSCH" in text and "Stichworttabelle" in text
    assert "Die Teilnehmerstaaten werden die OSZE auf freiwilliger Basis als Plattform" in text
    # not translated: in English, marked, and the imprint counts them
    assert re.search(
        r"CAPACITY-BUILDING, TRAINING AND AWARENESS-RAISING FOR NATIONAL AUTHORITIES AND CIVIL SOCIETY ?EN", text
    )
    assert re.search(
        r"Participating States are encouraged, on a voluntary basis, to encourage responsible reporting "
        r"of vulnerabilities\. ?EN",
        text,
    )
    assert re.search(
        r"\d+ Texte dieser Ausgabe sind noch nicht übersetzt: Sie sind auf Englisch gedruckt und mit EN gekennzeichnet "
        r"\(an \d+ Stellen der Ausgabe\)",
        text,
    )
    assert "TRANSPARENCY MEASURES AND THE VOLUNTARY EXCHANGE" not in text


def test_each_edition_cites_the_version_in_its_language_where_the_catalogue_lists_one(third, german):
    english, deutsch = flat(" ".join(third.texts)), flat(" ".join(german.texts))
    assert "A guide to the OSCE confidence-building measures on ICT security" in english
    assert "Leitfaden zu den vertrauensbildenden Maßnahmen der OSZE im Bereich der IKT-Sicherheit" in deutsch
    assert "A guide to the OSCE confidence-building measures on ICT security" not in deutsch
    # available in German only: both editions cite its German title
    for text in (english, deutsch):
        assert "Bundesamt für Test-Sicherheit, Die Lage der IT-Sicherheit in kritischen Infrastrukturen" in text


def test_a_publication_in_another_language_than_the_source_is_marked_as_written_in_it():
    from compendium.edition import Edition
    from compendium.pipeline import Project
    from compendium.render.html import render_html
    from compendium.render.locale import Language

    compendium, problems = load(THIRD)
    assert compendium is not None, [str(p) for p in problems.errors]
    project = Project.from_source(THIRD)
    html = render_html(compendium, Edition("en").layout, project, Language("en", project.locale("en"), "en"))
    citations = re.findall(r'<p class="citation".*?</p>', html, flags=re.S)
    german_only = [c for c in citations if "Lage der IT" in c]  # in the panel and the directory
    assert german_only and all(c.startswith('<p class="citation" lang="de">') for c in german_only)  # read as German
    guide = [c for c in citations if "A guide to the OSCE" in c]
    assert guide and all(c.startswith('<p class="citation">') for c in guide)


def test_a_partial_edition_still_fails_strict_on_a_stale_translation(tmp_path):
    from compendium.edition import Edition
    from compendium.pipeline import BuildError, Project, build

    project_folder = tmp_path / "third"
    shutil.copytree(THIRD.parent, project_folder)
    project = Project.from_source(project_folder / "source", tmp_path / "out")
    with pytest.raises(BuildError) as incomplete:
        build(Edition("de", slug="ict-cbm-compendium"), project, strict=True)  # not declared partial
    assert incomplete.value.messages[0] == "--strict: the translation is incomplete or stale"
    keywords = project_folder / "source" / "keywords.yaml"
    keywords.write_text(keywords.read_text().replace("label: transparency", "label: openness"))
    with pytest.raises(BuildError) as stale:
        build(Edition("de", partial=True, slug="ict-cbm-compendium"), project, strict=True)
    assert stale.value.messages[0] == "--strict: the translation is incomplete or stale"
    assert any("stale" in line and "keyword.transparency.label" in line for line in stale.value.messages)


def test_check_strict_passes_a_partial_edition_and_notes_each_untranslated_text():
    result = run_build("check", "--strict", "--source", str(THIRD))
    assert result.returncode == 0, result.stderr
    assert (
        "note: translation 'section.capacity.title': not translated into 'de': printed in English, marked"
        in result.stderr
    )
    assert "warning:" not in result.stderr


def test_a_security_council_resolution_says_its_meeting_after_its_number_as_issued():
    from compendium.edition import Edition
    from compendium.pipeline import Project
    from compendium.render.html import render_html
    from compendium.render.locale import Language

    compendium, problems = load(THIRD)
    assert compendium is not None, [str(p) for p in problems.errors]
    project = Project.from_source(THIRD)
    html = render_html(compendium, Edition("en").layout, project, Language("en", project.locale("en"), "en"))
    articles = {
        a.split('id="', 1)[1].split('"', 1)[0]: a for a in re.findall(r"<article.*?</article>", html, flags=re.S)
    }
    resolution = next(a for anchor, a in articles.items() if anchor.startswith("sc-res"))
    assert resolution.index('class="decision-number"') < resolution.index("Adopted by the Security Council at its")
    decision = next(a for anchor, a in articles.items() if anchor.startswith("pc-dec") and "1092nd Plenary" in a)
    assert decision.index("1092nd Plenary Meeting") < decision.index('class="decision-number"')  # the OSCE's order
