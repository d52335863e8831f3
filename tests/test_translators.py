"""A translator's workflow: a stale translation reported by `check`, accepted by `translation`,
printed in English until then; interface strings left untranslated; the cache never weakening --strict."""

from __future__ import annotations

import re
import shutil
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
