"""Checks of a book designer and a Russian editor over a PDF's lines (tests/test_typesetting.py)."""

from __future__ import annotations

import re
import statistics

from tests.lines import HYPHEN, Line

ONE_LETTER = re.compile(r"(?:^|[\s(«])([абвиксоуяАБВИКСОУЯ]|№)$")
SPACED_DASH = re.compile(r"[а-яё»)] [-–] [а-яё«(]", re.IGNORECASE)


def one_letter_ends(page: list[Line]) -> list[str]:
    """A Russian line ending on a one-letter preposition or conjunction, or on «№»."""
    return [f"p.{line.page + 1}: …{line.text[-30:]!r}" for line in page if ONE_LETTER.search(line.text)]


def spaced_en_dashes(page: list[Line]) -> list[str]:
    """A hyphen or an en dash set between Russian words, where a dash (—) belongs."""
    text = " ".join(line.text.replace("\u00a0", " ") for line in page)
    return [f"…{m.group(0)}…" for m in SPACED_DASH.finditer(text)]


def parenthesis_runts(page: list[Line]) -> list[str]:
    """A parenthesis broken so that only its last two tokens stand on the next line ("and RUS)")."""
    found = []
    for line, following in zip(page, page[1:], strict=False):
        tokens = following.text.split()
        runt = len(tokens) <= 2 and following.text.endswith(")") and "(" not in following.text
        if runt and line.text.count("(") > line.text.count(")"):
            found.append(f"p.{line.page + 1}: …{line.text[-30:]!r} / {following.text!r}")
    return found


def stranded_fragments(page: list[Line]) -> list[str]:
    """A word broken across lines where no line break belonged: a line holding one lowercase word
    (often the end of a hyphenated one) although the next line's first word would have fitted
    beside it («социаль- / ных / работников»)."""
    found = []
    for before, line, after in zip(page, page[1:], page[2:], strict=False):
        if " " in line.text or not line.text[:1].islower() or not after.text[:1].islower():
            continue
        if line.text.endswith((";", ".", ":")):  # an item's last line: the next item starts in lower case
            continue
        same_column = abs(before.left - line.left) < 2 and abs(after.left - line.left) < 2
        close = before.bottom - after.top < 3 * before.height
        fits = line.right + 0.25 * before.height + after.word_widths[0] < before.right
        if same_column and close and fits and not before.text.endswith(HYPHEN + HYPHEN):
            found.append(f"p.{line.page + 1}: …{before.text[-20:]!r} / {line.text!r} / {after.text[:20]!r}…")
    return found


def median_full_line(pages: list[list[Line]], low: float, high: float) -> float:
    """The median number of characters of a full line (at least 85 % of its column's widest line)
    of the text set between the heights low and high (points from the page's foot)."""
    counts = []
    for page in pages:
        body = [line for line in page if low < line.bottom and line.top < high]
        columns: dict[int, list[Line]] = {}
        for line in body:
            columns.setdefault(round(line.left / 4), []).append(line)
        for lines in columns.values():
            if len(lines) < 3:
                continue
            widest = max(line.right - line.left for line in lines)
            counts += [len(line.text) for line in lines if line.right - line.left >= 0.85 * widest]
    return statistics.median(counts) if counts else 0.0


def filled(page: list[Line], size: tuple[float, float], margins: tuple[float, float, float]) -> float:
    """How much of the type area's height the page's text fills (0 for a blank page): margins are
    the top, the foot and the narrower side margin, in points; running heads, page numbers and
    the side tab lie outside them."""
    (width, height), (top, bottom, side) = size, margins
    body = [
        line
        for line in page
        if bottom < line.bottom and line.top < height - top and side - 2 < line.left and line.right < width - side + 2
    ]
    if not body:
        return 0.0
    return (max(line.top for line in body) - min(line.bottom for line in body)) / (height - top - bottom)


def hyphen_ladders(page: list[Line]) -> list[str]:
    """Three or more lines in a row of one column ending in a hyphen (a ladder of hyphens): a
    hyphenation or a compound word's own hyphen ("информационно-" / "управляю-" / "распростране-")."""
    found, run = [], []
    for line in page:
        ends = line.text.endswith((HYPHEN, "-")) and not line.text.endswith("--")
        if ends and (not run or abs(run[-1].left - line.left) < 2):
            run.append(line)
            if len(run) == 3:
                found.append(f"p.{line.page + 1}: " + " / ".join(repr(r.text[-16:]) for r in run))
        else:
            run = [line] if ends else []
    return found


def hyphenated_foot(page: list[Line], size: tuple[float, float], margins: tuple[float, float]) -> list[str]:
    """The last line of a page's running text ending in a hyphenation: the reader turns the leaf
    mid-word. Margins are the foot and the narrower side margin, in points (page numbers and side
    tabs lie outside them); footnotes (the last block, set smaller) are not running text."""
    (width, _), (bottom, side) = size, margins
    body = [line for line in page if bottom < line.bottom and side - 2 < line.left and line.right < width - side + 2]
    if not body:
        return []
    body.sort(key=lambda line: -line.top)
    common = statistics.median(line.height for line in body)
    last_block = [body[-1]]
    for above, below in zip(reversed(body[:-1]), reversed(body), strict=False):
        if above.bottom - below.top > 1.5 * common:
            break
        last_block.append(above)
    if len(last_block) < len(body) and statistics.median(line.height for line in last_block) < 0.9 * common:
        body = body[: len(body) - len(last_block)]
    last = body[-1]
    return [f"p.{last.page + 1}: …{last.text[-30:]!r}"] if last.text.endswith(HYPHEN) else []


def broken_compounds(page: list[Line]) -> list[str]:
    """A hyphenation inside a word that has a hyphen of its own («государ-» / «ствами-участниками»)."""
    found = []
    for line, following in zip(page, page[1:], strict=False):
        if line.text.endswith(HYPHEN) and following.text.split() and "-" in following.text.split()[0].strip(",.;:)»"):
            found.append(f"p.{line.page + 1}: …{line.text[-20:]!r} / {following.text[:30]!r}")
    return found


def loose_lines(page: list[Line], most: float = 0.55) -> list[str]:
    """Lines of four words or more whose spaces average more than `most` of the line's height:
    a justified line stretched into holes (a normal space is about a quarter of it). A gap of
    more than two heights is two columns (a document header's), not a line."""
    found = []
    for line in page:
        words = line.word_widths
        if len(words) < 4 or line.height <= 0:
            continue
        gap = (line.right - line.left - sum(words)) / (len(words) - 1)
        if most * line.height < gap < 2 * line.height:
            found.append(f"p.{line.page + 1}: {gap / line.height:.2f} {line.text[:60]!r}")
    return found


LEADER_ONLY = re.compile(r"[.\s\u00a0]{5,}\d+")


def leader_only_lines(page: list[Line]) -> list[str]:
    """Contents lines holding nothing but the leader and a page number: a turnover whose words
    all stayed on the line above."""
    return [f"p.{line.page + 1}: {line.text!r}" for line in page if LEADER_ONLY.fullmatch(line.text.strip())]
