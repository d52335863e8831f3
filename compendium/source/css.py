"""What a stylesheet refers to, read as WeasyPrint reads CSS: url(…), @import and local() fonts."""

from __future__ import annotations

import re

URL, IMPORT, LOCAL = "url", "import", "local"
# Read twice: by this pattern, as written, and by tinycss2 as WeasyPrint reads CSS (escapes and
# comments undone: `@import"https://…"`, `\75rl(…)`, `url(https\:\/\/…)` slipped past the pattern alone).
CSS_URL = re.compile(r"""url\(\s*(['"]?)(?P<url>.*?)\1\s*\)|@import\s+(['"])(?P<imported>.*?)\3""", re.IGNORECASE)
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)
# A font of the machine: WeasyPrint asks fontconfig for its file, which the fetcher then refuses
# without knowing which rule asked for it.
LOCAL_FONT = (
    "a font of this machine (local({target})): only fonts from fonts/ may be used (src: url(…) of a file "
    "in the project's or the builder's fonts/)"
)


def css_references(text: str) -> list[tuple[int, str, str]]:
    """(line, reference, how) for each url(…), @import (how: IMPORT) and local() font (LOCAL) of a
    CSS text or attribute value, as written and as tinycss2 reads it; lines from 1, each reference
    once, at its first line."""
    import tinycss2

    uncommented = COMMENT.sub(lambda comment: "\n" * comment.group(0).count("\n"), text)
    found = [
        (
            uncommented.count("\n", 0, m.start()) + 1,
            m.group("url" if m.group("url") is not None else "imported").strip(),
            URL if m.group("url") is not None else IMPORT,
        )
        for m in CSS_URL.finditer(uncommented)
        if "\\" not in m.group(0)  # an escape: tinycss2's reading below is what WeasyPrint fetches
    ]
    pending = [tinycss2.parse_component_value_list(text)]
    while pending:  # blocks and functions nest: walked without recursion
        tokens = [t for t in pending.pop() if t.type not in ("whitespace", "comment")]
        for token, following in zip(tokens, [*tokens[1:], None][: len(tokens)], strict=True):  # [] when empty
            found += _token_references(token, following)
            nested = getattr(token, "content", None) or getattr(token, "arguments", None)
            if isinstance(nested, list):
                pending.append(nested)
    first: dict[tuple[str, str], int] = {}
    for line, target, how in found:
        first[target, how] = min(line, first.get((target, how), line))
    return sorted(((line, target, how) for (target, how), line in first.items()), key=lambda item: item[0])


def _token_references(token, following) -> list[tuple[int, str, str]]:
    """What one tinycss2 token refers to (the token after it: an @import's address)."""
    line = token.source_line
    if token.type == "url":
        return [(line, token.value.strip(), URL)]
    if token.type == "function" and token.lower_name in ("url", "src"):
        return [(line, arg.value.strip(), URL) for arg in token.arguments if arg.type == "string"]
    if token.type == "function" and token.lower_name == "local":
        name = " ".join(str(arg.value) for arg in token.arguments if arg.type in ("string", "ident"))
        return [(line, name, LOCAL)]
    if token.type == "at-keyword" and token.lower_value == "import" and following is not None:
        if following.type in ("string", "url"):
            return [(line, following.value.strip(), IMPORT)]
        if following.type == "function" and following.lower_name == "url":
            return [(line, arg.value.strip(), IMPORT) for arg in following.arguments if arg.type == "string"]
    return []


# A page's own CSS: a <style> element's text and a style="…" attribute.
STYLED = re.compile(r"<style\b[^>]*>(.*?)</style>|\bstyle=\"([^\"]*)\"", re.IGNORECASE | re.DOTALL)


def styled_references(html: str) -> list[tuple[str, str]]:
    """(reference, how) of the CSS a rendered page holds in <style> elements and style="…"
    attributes (layouts may write them): WeasyPrint fetches them as it fetches a stylesheet's."""
    from html import unescape

    found = []
    for match in STYLED.finditer(html):
        text = match.group(1) if match.group(1) is not None else unescape(match.group(2))
        found += [(target, how) for _, target, how in css_references(text)]
    return list(dict.fromkeys(found))


