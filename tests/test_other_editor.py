"""The compendium an editor at another organisation wrote without reading the code (tests/fixtures/other:
Council of Europe recommendations, a Security Council resolution and a kind of the editor's own),
and what the builder got wrong for it (issue 19's review, /work/review/other-editor.md)."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
import yaml

from compendium.edition import Edition
from compendium.model import Compendium
from compendium.pipeline import Project
from compendium.render.handout import select
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.catalogue import read_publications
from compendium.source.load import load
from compendium.source.problems import Problems
from compendium.source.yamlsource import read
from tests.conftest import PROJECT, run_build
from tests.pdf import Pdf

OTHER = Path(__file__).parent / "fixtures" / "other" / "source"
LIBRARY_OTHER = Path(__file__).parent / "fixtures" / "csl" / "other-editor.json"  # the editor's own export


def loaded(source: Path = OTHER) -> Compendium:
    compendium, problems = load(source)
    assert compendium is not None, [str(p) for p in problems.errors]
    return compendium


def copy_with(tmp_path: Path, name: str, old: str, new: str) -> Path:
    shutil.copytree(OTHER.parent, tmp_path, dirs_exist_ok=True)  # the source with the project's images/
    source = tmp_path / "source"
    path = source / name
    text = path.read_text()
    assert old in text, old
    path.write_text(text.replace(old, new, 1))
    return source


def errors(source: Path) -> list[str]:
    compendium, problems = load(source)
    assert compendium is None
    return [str(p) for p in problems.errors]


def handout_html(compendium: Compendium, selection: tuple[str, str], lang: str = "en") -> str:
    edition = Edition(lang, "handout", selection=selection)
    project = Project.from_source(OTHER, None)
    language = Language(lang, project.locale(lang), "en", compendium.metadata.wording)
    return render_html(select(compendium, selection), edition, project, language)


def scope(html: str) -> str:
    found = re.search(r'<p class="handout-scope">(.*?)</p>', html, flags=re.S)
    assert found, "no handout scope on the cover"
    return " ".join(found.group(1).split())


# 1. The handout cover speaks of the annexed documents as their kind names them ------------------


def test_the_handout_cover_names_the_paragraphs_by_the_kind_of_their_documents():
    compendium = loaded()
    assert scope(handout_html(compendium, ("keyword", "corporate-liability"))) == (
        "2 provisions, with their resources by keyword. The recommendation paragraphs presented are in Annex 1."
    )
    assert scope(handout_html(compendium, ("keyword", "armed-conflict"))).endswith(
        "The resolution paragraphs presented are in Annex 1."
    )
    mixed = scope(handout_html(compendium, ("keyword", "supply-chains")))
    assert mixed == "3 provisions, with their resources by keyword. The document paragraphs presented are in Annex 1."
    assert "decision" not in mixed


def test_a_handouts_imprint_says_its_annex_holds_extracts():
    """The imprint's own paragraphs speak of the whole texts; a handout's annex holds only the
    parts its provisions quote, and says so (Russian editor, round 4, finding 3)."""
    compendium = loaded()
    said = "Annex 1 gives extracts of "
    assert said in handout_html(compendium, ("keyword", "corporate-liability"))
    project = Project.from_source(OTHER, None)
    language = Language("en", project.locale("en"), "en", compendium.metadata.wording)
    assert said not in render_html(compendium, Edition("en", "screen"), project, language)


def test_the_handout_cover_s_wording_can_be_the_compendium_s_own(tmp_path):
    source = copy_with(
        tmp_path,
        "compendium.yaml",
        "annex:",
        'wording:\n  "The document paragraphs presented are in Annex 1.": "Annex 1 gives the standards."\nannex:',
    )
    assert scope(handout_html(loaded(source), ("keyword", "supply-chains"))).endswith("Annex 1 gives the standards.")


def test_a_wording_of_plural_forms_is_an_error_that_says_so(tmp_path):
    source = copy_with(
        tmp_path,
        "compendium.yaml",
        "annex:",
        'wording:\n  "{num} provisions, with their resources by keyword.": "{num} standards"\nannex:',
    )
    (found,) = errors(source)
    assert found.startswith("source/compendium.yaml:47: wording: '{num} provisions, with their resources by keyword.'")
    assert "a message with plural forms, which `wording:` cannot reword" in found
    assert "python build.py wording" in found


def test_an_unknown_wording_says_how_to_list_the_strings_and_suggests_the_closest(tmp_path):
    source = copy_with(
        tmp_path, "compendium.yaml", "annex:", 'wording:\n  "Texts of the annexed document": "Texts"\nannex:'
    )
    (found,) = errors(source)
    assert "did you mean 'Texts of the annexed documents'?" in found
    assert "`python build.py wording` lists them all" in found
    listed = run_build("wording")
    assert listed.returncode == 0, listed.stderr
    lines = listed.stdout.splitlines()
    expected = ("Provisions", "Texts of the annexed documents", "The decision paragraphs presented are in Annex 1.")
    for accepted in expected:
        assert accepted in lines
    assert "MC Decision {decision}, para {paragraph}" in lines  # written as in compendium.yaml
    assert not any("%(" in line for line in lines)


def test_the_builder_s_catalogue_holds_the_kinds_wordings():
    from babel.messages.pofile import read_po

    with (PROJECT / "locale" / "messages.pot").open("rb") as stream:
        ids = {m.id for m in read_po(stream)}
    assert "The decision paragraphs presented are in Annex 1." in ids
    assert "MC Decision provision" in ids


# 2. A compendium's own brand: cover colour, section palette and logo, from its source ---------------


@pytest.fixture(scope="module")
def screen(tmp_path_factory) -> Pdf:
    output = tmp_path_factory.mktemp("other-screen")
    result = run_build(
        "--source", str(OTHER), "--output", str(output), "--lang", "en", "--variant", "screen", "--strict"
    )
    assert result.returncode == 0, result.stderr
    return Pdf(output / "greta-labour-compendium-en.pdf")


def hex_at(image, x_mm: float, y_mm: float, scale: float) -> str:
    pixel = image.getpixel((round(x_mm / 25.4 * 72 * scale), round(y_mm / 25.4 * 72 * scale)))
    return "#" + "".join(f"{c:02x}" for c in pixel)


def test_the_cover_takes_the_compendium_s_brand_colour_palette_and_logo(screen):
    scale = 3.0
    cover = screen.render(0, scale)
    assert hex_at(cover, 100, 60, scale) == "#003399"  # the cover's ground: brand.colour
    stripes = [hex_at(cover, x, 3, scale) for x in (26, 79, 131, 184)]  # the band's four stripes
    assert stripes == ["#7a1f5c", "#00677f", "#b35900", "#445566"]
    # the logo (images/greta-mark.svg, 14 mm high at 12 mm from the top): its white bar and a yellow dot
    assert hex_at(cover, 50, 19, scale) == "#ffffff"
    assert hex_at(cover, 29, 14.1, scale) == "#ffcc00"
    heading = screen.pages_with("Resources by keyword")[0]  # a provision page of section I
    page = screen.render(heading, scale)
    assert "#7a1f5c" in {hex_at(page, x, y, scale) for x in (1, 209) for y in (40, 80, 120)}  # its band


def test_the_print_variant_sets_the_brand_colour_in_the_inks():
    compendium = loaded()
    from compendium.render.sectionstyle import section_stylesheet

    project = Project.from_source(OTHER, None)
    screen_css = section_stylesheet(compendium, Edition("en", "screen"), project)
    print_css = section_stylesheet(compendium, Edition("en", "print"), project)
    assert "--brand: #003399;" in screen_css
    assert "--section-2-tint: #e0eff2;" in screen_css and "--section-1: #7a1f5c;" in screen_css
    assert re.search(r"--brand: device-cmyk\([\d.]+ [\d.]+ 0 [\d.]+\);", print_css), print_css[:400]


@pytest.mark.parametrize(
    ("brand", "line", "expected"),
    [
        ("  colour: #003399", 21, "brand: key 'colour': expected a colour written in quotes, such as \"#1f5f99\""),
        (
            '  colour: "#03f"',
            21,
            "brand: key 'colour': expected a colour written #rrggbb, such as \"#1f5f99\", found '#03f'",
        ),
        ('  palette: ["#7a1f5c", blue]', 21, "brand: palette item 2: expected a colour written #rrggbb"),
        (
            '  palette: [{colour: "#7a1f5c", tint: "#e0eff"}]',
            21,
            "brand: palette item 1, key 'tint': expected a colour",
        ),
        ("  logo: coe.svg", 21, "brand: key 'logo': images/coe.svg is missing (put the logo in the project's images/"),
        ("  logo: coe.gif", 21, "brand: key 'logo': expected an image (.svg, .png, .jpg, .jpeg)"),
        ('  colours: "#003399"', 21, "brand: unknown key 'colours' (did you mean 'colour'?)"),
    ],
)
def test_a_brand_that_is_no_colour_or_file_is_a_located_error(tmp_path, brand, line, expected):
    source = copy_with(tmp_path, "compendium.yaml", '  colour: "#003399"', brand)
    found = errors(source)
    assert any(m.startswith(f"source/compendium.yaml:{line}: {expected}") for m in found), found


def test_the_builder_s_own_colours_are_not_the_osce_s(tmp_path):
    from compendium.render.sectionstyle import tokens

    declared = tokens((PROJECT / "styles" / "tokens.css").read_text())
    assert declared["brand"] != "#0b4f8a"
    osce = loaded(PROJECT / "source")
    assert osce.metadata.brand.colour == "#0b4f8a"  # the OSCE compendium says it in its own data
    assert osce.metadata.brand.palette[0] == ("#1f5f99", "#e3ecf5")


# 3. An article's title in quotation marks and its journal in italic; editors as editors ----------


def citation_of(html: str, title: str) -> str:
    found = [c for c in re.findall(r'<p class="citation".*?</p>', html, flags=re.S) if title in c]
    assert found, title
    return " ".join(found[0].split())


def screen_html(compendium: Compendium, lang: str = "en") -> str:
    project = Project.from_source(OTHER, None)
    language = Language(lang, project.locale(lang), "en", compendium.metadata.wording)
    return render_html(compendium, Edition(lang).layout, project, language)


def test_an_article_s_title_is_quoted_and_its_journal_italic_a_book_s_title_italic():
    html = screen_html(loaded())
    article = citation_of(html, "Trafficking: A Development Approach")
    assert (
        '<span class="article-title">“Trafficking: A Development Approach”,</span> '
        '<cite class="container">Current Legal Problems,</cite> '
        '<span lang="en">vol. 72,</span> <span lang="en">no. 1,</span> <span lang="en">pp. 375–416,</span> 2019'
    ) in article
    book = citation_of(html, "The International Law of Human Trafficking")
    assert "Anne T. Gallagher, <cite>The International Law of Human Trafficking,</cite> Cambridge: Cambridge" in book
    report = citation_of(html, "Global Report on Trafficking in Persons 2024")
    assert "<cite>Global Report on Trafficking in Persons 2024,</cite>" in report


def test_the_quotation_marks_and_the_editors_mark_are_the_edition_s_language_s():
    compendium = loaded()
    html = screen_html(compendium, "ru")
    article = citation_of(html, "Trafficking: A Development Approach")
    assert "«Trafficking: A Development Approach»," in article and "“" not in article
    handbook = citation_of(html, "Routledge Handbook of Human Trafficking")
    assert "Ryszard Piotrowicz, Conny Rijken, Baerbel Heide Uhl (ред.), <cite>Routledge Handbook" in handbook
    english = citation_of(screen_html(compendium), "Routledge Handbook of Human Trafficking")
    assert "Ryszard Piotrowicz, Conny Rijken, Baerbel Heide Uhl (eds), <cite>Routledge Handbook" in english


def test_one_editor_is_ed_and_a_chapter_names_its_book_s_editors(tmp_path):
    source = copy_with(
        tmp_path,
        "publications.yaml",
        "- id: gallagher-2010\n",
        "- id: chapter-2018\n"
        "  authors: [A. Author]\n"
        "  editors: [B. Editor]\n"
        "  title: A chapter\n"
        "  container: A book\n"
        "  type: chapter\n"
        "  pages: 10-20\n"
        "  year: 2018\n"
        "- id: gallagher-2010\n",
    )
    provisions = source / "provisions.yaml"
    provisions.write_text(provisions.read_text().replace("publication: gallagher-2010", "publication: chapter-2018", 1))
    chapter = citation_of(screen_html(loaded(source)), "A chapter")
    assert (
        'A. Author, <span class="article-title">“A chapter”,</span> <span lang="en">in B. Editor (ed.),</span> '
        '<cite class="container">A book,</cite>'
    ) in chapter


def test_a_publication_with_an_unknown_type_or_no_names_is_a_located_error(tmp_path):
    source = copy_with(tmp_path, "publications.yaml", "  type: article\n", "  type: artikel\n")
    found = errors(source)
    assert any(
        m.startswith("source/publications.yaml:")
        and "key 'type': expected one of article, chapter, book, report, document, web page, found 'artikel'" in m
        and "did you mean 'article'?" in m
        for m in found
    ), found
    source = copy_with(
        tmp_path / "b",
        "publications.yaml",
        "  editors:\n  - Ryszard Piotrowicz\n  - Conny Rijken\n  - Baerbel Heide Uhl\n",
        "",
    )
    found = errors(source)
    assert any(
        "publication 'routledge-handbook-2018': missing required key 'authors' (or 'editors'" in m for m in found
    ), found


def test_a_url_beside_a_doi_is_a_warning_not_dropped_silently(tmp_path):
    source = copy_with(
        tmp_path,
        "publications.yaml",
        "  doi: 10.18356/9789211067439",
        "  doi: 10.18356/9789211067439\n  url: https://www.unodc.org/glotip",
    )
    compendium, problems = load(source)
    assert compendium is not None
    (warning,) = [str(p) for p in problems.warnings]
    assert warning.startswith("source/publications.yaml:")
    assert (
        "key 'url': not printed: the citation prints the DOI's address (https://doi.org/10.18356/9789211067439)"
        in warning
    )


def test_the_import_keeps_editors_the_type_and_says_what_it_does_with_a_url_beside_a_doi(tmp_path):
    target = tmp_path / "publications.yaml"
    result = run_build("import-catalogue", str(LIBRARY_OTHER), str(target))
    assert result.returncode == 0, result.stderr
    entries = {entry["id"]: entry for entry in yaml.safe_load(target.read_text())}
    handbook = next(e for e in entries.values() if e["title"] == "Routledge Handbook of Human Trafficking")
    assert handbook["editors"] == ["Ryszard Piotrowicz", "Conny Rijken", "Baerbel Heide Uhl"]
    assert "authors" not in handbook and handbook["type"] == "book"
    article = next(e for e in entries.values() if e["title"] == "Trafficking: A Development Approach")
    assert article["type"] == "article"
    assert (
        article["url"] == "https://academic.oup.com/clp/article/72/1/375/5637577"
        and article["doi"] == "10.1093/clp/cuz012"
    )
    assert "has a URL and a DOI; both kept, the citation prints the DOI's address" in result.stderr
    problems = Problems()
    publications = read_publications(read(target, tmp_path, problems), 2030, problems)
    assert not problems.errors, [str(p) for p in problems.errors]
    assert publications[handbook["id"]].editors == ("Ryszard Piotrowicz", "Conny Rijken", "Baerbel Heide Uhl")


# 4. A language the builder has no interface catalogue for: the project makes its own ------------


def test_a_language_without_a_catalogue_names_the_project_s_own_file_and_the_command(tmp_path):
    source = copy_with(tmp_path, "editions.yaml", "- lang: en\n", "- lang: fr\n  interface_only: true\n- lang: en\n")
    result = run_build("check", "--source", str(source))
    assert result.returncode == 1
    (message,) = [line for line in result.stderr.splitlines() if "edition 'fr'" in line]
    assert message == (
        "source/editions.yaml:1: edition 'fr': no interface catalogue for 'fr': create the project's own "
        f"locale/fr/LC_MESSAGES/messages.po with `python build.py interface --lang fr --source {source}`, "
        "then translate its msgstr lines"
    )
    assert str(PROJECT) not in message.replace(str(source), "")  # nothing of the builder's checkout
    made = run_build("interface", "--lang", "fr", "--source", str(source))
    assert made.returncode == 0, made.stderr
    catalogue = tmp_path / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    with catalogue.open("rb") as stream:
        from babel.messages.pofile import read_po

        messages = {m.id for m in read_po(stream, locale="fr") if m.id}
    assert "Texts of the annexed documents" in messages
    assert "Committee of the Parties decision %(decision)s, para %(paragraph)s" in messages  # the project's own kind
    from babel.messages.plurals import get_plural

    assert f"nplurals={get_plural('fr').num_plurals};" in catalogue.read_text()  # the language's own forms
    checked = run_build("check", "--source", str(source))  # the edition now prints English, marked, until translated
    assert checked.returncode == 0, checked.stderr
    again = run_build("interface", "--lang", "fr", "--source", str(source))
    assert again.returncode == 2 and "already exists" in again.stderr


# 5. The generic header keeps a gutter; the handout directory's "Provisions:" in one place -------------


def line_runs(pdf: Pdf, index: int) -> list[tuple[str, tuple[float, float, float, float]]]:
    """The page's text runs as pdfium finds them: (text, (left, bottom, right, top)) in points."""
    text = pdf.document[index].get_textpage()
    runs = []
    for n in range(text.count_rects()):
        rect = text.get_rect(n)
        runs.append((text.get_text_bounded(*rect).strip(), rect))
    return runs


