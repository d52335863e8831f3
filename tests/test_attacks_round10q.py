"""Attacker round 10, S5, S7, S10, S12: a stylesheet or image too large to read, a full disk, an
immutable translation file and an http: address from a catalogue, each told in one located line."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from tests.conftest import PROJECT, run_build

SIZE = "a file of 70 MB, more than the builder reads (at most 64 MB)"


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("q") / "p"
    assert run_build("new", str(root)).returncode == 0
    return root


@pytest.mark.parametrize("where", ["styles/screen.css", "images/mark.svg"])
def test_a_stylesheet_or_image_too_large_is_refused_by_check_and_before_the_build(project: Path, where: str):
    """A sparse file: 70 MB by its size, nothing on the disk; refused by its size, never read."""
    big = project / where
    big.parent.mkdir(exist_ok=True)
    big.write_text((PROJECT / "styles" / "screen.css").read_text(encoding="utf-8") if where.endswith("css") else "")
    os.truncate(big, 70 * 2**20)
    try:
        check = run_build("check", "--source", str(project / "source"))
        build = run_build("--source", str(project / "source"), "--lang", "en", "--variant", "screen", "-q")
    finally:
        big.unlink()
    for result in (check, build):
        assert result.returncode == 1, result.stderr
        assert f"{where}:1: {SIZE}" in result.stderr, result.stderr
        assert "Traceback" not in result.stderr and "WeasyPrint" not in result.stderr
