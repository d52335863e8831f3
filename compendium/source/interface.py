"""Checks an interface catalogue (locale/<lang>/LC_MESSAGES/messages.po) before an edition uses it."""

from __future__ import annotations

import contextlib
import functools
import gettext
import io
import re
from pathlib import Path

from babel.messages.plurals import get_plural
from babel.messages.pofile import PoFileError, read_po

from ..model import Origin
from .files import WriteError, write_bytes
from .inputs import refusal
from .problems import Problems
from .textcheck import check_text
from .yamlsource import relative_name

PLACEHOLDER = re.compile(r"%(?:\([^)\n]*\))?[-#0 +]*\d*(?:\.\d+)?[diouxXeEfFgGcrsa%]")
# An HTML tag, comment or declaration: an interface string is text, printed as written.
MARKUP = re.compile(r"<\s*/?\s*[A-Za-z!?][^<>]*>")


def markup_in(text: str) -> str | None:
    """The first tag in an interface string (a msgstr, a compendium's wording), for an error that
    says it will be printed as written, angle brackets and all; None for plain text."""
    found = MARKUP.search(text)
    return found.group(0) if found else None


# The layouts fill an interface string in with Python's % (Jinja's gettext does so even for a
# string without placeholders): a '%' that starts no placeholder stops the build, blamed on the layout.
LONE_PERCENT = "a lone '%': write %% for a percent sign"


def placeholders(text: str) -> list[str]:
    """The placeholders of an interface string: %% prints a percent sign and is none (attacker round
    10, S8: a msgstr told to write %% for its lone % was then refused for an extra placeholder)."""
    return [found for found in PLACEHOLDER.findall(text) if found != "%%"]


def lone_percent(text: str, braces: bool = False) -> bool:
    """Whether an interface string has a '%' that is neither %% nor a placeholder: a msgstr's
    %(name)s, or none at all in a wording (`braces`: its placeholders are {name})."""
    rest = text.replace("%%", "")
    return "%" in (rest if braces else PLACEHOLDER.sub("", rest))


def markup_problem(tag: str) -> str:
    return (
        f"'{' '.join(tag.split())[:60]}' is markup: interface strings are text and print as written, "
        "angle brackets and all (write the words only; the layouts set them)"
    )


# A catalogue's line: a comment, a keyword and a quoted text, or a quoted continuation. Babel reads
# a line that breaks these rules without a word (an unclosed quote loses the text's last letter).
PO_LINE = re.compile(
    r'\s*(?:#.*|(?:msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\s+"(?:[^"\\]|\\.)*"|"(?:[^"\\]|\\.)*")?\s*'
)
PO_KEYWORD = re.compile(r"\s*(msgctxt|msgid|msgid_plural|msgstr(?:\[\d+\])?)\b")


def _malformed_line(text: str) -> tuple[int, str] | None:
    """The first line of a catalogue that is not a comment, a keyword with its "quoted" text or a
    "quoted" continuation, and what is wrong with it."""
    for number, line in enumerate(text.split("\n"), 1):
        line = line.removesuffix("\r")
        if PO_LINE.fullmatch(line):
            continue
        keyword = PO_KEYWORD.match(line)
        rest = line[keyword.end() :].strip() if keyword else line.strip()
        if rest.startswith('"') and not re.fullmatch(r'"(?:[^"\\]|\\.)*"', rest):
            return number, 'the quoted text is not closed on this line (a missing " at its end?)'
        return number, 'expected a msgid, msgctxt or msgstr line, a "quoted" continuation or a # comment'
    return None


