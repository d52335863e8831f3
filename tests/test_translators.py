"""A translator's workflow: a stale translation reported by `check`, accepted by `translation`,
printed in English until then; interface strings left untranslated; the cache never weakening --strict."""

from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import pytest

from compendium.source.load import load
from compendium.source.problems import Problems
from compendium.source.translations import Fallback, localize, read_translations
from tests.conftest import PROJECT, run_build

PARAGRAPH = "decision.6/17.paragraph.1"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's source, translations and interface catalogues."""
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def edit_english(project: Path) -> None:
    decision = project / "source" / "decisions" / "mc-dec-6-17.yaml"
    text = decision.read_text(encoding="utf-8")
    assert "Develop targeted prevention policies" in text
    decision.write_text(
        text.replace("Develop targeted prevention policies", "Develop well-targeted prevention policies")
    )


def line_of(path: Path, start: str) -> int:
    lines = path.read_text(encoding="utf-8").splitlines()
    return next(n for n, text in enumerate(lines, 1) if text.startswith(start))


def check(project: Path, *args: str):
    return run_build("check", "--source", str(project / "source"), *args)


def test_an_edited_english_paragraph_fails_strict_check_naming_the_id_until_accepted(project: Path):
    assert check(project, "--lang", "ru", "--strict").returncode == 0
    edit_english(project)
    failed = check(project, "--lang", "ru", "--strict")
    assert failed.returncode == 1
    line = line_of(project / "translations/ru.yaml", f"{PARAGRAPH}:")
    assert f"translations/ru.yaml:{line}: warning: translation '{PARAGRAPH}': stale:" in failed.stderr
    assert f"--accept {PARAGRAPH}" in failed.stderr
    # without --strict the stale text is reported, not fatal
    assert check(project, "--lang", "ru").returncode == 0
    accepted = run_build("translation", "--source", str(project / "source"), "--lang", "ru", "--accept", PARAGRAPH)
    assert accepted.returncode == 0, accepted.stderr
    assert f"accepted 1: {PARAGRAPH}" in accepted.stdout
    assert check(project, "--lang", "ru", "--strict").returncode == 0


def test_reviewed_entries_are_accepted_together(project: Path):
    edit_english(project)
    source = str(project / "source")
    assert run_build("translation", "--source", source, "--lang", "ru").returncode == 0
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("\n  reviewed: false") == 1  # only the stale entry asks for a review
    assert run_build("translation", "--source", source, "--lang", "ru", "--accept-reviewed").stdout.count("accepted 0")
    assert check(project, "--lang", "ru", "--strict").returncode == 1
    path.write_text(text.replace("reviewed: false", "reviewed: true"), encoding="utf-8")
    done = run_build("translation", "--source", source, "--lang", "ru", "--accept-reviewed")
    assert f"accepted 1: {PARAGRAPH}" in done.stdout
    assert "\n  reviewed:" not in path.read_text(encoding="utf-8")
    assert check(project, "--lang", "ru", "--strict").returncode == 0


def test_accepting_an_unknown_id_changes_nothing(project: Path):
    before = (project / "translations" / "ru.yaml").read_bytes()
    result = run_build(
        "translation", "--source", str(project / "source"), "--lang", "ru", "--accept", "decision.6/17.paragraph.99"
    )
    assert result.returncode == 1
    assert "--accept decision.6/17.paragraph.99: no text of the source has this id" in result.stderr
    assert (project / "translations" / "ru.yaml").read_bytes() == before


def test_a_stale_translation_prints_the_english_marked(project: Path):
    edit_english(project)
    compendium, _ = load(project / "source", project)
    entries = read_translations(project / "translations" / "ru.yaml", project, Problems())
    localized, coverage = localize(compendium, "ru", entries, "АНГЛ.")
    paragraph = next(d for d in localized.decisions if d.id == "6/17").paragraph(1).text
    assert isinstance(paragraph, Fallback) and "well-targeted" in paragraph
    assert coverage.fallbacks == [PARAGRAPH] and not coverage.complete


