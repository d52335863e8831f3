"""Attacker round 9 (/tmp/attacker-round9.md), P1, P2, P3, P6, P23: each failed before."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new


def test_a_command_line_edition_writing_a_configured_edition_s_pdf_is_refused(tmp_path: Path):
    """P6: `--variant handout --keyword training --paper letter` replaced the configured handout
    of the keyword training-letter (on A4), under the same file name, without a word."""
    root = new(tmp_path)
    keywords = root / "source" / "keywords.yaml"
    keywords.write_text(
        keywords.read_text(encoding="utf-8") + "- id: training-letter\n  label: training letters\n", encoding="utf-8"
    )
    editions = "- lang: en\n  variants: [handout]\n  handouts: [{keyword: training-letter}]\n"
    (root / "source" / "editions.yaml").write_text(editions, encoding="utf-8")
    asked = ("--variant", "handout", "--keyword", "training", "--paper", "letter", "--jobs", "1")
    code, err = run("--source", str(root / "source"), *asked)
    assert (code, err) == (
        1,
        "source/editions.yaml:3: editions: the editions 'en handout keyword training-letter on a4' and "
        "'en handout keyword training on letter' would both write "
        "my-compendium-en-handout-keyword-training-letter.pdf: change one (a handout's keyword or section, "
        "the paper, or the variant) (the second from the command line)\n",
    )
    assert not (root / "output").exists()


PRINT = "- lang: en\n  variants: [print]\n"


def _print_project(tmp_path: Path) -> Path:
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(PRINT, encoding="utf-8")
    assert run("--source", str(root / "source"), "--jobs", "1", "-q") == (0, "")
    return root


def _files(root: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted((root / "output").iterdir()) if p.is_file()}


def test_a_print_edition_whose_shop_sheet_cannot_be_written_replaces_none_of_its_files(tmp_path: Path):
    """P1: the interior and the cover were replaced one after the other, the shop's sheet could not
    be, and the build said the PDF was "not written (the previous one, if any, is unchanged)"."""
    root = _print_project(tmp_path)
    shop = root / "output" / "my-compendium-en-print-shop.txt"
    shop.unlink()
    (shop / "x").mkdir(parents=True)  # stands for a file that cannot be replaced at that moment
    before = _files(root)
    compendium = root / "source" / "compendium.yaml"
    text = compendium.read_text(encoding="utf-8")
    compendium.write_text(re.sub(r"(?m)^subtitle: .*", "subtitle: A changed subtitle", text), encoding="utf-8")
    code, err = run("--source", str(root / "source"), "--jobs", "1", "-q")
    assert code == 1 and err.splitlines() == [
        f"cannot write {shop}: a folder has that name",
        f"build failed: {root / 'output' / 'my-compendium-en-print.pdf'} not written, nor its cover and the print "
        "shop's sheet (the previous ones, if any, are unchanged)",
    ], err
    assert _files(root) == before
    assert not [p.name for p in (root / "output").iterdir() if p.name.startswith(".") and p.name != ".cache"]


def test_an_edition_s_files_go_in_place_together_or_not_at_all(tmp_path: Path, monkeypatch):
    """P1: a rename that fails after the first file was replaced puts the first one back."""
    import os

    from compendium.source import files

    (tmp_path / "a.pdf").write_bytes(b"old a")
    (tmp_path / "work").mkdir()
    pairs = []
    for name in ("a.pdf", "b.pdf"):
        (tmp_path / "work" / name).write_bytes(b"new " + name.encode())
        pairs.append((tmp_path / "work" / name, tmp_path / name))
    replace = os.replace

    def full(source, target):
        if str(target).endswith("b.pdf"):
            raise OSError(28, "No space left on device", str(target))
        replace(source, target)

    monkeypatch.setattr(files.os, "replace", full)
    try:
        files.move_all_into_place(pairs)
    except files.WriteError as error:
        assert str(error) == f"cannot write {tmp_path / 'b.pdf'}: the disk is full ({tmp_path / 'b.pdf'})"
    else:
        raise AssertionError("the second file was written")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["a.pdf", "work"]
    assert (tmp_path / "a.pdf").read_bytes() == b"old a"


def test_a_print_edition_whose_cover_or_shop_sheet_went_is_built_again(tmp_path: Path):
    """P23: with the cover or the shop's sheet deleted, or another cover in its place, the build
    said "unchanged" and left the set incomplete or stale."""
    root = _print_project(tmp_path)
    output = root / "output"
    for name, change in (
        ("my-compendium-en-print-cover.pdf", None),
        ("my-compendium-en-print-shop.txt", None),
        ("my-compendium-en-print-cover.pdf", b"%PDF-1.7 another project's cover"),
    ):
        (output / name).unlink()
        if change is not None:
            (output / name).write_bytes(change)
        code, out = _built(root)
        assert code == 0 and out.startswith("wrote "), out
        assert (output / name).is_file() and (output / name).read_bytes() != change
    code, out = _built(root)
    assert code == 0 and out.startswith("unchanged "), out


def _built(root: Path) -> tuple[int, str]:
    """The build's exit code and what it printed (the result lines)."""
    import subprocess
    import sys

    done = subprocess.run(
        [sys.executable, "-m", "compendium", "--source", str(root / "source"), "--jobs", "1"],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.stderr == ""
    return done.returncode, done.stdout


LAYOUTS = Path(__file__).parents[1] / "layouts"


@pytest.mark.parametrize("layout", ["booklet_cover.html", "spine.html"])
def test_an_edit_to_the_cover_s_or_spine_s_layout_builds_the_print_edition_again(tmp_path: Path, layout: str):
    """P2: the cache keyed the print edition on its pages' HTML only: an edit to the project's
    booklet_cover.html or spine.html said "unchanged" and left the cover as it was."""
    root = _print_project(tmp_path)
    own = root / "layouts" / layout
    own.parent.mkdir()
    text = (LAYOUTS / layout).read_text(encoding="utf-8")
    own.write_text(
        text.replace(
            "{% block body %}", '{% block body %}<span style="position:absolute;top:5mm;left:5mm">FIRST STAMP</span>'
        ),
        encoding="utf-8",
    )
    assert "FIRST STAMP" in own.read_text(encoding="utf-8")
    code, out = _built(root)
    assert code == 0 and out.startswith("wrote "), out
    own.write_text(own.read_text(encoding="utf-8").replace("FIRST STAMP", "SECOND STAMP"), encoding="utf-8")
    code, out = _built(root)
    assert code == 0 and out.startswith("wrote "), out
    code, out = _built(root)
    assert code == 0 and out.startswith("unchanged "), out


@pytest.mark.parametrize("layout", ["booklet_cover.html", "spine.html"])
@pytest.mark.parametrize("url", ["file:///etc/passwd", "https://example.org/x.png"])
def test_a_refused_reference_in_the_cover_s_or_spine_s_layout_is_one_located_line(
    tmp_path: Path, layout: str, url: str
):
    """P3: the build ended in a traceback (FatalURLFetchingError), and check never rendered these layouts."""
    root = new(tmp_path)
    (root / "source" / "editions.yaml").write_text(PRINT, encoding="utf-8")
    (root / "layouts").mkdir()
    (root / "layouts" / layout).write_text(
        f'<img src="{url}">\n' + (LAYOUTS / layout).read_text(encoding="utf-8"), encoding="utf-8"
    )
    refused = (
        f"layouts/{layout}:1: a reference to {url}: only files under fonts/, styles/ and images/, "
        "and data: URIs, may be used"
    )
    code, err = run("check", "--source", str(root / "source"))
    assert (code, err) == (1, f"{refused}\ncheck failed: 1 error(s), 0 warning(s)\n")
    code, err = run("--source", str(root / "source"), "--jobs", "1", "-q")
    assert code == 1 and err.splitlines()[0] == refused and "Traceback" not in err, err
