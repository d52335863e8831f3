"""The Russian edition as a Russian reader expects it: publications cited in their Russian versions,
each decision text saying what it is, Russian forms, and the fixed terminology."""

from __future__ import annotations

import datetime
import re
from collections import Counter
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml

from compendium.edition import Edition
from compendium.render.html import render_html
from compendium.render.locale import Language
from compendium.source.problems import Problems
from compendium.source.project import Project
from compendium.source.translations import localize, read_translations
from tests import source_counts
from tests.conftest import PROJECT
from tests.pdf import flat

TERMS = PROJECT / "translations" / "ru-terms.yaml"
RU = Language("ru", PROJECT / "locale")
EN = Language("en", PROJECT / "locale")


def russian_entries() -> dict:
    problems = Problems()
    entries = read_translations(PROJECT / "translations" / "ru.yaml", PROJECT, problems)
    assert not problems.items, [str(p) for p in problems.items]
    return entries


@pytest.fixture(scope="module")
def russian_compendium(compendium):
    localized, coverage = localize(compendium, "ru", russian_entries(), RU.gettext("EN"))
    return localized, coverage


def html(compendium, lang: str) -> str:
    language = Language(lang, PROJECT / "locale")
    return render_html(compendium, Edition(lang), Project(), language)


@pytest.fixture(scope="module")
def russian_html(russian_compendium) -> str:
    return html(russian_compendium[0], "ru")


@pytest.fixture(scope="module")
def russian_text(russian_edition) -> str:
    return " ".join(russian_edition.pdf.flat_texts)


class Elements(HTMLParser):
    """The text of every element of one class, in document order, with the element's lang."""

    def __init__(self, cls: str) -> None:
        super().__init__()
        self.cls, self.found, self.depth, self.lang = cls, [], 0, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag in ("wbr", "br", "img"):  # void elements: no end tag comes
            return
        if self.depth:
            self.depth += 1
        elif self.cls in (attrs.get("class") or "").split():
            self.depth, self.lang = 1, attrs.get("lang")
            self.found.append([self.lang, ""])

    def handle_endtag(self, tag):
        if self.depth:
            self.depth -= 1

    def handle_data(self, data):
        if self.depth:
            self.found[-1][1] += data


def elements(markup: str, cls: str) -> list[tuple[str | None, str]]:
    parser = Elements(cls)
    parser.feed(markup)
    return [(lang, flat(text.replace("\u2060", ""))) for lang, text in parser.found]  # word joiners in addresses


# -- letters -------------------------------------------------------------------------------------


def test_cyrillic_letters_outnumber_latin_ones(russian_html):
    """What the edition says in its own language is Russian; Latin is left in addresses, codes and
    the publications cited in their original (marked lang="en": their Russian versions are unverified)."""
    own = re.sub(r'<p class="citation" lang="en">.*?</p>', " ", russian_html, flags=re.S)
    own = re.sub(r"<[^>]+>", " ", own[own.find("<body") :])
    cyrillic = len(re.findall(r"[\u0400-\u04ff]", own))
    latin = len(re.findall(r"[A-Za-z]", own))
    assert cyrillic > 2 * latin, (cyrillic, latin)
    assert "Survey Report 2016" in russian_html  # cited in the original, as it is unverified in Russian


# -- publications in the edition's language ------------------------------------------------------


def test_every_publication_available_in_russian_has_russian_metadata(compendium):
    available = [p for p in compendium.publications if "RUS" in p.languages]
    assert len(available) == source_counts.count().publications_in["RUS"]
    for publication in available:
        version = publication.version("ru")
        assert version is not None, publication.id
        assert re.search(r"[а-яё]", version.title, re.I), publication.id
        assert all(re.search(r"[А-ЯЁ]", author) for author in version.authors), publication.id
        assert version.url.startswith("https://www.osce.org/ru/"), publication.id
        assert version.url.rsplit("/", 1)[1] == publication.url.rsplit("/", 1)[1]  # the same page number
        assert isinstance(version.verified, bool)
    assert not any(p.versions for p in compendium.publications if "RUS" not in p.languages)


