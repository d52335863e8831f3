"""Text drawn over other text on the laid-out pages: lines run into each other, glyphs piled up."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from ..render.omitted import _added_lines
from . import engine
from .overflow import _excerpt

# A line of a project's stylesheet or layout that can move text onto other text.
OVERDRAWING = re.compile(
    r"(?:letter|word)-spacing\s*:\s*-|(?:margin[\w-]*|top|left|right|bottom|text-indent)\s*:\s*-|columns?\s*:"
    r"|column-(?:count|width|gap)|float\s*:|(?<![\w-])(?:max-)?width\s*:|line-height|transform|position\s*:",
    re.I,
)

# The band of a line that its letters' bodies fill, as fractions of the font size around the
# baseline: from about the x-height down to just below the baseline. Lines set solid (line-height
# 1) or a heading's descenders over the next line's capitals do not meet in it; a line moved onto
# another (a negative margin, columns with no room, a float 1px wide) does.
BAND = (0.45, 0.05)
# Less than this much (of the smaller font size) across is two boxes touching, not overlapping: a
# word's kerning into the next one, a footnote's mark after its word.
ACROSS = 0.25
# A text drawn in less than this part of the width its glyphs take side by side has its glyphs
# piled onto one another (letter-spacing: -0.55em draws 'Calls on the' in 4 % of it); -0.1em,
# tight tracking, still draws about 80 %.
PILED = 2 / 3


@dataclass(frozen=True)
class Overdrawn:
    """Text drawn over other text: the page (None in a part laid out on its own), the text and
    the text it is drawn over (None for glyphs piled up within one line), and the classes of
    their elements (a stylesheet's line that names one is the likely cause)."""

    page: int | None
    text: str
    under: str | None
    classes: tuple[str, ...]

    def line(self, at: str | None, more: int) -> str:
        """The error, at `at` (a project's stylesheet or layout line) or else at the page."""
        page = f"page {self.page}" if self.page is not None else "a page"
        where = f"{at}: on {page}" if at else page
        found = (
            f"the letters of '{_excerpt(self.text)}' drawn over each other"
            if self.under is None
            else f"'{_excerpt(self.text)}' drawn over '{_excerpt(self.under)}'"
        )
        others = f" (and on {more} more page{'s' if more > 1 else ''})" if more else ""
        return (
            f"{where}, text is drawn over other text{others}: expected each line and letter clear of the "
            f"others, found {found} (a negative margin or spacing, columns or floats with no room?)"
        )


def overdrawn_problems(found: list[Overdrawn], project) -> list[str]:
    """One located line for the text drawn over other text, if any: at the first line the project's
    own stylesheets or layouts add that can move text onto other text, one naming a class of
    that text's elements first; else at the page."""
    if not found:
        return []
    added = [(at, line) for at, _, line in _added_lines(project) if OVERDRAWING.search(line)]
    classes = found[0].classes
    named = [at for at, line in added if any(re.search(rf"\.{re.escape(c)}(?![\w-])", line) for c in classes)]
    at = named[0] if named else added[0][0] if added else None
    return [found[0].line(at, len(found) - 1)]


# a text this much smaller than the text it meets is a mark set on purpose beside or above it
# (vertical-align: super), not a line run into another: a partial translation's "EN" after a
# provision's last line touched the line below
MARK = 0.7


def overdrawn(document, numbered: bool = True, overflowing: frozenset[str] = frozenset()) -> list[Overdrawn]:
    """Each place of the pages where text a reader would see is drawn over other text, the first
    of each page (one is enough to say: the rest has the same cause); a text that runs past its
    column (`overflowing`, overflow.py's) is told by the overflow check, once, at its source line."""
    root = engine.root_element(document)
    parents = {id(child): own for own in root.iter() for child in own} if root is not None else {}
    found = []
    for number, page in enumerate(engine.pages(document), 1):
        first = _on_page(page, parents, overflowing)
        if first is not None:
            found.append(Overdrawn(number if numbered else None, *first))
    return found


def _on_page(page, parents: dict, overflowing: frozenset[str]) -> tuple[str, str | None, tuple[str, ...]] | None:
    bands = []
    for box, matrix in engine.seen_texts(page):
        if box.text in overflowing or not _inked(box.text):
            continue
        if _piled(box):
            return box.text, None, _classes(box, parents)
        bands.append((engine.transformed(_band(box), matrix), box))
    bands.sort(key=lambda band: band[0][1])
    for index, (rectangle, box) in enumerate(bands):
        for other, under in bands[index + 1 :]:
            if other[1] >= rectangle[3]:
                break  # the ones after start lower still
            least = min(box.style["font_size"], under.style["font_size"])
            if least < MARK * max(box.style["font_size"], under.style["font_size"]):
                continue  # a mark raised over its line (an untranslated text's "EN", a footnote's number)
            across = min(rectangle[2], other[2]) - max(rectangle[0], other[0])
            if across > ACROSS * least and min(rectangle[3], other[3]) > max(rectangle[1], other[1]):
                return box.text, under.text, _classes(box, parents) + _classes(under, parents)
    return None


# The characters that draw nothing: spaces, and the format ones (U+200B, which the builder puts in
# as a break and in display headings, U+2060, a soft hyphen): a box of them alone was "piled up"
# under a word-spacing of -0.1em, which took its no width below nothing (attacker round 11, S1).
INKLESS = ("Cf", "Cc", "Zs", "Zl", "Zp")


def _inked(text: str) -> bool:
    """Whether a text draws any ink: one that draws none is over nothing and under nothing."""
    return any(not character.isspace() and unicodedata.category(character) not in INKLESS for character in text)


def _band(box) -> tuple[float, float, float, float]:
    """The part of a text box its letters' bodies fill (see BAND)."""
    size = box.style["font_size"]
    baseline = box.position_y + box.baseline
    return (box.position_x, baseline - BAND[0] * size, box.position_x + box.width, baseline + BAND[1] * size)


def _piled(box) -> bool:
    """Its glyphs drawn over each other: a negative letter- or word-spacing takes more of the width
    they need side by side than PILED leaves."""
    letter, word = box.style["letter_spacing"], box.style["word_spacing"]
    letter = min(letter, 0.0) if isinstance(letter, (int, float)) else 0.0
    word = min(word, 0.0) if isinstance(word, (int, float)) else 0.0
    if not (letter or word):
        return False
    side_by_side = box.width - letter * (len(box.text) - 1) - word * box.text.count(" ")
    return box.width < PILED * side_by_side


def _classes(box, parents: dict) -> tuple[str, ...]:
    """The classes of the box's element and the elements around it, nearest first."""
    found: list[str] = []
    own = engine.element(box)
    while own is not None:
        found += (own.get("class") or "").split()
        own = parents.get(id(own))
    return tuple(found)
