"""Attacker round 9 (docs/reviews/2026-12-06/attacker-round9.md), a newcomer's first steps: P15-P17."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from compendium.source import starter
from tests.test_attacks_round5 import run
from tests.test_attacks_round7b import new


def test_the_starter_writes_its_list_as_a_block_where_a_comma_is_safe(tmp_path: Path):
    """P15: `new` wrote `list: [First point;, Second point.]`; an editor's comma inside an item
    split it in two, silently. A block list keeps "First point, which has a comma;" whole."""
    root = new(tmp_path)
    path = root / "source" / "introduction.yaml"
    text = path.read_text(encoding="utf-8")
    assert "list: [" not in text
    path.write_text(text.replace("First point;", "First point, which has a comma;"), encoding="utf-8")
    blocks = yaml.safe_load(path.read_text(encoding="utf-8"))["blocks"]
    assert next(b["list"] for b in blocks if "list" in b) == ["First point, which has a comma;", "Second point."]
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0, err


def test_interface_for_the_source_language_is_refused_with_the_way_to_reword(tmp_path: Path):
    """P16: `interface --lang en` wrote locale/en/…/messages.po, which the English edition never
    reads: the editor's new wording was lost without a word."""
    root = new(tmp_path)
    code, err = run("interface", "--lang", "en", "--source", str(root / "source"))
    assert code == 2 and "`wording:` in source/compendium.yaml" in err, err
    assert not (root / "locale").exists()


@pytest.mark.parametrize("existed", [False, True])
def test_a_starter_that_cannot_be_written_leaves_nothing_to_block_the_retry(tmp_path: Path, monkeypatch, existed):
    """P17: `new` on a full disk left folder/source/ behind, and the retry was refused with
    "source already exists"."""
    folder = tmp_path / "n1"
    if existed:
        folder.mkdir()
        (folder / "notes.txt").write_text("mine", encoding="utf-8")
    real, calls = starter.write_text, []

    def full(path, text, **options):  # options: how the file is put in place (never over one: round 12 M6)
        calls.append(path)
        if len(calls) == 3:
            raise OSError(27, "File too large")
        real(path, text, **options)

    monkeypatch.setattr(starter, "write_text", full)
    with pytest.raises(OSError):
        starter.write_starter(folder)
    assert not (folder / "source").exists()
    assert folder.exists() == existed and (not existed or (folder / "notes.txt").read_text() == "mine")
    monkeypatch.setattr(starter, "write_text", real)
    assert starter.write_starter(folder)


@pytest.mark.parametrize("into", ["source", "styles"])
def test_an_output_folder_linked_into_the_inputs_is_refused(tmp_path: Path, into: str):
    """P22: output/ -> source/ (or styles/) was accepted, and the PDF and .cache/ were written
    among the files the builder reads; --output there was already refused."""
    root = new(tmp_path)
    (root / into).mkdir(exist_ok=True)
    (root / "output").symlink_to(into)
    before = sorted(p.name for p in (root / into).iterdir())
    for command in (["check"], ["--lang", "en", "--variant", "screen", "--jobs", "1"]):
        code, err = run(*command, "--source", str(root / "source"))
        assert code != 0 and "a link into " + into + "/, which the builder reads" in err, err
    assert sorted(p.name for p in (root / into).iterdir()) == before


BUILDER = Path(__file__).parents[1]


def test_a_copy_of_the_builder_s_fonts_css_uses_the_builder_s_fonts(tmp_path: Path):
    """P19: the README says to add a font to fonts/ and styles/fonts.css; the builder's fonts.css
    copied into a project unchanged failed check with 8 "not found" errors (../fonts/NotoSans-…,
    which only the builder has). A file the project's fonts/ lacks is the builder's, as a layout
    or stylesheet the project lacks is; a file neither has is still not found."""
    root = new(tmp_path)
    (root / "styles").mkdir()
    fonts = (BUILDER / "styles" / "fonts.css").read_text(encoding="utf-8")
    (root / "styles" / "fonts.css").write_text(fonts, encoding="utf-8")
    code, err = run("check", "--source", str(root / "source"))
    assert code == 0, err
    code, err = run("--source", str(root / "source"), "--lang", "en", "--variant", "screen", "--jobs", "1")
    assert code == 0, err
    (root / "styles" / "fonts.css").write_text(fonts.replace("NotoSans-Regular.ttf", "NotoSans-Regulr.ttf"))
    code, err = run("check", "--source", str(root / "source"))
    assert code == 1 and "a reference to ../fonts/NotoSans-Regulr.ttf: not found" in err, err
