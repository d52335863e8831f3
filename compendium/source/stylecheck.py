"""A project's own stylesheets as `check` and the build examine them before WeasyPrint reads them."""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import unquote, urlsplit

from ..model import Origin
from .assets import BUILDER, builder_fallback
from .css import (
    CONTENT_IMAGE,
    DATA_FONT,
    IMPORT,
    LOCAL,
    LOCAL_FONT,
    MIN_TYPE_AREA,
    TYPE_AREA,
    content_images,
    css_references,
    data_fonts,
    deep_nesting,
    flattening_transforms,
    font_face_families,
    machine_fonts,
    page_margins,
    page_sizes,
    printing_declarations,
)
from .fonts import fonts_in_use, in_use_coverage
from .images import data_image_problem, shortened
from .inputs import link_out_message, link_out_of, refusal
from .ownwriting import check_css_writing
from .problems import Problems
from .project import Project
from .svg import UNUSABLE, data_references, data_stylesheets
from .yamlsource import relative_name

# What text-transform: full-width makes of the letters and digits: forms few fonts have (attacker round 13, S1)
FULL_WIDTH = "".join(
    chr(0xFF00 + ord(c) - 0x20) for c in "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
)
# keywords of list-style that print nothing, or letters and digits every font has: WeasyPrint is not imported for them
PLAIN = {"none", "inside", "outside", "inherit", "initial", "unset", "disc", "circle", "square", "decimal"}
PLAIN |= {f"{case}-{kind}" for case in ("lower", "upper") for kind in ("roman", "alpha", "latin")}
MADE = (
    "{name}: {value}: prints characters the fonts lack ('{chars}'), which WeasyPrint would set in a font of "
    "this machine: remove it, or add their font to fonts/ and styles/fonts.css"
)

ONLY = "only files under fonts/, styles/ and images/, and data: URIs, may be used"
# A page size the builder's own stylesheet of that name does not set (attacker round 12, S6, S7): the
# build blamed the cover's texts, every one "too long", or WeasyPrint stopped at no line.
OWN_PAGE = (
    "@page size {size}: the builder sets each page to the edition's paper (A4 or Letter, `paper:` in "
    "editions.yaml; the booklet's half-size pages: --variant booklet for A5) and lays the cover and the type "
    "area out for it: remove this size"
)


def check_styles(project: Project, problems: Problems) -> None:
    """Every file a project's own stylesheet (or sections.css.j2) refers to, read as WeasyPrint
    reads CSS, is a file under the asset folders (fonts/, styles/, images/: the project's or the
    builder's) or a data: URI; an @import names a stylesheet of styles/ and makes no loop; no font
    is the machine's (local(), or a family fonts.css does not declare): each at its line. The
    build asks this too: WeasyPrint would refuse a file as it fetched it, naming no line."""
    _made_in_layouts(project, problems)
    own = project.root / "styles"
    if not own.is_dir() or own.resolve() == (BUILDER / "styles").resolve() or refusal(own, project.root):
        return
    allowed = [(base / name).resolve() for base in (project.root, BUILDER) for name in ("fonts", "styles", "images")]
    styles = [(base / "styles").resolve() for base in (project.root, BUILDER)]
    families = font_face_families(project.stylesheet("fonts.css").read_text(encoding="utf-8", errors="replace"))
    imports: dict[Path, list[tuple[int, str, Path]]] = {}
    for path in sorted([*own.rglob("*.css"), *own.rglob("*.css.j2")]):
        if refusal(path, project.root) is not None or not path.is_file():
            continue  # a link leaving the project is reported by Project.refused_paths
        name = relative_name(path, project.root)
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            problems.error(Origin(name, 1), "", f"cannot be read ({getattr(error, 'strerror', None) or error})")
            continue
        for line, target, how in css_references(text):
            why = _reference_problem(path, target, how, allowed, families)
            if why is None and how == IMPORT:
                why = _import_problem(path, target, styles, imports.setdefault(path.resolve(), []), line)
            if why is not None:
                problems.error(Origin(name, line), "", why)
        check_css_writing(text, name, problems)
        for line, why in (
            machine_fonts(text, families)
            + flattening_transforms(text)
            + _own_pages(path.relative_to(own).as_posix(), text)
        ):
            problems.error(Origin(name, line), "", why)
        for line, why in made_characters(text, project):
            problems.error(Origin(name, line), "", why)
        for line, target in data_fonts(text):
            problems.error(Origin(name, line), "", DATA_FONT.format(target=target[:30]))
        for line, what, target in content_images(text):
            problems.error(Origin(name, line), "", CONTENT_IMAGE.format(property=what, target=shortened(target)))
    for path, line, target, why in _import_loops(imports):
        problems.error(Origin(relative_name(path, project.root), line), "", f"an @import of {target[:100]}: {why}")


