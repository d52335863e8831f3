"""Attacker round 11 (docs/reviews/2026-12-07/attacker-round11.md), M1, M2, S6, S1, N1, N7: each passed check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from compendium.pdf.problems import dropped_images
from compendium.render.sandbox import bounded_sandbox
from compendium.source.problems import Problems
from compendium.source.project import Project
from compendium.source.stylecheck import ONLY
from compendium.source.typography import read_rules
from tests.test_attacks_round7b import build
from tests.test_attacks_round8d import laid_out
from tests.test_attacks_round9_hidden import appended
from tests.test_attacks_round9b import SANDBOX, check

TOO_LONG = "a text longer than 1000000 characters"
# Each made a text past the cap in one step that was never measured: escaping lengthens a text.
GROWING = {
    "escape": "{{ ('<' * 900000)|escape|length }}",
    "e": "{{ ('&' * 300000)|e|length }}",
    "forceescape": "{{ ('&' * 900000)|forceescape|length }}",
    "forceescape-chain": "{% set a = ('&' * 99999)|forceescape %}{% set b = a|forceescape %}{{ b|forceescape|length }}",
    "urlencode": "{{ ('é' * 300000)|urlencode|length }}",
    "markup-escape": "{{ markup.escape('&' * 300000)|length }}",
    "a-project-filter": "{{ 'x'|grown|length }}",
}


@pytest.mark.parametrize("text", GROWING.values(), ids=GROWING.keys())
def test_a_filter_or_call_whose_result_passes_the_cap_is_refused(text: str):
    """M1: a chain of 22 forceescape made 85 million characters and 1.27 GB, and passed check."""
    env = bounded_sandbox(autoescape=True)
    env.filters["grown"] = lambda value: value * 2000000  # as html.py adds the builder's own filters
    started = time.process_time()
    with pytest.raises(SecurityError, match=TOO_LONG):
        env.from_string(text).render(markup=Markup)
    assert time.process_time() - started < 2


def test_filters_within_the_cap_work_as_before():
    env = bounded_sandbox(autoescape=True)
    rendered = env.from_string("{{ '<&>'|e }}|{{ 'a&b'|forceescape }}|{{ 'é'|urlencode }}|{{ [1, 2]|sum }}").render()
    assert rendered == "&lt;&amp;&gt;|a&amp;b|%C3%A9|3"


def test_an_escape_chain_in_a_layout_is_refused_at_its_line_in_check(tmp_path: Path):
    first = "{% set a0 = ('&' * 999999)|forceescape %}{% set a1 = a0|forceescape %}{{ a1|length }}"
    code, err = check(laid_out(tmp_path, first))
    assert (code, err.splitlines()[:1]) == (1, [f"layouts/_cover.html:1: refused: {TOO_LONG} {SANDBOX}"])


XLINK = 'xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink"'
LEVELS = "".join(f'<g id="l{i}">' + f'<use xlink:href="#l{i - 1}" x="0"/>' * 10 + "</g>" for i in range(1, 10))
INLINE = {
    # M2: 10 levels of 10 <use> each, 10^9 rectangles: check passed, the build hung for 7 minutes
    "nested-use": (
        f'<svg {XLINK} width="20" height="20"><defs><g id="l0"><rect width="1" height="1"/></g>{LEVELS}</defs>'
        '<use xlink:href="#l9"/></svg>',
        "draws more than 100000 elements once its <use> elements are repeated",
    ),
    # S6: a clip path clipped by itself: check passed, the build failed at '.'
    "clip-path-loop": (
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><defs><clipPath id="a" clip-path="url(#a)">'
        '<rect width="5" height="5" clip-path="url(#a)"/></clipPath></defs><rect width="10" height="10" '
        'clip-path="url(#a)"/></svg>',
        "url(#a) refers to an element holding it",
    ),
}


@pytest.mark.parametrize(("svg", "why"), INLINE.values(), ids=INLINE.keys())
def test_an_inline_svg_the_build_could_not_draw_is_refused_at_the_layout_s_line(tmp_path: Path, svg: str, why: str):
    root = laid_out(tmp_path, f"<p>a logo</p>\n{svg}")
    wanted = f"layouts/_cover.html:2: an SVG image written in the layout (<svg>): {why}"
    for code, err in (check(root), build(root)):
        assert (code, err.splitlines()[0][: len(wanted)]) == (1, wanted)


def test_an_inline_svg_s_use_of_a_file_is_refused_at_its_line(tmp_path: Path):
    """N7: `<use href="file:///etc/passwd#x"/>` passed check and the build (inert, but an <img> of it is refused)."""
    root = laid_out(tmp_path, '<svg width="9" height="9">\n<use href="file:///etc/passwd#x"/></svg>')
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (1, [f"layouts/_cover.html:2: a reference to file:///etc/passwd#x: {ONLY}"])


def test_an_inline_svg_within_the_limits_passes_check(tmp_path: Path):
    shapes = '<g id="a"><rect width="1" height="1"/></g>' + '<use xlink:href="#a" x="2"/>' * 20
    root = laid_out(tmp_path, f'<svg {XLINK} width="9" height="9"><text>a&nbsp;b</text>{shapes}</svg>')
    assert check(root) == (0, "")


def test_an_inline_svg_weasyprint_left_out_is_named_by_the_layout_s_line(tmp_path: Path):
    """S6: the build named '.' (the project folder, an inline SVG's address) and no layout line."""
    root = laid_out(tmp_path, '<svg width="9" height="9"></svg>')
    logged = [f"Failed to render SVG image {root.resolve().as_uri()}/", "Failed to load inline SVG: a reason"]
    said = "layouts/_cover.html:1: an SVG image written in the layout (<svg>): WeasyPrint could not draw this image"
    project = Project.from_source(root / "source", None)
    assert [line[: len(said)] for line in dropped_images(logged, project)] == [said, said]


@pytest.mark.parametrize("spacing", ["-0.1em", "-0.08em"])
def test_tight_word_spacing_is_not_text_drawn_over_text(tmp_path: Path, spacing: str):
    """S1: the build failed with 'the letters of '\u200b' drawn over each other': a zero-width
    space, which draws nothing, made narrower than nothing by the word spacing."""
    code, err = build(appended(tmp_path, [f"body {{ word-spacing: {spacing}; }}"]))
    assert (code, err) == (0, "")


def test_a_list_in_place_of_a_word_is_named_as_a_list(tmp_path: Path):
    """N1: `heading_phrases: [[x]]` was told as 'found [Node(value='x', origin=Origin(…))]': the reader's repr."""
    (tmp_path / "typography").mkdir()
    (tmp_path / "typography" / "en.yaml").write_text("heading_phrases: [[x]]\nquotes: [a, {b: c}]\n", encoding="utf-8")
    problems = Problems()
    read_rules(Project(tmp_path), "en", problems)
    assert [str(problem) for problem in problems.sorted()] == [
        "typography/en.yaml:1: heading_phrases: expected a list of words, found a list (word 1)",
        "typography/en.yaml:2: quotes: expected a list of words, found a mapping (word 2)",
    ]
