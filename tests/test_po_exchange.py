"""A translator's PO file coming back from a CAT tool: refused at its line, with nothing written,
when it is malformed, in another language, holds a text twice or breaks a footnote mark; fuzzy
entries stay stale until accepted; the English a stale translation was made from travels with it."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from compendium.source.problems import Problems
from compendium.source.translations import read_translations
from tests.conftest import PROJECT, run_build


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project's source, translations and interface catalogues."""
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    return tmp_path


def translation(project: Path, *args: str):
    return run_build("translation", "--source", str(project / "source"), "--lang", "ru", *args)


def exported(project: Path) -> Path:
    po = project / "ru.po"
    result = translation(project, "--export", str(po))
    assert result.returncode == 0, result.stderr
    return po


def line_of(path: Path, text: str) -> int:
    return next(n for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if line == text)


def msgstr_line(po: Path, key: str) -> int:
    """The line of the msgstr of the message whose msgctxt is `key`."""
    lines = po.read_text(encoding="utf-8").splitlines()
    start = lines.index(f'msgctxt "{key}"')
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.startswith("msgstr"))


def edit_line(po: Path, number: int, new: str) -> None:
    lines = po.read_text(encoding="utf-8").split("\n")
    lines[number - 1] = new
    po.write_text("\n".join(lines), encoding="utf-8")


def refused(project: Path, po: Path):
    """The import of `po`, which must fail and leave translations/ru.yaml as it was."""
    path = project / "translations" / "ru.yaml"
    before = path.read_bytes()
    result = translation(project, "--import", str(po))
    assert result.returncode == 1, result.stdout
    assert "translations/ru.yaml not rewritten" in result.stderr
    assert path.read_bytes() == before
    return result


def test_a_string_without_its_closing_quote_is_refused_at_its_line(project: Path):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label")
    edit_line(po, line, 'msgstr "граница')
    result = refused(project, po)
    assert f"ru.po:{line}: end of line within a string: the closing '\"' is missing" in result.stderr


@pytest.mark.parametrize(
    ("written", "said"),
    [
        ('msgstr "граница" x', "text after the string's closing quote: 'x'"),
        ('msgstr "гра\\qница"', "invalid escape '\\q' in a string"),
        ('msgstrr "граница"', "expected msgctxt, msgid, msgstr, a quoted string or a # comment"),
        ("граница", "expected msgctxt, msgid, msgstr, a quoted string or a # comment, found 'граница'"),
    ],
)
def test_any_syntax_error_babel_tolerates_is_refused_at_its_line(project: Path, written: str, said: str):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label")
    edit_line(po, line, written)
    assert f"ru.po:{line}: {said}" in refused(project, po).stderr


def test_a_file_in_another_language_is_refused_at_its_header(project: Path):
    po = exported(project)
    line = line_of(po, '"Language: ru\\n"')
    edit_line(po, line, '"Language: uk\\n"')
    result = refused(project, po)
    assert f"ru.po:{line}: Language is 'uk', expected 'ru'" in result.stderr
    edit_line(po, line, '"Language: ru_RU\\n"')  # a region of the right language is the right language
    assert translation(project, "--import", str(po)).returncode == 0


def test_a_text_given_twice_is_refused_naming_both_lines(project: Path):
    po = exported(project)
    first = line_of(po, 'msgctxt "keyword.border.label"')
    with po.open("a", encoding="utf-8") as stream:
        stream.write('\nmsgctxt "keyword.border.label"\nmsgid "border"\nmsgstr "рубеж"\n')
    second = len(po.read_text(encoding="utf-8").splitlines()) - 2
    result = refused(project, po)
    assert (
        f"ru.po:{second}: msgctxt 'keyword.border.label': a second message for this text (the first at line {first})"
        in result.stderr
    )


