"""Attacker round 10, M5, M9, S15, S3: text drawn over text, cover text off the page, each at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import build, new
from tests.test_attacks_round9_hidden import appended, line_of

OVERDRAWN = "text is drawn over other text"


@pytest.mark.parametrize(
    "rule",
    [
        ".provision-text p{letter-spacing:-0.55em}",
        ".resources{margin-top:-25mm}",
        ".provision-text{columns:12;column-gap:0}",
        ".provision-text p{float:left;width:1px}",
    ],
)
def test_text_drawn_over_text_is_one_error_at_its_rule(tmp_path: Path, rule: str):
    """M5: each of these rules drew a provision's glyphs over each other or over other text, rc=0."""
    root = appended(tmp_path, [rule])
    code, err = build(root)
    lines = [line for line in err.splitlines() if OVERDRAWN in line]
    at = line_of(root, "styles/screen.css", rule)
    assert code == 1 and len(lines) == 1 and lines[0].startswith(f"{at}: on page "), err


def test_text_drawn_over_text_in_parts_is_found_too(tmp_path: Path):
    """M5: a part laid out in its own process is looked at the same way."""
    root = appended(tmp_path, [".resources{margin-top:-25mm}"])
    code, err = build(root, "--parts")
    at = line_of(root, "styles/screen.css", "margin-top:-25mm")
    assert code == 1 and f"{at}: on a page, {OVERDRAWN}" in err, err


def test_tight_but_clear_text_is_not_drawn_over(tmp_path: Path):
    """M5: tight tracking and lines set solid are not text over text."""
    root = appended(tmp_path, [".provision-text p{letter-spacing:-0.05em;line-height:1}"])
    code, err = build(root)
    assert code == 0 and OVERDRAWN not in err, err


def with_line(root: Path, key: str, value: str) -> str:
    """Writes compendium.yaml's `key` as `value`, in quotes; its line, as a message names it."""
    path = root / "source" / "compendium.yaml"
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    number = next(n for n, line in enumerate(lines) if line.startswith(f"{key}:"))
    lines[number] = f'{key}: "{value}"\n'
    path.write_text("".join(lines), encoding="utf-8")
    return f"source/compendium.yaml:{number + 1}"


@pytest.mark.parametrize("parts", [(), ("--parts",)], ids=["whole", "parts"])
def test_a_publisher_too_long_for_the_cover_fails_at_its_line(tmp_path: Path, parts):
    """M9: a publisher of 150 words ran off the foot of the cover, rc=0 and no message."""
    root = new(tmp_path)
    at = with_line(root, "publisher", " ".join(["Organisation"] * 150))
    code, err = build(root, *parts)
    first = err.splitlines()[0]
    assert code == 1 and first.startswith(f"{at}: the publisher is too long for the cover: "), err
    assert "' on, it is not printed at all; shorten it" in first and OVERDRAWN not in err, err


def test_an_organization_too_long_for_the_cover_is_blamed_on_itself(tmp_path: Path):
    """S15: a long organization ran into the title and the message named the title's line."""
    root = new(tmp_path)
    at = with_line(root, "organization", " ".join(["Organisation"] * 150))
    code, err = build(root)
    lines = err.splitlines()
    assert code == 1 and lines[0].startswith(f"{at}: the organization's name is too long for the cover: "), err
    assert "into its title ('Compendium of decisions')" in lines[0], err
    assert not any("the title and subtitle are too long" in line or OVERDRAWN in line for line in lines), err


@pytest.mark.parametrize(
    ("find", "replace", "said"),
    [
        (
            'palette: ["#1f5f99", "#2b7a4b"]',
            'palette: [{colour: "#1f5f99", tint: "#1b1b1b"}, {colour: "#2b7a4b", tint: "#e2f0e7"}]',
            "brand: palette item 1, key 'tint': expected a tint the text stands out on",
        ),
        ('colour: "#1f4e79"', 'colour: "#f4f4f4"', "brand: key 'colour': expected a colour that stands out"),
    ],
    ids=["tint", "colour"],
)
def test_brand_colours_that_hide_text_are_refused_at_their_line_by_check(tmp_path: Path, find, replace, said):
    """S3: check passed them; the build then blamed provisions.yaml, or a layouts:1 the project has not."""
    root = new(tmp_path)
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8")
    assert find in text
    path.write_text(text.replace(find, replace), encoding="utf-8")
    line = next(n for n, written in enumerate(path.read_text(encoding="utf-8").splitlines(), 1) if replace in written)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and f"source/compendium.yaml:{line}: {said}" in err, err
    assert "Traceback" not in err and "layouts:1" not in err, err
