"""The hard clock: a render in a process of its own, ended past the sandbox's clock even inside one C call."""

from __future__ import annotations

import faulthandler
import math
import os
import pickle
import re
import resource
import signal
import tempfile
import time
import traceback
from collections.abc import Callable
from typing import IO, Any, TypeVar

from ..source.depth import DEBUG_INFO, template_line
from ..source.inputs import noted, recording

# The sandbox's clock is looked at between a layout's steps only: one step inside C (a sum of
# 300,000 lists, attacker round 12, M1) ran for minutes, deaf to the clock and to SIGTERM. So a
# render runs in a forked process whose processor time the kernel limits (RLIMIT_CPU): MARGIN
# seconds past the sandbox's own clock it is ended, and the layout line it was at is read from the
# stack the process writes as it ends (faulthandler writes it from C, wherever Python is).
MARGIN = 3
# What the builder's own work around a render may take in that process (the rule tables read, the
# marks of a page counted): far more than it does, so that only a layout meets the clock.
AROUND = 60
FRAME = re.compile(r'File "(?P<file>[^"]*)", line (?P<line>\d+)')
Result = TypeVar("Result")

_maps: IO[bytes] | None = None  # in a render's process: where each compiled layout's line map is written


class Overrun(Exception):
    """A render ended by the hard clock; `frames`: the layouts (file, line) it was in, the innermost last."""

    def __init__(self, frames: list[tuple[str, int]]) -> None:
        super().__init__(frames)
        self.frames = frames


def restart(seconds: float) -> None:
    """In a render's process: it is ended once it has run `seconds` more of processor time."""
    if _maps is None:
        return
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    soft = math.ceil(time.process_time() + seconds)
    resource.setrlimit(resource.RLIMIT_CPU, (soft if hard == resource.RLIM_INFINITY else min(soft, hard), hard))


def note_compiled(filename: str | None, python: str) -> None:
    """In a render's process: a layout's map from the lines of its Python to its own lines."""
    found = DEBUG_INFO.search(python)
    if _maps is not None and filename and found:
        _maps.write(f"{filename}\t{found['map']}\n".encode(errors="surrogateescape"))
        _maps.flush()


def apart(function: Callable[..., Result], *args: Any) -> Result:
    """function(*args) in a forked process under the hard clock: its result, or what it raised;
    Overrun when the clock ended it. What it read is noted for the cache as if read here. Ctrl-C
    and SIGTERM end it with the command."""
    with tempfile.TemporaryFile() as stack, tempfile.TemporaryFile() as maps:
        readable, writable = os.pipe()
        pid = os.fork()
        if pid == 0:
            os.close(readable)
            _child(function, args, writable, stack, maps)
        os.close(writable)
        try:
            answer, status = _answer(readable, pid)
        finally:
            os.close(readable)
        if answer:
            ok, value, reads = pickle.loads(answer)
            noted(reads)
            if ok:
                return value
            raise value
        if os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU, signal.SIGKILL):
            raise Overrun(_frames(stack, maps))
        raise RuntimeError(f"a render's process ended without an answer (status {status}: out of memory?)")


def _answer(readable: int, pid: int) -> tuple[bytes, int]:
    """What the render's process wrote, and how it ended; it is ended at once when this one is
    stopped meanwhile (Ctrl-C, SIGTERM)."""
    try:
        chunks = []
        while chunk := os.read(readable, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks), os.waitpid(pid, 0)[1]
    except BaseException:
        os.kill(pid, signal.SIGKILL)
        os.waitpid(pid, 0)
        raise


def _child(function: Callable[..., Any], args: tuple, writable: int, stack: IO[bytes], maps: IO[bytes]) -> None:
    """The render's process: it writes its answer (pickled) and ends, never returning to the caller."""
    global _maps
    try:
        signal.signal(signal.SIGINT, signal.SIG_IGN)  # Ctrl-C is the command's: it ends this process
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
        resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
        faulthandler.register(signal.SIGXCPU, file=stack, all_threads=False, chain=True)
        _maps = maps
        restart(AROUND)
        with recording() as reads:
            try:
                answer = (True, function(*args))
            except BaseException as error:  # noqa: BLE001 - handed to the caller, which raises it
                error.add_note("".join(traceback.format_exception(error)).rstrip())  # a builder's fault: where
                answer = (False, error)
        try:
            data = pickle.dumps((*answer, reads))
        except Exception as error:  # noqa: BLE001 - an exception that cannot be pickled: its words
            data = pickle.dumps((False, RuntimeError(f"{type(answer[1]).__name__}: {answer[1]} ({error})"), reads))
        with os.fdopen(writable, "wb") as pipe:
            pipe.write(data)
    finally:
        os._exit(0)


def _frames(stack: IO[bytes], maps: IO[bytes]) -> list[tuple[str, int]]:
    """The layouts' (file, line) in the stack the ended process wrote, the innermost last."""
    stack.seek(0)
    maps.seek(0)
    line_maps = dict(entry.partition("\t")[::2] for entry in maps.read().decode(errors="surrogateescape").splitlines())
    found = reversed(list(FRAME.finditer(stack.read().decode(errors="surrogateescape"))))
    return [(m["file"], template_line(line_maps[m["file"]], int(m["line"]))) for m in found if m["file"] in line_maps]
