"""An SVG image read as XML, fetching nothing: what it refers to, and why WeasyPrint could not draw it."""

from __future__ import annotations

import base64
import binascii
import math
import re
from collections.abc import Callable, Iterator
from urllib.parse import unquote_to_bytes
from xml.parsers import expat

from .css import URL, css_references

PI_HREF = re.compile(r"""\bhref\s*=\s*(['"])(.*?)\1""")
# The deepest an SVG's elements may nest: WeasyPrint draws them recursively and leaves out an image
# nested about a thousand deep (a RecursionError). An exported logo nests a few levels.
MAX_SVG_DEPTH = 100
DEEP = (
    f"elements nested more than {MAX_SVG_DEPTH} deep, which WeasyPrint cannot draw (it would leave the image "
    "out): export it again flattened"
)
# The most elements an SVG may draw once each <use> is expanded: a file of a kilobyte whose <use>
# elements refer to groups of further <use> draws 10^9 of them and hangs WeasyPrint (attacker,
# round 6). An exported logo draws a few hundred.
MAX_SVG_DRAWN = 100_000
# An SVG given as a data: URI inside an SVG has no place of its own: whatever it refers to but a
# part of itself or another data: URI cannot be served. Read to this depth of such images.
EMBEDDED, MAX_EMBEDDED = "embedded", 3
# How data_references() gives a data: URI it cannot use, with the reason: told whole, not as a
# reference to a file (attacker round 12, N1: the reason was cut, then the advice for a file followed)
UNUSABLE = "unusable"


# How many elements an <image href="…"> of an SVG file draws (the SVG file it names counted
# whole), or why it cannot be drawn: given by images.py, which knows where the file is.
Weigh = Callable[[str], "int | str"]


def svg_references(
    data: bytes, depth: int = 0, weigh: Weigh | None = None
) -> list[tuple[int, str, str]] | tuple[int | None, str]:
    """(line, reference, how) of every file an SVG would have WeasyPrint fetch (href, xlink:href but a
    link's, url(…) in an attribute or a <style>, @import, local(), an xml-stylesheet, and what an SVG
    given as a data: URI refers to: how EMBEDDED), or (line, why) it cannot be drawn: not XML, not
    <svg>, entities declared (they can expand a small file enormously), a viewBox WeasyPrint cannot
    read, nesting too deep, <use> drawing too much (Drawn), each <image> of another SVG file counted
    as `weigh` tells. Read with expat: nothing fetched, no DTD."""
    problem, found, _ = _read(data, depth, weigh)
    return found if problem is None else problem


def svg_drawn(data: bytes, weigh: Weigh) -> int | tuple[int | None, str]:
    """How many elements an SVG draws, each <use> repeated and each <image> weighed (at most
    MAX_SVG_DRAWN + 1), or (line, why) it cannot be drawn."""
    problem, _, count = _read(data, 0, weigh)
    return count if problem is None else problem


