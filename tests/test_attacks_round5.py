"""The attacks of docs/reviews/2026-12-05/attacker-round5.md: each refused in one located line, or
(a reader closing the output early) met without a traceback."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

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