@pytest.mark.parametrize(
    ("mark", "said"),
    [
        ("", "footnote mark [^survey-2016] of the English text is missing"),
        ("[^survey-2061]", "footnote mark [^survey-2061] names no footnote"),
    ],
)
def test_a_footnote_mark_dropped_or_renamed_is_refused_at_the_msgstr(project: Path, mark: str, said: str):
    po = exported(project)
    key = "introduction.block.8"
    line = msgstr_line(po, key)
    text = po.read_text(encoding="utf-8")
    lines = text.splitlines()
    assert "[^survey-2016]" in lines[line - 1]
    assert "#. keep [^survey-2016] (a footnote mark) after the word it marks" in text  # the translator is told
    edit_line(po, line, lines[line - 1].replace("[^survey-2016]", mark))
    result = refused(project, po)
    assert f"ru.po:{line}: translation '{key}': {said}" in result.stderr


PARAGRAPH = "decision.6/17.paragraph.1"
BEFORE, AFTER = "Develop targeted prevention policies", "Develop well-targeted prevention policies"


def edit_english(project: Path) -> None:
    decision = project / "source" / "decisions" / "mc-dec-6-17.yaml"
    text = decision.read_text(encoding="utf-8")
    assert BEFORE in text
    decision.write_text(text.replace(BEFORE, AFTER), encoding="utf-8")


def check(project: Path, *args: str):
    return run_build("check", "--source", str(project / "source"), "--lang", "ru", *args)


def test_a_fuzzy_translation_of_the_present_english_stays_stale_until_accepted(project: Path):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label")
    edit_line(po, line, 'msgstr "государственная граница"')
    lines = po.read_text(encoding="utf-8").split("\n")
    lines.insert(line - 3, "#, fuzzy")  # above msgctxt, as a CAT tool's "needs review"
    po.write_text("\n".join(lines), encoding="utf-8")
    imported = translation(project, "--import", str(po))
    assert imported.returncode == 0, imported.stderr
    entries = read_translations(project / "translations" / "ru.yaml", project, Problems())
    assert entries["keyword.border.label"].text == "государственная граница"
    failed = check(project, "--strict")
    assert failed.returncode == 1
    assert "translation 'keyword.border.label': stale: not reviewed" in failed.stderr
    accepted = translation(project, "--accept", "keyword.border.label")
    assert accepted.returncode == 0, accepted.stderr
    assert check(project, "--strict").returncode == 0


def test_the_english_a_stale_translation_was_made_from_is_shown_until_accepted(project: Path):
    edit_english(project)
    change = f"'{BEFORE} based…' → '{AFTER} based…'"
    first = check(project)
    assert first.returncode == 0 and "(1 warning(s) above: errors under --strict)" in first.stdout
    assert f"translation '{PARAGRAPH}': stale: the English changed since this was translated: {change}" in (
        first.stderr
    ), first.stderr
    assert translation(project).returncode == 0  # the file rewritten keeps the English it was made from
    text = (project / "translations" / "ru.yaml").read_text(encoding="utf-8")
    assert f"# translated from: {BEFORE}" in text and f"# en: {AFTER}" in text
    assert change in check(project).stderr
    assert translation(project).returncode == 0  # and keeps it however often it is rewritten
    assert f"# translated from: {BEFORE}" in (project / "translations" / "ru.yaml").read_text(encoding="utf-8")
    po = exported(project)  # a CAT tool shows the difference from the previous msgid
    written = po.read_text(encoding="utf-8")
    at = written.index(f'msgctxt "{PARAGRAPH}"')
    entry = written[written.rindex("\n\n", 0, at) : at]
    assert "#, fuzzy" in entry and f'#| msgid "{BEFORE}' in entry
    previous = [line for line in entry.splitlines() if line.startswith("#|")]
    assert len(previous) == 1 and previous[0].endswith('level;"')  # one whole string, as gettext reads it
    msgfmt_finds_nothing(po)
    assert translation(project, "--accept", PARAGRAPH).returncode == 0
    assert "# translated from:" not in (project / "translations" / "ru.yaml").read_text(encoding="utf-8")


