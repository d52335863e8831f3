"""Attacker round 9 (docs/reviews/2026-12-06/attacker-round9.md): YAML slips named at their line
(P14), output names too long for the file system (P21), links inside the project (P18)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new

STARTER_LIST = "  - list:\n      - First point;\n      - Second point.\n"


@pytest.mark.parametrize(
    ("name", "old", "new_text", "expected"),
    [
        (
            "publications.yaml",
            "  title: A guide to the theme\n",
            "  title: 'A guide to the theme's sequel'\n",
            "publications.yaml:5: malformed YAML: a ' inside a text in '…': write '' or put the text in \"…\"",
        ),
        (
            "publications.yaml",
            "  title: A guide to the theme\n",
            '  title: "A guide to the "theme""\n',
            'publications.yaml:5: malformed YAML: a " inside a text in "…": write \\" or put the text in \'…\'',
        ),
        (
            "keywords.yaml",
            "  label: victims\n",
            "  label victims\n",
            "keywords.yaml:5: malformed YAML: a colon is missing: 'label victims' stands where a key is expected "
            "(write `label: victims`)",
        ),
        (
            "publications.yaml",
            "  authors: [The organization]\n",
            "  authors: [The organization\n",
            "publications.yaml:4: malformed YAML: the list in [ … ] that begins on this line is not closed on it "
            "(a missing ] at its end?); the parser only stopped at line 5",
        ),
        (
            "introduction.yaml",
            STARTER_LIST,
            "  - list: [First point[^guide];, Second point.]\n",
            "introduction.yaml:4: malformed YAML: a [ inside an item of a list in [ … ]: put the item in quotes "
            '("First point[^guide];"), or write the list as lines beginning with "- "',
        ),
        (
            "publications.yaml",
            "  authors: [The organization]\n",
            "  authors: ['The organization's office']\n",
            "publications.yaml:4: malformed YAML: a ' inside a text in '…': write '' or put the text in \"…\"",
        ),
        (
            "publications.yaml",
            "  place: City\n",
            "  place: [City\n",
            "publications.yaml:14: malformed YAML: the list in [ … ] that begins on this line is not closed on it "
            "(a missing ] at its end?); the parser only stopped at the end of the file",
        ),
    ],
    ids=[
        "apostrophe",
        "double-quote",
        "colon",
        "unclosed-list",
        "bracket-in-item",
        "apostrophe-in-item",
        "list-at-end",
    ],
)
def test_a_yaml_slip_is_named_at_the_line_it_was_made(tmp_path: Path, name: str, old: str, new_text: str, expected):
    """P14: these were told as an indentation error, as the parser's own words, or at a line past
    the end of the file."""
    root = new(tmp_path)
    path = root / "source" / name
    text = path.read_text(encoding="utf-8")
    assert text.count(old) == 1
    path.write_text(text.replace(old, new_text), encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0] == f"source/{expected}", err


def with_slug(root: Path, slug: str) -> None:
    path = root / "source" / "compendium.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("slug: my-compendium", f"slug: {slug}"), encoding="utf-8")


@pytest.mark.parametrize("command", [("check",), ("--jobs", "1", "-q")])
def test_a_slug_too_long_for_a_file_name_is_refused_at_its_line(tmp_path: Path, command):
    """P21: a slug of 250 letters passed check; the build laid the edition out, then failed with
    'File name too long'. Each file is first written as `.<name>.<8 hex>.tmp`, 14 bytes longer:
    a 247-byte name failed too."""
    root = new(tmp_path)
    with_slug(root, "a" * 235)  # aaa…-en.pdf: 242 bytes
    code, err = run(*command, "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0].startswith(
        "source/compendium.yaml:3: key 'slug': the output file aaaaaaaaaaaaaaaaaaaaaaaaaaaaaa…aaaaaaaaaaaaaaaaa-en.pdf "
        "would have a name of 242 bytes, over the 241 a name may have"
    ), err
    assert err.splitlines()[0].endswith("shorten the slug in compendium.yaml")
    assert "too long (" not in err and not (root / "output").exists()


def test_the_longest_slug_allowed_is_built(tmp_path: Path):
    root = new(tmp_path)
    with_slug(root, "a" * 234)
    code, err = run("--source", str(root / "source"), "--jobs", "1", "-q")
    assert code == 0, err
    assert [len(path.name) for path in (root / "output").glob("*.pdf")] == [241]


def long_keyword(root: Path) -> str:
    """The keyword victims renamed to an id of 239 characters, in keywords.yaml and provisions.yaml."""
    long = "-".join(["victims"] * 30)
    for name in ("keywords.yaml", "provisions.yaml"):
        path = root / "source" / name
        text = path.read_text(encoding="utf-8")
        path.write_text(text.replace("id: victims", f"id: {long}").replace("- victims", f"- {long}"), encoding="utf-8")
    return long


@pytest.mark.parametrize("command", [("check",), ("--jobs", "1", "-q")])
def test_a_handout_whose_keyword_makes_the_name_too_long_is_refused_at_its_line(tmp_path: Path, command):
    root = new(tmp_path)
    long = long_keyword(root)
    editions = root / "source" / "editions.yaml"
    text = editions.read_text(encoding="utf-8").replace("variants: [screen]", "variants: [screen, handout]")
    editions.write_text(text + f"  handouts:\n    - keyword: {long}\n", encoding="utf-8")
    code, err = run(*command, "--source", str(root / "source"))
    assert code == 1
    lines = err.splitlines()
    assert lines[0].startswith(
        "source/editions.yaml:8: editions: the output file my-compendium-en-handout-keywo…tims-victims-victims.pdf "
        "would have a name of 276 bytes"
    ), err
    assert lines[0].endswith("shorten the handout's keyword id")
    assert "too long (" not in err and not (root / "output").exists()


def test_a_handout_asked_on_the_command_line_with_a_name_too_long_is_refused(tmp_path: Path):
    root = new(tmp_path)
    long = long_keyword(root)
    code, err = run("--source", str(root / "source"), "--jobs", "1", "--variant", "handout", "--keyword", long)
    assert code == 1
    assert err.splitlines()[0].startswith("build.py: the output file my-compendium-en-handout-keywo…"), err
    assert "shorten the handout's keyword id" in err and not (root / "output").exists()


SQUARE = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"><rect width="10" height="10"/></svg>\n'
REFERRING = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="20"><image href="inner2.svg" width="10"/></svg>\n'
)


def with_logo(root: Path, logo: str = "mark.svg") -> None:
    """The starter with a logo in images/, and an SVG square in i2/, a folder of the project beside images/."""
    (root / "images").mkdir()
    (root / "i2").mkdir()
    (root / "i2" / "inner2.svg").write_text(SQUARE, encoding="utf-8")
    path = root / "source" / "compendium.yaml"
    path.write_text(path.read_text(encoding="utf-8").replace("brand:\n", f"brand:\n  logo: {logo}\n"), encoding="utf-8")


LINK_OUT = "is a link to i2/inner2.svg, outside fonts/, styles/ and images/, whose files alone may be used"


@pytest.mark.parametrize("command", [("check",), ("--jobs", "1", "-q")])
def test_an_svg_referring_through_a_link_out_of_images_names_the_link(tmp_path: Path, command):
    """P18: images/inner2.svg -> ../i2/inner2.svg, used by images/mark.svg: the refusal said "only
    files under … images/ may be used" of a file named under images/."""
    root = new(tmp_path)
    with_logo(root)
    (root / "images" / "mark.svg").write_text(REFERRING, encoding="utf-8")
    (root / "images" / "inner2.svg").symlink_to("../i2/inner2.svg")
    code, err = run(*command, "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"images/mark.svg:1: a reference to inner2.svg: images/inner2.svg {LINK_OUT}: put the file itself in its place"
    ), err


