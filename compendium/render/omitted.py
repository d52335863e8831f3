"""Whether the layouts print each provision: the HTML (check) and, from it, what the laid-out pages must draw."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass
from html import unescape

from ..model import Compendium
from ..source.assets import BUILDER
from ..source.project import Project

TAG = re.compile(r"<[^>]*>")
NOT_LETTERS = re.compile(r"[\W_]+")
# A start tag and its attributes (quoted values may hold ">"), and one attribute of them.
START_TAG = re.compile(r"<([a-zA-Z][\w-]*)((?:\"[^\"]*\"|'[^']*'|[^'\">])*)>")
ATTRIBUTE = re.compile(r"([^\s=/>]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s>]+))?")
# The elements the builder's layout sets a provision's text and its resource panel in.
PROVISION_TEXT = re.compile(r"class=[\"'][^\"']*\bprovision-text\b")
RESOURCES = re.compile(r"class=[\"'][^\"']*\bresources\b")
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}
# A line a project's layout or stylesheet adds that can leave an element out of the pages.
HIDING = {
    "layouts": re.compile(
        r"\shidden\b|display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|\{%-?\s*if\b|<template\b", re.I
    ),
    # position: running() takes an element out of the flow into a page's margin, shown only where
    # the margin asks for it with element()
    "styles": re.compile(
        r"display\s*:\s*none|visibility\s*:\s*(?:hidden|collapse)|content-visibility|position\s*:\s*running", re.I
    ),
}
# A line that can leave an element's text laid out but not seen: transparent, clipped, off the page.
UNSEEN = re.compile(
    r"opacity|(?<![\w-])colou?r\s*:|overflow|clip|text-indent\s*:\s*-|(?:left|right|top|bottom|margin[\w-]*)\s*:\s*-"
    r"|transform|(?:max-)?height\s*:\s*0|font-size\s*:\s*0",
    re.I,
)
# The content besides the provisions' texts that the pages must show where a reader sees it, by
# the class the layouts mark it with: what it is called in a message, one and more than one.
CONTENT = {
    "resources": ("resource panel", "resource panels"),
    "decision-opening": ("annexed decision's opening", "annexed decisions' openings"),
    "preamble": ("preamble paragraph of an annexed decision", "preamble paragraphs of the annexed decisions"),
    "chapeau": ("annexed decision's chapeau", "annexed decisions' chapeaux"),
    "operative": ("operative part of an annexed decision", "operative parts of the annexed decisions"),
    "directory-entry": ("directory entry", "directory entries"),
    "directory-keyword": ("directory entry's keyword", "directory entries' keywords"),
}
# What the project may have done to text the pages do not show, as a message asks it.
CAUSES = (
    "hidden, display: none, visibility: hidden, opacity: 0, a colour the same as its background, "
    "clipped by overflow: hidden, placed off the page, scaled or set too small to read, painted over, lines "
    "drawn over each other or a condition in the project's layouts or stylesheets?"
)


def words(text: str) -> str:
    """A text's words, lower case, one space between: the typographic rules' no-break spaces,
    soft hyphens and joiners, and the tags around words, left out."""
    return " ".join(re.findall(r"\w+", re.sub("[\u00ad\u200b\u2060]", "", text).casefold()))


def letters(text: str) -> str:
    """A text's letters and digits only, lower case: as the laid-out pages and the source are
    compared, whatever breaks lines (a hyphen added, a space dropped) or spaces words."""
    return NOT_LETTERS.sub("", text.casefold())


@dataclass(frozen=True)
class ProvisionText:
    """A provision as the laid-out pages must show it: its anchor, its name in messages
    ("provision 07"), its text, that text's words (letters only) and where the source has it."""

    anchor: str
    name: str
    text: str
    words: tuple[str, ...]
    origin: str


@dataclass(frozen=True)
class Expected:
    """What the laid-out pages of an edition must print (a value a part's process is sent):
    each provision, and the cover's texts, each located in the source (cover_at())."""

    provisions: tuple[ProvisionText, ...] = ()
    cover: tuple[tuple[str, str], ...] = (("title", "source/compendium.yaml:1"),)


def expected(compendium: Compendium, project: Project, lang: str) -> Expected:
    """The edition's provisions (translated, selected) and where its title is written: the
    source's compendium.yaml, or the language's translations file."""
    provisions = tuple(
        ProvisionText(
            p.anchor,
            f"provision {p.label}",
            p.paragraph.text,
            tuple(w for w in (letters(w) for w in p.paragraph.text.split()) if w),
            str(p.origin),
        )
        for p in compendium.provisions
    )
    return Expected(provisions, cover_at(compendium, project, lang))


# The cover's texts the source writes, by their key in compendium.yaml (the year is not translated).
COVER_KEYS = ("title", "organization", "publisher", "year")