def styled_data_fonts(html: str) -> list[str]:
    """The data: URIs an @font-face of a rendered page's <style> elements gives as fonts."""
    found = [target for match in STYLED.finditer(html) if match.group(1) for _, target in data_fonts(match.group(1))]
    return list(dict.fromkeys(found))


# The families a font-family list may end in, each set in a font of the machine.
GENERIC = {
    "serif", "sans-serif", "monospace", "cursive", "fantasy", "system-ui", "math", "emoji", "fangsong",
    "ui-serif", "ui-sans-serif", "ui-monospace", "ui-rounded",
}  # fmt: skip
KEYWORDS = {"inherit", "initial", "unset", "revert", "revert-layer"}


def font_face_families(text: str) -> set[str]:
    """The font families a stylesheet (fonts.css) declares with @font-face."""
    import tinycss2

    families = set()
    for rule in tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True):
        if rule.type == "at-rule" and rule.lower_at_keyword == "font-face" and rule.content is not None:
            for node in tinycss2.parse_blocks_contents(rule.content, skip_comments=True, skip_whitespace=True):
                if node.type == "declaration" and node.lower_name == "font-family":
                    families.update(_family_names(node.value) or [])
    return families


DATA_FONT = (
    "a font given as a data: URI ({target}…): expected a font file of fonts/ named by url(), which check and the "
    "build open and measure (a damaged font, the characters it has)"
)


def data_fonts(text: str) -> list[tuple[int, str]]:
    """(line, URI) of each data: URI an @font-face's src gives as a font (attacker round 11, S3): a
    font must be a file of fonts/, where check and the build measure it (source/fonts.py)."""
    import tinycss2

    lines = []
    pending = [tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)]
    while pending:  # @font-face may sit in @media or @supports
        for node in pending.pop():
            if node.type != "at-rule" or node.content is None:
                continue
            if node.lower_at_keyword != "font-face":
                pending.append(tinycss2.parse_stylesheet(node.content, skip_comments=True, skip_whitespace=True))
                continue
            for item in tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True):
                if item.type == "declaration" and item.lower_name == "src":
                    found = [ref for token in item.value for ref in _token_references(token, None)]
                    lines += [(line, target) for line, target, how in found if how == URL and _data(target)]
    return lines


# PDF/UA needs a text for each image, and an image a stylesheet sets as an element's content has
# none: WeasyPrint wrote it with no /Alt, and `check --strict` passed it (attacker round 12, S3).
# A list's marker image (list-style-image, or the list-style shorthand) is the same case (round 13, S3).
CONTENT_IMAGE = (
    "an image set by {property}: url({target}), which the PDF cannot give a text saying what it shows: "
    'put it in a layout as an <img> with alt="…"'
)
IMAGE_PROPERTIES = ("content", "list-style-image", "list-style")


def content_images(text: str, declared: bool = False) -> list[tuple[int, str, str]]:
    """(line, property, URL) of each image a stylesheet's (or a style="…"'s, `declared`) `content`
    sets as an element's content, or its `list-style-image` as a list's marker, in url(),
    image-set() or any function."""
    import tinycss2

    nodes = declarations(text) if not declared else tinycss2.parse_blocks_contents(text, skip_comments=True)
    found = []
    for node in nodes:
        if node.type != "declaration" or node.lower_name not in IMAGE_PROPERTIES:
            continue
        pending = list(node.value)
        while pending:
            token = pending.pop(0)
            references = _token_references(token, None)
            found += [(line, node.lower_name, target) for line, target, how in references if how == URL]
            if token.type == "function" and token.lower_name not in ("url", "src"):
                pending += token.arguments
    return found


