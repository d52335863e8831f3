"""The hostile tester's sixth round, findings 8 and 10-20 (docs/reviews/2026-12-06/attacker-round6.md)."""

from __future__ import annotations

from pathlib import Path

import pytest

from compendium.source.starter import write_starter
from tests.test_attacks_round5 import run


def new(tmp_path: Path, name: str = "p") -> Path:
    """A project as `compendium new` writes it (its root, with source/ inside)."""
    root = tmp_path / name
    write_starter(root)
    return root


def build(root: Path, *more: str) -> tuple[int, str]:
    return run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1", *more)


@pytest.mark.parametrize("header", ["_decision.html", "_annex_decisions.html", "_provision.html", "_words.html"])
def test_a_kind_s_header_naming_another_part_s_layout_is_refused_in_check_and_build(tmp_path: Path, header: str):
    """Finding 8: the build recursed (RecursionError blaming _decision.html) or printed no header."""
    root = new(tmp_path)
    kinds = f"id: osce-mc-decision\nbased_on: osce-mc-decision\nheader: {header}\n"
    (root / "source" / "kinds.yaml").write_text(kinds, encoding="utf-8")
    wanted = (
        f"source/kinds.yaml:3: kind 'osce-mc-decision': key 'header': '{header}' is the builder's layout "
        "of another part, not a header (the headers are _header_coe_cm.html,"
    )
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.startswith(wanted), err
    code, err = build(root)
    assert code == 1 and err.startswith(wanted) and "Recursion" not in err, err


BUILDER_STYLES = Path(__file__).parents[1] / "styles"
ONLY = "only files under fonts/, styles/ and images/, and data: URIs, may be used"
FAMILIES = "(the families: Compendium Sans, Compendium Serif)"
STYLED = {
    # finding 12: the build named the file it refused (file:///…/outside.png), at no line
    "outside": ("body{background:url(../../outside.png)}", f"a reference to ../../outside.png: {ONLY}"),
    "encoded": ("body{background:url(..%2f..%2foutside.png)}", f"a reference to ..%2f..%2foutside.png: {ONLY}"),
    "local": (
        '@font-face{font-family:X;src:LOCAL("DejaVu Sans")}',
        "a font of this machine (local(DejaVu Sans)): only fonts from fonts/ may be used",
    ),
    # finding 10: check passed; the build named the machine's font, a generic one at no line
    "named-font": (
        '.cover-title{font-family:"DejaVu Sans", "Compendium Sans"}',
        f"font-family 'DejaVu Sans': a font of this machine, not a family of styles/fonts.css {FAMILIES}",
    ),
    "generic-font": (
        ".cover-title{font-family:monospace}",
        "font-family monospace: a generic family, set in a font of this machine; name a family of "
        f"styles/fonts.css before it {FAMILIES}",
    ),
    # finding 11: check passed; the build's message was wrong and named no line
    "self-import": ('@import "screen.css";', "an @import of screen.css: the stylesheet imports itself"),
    "import-images": (
        '@import "../images/x.css";',
        "an @import of ../images/x.css: a stylesheet may import only the stylesheets of styles/",
    ),
    # finding 19: check refused these and the build let them through; both refuse them now
    "supports": (
        "@supports (color: red) { body { background: url(https://example.org/y.png) } }",
        f"a reference to https://example.org/y.png: {ONLY}",
    ),
    "local-unquoted": (
        "@font-face { font-family: X; src: local(Noto Sans) }",
        "a font of this machine (local(Noto Sans)): only fonts from fonts/ may be used",
    ),
    "image-set": (
        "body { background: image-set(url(https://example.org/y.png) 1x) }",
        f"a reference to https://example.org/y.png: {ONLY}",
    ),
}


