"""What one render of a layout may make: the size of a value and of the whole text, and the refusal past it."""

from __future__ import annotations

from typing import Any

from jinja2.sandbox import SecurityError

# Jinja's sandbox keeps a template from reaching Python, not from asking for 4 GB: `'x' * 10**9`,
# `'x'|center(10**9)` or a macro that doubles its argument each call would fill the memory of a
# machine others share. A whole edition's HTML is a few MB; no one value a layout makes comes near.
LIMIT = 1_000_000
TOO_LONG = f"a text longer than {LIMIT} characters"

# The whole text one render writes. Measured (2026-12-05): the OSCE English screen edition's HTML
# is 580,689 characters, the Russian 600,129; a loop printing a 900,000-character text 300 times
# got past every per-expression cap. Over 80 times the largest real edition leaves room to grow.
OUTPUT_LIMIT = 50_000_000


def _text_size(value: Any, limit: int = LIMIT) -> int:
    """About how long a value is as text, counted no further than past `limit`: a list of a million
    references to one long text is small in memory and huge once printed."""
    if isinstance(value, str):
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