def styled_content_images(html: str) -> list[tuple[str, str]]:
    """(property, URL) of each image a rendered page's <style> elements and style="…" attributes
    set as content or as a list's marker."""
    from html import unescape

    found = []
    for match in STYLED.finditer(html):
        text, declared = (match.group(1), False) if match.group(1) is not None else (unescape(match.group(2)), True)
        found += [(what, target) for _, what, target in content_images(text, declared)]
    return list(dict.fromkeys(found))


def _data(target: str) -> bool:
    return target.lower().startswith("data:")


def declarations(text: str) -> list:
    """Every declaration of a stylesheet, in its rules and in the rules nested in @media and
    @supports (walked without recursion), but @font-face's (a declaration of a family, not a use)."""
    import tinycss2

    found = []
    pending = [tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)]
    while pending:
        for node in pending.pop():
            if node.type == "at-rule" and node.lower_at_keyword == "font-face":
                continue
            if node.type in ("qualified-rule", "at-rule") and node.content is not None:
                pending.append(tinycss2.parse_blocks_contents(node.content, skip_comments=True, skip_whitespace=True))
            elif node.type == "declaration":
                found.append(node)
    return found


def machine_fonts(text: str, families: set[str]) -> list[tuple[int, str]]:
    """(line, why) for each font-family declaration (or --font… custom property) of a stylesheet
    that reaches a font of the machine before one of `families`: a name fonts.css does not
    declare, or a generic family (monospace). The build found it only once laid out, and a
    generic one at no line."""
    found = []
    given = declarations(text)
    defined = {node.name: node.value for node in given if node.name.startswith("--")}
    for node in given:
        if node.lower_name == "font-family" or node.name.startswith("--font"):
            why = _machine_family(_family_names(_substituted(node.value, defined)), families)
            if why is not None:
                found.append((node.source_line, why))
    return sorted(found)


# A transform that flattens what it applies to (a zero scale, a matrix without an inverse):
# WeasyPrint draws nothing of it, and stopped writing the tagged PDF on the text it had not drawn
# ("KeyError: <TextBox p>", at no line: attacker round 8, N7).
FLATTENING = (
    "transform: {value}: flattens what it applies to to nothing (a scale of 0, or a matrix without an "
    "inverse), which WeasyPrint cannot write into a tagged PDF and no reader would see; remove it"
)


def flattening_transforms(text: str) -> list[tuple[int, str]]:
    """(line, why) for each transform declaration of a stylesheet that flattens what it applies to."""
    import tinycss2

    found = []
    for node in declarations(text):
        if node.lower_name == "transform" and any(_flattens(token) for token in node.value):
            found.append((node.source_line, FLATTENING.format(value=tinycss2.serialize(node.value).strip()[:80])))
    return sorted(found)


def _flattens(token) -> bool:
    """Whether a transform function scales by 0 or is a matrix whose determinant is 0."""
    if token.type != "function":
        return False
    numbers = [arg.value for arg in token.arguments if arg.type in ("number", "percentage")]
    name = token.lower_name
    if name in ("scale", "scalex", "scaley"):
        return 0 in numbers
    if name == "matrix" and len(numbers) == 6:
        return numbers[0] * numbers[3] - numbers[1] * numbers[2] == 0
    return False


def family_problem(value: str, families: set[str]) -> str | None:
    """Why a font-family value as an SVG writes it (an attribute, a style="…") sets text in a font
    of the machine before one of `families`, or None: the rule of machine_fonts()."""
    import tinycss2

    return _machine_family(_family_names(tinycss2.parse_component_value_list(value)), families)


def _substituted(tokens: list, defined: dict[str, list], depth: int = 0) -> list:
    """The tokens with each var(--x, fallback) replaced by the value the stylesheet gives --x, else
    by its fallback: a family of the machine named through a variable passed check (attacker
    round 12, S2). A var() of a property defined elsewhere stays, and the value is not judged."""
    found: list = []
    for token in tokens:
        if token.type != "function" or token.lower_name != "var" or depth > 10:
            found.append(token)
            continue
        arguments = [a for a in token.arguments if a.type not in ("whitespace", "comment")]
        name = arguments[0].value if arguments and arguments[0].type == "ident" else ""
        comma = next((i for i, a in enumerate(token.arguments) if a.type == "literal" and a.value == ","), None)
        if name in defined:
            found += _substituted(defined[name], defined, depth + 1)
        elif comma is not None:
            found += _substituted(token.arguments[comma + 1 :], defined, depth + 1)
        else:
            found.append(token)
    return found