def _read(
    data: bytes, depth: int, weigh: Weigh | None
) -> tuple[tuple[int | None, str] | None, list[tuple[int, str, str]], int]:
    """(line, why) the SVG cannot be drawn or None, what svg_references() finds, and how many
    elements the SVG draws."""
    if b"<!ENTITY" in data:
        return (None, "an SVG image declaring entities (<!ENTITY …>), which images do not use: export it again"), [], 0
    parser = expat.ParserCreate(namespace_separator="}")
    parser.buffer_text = True
    found: list[tuple[int, str, str]] = []
    elements: list[str] = []
    undrawable: list[tuple[int, str]] = []
    drawn = Drawn()

    def css(line: int, text: str) -> None:
        found.extend((line + at - 1, target, how) for at, target, how in css_references(text))

    def start(name: str, attributes: dict[str, str]) -> None:
        if not found and not elements and name.rpartition("}")[2] != "svg":
            found.append((0, name.rpartition("}")[2], URL))  # the root element: not an SVG image
        elements.append(name.rpartition("}")[2])
        line = parser.CurrentLineNumber
        drawn.open(line, attributes, elements[-1])
        reason = DEEP if len(elements) > MAX_SVG_DEPTH else _viewbox_problem(attributes.get("viewBox"))
        if reason and not undrawable:  # the first reason is told
            undrawable.append((line, reason))
        for key, value in attributes.items():
            if key.rpartition("}")[2] == "href" and elements[-1] != "a":  # a link is not fetched
                found.append((line, value.strip(), URL))
                found.extend((line, target, EMBEDDED) for target in _embedded(value.strip(), depth))
            css(line, value)  # style="…", and fill="url(…)" and the other presentation attributes

    # A <style>'s text is read whole when it ends: expat hands it over in pieces (a CDATA section
    # is one), and `@import` in one piece with its address in the next is one rule to WeasyPrint.
    style: list[tuple[int, str]] = []

    def end(name: str) -> None:
        drawn.close()
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
        (parser.CurrentLineNumber, m.group(2), URL) for m in PI_HREF.finditer(text) if target == "xml-stylesheet"
    )
    try:
        parser.Parse(data, True)
    except expat.ExpatError as error:
        return (None, f"not an SVG image the builder can read ({error}): export it again"), [], 0
    return _root_problem(found) or (undrawable[0] if undrawable else drawn.problem(weigh)), found, drawn.count


