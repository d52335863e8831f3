"""Which characters the shipped fonts can show: read once per font file, for the source checks and the build."""

from __future__ import annotations

import io
import struct
from functools import cache
from pathlib import Path

from fontTools.ttLib import TTFont, TTLibError

from .assets import BUILDER
from .inputs import refusal

# What a font file in fonts/ must be, as every message about one says it.
EXPECTED = "expected a TrueType/OpenType font"


class FontError(Exception):
    """A file in fonts/ that is no usable font: one line, file:line first."""


@cache
def coverage(font: Path) -> frozenset[int]:
    """The code points one font file has a glyph for; FontError when it is no usable font."""
    with _opened(font) as face:
        return frozenset(face.getBestCmap() or ())


def _opened(font: Path) -> TTFont:
    """The font, its table directory checked against the file's length (a truncated font's tables
    run past its end: WeasyPrint would stop on it); FontError naming the file and the reason."""
    name = f"{font.parent.name}/{font.name}"
    if font.is_dir():
        raise FontError(f"{name}:1: {EXPECTED}, found a folder")
    try:
        data = font.read_bytes()  # read here: TTFont leaves its file open when it refuses one
        size = len(data)
        if size == 0:
            raise FontError(f"{name}:1: {EXPECTED}, found an empty file")
        face = TTFont(io.BytesIO(data), lazy=True)
        try:
            for tag in ("cmap", "head", "maxp"):
                if tag not in face.reader.tables:
                    raise FontError(f"{name}:1: {EXPECTED}, found a file without a '{tag}' table")
            for tag, entry in face.reader.tables.items():
                if entry.offset + entry.length > size:
                    raise FontError(
                        f"{name}:1: {EXPECTED}, found a file cut short (its '{tag}' table runs past its end)"
                    )
            face.getBestCmap()
        except BaseException:
            face.close()
            raise
        return face
    except FontError:
        raise
    except OSError as error:
        raise FontError(f"{name}:1: {EXPECTED}; it cannot be read ({error.strerror or error})") from None
    except (
        TTLibError,
        struct.error,
        AssertionError,
        ValueError,
        KeyError,
        IndexError,
        TypeError,
        ImportError,
    ) as error:
        reason = " ".join(str(error).split()).removeprefix("Not a TrueType or OpenType font ").strip("()")
        raise FontError(f"{name}:1: {EXPECTED}, found other data ({reason[:100] or type(error).__name__})") from None


def font_problems(fonts: list[Path], root: Path) -> list[tuple[str, str]]:
    """(file, why) for each font of the list that is refused (a link leaving the project) or no
    usable font: `check` reports them, and a build stops on them before anything is laid out."""
    found = []
    for font in fonts:
        name = f"{font.parent.name}/{font.name}"
        refused = refusal(font, root)
        if refused is not None:
            found.append((name, refused))
            continue
        try:
            coverage(font)
        except FontError as error:
            found.append((name, str(error).split(": ", 1)[1]))
    return found


@cache
def shipped_coverage() -> frozenset[int]:
    """The code points every shipped font (fonts/*.ttf) has a glyph for."""
    fonts = sorted((BUILDER / "fonts").glob("*.ttf"))  # the builder's own, in a checkout or installed
    return frozenset.intersection(*(coverage(font) for font in fonts)) if fonts else frozenset()
