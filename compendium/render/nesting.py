"""How deep the rendered HTML's elements nest: deeper than WeasyPrint can lay out is a layout's fault."""

from __future__ import annotations

import re

from ..source.project import Project

# The deepest the HTML's elements may nest. WeasyPrint lays boxes out recursively and stops with a
# RecursionError somewhere past 120 (Python's default limit); the builder's own pages nest about
# 15 deep.
MAX_NESTING = 100
# Elements whose end tag HTML never leaves out: counting only them never overstates the depth
# (a <p> or <li> left open is closed by the parser, so it is not counted).
CLOSED = (
    "div|span|section|article|aside|nav|header|footer|main|figure|blockquote|table|ul|ol|dl|a|em|strong|b|i|u|"
    "small|sub|sup|abbr|cite|code|q|s|mark|h[1-6]|svg|g"
)
TAG = re.compile(rf"<(/?)({CLOSED})\b[^>]*?(/?)>", re.IGNORECASE)


def too_deep(html: str) -> tuple[str, list[str]] | None:
    """The opening tag at which the HTML's elements first nest deeper than MAX_NESTING, and the
    opening tags of the elements around it (outermost first), or None."""
    around: list[str] = []
    for match in TAG.finditer(html):
        if match.group(3):
            continue  # <g/>: opened and closed at once
        if match.group(1):
            if around:
                around.pop()
            continue
        if len(around) >= MAX_NESTING:
            return match.group(0), around
        around.append(match.group(0))
    return None


def nesting_problem(html: str, project: Project) -> str | None:
    """One line for HTML nested deeper than WeasyPrint lays out, at the line of the project's
    layout that writes the element where it goes too deep (or, when that element is written with
    expressions, the nearest element around it written as rendered): WeasyPrint's RecursionError
    was blamed on the builder."""
    found = too_deep(html)
    if found is None:
        return None
    tag, around = found
    return (
        f"{_written_at(project, tag, around)}the layouts nest elements more than {MAX_NESTING} deep "
        f"(at {_shown(tag)}), deeper than WeasyPrint lays out: does a loop open more elements than it closes?"
    )


def _shown(tag: str) -> str:
    """An opening tag as a message quotes it: its name and class, never cut inside an attribute."""
    name = re.match(r"<(\w+)", tag)
    if name is None or len(tag) <= 60:
        return tag
    kind = re.search(r'\bclass="([^"]{0,40})"', tag)
    return f'<{name.group(1)} class="{kind.group(1)}">' if kind else f"<{name.group(1)}>"


def _written_at(project: Project, tag: str, around: list[str]) -> str:
    """ "layouts/x.html:3: " for the first line of a project's own layout writing the tag as it is
    rendered, else an element around it with attributes (a bare <div> is on many lines), else the
    tag's element, else a bare element around it; "" when none is."""
    from ..source.inputs import refusal

    own = project.root / "layouts"
    if not own.is_dir() or refusal(own, project.root) is not None:
        return ""
    element = re.match(r"<\w+", tag)
    inner = around[::-1]
    written = [tag, *(t for t in inner if " " in t), element.group(0) if element else tag, *inner]
    files = []
    for path in sorted(own.rglob("*.html")):
        if refusal(path, project.root) is not None or not path.is_file():
            continue
        try:
            files.append((path, path.read_text(encoding="utf-8").splitlines()))
        except (OSError, UnicodeDecodeError):
            continue
    for text in dict.fromkeys(written):
        for path, lines in files:
            number = next((n for n, line in enumerate(lines, 1) if text in line), None)
            if number is not None:
                return f"layouts/{path.relative_to(own).as_posix()}:{number}: "
    return ""
