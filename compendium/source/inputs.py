"""What a build read, as it read it: the build cache's key is made from these files, not from a
separate walk of the folders, so that it sees exactly what the loader, the template loader and the
fetcher opened (through links, as they followed them) and nothing else.

While `recording()` is active, an audit hook (sys.addaudithook) notes every file opened for reading
and every folder listed; the readers also note the paths they looked for and did not find (a
project's own layout or stylesheet that, once added, would take the builder's place). `key()`
digests the recorded paths as they are now: a file's content, a folder's names, an absent path's
absence. Each path's state when the build first met it is kept too (`Reads.seen`), so that a path
changed while the build ran (an editor's save) is told, and the build is not recorded as made
from inputs it never read (`Reads.changed()`).

Links inside the project are followed like any path; a link that leaves the project folder (and
the builder's own assets) is refused by `outside()`, with the path that holds it; a named pipe, a
socket or a device by `not_regular()`, before it is opened (reading one could wait for ever); a
file larger than MAX_INPUT by `too_large()`.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from .assets import BUILDER, PACKAGE


@dataclass
class Reads:
    """The paths one build read (files), listed (folders) and looked for in vain (absent)."""

    files: set[str] = field(default_factory=set)
    folders: set[str] = field(default_factory=set)
    absent: set[str] = field(default_factory=set)
    # (kind, path): its state when the build first met it, before reading it (attacker round 13, M2)
    seen: dict[tuple[str, str], object] = field(default_factory=dict)

    def changed(self, root: Path, output: Path) -> list[str]:
        """The recorded paths of the project and the builder's assets that are no longer as the
        build met them: edited, added or removed while it ran."""
        kept = self.within(root, output)
        kinds = (("file", kept.files), ("folder", kept.folders), ("absent", kept.absent))
        return sorted(
            path
            for kind, paths in kinds
            for path in paths
            if (kind, path) in self.seen and self.seen[kind, path] != _state(kind, path)
        )

    def meet(self, kind: str, path: str) -> None:
        """Notes a path, and its state the first time it is met."""
        {"file": self.files, "folder": self.folders, "absent": self.absent}[kind].add(path)
        if (kind, path) not in self.seen:
            self.seen[kind, path] = None  # a listing made here is an event too: it finds this one noted
            self.seen[kind, path] = _state(kind, path)

    def as_list(self) -> list[str]:
        """For the manifest: each path with its kind, sorted."""
        kinds = (("file", self.files), ("folder", self.folders), ("absent", self.absent))
        return sorted(f"{kind}:{path}" for kind, paths in kinds for path in paths)

    def within(self, root: Path, output: Path) -> Reads:
        """Only the paths of the project and the builder's assets (not the code, which is digested
        on its own, nor the output folder, nor hidden folders such as .venv)."""
        roots = (Path(root).absolute(), BUILDER.absolute(), Path(root).resolve(), BUILDER.resolve())
        skip = (Path(output).absolute(), Path(output).resolve(), PACKAGE, Path(sys.prefix))
        files, folders, absent = (
            {p for p in paths if _relevant(p, roots, skip)} for paths in (self.files, self.folders, self.absent)
        )
        return Reads(files, folders, absent)

    @classmethod
    def from_list(cls, entries: list[str]) -> Reads:
        reads = cls()
        for entry in entries:
            kind, _, path = entry.partition(":")
            {"file": reads.files, "folder": reads.folders, "absent": reads.absent}.get(kind, set()).add(path)
        return reads


def _state(kind: str, path: str) -> object:
    """What tells a path's change cheaply: a file's status (a save changes its time, size or inode),
    a folder's names (as key() digests them), an absent path's presence."""
    try:
        if kind == "file":
            status = os.stat(path)
            return (status.st_mtime_ns, status.st_size, status.st_ino, status.st_dev)
        if kind == "folder":
            return sorted(name for name in os.listdir(path) if not name.startswith("."))
        return os.path.exists(path)
    except (OSError, ValueError):
        return None


_active: list[Reads] = []
_hooked = False
_WRITE = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC


def _hook(event: str, args: tuple) -> None:
    if not _active:
        return
    if event == "open":
        path, mode, flags = args
        if not isinstance(path, (str, bytes, os.PathLike)):
            return
        if isinstance(mode, str) and any(c in mode for c in "wax+"):
            return
        if mode is None and isinstance(flags, int) and flags & _WRITE:
            return
        _active[-1].meet("file", os.path.abspath(os.fsdecode(path)))
    elif event in ("os.scandir", "os.listdir"):
        path = args[0] if args else None
        if isinstance(path, (str, bytes, os.PathLike)):
            _active[-1].meet("folder", os.path.abspath(os.fsdecode(path)))


@contextmanager
def recording() -> Iterator[Reads]:
    """Notes what is read until the block ends (recordings nest: the innermost one takes the notes)."""
    global _hooked
    if not _hooked:
        sys.addaudithook(_hook)  # cannot be removed again: it does nothing while nothing records
        _hooked = True
    reads = Reads()
    _active.append(reads)
    try:
        yield reads
    finally:
        _active.remove(reads)


def noted(reads: Reads) -> None:
    """What an inner recording noted, noted by the one around it too (if any): a digest made of
    a part of a build's reads must not take them from the build's own record."""
    if _active:
        _active[-1].files |= reads.files
        _active[-1].folders |= reads.folders
        _active[-1].absent |= reads.absent
        for met, state in reads.seen.items():
            _active[-1].seen.setdefault(met, state)


def note_absent(path: Path) -> None:
    """A path a reader looked for and did not find: its appearing changes the key."""
    if _active:
        _active[-1].meet("absent", os.path.abspath(path))


def note_file(path: Path) -> None:
    if _active:
        _active[-1].meet("file", os.path.abspath(path))


def outside(path: Path, root: Path) -> Path | None:
    """Where path leads when it is a link (or under one) leaving the project folder and the
    builder's assets, or the path itself when it is a loop of links; None when it stays inside."""
    if loops(path):
        return Path(path)
    try:
        resolved = Path(path).resolve()
    except (OSError, RuntimeError):  # a loop of links (Python 3.11 raises RuntimeError)
        return Path(path)
    for allowed in (Path(root).resolve(), BUILDER.resolve()):
        if resolved.is_relative_to(allowed):
            return None
    return resolved


