"""Attacker round 10 (docs/reviews/2026-12-06/attacker-round10.md), M3, M4, S6 and S9: each passed check before."""

from __future__ import annotations

import datetime
import time
from pathlib import Path

import pytest
from jinja2.sandbox import SecurityError

from compendium.render.sandbox import bounded_sandbox
from tests.test_attacks_round7b import build, new
from tests.test_attacks_round8d import BUILDER, laid_out
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
    "to-bytes": ("{{ (1).to_bytes(2000000, 'big')|length }}", TOO_LONG),
    "to-bytes-named": ("{{ (1).to_bytes(length=2000000, byteorder='big')|length }}", TOO_LONG),
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


def layout_edited(tmp_path: Path, layout: str, old: str, new_text: str) -> Path:
    """A project whose layouts/<layout> is the builder's with `old` replaced by `new_text`."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER / "layouts" / layout).read_text(encoding="utf-8")
    assert old in text
    (root / "layouts" / layout).write_text(text.replace(old, new_text, 1), encoding="utf-8")
    return root


def line_of(root: Path, layout: str, text: str) -> int:
    lines = (root / "layouts" / layout).read_text(encoding="utf-8").splitlines()
    return next(n for n, line in enumerate(lines, 1) if text in line)


PARAGRAPH = "{{ whole_last_word(paragraph.text, false) }}"
CUT = "left out or cut short in the HTML the layouts write (a slice, a filter, a condition or a loop left out"
LEFT_OUT = {
    "paragraph-3": (
        "_decision.html",
        PARAGRAPH,
        "{{ whole_last_word(paragraph.text, false) if paragraph.number != '3' else '…' }}",
        "the operative paragraph (MC.DEC/1/24, paragraph 3: 'Encourages the participating States t…')",
    ),
    "preamble": (
        "_decision.html",
        "{% for paragraph in decision.preamble %}",
        "{% for paragraph in decision.preamble[:0] %}",
        "the preamble paragraph (MC.DEC/1/24, preamble paragraph 1: 'Recalling its commitments on the theme,')",
    ),
    "cut-short": (
        "_decision.html",
        PARAGRAPH,
        "{{ whole_last_word(paragraph.text, false)[:30] }}",
        "3 operative paragraphs (the first: MC.DEC/1/24, paragraph 1: 'Calls on the participating States to …')",
    ),
    "directory": (
        "_directory.html",
        "{% for item in entry.items %}",
        "{% for item in entry.items[:1] %}",
        "the directory entry (the directory, under victims: 'A commentary on the theme')",
    ),
    "panel": (
        "_provision.html",
        "{% for citation in group.citations %}",
        "{% for citation in group.citations[:1] %}",
        "the resource panel's citation (provision 03's panel: 'A guide to the theme')",
    ),
}


@pytest.mark.parametrize(("layout", "old", "new_text", "what"), LEFT_OUT.values(), ids=LEFT_OUT.keys())
def test_a_layout_leaving_out_decision_text_directory_entries_or_citations_is_refused_at_its_line(
    tmp_path: Path, layout: str, old: str, new_text: str, what: str
):
    """M4: each passed check and the build with rc=0, and the PDF lacked the text."""
    root = layout_edited(tmp_path, layout, old, new_text)
    code, err = check(root)
    at = line_of(root, layout, new_text)
    assert code == 1
    found = "them" if what[0].isdigit() else "it"
    wanted = f"layouts/{layout}:{at}: expected the whole text of {what}, found {found} {CUT} in the project's layouts?)"
    assert err.splitlines()[:1] == [wanted]


def test_a_build_through_a_layout_leaving_out_a_directory_entry_fails_and_writes_nothing(tmp_path: Path):
    root = layout_edited(tmp_path, *LEFT_OUT["directory"][:3])
    code, err = build(root)
    assert code == 1
    at = line_of(root, "_directory.html", LEFT_OUT["directory"][2])  # the line the edit is on, as in check's test
    assert err.splitlines()[0].startswith(
        f"layouts/_directory.html:{at}: expected the whole text of the directory entry"
    )
    assert not (root / "output" / "my-compendium-en.pdf").exists()


def test_the_builder_s_layouts_copied_into_a_project_leave_nothing_out(tmp_path: Path):
    root = new(tmp_path)
    (root / "layouts").mkdir()
    for path in (BUILDER / "layouts").glob("*.html"):
        (root / "layouts" / path.name).write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    assert check(root) == (0, "")


def test_a_hidden_operative_paragraph_is_named_by_its_own_text(tmp_path: Path):
    """S9: `li[value="3"]{display:none}` was reported by quoting paragraph 1."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text('li[value="3"]{display:none}\n', encoding="utf-8")
    code, err = build(root)
    assert code == 1
    assert err.splitlines()[0].startswith(
        "styles/screen.css:1: the operative part of an annexed decision ('3. Encourages the participating State…') "
        "is not printed: expected its text on the pages"
    ), err