@pytest.mark.parametrize("command", [("check",), ("--jobs", "1", "-q")])
def test_a_logo_that_is_a_link_out_of_images_is_refused_at_its_line(tmp_path: Path, command):
    """A logo that is itself such a link passed check; the build's fetcher refused it once the pages
    were laid out."""
    root = new(tmp_path)
    with_logo(root)
    (root / "images" / "mark.svg").symlink_to("../i2/inner2.svg")
    code, err = run(*command, "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0].startswith(f"source/compendium.yaml:21: brand: key 'logo': images/mark.svg {LINK_OUT}")


def test_a_stylesheet_referring_through_a_link_out_of_images_names_the_link(tmp_path: Path):
    root = new(tmp_path)
    with_logo(root, "inner2.svg")
    (root / "source" / "compendium.yaml").write_text(
        (root / "source" / "compendium.yaml").read_text(encoding="utf-8").replace("  logo: inner2.svg\n", ""),
        encoding="utf-8",
    )
    (root / "images" / "inner2.svg").symlink_to("../i2/inner2.svg")
    (root / "styles").mkdir()
    (root / "styles" / "screen.css").write_text("body { background: url(../images/inner2.svg); }\n", encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1
    assert err.splitlines()[0] == (
        f"styles/screen.css:1: a reference to ../images/inner2.svg: images/inner2.svg {LINK_OUT}: "
        "put the file itself in its place"
    ), err


def test_a_link_that_stays_among_the_asset_folders_is_followed(tmp_path: Path):
    """The README's promise: links within the project are followed, where WeasyPrint may read."""
    root = new(tmp_path)
    with_logo(root)
    (root / "images" / "mark.svg").write_text(REFERRING, encoding="utf-8")
    (root / "images" / "art").mkdir()
    (root / "i2" / "inner2.svg").rename(root / "images" / "art" / "inner2.svg")
    (root / "images" / "inner2.svg").symlink_to("art/inner2.svg")
    code, err = run("--source", str(root / "source"), "--jobs", "1", "-q")
    assert code == 0, err


def test_the_fetcher_names_the_link_and_still_serves_nothing_outside_the_asset_folders(tmp_path: Path):
    """A layout's <img src="images/inner2.svg">: WeasyPrint asks the fetcher, which refuses it
    naming the link, as check does; a file of i2/ asked for directly is refused as before."""
    from compendium.pdf.engine import FatalURLFetchingError
    from compendium.pdf.fetcher import AssetFetcher

    root = new(tmp_path)
    with_logo(root)
    (root / "images" / "inner2.svg").symlink_to("../i2/inner2.svg")
    fetcher = AssetFetcher([root / "fonts", root / "styles", root / "images"], root)
    served = fetcher.served((root / "images" / "inner2.svg").as_uri())
    assert served == (
        "images/inner2.svg: a link to i2/inner2.svg, outside fonts/, styles/ and images/, whose files alone may "
        "be used: put the file itself in its place"
    )
    assert fetcher.served((root / "i2" / "inner2.svg").as_uri()) is None
    with pytest.raises(FatalURLFetchingError, match="images/inner2.svg: a link to i2/inner2.svg"):
        fetcher.fetch((root / "images" / "inner2.svg").as_uri())
