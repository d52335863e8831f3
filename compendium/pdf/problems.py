"""What laying out found wrong, each as one line: WeasyPrint's warnings, links and references the
PDF may not hold, and WeasyPrint stopping."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from ..source.css import URL
from ..source.images import shortened
from ..source.project import Project
from ..source.svg import inline_svgs

if TYPE_CHECKING:  # the fetcher imports WeasyPrint, which a build of current PDFs never needs
    from .fetcher import AssetFetcher


class _Collect(logging.Handler):
    """Keeps what a logger says at warning level or above."""

    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.messages.append(record.getMessage())


@contextmanager
def weasyprint_warnings() -> Iterator[list[str]]:
    """Collects what WeasyPrint logs (ignored CSS, unresolved targets …) while it works."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


# What a link in the PDF may lead to, besides its own pages: a link to a file of the machine, a
# script or an attachment has no place in a publication (a project layout could write one).
LINK_SCHEMES = ("http", "https", "mailto")
# A control character in a target is shown escaped: a tab in 'java\tscript:' printed as a gap.
CONTROL = re.compile(r"[\x00-\x1f\x7f]")


def link_problems(found: list[tuple[str, str]] | list[tuple[str, str, str]], project: Project) -> list[str]:
    """One line for each link target the PDF may not hold, at the layout or stylesheet line that
    writes it when a project file does (a third item: the target as the HTML writes it, escapes
    and all, looked for first: `java&#9;script:` is a tab to WeasyPrint)."""
    from urllib.parse import urlsplit

    problems = []
    for kind, target, *written in dict.fromkeys(found):
        if kind == "internal" or (kind == "external" and urlsplit(target).scheme.lower() in LINK_SCHEMES):
            continue
        shown = CONTROL.sub(lambda m: f"\\x{ord(m[0]):02x}", target if len(target) <= 100 else target[:100] + "…")
        what = "an attachment of" if kind == "attachment" else "a link to"
        problems.append(
            f"{next((w for w in map(lambda t: written_at(project, t), [*written, target]) if w), '')}"
            f"{what} {shown}: a PDF may link only to http(s) and mailto: addresses "
            "and to its own pages (#anchor)"
        )
    return problems


def written_at(project: Project, target: str) -> str:
    """ "layouts/x.html:3: " for the first line of a project's own layout, stylesheet or SVG image
    that holds the target as written (relative targets are resolved by WeasyPrint: then the file's
    name is looked for), else ""."""
    files = _own_files(project)
    for written in _as_written(target, project):  # as written in full first, then as resolved from less
        for name, lines in files:
            number = next((number for number, line in enumerate(lines, 1) if written in line), None)
            if number is not None:
                return f"{name}:{number}: "
    return ""


def character_at(project: Project, char: str) -> str:
    """ "layouts/x.html:3: " for the first line of a project's own layout, stylesheet or SVG image
    that writes the character (a `content:` string's, say), else "" (attacker round 10, S14): as it
    is, or escaped as a stylesheet (\\1f600), HTML (&#x1f600; &#128512;) or a Jinja string
    ('\\U0001f600') writes it, which the build named at no line (round 12, S1)."""
    code = ord(char)
    written = [f"\\{code:x}", f"&#x{code:x};", f"&#x{code:04x};", f"&#{code};", f"\\u{code:04x}", f"\\U{code:08x}"]
    written = [way.lower() for way in written]
    for name, lines in _own_files(project):
        number = next(
            (n for n, line in enumerate(lines, 1) if char in line or any(way in line.lower() for way in written)), None
        )
        if number is not None:
            return f"{name}:{number}: "
    return ""


def own_styles(project: Project) -> str:
    """The text of a project's own stylesheets (whose attr() may print a layout's attribute)."""
    return "\n".join(line for name, lines in _own_files(project) if name.startswith("styles/") for line in lines)


def _own_files(project: Project) -> list[tuple[str, list[str]]]:
    """The lines of each of the project's own layouts, stylesheets and SVG images."""
    from ..source.inputs import refusal

    files: list[tuple[str, list[str]]] = []
    # an SVG image fetches what it refers to as it is drawn: the culprit is the image, not a layout
    for folder, pattern in (("layouts", "*.html"), ("styles", "*.css"), ("styles", "*.css.j2"), ("images", "*.svg")):
        own = project.root / folder
        if not own.is_dir() or refusal(own, project.root) is not None:
            continue
        for path in sorted(own.rglob(pattern)):
            if refusal(path, project.root) is not None or not path.is_file():
                continue
            try:
                files.append((path.relative_to(project.root).as_posix(), path.read_text(encoding="utf-8").splitlines()))
            except (OSError, UnicodeDecodeError):
                continue
    return files


