"""Attacker round 13 (docs/reviews/2026-12-07/attacker-round13.md), M1: an SVG drawn thousands of
times by a page passed check, and the build ignored SIGTERM while WeasyPrint drew it."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.pdf import engine
from compendium.pdf.output import Stopped
from tests.test_attacks_round7b import build, new
from tests.test_attacks_round8d import laid_out
from tests.test_attacks_round9b import check
from tests.test_attacks_round12v import _chain, _images

SMALL_SVG = "data:image/svg+xml," + "%3Csvg xmlns='http://www.w3.org/2000/svg' width='4' height='4'%3E%3C/svg%3E"


@pytest.mark.parametrize("stop", [Stopped(15), KeyboardInterrupt()], ids=["SIGTERM", "Ctrl-C"])
def test_a_stop_while_weasyprint_draws_an_svg_ends_the_drawing(monkeypatch, stop: BaseException):
    """WeasyPrint's SVGImage.draw caught BaseException: the signal handler's Stopped was logged as
    "Failed to render SVG image" and the page went on drawing, for minutes."""

    def stopped(*args, **kwargs):
        raise stop

    monkeypatch.setattr(engine.weasyprint.svg.SVG, "draw", stopped)
    document = engine.HTML(string=f'<img src="{SMALL_SVG}" alt="a">').render()
    with pytest.raises(type(stop)):
        document.write_pdf()


def test_an_svg_error_is_still_only_logged(monkeypatch, caplog):
    def broken(*args, **kwargs):
        raise ValueError("broken")

    monkeypatch.setattr(engine.weasyprint.svg.SVG, "draw", broken)
    engine.HTML(string=f'<img src="{SMALL_SVG}" alt="a">').render().write_pdf()
    assert "Failed to render SVG image" in caplog.text


def test_background_layers_of_a_small_svg_are_counted_in_check_and_the_build(tmp_path: Path):
    """3000 layers of an SVG drawing 211 elements passed check; the build ran for minutes."""
    root = new(tmp_path)
    _images(root, _chain(2))  # c0.svg draws 10 × c1.svg, which draws 10 × c2.svg
    (root / "styles").mkdir()
    layers = ", ".join(["url(../images/c0.svg)"] * 3000)
    stylesheet = root / "styles" / "screen.css"
    stylesheet.write_text(f"/* a comment\n over two lines */\n* {{ background-image: {layers}; }}\n", encoding="utf-8")
    wanted = "styles/screen.css:3: ../images/c0.svg draws more than 100000 elements"
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err
    stylesheet.write_text(f"* {{ background-image: {', '.join(['url(../images/c0.svg)'] * 30)}; }}\n")
    assert check(root)[0] == 0


def test_an_svg_drawn_by_a_layout_loop_is_counted_in_check_and_the_build(tmp_path: Path):
    """c5.svg (10^4 elements here: c1 of a chain of four) drawn 1000 times by a loop passed check."""
    looped = '{% for i in range(1000) %}<img src="images/c1.svg" alt="m" style="width:1mm">{% endfor %}'
    root = laid_out(tmp_path, f'<div style="height:1mm;overflow:hidden">{looped}</div>')
    _images(root, _chain(4))
    wanted = "layouts/_cover.html:1: images/c1.svg draws more than 100000 elements"
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err


def test_background_layers_in_a_style_attribute_are_counted(tmp_path: Path):
    layers = ", ".join(["url(images/c0.svg)"] * 3000)
    root = laid_out(tmp_path, f'<div style="background-image: {layers}"></div>')
    _images(root, _chain(2))
    code, err = check(root)
    assert code == 1 and err.startswith("layouts/_cover.html:1: images/c0.svg draws more than 100000 elements"), err


# --- S3. images without alternative text ------------------------------------------------------------


def _png() -> str:
    from tests.test_attacks_round12v import _png as png

    return png()


WITHOUT_ALT = {
    "alt-of-spaces": '<img src="{png}" alt=" ">',
    "input-image": '<input type="image" src="{png}">',
    "svg-image": '<svg width="10" height="10"><image width="10" height="10" href="{png}"/></svg>',
}


@pytest.mark.parametrize("first", WITHOUT_ALT.values(), ids=WITHOUT_ALT.keys())
def test_an_image_with_no_alt_text_is_warned_of_at_its_line_and_strict_refuses_it(tmp_path: Path, first: str):
    """S3: each passed check --strict and build --strict."""
    root = laid_out(tmp_path, first.format(png=_png()))
    wanted = "an image without alt text (data:image/png"
    code, err = check(root, "--strict")
    assert code == 1 and err.startswith(f"layouts/_cover.html:1: warning: {wanted}"), err
    code, err = build(root, "--strict")
    assert code == 1 and err.startswith(f"layouts/_cover.html:1: {wanted}"), err


def test_an_svg_saying_what_it_shows_passes(tmp_path: Path):
    labelled = f'<svg width="10" height="10" aria-label="a dot"><image width="10" height="10" href="{_png()}"/></svg>'
    assert check(laid_out(tmp_path, labelled), "--strict")[0] == 0


def test_a_list_marker_image_is_refused_at_its_line(tmp_path: Path):
    """S3: list-style-image is content: url()'s case, refused in a layout and in a stylesheet."""
    root = laid_out(tmp_path, f'<ul style="list-style-image: url({_png()})"><li>a</li></ul>')
    wanted = "layouts/_cover.html:1: an image set by list-style-image: url(data:image/png"
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err
    root = new(tmp_path / "s")
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text(f"ul {{\n  list-style: square url({_png()});\n}}\n")
    code, err = check(root)
    assert code == 1 and err.startswith("styles/screen.css:2: an image set by list-style: url(data:image/png"), err