def test_the_imprint_tells_texts_not_yet_translated_from_translations_out_of_date(project: Path):
    from tests.test_translators import russian_html

    edit_english(project)  # one stale text, printed in the annex and on its provision's page
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r"^keyword\.border\.label:\n(  .*\n)+", text, re.M)
    path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")  # one text not translated
    html, _ = russian_html(project)
    body = html[html.find("<body") :]
    stale = body.count(f'data-text="{PARAGRAPH}" data-stale>')
    missing = body.count('data-text="keyword.border.label">')
    assert stale == 2 and missing > 2
    assert body.count('class="fallback"') == stale + missing
    flat = " ".join(html.replace("\u00a0", " ").split())
    assert (
        f"1 текст этого издания еще не переведен: он приводится на английском языке с пометой «англ.» ({missing} мест"
        in (flat)
    )
    assert (
        "Перевод 1 текста сделан с прежней редакции английского оригинала и устарел: до сверки вместо него "
        "приводится действующий английский текст с пометой «англ.» (2 места в издании)."
    ) in flat


def test_the_export_header_names_the_compendium_and_keeps_no_placeholder(project: Path):
    po = exported(project)
    header = po.read_text(encoding="utf-8").split("\n\n")[0]
    for placeholder in ("ORGANIZATION", "EMAIL@ADDRESS", "FULL NAME", "VERSION", "2000-01-01", "LL@li.org"):
        assert placeholder not in header
    assert '"Project-Id-Version: Compendium of OSCE Ministerial Council Decisions' in header
    assert '"Language: ru\\n"' in header
    msgfmt_finds_nothing(po)


def msgfmt_finds_nothing(po: Path) -> None:
    """gettext's own check of a PO file has nothing to say (where gettext is installed)."""
    if shutil.which("msgfmt"):
        checked = subprocess.run(["msgfmt", "-c", "-o", "/dev/null", str(po)], capture_output=True, text=True)
        assert checked.returncode == 0 and checked.stderr == "", checked.stderr


def test_the_import_names_what_it_changed_and_what_it_ignored(project: Path):
    po = exported(project)
    border = msgstr_line(po, "keyword.border.label")
    edit_line(po, border, 'msgstr ""')
    children = msgstr_line(po, "keyword.children.label")
    edit_line(po, children, 'msgstr "дети (правка)"')
    result = translation(project, "--import", str(po))
    assert result.returncode == 0, result.stderr
    assert "imported 1 changed translation(s) from" in result.stdout
    assert "\n  keyword.children.label\n" in result.stdout
    assert f"ru.po:{border}: warning: msgctxt 'keyword.border.label': empty msgstr ignored" in result.stderr
    entries = read_translations(project / "translations" / "ru.yaml", project, Problems())
    assert entries["keyword.border.label"].text == "граница"  # kept


def test_the_interface_catalogue_imported_by_mistake_is_refused_in_one_line(project: Path):
    result = refused(project, project / "locale" / "ru" / "LC_MESSAGES" / "messages.po")
    assert result.stderr.count("\n") == 2, result.stderr  # the reason, and 'not rewritten'
    assert "messages.po:1: not a file from --export: no message has a msgctxt" in result.stderr


def test_a_msgstr_ending_in_a_line_break_its_msgid_lacks_is_refused(project: Path):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label")
    edit_line(po, line, 'msgstr "граница\\n"')
    assert f"ru.po:{line}: msgctxt 'keyword.border.label': msgid and msgstr do not both begin and end" in (
        refused(project, po).stderr
    )


def test_an_interface_msgstr_that_lost_its_placeholder_says_so_in_words(project: Path):
    catalogue = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    assert 'msgstr "Тема: %(keyword)s (продолжение)"' in text
    catalogue.write_text(text.replace('msgstr "Тема: %(keyword)s (продолжение)"', 'msgstr "Тема (продолжение)"'))
    result = check(project)
    assert "msgstr has no placeholder; expected those of the msgid: %(keyword)s" in result.stderr, result.stderr
    assert result.stderr.count("msgstr has no placeholder") == 1  # once, at the catalogue's line
    assert "check failed: 1 error(s)" in result.stderr


def test_translation_without_a_language_suggests_one_an_edition_is_built_in(project: Path):
    result = run_build("translation", "--source", str(project / "source"))
    assert result.returncode == 2
    assert "translation needs one --lang, such as --lang ru" in result.stderr  # not a language no edition has


