"""Standard output that its reader may close early (`| head`, quitting `less`): the rest is dropped."""

from __future__ import annotations

import io
import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, TextIO, cast


class _Droppable:
    """sys.stdout that drops what it cannot write once the reader has gone, so that the command
    goes on and ends as it would have: a build whose PDFs are written still succeeds."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.gone = False

    def write(self, text: str) -> int:
        if not self.gone:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._drop()
        return len(text)

    def flush(self) -> None:
        if not self.gone:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._drop()

    def _drop(self) -> None:
        self.gone = True
        # as the Python documentation advises: the descriptor now leads to devnull, so that what
        # is still buffered, flushed when the interpreter exits, raises no second BrokenPipeError
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())
            os.close(devnull)
        except (OSError, ValueError, io.UnsupportedOperation):
            pass  # a stream without a descriptor (a test's capture) buffers nothing at exit

    def __getattr__(self, name: str) -> Any:
        return getattr(self._stream, name)


@contextmanager
def droppable_stdout() -> Iterator[None]:
    """While the command runs, a closed standard output ends nothing: what is printed is dropped."""
    stream = sys.stdout
    if stream is None or isinstance(stream, _Droppable):
        yield
        return
    wrapped = _Droppable(stream)
    sys.stdout = cast(TextIO, wrapped)
    try:
        yield
    finally:
        wrapped.flush()
        sys.stdout = stream
