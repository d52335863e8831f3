"""Characters a text may not hold: controls that reorder or hide text, and characters no shipped font has."""

from __future__ import annotations

import bisect
import functools
import unicodedata
from collections.abc import Callable

from ..model import Origin
from .fonts import in_use_coverage, lacking
from .problems import Problems

# Embeddings, overrides, isolates and marks: they reorder what is printed (visually reversed text).
BIDI_CONTROLS = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
# Invisible characters: a zero-width space may be meant as a break opportunity, so these are warnings.
ZERO_WIDTH = frozenset("\u200b\u200c\u200d\u2060\ufeff")
# What a decoder writes for bytes it could not read: the text was mis-decoded (attacker round 10, N6).
REPLACEMENT = "\ufffd"
ALLOWED = frozenset("\t\n\r\u00ad")  # white space, and the soft hyphen (a hyphenation point)
# What prints nothing besides white space and the format characters (a soft hyphen, a zero-width
# space, a word joiner): the Hangul and Braille blanks, and the joiner and selectors that only
# change the character before them. A text of these alone printed an empty provision (attacker
# round 9, P24).
BLANKS = frozenset("\u034f\u115f\u1160\u17b4\u17b5\u180b\u180c\u180d\u180f\u2800\u3164\uffa0") | frozenset(
    map(chr, [*range(0xFE00, 0xFE10), *range(0xE0100, 0xE01F0)])
)
UNPRINTED = ("Cc", "Cf", "Zs", "Zl", "Zp")


def printable(value: str) -> bool:
    """Whether a text has a character that prints: one without is an empty text."""
    return any(
        char not in BLANKS and not char.isspace() and unicodedata.category(char) not in UNPRINTED for char in value
    )


def check_text(value: str, locate: Callable[[str], Origin], problems: Problems) -> None:
    """Reports each unsuitable character of a scalar once, at its line; a character no font has, once in a run."""
    covered = in_use_coverage()
    unusual = set(value) - _usual(covered)
    if not unusual:
        return
    for char in sorted(unusual):
        if char in ALLOWED:
            continue
        code = f"U+{ord(char):04X}"
        described = f"{code} {unicodedata.name(char)}" if unicodedata.name(char, "") else code
        origin = locate(char)
        if unicodedata.category(char) in ("Zl", "Zp"):
            # pasted from a word processor or a PDF; no font draws it, and a text's lines are the layout's
            problems.error(origin, "", f"a line or paragraph separator ({described}) cannot be printed; write a space")
        elif char in BIDI_CONTROLS:
            problems.error(
                origin,
                "",
                f"a bidirectional control character ({described}) would reorder the printed text; remove it",
            )
        elif char == REPLACEMENT:
            problems.warning(
                origin,
                "",
                f"a replacement character ({described}), the sign of text read in the wrong encoding: "
                "write the characters it stands for",
            )
        elif char in ZERO_WIDTH:
            problems.warning(origin, "", f"an invisible character ({described}); remove it unless it is meant")
        elif unicodedata.category(char) == "Cc" or (
            unicodedata.category(char) in ("Cs", "Cf", "Co", "Cn") and ord(char) not in covered
        ):
            problems.error(origin, "", f"a control or unassigned character ({described}) cannot be printed; remove it")
        elif ord(char) not in covered and problems.first_time(("glyph", char)):
            at = value.index(char)
            around = " ".join(value[max(0, at - 30) : at + 30].split())
            fonts = lacking(ord(char))
            mend = (
                "add a font that has it"
                if fonts.startswith("the shipped")
                else "use a font file that has it, as the builder's does"
            )
            problems.error(
                origin,
                "",
                f"no glyph for '{char}' ({described}) in {fonts}, in: …{around}… (replace the character, or {mend})",
            )


@functools.cache
def _usual(covered: frozenset[int]) -> frozenset[str]:
    """Characters that need no closer look: every one the fonts have, apart from the controls."""
    # a font may map the controls (U+0000 to its .null glyph): a control is never printable text
    # (and a line or paragraph separator, which a font may map too: the build found no glyph for it)
    controls = {chr(code) for code in covered if unicodedata.category(chr(code)) in ("Cc", "Zl", "Zp")}
    return frozenset(chr(code) for code in covered) - BIDI_CONTROLS - ZERO_WIDTH - controls - {REPLACEMENT}


def locator(text: str, name: str) -> Callable[[object, str], Origin]:
    """A function giving the line of a character in a scalar (which may span lines) of `text`: the first line
    of the scalar when the character is written as an escape."""
    starts: list[int] = []

    def locate(event, char: str) -> Origin:
        if not starts:
            starts.append(0)
            starts.extend(index + 1 for index, c in enumerate(text) if c == "\n")
        first, last = event.start_mark.line, event.end_mark.line
        begin = starts[min(first, len(starts) - 1)]
        end = starts[last + 1] if last + 1 < len(starts) else len(text)
        found = text.find(char, begin, end)
        line = bisect.bisect_right(starts, found) if found >= 0 else first + 1
        return Origin(name, line)

    return locate