def test_a_long_adopting_body_wraps_before_the_right_column_of_the_generic_header(screen):
    (page,) = [i for i in screen.pages_with("THB-CP(2024)3") if "Committee of the Parties to the" in screen.texts[i]]
    runs = line_runs(screen, page)
    (public,) = [rect for text, rect in runs if text == "Public"]  # the distribution, in the right column
    beside = [
        (text, rect) for text, rect in runs if rect[1] < public[3] and rect[3] > public[1] and rect[0] < public[0]
    ]
    assert beside, "the body's line beside the distribution"
    for text, rect in beside:
        gap = (public[0] - rect[2]) / 72 * 25.4
        assert gap >= 5, f"'{text}' ends {gap:.1f} mm before the right column"


def test_a_keyword_of_one_publication_says_its_provisions_under_it_as_the_others_do():
    html = handout_html(loaded(), ("keyword", "supply-chains"))
    directory = html[html.index('<section class="annex directory"') :]
    entries = re.findall(
        r'<div class="directory-entry">(.*?)</div>\s*</div>\s*(?=<div class="directory-entry">|</section>)',
        directory,
        flags=re.S,
    )
    assert entries
    single = [entry for entry in entries if entry.count('class="directory-item"') == 1]
    assert single, "a keyword with one publication"
    for entry in single:
        item = entry[entry.index('class="directory-item"') :]
        assert 'class="directory-provisions"' in item  # under the publication, not under the keyword
        assert entry.count('class="directory-provisions"') == 1


