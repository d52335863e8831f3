"""Attacker round 8, N6, N7 and N13: check refuses what the build refuses, at the same project line."""

from __future__ import annotations

import base64
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import ONLY, build, new, styled

BUILDER = Path(__file__).parents[1]
# An SVG image that would have WeasyPrint read a file of the machine.
OUTSIDE_SVG = '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><image href="file:///etc/passwd"/></svg>'
SVG = '<svg xmlns="http://www.w3.org/2000/svg">'
CSS_OUT = "body{background:url(https://example.org/x.png)}"


def laid_out(tmp_path: Path, first: str, layout: str = "_cover.html") -> Path:
    """A project whose layouts/<layout> is the builder's with `first` as its first line."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER / "layouts" / layout).read_text(encoding="utf-8")
    (root / "layouts" / layout).write_text(f"{first}\n{text}", encoding="utf-8")
    return root


def both(root: Path) -> list[tuple[int, str]]:
    """(exit status, first line of stderr) of check, then of the build."""
    return [
        (code, err.splitlines()[0] if err else "")
        for code, err in (run("check", "--source", str(root / "source")), build(root))
    ]


DATA_IN_CSS = {
    # check passed each; the build refused them, the base64 one at no line
    "percent": "data:image/svg+xml," + quote(OUTSIDE_SVG),
    "raw": "data:image/svg+xml," + OUTSIDE_SVG.replace('"', "'"),
    "base64": "data:image/svg+xml;base64," + base64.b64encode(OUTSIDE_SVG.encode()).decode(),
    "css-in-css": "data:text/css;base64,"
    + base64.b64encode(b'@import "data:image/svg+xml,' + quote(OUTSIDE_SVG).encode() + b'";').decode(),
}


@pytest.mark.parametrize("url", DATA_IN_CSS.values(), ids=DATA_IN_CSS.keys())
def test_a_data_uri_in_a_stylesheet_whose_content_refers_out_is_refused_at_its_line(tmp_path: Path, url: str):
    """N6: the data: URI was taken as served, unread, by check."""
    root = styled(tmp_path, f'.cover{{background:url("{url}")}}')
    wanted = f"styles/screen.css:1: a reference to file:///etc/passwd (in a data: URI): {ONLY}"
    assert both(root) == [(1, wanted), (1, wanted)]


DATA_IN_LAYOUTS = {
    "link": (f'<link rel="stylesheet" href="data:text/css,{CSS_OUT}">', "https://example.org/x.png"),
    "style-import": (f'<style>@import url("data:text/css,{CSS_OUT}");</style>', "https://example.org/x.png"),
    "img": (f'<img src="data:image/svg+xml,{OUTSIDE_SVG.replace(chr(34), chr(39))}">', "file:///etc/passwd"),
}


@pytest.mark.parametrize(("first", "target"), DATA_IN_LAYOUTS.values(), ids=DATA_IN_LAYOUTS.keys())
def test_a_data_uri_in_a_layout_whose_content_refers_out_is_refused_at_its_line(
    tmp_path: Path, first: str, target: str
):
    """N6: check said 'source OK'; the build refused the reference WeasyPrint was refused."""
    root = laid_out(tmp_path, first)
    wanted = f"layouts/_cover.html:1: a reference to {target} (in a data: URI): {ONLY}"
    assert both(root) == [(1, wanted), (1, wanted)]


MACHINE_CSS = "body{font-family:'DejaVu Sans'}"
DATA_CSS_IN = {
    "layout-link": (
        lambda tmp: laid_out(tmp, f'<link rel="stylesheet" href="data:text/css,{quote(MACHINE_CSS)}">'),
        "layouts/_cover.html:1: ",
    ),
    "stylesheet-import": (
        lambda tmp: styled(
            tmp, '@import url("data:text/css;base64,' + base64.b64encode(MACHINE_CSS.encode()).decode() + '");'
        ),
        "styles/screen.css:1: ",
    ),
}


@pytest.mark.parametrize(("make", "where"), DATA_CSS_IN.values(), ids=DATA_CSS_IN.keys())
def test_a_machine_font_in_a_stylesheet_given_as_a_data_uri_is_refused_at_its_line(tmp_path: Path, make, where):
    """Attacker round 8 (left open): a stylesheet file naming a font of the machine was refused at its
    line, the same rule given as a data: URI passed check (the PDF then depended on the machine)."""
    results = both(make(tmp_path))
    for code, first in results:
        assert code == 1 and first.startswith(where), results
        assert "DejaVu Sans" in first and first.endswith("(in a stylesheet given as a data: URI)"), results


def test_a_data_uri_whose_content_refers_only_to_data_uris_is_served(tmp_path: Path):
    inner = "data:image/svg+xml," + quote('<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"/>')
    root = styled(tmp_path, f'.cover{{background:url("data:text/css,x{{background:url({inner})}}")}}')
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0, err


def test_an_svg_logo_s_text_in_a_font_of_the_machine_is_refused_by_check_where_the_build_names_it(tmp_path: Path):
    """N6: check passed; the build refused 'text set in …, a font of this machine' at the SVG's line."""
    root = new(tmp_path)
    (root / "images").mkdir()
    svg = f'{SVG}\n<text y="8" font-family="DejaVu Sans Mono">M</text></svg>'
    (root / "images" / "mark.svg").write_text(svg, encoding="utf-8")
    compendium = root / "source" / "compendium.yaml"
    text = compendium.read_text(encoding="utf-8")
    compendium.write_text(text.replace("brand:\n", "brand:\n  logo: mark.svg\n", 1), encoding="utf-8")
    [checked, built] = both(root)
    assert checked == (
        1,
        "images/mark.svg:2: a text of the image in font-family 'DejaVu Sans Mono': a font of this machine, not a "
        "family of styles/fonts.css (the families: Compendium Sans, Compendium Serif)",
    )
    # the family named is the cause, in check's words (attacker round 12, S2)
    wanted = "images/mark.svg:2: font-family 'DejaVu Sans Mono': a font of this machine, not a family of styles/"
    assert built[0] == 1 and built[1].startswith(wanted), built


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg" font-family="Compendium Sans"><text>M</text></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><text style="font-family: \'Compendium Serif\'">M</text></svg>',
        f'{SVG}<style>text{{font-family:"Compendium Sans"}}</style><text>M</text></svg>',
    ],
)
def test_an_svg_text_in_a_family_of_fonts_css_is_no_problem(svg: str):
    from compendium.source.images import machine_font

    assert machine_font(svg.encode(), {"Compendium Sans", "Compendium Serif"}) is None


