"""Attacker round 12 (docs/reviews/2026-12-07/attacker-round12.md), M2, S4, M4, S1, S2, S3: each passed check."""

from __future__ import annotations

import base64
import io
import os
from pathlib import Path

import pytest
from PIL import Image

from compendium.source.assets import BUILDER
from compendium.source.images import located_image_problem
from tests.test_attacks_round7b import build, new
from tests.test_attacks_round8d import laid_out
from tests.test_attacks_round9b import check

BUILDER_FONT = BUILDER / "fonts" / "NotoSans-Regular.ttf"
SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20" viewBox="0 0 20 20">{}</svg>'


def _images(tmp_path: Path, files: dict[str, str]) -> Path:
    folder = tmp_path / "images"
    folder.mkdir()
    for name, inner in files.items():
        (folder / name).write_text(SVG.format(inner), encoding="utf-8")
    return folder


def _problem(folder: Path, name: str) -> tuple[int | None, str] | None:
    stat = (folder / name).stat()
    return located_image_problem(folder / name, (stat.st_size, stat.st_mtime_ns), (folder.resolve(),))


def _chain(levels: int) -> dict[str, str]:
    """Files c0 … c{levels}: each draws the next ten times, the last a rectangle (M2's files)."""
    files = {f"c{n}.svg": f'<image width="20" height="20" href="c{n + 1}.svg"/>' * 10 for n in range(levels)}
    return files | {f"c{levels}.svg": '<rect width="1" height="1"/>'}


def test_svg_files_drawing_each_other_are_counted_multiplied(tmp_path: Path):
    """M2: ten files, each drawing the next ten times, passed check; the build hung for minutes."""
    folder = _images(tmp_path, _chain(9))
    found = _problem(folder, "c0.svg")
    assert found is not None and found[0] == 1, found
    assert found[1].startswith('<image href="c1.svg">: c4.svg:1: draws more than 100000 elements'), found
    assert _problem(folder, "c5.svg") is None  # c5 draws c6 … c9: 3,331 elements


LOOPS = {
    "itself": ({"self.svg": '<rect width="5" height="5"/><image width="10" height="10" href="self.svg"/>'}, "self.svg"),
    "a-b-a": (
        {"a.svg": '<image href="b.svg"/>', "b.svg": '<image width="10" height="10" href="a.svg#x"/>'},
        "a.svg",
    ),
}


@pytest.mark.parametrize(("files", "name"), LOOPS.values(), ids=LOOPS.keys())
def test_an_svg_drawing_itself_is_refused_at_its_line(tmp_path: Path, files: dict[str, str], name: str):
    """S4: an SVG drawing itself passed check; the build failed with no line and no reason."""
    found = _problem(_images(tmp_path, files), name)
    assert found is not None and found[0] == 1 and "leads back to an image drawing it" in found[1], found


def test_an_svg_drawing_another_small_one_is_drawn(tmp_path: Path):
    folder = _images(tmp_path, {"a.svg": '<image width="10" height="10" href="b.svg"/>' * 3, "b.svg": "<rect/>"})
    assert _problem(folder, "a.svg") is None


def test_check_and_the_build_refuse_a_logo_drawing_itself_at_its_line(tmp_path: Path):
    root = new(tmp_path)
    _images(root, {"self.svg": '<image width="10" height="10" href="self.svg"/>'})
    yaml = root / "source" / "compendium.yaml"
    text = yaml.read_text(encoding="utf-8")
    yaml.write_text(text.replace("brand:\n", "brand:\n  logo: self.svg\n"), encoding="utf-8")
    wanted = 'images/self.svg:1: <image href="self.svg"> leads back to an image drawing it (self.svg → self.svg)'
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err


NAMES = {"images": b"\xfd.png", "styles": b"\xff.css", "fonts": b"\xe9.ttf"}


@pytest.mark.parametrize(("folder", "name"), NAMES.items(), ids=NAMES.keys())
def test_a_file_name_that_is_not_utf8_in_an_asset_folder_is_one_line_in_check_and_the_build(
    tmp_path: Path, folder: str, name: bytes
):
    """M4: check passed; the build ended in a UnicodeEncodeError traceback (the URL of the file)."""
    root = new(tmp_path)
    (root / folder).mkdir()
    path = Path(os.fsdecode(bytes(root / folder) + b"/" + name))
    if folder == "images":
        Image.new("RGB", (4, 4)).save(path, "PNG")
    else:
        path.write_bytes((BUILDER_FONT if folder == "fonts" else BUILDER / "styles" / "screen.css").read_bytes())
    shown = f"{folder}/{name.decode('utf-8', 'backslashreplace')}"
    wanted = "a file name that is not UTF-8 (made on another system?): rename it"
    code, err = check(root)
    assert (code, err.splitlines()[0]) == (1, f"{shown}:1: {wanted}"), err
    code, err = build(root)
    assert (code, err.splitlines()[0]) == (1, f"{shown}: {wanted}"), err


WRITTEN = {
    "jinja-escape": "<p>{{ '\\U0001F600' }}</p>",
    "attr": '<p data-x="&#x1F600;" class="gx">x</p><style>.gx::after{content: attr(data-x)}</style>',
    "entity": "<p>&#x1F600; &#128512;</p>",
}