def check_catalogue(
    path: Path, root: Path, problems: Problems, untranslated: bool = False, report=None, known=None
) -> None:
    """A catalogue Babel cannot read, or a msgstr whose %(name)s placeholders differ from its msgid's
    (the layouts fill them in: a misspelt name would stop the build), is an error at its line;
    with `untranslated`, an empty or fuzzy msgstr (the edition prints the English) is a warning
    (or what `report` makes it: a note for a partial edition); with `known` (the messages the
    edition asks for), a message in a msgctxt or one not among them is a warning: used nowhere."""
    name = relative_name(path, root)
    catalog = _read_catalogue(path, root, name, problems)
    if catalog is None:
        return
    forms = _plural_forms(catalog, Origin(name, _header_line(path, "Plural-Forms:")), problems)
    single = _single_forms(catalog.plural_forms or "")
    text = path.read_text(encoding="utf-8")
    lines = text.split("\n")
    for line, shown, first in duplicate_msgids(text):
        problems.error(Origin(name, line), f'msgid "{shown}"', f"appears twice (first at line {first})")
    for message in catalog:
        _check_characters(message, name, problems, lines)
        if untranslated:
            _untranslated(message, name, problems, report)
        if known is not None:
            _unused(message, known, name, problems)
        strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
        tags = [markup_in(text) for text in strings if isinstance(text, str)]
        tag = next((found for found in tags if found), None)
        shown = message.id[0] if isinstance(message.id, tuple) else message.id
        if tag and message.id:
            problems.error(Origin(name, message.lineno or 1), f'msgid "{shown}"', markup_problem(tag))
        if message.id and any(isinstance(text, str) and lone_percent(text) for text in strings):
            problems.error(Origin(name, message.lineno or 1), f'msgid "{shown}"', f"msgstr has {LONE_PERCENT}")
        if isinstance(message.id, tuple):
            _check_plural(message, (forms, single), name, problems, lines)
            continue
        if not isinstance(message.string, str) or not isinstance(message.id, str) or not message.string:
            continue
        wanted = sorted(placeholders(message.id))
        found = sorted(placeholders(message.string))
        if wanted != found:
            problems.error(
                Origin(name, message.lineno or 1),
                f'msgid "{message.id}"',
                (f"msgstr has the placeholders {', '.join(found)}" if found else "msgstr has no placeholder")
                + (f"; expected those of the msgid: {', '.join(wanted)}" if wanted else "; the msgid has none")
                + " (keep each %(name)s exactly as in the msgid)",
            )


def _check_characters(message, name: str, problems: Problems, lines: list[str]) -> None:
    """The characters the source and translations may not hold (a bidirectional control that
    reverses the printed heading, a control no font prints) refused the same way in a msgid or
    msgstr, at the entry's line that holds the character."""
    if not message.id:
        return  # the header: its fields are never printed
    ids = message.id if isinstance(message.id, (tuple, list)) else (message.id,)
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    start = (message.lineno or 1) - 1

    def locate(char: str) -> Origin:
        for number in range(start, len(lines)):
            if number > start and not lines[number].strip():
                break  # the entry ends at a blank line
            if char in lines[number]:
                return Origin(name, number + 1)
        return Origin(name, start + 1)

    check_text("\n".join(text for text in (*ids, *strings) if isinstance(text, str)), locate, problems)


def _untranslated(message, name: str, problems: Problems, report=None) -> None:
    """A warning (or what `report` makes it: a note for a partial edition) for an empty or fuzzy
    msgstr (the edition prints the English); not for a plural with a form left out, which
    _check_plural reports as an error."""
    forms_given = message.string if isinstance(message.string, tuple) else (message.string,)
    partly = isinstance(message.id, tuple) and any(forms_given) and not message.fuzzy
    if message.id and not translated(message) and not partly:
        state = "fuzzy" if message.fuzzy else "empty"
        shown = message.id[0] if isinstance(message.id, tuple) else message.id
        (report or problems.warning)(
            Origin(name, message.lineno or 1),
            f'msgid "{shown}"',
            f"not translated (msgstr {state}): the edition prints the English, marked; "
            "translate it (and remove the fuzzy flag once checked)",
        )


def _unused(message, known: frozenset[str], name: str, problems: Problems) -> None:
    """A warning for a translation the edition never asks for (it was accepted without a word): one
    in a msgctxt (the builder asks for none), or of a msgid neither the builder nor the project's
    kinds print (misspelt, or removed since)."""
    shown = message.id[0] if isinstance(message.id, tuple) else message.id
    if not shown:
        return  # the header
    where = Origin(name, message.lineno or 1)
    if message.context:
        problems.warning(
            where,
            f'msgctxt "{message.context}"',
            f'msgid "{shown}": the builder asks for no message in a context: this translation is used '
            "nowhere (remove the msgctxt line)",
        )
    elif shown not in known:
        problems.warning(
            where,
            f'msgid "{shown}"',
            "not a string the builder or the project's kinds print: this translation is used nowhere "
            "(misspelt, or removed since?)",
        )


