"""The attacks of docs/reviews/2026-12-05/attacker-round5.md: each refused in one located line, or
(a reader closing the output early) met without a traceback."""

from __future__ import annotations

import base64
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from compendium.build.cache import Manifest
from compendium.pdf.problems import written_at
from compendium.source.inputs import MAX_INPUT, too_large
from compendium.source.load import load
from compendium.source.project import Project

VALID = Path(__file__).parent / "fixtures" / "valid" / "source"


def small(tmp_path: Path, name: str = "small") -> Path:
    root = tmp_path / name
    shutil.copytree(VALID, root / "source")
    return root


def run_closed(*args: str, timeout: float = 120) -> tuple[int, str]:
    """(exit status, stderr) of the command line whose standard output is a pipe its reader has
    already closed, as `compendium … | head` is once head has its lines."""
    reader, writer = os.pipe()
    os.close(reader)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "compendium", *args],
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            timeout=timeout,
            cwd=Path(__file__).parent,  # the installed builder, not ./compendium
            check=False,
        )
    finally:
        os.close(writer)
    return done.returncode, done.stderr


# --- M3. a reader that closes standard output early -------------------------------------------------


def test_wording_into_a_closed_pipe_ends_quietly_and_succeeds():
    code, err = run_closed("wording")
    assert (code, err) == (0, "")


def test_a_build_into_a_closed_pipe_writes_its_pdf_and_succeeds(tmp_path: Path):
    root = small(tmp_path)
    code, err = run_closed("--source", str(root / "source"), "--lang", "en", "--variant", "screen")
    assert "Traceback" not in err and "BrokenPipe" not in err
    assert code == 0, err
    assert list((root / "output").glob("*.pdf"))


def test_a_check_into_a_closed_pipe_keeps_its_exit_status(tmp_path: Path):
    root = small(tmp_path)
    assert run_closed("check", "--source", str(root / "source")) == (0, "")
    (root / "source" / "compendium.yaml").write_text("title: [\n")
    code, err = run_closed("check", "--source", str(root / "source"))
    assert code == 1 and "Traceback" not in err and "source/compendium.yaml:" in err


# --- M1. a source/ that is a link out of its project ---------------------------------------------


