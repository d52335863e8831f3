"""The sandbox every template runs in (layouts, sections.css.j2), capping what a render makes and how long it runs."""

from __future__ import annotations

import re
import time
from functools import wraps
from typing import Any

from jinja2 import BaseLoader, filters, nodes, pass_context
from jinja2.compiler import CodeGenerator
from jinja2.runtime import BlockReference, LoopContext, Macro
from jinja2.sandbox import ImmutableSandboxedEnvironment, SecurityError
from jinja2.utils import Namespace, generate_lorem_ipsum
from markupsafe import Markup

from ..source import depth
from . import hardclock
from .limits import LIMIT, OUTPUT_LIMIT, _text_size, refuse_digits, refuse_if

# What a layout's str methods, repeats and formats make, and bytes ones as much: 'x'.encode()
# * 999999999 or .ljust(999999999) made a gigabyte past the cap on texts (attacker round 10, M3).
TEXTS = str | bytes | bytearray
# A width or precision in a %-format ('%1000000000d', '%(page)*s') or a {…} field ('{:>99999999}').
PERCENT_SPEC = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d+)?(?:\.(\*|\d+))?")
BRACE_SPEC = re.compile(r"\{[^{}]*:([^{}]*)\}")
PADDING = {"center", "ljust", "rjust", "zfill"}
# One render's processor time (not the wall clock: on a machine busy with other work, the shipped
# layouts took over 10 s of wall time in a test). Measured: the English and Russian compendium.html
# render in 0.47 s and 0.43 s; empty nested loops of 100,000 × 100,000, or a macro calling itself
# twice 40 deep, never end.
SECONDS = 10.0
TICK = 256  # loop items between two looks at the clock
# What the writing of a render's text waits past SECONDS before it refuses the render itself: a
# layout's own loop or call, which looks at the clock too, refuses it first, at its own line. The
# writing refused at the line of the layout that includes it (compendium.html:3, attacker round 8,
# N7), where it won the race.
GRACE = 1.0
# What a template calls that writes its own text, a part of a page (a macro, a block, a recursive
# loop): measured against what a render may write, not against one value's LIMIT.
TEMPLATE_PARTS = (Macro, BlockReference, LoopContext)


def overtime() -> str:
    """What a render past the clock is refused for, by the sandbox's clock or the hard one."""
    return f"runs longer than {SECONDS:g} s"


class Exhausted(SecurityError):
    """A render past OUTPUT_LIMIT or SECONDS: the message reads after 'the layout' or 'the template'."""


def refusal(error: SecurityError, subject: str, why: str) -> str:
    """What a refusal says: '<subject> runs longer than 10 s', or the sandbox's message and why."""
    message = str(error).splitlines()[0] if str(error) else type(error).__name__
    return f"{subject} {message}" if isinstance(error, Exhausted) else f"{message} ({why})"


def _length(value: Any) -> int:
    return len(value) if isinstance(value, TEXTS | list | tuple) else 0


def check_format(text: Any, values: Any = ()) -> None:
    """A format string whose width or precision would make a text past the limit, given or taken
    from the values ('*')."""
    if not isinstance(text, TEXTS):
        return
    text = _as_str(text)
    numbers = [n for match in PERCENT_SPEC.finditer(text) for n in match.groups() if n and n != "*"]
    numbers += re.findall(r"\d+", " ".join(BRACE_SPEC.findall(text)))
    if "*" in text and isinstance(values, tuple):
        numbers += [str(v) for v in values if isinstance(v, int)]
    refuse_if(max((abs(int(n)) for n in numbers), default=0))


def _as_str(text: str | bytes | bytearray) -> str:
    """A bytes format as the str one of its length (b'%999999999d' % 1)."""
    return text if isinstance(text, str) else bytes(text).decode("latin-1")


def _conversions(text: str) -> int:
    return len([m for m in PERCENT_SPEC.finditer(text) if not m.group().startswith("%%")]) + text.count("{")


def format_size(text: Any, values: Any) -> int:
    """About how long a %- or {}-format's result is: its own length and, for each conversion, the
    longest value ('%s' * 900 formatted with 900 texts of a million characters each)."""
    if not isinstance(text, TEXTS):
        return 0
    text = _as_str(text)
    values = (
        values if isinstance(values, list | tuple) else list(values.values()) if isinstance(values, dict) else [values]
    )
    longest = max((_text_size(v) for v in values), default=0)
    return len(text) + _conversions(text) * longest