class Drawn:
    """The elements an SVG draws, each <use> counted as the element it repeats: the tree as expat
    reads it, with the edges a <use href="#id"> adds."""

    def __init__(self) -> None:
        self.lines: list[int] = []
        self.edges: list[list[int]] = []
        self.uses: list[str | None] = []
        self.ids: dict[str, int] = {}
        self.open_ones: list[int] = []
        self.references: list[list[str]] = []  # the ids each element's clip-path, mask and markers name
        self.images: dict[int, str] = {}  # an <image>'s index: the file it names
        self.weights: dict[int, int] = {}  # an <image>'s index: how many elements the file it names draws
        self.count = 0  # how many elements the SVG draws, once problem() has counted them

    def open(self, line: int, attributes: dict[str, str], name: str) -> None:
        index = len(self.lines)
        if self.open_ones:
            self.edges[self.open_ones[-1]].append(index)
        self.lines.append(line)
        self.edges.append([])
        href = next((v.strip() for k, v in attributes.items() if k.rpartition("}")[2] == "href"), "")
        self.uses.append(href[1:] if name == "use" and href.startswith("#") else None)
        if name == "image" and href and not href.startswith("#") and not href.lower().startswith("data:"):
            self.images[index] = href  # another file: what it draws is drawn here (weighed by problem())
        self.references.append(_drawing_references(attributes))
        if attributes.get("id"):
            self.ids.setdefault(attributes["id"], index)
        self.open_ones.append(index)

    def close(self) -> None:
        self.open_ones.pop()

    def problem(self, weigh: Weigh | None = None) -> tuple[int, str] | None:
        """(line, why) for an SVG whose <use>, clip-path, mask or marker leads back to an element
        holding it, whose <image> of another file cannot be drawn (`weigh` tells why: one drawing
        this image again, say), or that draws more than MAX_SVG_DRAWN elements, each <image> of an
        SVG file counted as the elements that file draws (ten files each drawing the next ten times
        hung the build: attacker round 12, M2); None otherwise."""
        for index, target in enumerate(self.uses):
            if target is not None and target in self.ids:
                self.edges[index].append(self.ids[target])
        found = self._loop()
        if found is not None or not self.lines:
            return found
        for index, href in self.images.items():
            weight = 0 if weigh is None else weigh(href)
            if isinstance(weight, str):
                return self.lines[index], weight
            self.weights[index] = weight
        self.count = self._size(0)
        if self.count > MAX_SVG_DRAWN:
            return self.lines[0], (
                f"draws more than {MAX_SVG_DRAWN} elements once its <use> elements are repeated and the SVG "
                "images it draws counted, which WeasyPrint would take too long to draw: export it again flattened"
            )
        return None

    def _size(self, start: int) -> int:
        """How many elements one element draws, each <use> counted as what it repeats (no loop is
        left: _loop() has found any). Walked without recursion: a chain of a thousand <use> is a
        chain of a thousand calls."""
        size: list[int] = [0] * len(self.lines)  # 0: not counted yet
        stack = [(start, iter(self.edges[start]))]
        while stack:
            node, following = stack[-1]
            step = next(following, None)
            if step is None:
                drawn = self.weights.get(node, 0) + sum(size[e] for e in self.edges[node])
                size[node] = min(1 + drawn, MAX_SVG_DRAWN + 1)
                stack.pop()
            elif not size[step]:
                stack.append((step, iter(self.edges[step])))
        return size[start]

    def _loop(self) -> tuple[int, str] | None:
        """(line, why) of the first element whose <use>, clip-path, mask or marker leads back to
        an element holding it: WeasyPrint left the image out (attacker round 9, P11)."""
        links = [
            [(e, None) for e in edges] + [(self.ids[name], name) for name in names if name in self.ids]
            for edges, names in zip(self.edges, self.references, strict=True)
        ]
        state = [0] * len(self.lines)  # 0: not seen, 1: on the way walked, 2: done
        for start in range(len(self.lines)):
            if state[start]:
                continue
            # (a node, its next links, and the node and url(#id) it was reached by)
            stack: list[tuple[int, Iterator, tuple[int, str] | None]] = [(start, iter(links[start]), None)]
            state[start] = 1
            while stack:
                node, following, _ = stack[-1]
                step, name = next(following, (None, None))
                if step is None:
                    state[node] = 2
                    stack.pop()
                elif state[step] == 1:
                    return self._looped(stack, step, node, name)
                elif state[step] == 0:
                    state[step] = 1
                    stack.append((step, iter(links[step]), (node, name) if name else None))
        return None

    def _looped(self, stack: list, step: int, node: int, name: str | None) -> tuple[int, str]:
        """(line, why) for the loop closed by node → step: at the last url(#id) on the way, else the <use>."""
        if name is None:  # the loop came round by the elements' nesting or a <use>: the url(#…) entering it
            entered = [via for at, _, via in stack[[at for at, _, _ in stack].index(step) + 1 :] if via]
            if not entered:
                return self.lines[node], (
                    "a <use> that repeats an element holding it, which WeasyPrint cannot draw (it would "
                    "leave the image out): export it again"
                )
            node, name = entered[-1]
        return self.lines[node], (
            f"url(#{name[:60]}) refers to an element holding it, or leads back to it, which WeasyPrint cannot "
            "draw (it would leave the image out): refer to a clip path, mask or marker outside it"
        )


# An <svg> written in a page's HTML, as WeasyPrint's HTML parser names it (it draws it as an image).
INLINE_SVG = "{http://www.w3.org/2000/svg}svg"
DECLARATION = "{http://www.w3.org/2000/xmlns/}"  # an xmlns attribute: ElementTree writes its own
SVG_TAG = re.compile(r"<svg\b[^>]*>", re.IGNORECASE)


