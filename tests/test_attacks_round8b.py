"""Attacker round 8, N2 and N3 (docs/reviews/2026-12-06/attacker-round8.md): content a stylesheet hides fails."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7 import SCREEN, new_project

CAUSES = (
    "(hidden, display: none, visibility: hidden, opacity: 0, a colour the same as its background, clipped by "
    "overflow: hidden, placed off the page, scaled or set too small to read, painted over, lines drawn over each "
    "other or a condition in the project's layouts or stylesheets?)"
)
FIRST = "Calls on the participating States to …"
SECOND = "Tasks the relevant executive structur…"
THIRD = "Encourages the participating States t…"


def provisions(*which: tuple[str, str]) -> list[str]:
    """The lines of provisions left out, each at the stylesheet's line 1."""
    return [
        f"styles/screen.css:1: provision {number} is not printed: expected its text ('{text}') on its page, "
        f"found it left out or unseen {CAUSES}"
        for number, text in which
    ]


def content(what: str) -> list[str]:
    return [f"styles/screen.css:1: {what} text on the pages, found it left out or unseen {CAUSES}"]


ALL = provisions(("01", FIRST), ("02", SECOND), ("03", THIRD))
RESOURCES = "3 resource panels (the first: 'Resources by keyword On training: The…') are not printed: expected their"
CASES = {
    # N2: the provision texts clipped, transparent, the colour of their panel, off the page
    # 01's first line shows, not its last words ("the theme"), which its resource panel also holds
    ".provision-text{height:0;overflow:hidden}": ALL,
    ".provision-text p{max-height:0;overflow:hidden;margin:0}": ALL,
    ".provision-text{opacity:0}": ALL,
    ".provision-text{color:white}": ALL,  # white on the section's pale tint
    ".provision-text{color:transparent}": ALL,
    ".provision-text{position:absolute;left:-9999mm}": ALL,
    ".provision-text p{text-indent:-9999mm}": ALL,
    # laid out on the page, drawn off it (attacker round 8, left open)
    ".provision-text{transform:translate(-9999mm)}": ALL,
    ".provision-text p{transform:translateY(400mm)}": ALL,
    # once a KeyError in WeasyPrint's tagging; refused at its line before anything is laid out
    ".provision-text{transform:scale(0)}": [
        "styles/screen.css:1: transform: scale(0): flattens what it applies to to nothing (a scale of 0,"
        " or a matrix without an inverse), which WeasyPrint cannot write into a tagged PDF and no reader"
        " would see; remove it"
    ],
    # N3: the resource panels, the annexed decisions' official text, the directory
    ".resources{display:none}": content(RESOURCES),
    ".resources{color:white}": content(RESOURCES),
    ".operative{display:none}": content(
        "the operative part of an annexed decision ('1. Calls on the participating States …') is not printed: "
        "expected its"
    ),
    ".preamble{display:none}": content(
        "the preamble paragraph of an annexed decision ('Recalling its commitments on the theme,') is not printed: "
        "expected its"
    ),
    ".directory-entry{display:none}": content(
        "2 directory entries (the first: 'On training: Provisions: 01, 02 The o…') are not printed: expected their"
    ),
    # `.directory-keyword{display:none}` alone loses to the builder's `.directory .directory-keyword`
    ".directory .directory-keyword{display:none}": content(
        "2 directory entries' keywords (the first: 'On training:') are not printed: expected their"
    ),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> tuple[Path, bytes]:
    """A project from `compendium new`, built once: its folder and its PDF's bytes."""
    root, _, good = new_project(tmp_path_factory.mktemp("built"), *SCREEN)
    return root, good


def attacked(built: tuple[Path, bytes], tmp_path: Path, rule: str) -> tuple[Path, Path]:
    """A copy of the built project whose styles/screen.css is the one rule: its folder and PDF."""
    root = tmp_path / "p"
    shutil.copytree(built[0], root)
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text(rule + "\n", encoding="utf-8")
    return root, next((root / "output").glob("*.pdf"))


@pytest.mark.parametrize("rule", list(CASES))
def test_content_a_stylesheet_hides_or_makes_unseen_fails_the_build_at_its_line(built, tmp_path: Path, rule: str):
    """The build passed with no word while the provision texts were clipped, transparent, white on
    their panel or off the page (N2), and while the resource panels, the annexed decisions' preamble
    and operative paragraphs and the directory's entries were display: none (N3). The good PDF stays."""
    root, pdf = attacked(built, tmp_path, rule)
    code, err = run("--source", str(root / "source"), *SCREEN)
    assert code == 1 and "Traceback" not in err, err
    assert [line for line in err.splitlines() if line.startswith("styles/")] == CASES[rule], err
    assert pdf.read_bytes() == built[1]


@pytest.mark.parametrize("rule", [".provision-text{opacity:0}", ".resources{display:none}"])
def test_the_build_in_parts_finds_content_a_stylesheet_makes_unseen(built, tmp_path: Path, rule: str):
    root, pdf = attacked(built, tmp_path, rule)
    code, err = run("--source", str(root / "source"), *SCREEN, "--parts")
    assert code == 1, err
    assert [line for line in err.splitlines() if line.startswith("styles/")] == CASES[rule], err
    assert pdf.read_bytes() == built[1]


@pytest.mark.parametrize(
    "rule",
    [
        "",  # the project unmodified
        ".directory-keyword{display:none}",  # loses to the builder's rule: nothing hidden
        # white on a dark panel is seen (the selector outweighs the section's tint)
        "blockquote.provision-text.provision-text{color:white;background:#1f5f99}",
        ".resources{opacity:0.8}\n.preamble{color:#555}",
        ".provision-text{transform:translate(1mm, 1mm) rotate(1deg)}",  # moved a little: still seen
    ],
)
def test_a_stylesheet_that_hides_nothing_builds(built, tmp_path: Path, rule: str):
    root, _ = attacked(built, tmp_path, rule)
    code, err = run("--source", str(root / "source"), *SCREEN, "--force")
    assert code == 0, err
