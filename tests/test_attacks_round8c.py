"""Attacker round 8 (docs/reviews/2026-12-06/attacker-round8.md), N5, N8, N9, N11, N15, N16: each failed before."""

from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new

BUILDER_RU = Path(__file__).parents[1] / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
RUSSIAN_INTERFACE = "- lang: en\n  variants: [screen]\n- lang: ru\n  interface_only: true\n  variants: [screen]\n"


def test_interface_for_a_language_the_builder_translates_starts_from_its_translations(tmp_path: Path):
    """N5: `interface --lang ru` wrote every msgstr empty, and that catalogue replaced the
    builder's: the Russian edition printed its whole interface in English."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(RUSSIAN_INTERFACE, encoding="utf-8")
    code, out = _interface(root, "ru")
    written = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    assert (code, out) == (
        0,
        f"wrote {written}: a copy of the builder's Russian translations, every msgstr as the builder has it "
        "(the edition prints as before): change the ones you want to, then check --lang ru\n",
    )
    with BUILDER_RU.open("rb") as stream:
        builder = {m.id: m.string for m in read_po(stream, locale="ru") if m.id}
    with written.open("rb") as stream:
        project = {m.id: m.string for m in read_po(stream, locale="ru") if m.id}
    assert project == builder and project["Resources by keyword"] == "Материалы по ключевым словам"
    code, err = run("check", "--source", str(root / "source"), "--lang", "ru")
    assert code == 0 and "warning" not in err, err
    code, err = run("--source", str(root / "source"), "--lang", "ru", "--variant", "screen", "--jobs", "1", "-q")
    assert (code, err) == (0, "")  # no interface string printed in English, marked


def test_interface_for_a_language_the_builder_lacks_starts_empty(tmp_path: Path):
    root = new(tmp_path)
    code, out = _interface(root, "fr")
    written = root / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    assert (code, out) == (
        0,
        f"wrote {written}: translate each msgstr (a tool such as Poedit helps), then check --lang fr\n",
    )
    with written.open("rb") as stream:
        filled = [m.id for m in read_po(stream, locale="fr") if m.id and any(_forms(m.string))]
    assert filled == []


def _interface(root: Path, lang: str) -> tuple[int, str]:
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "compendium", "interface", "--lang", lang, "--source", str(root / "source")],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == ""
    return done.returncode, done.stdout


def _forms(string: str | tuple[str, ...]) -> tuple[str, ...]:
    return string if isinstance(string, tuple) else (string,)


@pytest.mark.parametrize(
    ("char", "named"), [("\u202e", "U+202E RIGHT-TO-LEFT OVERRIDE"), ("\u200f", "U+200F RIGHT-TO-LEFT MARK")]
)
def test_a_bidirectional_control_in_the_interface_catalogue_is_refused_at_its_line(
    tmp_path: Path, char: str, named: str
):
    """N8: U+202E in a msgstr of the project's catalogue printed the heading reversed ("Материалымаволс оп"),
    with rc 0 from check and the build, though the source and translations refuse it."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(RUSSIAN_INTERFACE, encoding="utf-8")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    lines = BUILDER_RU.read_text(encoding="utf-8").split("\n")
    line = lines.index('msgstr "Материалы по ключевым словам"')
    lines[line] = f'msgstr "Материалы{char} по ключевым словам"'
    catalogue.write_text("\n".join(lines), encoding="utf-8")
    refused = (
        f"locale/ru/LC_MESSAGES/messages.po:{line + 1}: a bidirectional control character ({named}) would "
        "reorder the printed text; remove it"
    )
    code, err = run("check", "--source", str(root / "source"), "--lang", "ru")
    assert (code, err.splitlines()[0]) == (1, refused), err
    code, err = run("--source", str(root / "source"), "--lang", "ru", "--variant", "screen", "--jobs", "1")
    # the build tells a catalogue's fault as check does, at its line (no missing file to add)
    assert (code, err.splitlines()[0]) == (1, refused), err
    assert not (root / "output" / "my-compendium-ru.pdf").exists()


def test_a_bidirectional_control_in_a_msgid_is_refused_at_its_line(tmp_path: Path):
    from compendium.source.interface import check_catalogue
    from compendium.source.problems import Problems

    catalogue = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    text = BUILDER_RU.read_text(encoding="utf-8")
    catalogue.write_text(text + '\nmsgid ""\n"Res\u2066ources"\nmsgstr "Материалы"\n', encoding="utf-8")
    problems = Problems()
    check_catalogue(catalogue, tmp_path, problems)
    assert [str(p) for p in problems.items] == [
        f"locale/ru/LC_MESSAGES/messages.po:{text.count(chr(10)) + 3}: a bidirectional control character "
        "(U+2066 LEFT-TO-RIGHT ISOLATE) would reorder the printed text; remove it"
    ]