def loops(path: Path) -> bool:
    """A link that leads back to itself, directly or through other links (or a path under one)."""
    try:
        os.stat(path)
    except OSError as error:
        return error.errno == errno.ELOOP
    except ValueError:  # a NUL in the name: no file, and no loop
        return False
    return False


LOOP = "a link that loops (it leads back to itself, directly or through other links): make it a file or remove it"


def leaving(target: Path) -> str:
    """The message for a link leaving the project: the same from check, build and translation."""
    return f"a link to {target}, outside the project folder (a project may only use its own files: copy it in)"


def link_out_of(path: Path, folders: Iterable[Path]) -> tuple[str, str] | None:
    """(its name, where it leads) for a file named under one of the asset `folders` that a link
    takes out of them all, or None: the fetcher serves only what lies in them, so that WeasyPrint
    reads nothing else; its refusal said "only files under … images/" of a file named under
    images/ (attacker round 9, P18). Names are the project's (or the builder's): `images/inner2.svg`."""
    named = Path(os.path.abspath(path))
    given = [(Path(os.path.abspath(folder)), Path(os.path.realpath(folder))) for folder in folders]
    base = next((form.parent for pair in given for form in pair if named.is_relative_to(form)), None)
    real = Path(os.path.realpath(named))
    if base is None or any(real.is_relative_to(resolved) for _, resolved in given):
        return None
    root = Path(os.path.realpath(base))
    target = real.relative_to(root).as_posix() if real.is_relative_to(root) else real.as_posix()
    return named.relative_to(base).as_posix(), target


def link_out_message(target: str) -> str:
    """After the link's name: what it is, and what to do."""
    return (
        f"a link to {target}, outside fonts/, styles/ and images/, whose files alone may be used: "
        "put the file itself in its place"
    )


