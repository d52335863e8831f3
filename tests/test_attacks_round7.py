"""The hostile tester's sixth round, findings 5 to 7 (docs/reviews/2026-12-06/attacker-round6.md):
what the laid-out pages leave out (a cover's last lines, a hidden provision) once passed without a word."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run

BUILDER = Path(__file__).parent.parent
LONG_TITLE = " ".join(f"Compendium words {n}" for n in range(40))
SCREEN = ("--lang", "en", "--variant", "screen", "--jobs", "1")


def new_project(tmp_path: Path, *build: str) -> tuple[Path, Path, bytes]:
    """A project from `compendium new`, built once: its folder, its PDF and the PDF's bytes."""
    root = tmp_path / "p"
    assert run("new", str(root))[0] == 0
    code, err = run("--source", str(root / "source"), *build)
    assert code == 0, err
    pdfs = sorted((root / "output").glob("*.pdf"))
    return root, pdfs[-1], pdfs[-1].read_bytes()


def retitled(root: Path, title: str) -> None:
    compendium = root / "source" / "compendium.yaml"
    lines = compendium.read_text(encoding="utf-8").splitlines(keepends=True)
    assert lines[3].startswith("title: ")  # the message's line
    lines[3] = f'title: "{title}"\n'
    compendium.write_text("".join(lines), encoding="utf-8")


@pytest.mark.parametrize(
    ("build", "title"),
    [
        (SCREEN, LONG_TITLE),
        (SCREEN, " | ".join(f"Line {n}" for n in range(60))),
        (("--lang", "en", "--variant", "print", "--jobs", "1"), LONG_TITLE),  # the shop's cover, laid out alone
        (("--lang", "en", "--variant", "handout", "--section", "I", "--jobs", "1"), LONG_TITLE),
    ],
    ids=["screen", "marked-lines", "print-cover", "handout"],
)
def test_a_cover_title_too_long_fails_the_build_at_its_line_and_keeps_the_pdf(tmp_path: Path, build, title):
    """Finding 5: the lines past the cover were never laid out (WeasyPrint drops what a positioned
    block has past the page's foot); the build warned, or said nothing, and replaced the good PDF."""
    root, pdf, good = new_project(tmp_path, *build)
    retitled(root, title)
    code, err = run("--source", str(root / "source"), *build)
    assert code == 1 and "Traceback" not in err, err
    first = err.splitlines()[0]
    assert first.startswith("source/compendium.yaml:4: the title and subtitle are too long for the cover: "), err
    assert first.endswith("; shorten them (or mark fewer lines with ' | ')"), err
    if "handout" not in build:  # the handout's cover names the selection: the title runs into its scope
        assert "into its publisher line ('The publishing office')" in first, err
    if "print" not in build and "handout" not in build:  # the last lines laid out stop at the page's foot
        lost = "from 'Compendium words 18 " if title == LONG_TITLE else "from 'Line 18 Line 19 "
        assert lost in first and "' on, they are not printed at all" in first, err
    assert pdf.read_bytes() == good


def test_a_cover_title_that_fits_in_marked_lines_builds(tmp_path: Path):
    root, pdf, _ = new_project(tmp_path, *SCREEN)
    retitled(root, " | ".join(f"Line {n}" for n in range(8)))
    code, err = run("--source", str(root / "source"), *SCREEN)
    assert code == 0, err
    assert "too long for the cover" not in err


PROVISION = (BUILDER / "layouts" / "_provision.html").read_text(encoding="utf-8")
ONE = "{% if provision.number != 2 %}\n" + PROVISION + "{% endif %}\n"


