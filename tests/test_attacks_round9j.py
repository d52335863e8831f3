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
    for args in (["check", "--source", str(root / "source")], ["--source", str(root / "source"), "--jobs", "1"]):
        code, err = run(*args)
        assert code == 1 and err.startswith(f"images/mark.svg:{line}: url(#{name}) refers to an element holding it"), (
            err
        )
    fine = '<clipPath id="c"><rect/></clipPath><rect clip-path="url(#c)"/>'
    fine = f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40">\n{fine}</svg>'
    assert run("check", "--source", str(svg_mark(tmp_path / "ok", fine) / "source"))[0] == 0


def _png(side: int, fragment: str = "") -> str:
    """A PNG of side × side pixels as a data: URI: a few kilobytes that decode into millions of pixels."""
    import base64
    import io

    from PIL import Image

    stream = io.BytesIO()
    Image.new("1", (side, side)).save(stream, "PNG", optimize=True)
    return f"data:image/png;base64,{base64.b64encode(stream.getvalue()).decode()}{fragment}"


def _svg_of(uri: str) -> str:
    """An SVG image showing the image `uri`, as a data: URI."""
    import base64

    svg = f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40"><image width="40" height="40" href="{uri}"/></svg>'
    return f"data:image/svg+xml;base64,{base64.b64encode(svg.encode()).decode()}"