def run(*args: str, timeout: float = 120) -> tuple[int, str]:
    done = subprocess.run(
        [sys.executable, "-m", "compendium", *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=Path(__file__).parent,
        check=False,
    )
    return done.returncode, done.stderr


def test_a_source_folder_linked_to_another_project_s_is_refused_and_nothing_is_written_there(tmp_path: Path):
    victim = small(tmp_path, "victim")
    hostile = tmp_path / "hostile"
    hostile.mkdir()
    (hostile / "source").symlink_to(victim / "source")
    refused = f"a link to {victim / 'source'}, outside the project folder"
    code, err = run("check", "--source", str(hostile / "source"))
    assert code == 1 and err.splitlines()[0].startswith(f"source:1: {refused}") and len(err.splitlines()) == 2, err
    code, err = run("--source", str(hostile / "source"), "--lang", "en", "--variant", "screen")
    assert code == 1 and err.startswith(f"source: {refused}"), err
    assert sorted(path.name for path in victim.iterdir()) == ["source"]  # no output/, translations/


def test_a_project_reached_through_a_link_as_a_whole_is_its_target(tmp_path: Path):
    """The other side of the refusal: a link to the whole project leaves nothing."""
    project = small(tmp_path)
    (tmp_path / "linked").symlink_to(project)
    code, err = run("check", "--source", str(tmp_path / "linked" / "source" / "decisions" / ".."))
    assert code == 0, err


# --- M6 and N10. a file beside the source's, under a name the builder does not read -----------------


def test_a_decision_file_the_builder_does_not_read_is_named_with_what_is_expected(tmp_path: Path):
    root = small(tmp_path)
    decisions = root / "source" / "decisions"
    text = next(decisions.glob("*.yaml")).read_text(encoding="utf-8")
    for name in ("x.yml", "y.YAML", "z.yaml.txt", "2024/w.yaml"):
        (decisions / name).parent.mkdir(exist_ok=True)
        (decisions / name).write_text(text, encoding="utf-8")
    (decisions / ".x.yaml.swp").write_text("an editor's", encoding="utf-8")
    _, problems = load(root / "source", root)
    assert [str(problem) for problem in problems.warnings] == [
        "source/decisions/2024:1: warning: not read: decision files are read from source/decisions/ itself, "
        "not from a folder in it",
        "source/decisions/x.yml:1: warning: not read: decision files end in .yaml",
        "source/decisions/y.YAML:1: warning: not read: decision files end in .yaml",
        "source/decisions/z.yaml.txt:1: warning: not read: decision files end in .yaml",
    ]


def test_a_misspelt_source_file_is_named_with_the_file_it_stands_for(tmp_path: Path):
    root = small(tmp_path)
    source = root / "source"
    (source / "keywords.yml").write_text("x: 1\n")
    (source / "provisons.yaml").write_text("x: 1\n")
    (source / "notes.txt").write_text("the editor's own\n")
    (source / "README.md").write_text("the editor's own\n")
    _, problems = load(source, root)
    assert [str(problem) for problem in problems.warnings] == [
        "source/keywords.yml:1: warning: not read: the builder reads keywords.yaml",
        "source/provisons.yaml:1: warning: not read: the builder reads provisions.yaml",
    ]


# --- M2. a file too large to read whole ----------------------------------------------------------


def huge(path: Path, size: int = MAX_INPUT + 1) -> Path:
    """A file of `size` bytes that takes no disk (sparse): only its size is ever looked at."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("ab") as file:
        file.truncate(size)
    return path


def test_a_source_file_too_large_is_refused_at_its_name_before_it_is_read(tmp_path: Path):
    root = small(tmp_path)
    huge(root / "source" / "keywords.yaml", 2 * 2**30)
    code, err = run("check", "--source", str(root / "source"))
    wanted = "source/keywords.yaml:1: a file of 2.0 GB, more than the builder reads (at most 64 MB)"
    assert code == 1 and wanted in err.splitlines()[0] and "Traceback" not in err, err


def test_a_file_at_the_cap_is_read_and_one_byte_more_is_not(tmp_path: Path):
    assert too_large(huge(tmp_path / "at.yaml", MAX_INPUT)) is None
    assert too_large(huge(tmp_path / "over.yaml")) is not None


def test_a_build_record_too_large_is_ignored_with_one_warning(tmp_path: Path):
    output = tmp_path / "output"
    huge(output / ".cache" / "builds.json", 5 * 2**29)
    manifest = Manifest(output)
    assert manifest.entries == {}
    assert manifest.warning == (
        f"warning: {output / '.cache' / 'builds.json'} ignored (a file of 2.5 GB, more than the builder reads "
        "(at most 64 MB): is it the file you meant?): every edition is built again"
    )


def test_a_catalogue_too_large_to_import_is_refused_by_name(tmp_path: Path):
    big = huge(tmp_path / "big.json")
    code, err = run("import-catalogue", str(big), str(tmp_path / "out.yaml"))
    assert code == 1 and err.startswith(f"import-catalogue: {big}: a file of 64 MB, more than the builder reads"), err
    assert not (tmp_path / "out.yaml").exists()


# --- N1. check -q ----------------------------------------------------------------------------------


def test_check_quiet_prints_nothing_for_a_good_source_and_the_problems_for_a_bad_one(tmp_path: Path):
    root = small(tmp_path)
    source = str(root / "source")
    done = subprocess.run(
        [sys.executable, "-m", "compendium", "check", "-q", "--source", source],
        capture_output=True,
        text=True,
        cwd=Path(__file__).parent,
        check=False,
    )
    assert (done.returncode, done.stdout, done.stderr) == (0, "", "")
    (root / "source" / "keywords.yml").write_text("x: 1\n")
    code, err = run("check", "-q", "--source", source)
    assert (code, err) == (0, "source/keywords.yml:1: warning: not read: the builder reads keywords.yaml\n")


# --- S4. a reference the build refuses, at the layout's line -----------------------------------------


@pytest.mark.parametrize(
    ("written", "resolved"),
    [("/etc/passwd", "file:///etc/passwd"), ("//example.org/x.png", "file://example.org/x.png")],
)
def test_the_build_names_the_layout_line_of_a_reference_weasyprint_resolved(tmp_path: Path, written, resolved):
    (tmp_path / "layouts").mkdir()
    (tmp_path / "layouts" / "_cover.html").write_text(f'<section>\n<img src="{written}" alt="x">\n</section>\n')
    (tmp_path / "styles").mkdir()
    (tmp_path / "styles" / "screen.css").write_text("body { color: black }\n")
    assert written_at(Project(root=tmp_path), resolved) == "layouts/_cover.html:2: "


# --- M5. an SVG logo WeasyPrint cannot draw ---------------------------------------------------------

SVG_NAMESPACE = 'xmlns="http://www.w3.org/2000/svg"'
UNDRAWABLE = {
    "viewbox": (
        f'<svg {SVG_NAMESPACE} viewBox="a b c" width="10" height="10"><rect width="9" height="9"/></svg>\n',
        "images/mark.svg:1: viewBox 'a b c': expected four numbers, min-x min-y width height (the width and "
        "height not negative), without which WeasyPrint leaves the image out",
    ),
    "nested": (
        f'<svg {SVG_NAMESPACE} width="10" height="10">\n' + "<g>\n" * 1000 + "<rect/>" + "</g>" * 1000 + "</svg>\n",
        "images/mark.svg:101: elements nested more than 100 deep, which WeasyPrint cannot draw (it would leave "
        "the image out): export it again flattened",
    ),
}


def svg_mark(tmp_path: Path, svg: str) -> Path:
    root = small(tmp_path)
    with (root / "source" / "compendium.yaml").open("a", encoding="utf-8") as stream:
        stream.write("brand:\n  logo: mark.svg\n")
    (root / "images").mkdir()
    (root / "images" / "mark.svg").write_text(svg, encoding="utf-8")
    return root


@pytest.mark.parametrize(("svg", "wanted"), UNDRAWABLE.values(), ids=UNDRAWABLE.keys())
def test_check_refuses_an_svg_logo_weasyprint_cannot_draw_with_the_reason(tmp_path: Path, svg: str, wanted: str):
    root = svg_mark(tmp_path, svg)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == wanted, err


def test_the_build_refuses_an_svg_logo_weasyprint_cannot_draw_and_keeps_the_good_pdf(tmp_path: Path):
    root = svg_mark(tmp_path, UNDRAWABLE["viewbox"][0].replace("a b c", "0 0 10 10"))
    build = ("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert run(*build)[0] == 0
    [pdf] = (root / "output").glob("*.pdf")
    good = pdf.read_bytes()
    (root / "images" / "mark.svg").write_text(UNDRAWABLE["viewbox"][0], encoding="utf-8")
    code, err = run(*build)
    assert code == 1 and UNDRAWABLE["viewbox"][1] in err, err
    assert pdf.read_bytes() == good


def test_an_image_weasyprint_left_out_fails_the_build_naming_the_file(tmp_path: Path):
    """Whatever the reason WeasyPrint had (a warning that gives none): the image is not in the PDF."""
    from compendium.pdf.problems import dropped_images

    url = (tmp_path / "images" / "mark.svg").as_uri()
    logged = [f"Failed to render SVG image {url}", "Ignored `x: y` at 1:1, unknown property."]
    assert dropped_images(logged, Project(root=tmp_path)) == [
        f"images/mark.svg: WeasyPrint could not draw this image and would leave it out (Failed to render SVG image "
        f"{url})"
    ]


# --- M7. a project layout that prints no provision --------------------------------------------------

BUILDER_LAYOUTS = Path(__file__).parent.parent / "layouts"


@pytest.mark.parametrize(
    ("name", "edit", "wanted"),
    [
        ("_provision.html", lambda text: "", "layouts/_provision.html:1: "),
        ("base.html", lambda text: text.replace("{% block body %}{% endblock %}", ""), "layouts/base.html:1: "),
    ],
    ids=["emptied", "block-left-out"],
)
def test_check_refuses_layouts_that_print_no_provision_naming_them(tmp_path: Path, name, edit, wanted):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / name).write_text(edit((BUILDER_LAYOUTS / name).read_text(encoding="utf-8")))
    code, err = run("check", "--source", str(root / "source"))
    count = len(load(root / "source", root)[0].provisions)
    assert code == 1 and err.splitlines()[0] == (
        f"{wanted}the layouts print none of the {count} provisions (the project's own layouts replacing the "
        f"builder's: layouts/{name}): compare them with the builder's (a block or an include left out?)"
    ), err


def test_the_build_refuses_layouts_that_print_no_provision_and_keeps_the_good_pdf(tmp_path: Path):
    root = small(tmp_path)
    build = ("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert run(*build)[0] == 0
    [pdf] = (root / "output").glob("*.pdf")
    good = pdf.read_bytes()
    (root / "layouts").mkdir()
    (root / "layouts" / "_provision.html").write_text("")
    code, err = run(*build)
    assert code == 1 and "layouts/_provision.html:1: the layouts print none of the" in err, err
    assert pdf.read_bytes() == good


def test_a_layout_of_the_project_that_prints_the_provisions_passes(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    text = (BUILDER_LAYOUTS / "_provision.html").read_text(encoding="utf-8")
    (root / "layouts" / "_provision.html").write_text(text.replace("provision-text", "provision-text own"))
    assert run("check", "--source", str(root / "source")) == (0, "")


# --- S1. typography/<lang>.yaml, read by check as the build reads it --------------------------------


@pytest.mark.parametrize(
    ("table", "wanted"),
    [
        ("last_word: 3\nlast_word: 4\n", "typography/en.yaml:2: key 'last_word' appears twice"),
        ("bogus_key: 1\n", "typography/en.yaml:1: bogus_key: not a typographic rule (expected one of"),
        (
            "short_parenthesis: 99999999999\n",
            "typography/en.yaml:1: short_parenthesis: expected a number of characters (at most 200), found 99999999999",
        ),
        (
            'no_break_after: ["", "p."]\n',
            "typography/en.yaml:1: no_break_after: expected a list of words, found an empty one (word 1)",
        ),
    ],
    ids=["duplicate", "unknown", "huge", "empty-word"],
)
def test_check_reads_the_typography_table_of_every_edition_language(tmp_path: Path, table: str, wanted: str):
    root = small(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / "en.yaml").write_text(table, encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(wanted), err


def test_the_build_refuses_a_huge_length_at_its_line_not_in_a_layout(tmp_path: Path):
    root = small(tmp_path)
    (root / "typography").mkdir()
    (root / "typography" / "en.yaml").write_text("short_parenthesis: 99999999999\n", encoding="utf-8")
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert code == 1 and "typography/en.yaml:1: short_parenthesis: expected a number" in err, err
    assert "OverflowError" not in err and "layouts/" not in err


# --- S2. a kind's header naming no header layout --------------------------------------------------

HEADERS = "_header_coe_cm.html, _header_generic.html, _header_meeting.html, _header_osce_mc.html, _header_un_ga.html"


@pytest.mark.parametrize(
    ("header", "why"),
    [
        ("nothere.html", "no layout 'nothere.html' in layouts/"),
        ("_header_generc.html", "no layout '_header_generc.html' in layouts/ (did you mean '_header_generic.html'?)"),
        ("../source/compendium.yaml", "no layout '../source/compendium.yaml' in layouts/"),
        (
            "compendium.html",
            "'compendium.html' is a whole document's layout, not a header (a partial, whose name begins with _)",
        ),
    ],
    ids=["missing", "typo", "outside", "whole-document"],
)
def test_a_kind_header_that_is_no_header_layout_is_refused_at_its_line(tmp_path: Path, header: str, why: str):
    root = small(tmp_path)
    (root / "source" / "kinds.yaml").write_text(
        f"id: osce-mc-decision\nbased_on: osce-mc-decision\nheader: {header}\n", encoding="utf-8"
    )
    wanted = f"source/kinds.yaml:3: kind 'osce-mc-decision': key 'header': {why} (the headers are {HEADERS})"
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == wanted, err
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert code == 1 and err.splitlines()[0] == wanted, err


def test_a_kind_header_of_the_project_s_own_layouts_is_accepted(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_header_ours.html").write_text((BUILDER_LAYOUTS / "_header_generic.html").read_text())
    (root / "source" / "kinds.yaml").write_text(
        "id: osce-mc-decision\nbased_on: osce-mc-decision\nheader: _header_ours.html\n", encoding="utf-8"
    )
    assert run("check", "--source", str(root / "source")) == (0, "")


# --- S3. references check let through, read as WeasyPrint reads CSS --------------------------------

BUILDER_STYLES = Path(__file__).parent.parent / "styles"
INNER_SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><image href="https://example.org/x.png"/></svg>'
LOGO = "images/logo.svg:2: "


def with_file(tmp_path: Path, name: str, added: str) -> Path:
    """The small project with its own copy of the builder's `name` (a stylesheet or layout), `added`
    as its last line; an SVG logo is written whole, with the brand asking for it."""
    root = small(tmp_path)
    path = root / name
    path.parent.mkdir(parents=True, exist_ok=True)
    if name.endswith(".svg"):
        with (root / "source" / "compendium.yaml").open("a", encoding="utf-8") as stream:
            stream.write("brand:\n  logo: logo.svg\n")
        path.write_text(f'<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">\n{added}\n</svg>\n')
        return root
    builder = BUILDER_STYLES / path.name if name.startswith("styles/") else BUILDER_LAYOUTS / path.name
    text = builder.read_text(encoding="utf-8")  # the builder's fonts, named where they are
    text = text.replace('url("../fonts/', f'url("{(BUILDER_STYLES.parent / "fonts").as_uri()}/')
    path.write_text(text.rstrip("\n") + f"\n{added}\n", encoding="utf-8")
    return root


def line_of(root: Path, name: str, added: str) -> str:
    lines = (root / name).read_text(encoding="utf-8").splitlines()
    return f"{name}:{lines.index(added) + 1}: "


EVIL = "http://example.org/a.png"
ONLY = "only files under fonts/, styles/ and images/, and data: URIs, may be used"
LOCAL = "a font of this machine (local(DejaVu Sans)): only fonts from fonts/ may be used"
REFERENCES = {
    "css-escape": (
        "styles/screen.css",
        r"body { background: u\72l(http://example.org/a.png) }",
        f"a reference to {EVIL}: {ONLY}",
    ),
    "local-font": ("styles/screen.css", '@font-face { font-family: x; src: local("DejaVu Sans") }', LOCAL),
    "missing-font": (
        "styles/fonts.css",
        '@font-face { font-family: y; src: url("../fonts/NotoSans-Regulr.ttf") }',
        "a reference to ../fonts/NotoSans-Regulr.ttf: not found",
    ),
    "missing-image": (
        "styles/screen.css",
        "body { background: url(../images/missing.png) }",
        "a reference to ../images/missing.png: not found",
    ),
    "sections-template": (
        "styles/sections.css.j2",
        f"body {{ background: url({EVIL}) }}",
        f"a reference to {EVIL}: {ONLY}",
    ),
    "svg-local-font": ("images/logo.svg", '<style>@font-face { src: local("DejaVu Sans") }</style>', LOCAL),
    "svg-in-data-uri": (
        "images/logo.svg",
        f'<image href="data:image/svg+xml;base64,{base64.b64encode(INNER_SVG).decode()}"/>',
        "a reference to https://example.org/x.png (in an SVG image given as a data: URI): " + ONLY,
    ),
    "svg-missing-image": ("images/logo.svg", '<image href="inner.svg"/>', "a reference to inner.svg: not found"),
    "layout-style-attribute": ("layouts/_cover.html", f'<div style="background:url({EVIL})"></div>', "a reference to"),
    "layout-style-import": ("layouts/_cover.html", f'<style>@import url("{EVIL}");</style>', "a reference to"),
}


@pytest.mark.parametrize(("name", "added", "wanted"), REFERENCES.values(), ids=REFERENCES.keys())
def test_check_finds_what_the_build_would_refuse_at_its_line(tmp_path: Path, name: str, added: str, wanted: str):
    root = with_file(tmp_path, name, added)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(f"{line_of(root, name, added)}{wanted}"), err


@pytest.mark.parametrize("case", ["missing-font", "sections-template", "local-font"])
def test_the_build_names_the_stylesheet_line_that_asks_for_a_refused_or_missing_file(tmp_path: Path, case: str):
    name, added, _ = REFERENCES[case]
    root = with_file(tmp_path, name, added)
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert code == 1 and err.startswith(line_of(root, name, added)), err


# --- S5. elements nested deeper than WeasyPrint lays out -------------------------------------------

DEEP_LAYOUT = (
    '<section class="cover" id="cover">\n'
    "{% for i in range(3000) %}<div>{% endfor %}x{% for i in range(3000) %}</div>{% endfor %}\n"
    "</section>\n"
)
TOO_DEEP = (
    "layouts/_cover.html:2: the layouts nest elements more than 100 deep (at <div>), deeper than WeasyPrint "
    "lays out: does a loop open more elements than it closes?"
)


def test_check_refuses_a_layout_nesting_too_deep_at_its_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(DEEP_LAYOUT)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == TOO_DEEP, err


def test_the_build_refuses_a_layout_nesting_too_deep_without_blaming_the_builder(tmp_path: Path):
    root = small(tmp_path)
    (root / "layouts").mkdir()
    (root / "layouts" / "_cover.html").write_text(DEEP_LAYOUT)
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--parts", "--jobs", "1")
    assert code == 1 and err.splitlines()[0] == TOO_DEEP, err


# --- S6. output collisions across choices and projects -----------------------------------------------


def test_a_booklet_on_a3_has_a_file_of_its_own_beside_the_booklet_on_its_own_pages():
    from compendium.edition import Edition

    own, on_a3 = Edition("en", "booklet", slug="x"), Edition("en", "booklet", booklet="actual", slug="x")
    assert (own.filename, on_a3.filename) == ("x-en-booklet.pdf", "x-en-booklet-actual.pdf")
    assert on_a3.layout.filename == "x-en-print.pdf"  # it imposes the print edition's pages


def test_a_second_project_with_the_same_slug_does_not_replace_the_first_s_pdf(tmp_path: Path):
    first, second = small(tmp_path, "first"), small(tmp_path, "second")
    shared = tmp_path / "shared"
    build = ("--lang", "en", "--variant", "screen", "--jobs", "1", "--output", str(shared))
    assert run("--source", str(first / "source"), *build)[0] == 0
    [pdf] = shared.glob("*.pdf")
    made = pdf.read_bytes()
    code, err = run("--source", str(second / "source"), *build)
    assert code == 1 and err.splitlines()[0] == (
        f"{pdf}: made from another project's source, {(first / 'source').resolve()}; this build of "
        f"{second / 'source'} would replace it (two compendia with the slug 'compendium'? give one its own slug "
        "in compendium.yaml, or build into another --output; or remove the PDF)"
    ), err
    assert pdf.read_bytes() == made
    assert run("--source", str(first / "source"), *build)[0] == 0  # its own project builds it again


# --- S7. handouts given, but no handout variant -------------------------------------------------------


def test_handouts_without_the_handout_variant_are_a_warning_at_their_line(tmp_path: Path):
    root = small(tmp_path)
    (root / "source" / "editions.yaml").write_text("- lang: en\n  variants: [screen]\n  handouts: [{section: I}]\n")
    assert run("check", "--source", str(root / "source")) == (
        0,
        "source/editions.yaml:3: warning: edition 'en': key 'handouts': no handout is made: variants (screen) has no "
        "handout (add it to variants)\n",
    )


# --- S8. a quote left open, closed by the quote of a later value ---------------------------------------


def test_a_quote_left_open_is_named_at_its_line_when_a_later_value_s_quote_closes_it(tmp_path: Path):
    root = small(tmp_path)
    path = root / "source" / "compendium.yaml"
    text = path.read_text(encoding="utf-8").replace("title: Test compendium\n", 'title: "Test compendium\n')
    path.write_text(
        text.replace("sections:\n", 'brand:\n  colour: "#1f4e79"\n  palette: ["#1f5f99"]\nsections:\n', 1),
        encoding="utf-8",
    )
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(
        "source/compendium.yaml:2: malformed YAML: the text in quotes that begins on this line is not closed on it "
        '(a missing " at its end?)'
    ), err


def test_a_quoted_text_over_lines_followed_by_a_comment_is_no_mistake():
    from compendium.source.yamlsource import _unclosed_quote

    assert _unclosed_quote(['title: "a text', 'over two lines"  # a comment', "year: 2019"], 3) is None


# --- S9. U+0000 written as an escape ------------------------------------------------------------------


@pytest.mark.parametrize("escape", ["\\0", "\\u0000", "\\x00"])
def test_a_null_character_written_as_an_escape_is_refused_like_the_other_controls(tmp_path: Path, escape: str):
    root = small(tmp_path)
    path = root / "source" / "compendium.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("subtitle: A fixture", f'subtitle: "A fix{escape}ture"'))
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0] == (
        "source/compendium.yaml:3: a control or unassigned character (U+0000) cannot be printed; remove it"
    ), err


# --- S10. a plural form leaving out a placeholder -------------------------------------------------------

RU_CATALOGUE = Path(__file__).parent.parent / "locale" / "ru" / "LC_MESSAGES" / "messages.po"


def catalogue_problems(tmp_path: Path, old: str, new: str) -> list[str]:
    from compendium.source.interface import check_catalogue
    from compendium.source.problems import Problems

    path = tmp_path / "locale" / "ru" / "LC_MESSAGES" / "messages.po"
    path.parent.mkdir(parents=True)
    text = RU_CATALOGUE.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    problems = Problems()
    check_catalogue(path, tmp_path, problems)
    return [str(problem) for problem in problems.sorted()]


def msgid_line(msgid: str) -> int:
    lines = RU_CATALOGUE.read_text(encoding="utf-8").splitlines()
    return lines.index(f'msgid "{msgid}"') + 1


def form_line(msgid: str, index: int) -> int:
    """The line of the msgid's msgstr[index] (round 6, finding 18: a form's fault is told there)."""
    lines = RU_CATALOGUE.read_text(encoding="utf-8").splitlines()
    start = msgid_line(msgid)
    return next(n for n, line in enumerate(lines[start:], start + 1) if line.startswith(f"msgstr[{index}]"))


LEFT_OUT = "every plural form keeps the msgid's placeholders (the printed text would lose what they say)"
COUNTED = ", but for the count, %(num)d, in a form used for one number only"


def test_a_plural_form_leaving_out_a_placeholder_other_than_the_count_is_refused(tmp_path: Path):
    old = 'msgstr[0] "имеется на языке: %(languages)s"'
    found = catalogue_problems(tmp_path, old, 'msgstr[0] "имеется на языке"')
    assert found == [
        f"locale/ru/LC_MESSAGES/messages.po:{form_line('available in %(languages)s', 0)}: "
        'msgid "available in %(languages)s": '
        f"msgstr[0] leaves out %(languages)s: {LEFT_OUT}"
    ]


def test_the_count_may_be_left_out_only_of_a_form_used_for_one_number(tmp_path: Path):
    """Russian's form 2 covers 0, 5–20, 25 …: the count is needed; form 0 covers 1, 21, 31 … too."""
    old = 'msgstr[2] "%(num)d мест в издании"'
    found = catalogue_problems(tmp_path, old, 'msgstr[2] "мест в издании"')
    assert found == [
        f"locale/ru/LC_MESSAGES/messages.po:{form_line('%(num)d place in the edition', 2)}: "
        'msgid "%(num)d place in the edition": '
        f"msgstr[2] leaves out %(num)d: {LEFT_OUT}{COUNTED}"
    ]
    assert catalogue_problems(tmp_path / "one", 'msgstr[0] "%(num)d место в издании"', 'msgstr[0] "место"') != []


