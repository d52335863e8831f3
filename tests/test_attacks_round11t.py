"""Attacker round 11, M3, S4, M4, S2, S3, S5: a project's proof.html checked as its other layouts,
translation imports that run at once, a heading left no break, a damaged data: font and page
ranges that end before they begin, each told in one located line."""

from __future__ import annotations

import fcntl
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.source.problems import Problems
from compendium.source.translations import read_translations
from tests.conftest import PROJECT, run_build

FETCHED = '<img alt="x" src="file:///etc/passwd"><p style="background:url(file:///etc/hostname)">x</p>'
REFUSED = "layouts/proof.html:4: a reference to file:///etc/passwd: only files under fonts/"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("t") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def with_proof_layout(root: Path, snippet: str) -> None:
    """The builder's proof.html with `snippet` at the start of its body (its line 4)."""
    layout = (PROJECT / "layouts" / "proof.html").read_text(encoding="utf-8")
    assert layout.splitlines()[3] == "{% block body %}"
    (root / "layouts").mkdir(exist_ok=True)
    (root / "layouts" / "proof.html").write_text(layout.replace("{% block body %}", "{% block body %}" + snippet))


@pytest.mark.parametrize(
    ("snippet", "expected"),
    [("{{ 1/0 }}", "layouts/proof.html:4: the layout failed: ZeroDivisionError"), (FETCHED, REFUSED)],
)
def test_check_renders_the_projects_proof_layout(project: Path, snippet: str, expected: str):
    with_proof_layout(project, snippet)
    try:
        check = run_build("check", "--source", str(project / "source"))
    finally:
        shutil.rmtree(project / "layouts")
    assert check.returncode == 1, check.stderr
    assert expected in check.stderr, check.stderr
    assert "Traceback" not in check.stderr


def test_proof_refuses_a_file_reference_in_its_layout_at_its_line(project: Path):
    edition = ("--source", str(project / "source"), "--lang", "en", "--variant", "screen")
    assert run_build("proof", "--provision", "1", *edition).returncode == 0
    with_proof_layout(project, FETCHED)
    provisions = project / "source" / "provisions.yaml"
    text = provisions.read_text(encoding="utf-8")
    provisions.write_text(text + "# changed: the PDF is stale, and the provision is laid out alone\n")
    try:
        proof = run_build("proof", "--provision", "1", *edition)
    finally:
        shutil.rmtree(project / "layouts")
        provisions.write_text(text)
    assert proof.returncode == 1, proof.stderr
    assert proof.stderr.startswith(f"proof: {REFUSED}"), proof.stderr
    assert "Traceback" not in proof.stderr and "FatalURLFetchingError" not in proof.stderr


def changed_export(root: Path, name: str, key: str, text: str) -> Path:
    """The edition's texts exported as a translator's PO file, with the msgstr of `key` changed."""
    po = root / name
    export = run_build("translation", "--source", str(root / "source"), "--lang", "ru", "--export", str(po))
    assert export.returncode == 0, export.stderr
    lines = po.read_text(encoding="utf-8").split("\n")
    at = next(n for n in range(lines.index(f'msgctxt "{key}"'), len(lines)) if lines[n].startswith("msgstr"))
    lines[at] = f'msgstr "{text}"'
    po.write_text("\n".join(lines), encoding="utf-8")
    return po