def test_the_pending_export_holds_only_the_texts_still_to_do(project: Path):
    edit_english(project)
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    entry = re.search(r"^keyword\.border\.label:\n(  .*\n)+", text, re.M)
    path.write_text(text.replace(entry.group(0), ""), encoding="utf-8")
    po = project / "pending.po"
    result = translation(project, "--export", str(po), "--pending")
    assert result.returncode == 0, result.stderr
    written = po.read_text(encoding="utf-8")
    assert re.findall(r'^msgctxt "(.*)"$', written, re.M) == ["keyword.border.label", PARAGRAPH]
    words = (
        1
        + len(AFTER.split())
        + len(re.search(r'msgid "(Develop well-targeted.*)"', written)[1].removeprefix(AFTER).split())
    )
    assert f"wrote {po}: 2 of " in result.stdout and f"({words} English words)" in result.stdout
    msgfmt_finds_nothing(po)


def test_each_exported_message_names_the_glossary_renderings_of_its_terms(project: Path):
    written = exported(project).read_text(encoding="utf-8")
    entry = written[: written.index('msgctxt "introduction.block.1"')].rsplit("\n\n", 1)[1]
    assert "#. glossary: participating States → государства-участники" in entry
    border = written[: written.index('msgctxt "keyword.border.label"')].rsplit("\n\n", 1)[1]
    assert "glossary:" not in border  # a text without a term names none


def test_a_file_saved_with_a_byte_order_mark_is_read(project: Path):
    po = exported(project)
    po.write_bytes(b"\xef\xbb\xbf" + po.read_bytes().replace("граница".encode(), "рубеж".encode(), 1))
    result = translation(project, "--import", str(po))
    assert result.returncode == 0, result.stderr
    assert "imported 1 changed translation(s)" in result.stdout and "\n  keyword.border.label" in result.stdout


def test_a_translation_with_a_broken_footnote_mark_is_reported_invalid_not_missing(project: Path):
    from compendium.source.load import load
    from compendium.source.translations import localize

    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    at = text.rindex("[^survey-2016]")  # the translation's, after the English shown above it
    assert text[text.rindex("\n", 0, at) :].startswith("\n  text:")
    path.write_text(text[:at] + text[at + len("[^survey-2016]") :], encoding="utf-8")
    compendium, _ = load(project / "source", project)
    _, coverage = localize(compendium, "ru", read_translations(path, project, Problems()), "англ.")
    lines = coverage.lines()
    assert "    invalid (translated, but refused by check: its footnote marks): introduction.block.8" in lines
    assert "    missing: introduction.block.8" not in lines


def test_a_plural_form_left_out_is_one_error_not_also_an_untranslated_warning(project: Path):
    catalogue = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    text = catalogue.read_text(encoding="utf-8")
    form = 'msgstr[2] "имеется на языках: %(languages)s"\n'
    assert text.count(form) == 1
    catalogue.write_text(text.replace(form, ""), encoding="utf-8")
    result = check(project)
    assert 'msgid "available in %(languages)s": msgstr[2] is missing' in result.stderr
    assert "check failed: 1 error(s), 0 warning(s)" in result.stderr, result.stderr


def test_a_broken_string_is_one_error_not_one_for_each_line_after_it(project: Path):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label")
    edit_line(po, line, 'msgstr "гра\n"ница"\n"и ещё"')  # the first line unterminated, two continuations after it
    result = refused(project, po)
    assert result.stderr.count("ru.po:") == 1 and f"ru.po:{line}: end of line within a string" in result.stderr


def test_an_export_imported_unchanged_changes_nothing_even_with_a_stale_text(project: Path):
    edit_english(project)  # stale, and the translation file not rewritten since
    po = exported(project)
    path = project / "translations" / "ru.yaml"
    before = read_translations(path, project, Problems())
    result = translation(project, "--import", str(po))
    assert result.returncode == 0, result.stderr
    assert "imported 0 changed translation(s)" in result.stdout
    after = read_translations(path, project, Problems())
    assert {key: (e.text, e.hash) for key, e in after.items() if isinstance(e, type(after[PARAGRAPH]))} == {
        key: (e.text, e.hash) for key, e in before.items() if isinstance(e, type(after[PARAGRAPH]))
    }


