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


def too_deep(html: str) -> str | None:
    """The opening tag at which the HTML's elements first nest deeper than MAX_NESTING, or None."""
    depth = 0
    for match in TAG.finditer(html):
        if match.group(3):
            continue  # <g/>: opened and closed at once
        depth += -1 if match.group(1) else 1
        if depth > MAX_NESTING:
            return match.group(0)
    return None


def nesting_problem(html: str, project: Project) -> str | None:
    """One line for HTML nested deeper than WeasyPrint lays out, at the line of the project's
    layout that writes the element where it goes too deep: WeasyPrint's RecursionError was
    blamed on the builder."""
    tag = too_deep(html)
    if tag is None:
        return None
    return (
        f"{_written_at(project, tag)}the layouts nest elements more than {MAX_NESTING} deep (at {tag[:60]}), "
        "deeper than WeasyPrint lays out: does a loop open more elements than it closes?"
    )


def _written_at(project: Project, tag: str) -> str:
    """ "layouts/x.html:3: " for the first line of a project's own layout writing the tag as it is
    rendered, or else its element; "layouts: " when none does."""
    from ..source.inputs import refusal

    own = project.root / "layouts"
    if not own.is_dir() or refusal(own, project.root) is not None:
        return "layouts: "
    element = re.match(r"<\w+", tag)
    for written in (tag, element.group(0) if element else tag):
        for path in sorted(own.rglob("*.html")):
            if refusal(path, project.root) is not None or not path.is_file():
                continue
            try:
                lines = path.read_text(encoding="utf-8").splitlines()
            except (OSError, UnicodeDecodeError):
                continue
            number = next((n for n, line in enumerate(lines, 1) if written in line), None)
            if number is not None:
                return f"layouts/{path.relative_to(own).as_posix()}:{number}: "
    return "layouts: "