def _family_names(tokens) -> list[str] | None:
    """The names of a font-family value; None when it is not a plain list of names (var())."""
    names: list[str] = []
    current: list[str] = []
    for token in tokens:
        if token.type == "literal" and token.value == ",":
            names.append(" ".join(current))
            current = []
        elif token.type in ("string", "ident"):
            current.append(token.value)
        elif token.type not in ("whitespace", "comment"):
            return None
    return [name for name in [*names, " ".join(current)] if name]


def _machine_family(names: list[str] | None, families: set[str]) -> str | None:
    """Why the first family of a font-family list that would be used is the machine's, or None."""
    if not names or names[0].lower() in KEYWORDS:
        return None
    declared = ", ".join(sorted(families)) or "none"
    for name in names:
        if name.lower() in {family.lower() for family in families}:  # CSS matches names in any case
            return None
        if name.lower() in GENERIC:
            return (
                f"font-family {name}: a generic family, set in a font of this machine; name a family of "
                f"styles/fonts.css before it (the families: {declared})"
            )
        return (
            f"font-family '{name}': a font of this machine, not a family of styles/fonts.css (the families: {declared})"
        )
    return None


# Selectors and functions nested deeper than this: WeasyPrint's parsers of selectors (cssselect2)
# and of calc() recurse once for each level, and ran out of Python's stack at some hundreds, at no
# line (attacker round 12, S7); a stylesheet written by hand nests a few.
MAX_NESTING = 32
NESTED = (
    "{what} nested more than {limit} deep (brackets, :not(), calc() and the like within one another), "
    "which WeasyPrint cannot read: write it flatter"
)


def deep_nesting(text: str) -> list[tuple[int, str]]:
    """(line, why) for each place a stylesheet nests blocks or functions more than MAX_NESTING deep;
    walked without recursion (tinycss2 reads any depth, WeasyPrint does not)."""
    import tinycss2

    found: dict[int, str] = {}
    pending = [(tinycss2.parse_component_value_list(text, skip_comments=True), 0)]
    while pending:
        tokens, depth = pending.pop()
        for token in tokens:
            inner = token.arguments if token.type == "function" else getattr(token, "content", None)
            if token.type not in ("function", "() block", "[] block", "{} block") or inner is None:
                continue
            if depth + 1 > MAX_NESTING:
                what = f"{token.name}()" if token.type == "function" else token.type.replace(" block", "")
                found.setdefault(token.source_line, NESTED.format(what=what, limit=MAX_NESTING))
                continue
            pending.append((inner, depth + 1))
    return sorted(found.items())


def page_sizes(text: str) -> list[tuple[int, str]]:
    """(line, value) for each `size` an @page rule of a stylesheet sets (in @media too), its value
    as written, without !important."""
    import tinycss2

    found = []
    pending = [(tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True), False)]
    while pending:
        nodes, in_page = pending.pop()
        for node in nodes:
            if node.type in ("qualified-rule", "at-rule") and node.content is not None:
                page = in_page or (node.type == "at-rule" and node.lower_at_keyword == "page")
                pending.append((tinycss2.parse_blocks_contents(node.content, skip_comments=True), page))
            elif node.type == "declaration" and in_page and node.lower_name == "size":
                found.append((node.source_line, " ".join(tinycss2.serialize(node.value).split())))
    return sorted(found)


def styled_nesting(html: str) -> list[tuple[str, str]]:
    """(the line as written, why) for the CSS of a rendered page's <style> elements and style="…"
    attributes nested deeper than WeasyPrint reads, as deep_nesting() tells a stylesheet's."""
    from html import unescape

    found = []
    for match in STYLED.finditer(html):
        text = match.group(1) if match.group(1) is not None else unescape(match.group(2))
        lines = text.splitlines() or [""]
        found += [(lines[min(line, len(lines)) - 1].strip()[:60], why) for line, why in deep_nesting(text)]
    return list(dict.fromkeys(found))