def test_an_import_never_undoes_a_translation_corrected_in_the_file_since_the_export(project: Path):
    po = exported(project)
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    for old, corrected in (('"дети"', '"дети (исправлено)"'), ('"граница"', '"граница (исправлено)"')):
        assert text.count(old) == 1
        text = text.replace(old, corrected)
    path.write_text(text, encoding="utf-8")  # an editor's corrections after the export
    line = msgstr_line(po, "keyword.children.label")
    edit_line(po, line, 'msgstr "дети (переводчик)"')  # the translator changed one of them too
    result = refused(project, po)
    assert f"ru.po:{line}: msgctxt 'keyword.children.label': the translation was changed in the edition's file" in (
        result.stderr
    )
    edit_line(po, line, 'msgstr "дети"')  # untouched in the CAT tool: both corrections stay
    taken = translation(project, "--import", str(po))
    assert taken.returncode == 0 and "imported 0 changed" in taken.stdout, taken.stderr
    entries = read_translations(path, project, Problems())
    assert entries["keyword.children.label"].text == "дети (исправлено)"
    assert entries["keyword.border.label"].text == "граница (исправлено)"


def test_english_edited_in_the_cat_tool_is_a_warning_at_its_msgid_and_the_text_stays_out_of_date(project: Path):
    po = exported(project)
    lines = po.read_text(encoding="utf-8").split("\n")
    start = lines.index('msgctxt "keyword.border.label"')
    msgid = start + 1 + next(n for n, line in enumerate(lines[start:]) if line.startswith("msgid"))
    edit_line(po, msgid, 'msgid "Borders and frontiers"')
    edit_line(po, msgstr_line(po, "keyword.border.label"), 'msgstr "границы и рубежи"')
    imported = translation(project, "--import", str(po))
    assert imported.returncode == 0, imported.stderr
    said = imported.stdout + imported.stderr
    assert (
        f"ru.po:{msgid}: warning: msgctxt 'keyword.border.label': the English of this message is not the source's"
        in said
    )
    entries = read_translations(project / "translations" / "ru.yaml", project, Problems())
    assert entries["keyword.border.label"].text == "границы и рубежи"
    failed = check(project, "--strict")  # made from English that is not the source's: out of date
    assert failed.returncode == 1 and "keyword.border.label" in failed.stderr


def test_a_file_whose_header_names_no_language_is_taken_with_a_warning(project: Path):
    po = exported(project)
    po.write_text(re.sub(r'"Language: ru\\n"\n', "", po.read_text(encoding="utf-8")), encoding="utf-8")
    assert "Language:" not in po.read_text(encoding="utf-8")
    imported = translation(project, "--import", str(po))
    assert imported.returncode == 0, imported.stderr
    assert "ru.po:1: warning: the header names no Language: taken as 'ru'" in imported.stderr


def test_an_export_onto_the_interface_catalogue_is_refused_and_leaves_it_whole(project: Path):
    catalogue = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    before = catalogue.read_bytes()
    result = translation(project, "--export", str(catalogue))
    assert result.returncode == 2, result.stderr
    assert result.stderr.startswith(f"build.py: --export {catalogue}: already a file of the project's locale/")
    assert catalogue.read_bytes() == before


def test_an_export_onto_a_link_to_a_project_input_is_refused(project: Path):
    (project / "translations" / "old.po").write_text("kept\n")
    (project / "elsewhere.po").symlink_to(project / "translations" / "old.po")
    result = translation(project, "--export", str(project / "elsewhere.po"))
    assert result.returncode == 2 and "already a file of the project's translations/" in result.stderr
    assert (project / "translations" / "old.po").read_text() == "kept\n"