def test_a_form_for_one_number_may_leave_out_the_count():
    from compendium.source.interface import _single_forms

    assert _single_forms("nplurals=2; plural=(n != 1);") == {0}
    assert (
        _single_forms(
            "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);"
        )
        == set()
    )


# --- NICE: N2, N5 -----------------------------------------------------------------------------------


def test_a_record_of_a_copied_output_folder_is_said_to_be_made_for_another_not_forged(tmp_path: Path):
    from compendium.build.cache import Record

    manifest = Manifest(tmp_path / "first")
    manifest.record("x.pdf", Record("i", "c", "l", "p", 3))
    manifest.save()
    shutil.copytree(tmp_path / "first", tmp_path / "copy")
    copied = Manifest(tmp_path / "copy")
    assert copied.entries == {} and copied.warning == (
        f"warning: {tmp_path / 'copy' / '.cache' / 'builds.json'}: 1 record(s) ignored (made for another output "
        "folder or on another machine (a project moved or copied), or edited): those editions are built again"
    )


def test_a_reversed_page_range_is_told_as_such(tmp_path: Path):
    import pikepdf

    from compendium.build.proof import ProofError, chosen_pages

    pdf = pikepdf.new()
    for _ in range(11):
        pdf.add_blank_page()
    pdf.save(tmp_path / "x.pdf")
    assert chosen_pages(tmp_path / "x.pdf", "3-5", []) == [2, 3, 4]
    with pytest.raises(ProofError, match=r"^page 5-3: a range runs from its first page to its last \(3-5\?\)$"):
        chosen_pages(tmp_path / "x.pdf", "5-3", [])