MM = {"mm": 1.0, "cm": 10.0, "q": 0.25, "in": 25.4, "pt": 25.4 / 72, "pc": 25.4 / 6, "px": 25.4 / 96}
# The type area an @page rule's margins must leave on the smallest page its stylesheet applies to:
# 140 × 104 mm margins on A4 left 2 × 17 mm, and the build blamed the stylesheet's first line for
# the texts it could not print (attacker round 13, S2).
MIN_TYPE_AREA = (60.0, 90.0)
TYPE_AREA = (
    "@page margin: leaves a type area of {width:.0f} × {height:.0f} mm on an {paper} page (at least "
    "{least[0]:.0f} × {least[1]:.0f} mm is needed to print the texts): make the margins smaller"
)


def page_margins(text: str, paper: tuple[float, float]) -> list[tuple[int, float, float]]:
    """(line, width, height) of the type area each @page rule (in @media too) leaves on a page
    of `paper` (mm), at the line of its last margin declaration; a rule whose margins are not all
    lengths (var(), calc(), em) is left out: its type area is not known here."""
    import tinycss2

    found = []
    pending = [tinycss2.parse_stylesheet(text, skip_comments=True, skip_whitespace=True)]
    while pending:
        for node in pending.pop():
            if node.type != "at-rule" or node.content is None:
                continue
            if node.lower_at_keyword != "page":
                pending.append(tinycss2.parse_blocks_contents(node.content, skip_comments=True))
                continue
            sides, line = _margins(tinycss2.parse_blocks_contents(node.content, skip_comments=True), paper)
            if line and None not in sides:
                top, right, bottom, left = (side or 0.0 for side in sides)
                found.append((line, paper[0] - left - right, paper[1] - top - bottom))
    return sorted(found)


def _margins(nodes, paper: tuple[float, float]) -> tuple[list[float | None], int]:
    """The four margins (mm, None when unknown) an @page rule's declarations set, and the line of
    the last one (0 when none)."""
    sides: list[float | None] = [0.0, 0.0, 0.0, 0.0]
    line = 0
    names = ("margin-top", "margin-right", "margin-bottom", "margin-left")
    for node in nodes:
        if node.type != "declaration" or not node.lower_name.startswith("margin"):
            continue
        values = [token for token in node.value if token.type not in ("whitespace", "comment")]
        if node.lower_name == "margin" and 1 <= len(values) <= 4:
            values = [values[i] for i in ((0, 0, 0, 0), (0, 1, 0, 1), (0, 1, 2, 1), (0, 1, 2, 3))[len(values) - 1]]
            sides = [_mm(value, paper[side % 2 == 0]) for side, value in enumerate(values)]
        elif node.lower_name in names and len(values) == 1:
            side = names.index(node.lower_name)
            sides[side] = _mm(values[0], paper[side % 2 == 0])
        else:
            continue
        line = node.source_line
    return sides, line


def _mm(token, reference: float) -> float | None:
    """A length in mm; a percentage of `reference`; None for what is not known here."""
    if token.type == "percentage":
        return token.value * reference / 100
    if token.type == "number" and token.value == 0:
        return 0.0
    if token.type == "dimension" and token.lower_unit in MM:
        return token.value * MM[token.lower_unit]
    return None


def printing_declarations(text: str) -> list[tuple[int, str, str]]:
    """(line, property, keyword) of each declaration of a stylesheet that prints characters its
    text does not hold: text-transform (full-width), list-style(-type) (a counter style's symbols)."""
    found = []
    for node in declarations(text):
        if node.lower_name in ("text-transform", "list-style-type", "list-style"):
            found += [(node.source_line, node.lower_name, t.lower_value) for t in node.value if t.type == "ident"]
    return found