def inline_svgs(html: str) -> list[tuple[str, list[tuple[int, str, str]] | tuple[int | None, str], bytes]]:
    """(its opening tag as the HTML writes it, what svg_references finds, the image) of each outermost
    <svg> of an HTML page, read as WeasyPrint reads the page (tinyhtml5) and written out as the SVG
    image it draws: a layout's inline SVG with nested <use> hung the build for minutes (attacker round
    11, M2), one with a clip-path loop failed it at no line (S6), where the same in images/ was refused."""
    if "<svg" not in html.lower():
        return []
    from xml.etree import ElementTree

    import tinyhtml5  # WeasyPrint's parser: only a page with an inline SVG needs it

    tags = SVG_TAG.findall(html)
    every = list(tinyhtml5.parse(html, namespace_html_elements=False).iter(INLINE_SVG))
    inner = {id(element) for svg in every for element in svg.iter(INLINE_SVG) if element is not svg}
    found: list[tuple[str, list[tuple[int, str, str]] | tuple[int | None, str], bytes]] = []
    for index, svg in enumerate(every):
        if id(svg) not in inner:
            tag = tags[index] if index < len(tags) else "<svg"
            for element in svg.iter():
                for key in [key for key in element.attrib if key.startswith(DECLARATION)]:
                    del element.attrib[key]
            try:
                image = ElementTree.tostring(svg)
                found.append((tag, svg_references(image), image))
            except RecursionError:  # written out recursively: nested far past MAX_SVG_DEPTH
                found.append((tag, (None, DEEP), b""))
    return found


# The properties whose url(#id) WeasyPrint draws the element of inside the one referring to it:
# one that leads back to an element holding it left the image out (attacker round 9, P11).
DRAWN_INSIDE = ("clip-path", "mask", "marker", "marker-start", "marker-mid", "marker-end")
FRAGMENT = re.compile(r"""url\(\s*['"]?#([^'")\s]+)""")


def _drawing_references(attributes: dict[str, str]) -> list[str]:
    """The ids an element's clip-path, mask and markers name, as attributes or in style="…"."""
    import tinycss2

    values = [attributes[name] for name in DRAWN_INSIDE if name in attributes]
    style = attributes.get("style", "")
    for node in tinycss2.parse_blocks_contents(style, skip_whitespace=True) if "url(" in style else ():
        if node.type == "declaration" and node.lower_name in DRAWN_INSIDE:
            values.append(tinycss2.serialize(node.value))
    return [match.group(1) for value in values for match in FRAGMENT.finditer(value)]


def _embedded(value: str, depth: int) -> list[str]:
    """What an SVG given as a data: URI refers to (but parts of itself and data: URIs), or a
    reason as the reference when it cannot be read: refused, whatever it is."""
    if not value.lower().startswith("data:image/svg+xml"):
        return []
    return [target for target, _ in data_references(value, depth)]


def data_stylesheets(url: str, depth: int = 0) -> list[str]:
    """The text of each stylesheet a data: URI gives (data:text/css), and of those it holds in turn,
    for the checks a stylesheet file gets (a machine's font, a transform to nothing)."""
    header, comma, payload = url.partition(",")
    media = header.lower()
    if not comma or not media.startswith("data:text/css") or depth >= MAX_EMBEDDED:
        return []
    try:
        text = (base64.b64decode(payload) if media.endswith(";base64") else unquote_to_bytes(payload)).decode(
            "utf-8", errors="replace"
        )
    except (binascii.Error, ValueError):
        return []  # refused as not base64 by data_references
    inner = [t for _, target, _ in css_references(text) for t in data_stylesheets(target, depth + 1)]
    return [text, *inner]


def held_data(url: str, depth: int = 0) -> list[str]:
    """The data: URIs a data: URI's SVG image or stylesheet holds, and those they hold in turn (a
    raster image in an SVG in a stylesheet): each is measured as the outer one is."""
    header, comma, payload = url.partition(",")
    media = header.lower()
    if not comma or not media.startswith(("data:image/svg+xml", "data:text/css")) or depth >= MAX_EMBEDDED:
        return []
    try:
        inner = base64.b64decode(payload) if media.endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return []  # refused as not base64 by data_references
    if media.startswith("data:text/css"):
        found = [target for _, target, _ in css_references(inner.decode("utf-8", errors="replace"))]
    else:
        references = svg_references(inner, depth + 1)
        found = [] if isinstance(references, tuple) else [target for _, target, _ in references]
    held = [target for target in dict.fromkeys(found) if target.lower().startswith("data:")]
    return held + [deeper for target in held for deeper in held_data(target, depth + 1)]