def _replaced(text: Any, old: Any, new: Any, count: int | None = None) -> int:
    found = text.count(old) if old else len(text) + 1
    if count is not None and count >= 0:
        found = min(found, count)
    return len(text) + found * max(0, len(new) - len(old))


def _method_size(text: str | bytes | bytearray, name: str, args: tuple) -> int:
    """How long a str or bytes method's result would be, for the methods that can make a text longer."""
    if name in PADDING and args and isinstance(args[0], int):
        return args[0]
    if name == "expandtabs":
        return len(text) * max(1, int(args[0]) if args else 8)
    if name == "replace" and len(args) >= 2 and isinstance(args[0], TEXTS) and isinstance(args[1], TEXTS):
        return _replaced(text, args[0], args[1], *[a for a in args[2:3] if isinstance(a, int)])
    if name == "join" and args:
        parts = list(args[0]) if not isinstance(args[0], TEXTS | list | tuple) else args[0]
        return sum(map(_length, parts)) + len(text) * len(parts)
    if name == "translate" and args and isinstance(args[0], dict):
        return len(text) * max([1, *map(_length, args[0].values())])
    if name in ("format", "format_map"):
        check_format(text)
        return format_size(text, list(args))
    return 0


class BoundedCodeGenerator(CodeGenerator):
    """Jinja's code generator, with every `~` bounded."""

    def visit_Concat(self, node: nodes.Concat, frame: Any) -> None:
        self.write("environment.bounded_text(")
        super().visit_Concat(node, frame)
        self.write(")")


class CountedItems:
    """An iterable whose items are counted against the render's clock; its length is the iterable's
    (loop.length, loop.last)."""

    def __init__(self, env: BoundedSandbox, iterable: Any) -> None:
        self.env, self.iterable = env, iterable

    def __len__(self) -> int:
        return len(self.iterable)

    def __iter__(self) -> Any:
        for n, item in enumerate(self.iterable):
            if n % TICK == 0:
                self.env.tick()
            yield item


