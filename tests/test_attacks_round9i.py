"""Attacker round 9 (docs/reviews/2026-12-06/attacker-round9.md): YAML slips named at their line
(P14), output names too long for the file system (P21), links inside the project (P18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new

STARTER_LIST = "  - list:\n      - First point;\n      - Second point.\n"


@pytest.mark.parametrize(
    ("name", "old", "new_text", "expected"),
    [
        (
            "publications.yaml",
            "  title: A guide to the theme\n",
            "  title: 'A guide to the theme's sequel'\n",
            "publications.yaml:5: malformed YAML: a ' inside a text in '…': write '' or put the text in \"…\"",
        ),
        (
            "publications.yaml",
            "  title: A guide to the theme\n",
            '  title: "A guide to the "theme""\n',
            'publications.yaml:5: malformed YAML: a " inside a text in "…": write \\" or put the text in \'…\'',
        ),
        (
            "keywords.yaml",
            "  label: victims\n",
            "  label victims\n",
            "keywords.yaml:5: malformed YAML: a colon is missing: 'label victims' stands where a key is expected "
            "(write `label: victims`)",
        ),
        (
            "publications.yaml",
            "  authors: [The organization]\n",
            "  authors: [The organization\n",
            "publications.yaml:4: malformed YAML: the list in [ … ] that begins on this line is not closed on it "
            "(a missing ] at its end?); the parser only stopped at line 5",
        ),
        (
            "introduction.yaml",
            STARTER_LIST,
            "  - list: [First point[^guide];, Second point.]\n",
            "introduction.yaml:4: malformed YAML: a [ inside an item of a list in [ … ]: put the item in quotes "
            '("First point[^guide];"), or write the list as lines beginning with "- "',
        ),
    ],
    ids=["apostrophe", "double-quote", "colon", "unclosed-list", "bracket-in-item"],
)
def test_a_yaml_slip_is_named_at_the_line_it_was_made(tmp_path: Path, name: str, old: str, new_text: str, expected):
    """P14: these were told as an indentation error, as the parser's own words, or at a line past
    the end of the file."""
    root = new(tmp_path)
    path = root / "source" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new_text), encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0] == f"source/{expected}", err