def _own_pages(name: str, text: str) -> list[tuple[int, str]]:
    """(line, why) for nesting WeasyPrint cannot read, for each page size the builder's
    stylesheet of the same name (pages.css: A4, booklet.css: A5) does not set, and for @page
    margins that leave too small a type area to print the texts in."""
    found = deep_nesting(text)
    if found:  # not read further: the nesting is the fault
        return found
    builders = BUILDER / "styles" / name
    sizes = page_sizes(builders.read_text(encoding="utf-8")) if builders.is_file() else []
    kept = {size.lower() for _, size in sizes}
    found = [(line, OWN_PAGE.format(size=size[:40])) for line, size in page_sizes(text) if size.lower() not in kept]
    # the smallest page the stylesheet's pages are laid out on: the booklet's A5, else A4's width and Letter's height
    paper, named = ((148.0, 210.0), "A5") if name == "booklet.css" else ((210.0, 279.4), "A4 or Letter")
    return found + [
        (line, TYPE_AREA.format(width=max(width, 0), height=max(height, 0), paper=named, least=MIN_TYPE_AREA))
        for line, width, height in page_margins(text, paper)
        if width < MIN_TYPE_AREA[0] or height < MIN_TYPE_AREA[1]
    ]


def _resolved(stylesheet: Path, target: str) -> Path | None:
    """The file a stylesheet's reference names, or None for one of the network (or a host's)."""
    parts = urlsplit(target)
    if parts.scheme == "file" and parts.netloc in ("", "localhost"):
        return Path(unquote(parts.path)).resolve()
    if parts.scheme or parts.netloc:
        return None
    return (stylesheet.parent / unquote(parts.path)).resolve()


def _link(stylesheet: Path, target: str, folders: list[Path]) -> tuple[str, str] | None:
    """The link a stylesheet's reference is named through, when it leads out of the asset folders."""
    parts = urlsplit(target)
    if parts.scheme == "file":
        return link_out_of(Path(unquote(parts.path)), folders)
    return link_out_of(Path(os.path.realpath(stylesheet.parent)) / unquote(parts.path), folders)


def _reference_problem(
    stylesheet: Path, target: str, how: str, allowed: list[Path], families: set[str] | None = None
) -> str | None:
    """Why the build would refuse what a stylesheet refers to, or could not use it, or None."""
    if how == LOCAL:
        return LOCAL_FONT.format(target=target[:100])
    if target.lower().startswith("data:"):
        return data_problem(target, families)
    if not target or target.startswith("#"):
        return None
    if "\x00" in unquote(urlsplit(target).path):  # no file name holds one (Path.resolve would raise)
        return f"a reference to {target[:100]}: a NUL byte (%00) in a file name"
    resolved = _resolved(stylesheet, target)
    if resolved is not None:
        resolved = builder_fallback(resolved, _project_root(stylesheet)) or resolved
    if resolved is None or not any(resolved.is_relative_to(folder) for folder in allowed):
        link = None if resolved is None else _link(stylesheet, target, allowed)
        if link is not None:
            return f"a reference to {target[:100]}: {link[0]} is {link_out_message(link[1])}"
        return f"a reference to {target[:100]}: {ONLY}"
    if resolved.is_dir():
        return f"a reference to {target[:100]}: a folder, not a file"
    return None if resolved.is_file() else f"a reference to {target[:100]}: not found"


def _project_root(stylesheet: Path) -> Path | None:
    """The project folder around a stylesheet of its styles/ (styles/a/b.css included)."""
    for parent in stylesheet.resolve().parents:
        if parent.name == "styles":
            return parent.parent
    return None


