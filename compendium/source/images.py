"""Whether an image can go into the PDF: read by the fetcher before WeasyPrint sees it, and by `check`."""

from __future__ import annotations

import base64
import binascii
import functools
import io
import os
import warnings
from pathlib import Path
from urllib.parse import unquote, unquote_to_bytes, urljoin, urlsplit
from urllib.request import url2pathname

from ..model import Origin
from .css import IMPORT, LOCAL, LOCAL_FONT, family_problem
from .inputs import link_out_message, link_out_of, refusal
from .problems import Problems
from .svg import DEFAULT_FAMILY, EMBEDDED, MAX_SVG_DRAWN, Weigh, held_data, svg_drawn, svg_font_families, svg_references

# The raster images the fetcher opens before WeasyPrint does: WeasyPrint drops one it cannot
# read with a warning that gives no reason, and embeds a PNG cut short without a word.
RASTER = {".png", ".jpg", ".jpeg", ".gif", ".webp", ".tif", ".tiff", ".bmp"}
IMAGES = RASTER | {".svg"}  # an SVG is parsed as XML: one WeasyPrint cannot parse is dropped the same way
# The most pixels an image may have: an A4 page at 600 dpi has 35 million. More is a mistake or a
# decompression bomb (a small file that decodes into gigabytes).
MAX_PIXELS = 60_000_000
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
        references = svg_references(path.read_bytes(), weigh=_weigher(path, folders, ()))
        if isinstance(references, tuple):
            return references
        # a refusal first: a reference as written (`https\:\/\/…`) may name no file where the
        # same reference read as CSS leads out
        for line, target, how in references:
            problem = _reference_problem(path, target, how, folders)
            if problem is not None:
                return line, problem
        for line, target, _ in references:
            problem = _missing(path, target) or data_image_problem(target)
            if problem is not None:
                return line, problem
    problem = image_problem(path, stamp)
    return None if problem is None else (None, problem)


# The most SVG files an SVG image may draw one inside another (a.svg's <image href="b.svg">, b's of
# c.svg …): each is read in turn, and a logo draws a few.
MAX_DRAWN_FILES = 20
DRAWS_ITSELF = (
    '<image href="{href}"> leads back to an image drawing it ({chain}), which WeasyPrint cannot draw (it '
    "would leave the image out): an SVG image may not draw itself, directly or through others"
)
NESTED = '<image href="'  # a problem of an SVG file another draws, as told at the other's <image>
# How many elements an SVG file draws (path, (size, mtime), asset folders): see _weigher().
_COUNTED: dict[tuple[Path, tuple[int, int], tuple[Path, ...]], int] = {}


def _weigher(path: Path, folders: tuple[Path, ...], within: tuple[Path, ...]) -> Weigh:
    """How many elements an <image> of the SVG file `path` draws: the SVG file it names counted
    whole, as WeasyPrint draws it there (a raster image, or a file not served, is one element:
    refused elsewhere if it must be), or why it cannot be drawn: one drawing an SVG of `within`
    (the files drawing this one) or this one again, a loop that failed the build at no line
    (attacker round 12, S4), or one that cannot be drawn itself."""
    here = Path(os.path.realpath(path))

    def weigh(href: str) -> int | str:
        parts = urlsplit(urljoin(path.absolute().as_uri(), href))
        name = url2pathname(parts.path)
        if parts.scheme != "file" or parts.netloc not in ("", "localhost") or "\x00" in name:
            return 0
        target = Path(os.path.realpath(name))
        if target.suffix.lower() in RASTER or not target.is_file() or not _served(path, href, folders):
            return 0
        if target in (*within, here):
            chain = " → ".join(p.name for p in (*within, here, target)[(*within, here).index(target) :])
            return DRAWS_ITSELF.format(href=href[:100], chain=chain)
        if len(within) >= MAX_DRAWN_FILES:
            return f'<image href="{href[:100]}">: SVG images drawn one inside another more than {MAX_DRAWN_FILES} deep'
        stat = target.stat()
        key = (target, (stat.st_size, stat.st_mtime_ns), folders)
        if key not in _COUNTED:  # ten files each drawing the next ten times are read ten times, not 10^9
            drawn = svg_drawn(target.read_bytes(), _weigher(target, folders, (*within, here)))
            if not isinstance(drawn, int):  # told at the file and line at fault, the innermost of a chain
                located = f"{target.name}{'' if drawn[0] is None else f':{drawn[0]}'}: {drawn[1]}"
                nested = drawn[1].startswith(NESTED) and '">: ' in drawn[1]
                inner = drawn[1].split('">: ', 1)[1] if nested else located
                return f'{NESTED}{href[:100]}">: {inner}'
            _COUNTED[key] = drawn  # a count holds wherever the file is drawn from; a loop's message does not
        return _COUNTED[key]

    return weigh


