"""The sandbox's filters that gather a sequence (join, list, sort, sum …), bounded item by item as they gather it."""

from __future__ import annotations

from collections.abc import Iterator
from functools import wraps
from itertools import chain
from typing import Any

from jinja2 import filters, pass_environment, pass_eval_context
from jinja2.sandbox import SecurityError

from .limits import LIMIT, OUTPUT_LIMIT, TOO_LONG, _text_size, refuse_if

# sandbox.py's environment (its clock, its caps): named, not imported, since sandbox.py imports this module
BoundedSandbox = Any

# Each value a layout makes is capped (sandbox.py), but a filter that gathers many of them was not:
# `range(99999)|map('string')|map('center', 9999)|join` took 2 GB, each text under the cap and the
# join never measured. So a gathered text is measured as it grows, before it is built: the join
# stops at the item that passes LIMIT. A gathered list may hold at most MAX_ITEMS items and, in
# all, what a whole render may write (a list of 10,000-character texts fills memory long before
# a million items); the real layouts gather a few hundred provisions at most.
MAX_ITEMS = 1_000_000
TOO_MANY = f"a list of more than {MAX_ITEMS} items"
TOO_FULL = f"a list holding more than {OUTPUT_LIMIT} characters"
# The filters that gather their first argument into a list (or a list's worth of groups).
GATHERING = ("list", "sort", "unique", "batch", "slice", "reverse", "sum", "groupby", "dictsort")
# The filters that print a whole value, however many items it has.
PRINTING = ("string", "pprint", "tojson", "xmlattr")


def _shown(item: Any) -> int:
    """How long an item is once joined (str() of it: a model object's text is its own)."""
    if isinstance(item, str | int | list | tuple | dict):
        return _text_size(item)
    return len(str(item))


def _gathered(env: BoundedSandbox, items: Any) -> Iterator[Any]:
    """The items, refused at the first one past MAX_ITEMS or past OUTPUT_LIMIT characters in all,
    the render's clock looked at as they come (a gathering runs out of any loop's reach)."""
    size = 0
    for count, item in enumerate(items, 1):
        size += _text_size(item, OUTPUT_LIMIT)
        if count > MAX_ITEMS:
            raise SecurityError(TOO_MANY)
        if size > OUTPUT_LIMIT:
            raise SecurityError(TOO_FULL)
        env.tick()
        yield item


def _gathering(env: BoundedSandbox, function: Any) -> Any:
    """The filter, its sequence gathered through _gathered when it is made as it is read (a map,
    a select, a generator: a list or a dict is already whole), and a list it returns checked too
    (sum(start=[]) returns more items than it was given)."""
    at = 0 if getattr(function, "jinja_pass_arg", None) is None else 1  # after the context, if passed

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > at and isinstance(args[at], Iterator):
            args = (*args[:at], _gathered(env, args[at]), *args[at + 1 :])
        result = function(*args, **kwargs)
        if isinstance(result, list | tuple):
            if len(result) > MAX_ITEMS:
                raise SecurityError(TOO_MANY)
            if _text_size(result, OUTPUT_LIMIT) > OUTPUT_LIMIT:
                raise SecurityError(TOO_FULL)
        elif isinstance(result, str):
            refuse_if(len(result))
        return result

    return bounded


def _printing(function: Any) -> Any:
    """The filter, refused before it runs when its value is longer than LIMIT as text (a list
    printed), and after when its result is (escaping lengthens a text)."""
    at = 0 if getattr(function, "jinja_pass_arg", None) is None else 1

    @wraps(function)
    def bounded(*args: Any, **kwargs: Any) -> Any:
        if len(args) > at:
            refuse_if(_text_size(args[at]))
        result = function(*args, **kwargs)
        refuse_if(len(result) if isinstance(result, str) else 0)
        return result

    return bounded


def _join(env: BoundedSandbox) -> Any:
    """join, its text measured item by item before it is built: refused at the item that makes
    it longer than LIMIT, having held no more than that."""

    @pass_eval_context
    def join(eval_ctx: Any, value: Any, d: str = "", attribute: Any = None) -> str:
        if attribute is not None:
            value = map(filters.make_attrgetter(eval_ctx.environment, attribute), value)
        items, size = [], 0
        for n, item in enumerate(value):
            size += _shown(item) + (len(str(d)) if n else 0)
            refuse_if(size)
            env.tick()
            items.append(item)
        joined = filters.do_join(eval_ctx, items, d)
        refuse_if(len(joined))  # escaped: '<' is '&lt;'
        return joined

    return join


def _sum(env: BoundedSandbox) -> Any:
    """sum, lists and tuples put together item by item (Python's sum() copies the whole list so far
    at each item: 300,000 one-item lists took minutes in one C call, out of the clock's reach,
    attacker round 12, M1), refused at the item that passes MAX_ITEMS."""

    @pass_environment
    def sum_(environment: Any, iterable: Any, attribute: Any = None, start: Any = 0) -> Any:
        if attribute is not None:
            iterable = map(filters.make_attrgetter(environment, attribute), iterable)
        if not isinstance(start, list | tuple):
            return sum(iterable, start)  # numbers: each step's work is the size of its own numbers
        kind = list if isinstance(start, list) else tuple
        parts, count = [start], len(start)
        for item in iterable:
            if not isinstance(item, kind):
                name = kind.__name__  # Python's own words
                raise TypeError(f'can only concatenate {name} (not "{type(item).__name__}") to {name}')
            count += len(item)
            if count > MAX_ITEMS:
                raise SecurityError(TOO_MANY)
            env.tick()
            parts.append(item)
        return kind(chain.from_iterable(parts))

    return sum_


def bound_sequences(env: BoundedSandbox) -> None:
    """Replaces env's gathering and printing filters by bounded ones (bounded_sandbox calls it)."""
    env.filters["sum"] = _sum(env)
    for name in GATHERING:
        env.filters[name] = _gathering(env, env.filters[name])
    for name in PRINTING:
        env.filters[name] = _printing(env.filters[name])
    env.filters["join"] = _join(env)


def gathered_text(env: BoundedSandbox, items: Any) -> list[Any]:
    """str.join's argument as a list, refused as soon as its texts pass LIMIT (a generator of
    long texts given to ''.join())."""
    gathered, size = [], 0
    for item in items:
        size += _text_size(item)
        if size > LIMIT:
            raise SecurityError(TOO_LONG)
        env.tick()
        gathered.append(item)
    return gathered
