"""The likely slip behind a YAML parser's complaint, named at the line where it was made."""

from __future__ import annotations

import re

# a value that opens with a quote, after a key or a list's dash
QUOTED_VALUE = re.compile(r"""^\s*(?:-\s+)*(?:[^\s"'#\-][^:#]*:\s+)?(["'])""")
OTHER_QUOTE = {"'": ("''", '"…"'), '"': ('\\"', "'…'")}


def hint(error, lines: list[str], line: int) -> tuple[int, str] | None:
    """(line, message) for a slip the parser words in its own terms (attacker round 9, P14): a quote
    inside a quoted text, a key without its colon, a [ … ] list left open or holding a [."""
    problem = getattr(error, "problem", None) or ""
    context = getattr(error, "context", None) or ""
    context_mark = getattr(error, "context_mark", None)
    if "could not find expected ':'" in problem and context_mark is not None:
        return _missing_colon(lines, context_mark.line + 1)
    if context == "while parsing a flow sequence" and context_mark is not None:
        mark = getattr(error, "problem_mark", None)
        return _flow_list(problem, lines, context_mark.line + 1, (line, mark.column if mark else 0))
    if 1 <= line <= len(lines):
        return _quote_inside(lines[line - 1], line)
    return None


def _quote_inside(text: str, line: int) -> tuple[int, str] | None:
    """A quoted value closed early by a quote inside it ('the theme's sequel'): text follows its end."""
    match = QUOTED_VALUE.match(text)
    if not match:
        return None
    quote = match.group(1)
    end = close(text[match.end() :], quote)
    if end is None:
        return None
    after = text[match.end() + end :]
    if not after.strip() or re.match(r"\s+#", after) or after.lstrip()[:1] in ",]}":
        return None
    doubled, instead = OTHER_QUOTE[quote]
    return line, (
        f"malformed YAML: a {quote} inside a text in {quote}…{quote}: write {doubled} or put the text in {instead}"
    )


def close(rest: str, quote: str) -> int | None:
    """Where a quoted text whose opening quote came just before `rest` ends in it (the index after
    the closing quote), or None when it runs on past this line."""
    index = 0
    while index < len(rest):
        char = rest[index]
        if quote == '"' and char == "\\":
            index += 2
            continue
        if char == quote:
            if quote == "'" and rest[index + 1 : index + 2] == "'":
                index += 2  # '' is a quote inside single quotes
                continue
            return index + 1
        index += 1
    return None


def _missing_colon(lines: list[str], line: int) -> tuple[int, str] | None:
    """A text where a key is expected, without the colon that ends a key (`label victims`); the
    parser reports it where it gave up looking, often past the end of the file."""
    if not 1 <= line <= len(lines):
        return None
    written = lines[line - 1].strip().removeprefix("- ").strip()
    key, _, value = written.partition(" ")
    meant = f"{key}: {value.strip()}" if value.strip() else f"{key}: …"
    return line, (
        f"malformed YAML: a colon is missing: '{written[:60]}' stands where a key is expected (write `{meant[:60]}`)"
    )


def _flow_list(problem: str, lines: list[str], opened: int, at: tuple[int, int]) -> tuple[int, str] | None:
    """A list written in brackets ([a, b]) that holds a bracket or a stray quote in an item, or is
    never closed."""
    line, column = at
    text = lines[line - 1] if 1 <= line <= len(lines) else ""
    if ("but got '['" in problem or "but got '{'" in problem) and column < len(text):
        start = max(text.rfind(",", 0, column), text.rfind("[", 0, column)) + 1
        comma = text.find(",", column)
        written = (text[start:comma] if comma >= 0 else text[start:].rstrip().removesuffix("]")).strip()
        return line, (
            f"malformed YAML: a {text[column]} inside an item of a list in [ … ]: put the item in quotes "
            f'("{written[:60]}"), or write the list as lines beginning with "- "'
        )
    if "but got '<scalar>'" in problem and 0 < column <= len(text) and text[column - 1] in "'\"":
        quote = text[column - 1]  # a quoted item ended early, by a quote inside it (['O'Brien'])
        doubled, instead = OTHER_QUOTE[quote]
        return line, (
            f"malformed YAML: a {quote} inside a text in {quote}…{quote}: write {doubled} or put the text in {instead}"
        )
    if opened != line and 1 <= opened <= len(lines) and "]" not in lines[opened - 1]:
        stopped = "at the end of the file" if not "".join(lines[line - 1 :]).strip() else f"at line {line}"
        return opened, (
            "malformed YAML: the list in [ … ] that begins on this line is not closed on it (a missing ] at its end?); "
            f"the parser only stopped {stopped}"
        )
    return None
