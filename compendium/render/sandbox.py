"""The sandbox every template runs in (layouts, sections.css.j2), capping the size of what an expression makes."""

from __future__ import annotations

import re
from functools import wraps
from typing import Any

from jinja2 import filters
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace, generate_lorem_ipsum

# Jinja's sandbox keeps a template from reaching Python, not from asking for 4 GB: `'x' * 10**9`,
# `'x'|center(10**9)` or a macro that doubles its argument each call would fill the memory of a
# machine others share. A whole edition's HTML is a few MB; no one value a layout makes comes near.
LIMIT = 1_000_000
TOO_LONG = f"a text longer than {LIMIT} characters"
TOO_BIG = f"a number of more than {LIMIT} digits"
# A width or precision in a %-format ('%1000000000d', '%(page)*s') or a {…} field ('{:>99999999}').
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")
PADDING = {"center", "ljust", "rjust", "zfill"}


def refuse_if(size: int, what: str = TOO_LONG) -> None:
    if size > LIMIT:
        raise SecurityError(what)


def _length(value: Any) -> int:
    return len(value) if isinstance(value, str | list | tuple) else 0


def check_format(text: Any, values: Any = ()) -> None:
    """A format string whose width or precision would make a text past the limit, given or taken
    from the values ('*')."""
    if not isinstance(text, str):
        return
    numbers = [n for match in PERCENT_SPEC.finditer(text) for n in match.groups() if n and n != "*"]
    numbers += re.findall(r"\d+", " ".join(BRACE_SPEC.findall(text)))
    if "*" in text and isinstance(values, tuple):
        numbers += [str(v) for v in values if isinstance(v, int)]
    refuse_if(max((abs(int(n)) for n in numbers), default=0))


def _replaced(text: str, old: str, new: str, count: int | None = None) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new) - len(old))


def _method_size(text: str, name: str, args: tuple) -> int:
    """How long a str method's result would be, for the methods that can make a text longer."""
    if name in PADDING and args and isinstance(args[0], int):
        return args[0]
    if name == "expandtabs":
        return len(text) * max(1, int(args[0]) if args else 8)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], str) and isinstance(args[1], str):
        return _replaced(text, args[0], args[1], *[a for a in args[2:3] if isinstance(a, int)])
    if name == "join" and args:
        parts = list(args[0]) if not isinstance(args[0], str | list | tuple) else args[0]
        return sum(map(_length, parts)) + len(text) * len(parts)
    if name == "translate" and args and isinstance(args[0], dict):
        return len(text) * max([1, *map(_length, args[0].values())])
    if name in ("format", "format_map"):
        check_format(text)
    return 0


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where a repeat, a power, a padding, a format width or a call's
    argument past the limit is refused (a SecurityError: 'refused' at the template's line)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        if operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if _length(sequence) and isinstance(times, int):
                    refuse_if(_length(sequence) * times)
        elif operator == "**" and isinstance(left, int) and isinstance(right, int) and right > 0:
            refuse_if(abs(left).bit_length() * right // 4, TOO_BIG)  # a bit over the digits it has
        elif operator == "%":
            check_format(left, right if isinstance(right, tuple) else (right,))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own names
        for value in (*args, *kwargs.values()):
            refuse_if(_length(value))  # a macro that doubles its argument on every call
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        if isinstance(owner, str):
            if method.__name__ == "join" and args and not isinstance(args[0], str | list | tuple):
                args = (list(args[0]), *args[1:])
            refuse_if(_method_size(owner, method.__name__, args))
        return super().call(__context, __obj, *args, **kwargs)


class BoundedNamespace(Namespace):
    """namespace(): a value set on it in a loop ({% set ns.x = ns.x ~ ns.x %}) stays within the limit."""

    def __setitem__(self, name: str, value: Any) -> None:
        refuse_if(_length(value))
        super().__setitem__(name, value)


def _bounded(filter_function, size) -> Any:
    """The filter, refused before it runs when `size` of its arguments is past the limit."""

    @wraps(filter_function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        refuse_if(size(*args, **kwargs))
        return filter_function(*args, **kwargs)

    return bounded


def _indented(s: Any, width: Any = 4, *_: Any, **__: Any) -> int:
    return len(str(s)) + (str(s).count("\n") + 1) * (width if isinstance(width, int) else len(str(width)))


def _formatted(value: Any, *args: Any, **kwargs: Any) -> int:
    check_format(value, args)
    return 0


def _joined(eval_ctx: Any, value: Any, d: str = "", *_: Any, **__: Any) -> int:
    parts = value if isinstance(value, list | tuple) else []  # a generator is bounded by what made it
    return sum(len(str(part)) for part in parts) + len(str(d)) * len(parts)


def bounded_sandbox(**options: Any) -> BoundedSandbox:
    """A BoundedSandbox with the filters and globals that can make a long text bounded too."""
    env = BoundedSandbox(**options)
    sizes = {
        "center": lambda value, width=80: width if isinstance(width, int) else 0,
        "indent": _indented,
        "format": _formatted,
        "replace": lambda ctx, s, old, new, count=None: _replaced(str(s), str(old), str(new), count),
        "join": _joined,
        "batch": lambda value, linecount, *_: linecount,
        "slice": lambda value, slices, *_: slices,
        "tojson": lambda ctx, value, indent=None: (indent or 0) * LIMIT // 100,
    }
    for name, size in sizes.items():
        env.filters[name] = _bounded(getattr(filters, f"do_{name}"), size)
    env.globals["lipsum"] = _bounded(generate_lorem_ipsum, lambda n=5, *_, **__: n * 1000)
    env.globals["namespace"] = BoundedNamespace
    return env
