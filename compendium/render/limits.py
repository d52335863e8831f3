"""What one render of a layout may make: the size of a value and of the whole text, and the refusal past it."""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import SecurityError

# Jinja's sandbox keeps a template from reaching Python, not from asking for 4 GB: `'x' * 10**9`,
# `'x'|center(10**9)` or a macro that doubles its argument each call would fill the memory of a
# machine others share. A whole edition's HTML is a few MB; no one value a layout makes comes near.
LIMIT = 1_000_000
TOO_LONG = f"a text longer than {LIMIT} characters"
# The digits a layout's number may have. Python divides big numbers in quadratic time, and one
# division runs out of the render clock's reach: 10**999999 // (10**500000 + 1) took 18 s, where
# the clock allows 10 s (attacker round 10, S6). Two numbers of DIGITS digits divide in under 1 ms;
# a layout counts pages and paragraphs.
DIGITS = 10_000
TOO_BIG = f"a number of more than {DIGITS} digits"
# bits per decimal digit, a little under log2(10): a number's digits are never underestimated
BITS_PER_DIGIT = 3.32

# The whole text one render writes. Measured (2026-12-05): the OSCE English screen edition's HTML
# is 580,689 characters, the Russian 600,129; a loop printing a 900,000-character text 300 times
# got past every per-expression cap. Over 80 times the largest real edition leaves room to grow.
OUTPUT_LIMIT = 50_000_000


def _text_size(value: Any, limit: int = LIMIT) -> int:
    """About how long a value is as text, counted no further than past `limit`: a list of a million
    references to one long text is small in memory and huge once printed."""
    if isinstance(value, str | bytes | bytearray):  # 'x'.encode() * 999999999 (attacker round 10, M3)
        return len(value)
    if isinstance(value, int) and not isinstance(value, bool):
        return value.bit_length() // 3 + 1
    if isinstance(value, list | tuple | dict):
        size = 2
        for item in value.items() if isinstance(value, dict) else value:
            size += _text_size(item, limit) + 2
            if size > limit:
                break
        return size
    return 0


def refuse_if(size: int, what: str = TOO_LONG) -> None:
    if size > LIMIT:
        raise SecurityError(what)


def refuse_digits(bits: int) -> None:
    """Refused: a number of `bits` bits, past DIGITS decimal digits."""
    if bits > DIGITS * BITS_PER_DIGIT:
        raise SecurityError(TOO_BIG)