def test_a_rewritten_english_is_quoted_by_its_ends_in_the_stale_warning():
    """N11: the whole new English (3,000 characters) was quoted on one line."""
    from compendium.source.translations import changed_words

    before = " ".join(f"old{n}" for n in range(500))
    after = " ".join(f"new{n}" for n in range(500))
    change = changed_words(before, after)
    assert len(change) < 250 and change.startswith("'old0 old1 ") and change.endswith(" new498 new499'")
    assert (
        changed_words("as a platform for", "as a key platform for") == "'as a platform for' → 'as a key platform for'"
    )


@pytest.mark.parametrize("inside", ["source", "source/decisions", "layouts"])
def test_an_output_folder_inside_the_project_s_inputs_is_refused(tmp_path: Path, inside: str):
    """N8: PDFs and a .cache were written into the source."""
    root = small(tmp_path)
    code, err = run("--source", str(root / "source"), "--output", str(root / inside), "--lang", "en")
    folder = inside.split("/")[-1] if inside != "source/decisions" else "source"
    assert (code, err.splitlines()[0]) == (
        2,
        f"compendium: --output {root / inside}: inside {folder}/, which the builder reads: choose a folder outside the "
        "project's inputs (the default is output/ beside source/)",
    ), err
    assert not list(root.rglob("*.pdf"))