@functools.cache
def builder_messages() -> frozenset[str]:
    """The msgid of every interface string of the builder (locale/messages.pot; a plural's singular)."""
    from .assets import BUILDER

    with (BUILDER / "locale" / "messages.pot").open("rb") as stream:
        return frozenset(str(m.id[0] if isinstance(m.id, (tuple, list)) else m.id) for m in read_po(stream) if m.id)


MOST_FORMS = 6  # the most plural forms a language has (Arabic): Babel makes a list of nplurals for every message


def _too_many_forms(text: str) -> tuple[int, str] | None:
    """The header's line when its nplurals is past any language's (nplurals=99999999 had Babel
    fill gigabytes before a word was checked), with what it says."""
    found = re.search(r"nplurals\s*=\s*(\d+)", text)
    if found is None or int(found.group(1)) <= MOST_FORMS:
        return None
    return text.count(
        "\n", 0, found.start()
    ) + 1, f"Plural-Forms: nplurals={found.group(1)}, more than any language has"


def foreign_charset(text: str) -> tuple[int, str] | None:
    """The header's line when it declares a charset other than UTF-8: the builder reads UTF-8, so
    a UTF-8 file said to be latin-1 passed check and printed mojibake (a character no font has)."""
    # every one the header declares: Babel decodes with the last, a first one of UTF-8 hid a second
    # of latin-1 (attacker, round 6: every translation rewritten as mojibake)
    entry = re.search(r"^msgid\s", text, re.M)  # the header: the first entry, to the blank line after it
    end = re.compile(r"\n\s*\n").search(text, entry.end()) if entry else None
    for found in re.finditer(r"charset\s*=\s*([^\s\\\";]+)", text[: end.start() if end else len(text)]):
        if found.group(1).lower().replace("_", "-") not in ("utf-8", "utf8"):
            line = text.count("\n", 0, found.start()) + 1
            return line, f"Content-Type: charset {found.group(1)}: the catalogue must be UTF-8"
    return None


NO_HEADER = (
    'no header entry (msgid "" with Content-Type and Plural-Forms): the build reads the plural forms from it; '
    "copy the header of a catalogue `interface --lang {lang}` writes"
)
MSGSTR_FORM = re.compile(r"\s*msgstr\[(\d+)\]")


def _has_header(text: str) -> bool:
    """Whether a catalogue has its header entry (msgid "" outside any msgctxt): without it Babel read
    every msgstr[2] as past the two forms it assumes, blaming a good line."""
    return any(not context and not msgid for _, context, msgid in _entries(text))


def _forms_beyond(text: str) -> list[tuple[int, str]]:
    """(line, problem) for each msgstr[n] the header's nplurals has no room for: Babel refused the
    file at the entry's msgid, a good line, without saying why."""
    found = re.search(r"nplurals\s*=\s*(\d+)", text)
    if found is None:
        return []
    nplurals = int(found.group(1))
    return [
        (number, f"msgstr[{index}]: Plural-Forms says nplurals={nplurals}")
        for number, line in enumerate(text.split("\n"), 1)
        if (form := MSGSTR_FORM.match(line)) and (index := int(form.group(1))) >= nplurals
    ]


def _hidden(text: str, lines: list[int]) -> str:
    """The catalogue with each of `lines` and its "quoted" continuations made comments (same line numbers)."""
    rows = text.split("\n")
    for line in lines:
        rows[line - 1] = "#"
        following = line
        while following < len(rows) and rows[following].strip().startswith('"'):
            rows[following] = "#"
            following += 1
    return "\n".join(rows)