def test_an_earlier_export_outside_the_inputs_may_be_overwritten(project: Path):
    po = exported(project)
    po.write_text("an earlier export\n")
    assert exported(project).read_text(encoding="utf-8").startswith("#")


def test_a_po_file_too_large_to_import_is_refused_by_name_before_it_is_read(project: Path):
    po = project / "big.po"
    with po.open("wb") as file:
        file.truncate(2 * 2**30 + 2**29)  # sparse: no disk is used, only the size is looked at
    result = translation(project, "--import", str(po))
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "big.po:1: a file of 2.5 GB, more than the builder reads (at most 64 MB)" in result.stderr


# Attacker round 5, S11: three edge cases of the import and the interface catalogue.


CONTENT_TYPE = '"Content-Type: text/plain; charset=utf-8\\n"'
BORDER = 'msgctxt "keyword.border.label"'


@pytest.mark.parametrize(
    ("at", "edited", "after", "wanted"),
    [
        # attacker round 5, S11: a plural message was called "an empty msgstr"
        (
            BORDER,
            'msgid_plural "border"\nmsgstr[0] "граница"\nmsgstr[1] "границы"',
            1,
            "msgctxt 'keyword.border.label': a plural message (msgid_plural, msgstr[N]): a text of the edition has "
            "one form; give it one msgstr",
        ),
        # attacker round 6, finding 4: a first Content-Type of UTF-8 hid a second of latin-1, by which Babel
        # decoded the file: every translation of ru.yaml was rewritten as mojibake
        (
            CONTENT_TYPE,
            CONTENT_TYPE + '\n"Content-Type: text/plain; charset=latin-1\\n"',
            1,
            "Content-Type: charset latin-1: the catalogue must be UTF-8",
        ),
        (
            CONTENT_TYPE,
            '"Content-Type: text/plain; charset=latin-1\\n"',
            0,
            "Content-Type: charset latin-1: the catalogue must be UTF-8 (as --export writes it): save it as UTF-8",
        ),
        # attacker round 5, N3: it was written into ru.yaml, which check and the build then refused
        (
            BORDER,
            'msgstr "гра\u202eница"',
            0,
            "a bidirectional control character (U+202E RIGHT-TO-LEFT OVERRIDE) would reorder the printed text; "
            "remove it",
        ),
    ],
)
def test_an_edited_po_file_is_refused_at_its_line_with_ru_yaml_untouched(project: Path, at, edited, after, wanted):
    po = exported(project)
    line = msgstr_line(po, "keyword.border.label") if at == BORDER else line_of(po, at)
    edit_line(po, line, edited)
    result = refused(project, po)
    assert f"ru.po:{line + after}: {wanted}" in result.stderr, result.stderr
    assert "empty msgstr" not in result.stderr


def test_an_interface_catalogue_with_a_byte_order_mark_is_one_line_saying_so(project: Path):
    catalogue = project / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.write_bytes(b"\xef\xbb\xbf" + catalogue.read_bytes())
    result = check(project)
    assert (
        "locale/ru/LC_MESSAGES/messages.po:1: a byte-order mark (U+FEFF) at the start: save it as UTF-8 without BOM"
        in result.stderr
    ), result.stderr
    assert "malformed" not in result.stderr


def test_an_unknown_id_is_named_with_the_id_it_may_stand_for(project: Path):
    """Attacker round 5, N9: --accept suggested one; check and the import did not."""
    path = project / "translations" / "ru.yaml"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("\nkeyword.border.label:", "\nkeyword.bordr.label:", 1), encoding="utf-8")
    line = line_of(path, "keyword.bordr.label:")
    result = check(project)
    assert (
        f"translations/ru.yaml:{line}: warning: translation 'keyword.bordr.label': unknown id: no such text in the "
        "source (a text removed or renamed?) (did you mean 'keyword.border.label'?)" in result.stderr
    ), result.stderr
    po = project / "bad.po"
    po.write_text('msgctxt "keyword.bordr.label"\nmsgid "border"\nmsgstr "граница"\n', encoding="utf-8")
    result = refused(project, po)
    assert "(exported from another version?) (did you mean 'keyword.border.label'?)" in result.stderr
