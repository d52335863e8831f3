"""Checks that the fonts in use have a glyph for every character the PDF will show."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

from ..source.fonts import coverage
from ..source.ownwriting import TextRuns

# The attributes a stylesheet prints with content: attr(name).
ATTR = re.compile(r"\battr\(\s*([A-Za-z_][\w-]*)", re.IGNORECASE)


def missing_glyphs(html: str, fonts: list[Path], extra: str = "", styles: str = "") -> dict[str, str]:
    """Characters no font of the list can show, each with a little of the text around it: the
    page's text, and the attributes its <style> elements or the `styles` (a project's own
    stylesheets) print with attr()."""
    parser = TextRuns(frozenset(name.lower() for name in ATTR.findall(html) + ATTR.findall(styles)))
    parser.feed(html)
    parser.close()
    text = "".join(run for _, run in parser.runs) + extra
    covered = frozenset.intersection(*(coverage(font) for font in fonts))
    missing: dict[str, str] = {}
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char).startswith("C") or ord(char) in covered:
            continue
        if char not in missing:
            missing[char] = " ".join(text[max(0, index - 30) : index + 30].split())
    return missing