def page_svg_problem(image: bytes, root: Path, folders: tuple[Path, ...]) -> tuple[int | None, str] | None:
    """(line, why) an SVG written in a page (whose base is the folder `root`) cannot be drawn, the
    SVG files its <image> elements draw counted as a file's are, or None."""
    folders = tuple(Path(os.path.realpath(folder)) for folder in folders)
    drawn = svg_drawn(image, _weigher(root / "page.html", folders, ()))
    return drawn if isinstance(drawn, tuple) else None


def drawn_often(base: Path, hrefs: list[str], folders: tuple[Path, ...]) -> int | None:
    """The index of the first of a page's or a
    stylesheet's references to SVG files (`hrefs`, resolved against `base`, one for each time the
    file is drawn: each <img> of a loop, each layer of a background-image list) at which the
    elements drawn pass MAX_SVG_DRAWN, or None: a small SVG drawn as 3000 background layers, or a
    layout drawing one of 10^4 elements 1000 times, passed check and kept WeasyPrint for minutes
    (attacker round 13, M1)."""
    weigh = _weigher(base, tuple(Path(os.path.realpath(folder)) for folder in folders), ())
    total = 0
    for index, href in enumerate(hrefs):
        drawn = weigh(href)
        total += drawn if isinstance(drawn, int) else 0  # an image that cannot be drawn is refused where it is
        if total > MAX_SVG_DRAWN:
            return index
    return None


def _reference_problem(svg: Path, target: str, how: str, folders: tuple[Path, ...]) -> str | None:
    """Why the build could not serve what an SVG refers to, or None."""
    if how == LOCAL:
        return LOCAL_FONT.format(target=target[:100])
    if how == EMBEDDED:
        return f"a reference to {target[:100]} (in an SVG image given as a data: URI): {REFUSED}"
    if not _served(svg, target, folders):
        link = _link(svg, target, folders)
        if link is not None:
            return f"a reference to {target[:100]}: {link[0]} is {link_out_message(link[1])}"
        return f"a reference to {target[:100]}: {REFUSED}"
    if how == IMPORT:
        return IMPORTED.format(target=target[:100])
    return None


def _missing(svg: Path, target: str) -> str | None:
    """Why a file under the asset folders an SVG refers to cannot be served (the build named it
    alone, not the SVG that refers to it), or None."""
    if not target or target.startswith("#") or target.lower().startswith("data:"):
        return None
    resolved = Path(url2pathname(urlsplit(urljoin(svg.absolute().as_uri(), target)).path))
    if resolved.is_dir():
        return f"a reference to {target[:100]}: a folder, not a file"
    return None if resolved.is_file() else f"a reference to {target[:100]}: not found"


def _link(svg: Path, target: str, folders: tuple[Path, ...]) -> tuple[str, str] | None:
    """The link an SVG's reference is named through, when it leads out of the asset folders."""
    # the SVG's own folder as it really is: the asset folders are given resolved
    parts = urlsplit(urljoin((Path(os.path.realpath(svg.absolute().parent)) / svg.name).as_uri(), target))
    name = url2pathname(parts.path)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost") or "\x00" in name:
        return None
    return link_out_of(Path(name), folders)


def _served(svg: Path, target: str, folders: tuple[Path, ...]) -> bool:
    """Whether the fetcher serves what an SVG refers to: a part of itself, a data: URI, or a file
    under the asset folders (WeasyPrint resolves it against the SVG's own place)."""
    if not target or target.startswith("#") or target.lower().startswith("data:"):
        return True
    parts = urlsplit(urljoin(svg.absolute().as_uri(), target))
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        return False
    name = url2pathname(parts.path)
    if "\x00" in name:  # no file name holds one: refused, as a reference the fetcher would not serve
        return False
    resolved = Path(os.path.realpath(name))
    return any(resolved.is_relative_to(folder) for folder in folders)


@functools.cache
def image_problem(path: Path, stamp: tuple[int, int]) -> str | None:
    """Why a raster image cannot go into the PDF (empty, no image, damaged or cut short, too many
    pixels), or None; `stamp` (size, mtime) makes a changed file be looked at again."""
    if stamp[0] == 0:
        return "not an image (the file is empty)"
    if path.suffix.lower() == ".svg":
        references = svg_references(path.read_bytes())
        return references[1] if isinstance(references, tuple) else None
    return raster_problem(path)


