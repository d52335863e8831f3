"""Attacker round 10, S11, S13, S14, S16 (and NICE items): a PDF says which project made it; a
project layout's images and characters, and a project stylesheet's content strings, are checked
at their line; a folder whose name is not UTF-8."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from tests.conftest import run_build

SCREEN = ("--lang", "en", "--variant", "screen", "--jobs", "1")


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project from `new`, never built: copied by each test that changes it."""
    root = tmp_path_factory.mktemp("starter") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def project(starter: Path, where: Path) -> Path:
    shutil.copytree(starter, where)
    return where


# --- S11. the PDF itself says which project made it ----------------------------------------------------


def test_another_project_s_pdf_is_not_replaced_once_the_cache_is_removed(starter: Path, tmp_path: Path):
    first, second = project(starter, tmp_path / "pa"), project(starter, tmp_path / "pb")
    shared = tmp_path / "shared"
    assert run_build("--source", str(first / "source"), *SCREEN, "--output", str(shared)).returncode == 0
    [pdf] = shared.glob("*.pdf")
    made = pdf.read_bytes()
    shutil.rmtree(shared / ".cache")  # a clean-up
    for force in ((), ("--force",)):
        result = run_build("--source", str(second / "source"), *SCREEN, "--output", str(shared), *force)
        assert result.returncode == 1 and result.stderr.splitlines()[0] == (
            f"{pdf}: made from another project's source (its metadata says so); this build of "
            f"{second / 'source'} would replace it (two compendia with the slug 'my-compendium'? give one its own "
            "slug in compendium.yaml, or build into another --output; or remove the PDF)"
        ), result.stderr
        assert pdf.read_bytes() == made
    assert run_build("--source", str(first / "source"), *SCREEN, "--output", str(shared)).returncode == 0


def test_a_pdf_with_no_mark_and_no_record_is_replaced_only_under_force(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    (root / "output").mkdir()
    pdf = root / "output" / "my-compendium-en.pdf"
    foreign = pikepdf.new()
    foreign.add_blank_page()
    foreign.save(pdf)
    made = pdf.read_bytes()
    result = run_build("--source", str(root / "source"), *SCREEN)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        f"{pdf}: not known to be made from {root / 'source'} (the PDF carries no mark of its source, and "
        ".cache/builds.json has no record of it); this build would replace it: build with --force to replace "
        "it, or build into another --output, or remove the PDF"
    ), result.stderr
    assert pdf.read_bytes() == made
    assert run_build("--source", str(root / "source"), *SCREEN, "--force").returncode == 0
    assert pdf.read_bytes() != made


