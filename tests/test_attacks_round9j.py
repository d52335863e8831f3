"""Attacker round 9 (docs/reviews/2026-12-06/attacker-round9.md), images and fonts: P10-P12."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import SVG_NAMESPACE, run, svg_mark

LOOPS = {
    "clip-path": (
        '<clipPath id="c" clip-path="url(#c)"><rect width="5" height="5"/></clipPath>\n'
        '<rect width="10" height="10" clip-path="url(#c)"/>',
        2,
        "c",
    ),
    "mask": ('<mask id="m">\n<rect width="5" height="5" mask="url(#m)"/>\n</mask>', 3, "m"),
    "marker": ('<marker id="k">\n<path d="M0 0L5 5" style="marker-start: url(#k)"/></marker>', 3, "k"),
    "cycle": (
        '<rect width="9" height="9" clip-path="url(#a)"/>\n<clipPath id="a" clip-path="url(#b)"><rect/></clipPath>\n'
        '<clipPath id="b" clip-path="url(#a)"><rect/></clipPath>',
        4,
        "a",
    ),
}


@pytest.mark.parametrize(("body", "line", "name"), LOOPS.values(), ids=LOOPS.keys())
def test_an_svg_whose_clip_path_mask_or_marker_leads_back_to_itself_is_refused_at_its_line(
    tmp_path: Path, body: str, line: int, name: str
):
    """P11: WeasyPrint leaves out an SVG whose clip-path, mask or marker refers to an element
    holding it (or to one that leads back to it); check passed it and the build named no line."""
    root = svg_mark(tmp_path, f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40">\n{body}</svg>')
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and f"images/mark.svg:{line}: url(#{name}) refers to an element holding it" in err, err
    fine = '<clipPath id="c"><rect/></clipPath><rect clip-path="url(#c)"/>'
    fine = f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40">\n{fine}</svg>'
    assert run("check", "--source", str(svg_mark(tmp_path / "ok", fine) / "source"))[0] == 0