def test_where_every_keyword_says_its_provisions_once_a_keyword_of_one_publication_does_too():
    from compendium.derive import directory
    from compendium.render.html import shared_provisions

    osce = directory(loaded(PROJECT / "source"), str)
    singles = [entry for entry in osce if len(entry.items) == 1]
    assert singles and all(shared_provisions(entry) for entry in osce if len(entry.items) > 1)
    assert all(shared_provisions(entry, osce) for entry in singles)  # under the keyword, as every other
    other = directory(loaded(), str)
    assert not all(shared_provisions(entry) for entry in other if len(entry.items) > 1)
    assert not any(shared_provisions(entry, other) for entry in other if len(entry.items) == 1)


# 7. A document annexed with gaps in its numbering marks each gap, in the full annex too -----------


def annexed(html: str, symbol: str) -> list[str]:
    """The document's operative list in order: its paragraphs' numbers and "[…]" for an omission."""
    article = next(a for a in re.findall(r'<article class="decision.*?</article>', html, flags=re.S) if symbol in a)
    operative = article[article.index('<ol class="operative">') :]
    found = re.findall(r'(<li class="omission")|<li id="[^"]*" value="([^"]+)"', operative)
    return ["[…]" if omission else number for omission, number in found]


def test_the_full_annex_marks_each_gap_in_a_document_s_numbering():
    html = screen_html(loaded())
    assert annexed(html, "S/RES/2388 (2017)") == ["2", "[…]", "5", "[…]", "11"]
    assert annexed(html, "THB-CP(2024)3") == ["1", "2", "2 bis", "[…]", "12", "13", "14", "15", "16"]
    assert annexed(html, "CM/Rec(2022)21") == ["1", "2", "3", "4", "5", "6"]  # numbered throughout: no mark


