"""What a running build shows on a terminal: which edition, which stage, how long so far."""

from __future__ import annotations

import sys
import time
from typing import TextIO


class Progress:
    """One status line on stderr, rewritten in place; silent when stderr is not a terminal (a
    log, CI) or when asked to be quiet, so that nothing but results reaches a file."""

    def __init__(self, total: int, enabled: bool, stream: TextIO | None = None) -> None:
        self.stream = stream or sys.stderr
        self.enabled = enabled and self.stream.isatty()
        self.total = total
        self.done = 0
        self.start = time.monotonic()
        self.running: dict[str, str] = {}  # edition file name → its present stage
        self.width = 0

    def stage(self, name: str, stage: str) -> None:
        self.running[name] = stage
        self.show()

    def finished(self, name: str) -> None:
        self.running.pop(name, None)
        self.done += 1
        self.show()

    def show(self) -> None:
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        doing = "; ".join(f"{name}: {stage}" for name, stage in self.running.items())
        line = f"[{self.done}/{self.total}] {elapsed:5.1f} s  {doing}"[:160]
        self.stream.write("\r" + line.ljust(self.width))
        self.width = len(line)
        self.stream.flush()

    def clear(self) -> None:
        """Wipes the status line before a result or message is printed in its place."""
        if self.enabled and self.width:
            self.stream.write("\r" + " " * self.width + "\r")
            self.stream.flush()
            self.width = 0