class BoundedSandbox(ImmutableSandboxedEnvironment):
    """Jinja's immutable sandbox, where a repeat, a power, a padding, a format, a `~` or `+`, a call's
    argument or result past the limit is refused (a SecurityError: 'refused' at the template's
    line), and so is a render that writes more than OUTPUT_LIMIT or runs longer than SECONDS."""

    intercepted_binops = frozenset({"*", "**", "%", "+"})
    code_generator_class = BoundedCodeGenerator

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.deadline: float | None = None  # set while a render runs
        self.depth = 0  # renders inside a render (a citation's layout) share its clock
        self.written = 0  # what the render's {{ … }} printed: counted where it is printed, at its line
        own = self.finalize

        def finalize(value: Any) -> Any:
            self.written += _text_size(value, OUTPUT_LIMIT)
            if self.written > OUTPUT_LIMIT:
                raise Exhausted(f"writes more than {OUTPUT_LIMIT} characters")
            return own(value) if own is not None else value

        self.finalize = finalize
        self.filters = MeasuredFilters(self, self.filters)

    def _parse(self, source: str, name: str | None, filename: str | None) -> nodes.Template:
        tree = depth.parsed(lambda: super(BoundedSandbox, self)._parse(source, name, filename), name, filename)
        # every loop's iterable counted (a loop whose body does nothing calls no other hook)
        for loop in tree.find_all(nodes.For):
            line = loop.iter.lineno
            loop.iter = nodes.Call(nodes.EnvironmentAttribute("counted", lineno=line), [loop.iter], [], None, None)
            loop.iter.set_lineno(line)
        return tree

    def _compile(self, source: str, filename: str) -> Any:
        hardclock.note_compiled(filename, source)  # where the hard clock finds the layout's line
        return depth.compiled(lambda: super(BoundedSandbox, self)._compile(source, filename), source, filename)

    def tick(self, grace: float = 0.0) -> None:
        if self.deadline is not None and time.process_time() > self.deadline + grace:
            raise Exhausted(overtime())

    def counted(self, iterable: Any) -> CountedItems:
        return CountedItems(self, iterable)

    def bounded_text(self, text: Any) -> Any:
        refuse_if(_text_size(text))
        return text

    def concat(self, parts: Any) -> str:
        """The text of a render (Template.render), a macro or a {% set %} block, counted as it is
        written: past OUTPUT_LIMIT or SECONDS it is refused at the line writing it."""
        if self.depth == 0:
            self.deadline = time.process_time() + SECONDS
            self.written = 0
            hardclock.restart(SECONDS + hardclock.MARGIN)
        self.depth += 1
        try:
            pieces, size = [], 0
            for n, piece in enumerate(parts):
                size += len(piece)
                problem = f"writes more than {OUTPUT_LIMIT} characters" if size > OUTPUT_LIMIT else None
                if problem is None and n % TICK == 0:
                    try:
                        self.tick(GRACE)
                    except Exhausted as error:
                        problem = str(error)
                if problem is not None:
                    if hasattr(parts, "throw"):  # raised at the template's line that is writing
                        parts.throw(Exhausted(problem))
                    raise Exhausted(problem)
                pieces.append(piece)
            return "".join(pieces)
        finally:
            self.depth -= 1
            if self.depth == 0:
                self.deadline = None
                hardclock.restart(hardclock.AROUND)

    def call_binop(self, context, operator: str, left: Any, right: Any) -> Any:
        self.tick()
        if operator == "*" and _integers(left, right):
            refuse_digits(abs(left).bit_length() + abs(right).bit_length())
        elif operator == "*":
            for sequence, times in ((left, right), (right, left)):
                if _length(sequence) and isinstance(times, int):
                    refuse_if(_text_size(sequence) * times)  # the list's texts too: ['x' * 999999] * 999999
        elif operator == "**" and _integers(left, right) and right > 0:
            refuse_digits(abs(left).bit_length() * right)
        elif operator == "+" and _length(left) and _length(right):  # {% set b = a + a %}, and again
            refuse_if(_text_size(left) + _text_size(right))
        elif operator == "%":
            check_format(left, right if isinstance(right, tuple) else (right,))
            refuse_if(format_size(left, right))
        return super().call_binop(context, operator, left, right)

    def call(__self, __context, __obj: Any, *args: Any, **kwargs: Any) -> Any:  # noqa: N805 - Jinja's own names
        __self.tick()
        for value in (*args, *kwargs.values()):
            refuse_if(_length(value))  # a macro that doubles its argument on every call
        method = getattr(__obj, "__wrapped__", __obj)  # str.format comes wrapped by the sandbox
        owner = getattr(method, "__self__", None)
        if isinstance(owner, TEXTS):
            if method.__name__ == "join" and args and not isinstance(args[0], TEXTS | list | tuple):
                from .sequences import gathered_text  # it imports this module

                args = (gathered_text(__self, args[0]), *args[1:])
            refuse_if(_method_size(owner, method.__name__, args))
        elif _integers(owner) and method.__name__ == "to_bytes":  # (1).to_bytes(999999999, 'big')
            refuse_if(next((n for n in (*args[:1], kwargs.get("length")) if _integers(n)), 0))
        result = super().call(__context, __obj, *args, **kwargs)
        __self.tick()  # a call that ran long refused at its own line
        if not isinstance(getattr(__obj, "__self__", __obj), TEMPLATE_PARTS):
            _made(result)  # date.strftime('%Y' * 499999), (0).from_bytes(…), Markup.escape (round 11, M1)
        if _text_size(result, OUTPUT_LIMIT) > OUTPUT_LIMIT:  # a macro writes at most what a render may
            raise Exhausted(f"writes more than {OUTPUT_LIMIT} characters")
        return result


def _integers(*values: Any) -> bool:
    return all(isinstance(value, int) and not isinstance(value, bool) for value in values)


def _made(result: Any) -> None:
    """What a Python method (not a macro, whose text may be a page's) gave a layout, refused past
    the limits of a text and of a number: its size was not known before it ran."""
    if isinstance(result, TEXTS):
        refuse_if(len(result))
    elif _integers(result):
        refuse_digits(result.bit_length())


class MeasuredFilters(dict):
    """A sandbox's filters, each one's result refused past the limits of a text and of a number,
    whatever filter it is and whenever it was added (a project's own, html.py's): `escape` made five
    characters of each '&', and twenty-two of them in a row made 85 million (attacker round 11, M1).
    One step from a value within the limit makes a few times the limit at most. The clock is looked
    at before and after each filter: one that ran long is refused at its own line, not at the next
    loop's (attacker round 12, M1)."""

    def __init__(self, env: BoundedSandbox, filters: dict[str, Any]) -> None:
        super().__init__()
        self.env = env
        self.update(filters)

    def __setitem__(self, name: str, function: Any) -> None:
        super().__setitem__(name, _measured(self.env, function))

    def update(self, *args: Any, **kwargs: Any) -> None:
        for name, function in dict(*args, **kwargs).items():
            self[name] = function


