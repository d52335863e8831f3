"""Attacker round 10 (docs/reviews/2026-12-06/attacker-round10.md), M3, M4, S6 and S9: each passed check before."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from compendium.render.sandbox import bounded_sandbox
from tests.test_attacks_round7b import new
from tests.test_attacks_round8d import laid_out
from tests.test_attacks_round9b import SANDBOX, check

# Each made a text or a number past the sandbox's caps in one operation, and only bytes were not measured.
TOO_LONG = "a text longer than 1000000 characters"
TOO_BIG = "a number of more than 10000 digits"
REFUSED = {
    "bytes-repeat": ("{{ ('x'.encode() * 2000000)|length }}", TOO_LONG),
    "bytes-repeat-left": ("{{ (2000000 * 'x'.encode())|length }}", TOO_LONG),
    "bytes-ljust": ("{{ 'x'.encode().ljust(2000000)|length }}", TOO_LONG),
    "bytes-center": ("{{ 'x'.encode().center(2000000)|length }}", TOO_LONG),
    "bytes-zfill": ("{{ 'x'.encode().zfill(2000000)|length }}", TOO_LONG),
    "bytes-expandtabs": ("{{ ('\t'.encode() * 1000).expandtabs(10000)|length }}", TOO_LONG),
    "bytes-replace": ("{{ ('x'.encode() * 1000).replace('x'.encode(), ('y' * 10000).encode())|length }}", TOO_LONG),
    "bytes-join": ("{{ ('y' * 900000).encode().join(['a'.encode(), 'b'.encode(), 'c'.encode()])|length }}", TOO_LONG),
    "bytes-plus": ("{% set a = ('x' * 900000).encode() %}{{ (a + a)|length }}", TOO_LONG),
    "bytes-format": ("{{ ('%2000000d'.encode() % 1)|length }}", TOO_LONG),
    "strftime": ("{{ day.strftime('%Y' * 499999)|length }}", TOO_LONG),
    "power": ("{% set a = 10**999999 - 1 %}{% set b = 10**500000 + 1 %}{{ (a // b) % 10 }}", TOO_BIG),
    "product": ("{% set a = 10**9000 %}{{ (a * a) % 10 }}", TOO_BIG),
    "from-bytes": ("{{ (0).from_bytes('x'.encode() * 999999, 'big') % 10 }}", TOO_BIG),
}


@pytest.mark.parametrize(("text", "why"), REFUSED.values(), ids=REFUSED.keys())
def test_bytes_and_big_numbers_are_refused_before_they_are_made(text: str, why: str):
    """M3: bytes slipped past the cap on texts ('x'.encode() * 999999999 took 1 GB); S6: one
    division of million-digit numbers ran 18 s, out of the 10 s clock's reach."""
    started = time.process_time()
    with pytest.raises(SecurityError, match=why):
        bounded_sandbox().from_string(text).render(day=datetime.date(2024, 1, 1))
    assert time.process_time() - started < 2


def test_small_bytes_and_numbers_work_as_before():
    template = (
        "{{ 'x'.encode().ljust(3) }}|{{ 'ab'.encode().hex() }}|{{ 2**64 * 3 }}|{{ (10**5000 // 7) % 10 }}|{{ 'a' * 2 }}"
    )
    assert bounded_sandbox().from_string(template).render() == f"b'x  '|6162|{2**64 * 3}|{(10**5000 // 7) % 10}|aa"


def test_bytes_in_a_layout_are_refused_at_its_line_in_check(tmp_path: Path):
    """M3: `{{ ('x'.encode() * 999999999)|length }}` at the top of _cover.html passed check."""
    root = laid_out(tmp_path, "{{ ('x'.encode() * 2000000)|length }}")
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (1, [f"layouts/_cover.html:1: refused: {TOO_LONG} {SANDBOX}"])


def test_bytes_in_a_section_stylesheet_template_are_refused_at_its_line_in_check(tmp_path: Path):
    """M3: the same in a project's styles/sections.css.j2."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "sections.css.j2").write_text("/* x */\n/* {{ ('x'.encode()*2000000)|length }} */\n")
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (
        1,
        [f"styles/sections.css.j2:2: refused: {TOO_LONG} (templates run in a sandbox)"],
    )


def test_a_big_number_in_a_layout_is_refused_at_its_line_in_check(tmp_path: Path):
    """S6: check passed after 18 s."""
    root = laid_out(tmp_path, "{% set a = 10**999999 - 1 %}{% set b = 10**500000 + 1 %}{{ (a // b) % 10 }}")
    code, err = check(root)
    assert (code, err.splitlines()[:1]) == (1, [f"layouts/_cover.html:1: refused: {TOO_BIG} {SANDBOX}"])
