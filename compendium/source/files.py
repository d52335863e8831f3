"""Every file the builder writes is written here, atomically: into a new file beside the target,
flushed to the disk, then renamed over the target in one step. A reader (or the next build) sees
the old file or the new one, never half of one; a fault while writing (a full disk, a read-only
file or folder) is one line (WriteError) and leaves the old file as it was."""

from __future__ import annotations

import errno
import os
import secrets
from collections.abc import Callable
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message is one line, and the previous file is intact."""


def describe(error: OSError, doing: str) -> str:
    """One line: what the builder was doing, and what the system said."""
    if error.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif error.errno == errno.EDQUOT:
        reason = "the disk quota is exhausted"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "the folder may not be written to (read-only, or no permission)"
    else:
        reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    return f"{doing}: {reason}{where}"


def _write_all(descriptor: int, data: bytes) -> None:
    """Writes every byte (os.write may write fewer than asked); the tests replace it to fill the disk."""
    view = memoryview(data)
    while view:
        written = os.write(descriptor, view)
        view = view[written:]


def _temporary(target: Path) -> tuple[Path, int]:
    """A new file beside the target (the same file system, so that the rename is atomic), created
    with the permissions a file made by open() would have (the umask applies)."""
    for _ in range(100):
        path = target.with_name(f".{target.name}.{secrets.token_hex(4)}.tmp")
        try:
            return path, os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        except FileExistsError:
            continue
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def write_bytes(target: Path, data: bytes, *, what: str = "") -> None:
    """Replaces target with data in one step; raises WriteError (one line) and leaves target as it was."""
    write_with(target, lambda descriptor: _write_all(descriptor, data), what=what)


def write_text(target: Path, text: str, *, what: str = "") -> None:
    write_bytes(target, text.encode("utf-8"), what=what)


def write_with(target: Path, writer: Callable[[int], None], *, what: str = "") -> None:
    """Replaces target with what `writer` writes into the open descriptor of a new file beside it."""
    target = Path(target)
    doing = f"cannot write {what or target}"
    if target.is_dir():
        raise WriteError(f"{doing}: a folder has that name")
    if target.exists() and not target.stat().st_mode & 0o222:
        # A file made read-only is not replaced behind its owner's back.
        raise WriteError(f"{doing}: the file is read-only ({target})")
    temporary: Path | None = None
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary, descriptor = _temporary(target)
        try:
            writer(descriptor)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(temporary, target)
        temporary = None
        _sync_folder(target.parent)
    except OSError as error:
        raise WriteError(describe(error, doing)) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def move_into_place(finished: Path, target: Path, *, what: str = "") -> None:
    """Moves a finished file (in the same file system) over the target in one step, once its bytes
    are on the disk."""
    doing = f"cannot write {what or target}"
    if target.is_dir():
        raise WriteError(f"{doing}: a folder has that name")
    try:
        descriptor = os.open(finished, os.O_RDONLY)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        os.replace(finished, target)
        _sync_folder(target.parent)
    except OSError as error:
        if error.errno in (errno.EPERM, errno.EACCES) and target.exists() and os.access(target.parent, os.W_OK):
            # the folder takes new files: it is the file in place that may not be replaced
            raise WriteError(f"{doing}: the file in place may not be replaced (immutable, or no permission)") from None
        raise WriteError(describe(error, doing)) from None


def _sync_folder(folder: Path) -> None:
    """The rename itself on the disk (a power loss after it keeps the new file); not every file
    system can sync a folder, and that is no fault."""
    try:
        descriptor = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(descriptor)
    except OSError:
        pass
    finally:
        os.close(descriptor)
