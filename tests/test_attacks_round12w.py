"""Attacker round 12, M5, M6, S6, S7 and N1-N5: a translator's save made while a command ran, two
commands making one new file at once, a project stylesheet's page and nesting, and the smaller
faults, each told in one located line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from compendium import cli
from compendium.source import files
from tests.conftest import PROJECT, run_build


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("w") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def saved_by_an_editor(path: Path, text: str) -> None:
    """As an editor (or sed -i) saves: a new file renamed over the old."""
    fresh = path.with_name(path.name + ".new")
    fresh.write_text(text, encoding="utf-8")
    os.replace(fresh, path)


def test_a_translators_save_while_translation_runs_is_kept(tmp_path: Path, monkeypatch, capsys):
    for folder in ("source", "translations", "locale"):
        shutil.copytree(PROJECT / folder, tmp_path / folder)
    ru = tmp_path / "translations" / "ru.yaml"
    edited = ru.read_text(encoding="utf-8") + "# the translator's note, saved while the command ran\n"
    loading = cli._load_translation

    def load_then_save(project, lang):
        loaded = loading(project, lang)
        saved_by_an_editor(ru, edited)  # after the command read the file, before it writes it back
        return loaded

    monkeypatch.setattr(cli, "_load_translation", load_then_save)
    status = cli.main(["translation", "--source", str(tmp_path / "source"), "--lang", "ru"])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert ru.read_text(encoding="utf-8") == edited
    assert err.strip().splitlines() == [
        "cannot write translations/ru.yaml: it changed while this command ran (saved in an editor?): "
        "run the command again; the file is unchanged"
    ]
    assert not [p.name for p in ru.parent.iterdir() if p.name.endswith(".tmp")]


def test_a_rewrite_over_an_unchanged_file_goes_ahead(tmp_path: Path):
    target = tmp_path / "t.yaml"
    target.write_text("a\n")
    files.write_text(target, "b\n", since=files.Read.of(target))
    assert target.read_text() == "b\n"
    files.write_text(tmp_path / "new.yaml", "c\n", since=files.Read.of(tmp_path / "new.yaml"))
    assert (tmp_path / "new.yaml").read_text() == "c\n"


def made_meanwhile(monkeypatch, text: str) -> None:
    """Another command makes the file just before this one's final step (the window of the race)."""
    placing = files._into_place

    def first_another(temporary: Path, target: Path, doing: str, since, new: bool) -> None:
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
        placing(temporary, target, doing, since, new)

    monkeypatch.setattr(files, "_into_place", first_another)


def test_two_imports_into_one_new_file_keep_the_first(tmp_path: Path, monkeypatch, capsys):
    target = tmp_path / "out.yaml"
    made_meanwhile(monkeypatch, "# the other import's catalogue\n")
    status = cli.main(["import-catalogue", str(PROJECT / "tests" / "fixtures" / "csl" / "library.json"), str(target)])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert target.read_text(encoding="utf-8") == "# the other import's catalogue\n"
    assert err.strip().splitlines() == [
        f"import-catalogue: cannot write {target}: another command made it while this one ran, "
        "and it is never overwritten; nothing is written"
    ]
    assert [p.name for p in tmp_path.iterdir()] == ["out.yaml"]


def test_interface_and_new_never_overwrite_a_file_made_meanwhile(tmp_path: Path, monkeypatch, capsys):
    shutil.copytree(PROJECT / "source", tmp_path / "p" / "source")
    made_meanwhile(monkeypatch, "# the other's\n")
    status = cli.main(["interface", "--source", str(tmp_path / "p" / "source"), "--lang", "fr"])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    po = tmp_path / "p" / "locale" / "fr" / "LC_MESSAGES" / "messages.po"
    assert po.read_text(encoding="utf-8") == "# the other's\n"
    assert "another command made it while this one ran, and it is never overwritten" in err
    assert len(err.strip().splitlines()) == 1
    status = cli.main(["new", str(tmp_path / "q")])
    err = capsys.readouterr().err
    assert status == cli.FAILED, err
    assert "another command made it while this one ran" in err and len(err.strip().splitlines()) == 1
    assert [p.read_text(encoding="utf-8") for p in (tmp_path / "q" / "source").iterdir()] == ["# the other's\n"]