# What a path that is neither a file nor a folder is, by its mode (os.stat: nothing is opened).
SPECIAL = (
    (stat.S_ISFIFO, "a named pipe"),
    (stat.S_ISSOCK, "a socket"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
)


def not_regular(path: Path) -> str | None:
    """Why `path` (through links) cannot be read as a file: it is a named pipe, a socket or a
    device, whose reading could wait for ever; None for a file, a folder or a missing path.
    Told by its mode alone, never by opening it."""
    try:
        mode = os.stat(path).st_mode
    except (OSError, ValueError):  # missing, a loop of links, a NUL in the name: said elsewhere
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    what = next((name for test, name in SPECIAL if test(mode)), "a special file")
    return f"not a regular file ({what}): the builder reads only files (replace it with a file, or remove it)"


# The largest file the builder reads, checked by its size before it is read (read whole, a file of
# gigabytes exhausts the memory): a project's largest source file is a few hundred KB, a font some
# MB, a translator's PO file or a catalogue's CSL-JSON a few MB.
MAX_INPUT = 64 * 2**20


def shown_size(size: int) -> str:
    """A size in bytes as people say it: 2.5 GB, 64 MB."""
    if size >= 2**30:
        return f"{size / 2**30:.1f} GB"
    return f"{size / 2**20:.0f} MB" if size >= 2**20 else f"{size} bytes"


def too_large(path: Path) -> str | None:
    """Why a file (through links) is too large to be read, told from its size alone; None for a
    file within MAX_INPUT, a folder or a missing path."""
    try:
        status = os.stat(path)
    except (OSError, ValueError):  # missing, a loop of links, a NUL in the name: said elsewhere
        return None
    if not stat.S_ISREG(status.st_mode) or status.st_size <= MAX_INPUT:
        return None
    return oversized(status.st_size)


def oversized(size: int, limit: int = MAX_INPUT) -> str:
    limits = f"more than the builder reads (at most {shown_size(limit)})"
    return f"a file of {shown_size(size)}, {limits}: is it the file you meant?"


class Unread(OSError):
    """Why a file the builder keeps for itself (a build record, the key) was not read."""


def read_own(path: Path, limit: int = MAX_INPUT) -> bytes:
    """A file the builder wrote for itself, read as it is in place: never through a link (one in
    a project's output/ could lead to any file of the machine, or to /dev/zero), never a device or
    a named pipe, never more than `limit` bytes. Raises Unread (or another OSError) with the reason,
    which says nothing of the content."""
    try:
        descriptor = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC)
    except OSError as error:
        if error.errno == errno.ELOOP:  # O_NOFOLLOW: the last name is a link
            raise Unread(error.errno, "a link: the builder follows none here (remove it: it is made again)") from None
        raise
    with os.fdopen(descriptor, "rb") as file:
        mode = os.fstat(descriptor).st_mode
        if not stat.S_ISREG(mode):
            what = next((name for test, name in SPECIAL if test(mode)), "a folder" if stat.S_ISDIR(mode) else "")
            raise Unread(errno.EINVAL, f"not a regular file ({what or 'a special file'})")
        size = os.fstat(descriptor).st_size
        data = b"" if size > limit else file.read(limit + 1)  # it may grow while it is read
    if max(size, len(data)) > limit:
        raise Unread(errno.EFBIG, oversized(max(size, len(data)), limit))
    return data


def refusal(path: Path, root: Path) -> str | None:
    """Why the builder will not open `path` of the project rooted at `root`: a loop of links, a
    link leaving the project and the builder's assets, or no regular file (a named pipe …); None
    when it may be read. Asked before a file is opened, so that nothing outside the project is
    ever read (nor shown in a message), and nothing is opened that could block the reader, nor
    anything larger than MAX_INPUT, which read whole could exhaust the memory."""
    if loops(path):
        return LOOP
    target = outside(path, root)
    return leaving(target) if target is not None else not_regular(path) or too_large(path)


def _relevant(path: str, roots: tuple[Path, ...], skip: tuple[Path, ...]) -> bool:
    """A path of the project or the builder's assets; not the code (digested on its own), not the
    output folder, not a hidden folder (.venv, .git, .cache) inside them."""
    candidate = Path(path)
    if any(candidate.is_relative_to(folder) for folder in skip) or candidate.suffix in (".py", ".pyc"):
        return False
    # Only the part below a root says whether a path is hidden: the folders above it are the
    # machine's (a project kept under ~/.local or .worktrees/ is read like any other).
    return any(
        candidate.is_relative_to(root) and not any(part.startswith(".") for part in candidate.relative_to(root).parts)
        for root in roots
    )


def key(reads: Reads, root: Path, output: Path, extra: str = "") -> str:
    """The digest of every recorded path as it is now (and `extra`: the edition, the code)."""
    reads = reads.within(root, output)
    digest = hashlib.sha256(extra.encode("utf-8") + b"\0")
    for kind, paths in (("file", reads.files), ("folder", reads.folders), ("absent", reads.absent)):
        for name in sorted(paths):
            path = Path(name)
            digest.update(f"{kind}:{name}\0".encode("utf-8", "surrogateescape"))
            try:
                if kind == "file":
                    digest.update(path.read_bytes() if path.is_file() else b"\1(no file)")
                elif kind == "folder":
                    names = sorted(n for n in os.listdir(path) if not n.startswith("."))
                    digest.update("\0".join(names).encode("utf-8", "surrogateescape"))
                else:
                    digest.update(b"\1(present)" if path.exists() else b"\1(absent)")
            except OSError as error:
                digest.update(f"\1({error.errno})".encode())
            digest.update(b"\0")
    return digest.hexdigest()