def cover_at(compendium: Compendium, project: Project, lang: str) -> tuple[tuple[str, str], ...]:
    """Where each of the cover's texts (COVER_KEYS) is written: ("title", "source/compendium.yaml:4"),
    or its line in the language's translations file."""
    return tuple((key, _key_at(compendium, project, lang, key)) for key in COVER_KEYS)


def _key_at(compendium: Compendium, project: Project, lang: str, key: str) -> str:
    """Where the edition's title (or another key of compendium.yaml) is written: "source/compendium.yaml:4",
    or its line in the language's translations file."""
    written = project.source / "compendium.yaml"
    pattern = re.compile(rf"{key}\s*:")
    if lang != compendium.metadata.language and project.translations(lang).is_file() and key != "year":
        written, pattern = project.translations(lang), re.compile(rf"[\"']?metadata\.{key}[\"']?\s*:")
    return f"{_relative(written, project)}:{_line(written, pattern)}"


def _relative(path, project: Project) -> str:
    try:
        return path.relative_to(project.root).as_posix()
    except ValueError:
        return path.name


def _line(path, key: re.Pattern) -> int:
    """The line of a file where a top-level key begins (1 when it cannot be read or has none)."""
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError):
        return 1
    return next((n for n, line in enumerate(lines, 1) if key.match(line)), 1)


def blamed(project: Project, names: tuple[str, ...] = ()) -> str | None:
    """Where the project's own layouts or stylesheets most likely leave content out: of the lines
    they add to the builder's file of the same name, the first that hides an element, makes a
    condition or can make text unseen (opacity, colour, overflow …) and names one of `names` (a
    class of the content left out); else the first that hides or makes a condition; else the first
    that can make text unseen; else the first of its layouts' lines that names one of `names` (a
    layout that prints less of the text: "(provision.paragraph.text)[:45]"); else the first of its
    files that replaces the builder's, at line 1; None for a project with none of its own."""
    added = list(_added_lines(project))
    hiding = [(at, line) for at, folder, line in added if HIDING[folder].search(line)]
    unseen = [(at, line) for at, _, line in added if UNSEEN.search(line)]
    named = [at for at, line in hiding + unseen if any(name in line for name in names)]
    if named:
        return min(named, key=[at for at, _, _ in added].index)
    if hiding or unseen:
        return (hiding or unseen)[0][0]
    printing = (at for at, folder, line in added if folder == "layouts" and any(name in line for name in names))
    return next(printing, None) or _replacing(project)


def _own_files(project: Project):
    """(folder, path, the builder's file of that name) of each of the project's own layouts and
    stylesheets, the folders and files it may use."""
    from ..source.inputs import refusal

    for folder in HIDING:
        own = project.root / folder
        if not own.is_dir() or own.resolve() == (BUILDER / folder).resolve() or refusal(own, project.root):
            continue
        for path in sorted(own.glob("*.html" if folder == "layouts" else "*.css*")):
            if refusal(path, project.root) is None and path.is_file():
                yield folder, path, BUILDER / folder / path.name


def _added_lines(project: Project):
    """("styles/screen.css:3", folder, line) of each line of the project's own files that the
    builder's file of the same name does not have, in order."""
    for folder, path, builder in _own_files(project):
        try:
            lines = path.read_text(encoding="utf-8").splitlines()
            known = set(builder.read_text(encoding="utf-8").splitlines()) if builder.is_file() else set()
        except (OSError, UnicodeDecodeError):
            continue
        for number, line in enumerate(lines, 1):
            if line not in known:
                yield f"{folder}/{path.name}:{number}", folder, line


def _replacing(project: Project) -> str | None:
    """The first of the project's own files that replaces the builder's, at line 1."""
    return next((f"{folder}/{path.name}:1" for folder, path, builder in _own_files(project) if builder.is_file()), None)


def missing(found: set[str], expected: Expected, project: Project) -> list[str]:
    """One located line for each provision of `expected` whose anchor is not in `found`."""
    left_out = [p for p in expected.provisions if p.anchor not in found]
    at = blamed(project, ("provision",)) if left_out else None
    return [unprinted(at or p.origin, p.name, p.text) for p in left_out]


def unprinted(at: str, name: str, text: str) -> str:
    """The line for a provision the layouts leave out, at `at`."""
    return (
        f"{at}: {name} is not printed: expected its text ('{_excerpt(text)}') on its page, "
        f"found it left out or unseen ({CAUSES})"
    )


def unseen(left_out: list[tuple[str, str]], project: Project) -> list[str]:
    """One located line for each kind of CONTENT the pages leave out or do not show, given
    (class, text) of each element left out: how many, and the first one's text."""
    lines = []
    for name, (one, more) in CONTENT.items():
        texts = [text for kind, text in left_out if kind == name]
        if not texts:
            continue
        at = blamed(project, (name,)) or "layouts:1"
        what = (
            f"the {one} ('{_excerpt(texts[0])}') is not printed: expected its"
            if len(texts) == 1
            else f"{len(texts)} {more} (the first: '{_excerpt(texts[0])}') are not printed: expected their"
        )
        lines.append(f"{at}: {what} text on the pages, found it left out or unseen ({CAUSES})")
    return lines