def with_screen_rules(root: Path, rules: str) -> Path:
    """A copy of the project whose styles/screen.css, the builder's, has `rules` from its line 8."""
    copy = root.parent / "styled"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root / "source", copy / "source")
    (copy / "styles").mkdir()
    text = (PROJECT / "styles" / "screen.css").read_text(encoding="utf-8")
    assert len(text.splitlines()) == 7
    (copy / "styles" / "screen.css").write_text(text + rules, encoding="utf-8")
    return copy


def test_a_page_size_of_a_project_stylesheet_is_told_at_its_line(project: Path):
    copy = with_screen_rules(project, "@page { size: A5; }\n@page { size: 12mm 12mm !important; margin: 1mm; }\n")
    check = run_build("check", "--source", str(copy / "source"))
    build = run_build("--source", str(copy / "source"), "--lang", "en", "--variant", "screen", "-q")
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert "styles/screen.css:8: @page size A5: the builder sets each page to the edition's paper" in result.stderr
        assert "--variant booklet for A5" in result.stderr
        assert "styles/screen.css:9: @page size 12mm 12mm:" in result.stderr
        assert "compendium.yaml" not in result.stderr and "Traceback" not in result.stderr


def test_the_builders_own_page_sizes_in_a_projects_copy_pass(project: Path):
    copy = with_screen_rules(project, "")
    for name in ("pages.css", "booklet.css", "paper-letter.css"):
        shutil.copy(PROJECT / "styles" / name, copy / "styles" / name)
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 0, check.stderr


@pytest.mark.parametrize(
    ("rule", "what"),
    [
        (":not(" * 400 + ".x" + ")" * 400 + " { color: red; }", "not()"),
        (".cover-title { width: " + "calc(" * 400 + "1mm" + ")" * 400 + "; }", "calc()"),
    ],
)
def test_css_nested_past_what_weasyprint_reads_is_refused_at_its_line(project: Path, rule: str, what: str):
    copy = with_screen_rules(project, rule + "\n")
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 1, check.stderr
    assert check.stderr.startswith(f"styles/screen.css:8: {what} nested more than 32 deep"), check.stderr
    assert "Traceback" not in check.stderr


def test_weasyprints_own_crash_names_the_stylesheets_that_differ_from_the_builders(project: Path):
    from compendium.pdf.problems import engine_failure
    from compendium.source.project import Project

    copy = with_screen_rules(project, ".x { color: red; }\n")
    shutil.copy(PROJECT / "styles" / "pages.css", copy / "styles" / "pages.css")  # as the builder's: not named
    try:
        raise RecursionError("maximum recursion depth exceeded")
    except RecursionError as error:
        said = engine_failure(error, Project.from_source(copy / "source"))
    assert "the project's own styles/ are the likely cause (styles/screen.css, which differ from the builder's" in said


def test_a_use_bomb_in_a_data_uri_is_told_whole_with_its_own_advice(project: Path):
    import base64

    svg = '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
    svg += '<defs><g id="a0"><rect/></g>'
    svg += "".join(f'<g id="a{n}">' + f'<use xlink:href="#a{n - 1}"/>' * 10 + "</g>" for n in range(1, 8))
    uri = (
        "data:image/svg+xml;base64,"
        + base64.b64encode((svg + '</defs><use xlink:href="#a7"/></svg>').encode()).decode()
    )
    copy = with_screen_rules(project, "")
    (copy / "layouts").mkdir()
    cover = (PROJECT / "layouts" / "_cover.html").read_text(encoding="utf-8")
    (copy / "layouts" / "_cover.html").write_text(f'<img alt="x" src="{uri}">' + cover, encoding="utf-8")
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 1, check.stderr
    [line] = [line for line in check.stderr.splitlines() if line.startswith("layouts/_cover.html:1:")]
    assert line.endswith(
        "(draws more than 100000 elements once its <use> elements are repeated and the SVG images it draws "
        "counted, which WeasyPrint would take too long to draw: export it again flattened)"
    ), line
    assert "only files under" not in line