def _styled(tmp_path: Path, rule: str) -> Path:
    root = svg_mark(tmp_path, f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40"><rect width="9" height="9"/></svg>')
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text(f"/* the project's */\n{rule}\n", encoding="utf-8")
    return root


TOO_MANY = "9000 × 9000 pixels, more than an image in a PDF may have"
PLACES = {
    "svg": (
        lambda tmp_path, uri: svg_mark(
            tmp_path, f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40">\n<image width="40" height="40" href="{uri}"/></svg>'
        ),
        "images/mark.svg:2",
    ),
    "background": (
        lambda tmp_path, uri: _styled(tmp_path, f'body {{ background-image: url("{uri}") }}'),
        "styles/screen.css:2",
    ),
    "content": (
        lambda tmp_path, uri: _styled(tmp_path, f"h1::before {{ content: url({uri}) }}"),
        "styles/screen.css:2",
    ),
    "in an SVG data: URI": (
        lambda tmp_path, uri: _styled(tmp_path, f'body {{ background-image: url("{_svg_of(uri)}") }}'),
        "styles/screen.css:2",
    ),
}


@pytest.mark.parametrize(("place", "at"), PLACES.values(), ids=PLACES.keys())
def test_a_raster_data_uri_of_too_many_pixels_is_refused_at_its_line_in_check_and_the_build(
    tmp_path: Path, place, at: str
):
    """P10: a 9000 × 9000 PNG given as a data: URI (in the logo SVG, or a project stylesheet)
    passed check and was drawn with a 744 MB build; a larger one failed the build with a line of
    65,000 characters naming no file. It is measured as a file of images/ is, at its line, and the
    URI is cut short in the message."""
    root = place(tmp_path, _png(9000))
    for args in (["check", "--source", str(root / "source")], ["--source", str(root / "source"), "--jobs", "1"]):
        code, err = run(*args)
        assert code == 1 and err.startswith(f"{at}: an image given as a data: URI (data:image/png;base64,"), err
        assert TOO_MANY in err and max(len(line) for line in err.splitlines()) < 300, err
    code, err = run("check", "--source", str(place(tmp_path / "ok", _png(100)) / "source"))
    # a small image passes; one set by content: is refused whatever its size, as it can have no alt
    # text (attacker round 12, S3)
    assert code == 0 or (err.startswith(f"{at}: an image set by content: url(") and err.count("\n") == 2), err


def test_a_base64_data_uri_with_a_fragment_is_refused_at_its_line(tmp_path: Path):
    """P10: `url("data:image/png;base64,…#a")` passed check; the build gave an unlocated line
    holding the whole URI ('a reference to Error fetching "data:…#a"')."""
    root = _styled(tmp_path, f'body {{ background-image: url("{_png(4, "#a")}") }}')
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.startswith("styles/screen.css:2: an image given as a data: URI ("), err
    assert "its base64 data cannot be decoded (#a after it, a fragment)" in err, err


def test_an_image_left_out_or_refused_as_a_data_uri_is_named_by_its_first_characters(tmp_path: Path):
    """P10: the build's line for an image WeasyPrint left out, or a reference it refused, held the
    whole data: URI (65,103 characters)."""
    from compendium.pdf.problems import dropped_images, refused_problems
    from compendium.source.project import Project

    uri = _png(2000)
    project = Project(root=tmp_path)
    fetcher = type("Refusing", (), {"problems": [], "refused": [f'Error fetching "{uri}#a"']})()
    lines = dropped_images([f"Failed to load image at '{uri}': too big"], project) + refused_problems(fetcher, project)
    assert len(lines) == 2 and all(uri[:50] in line and len(line) < 300 for line in lines), lines


def _project_font(tmp_path: Path, lacking: str) -> Path:
    """A project whose fonts/NotoSerif-Regular.ttf is the builder's without the `lacking` characters."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    root = svg_mark(tmp_path, f'<svg {SVG_NAMESPACE} viewBox="0 0 40 40"><rect width="9" height="9"/></svg>')
    (root / "fonts").mkdir()
    font = TTFont(Path(__file__).parent.parent / "fonts" / "NotoSerif-Regular.ttf")
    options = subset.Options()
    options.layout_features = ["*"]
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=set(font.getBestCmap()) - {ord(char) for char in lacking})
    subsetter.subset(font)
    font.save(root / "fonts" / "NotoSerif-Regular.ttf")
    return root


@pytest.mark.parametrize(("lacking", "checked"), [("e", "source/compendium.yaml:"), ("–", "typography/en.yaml:")])
def test_a_project_font_lacking_a_glyph_is_refused_by_check_naming_the_project_s_file(
    tmp_path: Path, lacking: str, checked: str
):
    """P12: a project's fonts/NotoSerif-Regular.ttf without glyphs passed check, and the build
    blamed "the shipped fonts". Check measures the texts against the project's fonts, and both
    name the project's file."""
    root = _project_font(tmp_path, lacking)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and checked in err, err
    assert f"no glyph for '{lacking}' (U+{ord(lacking):04X} " in err, err
    assert "in the project's fonts/NotoSerif-Regular.ttf" in err and "shipped" not in err, err
    if lacking == "–":  # printed by the imprint ("ENG – English"): the build's own measure
        code, err = run("--source", str(root / "source"), "--jobs", "1")
        assert code == 1 and err.startswith("fonts/NotoSerif-Regular.ttf:1: no glyph for '–' (U+2013)"), err
    assert run("check", "--source", str(_project_font(tmp_path / "ok", "") / "source"))[0] == 0


def test_a_character_only_a_project_layout_prints_is_measured_against_the_project_font_by_check(tmp_path: Path):
    """P12: check measures the rendered pages as the build does (a character the layouts print
    is in no source file), naming the project's font file; a stylesheet's `@page` in a <style>
    prints no '@', and a font without one is not refused for it."""
    root = _project_font(tmp_path, "¶@")
    layout = (Path(__file__).parent.parent / "layouts" / "_imprint.html").read_text(encoding="utf-8")
    (root / "layouts").mkdir()
    (root / "layouts" / "_imprint.html").write_text(layout.replace("\n", "\n<p>¶</p>\n", 1), encoding="utf-8")
    # check locates it at the layout's line that prints it (attacker round 10, S14), naming the
    # project's font; the build, measuring the laid-out pages, names the font file
    checked = "layouts/_imprint.html:2: no glyph for '¶' (U+00B6 PILCROW SIGN) in the project's fonts/NotoSerif-Regular"
    built = "fonts/NotoSerif-Regular.ttf:1: no glyph for '¶' (U+00B6), which the pages print, in: …"
    for args, wanted in (
        (["check", "--source", str(root / "source")], checked),
        (["--source", str(root / "source"), "--jobs", "1"], built),
    ):
        code, err = run(*args)
        assert code == 1 and err.startswith(wanted) and "'@'" not in err, err
