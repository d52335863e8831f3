"""Attacker round 9, P4 and P5 (/tmp/attacker-round9.md): content painted over, shrunk almost to
nothing or drawn line over line fails the build, at the stylesheet's line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7 import SCREEN
from tests.test_attacks_round8b import (  # noqa: F401 (built: the module's fixture)
    ALL,
    RESOURCES,
    attacked,
    built,
    content,
)

DECISION = (
    content("the annexed decision's opening ('The Ministerial Council,') is not printed: expected its")
    + content(
        "the preamble paragraph of an annexed decision ('Recalling its commitments on the theme,') is not printed: "
        "expected its"
    )
    + content(
        "the operative part of an annexed decision ('1. Calls on the participating States …') is not printed: "
        "expected its"
    )
)
CASES = {
    # P4: painted over
    '.provision::after{content:"";position:absolute;top:0;left:0;width:210mm;height:297mm;background:white;'
    "z-index:99}": ALL + content(RESOURCES),  # the panels too: the provision's number shows
    '.decision{position:relative} .decision::after{content:"";position:absolute;top:0;left:0;right:0;bottom:0;'
    "background:white;z-index:50}": DECISION,
    # painted outside each provision's text box: its own text shows in the outline's hole, the
    # headings and the resource panels around it do not
    ".provision-text{outline:300mm solid white}": content(RESOURCES),
    # P5: near zero, not zero
    ".provision-text p{transform:scale(0.01)}": ALL,
    ".provision-text p{transform:scaleY(0.02)}": ALL,
    ".decision{transform:scale(0.01)}": DECISION,
    ".provision-text p{font-size:1pt;line-height:0.1}": ALL,
    # every line drawn over the first: 01's reference is drawn over its one line
    ".provision-text p{line-height:0}": ALL,
    ".resources *{font-size:2pt}": content(RESOURCES),
    ".directory-entry{transform:scale(0.01)}": content(
        "2 directory entries (the first: 'On training: Provisions: 01, 02 The o…') are not printed: expected their"
    ),
}


@pytest.mark.parametrize("rule", list(CASES))
def test_content_painted_over_or_shrunk_fails_the_build_at_its_line(built, tmp_path: Path, rule: str):  # noqa: F811
    root, pdf = attacked(built, tmp_path, rule)
    code, err = run("--source", str(root / "source"), *SCREEN)
    assert code == 1 and "Traceback" not in err, err
    assert [line for line in err.splitlines() if line.startswith("styles/")] == CASES[rule], err
    assert pdf.read_bytes() == built[1]


@pytest.mark.parametrize(
    "rule",
    [
        ".provision-text{transform:scale(0.9)}",
        ".resources{font-size:0.4pt}",  # the panel's texts set their own sizes: nothing shrinks
        # a small badge beside the provision's number, painted over nothing of its text
        '.provision::before{content:"";position:absolute;top:0;right:0;width:4mm;height:4mm;background:#1f5f99;'
        "z-index:5}",
        ".provision-text:focus, .provision-text{outline:1px solid #1f5f99}",  # a thin outline
        ".provision-text{outline:2pt dashed #1f5f99;outline-offset:1mm}",
    ],
)
def test_a_stylesheet_that_paints_over_nothing_builds(built, tmp_path: Path, rule: str):  # noqa: F811
    root, _ = attacked(built, tmp_path, rule)
    code, err = run("--source", str(root / "source"), *SCREEN, "--force")
    assert code == 0, err
