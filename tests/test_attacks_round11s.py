"""Attacker round 11 (docs/reviews/2026-12-07/attacker-round11.md), M1, M2, S6, S1, N1, N7: each passed check."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError
from markupsafe import Markup

from compendium.render.sandbox import bounded_sandbox
from tests.test_attacks_round8d import laid_out
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
