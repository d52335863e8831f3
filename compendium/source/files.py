"""Every file the builder writes is written here, atomically: into a new file beside the target,
flushed to the disk, then renamed over the target in one step. A reader (or the next build) sees
the old file or the new one, never half of one; a fault while writing (a full disk, a read-only
file or folder) is one line (WriteError) and leaves the old file as it was."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import glob
import hashlib
import os
import re
import secrets
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path


class WriteError(Exception):
    """A file could not be written; the message is one line, and the previous file is intact."""


def describe(error: OSError, doing: str) -> str:
    """One line: what the builder was doing, and what the system said."""
    if error.errno == errno.ENOSPC:
        reason = "the disk is full"
    elif error.errno == errno.EDQUOT:
        reason = "the disk quota is exhausted"
    elif error.errno == errno.EFBIG:  # a limit on the size of the files this process writes (ulimit -f)
        reason = "the file is larger than this process may write (a file size limit, ulimit -f)"
    elif error.errno in (errno.EROFS, errno.EACCES, errno.EPERM):
        reason = "the folder may not be written to (read-only, or no permission)"
    else:
        reason = error.strerror or str(error)
    where = f" ({error.filename})" if error.filename else ""
    return f"{doing}: {reason}{where}"


@contextlib.contextmanager
def changing(target: Path, waiting: Callable[[], None]) -> Iterator[None]:
    """Holds target's folder locked (flock) while one command reads target, changes it and writes it
    back, so that a second command doing the same waits (after `waiting()`) and starts from the
    first's result: two at once each read the old file, and the last to write lost the other's
    change (attacker round 11, M4). The lock is on the folder and leaves no file behind; the kernel
    releases it when the command ends, however it ends."""
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        folder = os.open(target.parent, os.O_RDONLY | os.O_DIRECTORY)
    except OSError as error:
        raise WriteError(describe(error, f"cannot change {target}")) from None
    try:
        try:
            fcntl.flock(folder, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            waiting()
            fcntl.flock(folder, fcntl.LOCK_EX)
        yield
    finally:
        os.close(folder)  # releases the lock


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


@dataclass(frozen=True)
class Read:
    """What a file held when a command read it (its SHA-256; None when there was no file), so that
    the command's rewrite of it can see that someone else saved it meanwhile."""

    digest: str | None

    @classmethod
    def of(cls, path: Path) -> Read:
        try:
            return cls(hashlib.sha256(Path(path).read_bytes()).hexdigest())
        except FileNotFoundError:
            return cls(None)


def write_bytes(target: Path, data: bytes, *, what: str = "", since: Read | None = None, new: bool = False) -> None:
    """Replaces target with data in one step; raises WriteError (one line) and leaves target as it was."""
    write_with(target, lambda descriptor: _write_all(descriptor, data), what=what, since=since, new=new)


def write_text(target: Path, text: str, *, what: str = "", since: Read | None = None, new: bool = False) -> None:
    write_bytes(target, text.encode("utf-8"), what=what, since=since, new=new)


def write_with(
    target: Path, writer: Callable[[int], None], *, what: str = "", since: Read | None = None, new: bool = False
) -> None:
    """Replaces target with what `writer` writes into the open descriptor of a new file beside it.
    With `since` (the file as the command read it), refuses when the file is no longer that: a
    translator's editor saved it while the command ran, and the rename would lose the save (attacker
    round 12, M5). With `new`, refuses when a file of that name is there by the final step (another
    command made it meanwhile): a file promised never to be overwritten is not (round 12, M6)."""
    target = Path(target)
    doing = f"cannot write {what or target}"
    if target.is_dir():
        raise WriteError(f"{doing}: a folder has that name")
    if target.exists() and not target.stat().st_mode & 0o222:
        # A file made read-only is not replaced behind its owner's back.
        raise WriteError(f"{doing}: the file is read-only ({target})")
    temporary: Path | None = None
    replacing: Path | None = None  # while the new file is renamed over the old one
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary, descriptor = _temporary(target)
        try:
            writer(descriptor)
            os.fsync(descriptor)
        finally:
            os.close(descriptor)
        replacing = target
        _into_place(temporary, target, doing, since, new)
        replacing = None  # the temporary name is gone after a rename; after a link, `finally` removes it
        _sync_folder(target.parent)
    except OSError as error:
        # by what failed: the rename over an immutable file is no fault of the folder, which took
        # the new file (attacker round 10, S10), as the build says of a file in output/
        raise WriteError(_why(error, doing, replacing)) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)


