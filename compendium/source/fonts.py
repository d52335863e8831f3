"""Which characters the fonts can show (the shipped ones, a project's own): read once per font file."""

from __future__ import annotations

import io
import struct
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
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


# The fonts of the project whose texts are being read (its fonts/ beside the builder's): check and
# the build measure its texts against them, not only against the builder's. A project's own font
# lacking a glyph passed check, and the build blamed the shipped fonts (attacker round 9, P12).
IN_USE: ContextVar[tuple[Path, ...]] = ContextVar("fonts in use", default=())


@contextmanager
def fonts_in_use(fonts: Iterable[Path]) -> Iterator[None]:
    """The texts read inside are measured against these fonts (a project's: Project.fonts)."""
    token = IN_USE.set(tuple(fonts))
    try:
        yield
    finally:
        IN_USE.reset(token)


def in_use_coverage() -> frozenset[int]:
    """The code points every font in use has a glyph for: the shipped fonts' unless a project's are set."""
    fonts = IN_USE.get()
    return _covered(fonts) if fonts else shipped_coverage()


@cache
def _covered(fonts: tuple[Path, ...]) -> frozenset[int]:
    """The code points every usable font of the list has (one that is no font is reported by
    font_problems(), not measured)."""
    found = []
    for font in fonts:
        if not font.is_file():
            continue  # a pipe or a device, never opened: reading a pipe waits for ever (font_problems names it)
        try:
            found.append(coverage(font))
        except FontError:
            continue
    return frozenset.intersection(*found) if found else shipped_coverage()


def lacking(code: int, fonts: Iterable[Path] | None = None) -> str:
    """Where a character has no glyph, as a message names it: the project's own font files that
    lack it when the shipped fonts have it, else the shipped fonts."""
    own = own_lacking(code, IN_USE.get() if fonts is None else fonts)
    return f"the project's {', '.join(own)}" if own else "the shipped fonts (fonts/*.ttf)"


def own_lacking(code: int, fonts: Iterable[Path]) -> list[str]:
    """The project's own font files (fonts/NotoSerif-Regular.ttf) of the list without a glyph
    the shipped fonts have: the file to mend is the project's."""
    if code not in shipped_coverage():
        return []
    return [f"{font.parent.name}/{font.name}" for font in own_fonts(fonts) if code not in _covered((font,))]


def own_fonts(fonts: Iterable[Path]) -> list[Path]:
    """The font files of the list that are the project's, not the builder's."""
    builder = (BUILDER / "fonts").resolve()
    return [font for font in fonts if font.resolve().parent != builder]
