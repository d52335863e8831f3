"""How deep a template's expressions and blocks may nest: deeper than Jinja or Python can take is one located line."""

from __future__ import annotations

import re
from collections.abc import Callable

from jinja2 import TemplateSyntaxError, nodes
from jinja2.parser import Parser

# The deepest a template's nodes may nest (brackets, parentheses, operators, blocks in each other).
# Jinja's parser recursed past Python's limit at 95 brackets, 120 parentheses or 3,000 terms of a
# sum: a RecursionError traceback from check, and the build blamed compendium.html (attacker round
# 12, M3). The builder's own layouts nest 10 deep.
MAX_DEPTH = 50
DEBUG_INFO = re.compile(r"^debug_info = '(?P<map>[\d=&]*)'$", re.MULTILINE)


class TooDeep(TemplateSyntaxError):
    """A template nested deeper than it can be compiled: `said(subject)` is its one line's text."""

    def __init__(self, what: str, why: str, lineno: int, name: str | None, filename: str | None) -> None:
        self.what, self.why = what, why
        super().__init__(self.said("the layout"), lineno, name, filename)

    def said(self, subject: str) -> str:
        return f"{subject} nests {self.what} too deeply ({self.why})"


def parsed(parse: Callable[[], nodes.Template], name: str | None, filename: str | None) -> nodes.Template:
    """parse()'s tree; TooDeep at the line where it nests past what Jinja's parser, or MAX_DEPTH, allows."""
    try:
        tree = parse()
    except RecursionError as error:
        line = 1
        trace = error.__traceback__
        while trace is not None:  # the line the parser had reached, in its innermost frame
            parser = trace.tb_frame.f_locals.get("self")
            if isinstance(parser, Parser):
                line = parser.stream.current.lineno
            trace = trace.tb_next
        why = f"Jinja's parser stopped at Python's recursion limit: keep them within {MAX_DEPTH} levels"
        raise TooDeep("expressions", why, line, name, filename) from None
    deepest = _past_limit(tree)
    if deepest is not None:
        why = f"more than {MAX_DEPTH} levels of brackets, operators or blocks in each other"
        raise TooDeep("expressions or blocks", why, getattr(deepest, "lineno", 1) or 1, name, filename)
    return tree


def _past_limit(tree: nodes.Node) -> nodes.Node | None:
    """The first node nested deeper than MAX_DEPTH, looked for without recursion."""
    waiting = [(tree, 0)]
    while waiting:
        node, depth = waiting.pop()
        if depth > MAX_DEPTH:
            return node
        waiting.extend((child, depth + 1) for child in node.iter_child_nodes())
    return None


def compiled(compile_python: Callable[[], object], python: str, filename: str | None) -> object:
    """compile_python()'s code; TooDeep at the template's line when Python refuses the code Jinja
    made of it for its nesting (21 loops in each other, 100 ifs), found through the line map Jinja
    writes into that code: the error named a line of the generated Python (attacker round 12, S5)."""
    try:
        return compile_python()
    except (SyntaxError, RecursionError, MemoryError) as error:
        found = DEBUG_INFO.search(python)
        line = template_line(found["map"] if found else "", getattr(error, "lineno", None) or 0)
        why = f"Python's compiler: {getattr(error, 'msg', None) or type(error).__name__}"
        raise TooDeep("blocks", why, line, None, filename) from None


def template_line(line_map: str, python_line: int) -> int:
    """The template's line of a line of the Python Jinja made of it, by the map written into that
    Python ('1=8&3=12': template line = Python line, as Jinja's own tracebacks read it)."""
    pairs = [tuple(map(int, pair.split("="))) for pair in line_map.split("&") if pair]
    return next((template for template, python in reversed(pairs) if python <= python_line), 1)