def _excerpt(text: str) -> str:
    shown = " ".join(re.sub("[\u00ad\u200b\u2060]", "", text).split())  # the typography's invisible marks
    return shown if len(shown) <= 40 else shown[:37] + "…"


def shown(html: str) -> str:
    """The HTML without the elements it hides from the pages (the hidden attribute, an inline
    display: none, a <template>, whose content is never rendered), whatever they hold: text in
    the HTML that the layout never prints."""
    if not re.search(r"hidden|display\s*:\s*none|<template\b", html, re.I):
        return html
    kept, position = [], 0
    for tag in START_TAG.finditer(html):
        if tag.start() < position or not (_hides(tag[2]) or tag[1].lower() == "template"):
            continue
        kept.append(html[position : tag.start()])
        position = _end(html, tag)
    return "".join(kept) + html[position:]


def _hides(attributes: str) -> bool:
    for name, value in ATTRIBUTE.findall(attributes):
        name = name.lower()
        if name == "hidden" or (name == "style" and re.search(r"display\s*:\s*none", value, re.I)):
            return True
    return False


def _end(html: str, tag: re.Match) -> int:
    """Where the element a start tag opens ends: after its matching end tag."""
    name = tag[1].lower()
    if name in VOID or tag[0].endswith("/>"):
        return tag.end()
    depth = 1
    for other in re.finditer(rf"<(/?){re.escape(name)}\b(?:\"[^\"]*\"|'[^']*'|[^'\">])*>", html[tag.end() :], re.I):
        depth += -1 if other[1] else 1
        if depth == 0:
            return tag.end() + other.end()
    return len(html)


def printed(html: str, compendium: Compendium) -> list[bool]:
    """For each provision, whether its words are printed in order on its own page: after its anchor
    (id="…") and before the next provision's (the annex prints the same words as a decision's),
    within its text's element (class provision-text) and before its resource panel where the
    layout has them. Each word, not the first few: a layout that cut the text short ("[:45]")
    passed. Words may stand between (a footnote)."""
    starts = {p.anchor: html.find(f'id="{p.anchor}"') for p in compendium.provisions}
    found = sorted(start for start in starts.values() if start >= 0)
    result = []
    for provision in compendium.provisions:
        start = starts[provision.anchor]
        if start < 0:
            result.append(False)
            continue
        following = bisect.bisect_right(found, start)
        end = found[following] if following < len(found) else html.find("</article>", start)
        page = _own_text(html[start : end if end > 0 else len(html)])
        result.append(_in_order(words(provision.paragraph.text).split(), words(unescape(TAG.sub("", page))).split()))
    return result


def _own_text(page: str) -> str:
    """The part of a provision's page that holds its text: from its text's element to its
    resource panel, where the layout marks them."""
    text = PROVISION_TEXT.search(page)
    page = page[text.start() :] if text else page
    panel = RESOURCES.search(page)
    return page[: panel.start()] if panel else page


def _in_order(wanted: list[str], have: list[str]) -> bool:
    """Each of `wanted` among `have`, in order."""
    remaining = iter(have)
    return all(word in remaining for word in wanted)


def provisions_unprinted(html: str, compendium: Compendium, project: Project) -> list[str]:
    """One line ("layouts/_provision.html:1: …") when the HTML prints none of the compendium's
    provisions though it has some, naming the project's layouts that replace the builder's: a
    block or an include left out of one printed a blank PDF without a word; else one line for
    each provision it leaves out (a condition, a hidden element: it vanished without a word)."""
    if not compendium.provisions or not project.has_own_templates:
        return []
    marks = printed(shown(html), compendium)
    if all(marks):
        return []
    own = project.root / "layouts"
    layouts = sorted(path.name for path in own.glob("*.html")) if own.is_dir() else []
    replacing = [name for name in layouts if (BUILDER / "layouts" / name).is_file()] or layouts
    at = blamed(project, ("provision",))
    if not any(marks) and replacing:
        named = ", ".join(f"layouts/{name}" for name in replacing)
        where = at or f"layouts/{replacing[0]}:1"
        return [
            f"{where}: the layouts print none of the {len(compendium.provisions)} provisions "
            f"(the project's own layouts replacing the builder's: {named}): compare them with the builder's "
            "(a block or an include left out?)"
        ]
    missing = [p for p, mark in zip(compendium.provisions, marks, strict=True) if not mark]
    return [unprinted(at or str(p.origin), f"provision {p.label}", p.paragraph.text) for p in missing]