def test_a_missing_translation_is_listed_at_a_line_of_its_source(project: Path):
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r"^keyword\.children\.label:\n(  .*\n)+", text, re.M)
    path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    result = check(project, "--lang", "ru")
    line = line_of(project / "source/keywords.yaml", "- id: children")
    assert re.search(
        rf"source/keywords.yaml:{line}: warning: translation 'keyword.children.label': not translated into 'ru'",
        result.stderr,
    ), result.stderr
    assert check(project, "--lang", "ru", "--strict").returncode == 1


def test_translation_refuses_a_language_no_edition_can_build(project: Path):
    result = run_build("translation", "--source", str(project / "source"), "--lang", "xx")
    assert result.returncode == 2
    assert "--lang xx: no edition can be built in it" in result.stderr
    assert not (project / "translations" / "xx.yaml").exists()
    english = run_build("translation", "--source", str(project / "source"), "--lang", "en")
    assert english.returncode == 2 and "nothing to translate" in english.stderr


def test_an_empty_interface_msgstr_fails_strict(project: Path):
    po = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    assert 'msgid "Contents"\nmsgstr "Содержание"' in text
    po.write_text(text.replace('msgid "Contents"\nmsgstr "Содержание"', 'msgid "Contents"\nmsgstr ""'), "utf-8")
    result = check(project, "--lang", "ru", "--strict")
    assert result.returncode == 1
    assert re.search(r'messages.po:\d+: warning: msgid "Contents": not translated \(msgstr empty\)', result.stderr)


def test_a_plain_build_then_a_strict_one_fails(tmp_path: Path):
    """The cache never weakens --strict: the plain build's PDF, made with untranslated texts, is
    not taken as the strict build's result."""
    shutil.copytree(PROJECT / "tests" / "fixtures" / "second" / "source", tmp_path / "source")
    (tmp_path / "source" / "editions.yaml").write_text("- lang: en\n- lang: ru\n", encoding="utf-8")
    (tmp_path / "translations").mkdir()
    (tmp_path / "translations" / "ru.yaml").write_text("{}\n", encoding="utf-8")
    source = str(tmp_path / "source")
    plain = run_build("--source", source, "--lang", "ru")
    assert plain.returncode == 0, plain.stderr
    assert "    missing: keyword.victims.label" in plain.stdout
    again = run_build("--source", source, "--lang", "ru")
    assert again.returncode == 0 and "unchanged" in again.stdout
    strict = run_build("--source", source, "--lang", "ru", "--strict")
    assert strict.returncode == 1
    assert "--strict: the translation is incomplete or stale" in strict.stderr


class _Marked(HTMLParser):
    """Each text of the body with whether it stands in a fallback mark of the source language."""

    VOID = {"br", "img", "meta", "link", "hr", "wbr", "input", "col", "source"}

    # the spans that keep a compound or a last word whole are inside a text, not between texts
    INNER = {"compound", "last-word"}

    def __init__(self) -> None:
        super().__init__()
        self.stack: list[bool] = []
        self.inner: list[bool] = []
        self.texts: list[tuple[str, bool]] = []
        self.joins = False

    def handle_starttag(self, tag, attrs):
        if tag in self.VOID:
            return
        values = dict(attrs)
        classes = set((values.get("class") or "").split())
        self.stack.append("fallback" in classes and values.get("lang") == "en")
        self.inner.append(bool(classes & self.INNER))
        self.joins = self.inner[-1]

    def handle_endtag(self, tag):
        if tag not in self.VOID and self.stack:
            self.stack.pop()
            self.joins = self.inner.pop()

    def handle_data(self, data):
        marked = any(self.stack)
        if self.joins and self.texts and self.texts[-1][1] == marked:
            self.texts[-1] = (self.texts[-1][0] + data, marked)
        elif data.strip():
            self.texts.append((data, marked))
        self.joins = False