def data_references(url: str, depth: int = 0) -> list[tuple[str, str]]:
    """(reference, how) of what a data: URI's SVG image or stylesheet refers to, but parts of itself
    and the data: URIs it holds, which are read in turn (an SVG in a stylesheet in a layout); a
    reason as the reference when it cannot be read. WeasyPrint fetches what the decoded content
    names as it fetches a file's: check and the build refuse it at the line holding the URI."""
    header, comma, payload = url.partition(",")
    media = header.lower()
    if not comma or not media.startswith(("data:image/svg+xml", "data:text/css")):
        return []
    if depth >= MAX_EMBEDDED:
        return [(f"{url[:40]}… (a data: URI in a data: URI …, {MAX_EMBEDDED} deep)", UNUSABLE)]
    try:
        inner = base64.b64decode(payload) if media.endswith(";base64") else unquote_to_bytes(payload)
    except (binascii.Error, ValueError):
        return [(f"{url[:40]}… (not base64)", UNUSABLE)]
    if media.startswith("data:text/css"):
        found = [(target, how) for _, target, how in css_references(inner.decode("utf-8", errors="replace"))]
    else:
        references = svg_references(inner, depth + 1)
        if isinstance(references, tuple):
            return [(f"{url[:40]}… ({references[1]})", UNUSABLE)]
        found = [(target, how) for _, target, how in references]
    kept = []
    for target, how in found:
        if target.lower().startswith("data:"):
            kept += data_references(target, depth + 1)
        elif target and not target.startswith("#") and how != EMBEDDED:  # an SVG's embedded: read above
            kept.append((target, how))
    return list(dict.fromkeys(kept))


# The SVG elements that set text, and the family WeasyPrint sets it in when none is given.
TEXTS, DEFAULT_FAMILY = {"text", "tspan", "textPath"}, "sans-serif"


def svg_font_families(data: bytes, unset: str | None = DEFAULT_FAMILY) -> list[tuple[int, str]]:
    """(line, font-family value) of each text of an SVG, at the line of the element that gives its
    family (an attribute, style="…" or font shorthand, inherited as WeasyPrint inherits it; none
    given: the text's line and `unset`, unless a <style> may give it; an SVG written in a page sets
    it in the page's font, unset None). WeasyPrint sets the text in a font of the machine where
    that is not a family of fonts.css."""
    import tinycss2

    parser = expat.ParserCreate(namespace_separator="}")
    given: list[tuple[int, str] | None] = []
    found: list[tuple[int, str]] = []
    styled = b"<style" in data and b"font" in data  # a <style> rule may set it: left to machine_fonts()

    def start(name: str, attributes: dict[str, str]) -> None:
        family = attributes.get("font-family")
        if "font" in attributes and len(attributes["font"].split(maxsplit=1)) == 2:
            family = attributes["font"].split(maxsplit=1)[1]
        for node in tinycss2.parse_blocks_contents(attributes.get("style", ""), skip_whitespace=True):
            if node.type == "declaration" and node.lower_name == "font-family":
                family = tinycss2.serialize(node.value)
        line = parser.CurrentLineNumber
        given.append((line, family) if family else given[-1] if given else None)
        if name.rpartition("}")[2] in TEXTS and (given[-1] is not None or not styled and unset):
            found.append(given[-1] or (line, unset or DEFAULT_FAMILY))

    parser.StartElementHandler = start
    parser.EndElementHandler = lambda name: given.pop()
    try:
        parser.Parse(data, True)
    except expat.ExpatError:
        return []  # told by svg_references()
    return list(dict.fromkeys(found))


def _root_problem(found: list[tuple[int, str, str]]) -> tuple[None, str] | None:
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
