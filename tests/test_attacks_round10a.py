"""Attacker round 10 (docs/reviews/2026-12-06/attacker-round10.md): M1, M2, M10, S4."""

from __future__ import annotations

import io
import os
import signal
from contextlib import redirect_stderr
from pathlib import Path

import pytest

from compendium import cli
from compendium.build import batch
from compendium.build.cache import MANIFEST, Manifest, key_path, machine_key
from compendium.edition import Edition
from compendium.pdf.output import workspace
from compendium.source import inputs
from compendium.source.project import Project
from tests.test_attacks import copy_project

# --- M1. a worker of --jobs killed ---------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGKILL, signal.SIGTERM])
def test_a_killed_worker_fails_its_editions_in_one_line_and_replaces_nothing(tmp_path: Path, monkeypatch, signum):
    root = copy_project(tmp_path)
    output = root / "output"
    output.mkdir()
    editions = [Edition("en", "screen"), Edition("en", "print")]
    kept = output / editions[1].filename
    kept.write_bytes(b"%PDF-1.7 the good one")

    def killed(job, project, *args):  # the worker is forked with this in place of the real build
        with workspace(project.output):  # SIGKILL leaves its work folder behind
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
    for line, edition in zip(lines[1:], editions, strict=True):
        assert line.startswith("build failed: ") and f"{edition.filename} not written" in line, lines
    assert kept.read_bytes() == b"%PDF-1.7 the good one"
    assert sorted(path.name for path in output.iterdir()) == [kept.name]  # no work folder left


# --- M2. the build record and the key are never read through a link ------------------------------


def record_linked_to(tmp_path: Path, target: str | Path) -> Path:
    output = tmp_path / "output"
    (output / ".cache").mkdir(parents=True)
    (output / MANIFEST).symlink_to(target)
    return output


@pytest.mark.parametrize("target", ["/dev/zero", "outside"])
def test_a_build_record_that_is_a_link_is_ignored_without_being_read(tmp_path: Path, target: str):
    secret = tmp_path / "outside"
    secret.write_bytes(b"\x84 a secret of the user")
    output = record_linked_to(tmp_path, secret if target == "outside" else target)
    manifest = Manifest(output)
    assert manifest.entries == {}
    assert manifest.warning == (
        f"warning: {output / MANIFEST} ignored (a link: the builder follows none here (remove it: it is made "
        "again)): every edition is built again"
    )


def test_a_build_record_larger_than_the_builder_reads_is_ignored_after_64_mb(tmp_path: Path, monkeypatch):
    output = tmp_path / "output"
    (output / ".cache").mkdir(parents=True)
    (output / MANIFEST).write_bytes(b" " * 2000)
    monkeypatch.setattr(inputs.read_own, "__defaults__", (1000,))
    assert "more than the builder reads" in Manifest(output).warning


def test_a_build_record_that_is_not_utf8_is_ignored_without_showing_its_bytes(tmp_path: Path):
    output = tmp_path / "output"
    (output / ".cache").mkdir(parents=True)
    (output / MANIFEST).write_bytes(b"\x84\x99")
    warning = Manifest(output).warning
    assert "not UTF-8 text (at byte 0)" in warning and "0x84" not in warning, warning


@pytest.mark.parametrize("target", ["/dev/zero", "outside"])
def test_a_key_that_is_a_link_is_not_read(tmp_path: Path, monkeypatch, target: str):
    secret = tmp_path / "outside"
    secret.write_bytes(bytes(range(64)))
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    key_path().parent.mkdir(parents=True)
    key_path().symlink_to(secret if target == "outside" else target)
    key, why = machine_key()
    assert (
        key is None
        and why
        == f"no key to check it with: {key_path()}: a link: the builder follows none here (remove it: it is made again)"
    )


# --- M10, S4. a path on the command line that cannot name a file: one line, a misuse -------------

LONG = "a" * 300


def misuse(*args: str) -> str:
    """The last line the command line prints of a misuse, after checking that it exits 2 without a traceback."""
    err = io.StringIO()
    with redirect_stderr(err), pytest.raises(SystemExit) as ended:
        cli.main(list(args))
    assert ended.value.code == 2 and "Traceback" not in err.getvalue(), err.getvalue()
    return err.getvalue().splitlines()[-1]


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--source", f"/tmp/{LONG}/source"], "argument --source: a name of 300 bytes"),
        (["check", "--source", f"/tmp/{LONG}/source"], "argument --source: a name of 300 bytes"),
        (["--output", f"/tmp/{LONG}"], "argument --output: a name of 300 bytes"),
        (["new", f"/tmp/{LONG}"], "argument DIR: a name of 300 bytes"),
        (["translation", "--lang", "ru", "--export", f"/tmp/{LONG}.po"], "argument --export: a name of 303 bytes"),
        (["check", "--source", "/tmp/" + "/".join(["b" * 200] * 25)], "argument --source: a path of 5029 bytes"),
        (["--output", ""], "argument --output: an empty name (an unset shell variable?)"),
        (["import-catalogue", "x.json", ""], "argument YAML: an empty name (an unset shell variable?)"),
    ],
)
def test_a_path_that_cannot_name_a_file_is_refused_as_misuse_in_one_line(args: list[str], said: str):
    assert said in misuse(*args)


def test_an_output_folder_that_is_a_loop_of_links_is_refused_as_misuse(tmp_path: Path):
    (tmp_path / "a").symlink_to(tmp_path / "b")
    (tmp_path / "b").symlink_to(tmp_path / "a")
    assert misuse("--output", str(tmp_path / "a")).endswith(
        f"argument --output: {tmp_path / 'a'}: a loop of links (it leads back to itself)"
    )