@pytest.mark.parametrize(
    ("pages", "said"),
    [
        ('"5-5"', "a range of one page is the page: write '5', found '5-5'"),
        ('"10-12, 11"', "each page once, found '11' and '10-12' both giving page 11 in '10-12, 11'"),
        ('"99999999999999999999999"', "expected page numbers up to 99999, found '99999999999999999999999'"),
    ],
)
def test_a_page_range_of_one_page_a_page_twice_or_a_23_digit_page_is_refused_at_its_line(
    project: Path, pages: str, said: str
):
    copy = project.parent / "pages"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "source", copy / "source")
    provisions = copy / "source" / "provisions.yaml"
    text = provisions.read_text(encoding="utf-8")
    assert text.splitlines()[9] == '        - {publication: guide-2020, pages: "10-12"}'
    provisions.write_text(text.replace('pages: "10-12"', f"pages: {pages}"), encoding="utf-8")
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 1, check.stderr
    assert f"source/provisions.yaml:10: provision 1, keyword 'training': key 'pages': {said}" in check.stderr
    assert "Traceback" not in check.stderr


def test_proof_refuses_the_projects_proof_layout_when_it_takes_the_pages_from_the_pdf(project: Path):
    """No PDF yet: the provision's pages come from the edition built whole, which proof.html is no
    part of; it is refused all the same, as check refuses it."""
    copy = project.parent / "proofed"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "source", copy / "source")
    (copy / "layouts").mkdir()
    layout = (PROJECT / "layouts" / "proof.html").read_text(encoding="utf-8")
    (copy / "layouts" / "proof.html").write_text(layout.replace("{% block body %}", "{% block body %}{{ 1/0 }}"))
    proof = run_build(
        "proof", "--provision", "1", "--source", str(copy / "source"), "--lang", "en", "--variant", "screen"
    )
    assert proof.returncode == 1, proof.stderr
    assert proof.stderr == "proof: layouts/proof.html:4: the layout failed: ZeroDivisionError: division by zero\n"
    assert not (copy / "output").exists() or not list((copy / "output").glob("*.png"))


def with_url(root: Path, url: str) -> Path:
    """A copy of the project whose publication's url (publications.yaml:7) is `url`."""
    copy = root.parent / "addressed"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(root / "source", copy / "source")
    publications = copy / "source" / "publications.yaml"
    text = publications.read_text(encoding="utf-8")
    assert text.splitlines()[6] == "  url: https://www.example.org/guide"
    publications.write_text(text.replace("https://www.example.org/guide", url), encoding="utf-8")
    return copy


def test_an_idn_address_is_linked_in_punycode_and_printed_as_written(project: Path):
    from compendium.edition import Edition
    from compendium.pipeline import Report, prepare
    from compendium.render.html import render_html
    from compendium.source.project import Project

    copy = Project.from_source(with_url(project, "https://пример.рф/путь") / "source")
    compendium, language = prepare(Edition("en"), copy, False, Report())
    html = render_html(compendium, Edition("en").layout, copy, language)
    assert 'href="https://xn--e1afmkfd.xn--p1ai/%D0%BF%D1%83%D1%82%D1%8C"' in html
    assert "пример" in html  # the address printed as the reader types it


@pytest.mark.parametrize(
    ("url", "fault"),
    [
        ("https://example.org/%ZZ", "each % followed by two hexadecimal digits"),
        ("https://example.org:99999/", "a port from 1 to 65535"),
    ],
)
def test_an_address_no_browser_opens_is_refused_at_its_line(project: Path, url: str, fault: str):
    check = run_build("check", "--source", str(with_url(project, url) / "source"))
    assert check.returncode == 1, check.stderr
    assert "source/publications.yaml:7: publication 'guide-2020': key 'url': expected a web address" in check.stderr
    assert f"starting with https:// ({fault}), found '{url}'" in check.stderr