def russian_html(project: Path) -> tuple[str, object]:
    from compendium.edition import Edition
    from compendium.pipeline import Report, prepare
    from compendium.render.html import render_html
    from compendium.source.project import Project

    report = Report()
    edition = Edition("ru")
    project = Project(root=project)
    compendium, language = prepare(edition, project, False, report)
    html = render_html(compendium, edition.layout, project, language, len(report.coverage.fallbacks))
    return html, compendium


def test_three_untranslated_decision_paragraphs_print_marked_in_english(project: Path):
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    keys = ["decision.6/17.paragraph.2", "decision.6/17.paragraph.3", "decision.6/17.paragraph.4"]
    for key in keys:
        entry = re.search(rf"^{re.escape(key)}:\n(  .*\n)+", text, re.M)
        text = text.replace(entry.group(0), "")
    path.write_text(text, encoding="utf-8")
    html, compendium = russian_html(project)
    parser = _Marked()
    parser.feed(html[html.find("<body") :])
    decision = next(d for d in compendium.decisions if d.id == "6/17")
    for number in (2, 3, 4):
        english = decision.paragraph(number).text.split()[-1]  # the last word: its own span inside the mark
        start = " ".join(decision.paragraph(number).text.split()[:5])
        found = [marked for data, marked in parser.texts if start in " ".join(data.split())]
        assert found and all(found), (number, found)  # in the annex and on its provision's page, each marked
        assert any(english in data and marked for data, marked in parser.texts)
    marks = html[html.find("<body") :].count('class="fallback"')
    # three paragraphs, each in the annex and quoted on its provision's page
    assert marks == 6
    # the imprint counts the texts and the marks (issue 20: it counted the marks as texts)
    assert re.findall(r"(?<!\d)\d+ текст", html) == ["3 текст"]
    flat = html.replace("\u00a0", " ")  # no-break spaces after one-letter words
    assert "3 текста этого издания еще не переведены" in flat and "(6 мест в издании)" in flat
    # the decision keeps what its translation file says of it: most of its text is translated
    assert decision.text_status == "unchecked"


def test_an_untranslated_interface_string_is_marked_and_counted(project: Path):
    po = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = po.read_text(encoding="utf-8")
    po.write_text(text.replace('msgid "Contents"\nmsgstr "Содержание"', 'msgid "Contents"\nmsgstr ""'), "utf-8")
    html, _ = russian_html(project)
    assert "\ue000" not in html and "\ue001" not in html
    body = html[html.find("<body") :]
    assert re.findall(r'<span class="fallback" lang="en" data-marker="[^"]+">Contents</span>', body)
    marks = body.count('class="fallback"')
    assert re.findall(r"(?<!\d)\d+ текст", html) == ["1 текст"]  # one text, however often it is printed
    places = {1: "1 место", 2: "2 места", 3: "3 места", 4: "4 места"}.get(marks, f"{marks} мест")
    assert f"({places} в издании)" in html.replace("\u00a0", " ")


def test_a_po_export_edited_by_a_script_and_imported_changes_exactly_those_texts(project: Path):
    from babel.messages.pofile import read_po, write_po

    source, po = str(project / "source"), project / "ru.po"
    path = project / "translations" / "ru.yaml"
    edit_english(project)  # one stale text: exported fuzzy
    assert run_build("translation", "--source", source, "--lang", "ru", "--export", str(po)).returncode == 0
    with po.open("rb") as stream:
        catalog = read_po(stream)
    fuzzy = [m.context for m in catalog if m.id and m.fuzzy]
    assert fuzzy == [PARAGRAPH]
    edited = {"keyword.children.label": "дети (правка)", "decision.7/17.paragraph.2": "Новый текст пункта."}
    for message in catalog:
        if message.context in edited:
            message.string = edited[message.context]
    with po.open("wb") as stream:
        write_po(stream, catalog, width=0)
    before = read_translations(path, project, Problems())
    result = run_build("translation", "--source", source, "--lang", "ru", "--import", str(po))
    assert result.returncode == 0, result.stderr
    after = read_translations(path, project, Problems())
    changed = {key for key in after if getattr(after[key], "text", None) != getattr(before.get(key), "text", None)}
    assert changed == set(edited)
    assert {key: after[key].text for key in edited} == edited
    assert after[PARAGRAPH].hash == before[PARAGRAPH].hash  # fuzzy: still stale until accepted