def _read_catalogue(path: Path, root: Path, name: str, problems: Problems):
    """The catalogue Babel reads, or None when it is refused (a link leaving the project) or
    malformed, with the problem at its line."""
    refused = refusal(path, root)
    if refused is not None:
        problems.error(Origin(name, 1), "", refused)
        return None
    try:
        data = path.read_bytes()
        text = data.decode("utf-8")
        if text.startswith("\ufeff"):  # Babel and gettext read it as part of the first line
            problems.error(Origin(name, 1), "", "a byte-order mark (U+FEFF) at the start: save it as UTF-8 without BOM")
            return None
        malformed = _malformed_line(text) or _too_many_forms(text) or foreign_charset(text)
        if malformed is not None:
            problems.error(Origin(name, malformed[0]), "", f"malformed catalogue: {malformed[1]}")
            return None
        if not _has_header(text):
            problems.error(Origin(name, 1), "", NO_HEADER.format(lang=path.parent.parent.name))
            return None
        beyond = _forms_beyond(text)
        for line, problem in beyond:
            problems.error(Origin(name, line), "", problem)
        try:  # read without the forms reported, so that the header and the other entries are checked
            return read_po(_Lines(_hidden(text, [line for line, _ in beyond]).encode("utf-8")), abort_invalid=True)
        except PoFileError:
            if not beyond:
                raise
    except UnicodeDecodeError as error:
        problems.error(Origin(name, data.count(b"\n", 0, error.start) + 1), "", f"not UTF-8 text ({error.reason})")
    except OSError as error:
        problems.error(Origin(name, 1), "", f"cannot be read ({error.strerror})")
    except PoFileError as error:
        line = getattr(error, "lineno", 0) + 1
        problems.error(
            Origin(name, line),
            "",
            'malformed catalogue: expected a msgid, msgctxt or msgstr line, a "quoted" continuation or a # comment',
        )
    except Exception as error:  # noqa: BLE001 - Babel raises whatever its parser meets
        problems.error(Origin(name, 1), "", f"malformed catalogue: {' '.join(str(error).split())}")
    return None


def translated(message) -> bool:
    """A message the build uses: a msgstr (every plural form) given, and not marked fuzzy."""
    strings = message.string if isinstance(message.string, (tuple, list)) else (message.string,)
    return not message.fuzzy and all(strings)


def untranslated_messages(path: Path, lang: str) -> list[str]:
    """The msgids of a catalogue printed in English: an empty or fuzzy msgstr (gettext falls back)."""
    with path.open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    found = []
    for message in catalog:
        if message.id and not translated(message):
            found.append(str(message.id[0]) if isinstance(message.id, (tuple, list)) else str(message.id))
    return found


class _Lines(list):
    """The catalogue's lines, as read_po iterates a file."""

    def __init__(self, data: bytes) -> None:
        super().__init__(data.splitlines(keepends=True))


def _entries(text: str):
    """(line, msgctxt, msgid) of each entry of a catalogue, its texts joined over continuation lines."""
    context, lines = "", text.split("\n")
    for number, line in enumerate(lines, 1):
        keyword = PO_KEYWORD.match(line)
        if not keyword or keyword.group(1) not in ("msgctxt", "msgid"):
            continue
        parts, following = [line[keyword.end() :].strip()], number
        while following < len(lines) and lines[following].strip().startswith('"'):
            parts.append(lines[following].strip())
            following += 1
        value = "".join(part[1:-1] for part in parts if len(part) >= 2)
        if keyword.group(1) == "msgctxt":
            context = value
            continue
        yield number, context, value
        context = ""


def duplicate_msgids(text: str) -> list[tuple[int, str, int]]:
    """(line, msgid, line of its first entry) for each msgid (in its msgctxt) a catalogue gives
    again: Babel keeps one of them without a word; msgfmt refuses the file."""
    first: dict[tuple[str, str], int] = {}
    found = []
    for line, context, msgid in _entries(text):
        if not msgid and not context:
            continue  # the header
        if (context, msgid) in first:
            found.append((line, msgid, first[(context, msgid)]))
        first.setdefault((context, msgid), line)
    return found