def test_an_svg_text_with_no_family_is_set_in_sans_serif_a_font_of_the_machine():
    """WeasyPrint sets a <text> without font-family in sans-serif, which fonts.css does not declare."""
    from compendium.source.images import machine_font

    svg = b'<svg xmlns="http://www.w3.org/2000/svg">\n<g>\n<text>M</text></g></svg>'
    assert machine_font(svg, {"Compendium Sans"}) == (
        3,
        "a text of the image in font-family sans-serif: a generic family, set in a font of this machine; name a "
        "family of styles/fonts.css before it (the families: Compendium Sans)",
    )


def test_code_and_pre_in_a_layout_are_set_in_a_shipped_font(tmp_path: Path):
    """N6: the user-agent stylesheet sets them in monospace; check passed and the build stopped on
    'Noto Sans Mono', a font of this machine, naming no file. The builder's base.css now gives
    them the text face."""
    root = laid_out(tmp_path, "<p><code>mono</code> <kbd>k</kbd> <samp>s</samp> <tt>t</tt></p><pre>x</pre>")
    assert both(root) == [(0, ""), (0, "")]


def test_a_control_character_in_an_interface_msgstr_is_refused_at_its_line(tmp_path: Path):
    """N6: U+0007 in the project's catalogue passed check; the build stopped on "No glyph … '\\x07'"
    at no line. The source's character checks now read each msgstr too (N8's U+202E included)."""
    from tests.test_attacks_round5 import RU_CATALOGUE, catalogue_problems

    lines = RU_CATALOGUE.read_text(encoding="utf-8").splitlines()
    old = lines[lines.index('msgid "Contents"') + 1]
    line = lines.index(old) + 1
    assert catalogue_problems(tmp_path, old, old.replace('"', '"\x07', 1)) == [
        f"locale/ru/LC_MESSAGES/messages.po:{line}: a control or unassigned character (U+0007) cannot be printed; "
        "remove it"
    ]
    assert catalogue_problems(tmp_path / "b", old, old.replace('"', '"\u202e', 1)) == [
        f"locale/ru/LC_MESSAGES/messages.po:{line}: a bidirectional control character (U+202E RIGHT-TO-LEFT "
        "OVERRIDE) would reorder the printed text; remove it"
    ]