def test_a_language_babel_does_not_know_is_not_told_to_make_its_catalogue(tmp_path: Path):
    """N12: --lang xx answered with the command that makes locale/xx/…."""
    root = small(tmp_path)
    code, err = run("--source", str(root / "source"), "--lang", "xx", "--variant", "screen")
    assert code == 1 and err.splitlines()[0] == (
        "edition 'xx': Babel has no locale data for 'xx' (dates and lists cannot be written in it) "
        "(README.md, Adding a language)"
    ), err
    assert "interface --lang" not in err and "translations/xx.yaml" not in err, err


def test_a_section_given_by_its_number_is_told_its_numeral(tmp_path: Path):
    """N12: --section 1 for the first section, 'I'."""
    root = small(tmp_path)
    code, err = run("--source", str(root / "source"), "--variant", "handout", "--section", "1", "--lang", "en")
    assert code == 1 and err.splitlines()[0] == "handout: no section '1' (the sections are I) (did you mean 'I'?)", err
    (root / "source" / "editions.yaml").write_text("- lang: en\n  variants: [handout]\n  handouts: [{section: '1'}]\n")
    code, err = run("check", "--source", str(root / "source"))
    assert "key 'section': no section '1' (the sections are I) (did you mean 'I'?)" in err, err


@pytest.mark.parametrize("name", ["extra.woff2", "extra.woff", "extra.OTF"])
def test_a_file_in_fonts_with_a_font_s_ending_that_is_no_font_is_an_error(tmp_path: Path, name: str):
    """N15: only .ttf files were looked at."""
    root = small(tmp_path)
    (root / "fonts").mkdir()
    (root / "fonts" / name).write_bytes(b"not a font at all, " * 20)
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.splitlines()[0].startswith(f"fonts/{name}:1: "), err
    assert "found other data" in err.splitlines()[0], err


