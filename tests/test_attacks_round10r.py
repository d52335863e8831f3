"""Attacker round 10, S11, S13, S14, S16 (and NICE items): a PDF says which project made it; a
project layout's images and characters, and a project stylesheet's content strings, are checked
at their line; a folder whose name is not UTF-8."""

from __future__ import annotations

import shutil
from pathlib import Path

import pikepdf
import pytest
from PIL import Image

from tests.conftest import run_build

SCREEN = ("--lang", "en", "--variant", "screen", "--jobs", "1")


@pytest.fixture(scope="module")
def starter(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A project from `new`, never built: copied by each test that changes it."""
    root = tmp_path_factory.mktemp("starter") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


def project(starter: Path, where: Path) -> Path:
    shutil.copytree(starter, where)
    return where


# --- S11. the PDF itself says which project made it ----------------------------------------------------


def test_another_project_s_pdf_is_not_replaced_once_the_cache_is_removed(starter: Path, tmp_path: Path):
    first, second = project(starter, tmp_path / "pa"), project(starter, tmp_path / "pb")
    shared = tmp_path / "shared"
    assert run_build("--source", str(first / "source"), *SCREEN, "--output", str(shared)).returncode == 0
    [pdf] = shared.glob("*.pdf")
    made = pdf.read_bytes()
    shutil.rmtree(shared / ".cache")  # a clean-up
    for force in ((), ("--force",)):
        result = run_build("--source", str(second / "source"), *SCREEN, "--output", str(shared), *force)
        assert result.returncode == 1 and result.stderr.splitlines()[0] == (
            f"{pdf}: made from another project's source (its metadata says so); this build of "
            f"{second / 'source'} would replace it (two compendia with the slug 'my-compendium'? give one its own "
            "slug in compendium.yaml, or build into another --output; or remove the PDF)"
        ), result.stderr
        assert pdf.read_bytes() == made
    assert run_build("--source", str(first / "source"), *SCREEN, "--output", str(shared)).returncode == 0


def test_a_pdf_with_no_mark_and_no_record_is_replaced_only_under_force(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    (root / "output").mkdir()
    pdf = root / "output" / "my-compendium-en.pdf"
    foreign = pikepdf.new()
    foreign.add_blank_page()
    foreign.save(pdf)
    made = pdf.read_bytes()
    result = run_build("--source", str(root / "source"), *SCREEN)
    assert result.returncode == 1 and result.stderr.splitlines()[0] == (
        f"{pdf}: not known to be made from {root / 'source'} (the PDF carries no mark of its source, and "
        ".cache/builds.json has no record of it); this build would replace it: build with --force to replace "
        "it, or build into another --output, or remove the PDF"
    ), result.stderr
    assert pdf.read_bytes() == made
    assert run_build("--source", str(root / "source"), *SCREEN, "--force").returncode == 0
    assert pdf.read_bytes() != made


def test_a_project_copied_or_moved_with_its_output_builds_again_without_its_cache(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    assert run_build("--source", str(root / "source"), *SCREEN).returncode == 0
    copy = tmp_path / "copy"
    shutil.copytree(root, copy)
    shutil.rmtree(copy / "output" / ".cache")
    (copy / "source" / "compendium.yaml").write_text(
        (copy / "source" / "compendium.yaml").read_text(encoding="utf-8") + "\n", encoding="utf-8"
    )
    result = run_build("--source", str(copy / "source"), *SCREEN)
    assert result.returncode == 0, result.stderr


def test_the_mark_is_an_xmp_identifier_beside_the_pdf_ua_claim(starter: Path, tmp_path: Path):
    root = project(starter, tmp_path / "p")
    assert run_build("--source", str(root / "source"), *SCREEN).returncode == 0
    with pikepdf.open(root / "output" / "my-compendium-en.pdf") as pdf, pdf.open_metadata() as meta:
        assert meta["pdfuaid:part"] == "1"
        [mark] = meta["xmp:Identifier"]
    from compendium.source.project import Project

    assert mark == Project.from_source(root / "source").source_mark

