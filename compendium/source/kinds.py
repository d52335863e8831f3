"""The kinds of annexed document, read from data: the builder's kinds/*.yaml and a project's own
source/kinds.yaml (or source/kinds/*.yaml), which add kinds or replace the builder's, whole or
key by key (`based_on:`). A kind says how its documents are numbered, headed, cited and named;
source/README.md ("Kinds of document") documents the form."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from ..model import DocumentKind, Origin, Wording
from .assets import BUILDER
from .fields import LABEL, TEXT, ValueType, describe, record
from .interface import LONE_PERCENT, lone_percent, markup_in, markup_problem
from .languages import N_
from .patterns import CostlyPattern, ProjectPattern, TooCostly
from .problems import Problems, suggest
from .textcheck import printable
from .yamlsource import INVALID, Node, read

DEFAULT_KIND = "osce-mc-decision"

# Every header field a document may have (source/decisions.py reads them), for the lists of a kind.
HEADER_FIELD_NAMES = (
    "symbol",
    "organization",
    "date",
    "body",
    "city",
    "year",
    "original_language",
    "meeting",
    "journal",
    "agenda_item",
    "number_line",
    "session",
    "distribution",
    "issued",
    "report",
    "addressees",
    "document_code",
)
# The wordings a kind gives, each an English interface string (translated by the catalogue) or a
# mapping of edition languages to texts; the placeholders each may use.
WORDINGS = {
    "issuer": (),
    "document": (),
    "reference": ("decision", "paragraph"),
    "tab_label": (),
    "annex_title": (),
    "contents_label": (),
    "status_heading": (),
    "excerpt_note": (),
    "handout_scope": (),
}
# The wordings a kind may leave out: a kind that does not give one speaks of "documents" (MIXED's).
OPTIONAL_WORDINGS = ("handout_scope",)
KEYS = {
    "id": LABEL,
    "name": TEXT,
    "id_pattern": TEXT,
    "id_example": LABEL,
    "symbol": TEXT,
    "header": TEXT,
    "anchor": LABEL,
}
ANY = ValueType("a value", lambda value: value)  # checked by read_kind itself
OPTIONAL = {
    "number_line": TEXT,
    "based_on": LABEL,
    "year_in_header": ANY,
    "meeting_after_number": ANY,
    "required": ANY,
    "optional": ANY,
}
FLAGS = ("year_in_header", "meeting_after_number")  # true or false; false when not given
ANCHOR = re.compile(r"[a-z][a-z0-9-]*")

# An annex that prints documents of several kinds names them in general terms.
MIXED = DocumentKind(
    id="mixed",
    issuer="",
    document=N_("document"),
    id_pattern=r".+",
    id_example="",
    symbol="{id}",
    number_line=None,
    header="",
    required=(),
    optional=(),
    reference=N_("%(decision)s, para %(paragraph)s"),
    tab_label=N_("Provision"),
    annex_title=N_("Texts of the annexed documents"),
    contents_label=N_("Document"),
    status_heading=N_("The texts of the documents in Annex 1:"),
    excerpt_note=N_("Excerpt: only the paragraphs presented in this handout, numbered as in the document."),
    handout_scope=N_("The document paragraphs presented are in Annex 1."),
    anchor="doc",
    year_in_header=False,
)


INHERITED = ("number_line", *FLAGS, "required", "optional", "id_matcher")  # what based_on: takes besides KEYS


def builder_kind_files() -> list[Path]:
    """The builder's kind files, the default kind's first (messages list the kinds in this order)."""
    return sorted((BUILDER / "kinds").glob("*.yaml"), key=lambda path: (path.stem != DEFAULT_KIND, path.stem))


def project_kind_files(source: Path) -> list[Path]:
    single = source / "kinds.yaml"
    return ([single] if single.is_file() else []) + sorted((source / "kinds").glob("*.yaml"))


def read_kinds(source: Path | None, root: Path, problems: Problems) -> dict[str, DocumentKind]:
    """The builder's kinds, then the project's (source/kinds.yaml, source/kinds/*.yaml) over them."""
    kinds: dict[str, DocumentKind] = {}
    builder = Problems()  # the builder's own files are checked by its tests; their names are the builder's
    for path in builder_kind_files():
        node = read(path, BUILDER, builder)
        for entry in _entries(node):
            kind = read_kind(entry, kinds, builder)
            if kind:
                kinds[kind.id] = kind
    for problem in builder.errors:
        problems.error(problem.origin, problem.context, f"(a kind file of the builder) {problem.message}")
    if source is None:
        return kinds
    seen: dict[str, Origin] = {}
    for path in project_kind_files(source):
        node = read(path, root, problems)
        for entry in _entries(node, problems):
            kind = read_kind(entry, kinds, problems)
            if kind is None:
                continue
            _check_header(entry, kind, root, problems)
            if kind.id in seen:
                problems.error(kind.origin, f"kind '{kind.id}'", f"declared twice (also at {seen[kind.id]})")
                continue
            seen[kind.id] = kind.origin
            kinds[kind.id] = kind
    return kinds


def _check_header(node: Node, kind: DocumentKind, root: Path, problems: Problems) -> None:
    """The header layout a project's kind names is a partial of the project's layouts/ or the
    builder's: the build failed on any other in the builder's _decision.html, naming that."""
    if not node.is_mapping or "header" not in node.value:
        return
    header = kind.header
    folders = [root / "layouts", BUILDER / "layouts"]
    headers = sorted({path.name for folder in folders for path in folder.glob("_header*.html")})
    simple = "/" not in header and "\\" not in header and header not in (".", "..")
    if not simple or not any((folder / header).is_file() for folder in folders):
        why = f"no layout '{header}' in layouts/{suggest(header, headers)}"
    elif not header.startswith("_"):
        why = f"'{header}' is a whole document's layout, not a header (a partial, whose name begins with _)"
    elif not header.startswith("_header") and (BUILDER / "layouts" / header).is_file():
        # The builder's other partials draw a decision, the annex or a provision: as a header they
        # recursed (RecursionError in _decision.html) or printed no header without a word.
        why = f"'{header}' is the builder's layout of another part, not a header"
    else:
        return
    problems.error(
        node.value["header"].origin, _name(node), f"key 'header': {why} (the headers are {', '.join(headers)})"
    )


def _entries(node: Node | None, problems: Problems | None = None) -> list[Node]:
    """A kind file holds one kind (a mapping) or a list of kinds."""
    if node is None or node.value is INVALID:
        return []
    if node.is_list:
        return node.value
    if node.is_mapping:
        return [node]
    if problems is not None:
        problems.error(node.origin, "", f"expected a kind (a mapping) or a list of kinds, found {describe(node.value)}")
    return []


def read_kind(node: Node, known: dict[str, DocumentKind], problems: Problems) -> DocumentKind | None:
    """One kind, checked key by key; `based_on:` takes every key not given from a known kind."""
    name = _name(node)
    values = record(node, name, problems, {"id": LABEL}, {**KEYS, **OPTIONAL, **dict.fromkeys(WORDINGS, ANY)})
    if values is None or "id" not in values:
        return None
    ok = True
    base: DocumentKind | None = None
    if "based_on" in values:
        base = known.get(values["based_on"])
        if base is None:
            problems.error(
                node.value["based_on"].origin,
                name,
                f"key 'based_on': expected a kind the builder ships or declared above, found "
                f"'{values['based_on']}'{suggest(values['based_on'], list(known))}",
            )
            return None
    elif values["id"] in known:
        base = None  # a whole new declaration replaces the builder's kind of that id
    fields: dict[str, Any] = {} if base is None else {key: getattr(base, key) for key in (*KEYS, *INHERITED, *WORDINGS)}
    fields["id"] = values["id"]
    for key in KEYS:
        if key in values:
            fields[key] = values[key]
    if "number_line" in values:
        fields["number_line"] = values["number_line"]
    fields.setdefault("number_line", None)
    fields.setdefault("name", values["id"])
    for key in FLAGS:
        if key in node.value:
            value = node.value[key].value
            if isinstance(value, bool):
                fields[key] = value
            else:
                problems.error(
                    node.value[key].origin, name, f"key '{key}': expected true or false, found {describe(value)}"
                )
                ok = False
        fields.setdefault(key, False)
    for key in ("required", "optional"):
        if key in node.value:
            names = _field_list(node.value[key], key, name, problems)
            ok &= names is not None
            fields[key] = names or ()
        fields.setdefault(key, ())
    for key, placeholders in WORDINGS.items():
        if key in node.value:
            wording = _wording(node.value[key], key, placeholders, name, problems)
            ok &= wording is not None
            if wording is not None:
                fields[key] = wording
    for key in OPTIONAL_WORDINGS:
        fields.setdefault(key, getattr(MIXED, key))
    ok &= _checked_patterns(node, fields, name, problems)
    missing = [key for key in (*KEYS, *WORDINGS) if key not in fields]
    for key in missing:
        if key not in node.value:  # a key given but wrong is reported already
            problems.error(node.origin, name, f"missing required key '{key}'")
        ok = False
    overlap = set(fields["required"]) & set(fields["optional"])
    if overlap:
        problems.error(
            node.origin, name, f"key 'optional': {', '.join(sorted(overlap))} is also required; list it once"
        )
        ok = False
    if not ok:
        return None
    return DocumentKind(origin=node.origin, **fields)


def _name(node: Node) -> str:
    if node.is_mapping and "id" in node.value and isinstance(node.value["id"].value, str):
        return f"kind '{node.value['id'].value}'"
    return "kind"


def _field_list(node: Node, key: str, name: str, problems: Problems) -> tuple[str, ...] | None:
    if not node.is_list or not all(isinstance(item.value, str) for item in node.value):
        problems.error(
            node.origin, name, f"key '{key}': expected a list of header field names, found {describe(node.value)}"
        )
        return None
    names = []
    for item in node.value:
        if item.value not in HEADER_FIELD_NAMES:
            problems.error(
                item.origin,
                name,
                f"key '{key}': expected a header field ({', '.join(HEADER_FIELD_NAMES)}), "
                f"found '{item.value}'{suggest(item.value, list(HEADER_FIELD_NAMES))}",
            )
            return None
        names.append(item.value)
    return tuple(names)


PLACEHOLDER = re.compile(r"\{([^{}]*)\}")


def _wording(node: Node, key: str, placeholders: tuple[str, ...], name: str, problems: Problems) -> Wording | None:
    """A wording: one English text, or texts by edition language ({en: …, de: …}); {decision} and
    {paragraph} stand for the document's id and the paragraph's number as adopted."""
    if isinstance(node.value, str) and printable(node.value):
        texts = [("", node.value, node.origin)]
    elif node.is_mapping and node.value:
        texts = [(lang, child.value, child.origin) for lang, child in node.value.items()]
    else:
        problems.error(
            node.origin,
            name,
            f"key '{key}': expected a text or texts by language (en: …), found {describe(node.value)}",
        )
        return None
    converted = []
    for lang, text, origin in texts:
        if lang and not re.fullmatch(r"[a-z]{2,3}", lang):
            problems.error(origin, name, f"key '{key}': expected a language code such as en or de, found '{lang}'")
            return None
        if not (isinstance(text, str) and printable(text)):
            problems.error(origin, name, f"key '{key}.{lang}': expected text, found {describe(text)}")
            return None
        problem = _text_problem(text, lang, placeholders)
        if problem is not None:
            problems.error(origin, name, f"key '{key}': {problem}")
            return None
        converted.append((lang, PLACEHOLDER.sub(r"%(\1)s", " ".join(text.split()))))
    if converted[0][0] == "":
        return Wording(converted[0][1])
    by_language = tuple(converted)
    english = dict(by_language).get("en", by_language[0][1])
    return Wording(english, by_language)


def _text_problem(text: str, lang: str, placeholders: tuple[str, ...]) -> str | None:
    """What is wrong with one text of a wording, or None: markup, a lone %, a placeholder that is
    not filled in, or one of the original's left out (attacker round 9, P8: "MC Decision
    {decision}, para {paragraph}" reworded "MC" printed every reference without its decision and
    paragraph, as a catalogue's msgstr is refused for)."""
    tag = markup_in(text)
    if tag:
        return markup_problem(tag)
    if lone_percent(text, braces=True):
        return LONE_PERCENT
    found = PLACEHOLDER.findall(text)
    wanted = ", ".join(dict.fromkeys("{" + p + "}" for p in placeholders))
    for unknown in found:
        if unknown not in placeholders:
            return f"unknown placeholder '{{{unknown}}}' (this wording may use {wanted or 'none'})"
    if set(placeholders) <= set(found):
        return None
    has = ", ".join(dict.fromkeys("{" + p + "}" for p in found))
    return (
        f"the {lang + ' ' if lang else ''}text has {f'the placeholders {has}' if has else 'no placeholder'}; "
        f"expected those of the original: {wanted} (keep each {{name}}: the printed text would lose what it says)"
    )


def _checked_patterns(node: Node, fields: dict, name: str, problems: Problems) -> bool:
    ok = True
    pattern = fields.get("id_pattern")
    if pattern is not None:
        where = node.value["id_pattern"].origin if "id_pattern" in node.value else node.origin
        try:
            if "id_pattern" in node.value or fields.get("id_matcher") is None:
                fields["id_matcher"] = ProjectPattern(pattern, 0, where, f"{name}: key 'id_pattern'")
        except (re.error, CostlyPattern) as error:
            why = error if isinstance(error, CostlyPattern) else f"not a regular expression ({error})"
            problems.error(where, name, f"key 'id_pattern': {why}")
            return False
        example = fields.get("id_example")
        if example is not None and not _example_matches(fields["id_matcher"], example, problems):
            where = node.value["id_example"].origin if "id_example" in node.value else node.origin
            problems.error(where, name, f"key 'id_example': '{example}' does not match id_pattern '{pattern}'")
            ok = False
    for key in ("symbol", "number_line"):
        text = fields.get(key)
        if text is None:
            continue
        unknown = id_only(text)
        if unknown:
            where = node.value[key].origin if key in node.value else node.origin
            problems.error(
                where, name, f"key '{key}': unknown placeholder '{{{unknown[0]}}}' (only {{id}} is filled in)"
            )
            ok = False
    anchor = fields.get("anchor")
    if anchor is not None and not ANCHOR.fullmatch(anchor):
        where = node.value["anchor"].origin if "anchor" in node.value else node.origin
        problems.error(where, name, f"key 'anchor': expected lower-case letters, digits and hyphens, found '{anchor}'")
        ok = False
    return ok


def _example_matches(matcher: ProjectPattern, example: str, problems: Problems) -> bool:
    """Whether the id example matches; a match that runs out of time is the pattern's error instead."""
    try:
        return matcher.fullmatch(example) is not None
    except TooCostly as error:
        if error.first:
            problems.error(error.origin, error.context, error.message)
        return True


def id_only(text: str) -> list[str]:
    """The placeholders of a symbol or number line other than a plain {id}, as written: a format
    spec or conversion ("{id:>{id}}" would pad the symbol to the id's value, billions of
    characters) is refused with them; unbalanced braces are one."""
    import string

    try:
        fields = list(string.Formatter().parse(text))
    except ValueError:
        return [text]
    return [
        name + (f"!{conversion}" if conversion else "") + (f":{spec}" if spec else "")
        for _, name, spec, conversion in fields
        if name is not None and (name != "id" or spec or conversion)
    ]


def builder_kinds() -> dict[str, DocumentKind]:
    """The builder's own kinds (without a project)."""
    return read_kinds(None, BUILDER, Problems())


def annex_kind(decisions) -> DocumentKind:
    """The kind the annex, side tabs and imprint speak of: the one kind of all annexed documents,
    or general wording when they are of several kinds."""
    kinds = {decision.kind.id: decision.kind for decision in decisions}
    return next(iter(kinds.values())) if len(kinds) == 1 else MIXED


def matches(kind: DocumentKind, decision_id: str) -> bool:
    """Whether the id is one of the kind's; patterns.TooCostly when the project's pattern runs too long."""
    if kind.id_matcher is None:  # the builder's own pattern
        return re.fullmatch(kind.id_pattern, decision_id) is not None
    return kind.id_matcher.fullmatch(decision_id) is not None


def extract(fileobj, keywords, comment_tags, options) -> Iterator[tuple[int, str, str, list]]:
    """Babel extraction (babel.cfg): a kind file's wordings written as one English text are
    interface strings of the catalogue; those written by language are not."""
    data = yaml.safe_load(fileobj.read().decode("utf-8"))
    for entry in data if isinstance(data, list) else [data]:
        if not isinstance(entry, dict):
            continue
        for key in WORDINGS:
            text = entry.get(key)
            if isinstance(text, str):
                yield 0, "N_", PLACEHOLDER.sub(r"%(\1)s", " ".join(text.split())), []


def interface_strings() -> dict[str, str]:
    """Every interface string of the builder (locale/messages.pot) that a compendium may reword,
    as an editor writes it ({name} for a placeholder) against its message id. A message with plural
    forms ("%(num)d provisions, …") is not among them: one text cannot give every form."""
    from babel.messages.pofile import read_po

    with (BUILDER / "locale" / "messages.pot").open("rb") as stream:
        return {written(m.id): m.id for m in read_po(stream) if isinstance(m.id, str) and m.id}


def plural_strings() -> set[str]:
    """The builder's messages with plural forms, each form as an editor writes it."""
    from babel.messages.pofile import read_po

    with (BUILDER / "locale" / "messages.pot").open("rb") as stream:
        return {written(form) for m in read_po(stream) if isinstance(m.id, tuple) for form in m.id}


def written(message: str) -> str:
    """A message id as an editor writes it: %(name)s (or %(name)d) as {name}."""
    return re.sub(r"%\((\w+)\)[sd]", r"{\1}", message)


def rewordable() -> dict[str, str]:
    """The strings `wording:` may reword, as written, against their message ids: the builder's
    interface strings and the wordings of its kinds."""
    known = interface_strings()
    for kind in builder_kinds().values():
        for key in WORDINGS:
            message = str(getattr(kind, key))
            known[written(message)] = message
    return known


def read_wording(node: Node, problems: Problems) -> tuple[tuple[str, Wording], ...]:
    """compendium.yaml's `wording`: for an interface string of the builder or of a kind, written as
    it is in English ({name} for a placeholder), the text this compendium prints instead: one text
    for the English edition, or texts by edition language."""
    known = rewordable()
    result = []
    for key, child in node.value.items():
        message = known.get(" ".join(str(key).split()))
        if message is None and " ".join(str(key).split()) in plural_strings():
            problems.error(
                node.key_origins[key],
                "wording",
                f"'{key}' is a message with plural forms, which `wording:` cannot reword "
                f"(`{WORDING_COMMAND}` lists the strings it can)",
            )
            continue
        if message is None:
            problems.error(
                node.key_origins[key],
                "wording",
                f"'{key}' is not an interface string of the builder or of a kind{suggest(key, sorted(known))} "
                f"(write one exactly as in English; `{WORDING_COMMAND}` lists them all)",
            )
            continue
        placeholders = tuple(PLACEHOLDER.findall(written(message)))
        wording = _wording(child, key, placeholders, "wording", problems)
        if wording is None:
            continue
        if not wording.by_language:
            wording = Wording(message, (("en", str(wording)),))
        result.append((message, wording))
    return tuple(result)


# How a user lists the strings `wording:` accepts (cli.py's `wording` command).
WORDING_COMMAND = "python build.py wording"