def test_the_build_refuses_a_control_character_in_a_msgstr_at_the_line_check_names(tmp_path: Path):
    """N6: the build stopped on "No glyph in 'Compendium Sans' for '\\x07'", naming no file."""
    from tests.test_attacks_round5 import RU_CATALOGUE

    root = new(tmp_path)
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    lines = RU_CATALOGUE.read_text(encoding="utf-8").splitlines()
    line = lines.index('msgid "Contents"') + 2
    lines[line - 1] = lines[line - 1].replace('"', '"\x07', 1)
    catalogue.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with (root / "source" / "editions.yaml").open("a", encoding="utf-8") as editions:
        editions.write("- lang: ru\n  interface_only: true\n  variants: [screen]\n")
    wanted = f"locale/ru/LC_MESSAGES/messages.po:{line}: a control or unassigned character (U+0007) cannot be printed"
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.startswith(wanted), err
    code, err = run("--source", str(root / "source"), "--lang", "ru", "--variant", "screen", "--jobs", "1")
    assert code == 1 and err.startswith(wanted), err


LINK = "a PDF may link only to http(s) and mailto: addresses and to its own pages (#anchor)"
UNLOCATED = {
    # N7: check said 'layouts:1:' (no file); the build named no place (WeasyPrint dropped the tab)
    "tab-in-scheme": ('<a href="java&#9;script:alert(1)">x</a>', "a link to java\\x09script:alert(1): " + LINK),
    # N7: the build named file:///…/%5C%5C… at no line
    "unc-path": ('<a href="\\\\evil\\share\\x.pdf">x</a>', "a link to file://{root}/\\\\evil\\share\\x.pdf: " + LINK),
    # N7: check said 'layouts:1:'
    "attachment-out": (
        '<link rel="attachment" href="../source/compendium.yaml">',
        "an attachment of file://{parent}/source/compendium.yaml: " + LINK,
    ),
    # N7: the build named no place (round 7, finding 1's leftover)
    "nul-byte": (
        '<img src="images/a.png%00">',
        "a reference to file://{root}/images/a.png%00: a NUL byte (%00) in a file name",
    ),
    # N13: refused by check, accepted by the build (the cover grew to 12 pages)
    "iframe": ('<iframe src="file:///etc/passwd"></iframe>', f"a reference to file:///etc/passwd: {ONLY}"),
}


@pytest.mark.parametrize(("first", "wanted"), UNLOCATED.values(), ids=UNLOCATED.keys())
def test_check_and_the_build_refuse_a_layout_s_link_or_reference_at_its_file_and_line(
    tmp_path: Path, first: str, wanted: str
):
    root = laid_out(tmp_path, first)
    line = "layouts/_cover.html:1: " + wanted.format(root=root, parent=root.parent)
    assert both(root) == [(1, line), (1, line)]


