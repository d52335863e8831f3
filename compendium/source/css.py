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