@pytest.mark.parametrize("first", WRITTEN.values(), ids=WRITTEN.keys())
def test_a_character_the_fonts_lack_written_by_a_layout_is_located_in_check_and_the_build(tmp_path: Path, first: str):
    """S1: a Jinja escape and attr() passed check; the build named no file or line (or blamed the machine's font)."""
    root = laid_out(tmp_path, first)
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith("layouts/_cover.html:1: no glyph for '😀' (U+1F600"), err
        assert err.count("no glyph") == 1, err


INLINE = '<svg xmlns="http://www.w3.org/2000/svg" width="60" height="20"><text y="15" {}>Hello</text></svg>'
FAMILY = "font-family 'DejaVu Sans': a font of this machine, not a family of styles/fonts.css"


def test_a_machine_font_named_through_var_is_refused_in_check_as_the_build_refuses_it(tmp_path: Path):
    """S2: `font-family: var(--f)` with `--f: "DejaVu Sans"` passed check; the build spoke of characters."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    screen = (BUILDER / "styles" / "screen.css").read_text(encoding="utf-8")
    lines = screen.count("\n") + 2  # after a blank line
    rule = ':root { --f: "DejaVu Sans"; } .cover-title { font-family: var(--f); }\n'
    (root / "styles" / "screen.css").write_text(f"{screen}\n{rule}", encoding="utf-8")
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(f"styles/screen.css:{lines}: {FAMILY}"), err


def test_a_machine_font_of_an_svg_written_in_a_layout_is_refused_in_check(tmp_path: Path):
    """S2: an inline SVG's font-family passed check; the build refused it as text set in the machine's font."""
    root = laid_out(tmp_path, INLINE.format('font-family="DejaVu Sans"'))
    wanted = f"layouts/_cover.html:1: an SVG image written in the layout (<svg>): a text of the image in {FAMILY}"
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err


def test_an_svg_written_in_a_layout_sets_a_text_with_no_family_in_the_page_s_font(tmp_path: Path):
    root = laid_out(tmp_path, INLINE.format(""))
    assert check(root)[0] == 0


def _png() -> str:
    written = io.BytesIO()
    Image.new("RGB", (4, 4)).save(written, "PNG")
    return "data:image/png;base64," + base64.b64encode(written.getvalue()).decode("ascii")


def test_an_img_whose_tag_a_variable_writes_is_warned_of_by_check_as_by_the_build(tmp_path: Path):
    """S3: check --strict passed it; the build warned, and build --strict failed."""
    root = laid_out(tmp_path, f"{{% set t = 'img' %}}<{{{{ t }}}} src=\"{_png()}\">")
    wanted = "an image without alt text (data:image/png"
    code, err = check(root, "--strict")
    assert code == 1 and err.startswith(f"layouts/_cover.html:1: warning: {wanted}"), err
    code, err = build(root, "--strict")
    assert code == 1 and err.startswith(f"layouts/_cover.html:1: {wanted}"), err


UNLABELLED = {
    "object": ('<object data="{png}" type="image/png"></object>', "an <object>, whose image the PDF cannot give"),
    "content-url": (
        '<div class="ci"></div><style>.ci{{content: url({png})}}</style>',
        "an image set by content: url(data:image/png;base64,",
    ),
}


@pytest.mark.parametrize(("first", "wanted"), UNLABELLED.values(), ids=UNLABELLED.keys())
def test_an_image_that_can_have_no_alt_text_is_refused_at_its_line(tmp_path: Path, first: str, wanted: str):
    """S3: an <object>'s image and a content: url() image passed check --strict and build --strict, without /Alt."""
    root = laid_out(tmp_path, first.format(png=_png()))
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(f"layouts/_cover.html:1: {wanted}"), err


def test_a_stylesheet_s_content_image_is_refused_at_its_line(tmp_path: Path):
    root = new(tmp_path)
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text(f".cover-title::before {{\n  content: url({_png()});\n}}\n")
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith("styles/screen.css:2: an image set by content: url(data:image/png"), err


def test_an_svg_written_in_a_layout_counts_the_svg_files_it_draws(tmp_path: Path):
    """M2, written in a layout: forty <image> of a file drawing 3,221 elements drew 128,880."""
    root = laid_out(tmp_path, INLINE.replace('<text y="15" {}>Hello</text>', '<image href="images/c0.svg"/>' * 40))
    _images(root, _chain(3))
    wanted = "layouts/_cover.html:1: an SVG image written in the layout (<svg>): draws more than 100000 elements"
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith(wanted), err
    (root / "layouts" / "_cover.html").write_text(
        (root / "layouts" / "_cover.html").read_text(encoding="utf-8").replace("c0.svg", "c1.svg"), encoding="utf-8"
    )
    assert check(root)[0] == 0


def test_a_layout_s_attribute_a_project_stylesheet_prints_with_attr_is_measured(tmp_path: Path):
    root = laid_out(tmp_path, '<p data-x="&#x1F600;" class="gx">x</p>')
    (root / "styles").mkdir()
    screen = (BUILDER / "styles" / "screen.css").read_text(encoding="utf-8")
    (root / "styles" / "screen.css").write_text(f"{screen}\n.gx::after {{ content: attr(data-x) }}\n", encoding="utf-8")
    for code, err in (check(root), build(root)):
        assert code == 1 and err.startswith("layouts/_cover.html:1: no glyph for '😀' (U+1F600"), err
