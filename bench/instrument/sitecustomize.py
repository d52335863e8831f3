"""Counts WeasyPrint's page layouts in any process started with this folder on PYTHONPATH.

The benchmark puts bench/instrument/ on PYTHONPATH and names a log file in BENCH_LAYOUT_LOG; when
a process imports the builder's adapter to WeasyPrint (compendium/pdf/engine.py, the one module
that reaches below WeasyPrint's public API), the adapter's `count_layouts` is turned on, and each
finished document appends one JSON line: pages, page layouts (a page laid out again counts again),
passes, and the process's peak memory so far. Worker processes inherit the environment, so a pool
of editions, and an edition's parts (build --parts), are counted too. A checkout
whose adapter has no `count_layouts` (an older commit) logs nothing: its layouts are not counted.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys

LOG = os.environ.get("BENCH_LAYOUT_LOG")
ADAPTER = "compendium.pdf.engine"


def _peak() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # this process's peak so far, MB


def _write(line: dict) -> None:
    assert LOG is not None
    with open(LOG, "a", encoding="utf-8") as log:
        log.write(json.dumps(line) + "\n")


_ending: set[int] = set()  # the processes that log their peak as they end


def _log(pages: int, layouts: int, passes: int) -> None:
    _write({"pid": os.getpid(), "pages": pages, "layouts": layouts, "passes": passes, "peak_mb": _peak()})
    if os.getpid() not in _ending:  # its peak once it has written the PDF too (a part's process ends
        _ending.add(os.getpid())  # through multiprocessing, which runs its finalizers, not atexit)
        import atexit
        from multiprocessing import util

        atexit.register(lambda: _write({"pid": os.getpid(), "exit_peak_mb": _peak()}))
        util.Finalize(None, lambda: _write({"pid": os.getpid(), "exit_peak_mb": _peak()}), exitpriority=0)


class _Hook(importlib.abc.MetaPathFinder):
    """Turns the adapter's layout counter on as soon as the adapter is loaded."""

    def find_spec(self, name, path, target=None):
        if name != ADAPTER:
            return None
        sys.meta_path.remove(self)
        try:
            spec = importlib.util.find_spec(name)
        finally:
            sys.meta_path.insert(0, self)
        if spec is None or spec.loader is None:
            return spec
        execute = spec.loader.exec_module

        def exec_module(module):
            execute(module)
            if hasattr(module, "count_layouts"):
                module.count_layouts(_log)

        spec.loader.exec_module = exec_module
        return spec


if LOG:
    sys.meta_path.insert(0, _Hook())
