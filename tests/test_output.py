"""Faults of the machine: an output folder that cannot be made or written, a full disk, a killed build."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from compendium.pdf.output import OutputError, put_all_in_place, remove_stale_workspaces, workspace
from tests.conftest import PROJECT

FIXTURE_SOURCE = Path(__file__).parent / "fixtures" / "valid" / "source"

# Builds the small fixture project with the command line (its messages and exit code); KILL_AT stops the
# build with SIGNAL at one point: during layout, after writing the raw PDF, after finishing.
SCRIPT = textwrap.dedent(
    """
    import os, signal, sys
    from pathlib import Path
    import weasyprint
    import compendium.pdf.finish
    from compendium import cli

    root, output = Path(sys.argv[1]), Path(sys.argv[2])
    where, sig = os.environ.get("KILL_AT"), getattr(signal, os.environ.get("SIGNAL", "SIGKILL"))

    def stopping(point, function):
        def wrapped(*args, **kwargs):
            result = function(*args, **kwargs)
            if where == point:
                os.kill(os.getpid(), sig)
            return result
        return wrapped

    weasyprint.HTML.render = stopping("layout", weasyprint.HTML.render)
    weasyprint.document.Document.write_pdf = stopping("writing", weasyprint.document.Document.write_pdf)
    compendium.pdf.finish.finish = stopping("finishing", compendium.pdf.finish.finish)
    arguments = ["--source", str(root / "source"), "--output", str(output), "--lang", "en", "--force"]
    sys.exit(cli.main(arguments))
    """
)


@pytest.fixture(scope="module")
def small_project(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("project")
    for folder in ("layouts", "styles", "fonts", "locale"):
        shutil.copytree(PROJECT / folder, root / folder)
    shutil.copytree(FIXTURE_SOURCE, root / "source")
    return root


def build(root: Path, output: Path, prefix: tuple[str, ...] = (), **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [*prefix, sys.executable, "-c", SCRIPT, str(root), str(output)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        cwd=PROJECT,
        check=False,
    )


def work_folders(output: Path) -> list[str]:
    return sorted(p.name for p in output.glob(".build-*"))


@pytest.mark.parametrize("point", ["layout", "writing", "finishing"])
def test_a_build_killed_at_any_point_keeps_the_old_pdf_and_the_next_build_leaves_no_folder(
    small_project: Path, tmp_path: Path, point: str
):
    output = tmp_path / "output"
    output.mkdir()
    old = output / "compendium-en.pdf"
    old.write_bytes(b"%PDF-1.7 the previous, good PDF")
    killed = build(small_project, output, KILL_AT=point)
    assert killed.returncode == -9, killed.stderr
    assert old.read_bytes() == b"%PDF-1.7 the previous, good PDF"
    assert len(work_folders(output)) == 1  # SIGKILL: nothing could clean up
    after = build(small_project, output)
    assert after.returncode == 0, after.stderr
    assert work_folders(output) == []
    assert old.read_bytes().startswith(b"%PDF-") and old.stat().st_size > 10_000


def test_a_build_stopped_by_sigterm_removes_its_own_folder(small_project: Path, tmp_path: Path):
    output = tmp_path / "output"
    result = build(small_project, output, KILL_AT="writing", SIGNAL="SIGTERM")
    assert result.returncode == 143  # 128 + SIGTERM, as a shell reports a process ended by it
    assert result.stderr.splitlines() == [
        "build: stopped by signal 15 (SIGTERM); the previous PDF, if any, is unchanged"
    ]
    assert work_folders(output) == []
    assert not (output / "compendium-en.pdf").exists()


def test_the_work_folder_of_a_build_still_running_is_left_alone(tmp_path: Path):
    stale = tmp_path / ".build-stale"
    stale.mkdir()
    (stale / "lock").write_text("")  # its build died: nobody holds the lock
    (stale / "raw.pdf").write_bytes(b"half")
    with workspace(tmp_path) as live:
        assert not stale.exists()  # removed when this build began
        assert remove_stale_workspaces(tmp_path) == []  # a live build's folder (this one) stays
        assert live.exists()
    assert work_folders(tmp_path) == []


@pytest.mark.parametrize("editions", [["--lang", "en"], []], ids=["one edition", "every edition"])
def test_output_under_proc_is_one_line_and_exit_1(editions: list[str]):
    result = subprocess.run(
        [sys.executable, "build.py", *editions, "--output", "/proc/x"],
        capture_output=True,
        text=True,
        cwd=PROJECT,
        check=False,
    )
    assert result.returncode == 1
    assert result.stderr == "cannot create the output folder /proc/x: No such file or directory (/proc/x)\n"


def test_an_output_path_that_is_a_file_or_a_pdf_name_that_is_a_folder(small_project: Path, tmp_path: Path):
    a_file = tmp_path / "a-file"
    a_file.write_text("not a folder")
    result = build(small_project, a_file)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"cannot use {a_file} as the output folder: it is a file, not a folder"
    output = tmp_path / "output"
    (output / "compendium-en.pdf").mkdir(parents=True)
    result = build(small_project, output)
    assert result.returncode == 1
    assert result.stderr.splitlines()[0] == f"cannot write {output / 'compendium-en.pdf'}: a folder has that name"
    assert work_folders(output) == []


def mount_namespace() -> tuple[str, ...] | None:
    """A private mount namespace (unshare) in which a test may mount a small or read-only tmpfs, or None."""
    unshare = shutil.which("unshare")
    if unshare is None:
        return None
    probe = subprocess.run([unshare, "-rm", "sh", "-c", "mount -t tmpfs tmpfs /mnt"], capture_output=True, check=False)
    return (unshare, "-rm", "sh", "-c") if probe.returncode == 0 else None


def in_namespace(prefix, mount_options: str, small_project: Path, output: Path) -> subprocess.CompletedProcess:
    # Root would write through chmod 555, so the read-only folder is a read-only mount; the full disk a tiny one.
    command = (
        f"mount -t tmpfs -o {mount_options} tmpfs {output} && "
        f'exec {sys.executable} -c "$SCRIPT" {small_project} {output}'
    )
    return subprocess.run(
        [*prefix, command], capture_output=True, text=True, env={**os.environ, "SCRIPT": SCRIPT}, check=False
    )


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        # refused before any edition is built: one line for the folder
        ("ro,size=1m", ["cannot write in the output folder {output}: the folder may not be written to"]),
        # found while writing: the reason, then which PDF was not written
        (
            "size=40k",
            [
                "cannot write the PDF in {output}: the disk is full",
                "build failed: {output}/compendium-en.pdf not written (the previous one, if any, is unchanged)",
            ],
        ),
    ],
    ids=["read-only", "full"],
)
def test_a_read_only_or_full_output_folder_is_one_line_and_exit_1(
    small_project: Path, tmp_path: Path, monkeypatch, options: str, expected: str
):
    output = tmp_path / "output"
    output.mkdir()
    prefix = mount_namespace()
    if prefix is not None:
        result = in_namespace(prefix, options, small_project, output)
        assert result.returncode == 1, result.stderr
        lines = result.stderr.splitlines()
    else:  # no mount namespaces here: the system's refusal is imitated in-process
        lines = imitated(small_project, output, options, monkeypatch)
    wanted = [line.format(output=output) for line in expected]
    assert len(lines) == len(wanted), lines
    assert lines[0].startswith(wanted[0]), lines
    assert lines[1:] == wanted[1:]


def imitated(small_project: Path, output: Path, options: str, monkeypatch) -> list[str]:
    import errno
    import io
    from contextlib import redirect_stderr

    import weasyprint

    from compendium import cli

    code = errno.EROFS if options.startswith("ro") else errno.ENOSPC

    def refuse(*args, **kwargs):
        raise OSError(code, os.strerror(code))

    if code == errno.EROFS:
        monkeypatch.setattr("tempfile.mkdtemp", refuse)
    else:
        monkeypatch.setattr(weasyprint.document.Document, "write_pdf", refuse)
    stderr = io.StringIO()
    arguments = ["--source", str(small_project / "source"), "--output", str(output), "--lang", "en", "--jobs", "1"]
    with redirect_stderr(stderr):
        assert cli.main(arguments) == 1
    return stderr.getvalue().splitlines()


def test_put_all_in_place_turns_a_refusal_into_one_line(tmp_path: Path):
    finished = tmp_path / "finished.pdf"
    with pytest.raises(OutputError, match=r"^cannot write .*missing/compendium-en.pdf: No such file or directory"):
        put_all_in_place([(finished, tmp_path / "missing" / "compendium-en.pdf")])