def _into_place(temporary: Path, target: Path, doing: str, since: Read | None, new: bool) -> None:
    """The final step of write_with. A new file, or one that was not there when read, is linked
    into place, which fails on a name taken (the test for a file in place and the rename were
    apart, and of two commands at once the second replaced the first's file). A file read is
    exchanged with the new one (renameat2), so that the file replaced is still there, under the
    temporary name, to compare with what was read and to put back if someone saved it meanwhile:
    a test before a plain rename leaves a moment in which a save is lost (attacker round 12, M5)."""
    changed = f"{doing}: it changed while this command ran (saved in an editor?): run the command again"
    if new or (since is not None and since.digest is None):
        made = "another command made it while this one ran, and it is never overwritten"
        _link(temporary, target, f"{doing}: {made}" if new else changed)
        return
    if since is None:
        os.replace(temporary, target)
        return
    if Read.of(target) != since:
        raise WriteError(changed)
    try:
        exchanged = _exchange(temporary, target)
    except FileNotFoundError:  # removed since the test
        raise WriteError(changed) from None
    if not exchanged:  # no renameat2 (another system, a file system without it): the test above will do
        os.replace(temporary, target)
    elif Read.of(temporary) != since:  # saved between the test and the exchange: put back in place
        _exchange(temporary, target)
        raise WriteError(changed)


def _link(temporary: Path, target: Path, taken: str) -> None:
    """The new file linked in at target, or WriteError(taken) when that name is taken."""
    try:
        os.link(temporary, target)
    except FileExistsError:
        raise WriteError(taken) from None
    except OSError as error:
        if error.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        # a file system without hard links (FAT): the test as near the rename as can be
        if target.exists() or target.is_symlink():
            raise WriteError(taken) from None
        os.replace(temporary, target)
    # write_with removes the temporary name, the new file's second link


AT_FDCWD, RENAME_EXCHANGE = -100, 2  # <fcntl.h>, <linux/fs.h>


def _exchange(first: Path, second: Path) -> bool:
    """Swaps two files' names in one step (Linux's renameat2 RENAME_EXCHANGE); False where the
    system or the file system cannot."""
    import ctypes

    renameat2 = getattr(ctypes.CDLL(None, use_errno=True), "renameat2", None)
    if renameat2 is None:
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(AT_FDCWD, os.fsencode(first), AT_FDCWD, os.fsencode(second), RENAME_EXCHANGE) == 0:
        return True
    failed = ctypes.get_errno()
    if failed in (errno.ENOSYS, errno.EINVAL, errno.EOPNOTSUPP):
        return False
    raise OSError(failed, os.strerror(failed), str(second))