def test_a_project_copied_or_moved_with_its_output_builds_again_without_its_cache(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    assert run_build("--source", str(root / "source"), *SCREEN).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    shutil.rmtree(copy / "output" / ".cache")
    (copy / "source" / "compendium.yaml").write_text(
        (copy / "source" / "compendium.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    result = run_build("--source", str(copy / "source"), *SCREEN)
    assert result.returncode == 0, result.stderr


def test_the_mark_is_an_xmp_identifier_beside_the_pdf_ua_claim(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    assert run_build("--source", str(root / "source"), *SCREEN).returncode == 0
    with pikepdf.open(root / "output" / "my-compendium-en.pdf") as pdf, pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        [mark] = meta["xmp:Identifier"]
    from compendium.source.project import Project

    assert mark == Project.from_source(root / "source").source_mark


# --- S13, S14. what a project's own layout or stylesheet prints --------------------------------------


def with_own(starter: Path, where: Path, folder: str, name: str, first_line: str) -> Path:
    """A copy of the starter project with its own copy of a builder layout or stylesheet, the line
    put first (a layout) or last (a stylesheet, whose 8th line it is then)."""
    root = project(starter, where)
    (root / folder).mkdir()
    text = (Path(__file__).parents[1] / folder / name).read_text(encoding="utf-8")
    text = f"{first_line}\n{text}" if folder == "layouts" else f"{text.rstrip()}\n{first_line}\n"
    (root / folder / name).write_text(text, encoding="utf-8")
    return root


def test_an_image_without_alt_in_a_project_layout_is_told_at_its_line(starter: Path, tmp_path: Path):
    root = with_own(starter, tmp_path / "p", "layouts", "_cover.html", '<img src="images/g.png" style="width:20mm">')
    (root / "images").mkdir()
    Image.new("RGB", (10, 10), "red").save(root / "images" / "g.png")
    told = (
        "layouts/_cover.html:1: an image without alt text (images/g.png): the PDF must say what each image shows; "
        'give the <img> an alt="…" that says it'
    )
    check = run_build("check", "--strict", "--source", str(root / "source"))
    warned = told.replace(":1: ", ":1: warning: ", 1)  # a warning, as the plain build's: --strict fails on it
    assert check.returncode == 1 and check.stderr.splitlines()[0] == warned, check.stderr
    build = run_build("--source", str(root / "source"), *SCREEN, "--strict")
    assert build.returncode == 1 and build.stderr.splitlines()[0] == told, build.stderr
    plain = run_build("--source", str(root / "source"), *SCREEN)
    assert plain.returncode == 0 and f"warning: {told}" in plain.stderr + plain.stdout, plain.stderr


def test_a_character_the_fonts_lack_in_a_project_layout_is_told_at_its_line(starter: Path, tmp_path: Path):
    root = with_own(starter, tmp_path / "p", "layouts", "_cover.html", "<p>Star \u2605 check</p>")
    told = "layouts/_cover.html:1: no glyph for '\u2605' (U+2605"
    check = run_build("check", "--source", str(root / "source"))
    assert check.returncode == 1 and check.stderr.startswith(told), check.stderr
    build = run_build("--source", str(root / "source"), *SCREEN)
    assert build.returncode == 1 and build.stderr.startswith(told), build.stderr


@pytest.mark.parametrize("written", ['" \u2605"', '"\\2605"'])
def test_a_character_the_fonts_lack_in_a_stylesheet_s_content_is_told_at_its_line(
    starter: Path, tmp_path: Path, written: str
):
    root = with_own(starter, tmp_path / "p", "styles", "screen.css", f".cover-organization::after{{content:{written}}}")
    assert len((root / "styles" / "screen.css").read_text(encoding="utf-8").splitlines()) == 8
    told = "styles/screen.css:8: no glyph for '\u2605' (U+2605"
    check = run_build("check", "--source", str(root / "source"))
    assert check.returncode == 1 and check.stderr.startswith(told), check.stderr
    build = run_build("--source", str(root / "source"), *SCREEN)
    assert build.returncode == 1 and build.stderr.startswith(told), build.stderr


def test_the_builder_s_own_layouts_and_stylesheets_pass_as_a_project_s():
    from compendium.source.fonts import fonts_in_use
    from compendium.source.ownwriting import check_css_writing, check_layout_writing
    from compendium.source.problems import Problems
    from compendium.source.project import Project

    builder, problems = Path(__file__).parents[1], Problems()
    with fonts_in_use(Project(builder).fonts):
        for path in sorted((builder / "layouts").rglob("*.html")):
            check_layout_writing(path.read_text(encoding="utf-8"), path.name, problems)
        for path in sorted((builder / "styles").rglob("*.css*")):
            check_css_writing(path.read_text(encoding="utf-8"), path.name, problems)
    assert problems.items == []


# --- S16. a folder whose name is not UTF-8 -----------------------------------------------------------


def test_a_folder_whose_name_is_not_utf8_is_refused_by_new_check_and_build_in_one_line(starter: Path, tmp_path: Path):
    """The build failed with a UnicodeEncodeError in urllib (an internal error) after new and check passed."""
    bad = Path(os.fsdecode(os.fsencode(tmp_path) + b"/\xff\xfe"))
    told = f"{tmp_path}/\\xff\\xfe: the folder's name '\\xff\\xfe' is not UTF-8 (made on another system?); rename it"
    made = run_build("new", str(bad))
    assert (made.returncode, made.stderr) == (1, f"new {told}\n")
    assert not bad.exists()
    shutil.copytree(starter, bad)
    for command in (("check",), ("build", *SCREEN), ("translation", "--lang", "ru")):
        result = run_build(*command, "--source", str(bad / "source"))
        assert (result.returncode, result.stderr) == (1, f"{told}\n"), (command, result.stderr)
    assert not (bad / "output").exists()
    elsewhere = run_build("--source", str(starter / "source"), *SCREEN, "--output", str(bad / "out"))
    assert (elsewhere.returncode, elsewhere.stderr) == (1, told.replace(": the", "/out: the", 1) + "\n")
    assert not (bad / "out").exists()


# --- NICE: N2, N6, N10, N12 ---------------------------------------------------------------------------


def checked(root: Path) -> subprocess.CompletedProcess:
    return run_build("check", "--strict", "--source", str(root / "source"))


def edited(root: Path, name: str, old: str, new: str) -> int:
    """Replaces a line's text in a source file; the line's number."""
    path = root / "source" / name
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return text[: text.index(old)].count("\n") + 1


def test_quotation_marks_with_markup_are_refused_at_their_line(starter: Path, tmp_path: Path):
    """N2: they were escaped and printed literally as the quotation marks; a dash with markup is refused."""
    root = project(starter, tmp_path / "p")
    (root / "typography").mkdir()
    (root / "typography" / "en.yaml").write_text(
        '# quotes\nquotes: ["<span style=\\"display:none\\">", "</span>", "„", "“"]\n', encoding="utf-8"
    )
    result = checked(root)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        "typography/en.yaml:2: quotes: expected a quotation mark (a character or two, no markup), found "
        "'<span style=\"display:none\">'"
    ), result.stderr


def test_a_replacement_character_in_a_text_is_a_warning_at_its_line(starter: Path, tmp_path: Path):
    """N6: U+FFFD (the sign of mis-decoded text) in a title passed and printed '�'."""
    root = project(starter, tmp_path / "p")
    line = edited(root, "compendium.yaml", "title: Compendium of decisions", 'title: "Compendium \\uFFFD of decisions')
    edited(root, "compendium.yaml", "on a theme\n", 'on a theme"\n')
    result = checked(root)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        f"source/compendium.yaml:{line}: warning: a replacement character (U+FFFD REPLACEMENT CHARACTER), the sign "
        "of text read in the wrong encoding: write the characters it stands for"
    ), result.stderr


def test_a_handout_section_in_lower_case_gets_its_numeral_suggested(starter: Path, tmp_path: Path):
    """N10: 'ii' got no "did you mean 'II'?", while 'III' did."""
    from compendium.source.problems import suggest_section

    assert suggest_section("ii", ["I", "II"]) == " (did you mean 'II'?)"
    root = project(starter, tmp_path / "p")
    edited(root, "editions.yaml", "variants: [screen]", "variants: [screen, handout]\n  handouts: [{section: ii}]")
    result = checked(root)
    assert result.returncode == 1 and "no section 'ii' (the sections are I, II) (did you mean 'II'?)" in result.stderr


@pytest.mark.parametrize(
    ("title", "how"), [("|Compendium", "at one end"), ("Compendium |", "with a space on one side only")]
)
def test_a_title_s_bar_at_one_end_is_a_warning_with_or_without_its_space(
    starter: Path, tmp_path: Path, title: str, how: str
):
    """N12: '|Compendium' printed '|Compendium' without the warning 'Compendium |' got."""
    root = project(starter, tmp_path / "p")
    line = edited(root, "compendium.yaml", "title: Compendium of decisions on a theme", f'title: "{title}"')
    result = checked(root)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        f"source/compendium.yaml:{line}: warning: key 'title': a bar {how} ('{title}') is no line mark "
        "(' | ' has words on both sides) and is printed as written"
    ), result.stderr