def test_an_unverified_russian_version_is_never_cited(compendium, russian_html):
    """Its title and address are unchecked: the original is cited, with its languages ("РУС")."""
    citations = elements(russian_html, "citation")
    survey = next(p for p in compendium.publications if p.id == "survey-report-2016")
    assert not survey.version("ru").verified
    assert not [c for c in citations if survey.version("ru").title in c[1]]
    cited = [c for c in citations if survey.title in c[1]]
    assert cited and all(lang == "en" and "РУС" in text for lang, text in cited)
    verified = [p for p in compendium.publications if p.version("ru") and p.version("ru").verified]
    addresses = {a for a in re.findall(r'href="(https://www\.osce\.org/ru/[^"]+)"', russian_html)}
    assert len(addresses) == len(verified) == 0
    # a publication without a Russian version is cited in English, marked as English
    english = next(p for p in compendium.publications if not p.versions and not p.forthcoming)
    cited = [c for c in citations if english.title in c[1]]
    assert cited and all(lang == "en" for lang, _ in cited)


def test_what_a_version_leaves_out_is_cited_from_the_entry(compendium):
    from compendium.model import Version

    survey = next(p for p in compendium.publications if p.id == "survey-report-2016")
    address_only = replace(
        survey, versions=(Version("ru", url="https://www.osce.org/ru/secretariat/289951", verified=True),)
    )
    cited = address_only.cited_in("ru")
    assert (cited.title, cited.authors, cited.url, cited.lang) == (
        survey.title,
        survey.authors,
        "https://www.osce.org/ru/secretariat/289951",
        "en",
    )
    title_only = replace(survey, versions=(Version("ru", title="Доклад", verified=True),)).cited_in("ru")
    assert (title_only.title, title_only.authors, title_only.url, title_only.lang) == (
        "Доклад",
        survey.authors,
        survey.url,
        "ru",
    )
    assert survey.cited_in("fr") == survey.cited_in("en")  # no French version: the entry itself
    assert survey.cited_in("ru") == survey.cited_in("en")  # an unverified version: the entry itself


def test_the_english_edition_cites_the_english_metadata(compendium):
    english = html(compendium, "en")
    assert not re.search(r"[\u0400-\u04ff]", english)
    survey = next(p for p in compendium.publications if p.id == "survey-report-2016")
    assert f"<cite>{survey.title},</cite> 2016" in english and "https://www.osce.org/secretariat/289951" in english


def versions_line(states: dict[str, str]) -> str:
    """The coverage report's line on the Russian versions of the publications available in Russian."""
    counted = Counter(states.values())
    return (
        f"  publications available in RUS: {len(states)}, with metadata in 'ru': "
        f"{counted['verified']} verified, {counted['unverified']} unverified, {counted['missing']} missing"
    )


def test_coverage_report_counts_verified_and_unverified_versions(compendium, russian_edition):
    report = russian_edition.run.stdout
    states = source_counts.version_states("RUS", "ru")  # as the catalogue has them now
    assert versions_line(states) in report
    for publication, state in states.items():
        assert (f"    {state}: {publication} (source/publications.yaml:" in report) is (state != "verified")
    # one more verified, one more missing: counted apart, the missing one listed for an editor
    verify = next((p for p, state in states.items() if state == "unverified"), next(iter(states)))
    drop = next(p for p in states if p != verify)
    publications = list(compendium.publications)
    for index, publication in enumerate(publications):
        if publication.id == verify:
            versions = tuple(replace(v, verified=True) if v.lang == "ru" else v for v in publication.versions)
            publications[index] = replace(publication, versions=versions)
        if publication.id == drop:
            publications[index] = replace(publication, versions=())
    _, coverage = localize(replace(compendium, publications=tuple(publications)), "ru", russian_entries(), "EN")
    lines = coverage.lines()
    assert versions_line({**states, verify: "verified", drop: "missing"}) in lines
    assert f"    missing: {drop} (source/publications.yaml:" in "\n".join(lines)
    assert not any(f"unverified: {verify} " in line for line in lines)