def move_all_into_place(pairs: list[tuple[Path, Path]]) -> None:
    """Moves finished files (each in the same file system as its target) over their targets all
    together or not at all: an edition's files go to the print shop or the office printer as a set
    (the interior, its cover and the shop's sheet; a split booklet's files), and a new interior
    beside an old cover is a wrong set (attacker round 9, P1). Every file goes to a temporary name
    beside its target first, then all are renamed; a failure on the way puts back each file already
    replaced and removes the temporaries. WriteError (one line) names the file that failed."""
    staged: list[tuple[Path, Path]] = []  # (the temporary beside the target, the target)
    kept: list[tuple[Path, Path | None]] = []  # (a target replaced, the old file kept under a temporary name)
    doing, current = "", None
    try:
        for finished, target in pairs:
            doing = f"cannot write {target}"
            _replaceable(target, doing)
            staged.append((_staged(finished, target), target))
        for temporary, target in staged:
            doing, current = f"cannot write {target}", target
            old = _kept(target)
            try:
                os.replace(temporary, target)
            except OSError:
                if old is not None:  # the file in place is as it was: its copy is no longer needed
                    old.unlink(missing_ok=True)
                raise
            kept.append((target, old))
        for folder in dict.fromkeys(target.parent for _, target in pairs):
            _sync_folder(folder)
    except OSError as error:
        _put_back(kept)
        kept = []
        raise WriteError(_why(error, doing, current)) from None
    except WriteError:
        _put_back(kept)
        kept = []
        raise
    finally:
        for temporary, _ in staged:
            temporary.unlink(missing_ok=True)
        for _, old in kept:
            if old is not None:
                old.unlink(missing_ok=True)
    for _, target in pairs:  # every file replaced
        _sweep(target)


def _why(error: OSError, doing: str, target: Path | None) -> str:
    """One line for a failed write: a file in place that may not be replaced (chattr +i, another
    owner's) named as the file, not as the folder, which takes new files."""
    if (
        target is not None
        and error.errno in (errno.EPERM, errno.EACCES)
        and target.exists()
        and os.access(target.parent, os.W_OK)
    ):
        return f"{doing}: the file in place may not be replaced (immutable, or no permission)"
    return describe(error, doing)


def _replaceable(target: Path, doing: str) -> None:
    """WriteError when the target is a folder or a file made read-only (not replaced behind its owner's back)."""
    if target.is_dir():
        raise WriteError(f"{doing}: a folder has that name")
    if target.exists() and not target.stat().st_mode & 0o222:
        raise WriteError(f"{doing}: the file is read-only ({target})")


def _staged(finished: Path, target: Path) -> Path:
    """The finished file, its bytes on the disk, under a temporary name beside the target."""
    descriptor = os.open(finished, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)
    temporary, descriptor = _temporary(target)
    os.close(descriptor)
    try:
        os.replace(finished, temporary)
    except OSError:
        temporary.unlink(missing_ok=True)
        raise
    return temporary


def _kept(target: Path) -> Path | None:
    """The file in place kept under a temporary name (a second link to it: the target stays in
    place meanwhile), so that it can be put back; None when there is none."""
    if not target.is_file():
        return None
    for _ in range(100):
        old = target.with_name(f".{target.name}.{secrets.token_hex(4)}.old")
        try:
            os.link(target, old)
            return old
        except FileExistsError:
            continue
        except OSError:  # a file system without hard links (FAT): a copy will do
            shutil.copyfile(target, old)
            return old
    raise FileExistsError(errno.EEXIST, "no free temporary name", str(target))


def _sweep(target: Path) -> None:
    """Removes the copies of the file an earlier replacement left beside it (`.<name>.<8 hex>.old`):
    one refused before this was mended, or cut short by a power loss (attacker round 10, N1)."""
    for path in target.parent.glob(f".{glob.escape(target.name)}.*.old"):
        if re.fullmatch(rf"\.{re.escape(target.name)}\.[0-9a-f]{{8}}\.old", path.name):
            with contextlib.suppress(OSError):  # a copy that stays is no fault of this build
                path.unlink()


def _put_back(kept: list[tuple[Path, Path | None]]) -> None:
    """Undoes the renames done: each old file back in place, a file that was not there removed."""
    for target, old in reversed(kept):
        try:
            if old is not None:
                os.replace(old, target)
            else:
                target.unlink(missing_ok=True)
        except OSError:
            pass  # the rest is still put back; the message names the file that failed


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