def test_new_refuses_an_empty_folder_name_and_a_dangling_link_saying_why(tmp_path: Path):
    """N4: `new ""` wrote ./source into the current folder; a dangling link gave 'File exists'."""
    done = subprocess.run(
        [sys.executable, "-m", "compendium", "new", ""], capture_output=True, text=True, cwd=tmp_path, check=False
    )
    assert done.returncode == 2 and done.stderr.splitlines()[-1].endswith(
        "argument DIR: an empty folder name (an unset shell variable?): name the new folder"
    ), done.stderr
    assert list(tmp_path.iterdir()) == []
    (tmp_path / "dangling").symlink_to(tmp_path / "nowhere")
    code, err = run("new", str(tmp_path / "dangling"))
    assert (code, err) == (
        2,
        f"compendium: new {tmp_path / 'dangling'}: a link to {tmp_path / 'nowhere'}, which does not exist "
        "(choose a new folder)\n",
    )


@pytest.mark.parametrize(("key", "line"), [("en", 2), ("forms", 4)])
def test_a_term_pattern_that_is_no_regular_expression_is_named_at_its_key_s_line(tmp_path: Path, key: str, line: int):
    """N14: it was named at the entry's first line."""
    from compendium.source.problems import Problems
    from compendium.source.terms import read_terms

    entry = {"en": "states", "rendering": "государства", "forms": "государств\\w*"}
    entry[key] = "(unbalanced"
    path = tmp_path / "translations" / "ru-terms.yaml"
    path.parent.mkdir()
    path.write_text(
        f"- term: States\n  en: '{entry['en']}'\n  rendering: {entry['rendering']}\n  forms: '{entry['forms']}'\n",
        encoding="utf-8",
    )
    problems = Problems()
    assert read_terms(path, tmp_path, problems) == []
    assert [str(problem) for problem in problems.items] == [
        f"translations/ru-terms.yaml:{line}: term 'States': key '{key}': not a regular expression: missing ), "
        "unterminated subpattern at position 0"
    ]