# -- what each decision text is -------------------------------------------------------------------


def test_russian_decision_texts_say_they_were_not_checked_and_claim_nothing_else(russian_compendium, russian_text):
    """Nobody here compared the Russian decision texts with the official Russian documents: the
    edition says so, and neither calls them a translation made for it nor says which language
    is authentic (an OSCE decision is issued in Russian too)."""
    localized, _ = russian_compendium
    assert {d.text_status for d in localized.decisions} == {"unchecked"}
    for decision in localized.decisions:
        assert f"{RU.gettext('Decision No.')} {decision.id}: не сверено с официальным текстом" in russian_text
    prevail = "в случае расхождений следует руководствоваться официальными текстами"
    assert russian_text.count(prevail) == 2  # imprint, annex
    assert russian_text.count("Не сверено с официальным текстом MC.DEC/") == len(localized.decisions)  # each header
    assert "неофициальн" not in russian_text.lower() and "аутентичн" not in russian_text
    assert "на английском языке изданы" not in russian_text  # the imprint no longer says only the English is official
    # the English printing's job number stays off the pages of a text that is not the original
    codes = [d.document_code for d in localized.decisions if d.document_code]
    assert codes and not any(code in russian_text for code in codes)


def test_an_official_text_is_called_official_and_untranslated_texts_make_no_claim(compendium, tmp_path: Path):
    entries = russian_entries()
    path = tmp_path / "ru.yaml"
    path.write_text(
        (PROJECT / "translations" / "ru.yaml")
        .read_text()
        .replace(
            "decision.6/17.status:\n  status: unchecked",
            'decision.6/17.status:\n  status: official\n  source: "MC.DEC/6/17"',
        )
    )
    official = read_translations(path, tmp_path, Problems())
    localized, _ = localize(compendium, "ru", official, "EN")
    statuses = {d.id: (d.text_status, d.text_source) for d in localized.decisions}
    assert statuses == {"6/17": ("official", "MC.DEC/6/17"), "7/17": ("unchecked", None), "6/18": ("unchecked", None)}
    imprint = elements(html(localized, "ru"), "imprint-notice")
    assert any("Решение № 6/17: официальный текст, MC.DEC/6/17" in text for _, text in imprint)
    # all official: no word of unofficial translations anywhere
    all_official = {k: v for k, v in official.items() if not k.endswith(".status")}
    for decision in compendium.decisions:
        all_official[f"decision.{decision.id}.status"] = replace(official["decision.6/17.status"])
    localized, _ = localize(compendium, "ru", all_official, "EN")
    assert "неофициальн" not in html(localized, "ru").lower()
    # decisions not translated at all are printed in the original: no claim either
    untranslated = {k: v for k, v in entries.items() if not k.startswith("decision.")}
    localized, _ = localize(compendium, "ru", untranslated, "EN")
    assert {d.text_status for d in localized.decisions} == {"original"}
    assert "неофициальн" not in html(localized, "ru").lower()


def test_the_english_edition_says_nothing_about_translations(english):
    text = " ".join(english.pdf.flat_texts)
    assert "translation" not in text.lower()


@pytest.mark.parametrize(
    ("entry", "message"),
    [
        (
            "  status: draft",
            "3: translation 'decision.6/17.status': key 'status': "
            "expected official, unofficial or unchecked, found 'draft'",
        ),
        (
            "  status: official",
            "2: translation 'decision.6/17.status': "
            "an official text needs 'source': the issuing body's document symbol or address",
        ),
        (
            "  status: unofficial\n  sorce: x",
            "4: translation 'decision.6/17.status': unknown key 'sorce' (did you mean 'source'?)",
        ),
    ],
)
def test_a_bad_text_status_is_a_located_error(tmp_path: Path, entry: str, message: str):
    path = tmp_path / "translations" / "ru.yaml"
    path.parent.mkdir()
    path.write_text(f"# a status\ndecision.6/17.status:\n{entry}\n")
    problems = Problems()
    read_translations(path, tmp_path, problems)
    assert [str(p) for p in problems.sorted()] == [f"translations/ru.yaml:{message}"]


