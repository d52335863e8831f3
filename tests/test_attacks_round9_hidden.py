"""Attacker round 9, P20 and N13: all content a project leaves out is named, each once, at its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import build, new

BUILDER = Path(__file__).parents[1]
PROVISIONS = ("provision 01", "provision 02", "provision 03")
# The builder's line printing a provision's text, and a project's that cuts it short.
TEXT_LINE = "{{ whole_last_word(provision.paragraph.text | first_upper) }}"
CUT_LINE = "{{ (provision.paragraph.text | first_upper)[:45] }}"


def appended(tmp_path: Path, rules: list[str]) -> Path:
    """A project whose styles/screen.css is the builder's with `rules` added, one a line."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    screen = (BUILDER / "styles" / "screen.css").read_text(encoding="utf-8")
    (root / "styles" / "screen.css").write_text(screen + "".join(f"{rule}\n" for rule in rules), encoding="utf-8")
    return root


def line_of(root: Path, name: str, text: str) -> str:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return f"{name}:{next(n for n, line in enumerate(lines, 1) if text in line)}"


def named(err: str) -> list[tuple[str, str]]:
    """(line, what) of each error naming content not printed."""
    found = []
    for message in err.splitlines():
        at, _, rest = message.partition(": ")
        if " not printed" in rest:
            found.append((at, rest.split(" is not printed")[0].split(" are not printed")[0]))
    return found


@pytest.mark.parametrize("parts", [(), ("--parts",)], ids=["whole", "parts"])
def test_provisions_and_their_panels_hidden_by_two_rules_are_each_named_at_its_rule(tmp_path: Path, parts):
    """P20, N13: with the provisions' text and the panels hidden, only the provisions were named."""
    root = appended(tmp_path, [".provision-text{opacity:0}", ".resources{opacity:0}"])
    code, err = build(root, *parts)
    text_rule, panel_rule = (line_of(root, "styles/screen.css", rule) for rule in ("provision-text", ".resources"))
    panels = "3 resource panels (the first: 'Resources by keyword On training: The…')"
    assert code == 1 and named(err) == [(text_rule, p) for p in PROVISIONS] + [(panel_rule, panels)], err


def test_a_running_element_is_named_at_its_rule(tmp_path: Path):
    """P20: position: running() at line 8 of screen.css was reported at line 1."""
    root = appended(tmp_path, [".provision-text{position:running(hideme)}"])
    code, err = build(root)
    assert code == 1 and named(err) == [(line_of(root, "styles/screen.css", "running("), p) for p in PROVISIONS], err


def cutting(tmp_path: Path, labels: list[str]) -> Path:
    """A project whose _provision.html prints only the first 45 characters of these provisions' texts."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER / "layouts" / "_provision.html").read_text(encoding="utf-8")
    assert TEXT_LINE in text
    cut = f"{{% if provision.label in {labels} %}}{CUT_LINE}{{% else %}}{TEXT_LINE}{{% endif %}}"
    (root / "layouts" / "_provision.html").write_text(text.replace(TEXT_LINE, cut, 1), encoding="utf-8")
    return root


def test_check_and_the_build_name_each_provision_a_layout_cuts_short_at_its_line(tmp_path: Path):
    """P20: check passed a layout printing 45 characters of provisions 01 and 02 (it looked for
    their first six words only); the build named 02 only (its words were found in 01's panel)."""
    root = cutting(tmp_path, ["01", "02"])
    at = line_of(root, "layouts/_provision.html", CUT_LINE)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and named(err) == [(at, "provision 01"), (at, "provision 02")], err
    code, err = build(root)
    assert code == 1 and named(err) == [(at, "provision 01"), (at, "provision 02")], err


def test_check_refuses_a_layout_that_cuts_every_provision_short_at_its_line(tmp_path: Path):
    """P20: check named provision 03 only."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER / "layouts" / "_provision.html").read_text(encoding="utf-8")
    (root / "layouts" / "_provision.html").write_text(text.replace(TEXT_LINE, CUT_LINE, 1), encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    at = line_of(root, "layouts/_provision.html", CUT_LINE)
    assert code == 1 and err.startswith(f"{at}: the layouts print none of the 3 provisions"), err