def test_a_wording_in_a_language_no_edition_is_in_is_a_warning_at_its_line(tmp_path: Path):
    """N7: `wording: {Contents: {en: …, xx: …}}` was ignored without a word."""
    root = small(tmp_path)
    with (root / "source" / "compendium.yaml").open("a", encoding="utf-8") as stream:
        stream.write("wording:\n  Contents:\n    en: Table of contents\n    xx: Inhalt\n")
    lines = (root / "source" / "compendium.yaml").read_text(encoding="utf-8").splitlines()
    code, err = run("check", "--source", str(root / "source"))
    assert (code, err) == (
        0,
        f"source/compendium.yaml:{len(lines)}: warning: wording 'Contents': language 'xx': no edition is in it "
        "(the editions are in en), so the text is never printed\n",
    )


def test_a_pdf_in_the_output_folder_that_is_a_link_is_refused_before_anything_is_built(tmp_path: Path):
    """N16: a build said 'unchanged victim.pdf' and proof rendered the file elsewhere."""
    root = small(tmp_path)
    build = ("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert run(*build)[0] == 0
    [pdf] = (root / "output").glob("*.pdf")
    elsewhere = tmp_path / "victim.pdf"
    pdf.rename(elsewhere)
    pdf.symlink_to(elsewhere)
    wanted = f"output/{pdf.name}: a link to {elsewhere}: the builder's outputs are files of its own, never links"
    code, err = run(*build)
    assert code == 1 and err.startswith(wanted), err
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and err.startswith(f"{wanted.replace(': a link', ':1: a link', 1)}"), err


def test_a_machine_font_an_svg_image_names_is_told_at_its_line(tmp_path: Path):
    """S3: `<text font-family="DejaVu Sans">` in an SVG logo gave 'text set in …' naming no file."""
    from compendium.pdf.engine import FontUse
    from compendium.pipeline import check_fonts

    (tmp_path / "images").mkdir()
    (tmp_path / "images" / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg">\n<text font-family="DejaVu Sans">A</text>\n</svg>\n'
    )
    [message] = check_fonts([FontUse("DejaVu Sans", "A", "")], {"Compendium Sans"}, Project(root=tmp_path))
    assert message.startswith("images/logo.svg:2: font-family 'DejaVu Sans': a font of this machine, not a family of")