def test_the_layout_time_cap_names_the_project_s_layout_that_loops(tmp_path: Path, monkeypatch, capsys):
    """N7: a loop writing a list in _cover.html was refused at the builder's compendium.html:3 (the
    writing of the text, which looks at the clock too, won the race with the loop's own look)."""
    from compendium import cli
    from compendium.render import sandbox

    monkeypatch.setattr(sandbox, "SECONDS", 0.5)  # the 10 s of the real cap, in a test's time
    loop = "{% set ns = namespace(a=[1]) %}{% for i in range(99999) %}{% for j in range(99999) %}{{ ns.a }}"
    root = laid_out(tmp_path, loop + "{% endfor %}{% endfor %}")
    wanted = "layouts/_cover.html:1: refused: the layout runs longer than 0.5 s"
    for args in (["check"], ["--lang", "en", "--variant", "screen", "--jobs", "1"]):
        assert cli.main([*args, "--source", str(root / "source")]) == 1
        assert capsys.readouterr().err.startswith(wanted)


@pytest.mark.parametrize(
    "rule",
    [".provision-text{transform:scale(0)}", ".cover-title{transform:matrix(0,0,0,0,0,0)}", "p{transform:scaleY(0%)}"],
)
def test_a_transform_that_flattens_content_is_refused_at_its_line(tmp_path: Path, rule: str):
    """N7: the build stopped with 'WeasyPrint stopped … (KeyError: <TextBox p> at weasyprint/pdf/tags.py:276)',
    naming no file or line, and check passed."""
    root = styled(tmp_path, rule)
    value = rule[rule.index(":") + 1 : -1]
    wanted = f"styles/screen.css:1: transform: {value}: flattens what it applies to to nothing"
    [(checked, in_check), (built, in_build)] = both(root)
    assert (checked, built) == (1, 1) and in_check.startswith(wanted) and in_build == in_check, in_build


@pytest.mark.parametrize("value", ["scale(0.5)", "scale(-1, 1)", "matrix(1,0,0,1,5,5)", "rotate(90deg)", "none"])
def test_a_transform_that_keeps_content_visible_is_no_problem(value: str):
    from compendium.source.css import flattening_transforms

    assert flattening_transforms(f"p {{ transform: {value} }}") == []


def test_a_template_element_around_the_provision_text_is_refused_at_its_line(tmp_path: Path):
    """N13: check passed (the text is in the HTML, but a <template>'s content is never rendered);
    the build refused it at layouts/_provision.html:1, not at the <template>'s line."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER / "layouts" / "_provision.html").read_text(encoding="utf-8")
    text = text.replace("<blockquote", "<template><blockquote", 1).replace(
        "</blockquote>", "</blockquote></template>", 1
    )
    (root / "layouts" / "_provision.html").write_text(text, encoding="utf-8")
    line = next(n for n, written in enumerate(text.splitlines(), 1) if "<template>" in written)
    wanted = f"layouts/_provision.html:{line}: the layouts print none of the 3 provisions"
    [(checked, in_check), (built, in_build)] = both(root)
    assert (checked, built) == (1, 1) and in_check.startswith(wanted) and in_build == in_check, in_build


def test_code_in_a_machine_font_through_a_project_s_older_base_css_is_named_at_the_layout_line(tmp_path: Path):
    """N6: a project base.css copied before the builder's gave <code> the text face: the build
    refused the machine's monospace naming no file; it names the layout line opening <code> now."""
    root = laid_out(tmp_path, "<p><code>mono</code></p>")
    (root / "styles").mkdir()
    base = (BUILDER / "styles" / "base.css").read_text(encoding="utf-8")
    kept = [line for line in base.splitlines() if not line.startswith("code, kbd")]
    (root / "styles" / "base.css").write_text("\n".join(kept) + "\n", encoding="utf-8")
    code, err = build(root)
    assert code == 1 and err.startswith("layouts/_cover.html:1: text set in '") and "Mono" in err, err