def _header_line(path: Path, header: str) -> int:
    """The line of a catalogue's header field (1 when it has none): where an error about it points."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return next((number for number, line in enumerate(lines, 1) if line.lstrip('"').startswith(header)), 1)


def plural_problem(expression: str, forms: int) -> str | None:
    """Why a Plural-Forms `plural=` expression cannot pick the forms of a count, or None: gettext
    compiles it when the build starts (a traceback there) and evaluates it for every count."""
    try:
        rule = gettext.c2py(expression)
        picked = {rule(count) for count in range(1000)}
    except (ValueError, ArithmeticError, RecursionError) as error:
        return f"not a valid plural expression ({' '.join(str(error).split()) or type(error).__name__})"
    if not picked <= set(range(forms)):
        return f"not a valid plural expression (it picks form {max(picked)}; there are {forms}, from 0)"
    return None


def _plural_forms(catalog, where: Origin, problems: Problems) -> int:
    """The number of plural forms of the catalogue's language (Babel's rule); a Plural-Forms header
    that says otherwise is an error (ngettext would pick a form that is not there), and so is an
    expression gettext cannot compile or that divides by zero."""
    found = re.search(r"plural\s*=\s*([^;]*)", catalog.plural_forms or "")
    problem = plural_problem(found.group(1), catalog.num_plurals) if found else None
    if problem:
        problems.error(where, "Plural-Forms", problem)
    if catalog.locale is None:
        return catalog.num_plurals
    expected = get_plural(catalog.locale).num_plurals
    header = re.search(r"nplurals\s*=\s*(\d+)", catalog.plural_forms or "")
    if header and int(header.group(1)) != expected:
        wrong = f"nplurals={header.group(1)}; {catalog.locale} has {expected} plural forms"
        problems.error(where, "Plural-Forms", wrong)
    return expected


def _single_forms(plural_forms: str) -> set[int]:
    """The plural forms the header's rule uses for a single count (the singular of English, not
    Russian's form 0, which 1, 21, 31 … share): only such a form may leave the count out."""
    found = re.search(r"plural\s*=\s*([^;]*)", plural_forms)
    if not found or plural_problem(found.group(1), 99) is not None:
        return set()  # no rule, or a wrong one (reported at the header)
    rule = gettext.c2py(found.group(1))
    counts: dict[int, int] = {}
    for count in range(1000):
        counts[rule(count)] = counts.get(rule(count), 0) + 1
    return {form for form, used in counts.items() if used == 1}


COUNT = "num"  # the placeholder a layout's ngettext fills with the count


def _check_plural(message, forms: tuple[int, set[int]], name: str, problems: Problems, lines: list[str]) -> None:
    """Each plural form keeps the msgid's placeholders, but for the count (%(num)d) in a form used
    for a single number ("one file", gettext's rule), and never names one the msgid does not
    have (a KeyError in the build); and there are as many forms as the language has."""
    strings = message.string if isinstance(message.string, tuple) else (message.string,)
    if not any(strings):
        return  # untranslated: the English is used
    where = Origin(name, message.lineno or 1)
    context = f'msgid "{message.id[0]}"'
    allowed = {p for text in message.id for p in placeholders(text)}
    # each form's fault at its msgstr[n] line, which an editor corrects (the msgid's is not to be)
    at = {index: Origin(name, line) for index, line in _form_lines(lines, message.lineno or 1).items()}
    counted = any(p.startswith(f"%({COUNT})") for p in allowed)
    for index, text in enumerate(strings):
        unknown = sorted(set(placeholders(text)) - allowed)
        if unknown:
            problems.error(
                at.get(index, where),
                context,
                f"msgstr[{index}] has the placeholders {', '.join(unknown)}, which the msgid does not have "
                f"(expected only {', '.join(sorted(allowed)) or 'none'}; keep each %(name)s exactly as in the msgid)",
            )
        left_out = _left_out(text, allowed, index in forms[1])
        if text and left_out:
            why = LEFT_OUT + (COUNTED if counted else "")  # the count's exception only where there is one
            problems.error(at.get(index, where), context, f"msgstr[{index}] leaves out {', '.join(left_out)}: {why}")
    forms_count = forms[0]
    # Babel pads a form left out with "" up to the header's nplurals (one that differs from the
    # language's is reported at the header): the file's lines tell an empty form from a missing one.
    lacking = [index for index in range(min(forms_count, len(strings))) if not strings[index]]
    if lacking:
        written = set(_form_lines(lines, message.lineno or 1))
        said = [
            f"{', '.join(f'msgstr[{index}]' for index in group)} {verb if len(group) == 1 else plural}"
            for group, verb, plural in (
                ([index for index in lacking if index in written], "is empty", "are empty"),
                ([index for index in lacking if index not in written], "is missing", "are missing"),
            )
            if group
        ]
        problems.error(
            where, context, f"{'; '.join(said)}: the language has {forms_count} plural forms; translate each"
        )