def test_two_imports_at_once_each_keep_their_translators_change(tmp_path: Path):
    """The first import's run is held (the test takes the lock a command takes) while two imports
    start: each waits, saying so, then both changes are in ru.yaml (each had read the file before
    the other wrote it, and the last to write lost the other's change)."""
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    changes = {"metadata.title": "Заглавие переводчика А", "metadata.subtitle": "Подзаголовок переводчика Б"}
    pos = [changed_export(tmp_path, f"{n}.po", key, text) for n, (key, text) in enumerate(changes.items())]
    args = ["translation", "--source", str(tmp_path / "source"), "--lang", "ru", "--import"]
    folder = os.open(tmp_path / "translations", os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(folder, fcntl.LOCK_EX)
    try:
        runs = [
            subprocess.Popen(
                [sys.executable, str(PROJECT / "build.py"), *args, str(po)],
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                text=True,
                cwd=PROJECT,
            )
            for po in pos
        ]
        waited = [run.stderr.readline() for run in runs if run.stderr]
    finally:
        os.close(folder)  # the lock is released: the two go one after the other
    results = [run.communicate(timeout=120) for run in runs]
    assert (
        waited == ["translations/ru.yaml: another translation command is changing it; waiting for it to finish\n"] * 2
    )
    for run, (out, err) in zip(runs, results, strict=True):
        assert run.returncode == 0 and "imported 1 changed translation(s)" in out, err
    entries = read_translations(tmp_path / "translations" / "ru.yaml", tmp_path, Problems())
    assert {key: entries[key].text for key in changes} == changes
    assert sorted(p.name for p in (tmp_path / "translations").iterdir()) == sorted(
        p.name for p in (PROJECT / "translations").iterdir()
    )  # no lock file left behind


def with_pages(root: Path, pages: str) -> tuple[Path, Path]:
    """A copy of the project with the first citation's pages (provisions.yaml:10) and the
    introduction's footnote (introduction.yaml:9, below its publication) given `pages`."""
    copy = root.parent / "pages"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root / "source", copy / "source")
    provisions, introduction = copy / "source" / "provisions.yaml", copy / "source" / "introduction.yaml"
    text = provisions.read_text(encoding="utf-8")
    assert text.splitlines()[9] == '        - {publication: guide-2020, pages: "10-12"}'
    provisions.write_text(text.replace('pages: "10-12"', f"pages: {pages}"), encoding="utf-8")
    lines = introduction.read_text(encoding="utf-8").splitlines()
    assert lines[7:9] == ["  - id: guide", "    publication: guide-2020"]
    lines.insert(9, f"    pages: {pages}")
    introduction.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return copy, provisions


@pytest.mark.parametrize(("pages", "found"), [('"12-10"', "'12-10'"), ("0", "'0'"), ('"3, 9-8"', "'9-8' in '3, 9-8'")])
def test_a_page_0_or_a_range_ending_before_it_begins_is_refused_at_its_line(project: Path, pages: str, found: str):
    copy, _ = with_pages(project, pages)
    said = f"key 'pages': expected a page or a range first-last with 1 <= first <= last, found {found}"
    check = run_build("check", "--source", str(copy / "source"))
    build = run_build("--source", str(copy / "source"), "--lang", "en", "--variant", "screen", "-q")
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert f"source/provisions.yaml:10: provision 1, keyword 'training': {said}" in result.stderr
        assert f"source/introduction.yaml:10: footnote 'guide': {said}" in result.stderr
        assert "Traceback" not in result.stderr


def test_a_page_range_with_an_en_dash_is_read_as_a_range(project: Path):
    from compendium.source.load import load

    copy, _ = with_pages(project, '"10\u201312, 14"')
    compendium, problems = load(copy / "source")
    assert compendium is not None, [str(p) for p in problems.sorted()]
    [citation, *_] = compendium.provisions[0].resources[0].citations
    assert citation.pages == "10-12, 14"
    assert compendium.introduction.footnotes[0].citation.pages == "10-12, 14"


TITLE = (
    "A DECISION ON COMBATING TRAFFICKING IN HUMAN BEINGS INCLUDING THE RULES OF PROCEDURE OF THE "
    "ORGANIZATION FOR SECURITY AND CO-OPERATION IN EUROPE AND ITS INSTITUTIONS AND FIELD OPERATIONS"
)


def test_a_heading_the_typography_leaves_no_break_is_told_at_its_title_and_the_rule(project: Path):
    """Every word of a long title in heading_no_break_after: the title is one unbreakable word,
    once blamed on compendium.yaml's 'organization:' line (a key holding its longest word)."""
    copy = project.parent / "heading"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "source", copy / "source")
    decision = copy / "source" / "decisions" / "mc-dec-1-24.yaml"
    text = decision.read_text(encoding="utf-8")
    assert text.splitlines()[15] == "title: A DECISION ON THE THEME"
    decision.write_text(text.replace("title: A DECISION ON THE THEME", f"title: {TITLE}"), encoding="utf-8")
    rules = (PROJECT / "typography" / "en.yaml").read_text(encoding="utf-8").splitlines()
    number = next(n for n, line in enumerate(rules, 1) if line.startswith("heading_no_break_after:"))
    words = ", ".join(f'"{word}"' for word in sorted(set(TITLE.split())))
    rules[number - 1] = f"heading_no_break_after: [{words}]"
    (copy / "typography").mkdir()
    (copy / "typography" / "en.yaml").write_text("\n".join(rules) + "\n", encoding="utf-8")
    build = run_build("--source", str(copy / "source"), "--lang", "en", "--variant", "screen", "-q")
    assert build.returncode == 1, build.stderr
    rule = f"heading_no_break_after (typography/en.yaml:{number}) joins every word of it"
    lines = [line for line in build.stderr.splitlines() if "past the edge of its column" in line]
    assert lines, build.stderr
    for line in lines:
        assert line.startswith("source/decisions/mc-dec-1-24.yaml:16: "), build.stderr
        assert f"expected a place to break it; {rule}: take a word of this text out of that list" in line
    assert "compendium.yaml" not in build.stderr