def test_a_po_file_naming_an_unknown_id_is_refused_at_its_line(project: Path):
    po = project / "bad.po"
    po.write_text('msgctxt "keyword.nothing.label"\nmsgid "nothing"\nmsgstr "ничто"\n', encoding="utf-8")
    before = (project / "translations" / "ru.yaml").read_bytes()
    result = run_build("translation", "--source", str(project / "source"), "--lang", "ru", "--import", str(po))
    assert result.returncode == 1
    assert "bad.po:2: msgctxt 'keyword.nothing.label': no text of the source has this id" in result.stderr
    assert (project / "translations" / "ru.yaml").read_bytes() == before


OFFICE = re.compile(r"(Бюро )?Специальн\w+ представител\w+ и (?P<k>[Кк])оординатор\w*")


def test_the_russian_texts_name_the_office_and_its_bodies_one_way():
    texts = [
        entry.text
        for entry in read_translations(PROJECT / "translations" / "ru.yaml", PROJECT, Problems()).values()
        if getattr(entry, "text", "")
    ]
    joined = "\n".join(texts)
    assert OFFICE.search(joined) and all(m["k"] == "к" for m in OFFICE.finditer(joined))  # not a title
    assert "БСП/КТЛ" not in joined and "OSR/CTHB" not in joined
    assert "Святой Престол" not in joined and "Святейш" in joined
    assert "по предупреждению" not in joined and "по предотвращению" in joined
    catalogue = (PROJECT / "source" / "publications.yaml").read_text(encoding="utf-8")
    assert "БСП/КТЛ" not in catalogue and "Отдел ОБСЕ по стратегическим" not in catalogue


def test_check_reports_a_text_that_departs_from_the_terminology(project: Path):
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    assert text.count("Делегация Святейшего Престола") == 1
    path.write_text(text.replace("Делегация Святейшего Престола", "Делегация Святого Престола"), encoding="utf-8")
    result = check(project, "--lang", "ru", "--strict")
    assert result.returncode == 1
    line = next(n for n, t in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if "Святого" in t) - 2
    assert (
        f"translations/ru.yaml:{line}: warning: 'decision.6/18.statement.1.delegation': terminology: "
        "'Holy See' rendered otherwise than 'Святейший Престол' (ru-terms.yaml)" in result.stderr
    ), result.stderr


def test_every_edition_explains_its_language_codes_in_its_language():
    from compendium.edition import Edition
    from compendium.pipeline import Report, prepare
    from compendium.render.html import render_html
    from compendium.source.project import Project

    project = Project(root=PROJECT)
    # each language's own dash between a code and its name (Russian typography sets an em dash),
    # no-break spaces round it: a code never parted from its name (Russian editor, rounds 4-5); a word
    # joiner after it, since a line may break between a dash and a no-break space (book designer, round 10)
    for lang, start, dash, english in (
        ("en", "Language codes:", "\u00a0–\u2060\u00a0", "ENG\u00a0–\u2060\u00a0English"),
        ("ru", "Коды языков:", "\u00a0—\u2060\u00a0", "АНГЛ\u00a0—\u2060\u00a0английский"),
    ):
        compendium, language = prepare(Edition(lang), project, False, Report())
        html = render_html(compendium, Edition(lang).layout, project, language)
        legend = re.findall(r'<p class="lead language-legend">(.*?)</p>', html)
        assert len(legend) == 2 and legend[0] == legend[1], legend  # in the imprint and before the directory
        assert legend[0].startswith(start) and english in legend[0], legend
        assert html.index("language-legend") < html.index('class="contents"')  # before the first citation
        assert html.rindex("language-legend") < html.index('class="directory-entry"')
        used = {code for p in compendium.publications for code in p.languages}
        assert legend[0].count(dash) == len(used)
        assert not re.search(rf"{dash}[A-Z]{{3}}\b", legend[0])  # every code named, none left as a code
