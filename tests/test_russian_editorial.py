"""The Russian editor's findings on the front and back matter (review of the Russian edition):
one form of the Office's name in the imprint, and a note saying in which language publication
titles and page numbers are cited wherever a title is cited in another language than the edition's."""

from __future__ import annotations

import re

from compendium.edition import Edition
from compendium.pipeline import Report, prepare
from compendium.render.html import render_html
from compendium.source.project import Project
from tests.conftest import PROJECT

NOTE = 'class="lead citation-languages"'


def edition_html(lang: str) -> str:
    project = Project(root=PROJECT)
    compendium, language = prepare(Edition(lang), project, False, Report())
    return render_html(compendium, Edition(lang).layout, project, language)


def test_the_imprint_names_the_office_in_one_form():
    html = edition_html("ru")
    start = html.index('<section class="imprint"')
    imprint = html[start : html.index("</section>", start)].replace("\u00a0", " ")
    forms = re.findall(r"Бюро Специального представителя и координатора\s+(\S+)", imprint)
    assert len(forms) >= 2 and set(forms) == {"ОБСЕ"}, forms
    # the annex referred to one way (a reference in running text: lower case)
    assert "в Приложении" not in imprint and imprint.count("в приложении 1") == 2


def test_the_russian_edition_says_in_which_language_titles_and_pages_are_cited():
    html = edition_html("ru")
    assert html.count(NOTE) == 2  # in the imprint, before the first citation, and before the directory
    note = re.search(rf"<p {NOTE}>(.*?)</p>", html, re.S)[1].replace("\u00a0", " ")
    # no Russian version is verified in the shipped data: every title as the catalogue gives it, and
    # the note says that Russian versions were not checked (Russian editor, round 3: no calque), and
    # in which language the details are (round 4: «в том числе» referred to nothing), checked against
    # what (round 5: «русские издания не сверялись» said not)
    assert note == (
        "Библиографические сведения приводятся так, как они указаны в каталоге публикаций, и на языке каталога — "
        "в том числе для публикаций, изданных только на других языках. Сведения о русских изданиях с данными "
        "издателей не сверялись. Номера страниц указаны по приводимому изданию."
    )
    # with the language codes, in the imprint and before the directory's first entry
    assert html.index("language-legend") < html.index(NOTE) < html.index('class="contents"')
    assert html.rindex("language-legend") < html.rindex(NOTE) < html.index('class="directory-entry"')


def test_the_note_on_cited_languages_stands_where_a_title_is_cited_in_another_language():
    """The note is there exactly when a citation is in another language than the edition's (the
    English edition cites Bosnian- and Ukrainian-only publications in their own language)."""
    html = edition_html("en")
    other = set(re.findall(r'<p class="citation" lang="(\w+)"', html)) - {"en"}
    assert (NOTE in html) == bool(other), other


def test_the_note_says_checked_versions_are_cited_only_where_one_is():
    """Once an editor has verified one Russian version, the note no longer says none was checked."""
    from dataclasses import replace

    from compendium.derive import directory
    from compendium.render.html import citation_note

    project = Project(root=PROJECT)
    compendium, language = prepare(Edition("ru"), project, False, Report())
    entries = directory(compendium, language.sort_key)
    assert citation_note(entries, language) == "unchecked"
    one = next(
        item.publication
        for entry in entries
        for item in entry.items
        if any(v.lang == "ru" and v.title for v in item.publication.versions)
    )
    verified = replace(one, versions=tuple(replace(v, verified=v.lang == "ru" or v.verified) for v in one.versions))
    checked = [
        replace(
            entry,
            items=tuple(
                replace(i, publication=verified if i.publication is one else i.publication) for i in entry.items
            ),
        )
        for entry in entries
    ]
    assert citation_note(checked, language) == "checked"