def _measured(env: BoundedSandbox, function: Any) -> Any:
    """The filter, its result refused past the limits; Jinja's own marks (pass_context) kept."""
    if getattr(function, "measured", False):
        return function

    @wraps(function)
    def measured(*args: Any, **kwargs: Any) -> Any:
        env.tick()
        result = function(*args, **kwargs)
        env.tick()
        _made(result)
        return result

    measured.measured = True  # type: ignore[attr-defined]
    return measured


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
    return format_size(value, list(args) + list(kwargs.values()))


def _wrapped(env: Any, s: Any, width: Any = 79, break_long_words: bool = True, wrapstring: Any = None, *_: Any) -> int:
    """wordwrap(1) over a million characters runs textwrap for many seconds, out of the clock's reach."""
    lines = len(str(s)) // max(width if isinstance(width, int) else 1, 1) + 1
    return len(str(s)) + lines * (len(str(wrapstring)) if wrapstring else 1)


def install_gettext(env: BoundedSandbox, gettext: Any, ngettext: Any) -> None:
    """_(), gettext() and ngettext() for the layouts (Jinja's i18n, new style), each refusing a
    message whose width or precision ('%(x)999999999s'), or whose values, would make a text past
    the limit before it is filled in: Jinja's own filled it in first, and the layout's cap came
    after gigabytes (attacker round 9, P9)."""
    env.install_gettext_callables(gettext, ngettext, newstyle=True)  # type: ignore[attr-defined]

    @pass_context
    def bounded_gettext(__context: Any, __string: str, **variables: Any) -> str:
        return _filled(__context, __context.call(gettext, __string), variables)

    @pass_context
    def bounded_ngettext(__context: Any, __singular: str, __plural: str, __num: int, **variables: Any) -> str:
        variables.setdefault("num", __num)
        for form in (__singular, __plural):  # the form one language leaves aside, another prints
            check_format(form)
        return _filled(__context, __context.call(ngettext, __singular, __plural, __num), variables)

    env.globals.update(gettext=bounded_gettext, ngettext=bounded_ngettext)


def _filled(context: Any, message: str, variables: dict[str, Any]) -> str:
    """The message with its placeholders filled in, as Jinja's i18n does (always, so that '%%' is
    a percent sign), once its width, precision and values are known to stay within the limit."""
    check_format(message)
    refuse_if(format_size(message, variables))
    if context.eval_ctx.autoescape:
        message = Markup(message)
    return message % variables


class NoIncludes(BaseLoader):
    """The loader of a template that is one file (sections.css.j2): an include, import or extends
    is refused at its line (without a loader it was 'TypeError: no loader for this environment')."""

    def get_source(self, environment: Any, template: str) -> tuple[str, str | None, None]:
        raise SecurityError("includes are not available in sections.css.j2")


def bounded_sandbox(**options: Any) -> BoundedSandbox:
    """A BoundedSandbox with the filters and globals that can make a long text bounded too."""
    env = BoundedSandbox(**{"loader": NoIncludes(), **options})
    sizes = {
        "center": lambda value, width=80: width if isinstance(width, int) else 0,
        "indent": _indented,
        "format": _formatted,
        "replace": lambda ctx, s, old, new, count=None: _replaced(str(s), str(old), str(new), count),
        "batch": lambda value, linecount, *_: linecount,
        "slice": lambda ctx, value, slices, *_: slices,  # do_slice takes the eval context first
        "tojson": lambda ctx, value, indent=None: (indent or 0) * LIMIT // 100,
        "wordwrap": _wrapped,
    }
    for name, size in sizes.items():
        env.filters[name] = _bounded(getattr(filters, f"do_{name}"), size)
    from .sequences import bound_sequences  # it imports this module

    bound_sequences(env)
    env.globals["lipsum"] = _bounded(generate_lorem_ipsum, lambda n=5, *_, **__: n * 1000)
    env.globals["namespace"] = BoundedNamespace
    return env
