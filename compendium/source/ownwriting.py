"""What a project's own layouts and stylesheets print themselves, checked at their line: an image
without alt text, and a character the fonts lack (attacker round 10, S13 and S14)."""

from __future__ import annotations

import re
from functools import partial
from html.parser import HTMLParser

from ..model import Origin
from .problems import Problems
from .textcheck import ZERO_WIDTH, check_text

# PDF/UA needs a text for each image: WeasyPrint says so as it writes the PDF, naming no line.
NO_ALT = (
    'an image without alt text ({src}): the PDF must say what each image shows; give the <img> an alt="…" that says it'
)
# An <img>, and an <input type="image"> (an image all the same: round 13, S3).
IMAGE = re.compile(
    r"""<(?:img|input(?=(?:[^>"']|"[^"]*"|'[^']*')*\stype\s*=\s*["']?image\b))\b(?:[^>"']|"[^"]*"|'[^']*')*>""",
    re.IGNORECASE,
)
# An <svg> a layout writes that draws an <image>, and what says what it shows (round 13, S3).
SVG_IMAGE = re.compile(r"<svg\b(?:(?!</svg>).)*?<image\b(?:(?!</svg>).)*", re.IGNORECASE | re.DOTALL)
LABELLED = re.compile(r"<title\b|\saria-label(?:ledby)?\s*=\s*[\"']?[^\s\"'>]", re.IGNORECASE)
HREF = re.compile(r"""<image\b[^>]*?\shref\s*=\s*["']([^"']*)""", re.IGNORECASE)
# An alt of white space only is no text (round 13, S3).
ALT = re.compile(r"""\salt\s*=\s*(?:"[^"]*[^"\s][^"]*"|'[^']*[^'\s][^']*'|[^\s>"']+)""", re.IGNORECASE)
SRC = re.compile(r"""\ssrc\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s>"']+))""", re.IGNORECASE)
# An image's address the builder refuses (a web address, a file of the machine): said so at its line.
ELSEWHERE = re.compile(r"\s*(?!data:)([a-z][a-z0-9+.-]*:|/)", re.IGNORECASE)
# A layout's Jinja: what it prints is the source's (checked there) or the interface catalogue's.
JINJA = re.compile(r"\{\{.*?\}\}|\{%.*?%\}|\{#.*?#\}", re.DOTALL)
NOT_SET = ("style", "script")  # elements whose text is never set on a page
# A stylesheet's text printed on the pages: the strings of `content` and `quotes`.
PRINTED = re.compile(r"(?:^|[;{\s])(?:content|quotes)\s*:([^;}]*)", re.IGNORECASE)
STRING = re.compile(r""""((?:[^"\\\n]|\\.)*)"|'((?:[^'\\\n]|\\.)*)'""", re.DOTALL)
ESCAPE = re.compile(r"\\([0-9a-fA-F]{1,6})[ \t\n]?|\\(.)", re.DOTALL)
COMMENT = re.compile(r"/\*.*?\*/", re.DOTALL)


def _blanked(pattern: re.Pattern[str], text: str) -> str:
    """The text with each match replaced by spaces, its line breaks kept: lines still count."""
    return pattern.sub(lambda m: re.sub(r"[^\n]", " ", m[0]), text)


def images_without_alt(text: str) -> list[tuple[int, str]]:
    """(line, src) of each <img> a layout writes with no alt text, or an empty one, and of each
    <svg> drawing an <image> with neither a <title> nor an aria-label to say what it shows."""
    found = []
    text = _blanked(re.compile(r"\{#.*?#\}", re.DOTALL), text)
    for match in IMAGE.finditer(text):
        if ALT.search(match[0]):
            continue
        src = SRC.search(match[0])
        found.append((text.count("\n", 0, match.start()) + 1, next((s for s in src.groups() if s), "") if src else ""))
    for match in SVG_IMAGE.finditer(text):
        if not LABELLED.search(match[0]):
            href = HREF.search(match[0])
            found.append((text.count("\n", 0, match.start()) + 1, href[1] if href else "<svg><image>"))
    return sorted(found)


class TextRuns(HTMLParser):
    """The text an HTML page or a layout sets on the pages, each run with its line: but a <style>'s
    or <script>'s (a rule's `@page` printed no '@', and a project font without one was refused for
    it: attacker round 9, P12), and with the values of the `shown` attributes, which a stylesheet's
    attr() prints (a character the fonts lack given so was found only as it was drawn: round 12, S1)."""

    def __init__(self, shown: frozenset[str] = frozenset()) -> None:
        super().__init__(convert_charrefs=True)
        self.runs: list[tuple[int, str]] = []
        self.hidden = 0
        self.shown = shown

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in NOT_SET:
            self.hidden += 1
        self.runs += [(self.getpos()[0], value) for name, value in attrs if value and name in self.shown]

    def handle_endtag(self, tag: str) -> None:
        if tag in NOT_SET and self.hidden:
            self.hidden -= 1

    def handle_data(self, data: str) -> None:
        if not self.hidden:
            self.runs.append((self.getpos()[0], data))


def check_layout_images(text: str, name: str, problems: Problems) -> None:
    """A warning for each image a project layout writes without alt text, at its line, as the
    build warns; none for an image that is refused as it is (at a line already refused, or from
    another place than the project's files or a data: URI): it is never printed."""
    refused = {problem.origin.line for problem in problems.errors if problem.origin.file == name}
    for line, src in images_without_alt(text):
        if line not in refused and not ELSEWHERE.match(src):
            problems.warning(Origin(name, line), "", NO_ALT.format(src=src or "no src"))


def check_layout_writing(text: str, name: str, problems: Problems) -> None:
    """The characters a project layout's own text holds that the fonts lack (or that may not be
    printed), each at its line."""
    parser = TextRuns()
    parser.feed(_blanked(JINJA, text))
    parser.close()
    for line, written in parser.runs:
        run = "".join(char for char in written if char not in ZERO_WIDTH)  # a word joiner is a layout's to place
        check_text(run, partial(_in_run, name, line, run), problems)


def check_css_writing(text: str, name: str, problems: Problems) -> None:
    """The characters a project stylesheet prints (its `content` and `quotes` strings, escapes
    read) that the fonts lack, each at its line."""
    text = _blanked(COMMENT, text)
    for declaration in PRINTED.finditer(text):
        for string in STRING.finditer(declaration[1]):
            value = ESCAPE.sub(_unescaped, string[1] if string[1] is not None else string[2])
            line = text.count("\n", 0, declaration.start(1) + string.start()) + 1
            check_text(value, partial(_at, name, line), problems)


def _in_run(name: str, line: int, run: str, char: str) -> Origin:
    """Where a character of a layout's run of text is: its first line, and the lines before it."""
    return Origin(name, line + run[: run.find(char)].count("\n"))


def _at(name: str, line: int, char: str) -> Origin:
    return Origin(name, line)


def _unescaped(match: re.Match[str]) -> str:
    if match[1]:
        code = int(match[1], 16)
        return chr(code) if 0 < code <= 0x10FFFF and not 0xD800 <= code <= 0xDFFF else "\ufffd"
    return "" if match[2] == "\n" else match[2]