@pytest.mark.parametrize(
    ("words", "said"),
    [
        (
            [f"w{n}" for n in range(60000)],
            "typography/en.yaml:6: no_break_after: expected at most 500 words, found 60000",
        ),
        (
            ["p.", "x" * 300],
            "typography/en.yaml:6: no_break_after: expected words or short phrases of at most 200 characters, "
            "found 300",
        ),
    ],
)
def test_a_typography_list_past_its_bound_is_refused_at_its_line(project: Path, words: list[str], said: str):
    copy = project.parent / "typeset"
    shutil.rmtree(copy, ignore_errors=True)
    shutil.copytree(project / "source", copy / "source")
    (copy / "typography").mkdir()
    rules = (PROJECT / "typography" / "en.yaml").read_text(encoding="utf-8")
    listed = ", ".join(f'"{word}"' for word in words)
    rules = rules.replace(
        'no_break_after: ["p.", "pp.", "para", "paras", "No.", "Art.", "Vol."]', f"no_break_after: [{listed}]"
    )
    (copy / "typography" / "en.yaml").write_text(rules, encoding="utf-8")
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 1, check.stderr
    assert check.stderr.startswith(said), check.stderr


def test_css_a_layout_writes_nested_past_what_weasyprint_reads_is_refused_at_its_line(project: Path):
    copy = with_screen_rules(project, "")
    (copy / "layouts").mkdir()
    cover = (PROJECT / "layouts" / "_cover.html").read_text(encoding="utf-8")
    nested = ":not(" * 400 + ".x" + ")" * 400
    (copy / "layouts" / "_cover.html").write_text(f"<style>{nested} {{ color: red; }}</style>\n{cover}")
    check = run_build("check", "--source", str(copy / "source"))
    assert check.returncode == 1, check.stderr
    assert check.stderr.startswith("layouts/_cover.html:1: not() nested more than 32 deep"), check.stderr


def test_a_save_between_the_test_and_the_rename_is_put_back(tmp_path: Path, monkeypatch):
    """The editor saves in the last moment, after the file was compared with what was read: the
    new file and the saved one are exchanged, the saved one is found under the temporary name,
    and is put back in place."""
    target = tmp_path / "ru.yaml"
    target.write_text("as read\n", encoding="utf-8")
    since = files.Read.of(target)
    exchanging = files._exchange
    calls: list[str] = []

    def saved_first(first: Path, second: Path) -> bool:
        if not calls:
            saved_by_an_editor(target, "the translator's save\n")
        calls.append(second.name)
        return exchanging(first, second)

    monkeypatch.setattr(files, "_exchange", saved_first)
    with pytest.raises(files.WriteError, match="it changed while this command ran"):
        files.write_text(target, "the command's\n", since=since)
    assert calls == ["ru.yaml", "ru.yaml"]  # exchanged, then put back
    assert target.read_text(encoding="utf-8") == "the translator's save\n"
    assert [p.name for p in tmp_path.iterdir()] == ["ru.yaml"]


def test_a_cover_page_too_small_for_its_texts_is_blamed_on_the_page_not_the_year(project: Path):
    # margins check lets pass (a type area of 70 × 99 mm: round 13, S2) that the cover's texts do not fit
    copy = with_screen_rules(project, "@page { margin: 90mm 70mm !important; }\n")
    build = run_build("--source", str(copy / "source"), "--lang", "en", "--variant", "screen", "-q")
    assert build.returncode == 1, build.stderr
    assert "source/compendium.yaml:4: the cover's texts (title, publisher, year) run past its edge" in build.stderr
    assert "the cover's page is at fault, not the texts" in build.stderr
    assert "the year is too long" not in build.stderr and "Traceback" not in build.stderr
