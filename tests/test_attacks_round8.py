"""Attacker round 8 (docs/reviews/2026-12-06/attacker-round8.md): each finding fixed, a test that failed before."""

from __future__ import annotations

import pytest

from compendium.source.problems import Problems
from compendium.source.yamlsource import parse


@pytest.mark.parametrize(
    ("line", "cut"),
    [
        ("text: Tasks the relevant executive structures #2 and #3 to support such training;", "#2 and #3"),
        ("label: children #first", "#first"),
    ],
)
def test_a_comment_that_cuts_a_plain_text_short_is_a_warning_at_its_line(line: str, cut: str):
    """N1: ' #2 and #3' ended the paragraph's text (YAML reads a comment from ' #'), printed cut
    short in the provision and the annex with no word, even under --strict."""
    problems = Problems()
    node = parse(f"# a file\nid: x\n{line}\n", "source/provisions.yaml", problems)
    assert node is not None
    assert [str(p) for p in problems.items] == [
        f"source/provisions.yaml:3: warning: '{line[line.index(cut) :][:40]}' after the text starts a YAML comment "
        "(a space, then #) and is not read: put the whole text in quotes if it belongs to it"
    ]


@pytest.mark.parametrize(
    "line",
    [
        "text: A text  # a comment as people write one",
        'text: "A quoted text #2 and #3"',
        "colour: #1f5f99",  # an unquoted colour: reported where the colour is read
        "text: A text with a#hash inside",
    ],
)
def test_a_comment_as_people_write_one_is_no_warning(line: str):
    problems = Problems()
    assert parse(f"id: x\n{line}\n", "source/compendium.yaml", problems) is not None
    assert problems.items == []


def test_the_shipped_source_has_no_text_cut_by_a_comment():
    from tests.conftest import PROJECT

    for path in sorted((PROJECT / "source").rglob("*.yaml")) + sorted((PROJECT / "translations").glob("*.yaml")):
        problems = Problems()
        parse(path.read_text(encoding="utf-8"), str(path.relative_to(PROJECT)), problems)
        assert not [p for p in problems.items if "YAML comment" in str(p)], path


def test_a_layout_s_link_rel_attachment_is_refused_in_check_and_build(tmp_path):
    """N4: <link rel="attachment" href="images/a.png"> in a layout embedded the file in the PDF, with
    rc 0 from check and the build, though an <a rel="attachment"> was refused."""
    from tests.conftest import PROJECT
    from tests.test_attacks_round5 import run
    from tests.test_attacks_round7b import build, new

    root = new(tmp_path)
    (root / "images").mkdir()
    (root / "images" / "a.png").write_bytes((PROJECT / "docs" / "pages.png").read_bytes())
    (root / "layouts").mkdir()
    cover = (PROJECT / "layouts" / "_cover.html").read_text(encoding="utf-8")
    (root / "layouts" / "_cover.html").write_text('<link rel="attachment" href="images/a.png">\n' + cover, "utf-8")
    wanted = "layouts/_cover.html:1: an attachment of "
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and wanted in err and "a.png" in err, err
    code, err = build(root)
    assert code == 1 and wanted in err and not list((root / "output").glob("*.pdf")), err


@pytest.mark.parametrize("text", ["{}\n", "title: yes\n"])
def test_a_compendium_yaml_without_a_title_text_is_reported_once_and_never_a_traceback(tmp_path, text: str):
    """The fuzzer's '{}' (a KeyError in the line-mark check) and N10's 'title: yes' (the right error
    plus a warning about a bar in an empty title)."""
    import shutil

    from compendium.source.load import load
    from tests.conftest import PROJECT

    source = tmp_path / "source"
    shutil.copytree(PROJECT / "source", source)
    path = source / "compendium.yaml"
    original = path.read_text(encoding="utf-8")
    titled = "\n".join("title: yes" if line.startswith("title:") else line for line in original.split("\n"))
    path.write_text(titled if text == "title: yes\n" else text, encoding="utf-8")
    _, problems = load(source)
    assert problems.errors
    assert not [p for p in problems.items if "line mark" in str(p) or "bar with a space" in str(p)]