def test_rewriting_the_translation_file_keeps_the_statuses(compendium):
    from compendium.source.translations import template

    assert template(compendium, russian_entries(), "ru") == (PROJECT / "translations" / "ru.yaml").read_text()


# -- Russian forms ----------------------------------------------------------------------------------


def test_part_letters_are_cyrillic_in_source_order(russian_edition, compendium):
    assert [RU.part_letter(letter) for letter in "ABCDEFGHI"] == list("АБВГДЕЖИК")
    assert EN.part_letter("B") == "B"
    outline = [title for level, title, _ in russian_edition.pdf.outline() if level == 2]
    parts = [title for title in outline if re.match(r"^\w\. ", title)]
    letters = [part.letter for section in compendium.sections for part in section.parts]
    assert [title[0] for title in parts] == [RU.part_letter(letter) for letter in letters]
    assert "Б" in [title[0] for title in parts] and not any(re.match(r"[A-Z]\.", title) for title in parts)


def test_available_in_takes_the_plural_form_of_its_count(russian_text):
    assert RU.available_in(("UKR",)) == "имеется на языке: УКР"
    assert RU.available_in(("ENG", "RUS")) == "имеется на языках: АНГЛ и РУС"
    assert RU.available_in(("ENG", "FRE", "RUS", "SPA", "SQI")) == "имеется на языках: АЛБ, АНГЛ, ИСП, РУС и ФР"
    assert EN.available_in(("ENG",)) == "available in ENG"
    assert "(имеется на языке: АНГЛ)" in russian_text and "(имеется на языках: АНГЛ и РУС)" in russian_text
    assert "имеется на языках: АНГЛ)" not in russian_text


def test_language_codes_follow_the_edition_collation():
    codes = ("CNR", "ENG", "FRE", "RUS", "SRP")  # the catalogue's order
    assert RU.language_list(codes) == "АНГЛ, РУС, СЕРБ, ФР и ЧЕР"
    assert EN.language_list(codes) == "CNR, ENG, FRE, RUS and SRP"


def test_dates_and_forthcoming_are_localised(russian_text, english):
    assert RU.forthcoming("End 2019") == "конец 2019\u00a0г."
    assert RU.forthcoming("Early 2020") == "начало 2020\u00a0г."
    assert RU.forthcoming("2021") == "2021"
    assert EN.forthcoming("End 2019") == "End 2019"
    assert "готовится к изданию (конец 2019 г.)" in russian_text
    assert "End 2019" not in russian_text and "forthcoming" not in russian_text
    assert "End 2019, forthcoming" in " ".join(english.pdf.flat_texts)
    assert flat(RU.date(datetime.date(2018, 12, 7))) == "7 декабря 2018 г."
    assert "7 декабря 2018 г." in russian_text


def test_panel_keywords_follow_the_keyword_table_order(russian_compendium, russian_html, compendium):
    localized, _ = russian_compendium
    printed = [text for _, text in elements(russian_html, "resource-keyword")]
    expected = [
        RU.gettext("On %(keyword)s:") % {"keyword": group.keyword.label}
        for provision in localized.provisions
        for group in sorted(provision.resources, key=lambda g: RU.sort_key(g.keyword.label))
    ]
    assert printed == expected
    as_in_source = [
        RU.gettext("On %(keyword)s:") % {"keyword": g.keyword.label} for p in localized.provisions for g in p.resources
    ]
    assert printed != as_in_source  # the Russian labels sort otherwise than the English ones
    # English keeps the editor's order (the seed's)
    english = [text for _, text in elements(html(compendium, "en"), "resource-keyword")]
    assert english == [f"On {g.keyword.label}:" for p in compendium.provisions for g in p.resources]