def inline_svg_problems(html: str, project: Project) -> tuple[list[str], list[str]]:
    """One line for each inline <svg> of a page that the build would refuse as an image of images/
    (nested <use> drawing too much, the SVG files its <image> elements draw included, a loop,
    nesting too deep, a text in a font of the machine), at the layout line writing it; and
    what the others refer to, for the page's references to be checked with them (a <use> of file:)."""
    from ..source.css import font_face_families
    from ..source.images import machine_font, page_svg_problem

    problems, references = [], []
    families = None
    for tag, found, image in inline_svgs(html):
        if families is None:
            families = font_face_families(project.stylesheet("fonts.css").read_text(encoding="utf-8", errors="replace"))
        # a text in a font of the machine, as an SVG of images/ is refused for (attacker round 12, S2)
        problem = (
            found
            if isinstance(found, tuple)
            else page_svg_problem(image, project.root, tuple(project.assets))
            or machine_font(image, families, inline=True)
        )
        if problem is not None:
            problems.append(f"{svg_written_at(project, tag)}an SVG image written in the layout (<svg>): {problem[1]}")
        if not isinstance(found, tuple):
            references += [target for _, target, how in found if how == URL]
    return problems, references


# Where a page draws an image file: an <img>'s or <input type="image">'s src.
SOURCE = re.compile(r"<(?:img|input)\b[^>]*?\bsrc=\"([^\"]*)\"", re.IGNORECASE)
DRAWN_OFTEN = (
    "{href} draws more than {most} elements, counted with the SVG images drawn before it as often as each is "
    "drawn ({how}), which WeasyPrint would take minutes to draw: draw it fewer times, or export it flattened"
)


def drawn_problems(html: str, project: Project) -> list[str]:
    """One line for a page, and for each project stylesheet, that draws SVG files more than
    MAX_SVG_DRAWN elements in all, each counted as often as it is drawn: each <img> a loop writes,
    each layer of a background-image list (attacker round 13, M1), at the line of the reference
    that passes the count."""
    from html import unescape

    from ..source.css import COMMENT, CSS_URL, STYLED
    from ..source.images import drawn_often
    from ..source.svg import MAX_SVG_DRAWN

    def svg(href: str) -> bool:
        return urlsplit(href).path.lower().endswith(".svg")

    folders = tuple(project.assets)
    problems = []
    styled = " ".join(a or b for a, b in STYLED.findall(html))
    hrefs = [unescape(h) for h in SOURCE.findall(html)] + [m["url"] for m in CSS_URL.finditer(unescape(styled))]
    hrefs = [h for h in hrefs if h and svg(h)]
    found = drawn_often(project.root / "page.html", hrefs, folders)
    if found is not None:
        where = written_at(project, hrefs[found]) or "the layouts: "
        how = "each <img>, each background layer"
        problems.append(where + DRAWN_OFTEN.format(href=hrefs[found], most=MAX_SVG_DRAWN, how=how))
    for name, lines in _own_files(project):
        if not name.startswith("styles/"):
            continue
        # a comment is left out, its lines kept: the reference is told at its own line
        text = COMMENT.sub(lambda m: "\n" * m[0].count("\n"), "\n".join(lines))
        at = [(n, m["url"]) for n, line in enumerate(text.splitlines(), 1) for m in CSS_URL.finditer(line)]
        at = [(n, href) for n, href in at if href and svg(href)]
        found = drawn_often(project.root / name, [href for _, href in at], folders)
        if found is not None:
            line, href = at[found]
            how = "each layer of a background-image list"
            problems.append(f"{name}:{line}: " + DRAWN_OFTEN.format(href=href, most=MAX_SVG_DRAWN, how=how))
    return problems


def svg_written_at(project: Project, tag: str) -> str:
    """written_at() of an inline <svg>: its opening tag as the page has it, else a layout's first
    <svg> (the tag written with Jinja's values in it), else the layouts."""
    return written_at(project, tag) or written_at(project, "<svg") or "the layouts: "


def _as_written(target: str, project: Project) -> list[str]:
    """The ways a layout may have written the URL WeasyPrint resolved: as it is, relative to the
    project, and without what WeasyPrint added to it: `/etc/passwd` for file:///etc/passwd, and
    `//example.org/x.png` for a network-path reference (which the file base makes file:)."""
    from urllib.parse import unquote, urlsplit

    ways = [target, target.removeprefix(project.root.as_uri() + "/")]
    parts = urlsplit(target)
    if parts.scheme == "file":
        ways.append(f"//{parts.netloc}{parts.path}" if parts.netloc else unquote(parts.path))
    return [way for way in dict.fromkeys(ways) if len(way) > 3]  # "/" would be found on any line


def refused_problems(fetcher: AssetFetcher, project: Project, also: list[str] | None = None) -> list[str]:
    """One line for each file the fetcher could not serve and each reference it refused, even one
    WeasyPrint went on without (an SVG drawn without the image it refers to): never silent."""
    if fetcher.problems:
        return list(dict.fromkeys(_asked_at(problem, fetcher, project) for problem in fetcher.problems))
    return [
        f"{_refused_at(project, url) or 'the layouts, stylesheets or SVG images: '}a reference to "
        f"{shortened(url)}: only files under fonts/, styles/ and images/, and data: URIs, may be used"
        for url in dict.fromkeys(fetcher.refused or also or [])
    ]


# A font file's ending: one WeasyPrint fetches that no project file names is a local() font's,
# whose file fontconfig found on the machine.
FONT_FILES = (".ttf", ".otf", ".ttc", ".woff", ".woff2", ".pfb", ".pfa")