LEFT_OUT = "every plural form keeps the msgid's placeholders (the printed text would lose what they say)"
COUNTED = ", but for the count, %(num)d, in a form used for one number only"


def _left_out(text: str, allowed: set[str], single: bool) -> list[str]:
    """The msgid's placeholders a plural form leaves out that it must keep."""
    kept = set(placeholders(text))
    return sorted(p for p in allowed - kept if not (single and p.startswith(f"%({COUNT})")))


def _form_lines(lines: list[str], start: int) -> dict[int, int]:
    """The line of each msgstr[n] written in the entry whose msgid is at line `start`, by n."""
    written: dict[int, int] = {}
    for number, line in enumerate(lines[start - 1 :], start):
        if not line.strip():
            break
        if form := MSGSTR_FORM.match(line):
            written.setdefault(int(form.group(1)), number)
    return written


# How a user starts a project's catalogue for a language (cli.py's `interface` command).
START_COMMAND = "python build.py interface --lang {lang}"


def builder_catalogue(lang: str) -> Path | None:
    """The builder's own catalogue of the language (locale/<lang>/LC_MESSAGES/messages.po), if it has one."""
    from .assets import BUILDER

    path = BUILDER / "locale" / lang / "LC_MESSAGES" / "messages.po"
    return path if path.is_file() else None


def _first_catalogue(lang: str):
    """The catalogue a project's starts from: the builder's translations of the language where it
    has them (a project's catalogue replaces the builder's whole, so an empty one would turn every
    interface string of the edition English), with any message of messages.pot they lack; else
    messages.pot, every msgstr empty, with the language's plural forms."""
    from babel import Locale

    from .assets import BUILDER

    with (BUILDER / "locale" / "messages.pot").open("rb") as stream:
        template = read_po(stream)
    own = builder_catalogue(lang)
    if own is None:
        template.locale = Locale.parse(lang)
        template.project = "compendium"
        return template
    with own.open("rb") as stream:
        catalog = read_po(stream, locale=lang)
    for message in template:
        if message.id and message.id not in catalog:
            catalog[message.id] = message
    return catalog


def start_catalogue(project_root: Path, lang: str, extra: tuple[str, ...] = ()) -> Path:
    """Writes the project's locale/<lang>/LC_MESSAGES/messages.po, from the builder's translations
    of the language or, for a language it has none of, from messages.pot with every msgstr empty,
    and `extra` (the English wordings of the project's own kinds) added; never over an existing
    file. Returns the file written."""
    from babel.messages.pofile import write_po

    from .inputs import refusal

    target = project_root / "locale" / lang / "LC_MESSAGES" / "messages.po"
    for part in (target.parents[2], target.parents[1], target.parent, target):
        refused = refusal(part, project_root)
        if refused:  # a link in the way: nothing is written outside the project
            raise ValueError(f"{part.relative_to(project_root).as_posix()}: {refused}")
    if target.exists():
        raise FileExistsError(str(target))
    catalog = _first_catalogue(lang)
    for message in extra:
        if message not in catalog:
            catalog.add(message, flags=("python-format",) if "%(" in message else ())
    stream = io.BytesIO()
    write_po(stream, catalog, width=76)
    # written as every file of the builder is (a full disk leaves no part of it: attacker round 10,
    # S7), and the folders made for it removed again when it could not be
    made = [folder for folder in target.parents[:3] if not folder.exists()]
    try:
        write_bytes(target, stream.getvalue(), what=relative_name(target, project_root), new=True)
    except WriteError:
        for folder in made:  # the innermost first
            with contextlib.suppress(OSError):  # one holding something else is kept
                folder.rmdir()
        raise
    return target