def test_statement_headings_name_the_statement_as_its_body_does(russian_compendium, russian_edition):
    localized, _ = russian_compendium
    name = RU.gettext("interpretative statement")
    assert name == "интерпретирующее заявление"
    statements = [s for d in localized.decisions for s in d.statements]
    assert statements
    for statement in statements:
        assert statement.heading.lower().startswith(name)
    bodies = " ".join(p for s in statements for p in s.paragraphs)
    assert name in bodies and "заявление для протокола" not in bodies.lower()
    outline = [title for level, title, _ in russian_edition.pdf.outline() if level == 3]
    assert [t for t in outline if name in t] and not [t for t in outline if "для протокола" in t]


def test_meeting_vocabulary_follows_osce_russian_usage(russian_compendium, russian_text):
    localized, _ = russian_compendium
    for decision in localized.decisions:
        assert decision.body == "Совет министров"
        assert re.fullmatch(r"Второй день двадцать (четвертой|пятой) встречи", decision.meeting)
        assert re.fullmatch(r"СМ\(\d\d\), Журнал № 2", decision.journal)
    assert "СМ(24), Журнал № 2, пункт 7 повестки дня" in russian_text
    assert "заседани" not in russian_text


# -- terminology ------------------------------------------------------------------------------------


def term_pairs(compendium) -> list[tuple[str, str, str]]:
    """(where, English, Russian) of every Russian text: translations, publication versions' titles and authors."""
    from compendium.source.terms import term_pairs as pairs_of

    return [(key, english, russian) for key, _, english, russian in pairs_of(compendium, russian_entries(), "ru")]


def inconsistencies(terms: list[dict], pairs) -> list[str]:
    """Where a Russian text does not render a term of its English as the list fixes it."""
    out = []
    for term in terms:
        for where, english, russian in pairs:
            if not re.search(term["en"], english, re.I):
                continue
            if not re.search(term["forms"], russian, re.I):
                out.append(f"{where}: '{term['term']}' not rendered as '{term['rendering']}'")
            if term.get("avoid") and re.search(term["avoid"], russian, re.I):
                out.append(f"{where}: '{term['term']}' rendered otherwise than '{term['rendering']}'")
    return out


@pytest.fixture(scope="module")
def terms() -> list[dict]:
    return yaml.safe_load(TERMS.read_text(encoding="utf-8"))


def test_russian_texts_use_the_fixed_terminology(terms, compendium):
    assert {"trafficking in human beings", "National Referral Mechanism", "participating States", "non-punishment"} <= {
        t["term"] for t in terms
    }
    for term in terms:
        assert re.search(term["forms"], term["rendering"], re.I), term  # the rendering is one of its forms
    pairs = term_pairs(compendium)
    used = {t["term"] for t in terms if any(re.search(t["en"], english, re.I) for _, english, _ in pairs)}
    assert used == {t["term"] for t in terms}  # every term occurs: none is checked against nothing
    assert inconsistencies(terms, pairs) == []


@pytest.mark.parametrize(
    ("term", "changed"),
    [
        (
            "National Referral Mechanism",
            {"rendering": "национальный механизм направления", "forms": r"механизм\w* направления"},
        ),
        ("participating States", {"rendering": "страны-участницы", "forms": r"стран\w*-участниц\w*"}),
        ("non-punishment", {"rendering": "освобождение от наказания", "forms": r"освобождени\w+ от наказания"}),
    ],
)
def test_the_terminology_check_fails_when_a_term_is_changed(terms, compendium, term, changed):
    altered = [{**t, **changed} if t["term"] == term else t for t in terms]
    found = inconsistencies(altered, term_pairs(compendium))
    assert found and all(f"'{term}' not rendered as '{changed['rendering']}'" in line for line in found)


def test_the_terminology_check_fails_when_a_text_strays(terms, compendium):
    pairs = term_pairs(compendium)
    strayed = [(w, e, r.replace("государства-участники", "страны-участницы")) for w, e, r in pairs]
    found = inconsistencies(terms, strayed)
    changed = [w for (w, _, r), (_, _, s) in zip(pairs, strayed, strict=True) if r != s]
    otherwise = "'participating States' rendered otherwise than 'государства-участники'"
    assert changed and [line for line in found if otherwise in line] == [f"{w}: {otherwise}" for w in changed]
    assert all(line.split(":")[0] in changed for line in found)