def _refused_at(project: Project, url: str) -> str:
    """written_at(), or for a font of the machine the first line asking for one (local(…))."""
    return written_at(project, url) or (written_at(project, "local(") if url.lower().endswith(FONT_FILES) else "")


# WeasyPrint's words for an image it leaves out of the PDF, then the image's address.
INLINE = "Failed to load inline SVG"
DROPPED = ("Failed to render SVG image ", "Failed to load image at ", INLINE)


def dropped_images(logged: list[str], project: Project) -> list[str]:
    """One line for each image WeasyPrint left out of the PDF (a warning to it, an error to the
    builder: a logo missing from the cover is not a PDF to replace a good one with), named by its
    file: those it would fail on are refused before, with the reason (source/images.py)."""
    from urllib.parse import unquote, urlsplit

    problems = []
    for message in logged:
        url = next((message[len(lead) :] for lead in DROPPED if message.startswith(lead)), None)
        if url is None:
            continue
        url = url.split(": ", 1)[0].strip("'")  # "Failed to load image at 'url': reason"
        path = Path(unquote(urlsplit(url).path))
        root = project.root.resolve()
        name = path.relative_to(root).as_posix() if path.is_relative_to(root) else shortened(url)
        if message.startswith(INLINE) or path == root:  # an inline <svg>: its address is the page's, the folder
            name = svg_written_at(project, "<svg").removesuffix(": ") + ": an SVG image written in the layout (<svg>)"
        problems.append(
            f"{name}: WeasyPrint could not draw this image and would leave it out ({shortened(message[:200])})"
        )
    return problems


# WeasyPrint's words for an image with no alt text, which PDF/UA needs, then the image's src.
NO_ALT_LOGGED = re.compile(r'Image "(.*)" has no required alt description')


def unlabelled_images(logged: list[str], project: Project) -> list[str]:
    """One line for each image WeasyPrint found without alt text, at the project layout's line
    that writes it, as check says it (attacker round 10, S13)."""
    found = [match[1] for message in logged if (match := NO_ALT_LOGGED.fullmatch(message))]
    return [unlabelled_at(project, src) for src in dict.fromkeys(found)]


def unlabelled_at(project: Project, src: str) -> str:
    """The line for an image without alt text, at the project layout's line that writes it."""
    from ..source.ownwriting import NO_ALT

    where = written_at(project, f'src="{src}"') or written_at(project, src) if src else written_at(project, "<img")
    return f"{where}{NO_ALT.format(src=src or 'no src')}"


def _asked_at(problem: str, fetcher: AssetFetcher, project: Project) -> str:
    """A file that is missing (or a folder), named with the stylesheet or layout line that asks
    for it ("styles/fonts.css:4: fonts/NotoSans-Regulr.ttf: not found"): the typo is there."""
    if not problem.endswith((": not found", ": a folder, not a file")):
        return problem  # the file itself is at fault (damaged, not an image): named alone
    return f"{written_at(project, getattr(fetcher, 'asked', {}).get(problem, ''))}{problem}"


def engine_failure(error: BaseException, project: Project) -> str:
    """One line for WeasyPrint stopping with an error of its own (an AssertionError on a calc()
    whose variable no stylesheet defines, say): where it stopped, and the likely cause."""
    import traceback

    frames = traceback.extract_tb(error.__traceback__)
    where = ""
    if frames:
        path = Path(frames[-1].filename)
        tail = path.parts[path.parts.index("site-packages") + 1 :] if "site-packages" in path.parts else path.parts[-2:]
        where = f" at {'/'.join(tail)}:{frames[-1].lineno}"
    message = " ".join(str(error).split())[:120]
    what = f"{type(error).__name__}{': ' + message if message else ''}{where}"
    changed = _changed_styles(project) if project.has_own_styles else []
    if changed:
        shown = ", ".join(changed[:5]) + (f" and {len(changed) - 5} more" if len(changed) > 5 else "")
        cause = (
            f"the project's own styles/ are the likely cause ({shown}, which differ from the builder's: a rule "
            "or a value the builder's stylesheets need left out, such as a variable sections.css.j2 defines): "
            "compare them with the builder's"
        )
    else:
        cause = "a fault of the builder or of WeasyPrint: please report it with the command that gave it"
    return f"WeasyPrint stopped while laying out the pages ({what}); {cause}"


def _changed_styles(project: Project) -> list[str]:
    """The project's stylesheets that are not the builder's as it ships them (changed, or its own),
    by name: WeasyPrint's own crash names no file or line (attacker round 12, S7)."""
    from ..source.assets import BUILDER
    from ..source.inputs import refusal
    from ..source.yamlsource import relative_name

    own = project.root / "styles"
    changed = []
    for path in sorted([*own.rglob("*.css"), *own.rglob("*.css.j2")]):
        if refusal(path, project.root) is not None or not path.is_file():
            continue
        builders = BUILDER / "styles" / path.relative_to(own)
        try:
            same = builders.is_file() and builders.read_bytes() == path.read_bytes()
        except OSError:
            same = False
        if not same:
            changed.append(relative_name(path, project.root))
    return changed