def test_a_font_given_as_a_data_uri_is_refused_at_its_line_in_check_and_build(project: Path):
    """A damaged font in a data: URI passed check, and the build only warned, naming no line; a
    font is a file of fonts/, which check opens and measures."""
    import base64

    damaged = base64.b64encode((PROJECT / "fonts" / "NotoSans-Regular.ttf").read_bytes()[:3000]).decode()
    (project / "styles").mkdir()
    fonts = (PROJECT / "styles" / "fonts.css").read_text(encoding="utf-8")
    line = fonts.count("\n") + 2
    face = f'\n@font-face {{ font-family: "Evil"; src: url(data:font/ttf;base64,{damaged}); }}\n'
    (project / "styles" / "fonts.css").write_text(fonts + face, encoding="utf-8")
    try:
        check = run_build("check", "--source", str(project / "source"))
        build = run_build("--source", str(project / "source"), "--lang", "en", "--variant", "screen", "-q")
    finally:
        shutil.rmtree(project / "styles")
    said = "…): expected a font file of fonts/ named by url(), which check and the build open and measure"
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert f"styles/fonts.css:{line}: a font given as a data: URI (data:font/ttf;base64,{damaged[:9]}{said}" in (
            result.stderr
        )
        assert "Traceback" not in result.stderr
    with_proof_layout(project, '<style>@font-face { font-family: "E"; src: url("data:font/ttf;base64,AAEA"); }</style>')
    try:
        check = run_build("check", "--source", str(project / "source"))
    finally:
        shutil.rmtree(project / "layouts")
    assert f"layouts/proof.html:4: a font given as a data: URI (data:font/ttf;base64,AAEA{said}" in check.stderr


def test_a_year_given_where_a_text_is_expected_says_how_to_quote_it(project: Path):
    from compendium.source.load import load

    copy = project.parent / "forthcoming"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "source", copy / "source")
    publications = copy / "source" / "publications.yaml"
    lines = publications.read_text(encoding="utf-8").splitlines()
    assert lines[11] == "  year: 1999"
    lines[11] = "  forthcoming: 2019"
    publications.write_text("\n".join(lines) + "\n", encoding="utf-8")
    _, problems = load(copy / "source")
    said = "key 'forthcoming': expected text, found the number 2019: write \"2019\" in quotes"
    assert any(str(p).startswith("source/publications.yaml:12: ") and said in str(p) for p in problems.sorted()), [
        str(p) for p in problems.sorted()
    ]


def test_quiet_still_prints_that_the_record_of_builds_was_ignored(project: Path):
    """-q prints problems only: a record of builds ignored (every edition built again) is one."""
    record = project / "output" / ".cache" / "builds.json"
    record.parent.mkdir(parents=True, exist_ok=True)
    record.write_text("{", encoding="utf-8")
    build = run_build("--source", str(project / "source"), "--lang", "en", "--variant", "screen", "-q")
    assert build.returncode == 0, build.stderr
    assert f"warning: {record} ignored (" in build.stderr
    assert "every edition is built again" in build.stderr


def test_an_imported_msgstr_is_read_with_the_escapes_msgfmt_reads(tmp_path: Path):
    """\\x41 and \\101 are "A" to gettext (msgfmt); the import kept them as written."""
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    po = changed_export(tmp_path, "x.po", "metadata.title", "Сборник \\x41\\101\\t!")
    assert 'msgstr "Сборник \\x41\\101\\t!"' in po.read_text(encoding="utf-8")
    taken = run_build("translation", "--source", str(tmp_path / "source"), "--lang", "ru", "--import", str(po))
    assert taken.returncode == 0 and "imported 1 changed translation(s)" in taken.stdout, taken.stderr
    entries = read_translations(tmp_path / "translations" / "ru.yaml", tmp_path, Problems())
    assert entries["metadata.title"].text == "Сборник AA !"  # the tab a space, as every space run