@pytest.mark.parametrize(
    ("name", "text", "checked", "wanted"),
    [
        (
            "layouts/_provision.html",
            PROVISION.replace('<div class="provision">', '<div class="provision" hidden>'),
            True,
            ["layouts/_provision.html:3: the layouts print none of the 3 provisions "],
        ),
        ("layouts/_provision.html", ONE, True, ["layouts/_provision.html:1: provision 02 is not printed: "]),
        ("styles/screen.css", ".provision { display: none }\n", False, ["styles/screen.css:1: provision 01 is not"]),
        (
            "styles/screen.css",
            "\n.provision-text { visibility: hidden }\n",
            False,
            ["styles/screen.css:2: provision 03"],
        ),
    ],
    ids=["hidden", "condition", "display-none", "visibility-hidden"],
)
def test_a_provision_the_project_hides_fails_the_build_at_its_line_and_keeps_the_pdf(
    tmp_path: Path, name: str, text: str, checked: bool, wanted: list[str]
):
    """Finding 6: the hidden attribute, display: none in the project's stylesheet or a condition
    around one provision passed check and the build, and the provisions vanished without a word.
    The build finds each one on the laid-out pages; check, what the HTML shows (not the CSS)."""
    root, pdf, good = new_project(tmp_path, *SCREEN)
    (root / name).parent.mkdir()
    (root / name).write_text(text, encoding="utf-8")
    code, err = run("--source", str(root / "source"), *SCREEN)
    assert code == 1 and "Traceback" not in err, err
    for line in wanted:
        assert any(problem.startswith(line) for problem in err.splitlines()), err
    if "none of" not in wanted[0]:
        assert "on its page, found it left out or unseen (hidden, display: none, visibility: hidden, opacity: 0" in err
    assert pdf.read_bytes() == good
    code, err = run("check", "--source", str(root / "source"))
    assert (code == 1) == checked, err
    if checked:
        assert err.startswith(wanted[0]), err


def test_the_build_in_parts_finds_a_provision_the_stylesheet_hides(tmp_path: Path):
    root, pdf, good = new_project(tmp_path, *SCREEN)
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text("#provision-02 .provision { display: none }\n")
    code, err = run("--source", str(root / "source"), *SCREEN, "--parts")
    assert code == 1, err
    lines = [line.split(" is not printed: ")[0] for line in err.splitlines() if " is not printed: " in line]
    assert lines == ["styles/screen.css:1: provision 02"], err
    assert pdf.read_bytes() == good


def test_a_project_stylesheet_that_hides_nothing_builds(tmp_path: Path):
    root, _, _ = new_project(tmp_path, *SCREEN)
    (root / "styles").mkdir()
    sheet = (BUILDER / "styles" / "screen.css").read_text(encoding="utf-8")
    (root / "styles" / "screen.css").write_text(sheet + "\n.provision-word { display: none }\n")  # the word only
    code, err = run("--source", str(root / "source"), *SCREEN, "--force")
    assert code == 0, err


def test_check_renders_each_handout_through_the_project_s_handout_layout(tmp_path: Path):
    """Finding 7: a handout.html that prints no provision passed check; the build failed."""
    root = tmp_path / "p"
    assert run("new", str(root))[0] == 0
    (root / "layouts").mkdir()
    handout = (BUILDER / "layouts" / "handout.html").read_text(encoding="utf-8")
    (root / "layouts" / "handout.html").write_text(
        "".join(line for line in handout.splitlines(keepends=True) if "sections_and_annexes" not in line)
    )
    (root / "source" / "editions.yaml").write_text(
        "- lang: en\n  variants: [screen, handout]\n  handouts: [{section: I}]\n"
    )
    code, err = run("check", "--strict", "--source", str(root / "source"))
    assert code == 1, err
    assert err.splitlines()[0] == (
        "layouts/handout.html:1: the layouts print none of the 2 provisions (the project's own layouts replacing "
        "the builder's: layouts/handout.html): compare them with the builder's (a block or an include left out?)"
    ), err
    (root / "layouts" / "handout.html").write_text(handout)
    assert run("check", "--strict", "--source", str(root / "source")) == (0, "")


@pytest.mark.parametrize(
    ("html", "left"),
    [
        ("<p>a</p><div hidden><div>b</div>c</div><p>d</p>", "<p>a</p><p>d</p>"),
        ('<p class="x hidden" aria-hidden="true">a</p>', '<p class="x hidden" aria-hidden="true">a</p>'),
        ('<div style="color: red; display : none">a<img hidden src="x.png"></div>b', "b"),
        ('<p data-x="a > b" hidden>a</p>b<br hidden>c', "b" + "c"),
    ],
)
def test_check_reads_the_html_without_what_it_hides(html: str, left: str):
    from compendium.render.omitted import shown

    assert shown(html) == left