def test_a_handout_marks_the_gaps_of_the_numbering_and_of_the_excerpt():
    # every paragraph of the resolution as annexed is presented: the gaps are its numbering's
    assert annexed(handout_html(loaded(), ("keyword", "armed-conflict")), "S/RES/2388 (2017)") == [
        "2",
        "[…]",
        "5",
        "[…]",
        "11",
    ]
    supply = handout_html(loaded(), ("keyword", "supply-chains"))
    assert annexed(supply, "S/RES/2388 (2017)") == ["[…]", "5", "[…]"]  # the excerpt's: 2 and 11 left out
    assert annexed(supply, "CM/Rec(2022)21") == ["1", "2", "[…]"]


def test_an_imported_organisation_s_id_begins_with_its_acronym_or_initials(tmp_path):
    target = tmp_path / "publications.yaml"
    assert run_build("import-catalogue", str(LIBRARY_OTHER), str(target)).returncode == 0
    ids = [entry["id"] for entry in yaml.safe_load(target.read_text())]
    assert "unhrc-2023-report-of-the" in ids and "kok-2023-menschenhandel-zum-zweck" in ids
    assert "kotiswaran-2019-trafficking-a-development" in ids and "piotrowicz-2018-routledge-handbook-of" in ids


def test_a_language_written_in_its_terminology_code_is_told_the_bibliographic_one(tmp_path):
    source = copy_with(tmp_path, "publications.yaml", "  languages: [GER]\n", "  languages: [DEU]\n")
    found = errors(source)
    assert any(
        "language 'DEU': expected an ISO 639-2/B code" in m
        and "(did you mean 'GER', German? 'DEU' is its ISO 639-2/T code; the catalogue writes the /B one)" in m
        for m in found
    ), found
