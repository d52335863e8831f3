"""Whether an image can go into the PDF: read by the fetcher before WeasyPrint sees it, and by `check`."""

from __future__ import annotations

import functools
import warnings
from pathlib import Path

from ..model import Origin
from .inputs import refusal
from .problems import Problems

# The raster images the fetcher opens before WeasyPrint does: WeasyPrint drops one it cannot
# read with a warning that gives no reason, and embeds a PNG cut short without a word.
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"}
IMAGES = RASTER | {".svg"}  # an SVG is parsed as XML: one WeasyPrint cannot parse is dropped the same way
# The most pixels an image may have: an A4 page at 600 dpi has 35 million. More is a mistake or a
# decompression bomb (a small file that decodes into gigabytes).
MAX_PIXELS = 60_000_000


@functools.cache
def image_problem(path: Path, stamp: tuple[int, int]) -> str | None:
    """Why a raster image cannot go into the PDF (empty, no image, damaged or cut short, too many
    pixels), or None; `stamp` (size, mtime) makes a changed file be looked at again."""
    from PIL import Image, ImageFile

    if stamp[0] == 0:
        return "not an image (the file is empty)"
    if path.suffix.lower() == ".svg":
        return _svg_problem(path)
    # WeasyPrint lets Pillow accept truncated images (ImageFile.LOAD_TRUNCATED_IMAGES); here a
    # truncated file is an error, and the pixel limit is this module's, told with the size.
    truncated, limit = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = False, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(path) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        f"{width} × {height} pixels, more than an image in a PDF may have (at most "
                        f"{MAX_PIXELS // 1_000_000} million; an A4 page at 600 dpi has 35 million)"
                    )
                image.load()  # decodes every pixel: a damaged or truncated file fails here
    except Image.UnidentifiedImageError:
        return "not an image the builder can read (PNG, JPEG, GIF, WebP, TIFF or BMP expected)"
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, MemoryError) as error:
        reason = " ".join(str(error).split())[:100] or type(error).__name__
        return f"the image is damaged or cut short ({reason}): export it again"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = truncated, limit
    return None


def _svg_problem(path: Path) -> str | None:
    """Why an SVG file cannot be drawn: not XML (with the parser's reason), or entities declared
    (<!ENTITY …>: an image has no use for them, and they can expand a small file enormously)."""
    from xml.etree import ElementTree

    data = path.read_bytes()
    if b"<!ENTITY" in data:
        return "an SVG image declaring entities (<!ENTITY …>), which images do not use: export it again"
    try:
        root = ElementTree.fromstring(data)
    except ElementTree.ParseError as error:
        return f"not an SVG image the builder can read ({error}): export it again"
    if root.tag.rpartition("}")[2] != "svg":
        return f"not an SVG image (its root element is <{root.tag.rpartition('}')[2]}>, not <svg>)"
    return None


def check_images(folder: Path, root: Path, problems: Problems) -> None:
    """Every raster image in a project's images/ folder can be used (check: the build stops on one
    that cannot, when a layout shows it)."""
    if not folder.is_dir() or refusal(folder, root) is not None:
        return  # a folder linked out of the project is reported by Project.links_leaving
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGES or refusal(path, root) is not None or not path.is_file():
            continue
        stat = path.stat()
        problem = image_problem(path, (stat.st_size, stat.st_mtime_ns))
        if problem is not None:
            problems.error(Origin(path.relative_to(root).as_posix(), 1), "", problem)
