"""Attacker round 13, M2, M3, S1 and S2: an edit saved while a build runs, a folder whose name is not
UTF-8 in any input folder, characters the fonts lack made by CSS, and a page with almost no type
area, each told in one located line."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import compendium.pipeline
from compendium import cli
from tests.conftest import PROJECT, run_build

FOREIGN = os.fsdecode(b"\xe9")  # a folder name from another system: not UTF-8


@pytest.fixture(scope="module")
def made(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("y") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


@pytest.fixture
def project(made: Path, tmp_path: Path) -> Path:
    root = tmp_path / "p"
    shutil.copytree(made / "source", root / "source")
    return root


def build(root: Path, *more: str) -> list[str]:
    return ["build", "--source", str(root / "source"), "--lang", "en", "--variant", "screen", *more]


def test_an_edit_saved_while_the_build_runs_is_built_next_time(project: Path, monkeypatch, capsys):
    settings = project / "source" / "compendium.yaml"
    text = settings.read_text(encoding="utf-8")
    assert "year: 2024" in text
    settings.write_text(text.replace("year: 2024", "year: 2041"), encoding="utf-8")
    building = compendium.pipeline.build

    def build_then_save(*args, **kwargs):
        report = building(*args, **kwargs)
        saved = project / "source" / "compendium.yaml.new"  # as sed -i or an editor saves
        saved.write_text(text.replace("year: 2024", "year: 2042"), encoding="utf-8")
        os.replace(saved, settings)
        return report

    monkeypatch.setattr(compendium.pipeline, "build", build_then_save)
    assert cli.main(build(project)) == cli.DONE
    err = capsys.readouterr().err
    assert err.strip().splitlines() == [
        "warning: source/compendium.yaml changed while the build ran: the PDF may not hold the change; "
        "build again to have it"
    ]
    monkeypatch.setattr(compendium.pipeline, "build", building)
    assert cli.main(build(project)) == cli.DONE
    out, err = capsys.readouterr()
    assert out.startswith("wrote "), out  # not "unchanged … made from the same inputs"
    assert not err
    assert cli.main(build(project)) == cli.DONE
    assert capsys.readouterr().out.startswith("unchanged "), "a build with nothing saved meanwhile is recorded"


@pytest.mark.parametrize(
    "folder",
    [
        f"locale/{FOREIGN}/LC_MESSAGES",
        f"translations/{FOREIGN}",
        f"typography/{FOREIGN}",
        f"layouts/{FOREIGN}",
        f"source/{FOREIGN}",
        f"source/decisions/{FOREIGN}",
        f"locale/ru/LC_MESSAGES/{FOREIGN}",
    ],
)
def test_a_folder_name_that_is_not_utf8_is_refused_by_check(project: Path, folder: str, capsys):
    (project / folder).mkdir(parents=True)
    assert cli.main(["check", "--source", str(project / "source")]) == cli.FAILED
    err = capsys.readouterr().err.strip().splitlines()
    shown = folder[: folder.index(FOREIGN)] + "\\xe9"
    assert err[0] == f"{shown}:1: a folder name that is not UTF-8 (made on another system?): rename it"
    assert err[-1].startswith("check failed: 1 error(s)")
    assert all(line.startswith(f"{shown}:1: ") for line in err[:-1]), err  # source/decisions/ warns of it too


def test_a_folder_name_that_is_not_utf8_is_refused_by_the_build(project: Path):
    (project / "locale" / FOREIGN / "LC_MESSAGES").mkdir(parents=True)
    result = run_build(*build(project))
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    refusal = "locale/\\xe9: a folder name that is not UTF-8 (made on another system?): rename it"
    assert result.stderr.splitlines()[0] == refusal


def test_page_margins_leaving_almost_no_type_area_are_refused_at_their_line(project: Path, capsys):
    styles = project / "styles"
    styles.mkdir()
    lines = (PROJECT / "styles" / "screen.css").read_text(encoding="utf-8").splitlines()
    (styles / "screen.css").write_text("\n".join([*lines, "@page { margin: 140mm 104mm; }"]) + "\n", encoding="utf-8")
    at = len(lines) + 1
    assert cli.main(["check", "--source", str(project / "source")]) == cli.FAILED
    assert capsys.readouterr().err.strip().splitlines() == [
        f"styles/screen.css:{at}: @page margin: leaves a type area of 2 × 0 mm on an A4 or Letter page (at least "
        "60 × 90 mm is needed to print the texts): make the margins smaller",
        "check failed: 1 error(s), 0 warning(s)",
    ]


@pytest.mark.parametrize(
    ("rule", "kept"),
    [
        ("@page { margin: 20mm 25mm; }", True),
        ("@page :left { margin-left: 80mm; margin-right: 75mm }", False),
        ("@media print { @page { margin: 40% } }", False),
        ("@page { margin: var(--m) 200mm; }", True),  # not known here: WeasyPrint's to judge
    ],
)
def test_a_type_area_is_measured_from_every_margin_declaration(rule: str, kept: bool):
    from compendium.source.css import MIN_TYPE_AREA, page_margins

    found = page_margins(f"/* a */\n{rule}\n", (210.0, 279.4))
    small = [line for line, width, height in found if width < MIN_TYPE_AREA[0] or height < MIN_TYPE_AREA[1]]
    assert small == ([] if kept else [2])


def test_characters_a_stylesheet_makes_that_the_fonts_lack_are_refused_at_its_line(project: Path, capsys):
    styles = project / "styles"
    styles.mkdir()
    lines = (PROJECT / "styles" / "screen.css").read_text(encoding="utf-8").splitlines()
    rule = ".cover-title { text-transform: full-width; }"
    (styles / "screen.css").write_text("\n".join([*lines, rule]) + "\n", encoding="utf-8")
    (project / "layouts").mkdir()
    cover = (PROJECT / "layouts" / "_cover.html").read_text(encoding="utf-8")
    listed = '<ol style="list-style-type: cjk-earthly-branch"><li>a</li><li>b</li></ol>'
    (project / "layouts" / "_cover.html").write_text(f"{listed}{cover}", encoding="utf-8")
    assert cli.main(["check", "--source", str(project / "source")]) == cli.FAILED
    err = capsys.readouterr().err.strip().splitlines()
    lacking = "which WeasyPrint would set in a font of this machine: remove it, or add their font to fonts/ and "
    assert err == [
        "layouts/_cover.html:1: list-style-type: cjk-earthly-branch: prints characters the fonts lack "
        f"('子、丑寅卯辰巳午未申酉戌'), {lacking}styles/fonts.css",
        f"styles/screen.css:{len(lines) + 1}: text-transform: full-width: prints characters the fonts lack "
        f"('０１２３４５６７８９ＡＢ'), {lacking}styles/fonts.css",
        "check failed: 2 error(s), 0 warning(s)",
    ]
    result = run_build(*build(project)[1:])
    assert result.returncode == 1
    assert result.stderr.splitlines()[:2] == err[:2]  # the rule's line, not the cover's title
    assert "shorten" not in result.stderr


@pytest.mark.parametrize("value", ["uppercase", "lower-roman", "disc", "none"])
def test_a_text_transform_or_list_style_the_fonts_can_print_passes(project: Path, value: str):
    from compendium.source.project import Project
    from compendium.source.stylecheck import made_characters

    css = f"p {{ text-transform: {value}; list-style: {value} inside; }}"
    assert made_characters(css, Project.from_source(project / "source")) == []