@pytest.mark.parametrize(
    ("editions", "wanted"),
    [
        (
            "- lang: en\n  variants: [screen, screen]\n",
            "source/editions.yaml:2: edition 'en': variant 'screen' listed twice on this line: give it once",
        ),
        (
            "- lang: en\n  variants:\n    - screen\n    - print\n    - screen\n",
            "source/editions.yaml:5: edition 'en': variant 'screen' listed twice (also at source/editions.yaml:3): "
            "give it once",
        ),
        (
            "- lang: en\n  variants: [handout]\n  handouts:\n    - section: I\n    - section: I\n",
            "source/editions.yaml:5: edition 'en': handout section I listed twice (also at source/editions.yaml:4): "
            "give it once",
        ),
    ],
    ids=["flow", "block", "handout"],
)
def test_a_variant_given_twice_is_named_at_its_line(tmp_path: Path, editions: str, wanted: str):
    """N16: `variants: [screen, screen]` gave "edition 'en': listed twice (also at source/editions.yaml:1)",
    naming the entry's own line and not the variant repeated."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(editions, encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert (code, err.splitlines()[0]) == (1, wanted), err


def test_a_located_warning_of_the_build_says_warning_once(tmp_path: Path):
    """N15: the build printed "warning: typography/EN.yaml:1: warning: not read: …"."""
    root = new(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / "EN.yaml").write_text('keep_together: ["and/or"]\n', encoding="utf-8")
    code, err = run("--source", str(root / "source"), "--variant", "screen", "--jobs", "1", "-q")
    assert (code, err) == (
        0,
        "typography/EN.yaml:1: warning: not read: the builder reads a language's typographic rules from "
        "typography/<language>.yaml, the code in lower case (en.yaml)\n",
    )


BUILDER = Path(__file__).parents[1]


@pytest.mark.parametrize(
    ("folder", "copied", "holds"),
    [
        ("typography", "en.yaml", "typographic rules"),
        ("layouts", "_cover.html", "layouts"),
        ("styles", "screen.css", "stylesheets"),
        ("translations", "ru.yaml", "translations"),
    ],
)
def test_a_project_folder_saved_inside_source_is_warned_of(tmp_path: Path, folder: str, copied: str, holds: str):
    """N9: the builder's typography/en.yaml copied into source/typography/ (or _cover.html into
    source/layouts/) was passed over: check said `source OK` with no warning."""
    root = new(tmp_path)
    (root / "source" / folder).mkdir()
    (root / "source" / folder / copied).write_text((BUILDER / folder / copied).read_text(encoding="utf-8"))
    code, err = run("check", "--source", str(root / "source"))
    assert (code, err.splitlines()[0]) == (
        0,
        f"source/{folder}:1: warning: not read: {holds} belong in {folder}/ beside source/, not inside it "
        f"(move {copied} there)",
    ), err


@pytest.mark.parametrize(
    ("written", "meant"),
    [("styles/Screen.css", "styles/screen.css"), ("layouts/_Cover.html", "layouts/_cover.html"), ("Styles", "styles/")],
)
def test_a_file_named_in_another_case_than_the_builder_s_is_warned_of(tmp_path: Path, written: str, meant: str):
    """N9: styles/Screen.css and layouts/_Cover.html replaced nothing, without a word."""
    root = new(tmp_path)
    path = root / written
    if "." in written:
        path.parent.mkdir()
        path.write_text((BUILDER / meant).read_text(encoding="utf-8"), encoding="utf-8")
    else:
        path.mkdir()
        (path / "screen.css").write_text((BUILDER / "styles" / "screen.css").read_text(encoding="utf-8"))
    code, err = run("check", "--source", str(root / "source"))
    assert (code, err.splitlines()[0]) == (0, f"{written}:1: warning: not read: did you mean {meant}?"), err


@pytest.mark.parametrize(
    "written",
    [
        "locale/RU/LC_MESSAGES/messages.po",
        "locale/ru/lc_messages/messages.po",
        "locale/ru/LC_MESSAGES/Messages.po",
    ],
)
def test_an_interface_catalogue_in_another_case_is_warned_of(tmp_path: Path, written: str):
    """Attacker round 8 (left open): a catalogue saved as locale/RU/… was passed over for the
    builder's own, and the project's interface translations were lost without a word."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(RUSSIAN_INTERFACE, encoding="utf-8")
    catalogue = root / written
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(BUILDER_RU.read_text(encoding="utf-8"), encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    meant = "locale/ru/LC_MESSAGES/messages.po"
    assert code == 0 and f"{written}:1: warning: not read: did you mean {meant}?" in err.splitlines(), err


def test_a_catalogue_where_the_builder_reads_it_is_no_slip(tmp_path: Path):
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(RUSSIAN_INTERFACE, encoding="utf-8")
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    catalogue.write_text(BUILDER_RU.read_text(encoding="utf-8"), encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0 and "not read" not in err, err


def test_a_project_s_own_layout_included_by_its_name_is_no_slip(tmp_path: Path):
    root = new(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_Cover.html").write_text("<p>{{ _('Contents') }}</p>\n", encoding="utf-8")
    cover = (BUILDER / "layouts" / "_cover.html").read_text(encoding="utf-8")
    (root / "layouts" / "_cover.html").write_text(cover + '{% include "_Cover.html" %}\n', encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0 and "not read" not in err, err


def test_the_build_warns_of_files_in_the_wrong_place_once(tmp_path: Path):
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text("- lang: en\n  variants: [screen, print]\n", encoding="utf-8")
    (root / "source" / "layouts").mkdir()
    (root / "source" / "layouts" / "_cover.html").write_text("<p>cover</p>\n", encoding="utf-8")
    (root / "styles").mkdir()
    (root / "styles" / "Screen.css").write_text("", encoding="utf-8")
    code, err = run("--source", str(root / "source"), "--jobs", "1", "-q")
    assert (code, err) == (
        0,
        "source/layouts:1: warning: not read: layouts belong in layouts/ beside source/, not inside it "
        "(move _cover.html there)\nstyles/Screen.css:1: warning: not read: did you mean styles/screen.css?\n",
    )


def test_a_translation_saved_in_source_translations_is_named_where_it_is_missing(tmp_path: Path):
    """N9: "translations/ru.yaml is missing" did not say that the file sat in source/translations/."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text("- lang: en\n- lang: ru\n", encoding="utf-8")
    (root / "source" / "translations").mkdir()
    (root / "source" / "translations" / "ru.yaml").write_text("{}\n", encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == (
        "source/editions.yaml:2: edition 'ru': translations/ru.yaml is missing (source/translations/ru.yaml is "
        "there, but translations are read from translations/ beside source/: move it)"
    ), err


@pytest.mark.parametrize("before", [None, b"%PDF-1.7 the previous, good PDF"], ids=["first", "replaced"])
def test_sigterm_after_the_new_pdf_was_written_says_so(tmp_path: Path, monkeypatch, before: bytes | None):
    """N11: SIGTERM once the new PDF was in place still said "the previous PDF, if any, is unchanged"."""
    from compendium.pdf.output import Stopped
    from tests.test_attacks import run_cli

    def stopped(*args, **kwargs):  # the PDF is written: the main process records it, and is stopped
        raise Stopped(15)

    root = new(tmp_path)
    pdf = root / "output" / "my-compendium-en.pdf"
    if before is not None:
        pdf.parent.mkdir()
        pdf.write_bytes(before)
    monkeypatch.setattr("compendium.build.batch.record", stopped)
    # --force: a PDF with neither the mark of its source nor a build record is replaced only so (round 10, S11)
    code, _, err = run_cli("--jobs", "1", "--quiet", "--force", "--source", str(root / "source"))
    assert (code, err) == (143, f"build: stopped by signal 15 (SIGTERM); {pdf} had already been written anew\n")
    assert pdf.read_bytes().startswith(b"%PDF-") and pdf.read_bytes() != before


def test_sigterm_before_the_pdf_was_written_says_it_is_unchanged(tmp_path: Path, monkeypatch):
    from compendium.pdf.output import Stopped
    from tests.test_attacks import run_cli

    def stopped(*args, **kwargs):
        raise Stopped(15)

    root = new(tmp_path)
    (root / "output").mkdir()
    (root / "output" / "my-compendium-en.pdf").write_bytes(b"%PDF-1.7 the previous, good PDF")
    monkeypatch.setattr("compendium.pipeline.load_source", stopped)
    code, _, err = run_cli("--jobs", "1", "--quiet", "--force", "--source", str(root / "source"))
    assert (code, err) == (143, "build: stopped by signal 15 (SIGTERM); the previous PDF, if any, is unchanged\n")