def data_problem(url: str, families: set[str] | None = None) -> str | None:
    """Why the build would refuse what a data: URI's SVG image or stylesheet refers to (decoded,
    and read again for the data: URIs inside it), or None: nothing it names is served but parts of
    itself and data: URIs, which have no folder of their own (attacker round 8, N6). With the
    families fonts.css declares, a stylesheet it gives is checked as a file is: no font of the
    machine, no transform to nothing. A raster image given so is decoded and measured as a file
    of images/ is (attacker round 9, P10)."""
    raster = data_image_problem(url)
    if raster is not None:
        return raster
    for target, how in data_references(url):
        if how == LOCAL:
            return LOCAL_FONT.format(target=target[:100])
        if how == UNUSABLE:  # the URI and why, whole: no file is referred to
            return f"a reference to {target}"
        return f"a reference to {target[:100]} (in a data: URI): {ONLY}"
    if families is None:
        return None
    for text in data_stylesheets(url):
        for _, why in deep_nesting(text) + machine_fonts(text, families) + flattening_transforms(text):
            return f"{why} (in a stylesheet given as a data: URI)"
    return None


def _import_problem(
    stylesheet: Path, target: str, styles: list[Path], imports: list[tuple[int, str, Path]], line: int
) -> str | None:
    """Why an @import the fetcher would serve is refused: a stylesheet imports only stylesheets
    of styles/ (one of images/ went unchecked, and WeasyPrint fetched what it referred to); an
    import kept is noted in `imports` for the loops."""
    resolved = None if target.startswith("data:") else _resolved(stylesheet, target)
    if resolved is None or not any(resolved.is_relative_to(folder) for folder in styles):
        return f"an @import of {target[:100]}: a stylesheet may import only the stylesheets of styles/"
    imports.append((line, target, resolved))
    return None


def _import_loops(imports: dict[Path, list[tuple[int, str, Path]]]) -> list[tuple[Path, int, str, str]]:
    """(stylesheet, line, target, why) for each @import that leads back to its own stylesheet:
    WeasyPrint met the loop as a refused fetch of the stylesheet, naming no line."""
    loops = []
    for path, edges in imports.items():
        for line, target, imported in edges:
            seen, pending = set(), [imported]
            while pending and path not in seen:
                current = pending.pop()
                if current not in seen:
                    seen.add(current)
                    pending += [following for _, _, following in imports.get(current, [])]
            if imported == path:
                loops.append((path, line, target, "the stylesheet imports itself"))
            elif path in seen:
                loops.append((path, line, target, "the stylesheet it imports leads back to this one, a loop"))
    return loops


def made_characters(text: str, project: Project) -> list[tuple[int, str]]:
    """(line, why) for each declaration of a stylesheet that prints characters the project's fonts
    lack: the build set them in a font of the machine and blamed the cover's title, or no line."""
    found = []
    covered: frozenset[int] | None = None
    for line, name, value in printing_declarations(text):
        made = _made(name, value)
        if not made:
            continue
        if covered is None:
            with fonts_in_use(project.fonts):
                covered = in_use_coverage()
        lacking = "".join(dict.fromkeys(c for c in made if not c.isspace() and ord(c) not in covered))
        if lacking:
            found.append((line, MADE.format(name=name, value=value, chars=lacking[:12])))
    return found


def _made(name: str, value: str) -> str:
    """The characters a text-transform or a list style prints, as far as known here ("": none)."""
    if name == "text-transform":
        return FULL_WIDTH if value == "full-width" else ""
    if value in PLAIN:
        return ""
    from weasyprint import UA_COUNTER_STYLE  # the counter styles WeasyPrint knows (a second to import)

    if value not in UA_COUNTER_STYLE:
        return ""  # a @counter-style of the stylesheet's own, or no counter style
    return "".join(UA_COUNTER_STYLE.render_marker(value, number) for number in range(1, 61))


def _made_in_layouts(project: Project, problems: Problems) -> None:
    """made_characters() for the <style> elements and style="…" attributes of a project's own
    layouts, at the line of each."""
    from .css import STYLED

    own = project.root / "layouts"
    if not own.is_dir() or own.resolve() == (BUILDER / "layouts").resolve() or refusal(own, project.root):
        return
    for path in sorted(own.glob("*.html")):
        if refusal(path, project.root) is not None or not path.is_file():
            continue
        try:
            html = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError):
            continue  # told where the layouts are read
        for match in STYLED.finditer(html):
            first = html.count("\n", 0, match.start()) + 1
            css = match.group(1) if match.group(1) is not None else "*{" + match.group(2) + "}"
            for line, why in made_characters(css, project):
                problems.error(Origin(relative_name(path, project.root), first + line - 1), "", why)
