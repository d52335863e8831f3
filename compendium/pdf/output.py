"""Writes into the output folder safely: a private work folder, an atomic move into place, nothing left behind."""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import os
import shutil
import signal
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path

from ..source.files import WriteError, describe, move_all_into_place

PREFIX = ".build-"
LOCK = "lock"  # held (flock) while a build works in the folder; the kernel releases it when the build dies
STARTED = time.time()


_temporary_folders: list[tuple[int, str]] = []  # (the process that made it, the folder)


def note_temporary_folder(folder: str) -> None:
    """A folder outside the output folder that this process made for one build (WeasyPrint's
    fonts): removed by remove_temporary_folders, however the build ends."""
    _temporary_folders.append((os.getpid(), folder))


def remove_temporary_folders() -> None:
    """Removes the temporary folders this process made (never another's: a forked worker
    inherits its parent's list, and removes only its own)."""
    me = os.getpid()
    for owner, folder in list(_temporary_folders):
        if owner == me:
            shutil.rmtree(folder, ignore_errors=True)
            _temporary_folders.remove((owner, folder))


@contextlib.contextmanager
def temporary_folders_removed() -> Iterator[None]:
    """Around one build: the temporary folders it made are removed when it ends, however it ends
    (an error, Ctrl-C, SIGTERM turned into Stopped); a laid-out document is not used after it."""
    try:
        yield
    finally:
        remove_temporary_folders()


class Stopped(BaseException):
    """The build was stopped by a signal (SIGTERM): not an error of the source; the command line
    prints it in one line and exits with 128 + the signal's number."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum

    def __str__(self) -> str:
        name = signal.Signals(self.signum).name
        return f"stopped by signal {self.signum} ({name})"  # the command line says what was left unchanged


def stop(signum, frame):
    """A signal handler: the signal ends the build through every clean-up on the way out."""
    raise Stopped(signum)


class OutputError(Exception):
    """The machine refused: the output folder cannot be made or written, the disk is full, the target is a folder."""


def page_count(pdf: Path) -> int:
    """The number of pages of a PDF on disk."""
    import pikepdf  # pypdf would parse the whole tagged object stream first (seconds)

    with pikepdf.open(pdf) as document:
        return len(document.pages)


@contextlib.contextmanager
def workspace(output_dir: Path) -> Iterator[Path]:
    """A fresh folder inside output_dir for one build's files, removed when the build ends, however it ends.

    Folders left by builds that were killed are removed first. A SIGTERM ends the build through the
    same clean-up (with SIGKILL no clean-up runs: the next build removes the folder)."""
    try:
        output_dir.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise OutputError(f"cannot use {output_dir} as the output folder: it is a file, not a folder") from None
    except OSError as error:
        raise OutputError(describe(error, f"cannot create the output folder {output_dir}")) from None
    remove_stale_workspaces(output_dir)
    try:
        folder = Path(tempfile.mkdtemp(prefix=PREFIX, dir=output_dir))
        lock = (folder / LOCK).open("w")
        fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError as error:
        raise OutputError(describe(error, f"cannot write in the output folder {output_dir}")) from None
    try:
        with _terminated_as_exit():
            yield folder
    except OSError as error:
        raise OutputError(describe(error, f"cannot write the PDF in {output_dir}")) from None
    except WriteError as error:
        raise OutputError(str(error)) from None
    finally:
        lock.close()
        shutil.rmtree(folder, ignore_errors=True)


def output_problem(output_dir: Path) -> str | None:
    """Why the output folder cannot take a build, in one line, or None: asked once before many editions
    are built, so that one unusable folder is one message and not one per edition."""
    try:
        with workspace(output_dir):
            return None
    except OutputError as error:
        return str(error)


def put_all_in_place(pairs: list[tuple[Path, Path]]) -> None:
    """Moves an edition's finished files over their targets all together or not at all (source/files.py)."""
    try:
        move_all_into_place(pairs)
    except WriteError as error:
        raise OutputError(str(error)) from None


def remove_stale_workspaces(output_dir: Path) -> list[Path]:
    """Removes the work folders of builds that no longer run (killed, or cut off by a power loss).

    A live build holds the lock in its folder; a folder without a lock file is stale only when it is
    older than this build (a build that has just made its folder and not yet its lock is left alone)."""
    removed = []
    for folder in output_dir.glob(f"{PREFIX}*"):
        if not folder.is_dir() or _alive(folder):
            continue
        shutil.rmtree(folder, ignore_errors=True)
        removed.append(folder)
    return removed


def _alive(folder: Path) -> bool:
    try:
        with (folder / LOCK).open("r") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                return True
            return False
    except FileNotFoundError:
        try:
            return folder.stat().st_mtime >= STARTED - 1
        except OSError:
            return False
    except OSError:
        return True  # cannot tell: leave it


@contextlib.contextmanager
def _terminated_as_exit() -> Iterator[None]:
    """While the build works, SIGTERM raises Stopped, so that the work folder is removed on the way out."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    previous = signal.signal(signal.SIGTERM, stop)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)


def end_with_parent(parent: int) -> None:
    """A child process of the build (a pool's worker, a part's process) leaves Ctrl-C to the main
    process, which stops it; SIGTERM ends it quietly, its temporary folders removed (in a job, the
    workspace turns SIGTERM into Stopped first, which removes its work folder); and it ends when
    its parent (`parent`, the pid that forked it) dies, however it dies (kill -9 included)."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, _quit)
    _die_with_parent()
    # the parent's pid from before the fork: had it died in between, this process was re-parented
    # already, and watching its new parent (init) would keep it waiting for ever
    if os.getppid() != parent:
        _quit(signal.SIGTERM, None)
    threading.Thread(target=_watch_parent, args=(parent,), daemon=True).start()


def _quit(signum, frame) -> None:
    remove_temporary_folders()
    os._exit(128 + signum)


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to this process when its parent ends (prctl PR_SET_PDEATHSIG)."""
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGTERM, 0, 0, 0)  # 1: PR_SET_PDEATHSIG
    except (OSError, AttributeError):
        pass  # the watching thread remains


def _watch_parent(parent: int) -> None:
    """Everywhere: a worker whose parent is gone (it was re-parented) ends within a second."""
    while os.getppid() == parent:
        time.sleep(1.0)
    os._exit(143)
