"""Attacker round 10 (docs/reviews/2026-12-06/attacker-round10.md): M1, M2, M10, S4."""

from __future__ import annotations

import io
import os
import signal
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from compendium.build import batch
from compendium.edition import Edition
from compendium.source.project import Project
from tests.test_attacks import copy_project, run_cli


# --- M1. a worker of --jobs killed ---------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_worker_fails_its_editions_in_one_line_and_replaces_nothing(tmp_path: Path, monkeypatch, signum):
    root = copy_project(tmp_path)
    output = root / "output"
    output.mkdir()
    editions = [Edition("en", "screen"), Edition("en", "print")]
    kept = output / editions[1].filename
    kept.write_bytes(b"%PDF-1.7 the good one")

    def killed(job, *args):  # the worker is forked with this in place of the real build
        os.kill(os.getpid(), signum)

    monkeypatch.setattr(batch, "run_job", killed)
    err = io.StringIO()
    with redirect_stderr(err):
        failed = batch.build_editions(
            editions,
            Project(root=root),
            strict=False,
            force=True,
            quiet=True,
            jobs=2,
        )
    lines = err.getvalue().splitlines()
    assert failed == 2 and "Traceback" not in err.getvalue() and "BrokenProcessPool" not in err.getvalue()
    assert lines[0] == batch.LOST and lines.count(batch.LOST) == 1, lines
    assert len(lines) == 3, lines
    for line, edition in zip(lines[1:], editions):
        assert line.startswith("build failed: ") and f"{edition.filename} not written" in line, lines
    assert kept.read_bytes() == b"%PDF-1.7 the good one"