def styled(tmp_path: Path, first: str) -> Path:
    """A project whose styles/screen.css is the builder's with `first` as its first line."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    (root / "images").mkdir()
    (root / "images" / "x.css").write_text("body{background:url(https://example.org/y.png)}\n", encoding="utf-8")
    screen = (BUILDER_STYLES / "screen.css").read_text(encoding="utf-8")
    (root / "styles" / "screen.css").write_text(f"{first}\n{screen}", encoding="utf-8")
    return root


@pytest.mark.parametrize(("first", "wanted"), STYLED.values(), ids=STYLED.keys())
def test_check_and_the_build_refuse_a_stylesheet_s_reference_at_its_line(tmp_path: Path, first: str, wanted: str):
    root = styled(tmp_path, first)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(f"styles/screen.css:1: {wanted}"), err
    code, err = build(root)
    assert code == 1 and err.splitlines()[0].startswith(f"styles/screen.css:1: {wanted}"), err


def test_an_import_loop_is_refused_at_both_imports_and_the_good_pdf_is_kept(tmp_path: Path):
    """Finding 11: screen.css and extra.css importing each other passed check; the build refused
    'Error fetching …/screen.css' at no line."""
    root = styled(tmp_path, '@import "extra.css";')
    (root / "styles" / "extra.css").write_text("body{color:red}\n", encoding="utf-8")
    assert build(root)[0] == 0
    [pdf] = (root / "output").glob("*.pdf")
    good = pdf.read_bytes()
    (root / "styles" / "extra.css").write_text('@import "screen.css";\nbody{color:red}\n', encoding="utf-8")
    wanted = [
        "styles/extra.css:1: an @import of screen.css: the stylesheet it imports leads back to this one, a loop",
        "styles/screen.css:1: an @import of extra.css: the stylesheet it imports leads back to this one, a loop",
    ]
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[:2] == wanted, err
    code, err = build(root)
    assert code == 1 and err.splitlines()[:2] == wanted, err
    assert pdf.read_bytes() == good


@pytest.mark.parametrize("folder", ["layouts", "styles", "typography"])
def test_output_into_the_builder_s_own_folders_is_refused(tmp_path: Path, folder: str):
    """Finding 14: --output into the builder's layouts/ wrote a PDF and a .cache there, which made
    the next build of every project start again."""
    from compendium.source.assets import BUILDER

    root = new(tmp_path)
    target = BUILDER / folder
    before = sorted(path.name for path in target.iterdir())
    code, err = run("--source", str(root / "source"), "--output", str(target), "--lang", "en")
    assert code == 2, err
    assert err == (
        f"compendium: --output {target}: inside the builder's own {folder}/ ({target}), which every build reads: "
        "choose a folder outside the builder (the default is output/ beside source/)\n"
    )
    assert sorted(path.name for path in target.iterdir()) == before


def test_nesting_too_deep_names_the_layout_line_around_an_element_written_with_expressions(tmp_path: Path):
    """Finding 13: 95 <div>s around _provision.html's body gave 'layouts:1: layouts: the layouts nest
    … (at <h6 class="resource-keyword" data-continued="On training (co', at no file."""
    root = new(tmp_path)
    (root / "layouts").mkdir()
    lines = (Path(__file__).parents[1] / "layouts" / "_provision.html").read_text(encoding="utf-8").splitlines()
    lines = [*lines[:2], "<div>" * 95, *lines[2:], "</div>" * 95]
    (root / "layouts" / "_provision.html").write_text("\n".join(lines) + "\n", encoding="utf-8")
    group = next(n for n, line in enumerate(lines, 1) if '<div class="resource-group">' in line)
    wanted = (
        f"layouts/_provision.html:{group}: the layouts nest elements more than 100 deep "
        '(at <h6 class="resource-keyword">), deeper than WeasyPrint lays out: '
        "does a loop open more elements than it closes?"
    )
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == wanted, err
    code, err = build(root)
    assert code == 1 and err.splitlines()[0] == wanted, err


def _compendium_yaml(root: Path, key: str, value: str) -> int:
    """compendium.yaml with `key` set to the YAML `value` (added when absent); the key's line."""
    path = root / "source" / "compendium.yaml"
    lines = path.read_text(encoding="utf-8").splitlines()
    at = next((n for n, line in enumerate(lines) if line.startswith(f"{key}:")), len(lines))
    lines[at : at + 1] = [f"{key}: {value}"]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return at + 1


@pytest.mark.parametrize(
    ("key", "value", "wanted"),
    [
        ("title", '"A | | B"', "key 'title': a line mark ' | ' with nothing on one side ('A | | B')"),
        ("title", '" | x | "', "key 'title': a line mark ' | ' with nothing on one side ('| x |')"),
        ("subtitle", '"Words | "', "key 'subtitle': a line mark ' | ' with nothing on one side ('Words |')"),
        (
            "annex_note",
            '"The texts are in the guide [^guide]."',
            "key 'annex_note': a footnote mark '[^guide]', which would be printed as written: only the blocks "
            "of introduction.yaml have footnotes",
        ),
    ],
)
def test_a_mark_compendium_yaml_would_print_as_written_is_refused_at_its_line(
    tmp_path: Path, key: str, value: str, wanted: str
):
    """Findings 15 and 16: a stray bar on the cover, and [^guide] printed in the imprint, passed check."""
    root = new(tmp_path)
    line = _compendium_yaml(root, key, value)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(f"source/compendium.yaml:{line}: {wanted}"), err
    code, err = build(root)
    assert code == 1 and err.splitlines()[0].startswith(f"source/compendium.yaml:{line}: {wanted}"), err


def test_a_bar_at_the_title_s_end_is_warned_of_and_printed(tmp_path: Path):
    """Finding 15: "x |" printed a stray bar without a word; a bar that is no mark is printed as written."""
    root = new(tmp_path)
    line = _compendium_yaml(root, "title", '"Compendium |"')
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0 and err.startswith(
        f"source/compendium.yaml:{line}: warning: key 'title': a bar with a space on one side only ('Compendium |') "
        "is no line mark (' | ' has words on both sides) and is printed as written"
    ), err


@pytest.mark.parametrize("name", ["en.yml", "EN.yaml"])
def test_a_misnamed_typography_file_is_warned_of_at_the_file(tmp_path: Path, name: str):
    """Finding 17: typography/en.yml and typography/EN.yaml were passed over without a word."""
    root = new(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / name).write_text('keep_together: ["and/or"]\n', encoding="utf-8")
    (root / "typography" / "README.md").write_text("the editor's notes\n", encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0 and err.splitlines()[0] == (
        f"typography/{name}:1: warning: not read: the builder reads a language's typographic rules from "
        "typography/<language>.yaml, the code in lower case (en.yaml)"
    ), err


def test_check_reports_a_typography_file_of_a_language_no_edition_is_in(tmp_path: Path):
    """Finding 17: a malformed typography/de.yaml was found only once a German edition was added."""
    root = new(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / "de.yaml").write_text('dash: "–"\nshort_parenthesis: lots\n', encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == (
        "typography/de.yaml:2: short_parenthesis: expected a number of characters (at most 200), found 'lots'"
    ), err


def test_a_plural_form_s_fault_is_told_at_its_line_and_the_count_only_where_the_msgid_counts(tmp_path: Path):
    """Finding 18: msgstr[2] leaving out %(languages)s was told at the msgid's line, with a word on
    %(num)d, which this msgid does not have."""
    from tests.test_attacks_round5 import RU_CATALOGUE, catalogue_problems

    old = 'msgstr[2] "имеется на языках: %(languages)s"'
    lines = RU_CATALOGUE.read_text(encoding="utf-8").splitlines()
    assert catalogue_problems(tmp_path, old, 'msgstr[2] "имеется на языках"') == [
        f'locale/ru/LC_MESSAGES/messages.po:{lines.index(old) + 1}: msgid "available in %(languages)s": '
        "msgstr[2] leaves out %(languages)s: every plural form keeps the msgid's placeholders (the printed text "
        "would lose what they say)"
    ]


def test_a_catalogue_with_a_byte_order_mark_is_named_without_the_hint_to_make_one(tmp_path: Path):
    """Finding 20: after the BOM's line came "(README.md, Adding a language: make the …", though
    the catalogue was there."""
    root = new(tmp_path)
    catalogue = root / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.parent.mkdir(parents=True)
    builder = Path(__file__).parents[1] / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    catalogue.write_bytes(b"\xef\xbb\xbf" + builder.read_bytes())
    code, err = run("translation", "--lang", "ru", "--source", str(root / "source"), "--export", str(root / "ru.po"))
    assert (code, err) == (
        2,
        "compendium: --lang ru: no edition can be built in it: locale/ru/LC_MESSAGES/messages.po:1: a byte-order "
        "mark (U+FEFF) at the start: save it as UTF-8 without BOM\n",
    )
    assert not (root / "ru.po").exists()
