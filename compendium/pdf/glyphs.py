"""Checks that the fonts in use have a glyph for every character the PDF will show."""

from __future__ import annotations

import unicodedata
from html.parser import HTMLParser
from pathlib import Path

from ..source.fonts import coverage

NOT_SET = ("style", "script")  # elements whose text is never set on a page


class _Text(HTMLParser):
    """The text of an HTML document, with the characters that CSS will add (leaders, quotes), but
    a <style>'s or <script>'s: a rule's `@page` printed no '@', and a project font without one was
    refused for it (attacker round 9, P12)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in NOT_SET:
            self.hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_SET and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.text.append(data)


def missing_glyphs(html: str, fonts: list[Path], extra: str = "") -> dict[str, str]:
    """Characters no font of the list can show, each with a little of the text around it."""
    parser = _Text()
    parser.feed(html)
    text = "".join(parser.text) + extra
    covered = frozenset.intersection(*(coverage(font) for font in fonts))
    missing: dict[str, str] = {}
    for index, char in enumerate(text):
        if char.isspace() or unicodedata.category(char).startswith("C") or ord(char) in covered:
            continue
        if char not in missing:
            missing[char] = " ".join(text[max(0, index - 30) : index + 30].split())
    return missing