def test_a_handout_opens_with_an_imprint_that_explains_the_codes_before_the_first_citation():
    """Russian editor, round 3: the handouts used the language codes from page 2 and explained them
    at the end, and had no publisher, copyright or note on the texts' status."""
    from compendium.render.handout import select

    project = Project(root=PROJECT)
    compendium, language = prepare(Edition("ru"), project, False, Report())
    edition = Edition("ru", "handout", selection=("section", "II"))
    html = render_html(select(compendium, edition.selection), edition, project, language)
    imprint = html.index('<section class="imprint"')
    assert html.index('id="cover"') < imprint < html.index('class="citation"')
    assert imprint < html.index("language-legend") < html.index('class="citation"')
    assert imprint < html.index("которые их цитируют") < html.index('class="provision')


def test_the_cover_title_breaks_where_the_translation_marks_it():
    """Russian editor, rounds 4-5: «Сборник решений Совета» / «министров ОБСЕ № 6/17, 7/17» / «и
    6/18» broke the title against its sense; the translation marks its lines with " | ", which the
    cover and title page follow and every other use of the title reads as one text."""
    html = edition_html("ru")
    cover = re.search(r'<h1 class="cover-title">(.*?)</h1>', html, re.S)[1].replace("\u00a0", " ").replace("\u2060", "")
    assert re.split(r"\s*<br>\s*", cover) == ["Сборник решений", "Совета министров ОБСЕ", "№ 6/17, 7/17 и 6/18"]
    title = re.search(r"<title>(.*?)</title>", html)[1]
    assert title == "Сборник решений Совета министров ОБСЕ № 6/17, 7/17 и 6/18"
    assert " | " not in html.replace("<br>", "")


def test_a_handout_names_the_documents_it_gives_extracts_of_instead_of_the_whole_texts():
    """Russian editor, round 5, finding 4: a handout's imprint said that Decisions 6/17, 7/17 and 6/18
    were in its annex, then that the annex held extracts only, and the keyword handout holds no part
    of 6/17. The source's annex_note (the whole texts) is left out of a handout, whose note names
    the documents it does give extracts of."""
    from compendium.render.handout import select

    project = Project(root=PROJECT)
    compendium, language = prepare(Edition("ru"), project, False, Report())
    whole = edition_html("ru")
    assert compendium.metadata.annex_note.replace("\u00a0", " ").replace("\u2060", "")[:40] in whole.replace(
        "\u00a0", " "
    ).replace("\u2060", "")
    edition = Edition("ru", "handout", selection=("keyword", "children"))
    handout = select(compendium, edition.selection)
    html = render_html(handout, edition, project, language).replace("\u00a0", " ").replace("\u2060", "")
    imprint = html[html.index('<section class="imprint"') : html.index("</section>", html.index('class="imprint"'))]
    symbols = [decision.symbol for decision in handout.decisions]
    assert 0 < len(symbols) < len(compendium.decisions)
    note = re.search(r"В приложении 1 приводятся выдержки из документов (.*?) — пункты", imprint)
    assert note and all(symbol in note[1] for symbol in symbols), imprint
    given = {decision.id for decision in handout.decisions}
    assert not any(d.symbol in note[1] for d in compendium.decisions if d.id not in given)
    assert compendium.metadata.annex_note.replace("\u00a0", " ").replace("\u2060", "")[:40] not in imprint
    # the list of the texts' status and the annex speak of extracts too (Russian editor, round 6)
    assert "Выдержки в приложении 1:" in imprint and "Тексты решений в приложении 1" not in imprint
    assert re.search(r'<h1 class="annex-title"[^>]*><span class="annex-kicker">Приложение 1 </span>Выдержки</h1>', html)
    # the cover names the publication breaking where its title's lines do: «… ОБСЕ» / «№ 6/17, 7/17 и 6/18»
    cover = re.search(r'<p class="cover-subtitle">(.*?)</p>', render_html(handout, edition, project, language))[1]
    assert "ОБСЕ №\u00a06/\u206017,\u00a07/\u206017\u00a0и\u00a06/\u206018" in cover, cover