def raster_problem(source: Path | io.BytesIO, known: bool = True) -> str | None:
    """Why a raster image (a file, or the bytes of a data: URI) cannot go into the PDF, or None;
    data that is no image is a problem only when `known` to be one (a data: URI of image/…)."""
    from PIL import Image, ImageFile

    # WeasyPrint lets Pillow accept truncated images (ImageFile.LOAD_TRUNCATED_IMAGES); here a
    # truncated file is an error, and the pixel limit is this module's, told with the size.
    truncated, limit = ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS
    ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = False, None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", Image.DecompressionBombWarning)
            with Image.open(source) as image:
                width, height = image.size
                if width * height > MAX_PIXELS:
                    return (
                        f"{width} × {height} pixels, more than an image in a PDF may have (at most "
                        f"{MAX_PIXELS // 1_000_000} million; an A4 page at 600 dpi has 35 million)"
                    )
                image.load()  # decodes every pixel: a damaged or truncated file fails here
    except Image.UnidentifiedImageError:
        return "not an image the builder can read (PNG, JPEG, GIF, WebP, TIFF or BMP expected)" if known else None
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, MemoryError) as error:
        reason = " ".join(str(error).split())[:100] or type(error).__name__
        return f"the image is damaged or cut short ({reason}): export it again"
    finally:
        ImageFile.LOAD_TRUNCATED_IMAGES, Image.MAX_IMAGE_PIXELS = truncated, limit
    return None


def shortened(url: str) -> str:
    """A URL (or a message holding one) as a message shows it, a data: URI cut short: it holds a
    whole image, and a line of 65,000 characters told nothing more than its first few (attacker
    round 9, P10)."""
    at = url.find("data:")
    return url if at < 0 or len(url) - at <= 60 else f"{url[: at + 50]}…"


def data_image_problem(url: str) -> str | None:
    """Why a raster image given as a data: URI, or one held by an SVG or a stylesheet given so,
    cannot go into the PDF, or None."""
    for inner in held_data(url):
        problem = _data_raster_problem(inner)
        if problem is not None:
            return f"{problem} (in {shortened(url)})"
    return _data_raster_problem(url)


@functools.cache
def _data_raster_problem(url: str) -> str | None:
    """Why a raster image given as a data: URI (in an SVG, a stylesheet or a layout) cannot go
    into the PDF, or None: decoded and measured as a file of images/ is, so that a small URI
    decoding into 81 million pixels is refused at its line, not drawn with 744 MB (attacker
    round 9, P10). An SVG or a stylesheet given so is read by svg.data_references()."""
    header, comma, payload = url.partition(",")
    media = header.lower()
    if not comma or media.startswith(("data:image/svg+xml", "data:text/")):
        return None
    what = f"an image given as a data: URI ({shortened(url)})"
    if media.endswith(";base64"):
        written = "".join(unquote(payload).split())
        try:
            data = base64.b64decode(written, validate=True)
        except (binascii.Error, ValueError):
            fragment = f" (#{written.partition('#')[2][:20]} after it, a fragment)" if "#" in written else ""
            return f"{what}: its base64 data cannot be decoded{fragment}, and WeasyPrint could not read it"
    else:
        data = unquote_to_bytes(payload.partition("#")[0])
    problem = raster_problem(io.BytesIO(data), known=media.startswith("data:image/"))
    return None if problem is None else f"{what}: {problem}"


def check_images(
    folder: Path, root: Path, problems: Problems, assets: tuple[Path, ...] = (), families: set[str] | None = None
) -> None:
    """Every image in a project's images/ folder can be used, an SVG referring only to files under
    the `assets` folders and setting its text in `families` (fonts.css's) when given (check: the
    build stops on one that cannot, when a layout shows it)."""
    assets = tuple(Path(os.path.realpath(path)) for path in assets)  # a loop of links resolves to itself
    if not folder.is_dir() or refusal(folder, root) is not None:
        return  # a folder linked out of the project is reported by Project.refused_paths
    for path in sorted(folder.rglob("*")):
        if path.suffix.lower() not in IMAGES or refusal(path, root) is not None or not path.is_file():
            continue
        stat = path.stat()
        problem = located_image_problem(path, (stat.st_size, stat.st_mtime_ns), assets)
        if problem is None and families is not None and path.suffix.lower() == ".svg":
            problem = machine_font(path.read_bytes(), families)
        if problem is not None:
            problems.error(Origin(path.relative_to(root).as_posix(), problem[0] or 1), "", problem[1])


def machine_font(svg: bytes, families: set[str], inline: bool = False) -> tuple[int, str] | None:
    """(line, why) of the first text of an SVG set in a font of the machine, or None: the build
    found it only once the image was drawn (attacker round 8, N6). An SVG written `inline` in a
    page sets a text with no family in the page's font."""
    for line, value in svg_font_families(svg, None if inline else DEFAULT_FAMILY):
        why = family_problem(value, families)
        if why is not None:
            return line, f"a text of the image in {why}"
    return None
