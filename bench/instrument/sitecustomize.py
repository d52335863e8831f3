"""Counts WeasyPrint's page layouts in any process started with this folder on PYTHONPATH.

The benchmark puts bench/instrument/ on PYTHONPATH and names a log file in BENCH_LAYOUT_LOG;
when a process imports weasyprint.layout, its page-layout function (make_page, called once for
every page laid out, again for every page laid out anew) and its pass loop (make_all_pages) are
wrapped, and each finished document appends one JSON line: pages, page layouts, passes. Worker
processes inherit the environment, so a pool of editions is counted too.
"""

from __future__ import annotations

import importlib.abc
import importlib.util
import json
import os
import sys

LOG = os.environ.get("BENCH_LAYOUT_LOG")


def _patch(layout) -> None:
    page = sys.modules["weasyprint.layout.page"]
    counts = {"layouts": 0, "passes": 0}
    make_page, make_all_pages, layout_document = page.make_page, layout.make_all_pages, layout.layout_document

    def counted_make_page(*args, **kwargs):
        counts["layouts"] += 1
        return make_page(*args, **kwargs)

    def counted_make_all_pages(*args, **kwargs):
        counts["passes"] += 1
        return make_all_pages(*args, **kwargs)

    def logged_layout_document(*args, **kwargs):
        counts["layouts"] = counts["passes"] = 0
        pages = 0
        for page_box in layout_document(*args, **kwargs):  # a generator of the finished pages
            pages += 1
            yield page_box
        with open(LOG, "a", encoding="utf-8") as log:
            log.write(json.dumps({"pid": os.getpid(), "pages": pages, **counts}) + "\n")

    page.make_page = counted_make_page
    layout.make_all_pages = counted_make_all_pages
    # weasyprint.document imports layout_document by name
    layout.layout_document = logged_layout_document
    document = sys.modules.get("weasyprint.document")
    if document is not None and hasattr(document, "layout_document"):
        document.layout_document = logged_layout_document


class _Hook(importlib.abc.MetaPathFinder):
    """Wraps the loading of weasyprint.layout so that it is patched as soon as it exists."""

    def find_spec(self, name, path, target=None):
        if name != "weasyprint.layout":
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
            _patch(module)

        spec.loader.exec_module = exec_module
        return spec


if LOG:
    sys.meta_path.insert(0, _Hook())
