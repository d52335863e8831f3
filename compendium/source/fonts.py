"""Which characters the shipped fonts can show: read once per font file, for the source checks and the build."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont

from .assets import BUILDER


@cache
def coverage(font: Path) -> frozenset[int]:
    """The code points one font file has a glyph for."""
    with TTFont(font, lazy=True) as face:
        return frozenset(face.getBestCmap())


@cache
def shipped_coverage() -> frozenset[int]:
    """The code points every shipped font (fonts/*.ttf) has a glyph for."""
    fonts = sorted((BUILDER / "fonts").glob("*.ttf"))  # the builder's own, in a checkout or installed
    return frozenset.intersection(*(coverage(font) for font in fonts)) if fonts else frozenset()
