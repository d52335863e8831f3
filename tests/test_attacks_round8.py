"""Attacker round 8 (docs/reviews/2026-12-06/attacker-round8.md): each finding fixed, a test that failed before."""

from __future__ import annotations

import pytest

from compendium.source.problems import Problems
from compendium.source.yamlsource import parse


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("text: Tasks the relevant executive structures #2 and #3 to support such training;", "#2 and #3"),
        ("label: children #first", "#first"),
    ],
)
def test_a_comment_that_cuts_a_plain_text_short_is_a_warning_at_its_line(line: str, cut: str):
    """N1: ' #2 and #3' ended the paragraph's text (YAML reads a comment from ' #'), printed cut
    short in the provision and the annex with no word, even under --strict."""
    problems = Problems()
    node = parse(f"# a file\nid: x\n{line}\n", "source/provisions.yaml", problems)
    assert node is not None
    assert [str(p) for p in problems.items] == [
        f"source/provisions.yaml:3: warning: '{line[line.index(cut) :][:40]}' after the text starts a YAML comment "
        "(a space, then #) and is not read: put the whole text in quotes if it belongs to it"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "text: A text  # a comment as people write one",
        'text: "A quoted text #2 and #3"',
        "colour: #1f5f99",  # an unquoted colour: reported where the colour is read
        "text: A text with a#hash inside",
    ],
)
def test_a_comment_as_people_write_one_is_no_warning(line: str):
    problems = Problems()
    assert parse(f"id: x\n{line}\n", "source/compendium.yaml", problems) is not None
    assert problems.items == []


def test_the_shipped_source_has_no_text_cut_by_a_comment():
    from tests.conftest import PROJECT

    for path in sorted((PROJECT / "source").rglob("*.yaml")) + sorted((PROJECT / "translations").glob("*.yaml")):
        problems = Problems()
        parse(path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT)), problems)
        assert not [p for p in problems.items if "YAML comment" in str(p)], path
