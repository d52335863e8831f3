"""Whether an image can go into the PDF: read by the fetcher before WeasyPrint sees it, and by `check`."""

from __future__ import annotations

import functools
import math
import os
import re
import warnings
from pathlib import Path
from urllib.parse import urljoin, urlsplit
from urllib.request import url2pathname

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
# The deepest an SVG's elements may nest: WeasyPrint draws them recursively and leaves out an image
# nested about a thousand deep (a RecursionError). An exported logo nests a few levels.
MAX_SVG_DEPTH = 100
DEEP = (
    f"elements nested more than {MAX_SVG_DEPTH} deep, which WeasyPrint cannot draw (it would leave the image "
    "out): export it again flattened"
)


# An SVG's references to other files: url(…) in an attribute or a stylesheet, and @import. Read
# twice: by this pattern, as written, and by tinycss2 as WeasyPrint reads CSS (escapes and comments
# undone: `@import"https://…"`, `\75rl(…)`, `url(https\:\/\/…)` slipped past the pattern alone).
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>.*?)\1\s*\)|@import\s+(['"])(?P<imported>.*?)\3""", re.IGNORECASE)
PI_HREF = re.compile(r"""\bhref\s*=\s*(['"])(.*?)\1""")
REFUSED = "only files under fonts/, styles/ and images/, and data: URIs, may be used"
# WeasyPrint 70 cannot draw an SVG whose <style> imports a stylesheet, from anywhere: it drops the
# image with an empty warning ('ElementWrapper' has no fetch_url). Refused, with the reason.
IMPORTED = (
    "an SVG image importing a stylesheet (@import {target}), which WeasyPrint cannot draw (it leaves "
    "the image out): put the rules in the SVG's own <style>"
)


@functools.cache
def located_image_problem(
    path: Path, stamp: tuple[int, int], folders: tuple[Path, ...]
) -> tuple[int | None, str] | None:
    """(line, problem) of an image that cannot go into the PDF (no line for a problem of the whole
    file), or None: an SVG may refer only to files under `folders` (the asset folders) and data:
    URIs (WeasyPrint's refusal of one named no file)."""
    if path.suffix.lower() == ".svg" and stamp[0]:
        references = _svg_references(path)
        if isinstance(references, tuple):
            return references
        for line, target, imported in references:
            if not _served(path, target, folders):
                return line, f"a reference to {target[:100]}: {REFUSED}"
            if imported:
                return line, IMPORTED.format(target=target[:100])
    problem = image_problem(path, stamp)
    return None if problem is None else (None, problem)


def _served(svg: Path, target: str, folders: tuple[Path, ...]) -> bool:
    """Whether the fetcher serves what an SVG refers to: a part of itself, a data: URI, or a file
    under the asset folders (WeasyPrint resolves it against the SVG's own place)."""
    if not target or target.startswith("#") or target.lower().startswith("data:"):
        return True
    parts = urlsplit(urljoin(svg.absolute().as_uri(), target))
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    resolved = Path(os.path.realpath(url2pathname(parts.path)))
    return any(resolved.is_relative_to(folder) for folder in folders)


@functools.cache
def image_problem(path: Path, stamp: tuple[int, int]) -> str | None:
    """Why a raster image cannot go into the PDF (empty, no image, damaged or cut short, too many
    pixels), or None; `stamp` (size, mtime) makes a changed file be looked at again."""
    from PIL import Image, ImageFile

    if stamp[0] == 0:
        return "not an image (the file is empty)"
    if path.suffix.lower() == ".svg":
        references = _svg_references(path)
        return references[1] if isinstance(references, tuple) else None
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


def css_references(text: str) -> list[tuple[str, bool]]:
    """(reference, imported) for each url(…) and @import of a CSS text or attribute value, as
    written and as tinycss2 (WeasyPrint's CSS reader) reads it; `imported` for an @import."""
    import tinycss2

    found = [
        (m.group("url" if m.group("url") is not None else "imported").strip(), m.group("url") is None)
        for m in CSS_URL.finditer(text)
    ]
    pending = [tinycss2.parse_component_value_list(text)]
    while pending:  # blocks and functions nest: walked without recursion
        tokens = [t for t in pending.pop() if t.type not in ("whitespace", "comment")]
        for token, following in zip(tokens, [*tokens[1:], None], strict=True):
            if token.type == "url":
                found.append((token.value.strip(), False))
            elif token.type == "function" and token.lower_name in ("url", "src"):
                found += [(arg.value.strip(), False) for arg in token.arguments if arg.type == "string"]
            elif token.type == "at-keyword" and token.lower_value == "import" and following is not None:
                if following.type in ("string", "url"):
                    found.append((following.value.strip(), True))
                elif following.type == "function" and following.lower_name == "url":
                    found += [(arg.value.strip(), True) for arg in following.arguments if arg.type == "string"]
            nested = getattr(token, "content", None) or getattr(token, "arguments", None)
            if isinstance(nested, list):
                pending.append(nested)
    return list(dict.fromkeys(found))


def _svg_references(path: Path) -> list[tuple[int, str, bool]] | tuple[int | None, str]:
    """(line, reference, imported) of every file an SVG image would have WeasyPrint fetch (href and
    xlink:href but a link's, url(…) in an attribute or a <style>, @import, an xml-stylesheet), or
    (line, why) it cannot be drawn: not XML, not <svg>, entities declared (<!ENTITY …>: of no
    use to an image, they can expand a small file enormously), a viewBox WeasyPrint cannot read or
    nesting too deep for it (it leaves such an image out, giving no reason). Read with expat,
    which fetches nothing: no external entity, no DTD."""
    from xml.parsers import expat

    data = path.read_bytes()
    if b"<!ENTITY" in data:
        return None, "an SVG image declaring entities (<!ENTITY …>), which images do not use: export it again"
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    found: list[tuple[int, str, bool]] = []
    elements: list[str] = []
    undrawable: list[tuple[int, str]] = []

    def css(line: int, text: str) -> None:
        found.extend((line, target, imported) for target, imported in css_references(text))

    def start(name: str, attributes: dict[str, str]) -> None:
        if not found and not elements and name.rpartition("}")[2] != "svg":
            found.append((0, name.rpartition("}")[2], False))  # the root element: not an SVG image
        elements.append(name.rpartition("}")[2])
        line = parser.CurrentLineNumber
        reason = DEEP if len(elements) > MAX_SVG_DEPTH else _viewbox_problem(attributes.get("viewBox"))
        if reason and not undrawable:  # the first reason is told
            undrawable.append((line, reason))
        for key, value in attributes.items():
            if key.rpartition("}")[2] == "href" and elements[-1] != "a":  # a link is not fetched
                found.append((line, value.strip(), False))
            css(line, value)  # style="…", and fill="url(…)" and the other presentation attributes

    # A <style>'s text is read whole when it ends: expat hands it over in pieces (a CDATA section
    # is one), and `@import` in one piece with its address in the next is one rule to WeasyPrint.
    style: list[tuple[int, str]] = []

    def end(name: str) -> None:
        if elements.pop() == "style" and style:
            css(style[0][0], "".join(text for _, text in style))
            style.clear()

    parser.StartElementHandler = start
    parser.EndElementHandler = end

    def characters(text: str) -> None:
        if elements[-1:] == ["style"]:
            style.append((parser.CurrentLineNumber, text))

    parser.CharacterDataHandler = characters
    parser.ProcessingInstructionHandler = lambda target, text: found.extend(
        (parser.CurrentLineNumber, m.group(2), False) for m in PI_HREF.finditer(text) if target == "xml-stylesheet"
    )
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return None, f"not an SVG image the builder can read ({error}): export it again"
    return _root_problem(found) or (undrawable[0] if undrawable else found)


def _root_problem(found: list[tuple[int, str, bool]]) -> tuple[None, str] | None:
    """(None, why) when the root element was noted (line 0) as not <svg>."""
    if found and found[0][0] == 0:
        return None, f"not an SVG image (its root element is <{found[0][1]}>, not <svg>)"
    return None


def _viewbox_problem(value: str | None) -> str | None:
    """Why WeasyPrint cannot read a viewBox (it splits it as below and takes four numbers, the
    last two its width and height), or None."""
    if value is None:
        return None
    numbers = re.sub(r"(\.[0-9-]+)(?=\.)", r"\1 ", re.sub(r"(?<!e)([+-])", r" \1", value.replace("E", "e")))
    try:
        parsed = [float(number) for number in numbers.replace(",", " ").split()]
    except ValueError:
        parsed = []
    if len(parsed) == 4 and all(math.isfinite(number) for number in parsed) and min(parsed[2:]) >= 0:
        return None
    return (
        f"viewBox '{value[:60]}': expected four numbers, min-x min-y width height (the width and height not "
        "negative), without which WeasyPrint leaves the image out"
    )


def check_images(folder: Path, root: Path, problems: Problems, assets: tuple[Path, ...] = ()) -> None:
    """Every image in a project's images/ folder can be used, an SVG referring only to files under
    the `assets` folders (check: the build stops on one that cannot, when a layout shows it)."""
    assets = tuple(Path(os.path.realpath(path)) for path in assets)  # a loop of links resolves to itself
    if not folder.is_dir() or refusal(folder, root) is not None:
        return  # a folder linked out of the project is reported by Project.refused_paths
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGES or refusal(path, root) is not None or not path.is_file():
            continue
        stat = path.stat()
        problem = located_image_problem(path, (stat.st_size, stat.st_mtime_ns), assets)
        if problem is not None:
            problems.error(Origin(path.relative_to(root).as_posix(), problem[0] or 1), "", problem[1])
